//! The national placement lottery end to end: import with bad rows, commit, frozen inputs, draw,
//! verification recomputed independently (in Rust here, and by the README's Python snippet),
//! second-chance offers accepted, declined and expired, the report, carry-over to a later
//! lottery, simulation, and who may call what.

use std::collections::HashMap;

use koppel_api::store::entities::lottery_offer;
use koppel_api_types::{
    LotteryOfferListResponse, LotteryReportResponse, LotteryResponse, MyLotteryResponse, Role,
    SimulationResponse, TokenResponse,
};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn post_csv(app: &TestApp, path: &str, token: &str, csv: String) -> reqwest::Response {
    app.post_raw(path, Some(token), "text/csv", csv).await
}

/// A lottery with locations `a` (1 place), `b` (1) and `c` (2), and five candidates who all
/// list only `a` and `b`: two are placed, three unplaced, and `c`'s two places are offered.
async fn lottery_with_candidates(app: &TestApp, admin: &str, name: &str) -> Uuid {
    let created = app
        .post(
            "/lotteries",
            Some(admin),
            &json!({"name": name, "draw_on": "2026-11-14", "applicants": 8, "selected": 5, "response_days": 7}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let lottery: LotteryResponse = created.json().await.unwrap();
    assert_eq!(lottery.status, "draft");
    let id = lottery.id;
    let locations = json!({"locations": [
        {"id": "a", "name": "Huisartsopleiding A", "capacity": 1},
        {"id": "b", "name": "Huisartsopleiding B", "capacity": 1},
        {"id": "c", "name": "Huisartsopleiding C", "capacity": 2},
    ]});
    assert_eq!(
        put(
            app,
            &format!("/lotteries/{id}/locations"),
            admin,
            &locations
        )
        .await
        .status(),
        StatusCode::OK
    );
    let rows: Vec<String> = (1..=5)
        .map(|i| format!("K-{i},Kandidaat {i},k{i}@loting.test,a;b,false,2026-10-0{i}"))
        .collect();
    let csv = format!(
        "id,name,email,preferences,second_attempt,suitable_on\n{}\n",
        rows.join("\n")
    );
    let imported = post_csv(
        app,
        &format!("/lotteries/{id}/candidates/import"),
        admin,
        csv,
    )
    .await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    id
}

#[tokio::test]
async fn a_lottery_is_committed_drawn_verified_and_its_unfilled_places_offered() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created: LotteryResponse = app
        .post(
            "/lotteries",
            Some(&admin),
            &json!({"name": "Loting maart 2027", "draw_on": "2026-11-14", "applicants": 8, "selected": 5}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created.id;
    put(
        &app,
        &format!("/lotteries/{id}/locations"),
        &admin,
        &json!({"locations": [
            {"id": "a", "name": "Huisartsopleiding A", "capacity": 1},
            {"id": "b", "name": "Huisartsopleiding B", "capacity": 1},
            {"id": "c", "name": "Huisartsopleiding C", "capacity": 2},
        ]}),
    )
    .await;

    // An import with bad rows imports nothing and names every row and field.
    let bad = "id,name,email,preferences,second_attempt,suitable_on\n\
               K-1,Kandidaat 1,k1@loting.test,a;b,false,2026-10-01\n\
               K-1,Dubbel,dubbel@loting.test,a,false,2026-10-01\n\
               K-3,Kandidaat 3,geen-adres,a;x,false,2026-10-01\n\
               K-4,Kandidaat 4,k4@loting.test,a,false,2024-10-01\n\
               K-5,Kandidaat 5,k5@loting.test,a,misschien,2026-10-01\n";
    let problem = assert_problem(
        post_csv(
            &app,
            &format!("/lotteries/{id}/candidates/import"),
            &admin,
            bad.to_owned(),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["line 6.second_attempt"], "cell errors first");
    let bad = bad.replace("misschien", "false");
    let problem = assert_problem(
        post_csv(
            &app,
            &format!("/lotteries/{id}/candidates/import"),
            &admin,
            bad,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "line 3.id",
            "line 4.email",
            "line 4.preferences[1]",
            "line 5.suitable_on"
        ],
        "{problem:?}"
    );
    assert!(problem.errors[3].message.contains("more than 24 months"));
    let listed: Value = app
        .get(&format!("/lotteries/{id}/candidates"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        0,
        "nothing imported"
    );
    let rows: Vec<Value> = (1..=5)
        .map(|i| json!({"id": format!("K-{i}"), "name": format!("Kandidaat {i}"), "email": format!("k{i}@loting.test"), "preferences": ["a", "b"], "suitable_on": "2026-10-01"}))
        .collect();
    let imported = app
        .post(
            &format!("/lotteries/{id}/candidates/import"),
            Some(&admin),
            &json!({"rows": rows}),
        )
        .await;
    assert_eq!(imported.status(), StatusCode::CREATED);

    // Not committed: nothing public yet; the draw waits for the commit.
    assert_problem(
        app.get(&format!("/lotteries/{id}/verification"), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/draw"),
            Some(&admin),
            &json!({"public_value": "drand 1"}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Commit: only the commitment is published, and the inputs are frozen.
    let committed: LotteryResponse = app
        .post(&format!("/lotteries/{id}/commit"), Some(&admin), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(committed.status, "committed");
    assert_eq!(committed.seed, None, "the seed stays secret until the draw");
    let commitment = committed.seed_commitment.clone().unwrap();
    assert_problem(
        put(
            &app,
            &format!("/lotteries/{id}/locations"),
            &admin,
            &json!({"locations": [{"id": "a", "name": "A", "capacity": 9}]}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/candidates/import"),
            Some(&admin),
            &json!({"rows": [{"id": "K-9", "name": "Laat", "email": "laat@loting.test", "preferences": ["a"], "suitable_on": "2026-10-01"}]}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_problem(
        app.post(&format!("/lotteries/{id}/commit"), Some(&admin), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let before: Value = app
        .get(&format!("/lotteries/{id}/verification"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before["seed_commitment"], commitment.as_str());
    assert!(before["seed"].is_null() && before["outcome"].is_null());

    // The draw needs a public value nobody knew at the commit.
    for body in [
        json!({}),
        json!({"public_value": "  "}),
        json!({"public_value": "x".repeat(501)}),
        json!({"public_value": "\t \n"}),
    ] {
        let problem = assert_problem(
            app.post(&format!("/lotteries/{id}/draw"), Some(&admin), &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, "public_value");
    }
    // Draw: the secret is revealed and matches the commitment; the seed follows from the secret
    // and the public value.
    let public_value = "drand quicknet round 21834567: 6f1a0c9e5b2d4a7c";
    let drawn: LotteryResponse = app
        .post(
            &format!("/lotteries/{id}/draw"),
            Some(&admin),
            &json!({"public_value": public_value}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drawn.status, "drawn");
    let secret = drawn.secret.clone().unwrap();
    assert_eq!(sha256(&secret), commitment);
    assert_eq!(drawn.public_value.as_deref(), Some(public_value));
    assert_eq!(
        drawn.seed.clone().unwrap(),
        sha256(&format!("{secret}:{public_value}"))
    );
    // Until the draw the database held no secret, only what it is derived from with the key.
    let row = koppel_api::store::entities::lottery::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.secret_nonce, None, "the nonce is spent at the draw");

    // Its statistics are public now, figures only, as the report has them.
    let statistics: Value = app
        .get(&format!("/statistics/lotteries/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    let report: Value = app
        .get(&format!("/lotteries/{id}/report"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statistics["total_in_lottery"], report["total_in_lottery"]);
    assert_eq!(statistics["places_offered"], report["places_offered"]);
    // Hidden together, and nothing gives them away: places offered minus unfilled is the placed.
    let placed = report["placed_at_preferred"].as_u64().unwrap();
    let unplaced = report["unplaced"].as_u64().unwrap();
    if (1..5).contains(&placed) || (1..5).contains(&unplaced) {
        assert!(statistics["placed"].is_null() && statistics["unplaced"].is_null());
        assert!(statistics["places_unfilled"].is_null(), "{statistics}");
    } else {
        assert_eq!(statistics["placed"], placed);
        assert_eq!(statistics["places_unfilled"], report["places_unfilled"]);
    }
    // Each location exactly as the domain's rules make of the report's counts.
    let located: Vec<u32> = report["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["placed"].as_u64().unwrap() as u32)
        .collect();
    let expected = koppel_domain::statistics::published_under(
        !statistics["placed"].is_null(),
        koppel_domain::statistics::published_distribution(&located),
    );
    let shown: Vec<Option<u32>> = statistics["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["placed"].as_u64().map(|n| n as u32))
        .collect();
    assert_eq!(shown, expected);
    for (shown, actual) in statistics["locations"]
        .as_array()
        .unwrap()
        .iter()
        .zip(report["locations"].as_array().unwrap())
    {
        let placed = actual["placed"].as_u64().unwrap();
        if (1..5).contains(&placed) {
            assert!(shown["placed"].is_null(), "{shown}");
        }
        // Hidden with its unfilled places; and all hidden when the total placed is.
        if shown["placed"].is_null() {
            assert!(shown["unfilled"].is_null(), "{shown}");
        } else {
            assert!(!statistics["placed"].is_null(), "{statistics}");
            assert_eq!(shown["placed"], placed, "{shown}");
        }
    }
    assert!(!statistics.to_string().contains("loting.test"));

    // Anyone recomputes it: no names or e-mail addresses in the document.
    let document: Value = app
        .get(&format!("/lotteries/{id}/verification"), None)
        .await
        .json()
        .await
        .unwrap();
    let text = document.to_string();
    assert!(!text.contains("loting.test") && !text.contains("Kandidaat"));
    recompute_independently(&document);
    let parsed: koppel_api::services::lotteries::LotteryVerification =
        serde_json::from_value(document.clone()).unwrap();
    assert!(koppel_api::services::lotteries::verify(&parsed).is_empty());
    let mut tampered = parsed.clone();
    tampered.inputs.locations[2].capacity = 3;
    assert!(!koppel_api::services::lotteries::verify(&tampered).is_empty());
    // A public value changed afterwards (as someone who wanted another outcome would) is caught.
    let mut tampered = parsed.clone();
    tampered.public_value = Some("drand quicknet round 21834568".to_owned());
    assert_eq!(
        koppel_api::services::lotteries::verify(&tampered),
        [
            "the seed is not SHA-256(secret \":\" public_value): the secret or the public value was changed"
        ]
    );
    run_readme_snippet(&document);
    run_cli_verification(&document);

    // Every candidate gets their outcome by mail; the unplaced ones with an offer read it there.
    let mails: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "lottery_outcome")
        .collect();
    assert_eq!(mails.len(), 5);
    assert!(mails.iter().all(|m| m.body.contains("Je lotnummer is")
        && m.body.contains(koppel_api::mail::PERSONAL_LINK)
        && !m.body.contains("token=")));

    // The public document names candidates by pseudonym only; each candidate learns theirs.
    let real = candidate_ids(&app, id).await;
    assert_eq!(real.len(), 5);
    assert!(real.keys().all(|p| p.starts_with("P-") && p.len() == 18));
    assert!(!text.contains("K-1") && !text.contains("K-2"), "{text}");

    // Second chance: c's two places go to the first two unplaced; the third waits.
    let outcome = &document["outcome"];
    let unplaced: Vec<String> = outcome["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| real[u["candidate"].as_str().unwrap()].clone())
        .collect();
    assert_eq!(unplaced.len(), 3);
    let offers = offers_of(&app, id, &admin).await;
    assert_eq!(offers.items.len(), 2);
    assert_eq!(
        offers
            .items
            .iter()
            .map(|o| o.candidate_id.as_str())
            .collect::<Vec<_>>(),
        unplaced[..2]
    );
    assert!(
        offers
            .items
            .iter()
            .all(|o| o.location_id == "c" && !o.listed)
    );

    // The first unplaced candidate signs in from the mail and declines: final, the place moves on.
    let number = |c: &str| -> usize { c.trim_start_matches("K-").parse().unwrap() };
    let first_candidate = activate_candidate(&app, number(&unplaced[0])).await;
    let mine: MyLotteryResponse = app
        .get("/me/lottery", Some(&first_candidate))
        .await
        .json()
        .await
        .unwrap();
    let outcome_of_first = &mine.items[0];
    assert!(outcome_of_first.lottery_number.is_some());
    let public_id = outcome_of_first.public_id.clone().unwrap();
    assert_eq!(real[&public_id], unplaced[0]);
    assert!(
        app.mail_to(
            &format!("k{}@loting.test", number(&unplaced[0])),
            &public_id
        )
        .await
        .body
        .contains("controledocument")
    );
    assert_eq!(outcome_of_first.placed_at, None);
    let offer = outcome_of_first.offer.clone().unwrap();
    assert_eq!(offer.location_name, "Huisartsopleiding C");
    // Another candidate cannot answer it.
    let someone_else = activate_candidate(&app, number(&unplaced[1])).await;
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/offers/{}/decision", offer.id),
            Some(&someone_else),
            &json!({"accept": true}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let declined = app
        .post(
            &format!("/lotteries/{id}/offers/{}/decision", offer.id),
            Some(&first_candidate),
            &json!({"accept": false}),
        )
        .await;
    assert_eq!(declined.status(), StatusCode::OK);
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/offers/{}/decision", offer.id),
            Some(&first_candidate),
            &json!({"accept": true}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let offers = offers_of(&app, id, &admin).await;
    assert_eq!(offers.items.len(), 3);
    assert_eq!(
        offers.items[2].candidate_id, unplaced[2],
        "moved on to the next"
    );
    assert!(app.outbox().await.iter().any(|m| m.kind == "lottery_offer"
        && m.recipient == format!("k{}@loting.test", number(&unplaced[2]))));

    // The second accepts; the third lets the offer expire: nobody is left, the place stays open.
    let second_offer = offers.items[1].id;
    let accepted = app
        .post(
            &format!("/lotteries/{id}/offers/{second_offer}/decision"),
            Some(&someone_else),
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    lottery_offer::Entity::update_many()
        .col_expr(
            lottery_offer::Column::RespondBy,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let offers = offers_of(&app, id, &admin).await;
    let statuses: Vec<&str> = offers.items.iter().map(|o| o.status.as_str()).collect();
    assert_eq!(statuses, ["declined", "accepted", "expired"]);

    // The report has the published figures.
    let report: LotteryReportResponse = app
        .get(&format!("/lotteries/{id}/report"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            report.applicants,
            report.selected,
            report.second_attempts,
            report.total_in_lottery,
            report.placed_at_preferred,
            report.unplaced,
            report.places_offered,
            report.places_unfilled
        ),
        (8, 5, 0, 5, 2, 3, 4, 2)
    );
    let by_rank: u32 = report.by_preference_rank.iter().map(|r| r.placed).sum();
    assert_eq!(by_rank, 2);
    let c = report.locations.iter().find(|l| l.id == "c").unwrap();
    assert_eq!((c.placed, c.unfilled, c.second_chance), (0, 2, 1));
    assert_eq!(
        (
            report.second_chance.offers,
            report.second_chance.accepted,
            report.second_chance.declined,
            report.second_chance.expired
        ),
        (3, 1, 1, 1)
    );
    let csv = app
        .get(&format!("/lotteries/{id}/report?format=csv"), Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("kind,key,name,value_or_capacity,placed,unfilled,second_chance\n"));
    assert!(csv.contains("figure,applicants,,8,,,\n"));
    assert!(csv.contains("location,c,Huisartsopleiding C,2,0,2,1\n"));
}

async fn offers_of(app: &TestApp, id: Uuid, admin: &str) -> LotteryOfferListResponse {
    app.get(&format!("/lotteries/{id}/offers"), Some(admin))
        .await
        .json()
        .await
        .unwrap()
}

/// The candidate ids of a committed lottery by pseudonym (the public document's ids).
async fn candidate_ids(app: &TestApp, lottery: Uuid) -> HashMap<String, String> {
    use koppel_api::store::entities::lottery_candidate;
    lottery_candidate::Entity::find()
        .filter(lottery_candidate::Column::LotteryId.eq(lottery))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.pseudonym.unwrap(), c.candidate_id))
        .collect()
}

/// Activates candidate `k{n}` from their outcome mail; answers their access token.
async fn activate_candidate(app: &TestApp, n: usize) -> String {
    let email = format!("k{n}@loting.test");
    let token = app.token_from_mail(&email, "/activate").await;
    let response = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<TokenResponse>().await.unwrap().access_token
}

/// The published rule, written again here from the README: the order is ascending SHA-256 of
/// `seed:id`; in that order each candidate takes their highest preference with a place left.
fn recompute_independently(document: &Value) {
    let seed = document["seed"].as_str().unwrap();
    let secret = document["secret"].as_str().unwrap();
    assert_eq!(sha256(secret), document["seed_commitment"]);
    assert_eq!(
        sha256(&format!(
            "{secret}:{}",
            document["public_value"].as_str().unwrap()
        )),
        seed
    );
    let inputs = &document["inputs"];
    let mut text = String::new();
    for l in inputs["locations"].as_array().unwrap() {
        text.push_str(&format!(
            "location:{}:{}\n",
            l["id"].as_str().unwrap(),
            l["capacity"]
        ));
    }
    for c in inputs["candidates"].as_array().unwrap() {
        let preferences: Vec<&str> = c["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        text.push_str(&format!(
            "candidate:{}:{}:{}\n",
            c["id"].as_str().unwrap(),
            u8::from(c["second_attempt"].as_bool().unwrap()),
            preferences.join(",")
        ));
    }
    assert_eq!(sha256(&text), document["inputs_hash"], "inputs hash");
    let mut left: HashMap<String, u64> = inputs["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_owned(),
                l["capacity"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut candidates: Vec<&Value> = inputs["candidates"].as_array().unwrap().iter().collect();
    candidates.sort_by_key(|c| sha256(&format!("{seed}:{}", c["id"].as_str().unwrap())));
    let mut placements = Vec::new();
    for candidate in &candidates {
        for (rank, location) in candidate["preferences"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let location = location.as_str().unwrap();
            if left[location] > 0 {
                *left.get_mut(location).unwrap() -= 1;
                placements.push(json!({"candidate": candidate["id"], "location": location, "preference_rank": rank + 1}));
                break;
            }
        }
    }
    let order: Vec<&Value> = candidates.iter().map(|c| &c["id"]).collect();
    let published: Vec<&Value> = document["outcome"]["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["candidate"])
        .collect();
    assert_eq!(order, published, "order");
    assert_eq!(
        Value::Array(placements),
        document["outcome"]["placements"],
        "placements"
    );
}

/// `koppel verify-lottery FILE` says `verified`, and what differs for a tampered document.
fn run_cli_verification(document: &Value) {
    let dir = std::env::temp_dir().join(format!("koppel-cli-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |doc: &Value| {
        let file = dir.join("lottery.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_koppel"))
            .arg("verify-lottery")
            .arg(&file)
            .output()
            .unwrap()
    };
    let good = run(document);
    assert!(good.status.success(), "{good:?}");
    assert!(String::from_utf8_lossy(&good.stdout).starts_with("verified"));
    let mut tampered = document.clone();
    tampered["public_value"] = json!("another public value");
    let bad = run(&tampered);
    assert!(!bad.status.success());
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert!(
        stdout.contains("DIFFERS: the seed is not SHA-256(secret \":\" public_value)"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the Python snippet of the README on the document; it must say `verified`, and not for a
/// tampered one.
fn run_readme_snippet(document: &Value) {
    let readme = std::fs::read_to_string(crate::helpers::repository_file("README.md")).unwrap();
    let start = readme
        .find("<!-- verify-lottery.py -->")
        .expect("the README has the verification snippet");
    let code = readme[start..]
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    assert!(code.lines().count() <= 20, "a 20-line snippet");
    let dir = std::env::temp_dir().join(format!("koppel-verify-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("verify.py"), code).unwrap();
    let run = |doc: &Value| {
        std::fs::write(dir.join("lottery.json"), doc.to_string()).unwrap();
        std::process::Command::new("python3")
            .arg(dir.join("verify.py"))
            .arg(dir.join("lottery.json"))
            .output()
            .expect("python3 runs the README snippet")
    };
    let good = run(document);
    assert!(good.status.success(), "{:?}", good);
    assert!(String::from_utf8_lossy(&good.stdout).contains("verified"));
    let mut tampered = document.clone();
    tampered["outcome"]["placements"][0]["location"] = json!("c");
    let bad = run(&tampered);
    assert!(!bad.status.success());
    let mut tampered = document.clone();
    tampered["public_value"] = json!("another public value");
    assert!(!run(&tampered).status.success(), "a changed public value");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn unplaced_candidates_are_carried_into_a_later_lottery_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = lottery_with_candidates(&app, &admin, "Loting najaar").await;
    for step in ["commit", "draw"] {
        let response = app
            .post(
                &format!("/lotteries/{first}/{step}"),
                Some(&admin),
                &json!({"public_value": "notaris: 4711"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{step}");
    }
    let document: Value = app
        .get(&format!("/lotteries/{first}/verification"), None)
        .await
        .json()
        .await
        .unwrap();
    let real = candidate_ids(&app, first).await;
    let unplaced: Vec<String> = document["outcome"]["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| real[u["candidate"].as_str().unwrap()].clone())
        .collect();
    let placed = real[document["outcome"]["placements"][0]["candidate"]
        .as_str()
        .unwrap()]
    .clone();

    let second: LotteryResponse = app
        .post(
            "/lotteries",
            Some(&admin),
            &json!({"name": "Loting voorjaar", "draw_on": "2027-05-14", "applicants": 3, "selected": 3}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second = second.id;
    put(
        &app,
        &format!("/lotteries/{second}/locations"),
        &admin,
        &json!({"locations": [{"id": "a", "name": "A", "capacity": 5}, {"id": "b", "name": "B", "capacity": 5}]}),
    )
    .await;
    // Someone placed before cannot enter again.
    let n = |c: &str| c.trim_start_matches("K-").to_owned();
    let problem = assert_problem(
        app.post(
            &format!("/lotteries/{second}/candidates/import"),
            Some(&admin),
            &json!({"rows": [{"id": "P-1", "name": "Al Geplaatst", "email": format!("k{}@loting.test", n(&placed)), "preferences": ["a"], "suitable_on": "2026-10-01"}]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem.errors[0].message.contains("was placed"),
        "{problem:?}"
    );

    let carried: Value = app
        .post(
            &format!("/lotteries/{second}/carry-over"),
            Some(&admin),
            &json!({"from_lottery_id": first}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(carried["added"], 3, "{carried}");
    let candidates: Value = app
        .get(&format!("/lotteries/{second}/candidates"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let items = candidates["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|c| c["second_attempt"] == true));
    for step in ["commit", "draw"] {
        let response = app
            .post(
                &format!("/lotteries/{second}/{step}"),
                Some(&admin),
                &json!({"public_value": "notaris: 815"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{step}");
    }
    let report: LotteryReportResponse = app
        .get(&format!("/lotteries/{second}/report"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.second_attempts, report.placed_at_preferred), (3, 3));

    // A third lottery is refused for people who were in two.
    let third: LotteryResponse = app
        .post(
            "/lotteries",
            Some(&admin),
            &json!({"name": "Loting derde", "draw_on": "2027-11-14", "applicants": 1, "selected": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    put(
        &app,
        &format!("/lotteries/{}/locations", third.id),
        &admin,
        &json!({"locations": [{"id": "a", "name": "A", "capacity": 5}]}),
    )
    .await;
    let problem = assert_problem(
        app.post(
            &format!("/lotteries/{}/candidates/import", third.id),
            Some(&admin),
            &json!({"rows": [{"id": "X-1", "name": "Nog Eens", "email": format!("k{}@loting.test", n(&unplaced[0])), "preferences": ["a"], "suitable_on": "2027-10-01"}]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem.errors[0].message,
        "already took part in two lotteries"
    );
}

#[tokio::test]
async fn a_simulation_estimates_each_candidates_chances_with_progress() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = lottery_with_candidates(&app, &admin, "Loting simulatie").await;
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/simulations"),
            Some(&admin),
            &json!({"draws": 100}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    app.post(&format!("/lotteries/{id}/commit"), Some(&admin), &json!({}))
        .await;
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/simulations"),
            Some(&admin),
            &json!({"draws": 0}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let started = app
        .post(
            &format!("/lotteries/{id}/simulations"),
            Some(&admin),
            &json!({"draws": 2000}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let started: SimulationResponse = started.json().await.unwrap();
    let mut status = started;
    for _ in 0..200 {
        if status.finished {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        status = app
            .get(
                &format!("/lotteries/{id}/simulations/{}", status.id),
                Some(&admin),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(status.done <= status.draws);
    }
    assert!(status.finished);
    assert_eq!(status.done, 2000);
    assert_eq!(status.candidates.len(), 5);
    // Two places for five equal candidates: each is placed in about 40% of the draws.
    let total: f64 = status.candidates.iter().map(|c| c.placed).sum();
    assert!((total - 2.0).abs() < 1e-9, "exactly two placed per draw");
    for candidate in &status.candidates {
        assert!(
            (0.3..0.5).contains(&candidate.placed),
            "{}: {}",
            candidate.id,
            candidate.placed
        );
        assert!(candidate.first_preference <= candidate.placed);
        let p = candidate.placed;
        let expected = (p * (1.0 - p) / 2000.0).sqrt();
        assert!(
            (candidate.placed_standard_error - expected).abs() < 1e-12,
            "the standard error of a share over 2000 draws"
        );
    }
}

#[tokio::test]
async fn only_administrators_run_lotteries_and_only_candidates_answer_their_offers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = lottery_with_candidates(&app, &admin, "Loting rechten").await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let some = Uuid::new_v4();
    let others = [
        app.user_token(Role::TraineeTeam, Some(institute)).await,
        app.user_token(Role::Trainee, Some(institute)).await,
        app.user_token(Role::Candidate, None).await,
    ];
    let gets = [
        "/lotteries".to_owned(),
        format!("/lotteries/{id}"),
        format!("/lotteries/{id}/locations"),
        format!("/lotteries/{id}/candidates"),
        format!("/lotteries/{id}/offers"),
        format!("/lotteries/{id}/report"),
        format!("/lotteries/{id}/simulations/{some}"),
    ];
    for path in &gets {
        for token in &others {
            assert_problem(
                app.get(path, Some(token)).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        assert_problem(
            app.get(path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    let posts = [
        (
            "/lotteries".to_owned(),
            json!({"name": "x", "draw_on": "2026-11-14", "applicants": 1, "selected": 1}),
        ),
        (
            format!("/lotteries/{id}/candidates/import"),
            json!({"rows": []}),
        ),
        (
            format!("/lotteries/{id}/carry-over"),
            json!({"from_lottery_id": some}),
        ),
        (format!("/lotteries/{id}/commit"), json!({})),
        (
            format!("/lotteries/{id}/draw"),
            json!({"public_value": "drand 1"}),
        ),
        (format!("/lotteries/{id}/simulations"), json!({"draws": 10})),
    ];
    for (path, body) in &posts {
        for token in &others {
            assert_problem(
                app.post(path, Some(token), body).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        assert_problem(
            app.post(path, None, body).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    for token in &others {
        let response = put(
            &app,
            &format!("/lotteries/{id}/locations"),
            token,
            &json!({"locations": []}),
        )
        .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // Offers: coordinators and trainees may not answer; a candidate only their own (404).
    for token in &others[..2] {
        assert_problem(
            app.post(
                &format!("/lotteries/{id}/offers/{some}/decision"),
                Some(token),
                &json!({"accept": true}),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.post(
            &format!("/lotteries/{id}/offers/{some}/decision"),
            Some(&others[2]),
            &json!({"accept": true}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The platform outbox (lottery mails) is the administrators'.
    for token in &others {
        assert_problem(
            app.get("/outbox", Some(token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let platform: Value = app.get("/outbox", Some(&admin)).await.json().await.unwrap();
    assert!(platform["items"].is_array());
    // /me/lottery is the candidates'; the verification is public but 404 for unknown ids.
    assert_problem(
        app.get("/me/lottery", Some(&others[1])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mine: MyLotteryResponse = app
        .get("/me/lottery", Some(&others[2]))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.items.is_empty());
    assert_problem(
        app.get(&format!("/lotteries/{some}/verification"), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_server_expires_overdue_offers_and_moves_the_place_on_without_anyone_looking() {
    // The demo lottery is drawn and has open offers; nobody reads or answers them here.
    let app = spawn_app_with(|settings| settings.offer_settle_ms = 100).await;
    koppel_api::seed::seed_demo(&app.db, &crate::helpers::totp_key())
        .await
        .unwrap();
    let open: Vec<lottery_offer::Model> = lottery_offer::Entity::find()
        .filter(lottery_offer::Column::Status.eq("open"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!open.is_empty(), "the demo lottery has open offers");
    let overdue: Vec<Uuid> = open.iter().map(|offer| offer.id).collect();
    lottery_offer::Entity::update_many()
        .col_expr(
            lottery_offer::Column::RespondBy,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)),
        )
        .filter(lottery_offer::Column::Id.is_in(overdue.clone()))
        .exec(&app.db)
        .await
        .unwrap();

    // Wait on the database's state (not the API, whose reads would settle the offers too).
    let mut offers = Vec::new();
    for _ in 0..600 {
        offers = lottery_offer::Entity::find().all(&app.db).await.unwrap();
        let expired = offers
            .iter()
            .filter(|offer| overdue.contains(&offer.id) && offer.status == "expired")
            .count();
        if expired == overdue.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        overdue
            .iter()
            .all(|id| offers.iter().any(|o| o.id == *id && o.status == "expired")),
        "the background task expired every overdue offer"
    );
    let moved_on: Vec<&lottery_offer::Model> = offers
        .iter()
        .filter(|offer| !overdue.contains(&offer.id) && offer.status == "open")
        .collect();
    assert!(
        !moved_on.is_empty(),
        "the places moved on to the next unplaced"
    );
    let mails = app.outbox().await;
    assert!(
        mails
            .iter()
            .filter(|mail| mail.kind == "lottery_offer")
            .count()
            >= moved_on.len(),
        "each new offer is mailed"
    );
}

#[tokio::test]
async fn a_lottery_committed_before_the_upgrade_is_drawn_with_its_committed_seed_as_secret() {
    use koppel_api::store::entities::lottery;
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = lottery_with_candidates(&app, &admin, "Loting van voor de upgrade").await;
    let committed = app
        .post(&format!("/lotteries/{id}/commit"), Some(&admin), &json!({}))
        .await;
    assert_eq!(committed.status(), StatusCode::OK);
    // As the commit stored it before: the seed itself, published as its SHA-256, no nonce.
    let old_seed = "ab".repeat(32);
    lottery::Entity::update_many()
        .col_expr(
            lottery::Column::SecretNonce,
            Expr::value(Option::<String>::None),
        )
        .col_expr(lottery::Column::Seed, Expr::value(Some(old_seed.clone())))
        .col_expr(
            lottery::Column::SeedCommitment,
            Expr::value(Some(sha256(&old_seed))),
        )
        .filter(lottery::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let drawn: LotteryResponse = app
        .post(
            &format!("/lotteries/{id}/draw"),
            Some(&admin),
            &json!({"public_value": "notaris: 42"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drawn.secret.as_deref(), Some(old_seed.as_str()));
    let document: koppel_api::services::lotteries::LotteryVerification = app
        .get(&format!("/lotteries/{id}/verification"), None)
        .await
        .json()
        .await
        .unwrap();
    assert!(koppel_api::services::lotteries::verify(&document).is_empty());
}
