//! What a caller sends cannot crash, stall or 500 the server: unknown parents answer 404, solver
//! work is bounded in size, time and concurrency, and a deep instance is solved without recursion.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn an_administrator_naming_an_unknown_institute_gets_404_for_every_write_and_read() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unknown = Uuid::new_v4();
    let writes = [
        ("api-keys", json!({"name": "Roostersysteem"})),
        (
            "practices",
            json!({"name": "Huisartsenpraktijk De Linde", "city": "Zwolle", "description": "Vier huisartsen."}),
        ),
        (
            "rounds",
            json!({"start_month": "september", "start_year": 2027}),
        ),
        (
            "trainees",
            json!({"name": "Sanne Jansen", "email": "s.jansen@example.nl", "training_start": "2025-09-01"}),
        ),
        (
            "trainees/import",
            json!({"rows": [{"name": "Sanne Jansen", "email": "s.jansen@example.nl", "training_start": "2025-09-01"}]}),
        ),
        (
            "trainers",
            json!({"name": "Dr. Pieter Visser", "email": "p.visser@example.nl", "eligible_year1": true, "eligible_year3": true}),
        ),
        (
            "trainers/import",
            json!({"rows": [{"name": "Dr. Pieter Visser", "email": "p.visser@example.nl", "eligible_year1": true, "eligible_year3": true}]}),
        ),
    ];
    for (path, body) in &writes {
        let response = app
            .post(&format!("/institutes/{unknown}/{path}"), Some(&admin), body)
            .await;
        let problem = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        assert!(problem.detail.contains(&unknown.to_string()), "{path}");
    }
    for path in [
        "api-keys",
        "practices",
        "rounds",
        "trainees",
        "trainers",
        "outbox",
    ] {
        let response = app
            .get(&format!("/institutes/{unknown}/{path}"), Some(&admin))
            .await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}

/// Trainee `i` ranks `t_i, t_{i+1}`; one more trainee ranks `t_0`: coupling the last trainee moves
/// every other one place on, along one path as long as the instance.
fn chain(length: usize) -> Value {
    let mut trainees: Vec<Value> = (0..length)
        .map(
            |i| json!({"id": format!("a{i}"), "ranking": [format!("t{i}"), format!("t{}", i + 1)]}),
        )
        .collect();
    trainees.push(json!({"id": format!("a{length}"), "ranking": ["t0"]}));
    let trainers: Vec<Value> = (0..=length)
        .map(|j| json!({"id": format!("t{j}")}))
        .collect();
    json!({"trainees": trainees, "trainers": trainers})
}

#[tokio::test]
async fn a_chain_of_60001_trainees_gets_a_proposal_and_the_server_stays_up() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .post("/solve/interviews", Some(&admin), &chain(60_000))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let output: Value = response.json().await.unwrap();
    assert_eq!(output["guarantee"]["complete"], true);
    assert_eq!(output["guarantee"]["coupled"], 60_001);
    assert_eq!(output["interviews"][60_000]["trainers"], json!(["t0"]));
    let health = app.get("/health", None).await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn instances_beyond_the_size_limits_are_refused_naming_the_limit() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let trainees: Vec<Value> = (0..100_001)
        .map(|i| json!({"id": format!("a{i}"), "ranking": []}))
        .collect();
    let problem = assert_problem(
        app.post(
            "/solve/coupling",
            Some(&admin),
            &json!({"trainees": trainees, "trainers": []}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "trainees");
    assert!(
        problem.errors[0]
            .message
            .contains("at most 100000 trainees"),
        "{problem:?}"
    );

    // 600 trainees ranking the same 1,700 trainers: 1,020,000 ranked pairs.
    let trainers: Vec<Value> = (0..1_700).map(|j| json!({"id": format!("t{j}")})).collect();
    let ranking: Vec<String> = (0..1_700).map(|j| format!("t{j}")).collect();
    let trainees: Vec<Value> = (0..600)
        .map(|i| json!({"id": format!("a{i}"), "ranking": ranking}))
        .collect();
    let problem = assert_problem(
        app.post(
            "/solve/interviews",
            Some(&admin),
            &json!({"trainees": trainees, "trainers": trainers}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem.errors[0]
            .message
            .contains("at most 1000000 ranked and forbidden pairs"),
        "{problem:?}"
    );

    let candidates: Vec<Value> = (0..100_001)
        .map(|i| json!({"id": format!("c{i}"), "preferences": []}))
        .collect();
    let problem = assert_problem(
        app.post(
            "/solve/lottery",
            Some(&admin),
            &json!({"seed": "00112233445566778899aabbccddeeff", "locations": [], "candidates": candidates}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "candidates");
}

#[tokio::test]
async fn a_solve_stopped_at_the_time_limit_says_so_and_is_never_a_result() {
    let app = spawn_app_with(|settings| settings.solve_time_limit_s = 1e-9).await;
    let admin = app.admin_token().await;
    let instance = json!({
        "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1"]}],
        "trainers": [{"id": "t1", "ranking": ["a1", "a2"]}, {"id": "t2", "ranking": ["a1"]}]
    });
    let problem = assert_problem(
        app.post("/solve/coupling", Some(&admin), &instance).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "time_limit_reached",
    )
    .await;
    assert!(problem.detail.contains("time limit"), "{problem:?}");
    let problem = assert_problem(
        app.post(
            "/solve/interviews",
            Some(&admin),
            &json!({"trainees": [{"id": "a1", "ranking": ["t1"]}], "trainers": [{"id": "t1"}]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "time_limit_reached",
    )
    .await;
    assert!(problem.detail.contains("interview proposal"), "{problem:?}");
}

/// A minimax coupling with explanations on 2,000 trainees ranking 20 trainers each (trainers
/// ranking 40): over a second of work in a debug build, enough to keep the one solve slot busy
/// while the test knocks.
fn heavy_coupling() -> Value {
    let n = 2000;
    json!({
        "trainees": (0..n).map(|i| json!({
            "id": format!("a{i}"),
            "ranking": (0..20).map(|k| format!("t{}", (i * 7 + k * k * 13 + k * 11) % n)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "trainers": (0..n).map(|j| json!({
            "id": format!("t{j}"),
            "ranking": (0..40).map(|k| format!("a{}", (j * 13 + k * k * 7 + k * 3) % n)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "objective": "minimax",
    })
}

#[tokio::test]
async fn solves_beyond_the_concurrency_limit_answer_busy_with_retry_after() {
    let app = spawn_app_with(|settings| {
        settings.solve_concurrency = Some(1);
        settings.solve_time_limit_s = 4.0;
    })
    .await;
    let admin = app.admin_token().await;
    let heavy = {
        let (client, url, admin) = (
            app.client.clone(),
            app.url("/solve/coupling"),
            admin.clone(),
        );
        tokio::spawn(async move {
            let mut tries = 0;
            loop {
                let response = client
                    .post(url.clone())
                    .bearer_auth(&admin)
                    .json(&heavy_coupling())
                    .send()
                    .await
                    .unwrap();
                // A knock below may hold the one slot at that moment: then the heavy solve is
                // the one refused, and tries again (a few hundred times at most).
                tries += 1;
                if response.status() != StatusCode::SERVICE_UNAVAILABLE || tries == 300 {
                    return response;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    };
    // The heavy solve takes its slot within moments; the time limit keeps it there for seconds.
    // Knock until refused, for as long as the heavy one runs (under a loaded test machine it may
    // take seconds even to be uploaded and parsed).
    let mut refused = None;
    for _ in 0..600 {
        if heavy.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let response = app
            .post(
                "/solve/lottery",
                Some(&admin),
                &json!({"seed": "00112233445566778899aabbccddeeff", "locations": [{"id": "x", "capacity": 1}], "candidates": [{"id": "c", "preferences": ["x"]}]}),
            )
            .await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(response);
            break;
        }
    }
    let response = refused.expect("a second solve is refused while the first one runs");
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    assert_problem(response, StatusCode::SERVICE_UNAVAILABLE, "busy").await;
    // The heavy one ends with an optimal coupling (its explanations complete or, at the time
    // limit, saying so); then the slot is free again.
    let heavy = heavy.await.unwrap();
    assert_eq!(heavy.status(), StatusCode::OK);
    let output: Value = heavy.json().await.unwrap();
    assert!(output["matched"].as_u64().unwrap() > 0);
    let response = app
        .post(
            "/solve/lottery",
            Some(&admin),
            &json!({"seed": "00112233445566778899aabbccddeeff", "locations": [{"id": "x", "capacity": 1}], "candidates": [{"id": "c", "preferences": ["x"]}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

fn trainee_rows(count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"name": format!("Aios {i}"), "email": format!("aios{i}@example.nl"), "training_start": "2025-09-01"}))
        .collect()
}

async fn trainee_total(app: &crate::helpers::TestApp, token: &str, institute: Uuid) -> u64 {
    let response = app
        .get(
            &format!("/institutes/{institute}/trainees?per_page=1"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn imports_are_bounded_and_all_or_nothing_at_their_largest() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let institute = app.create_institute("Huisartsopleiding Import").await;
    let path = format!("/institutes/{institute}/trainees/import");

    let problem = assert_problem(
        app.post(&path, Some(&admin), &json!({"rows": trainee_rows(10_001)}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "rows");
    assert!(problem.errors[0].message.contains("at most 10000 rows"));
    let csv: String = std::iter::once("name,email,training_start\n".to_owned())
        .chain((0..10_001).map(|i| format!("Aios {i},aios{i}@example.nl,2025-09-01\n")))
        .collect();
    let response = app.post_raw(&path, Some(&admin), "text/csv", csv).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "rows");

    // The largest import with a bad last row imports nothing.
    let mut rows = trainee_rows(10_000);
    rows[9_999]["email"] = json!("not an address");
    let problem = assert_problem(
        app.post(&path, Some(&admin), &json!({"rows": rows})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "rows[9999].email");
    assert_eq!(trainee_total(&app, &admin, institute).await, 0);

    // Without it, all 10,000 rows are imported, in batches.
    let response = app
        .post(&path, Some(&admin), &json!({"rows": trainee_rows(10_000)}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.json::<Value>().await.unwrap()["imported"], 10_000);
    assert_eq!(trainee_total(&app, &admin, institute).await, 10_000);

    // An empty import, or one in another content type, is refused.
    assert_problem(
        app.post(&path, Some(&admin), &json!({"rows": []})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let response = app
        .post_raw(&path, Some(&admin), "text/plain", "name,email\n")
        .await;
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn an_undeclared_method_on_a_known_path_answers_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (reqwest::Method::DELETE, "/health", "GET"),
        (reqwest::Method::PUT, "/solve/lottery", "POST"),
        (
            reqwest::Method::PATCH,
            "/institutes/00000000-0000-0000-0000-000000000000/trainees/import",
            "POST",
        ),
        (
            reqwest::Method::PATCH,
            "/rounds/00000000-0000-0000-0000-000000000000/preferences/mine",
            "GET",
        ),
        (
            reqwest::Method::POST,
            "/lotteries/00000000-0000-0000-0000-000000000000/report",
            "GET",
        ),
    ] {
        let response = app
            .client
            .request(method, app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok()),
            Some(allow),
            "{path}"
        );
        assert_problem(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
    for path in [
        "/no-such-thing",
        "/rounds/00000000-0000-0000-0000-000000000000/no-such-thing",
        "/institutes/00000000-0000-0000-0000-000000000000/no-such-thing",
    ] {
        let response = app.get(path, None).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}
