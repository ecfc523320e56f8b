//! Round after round: a published coupling writes the trainee's history and the trainer's
//! `coupled_until`, and the later year-3 round of the same trainees follows from it (the year-1
//! trainer excluded with its reason, the large-scale rule, the continuity order) with nothing
//! typed in between. A withdrawal after publication corrects it.

use chrono::Utc;
use koppel_api::store;
use koppel_api_types::Role;
use koppel_domain::Phase;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, id_of, spawn_app};

/// A round in draft with these participants, moved straight to the coupling step: the steps
/// before it are the round flow test's subject, not this one's.
async fn round_in_coupling(
    app: &TestApp,
    institute: Uuid,
    (token, o_team): (&str, &str),
    (month, year): (&str, i32),
    trainees: &[Uuid],
    trainers: &[Uuid],
) -> Uuid {
    let round = id_of(
        app.post(
            &format!("/institutes/{institute}/rounds"),
            Some(token),
            &json!({"start_month": month, "start_year": year}),
        )
        .await,
    )
    .await;
    for trainee in trainees {
        let added = app
            .post(
                &format!("/rounds/{round}/trainees"),
                Some(token),
                &json!({"trainee_id": trainee}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT, "trainee {trainee}");
    }
    for trainer in trainers {
        let added = app
            .post(
                &format!("/rounds/{round}/trainers"),
                Some(o_team),
                &json!({"trainer_id": trainer}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT, "trainer {trainer}");
    }
    assert!(
        store::rounds::set_phase(&app.db, round, Phase::Draft, Phase::Coupling, Utc::now())
            .await
            .unwrap()
    );
    round
}

async fn couple(
    app: &TestApp,
    round: Uuid,
    token: &str,
    trainee: Uuid,
    trainer: Uuid,
) -> reqwest::Response {
    app.post(
        &format!("/rounds/{round}/manual-couplings"),
        Some(token),
        &json!({"trainee_id": trainee, "trainer_id": trainer, "reason": "gesprek gevoerd"}),
    )
    .await
}

/// Computes a run and publishes it.
async fn publish(app: &TestApp, round: Uuid, token: &str) {
    let run: Value = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(token),
            &json!({"objective": "total"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let run_id = run["run"]["id"].as_str().unwrap();
    let published = app
        .post(
            &format!("/rounds/{round}/coupling-runs/{run_id}/publish"),
            Some(token),
            &json!({}),
        )
        .await;
    assert!(published.status().is_success(), "{}", published.status());
}

async fn trainee(app: &TestApp, institute: Uuid, token: &str, id: Uuid) -> Value {
    app.get(
        &format!("/institutes/{institute}/trainees/{id}"),
        Some(token),
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn trainer(app: &TestApp, institute: Uuid, token: &str, id: Uuid) -> Value {
    app.get(
        &format!("/institutes/{institute}/trainers/{id}"),
        Some(token),
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn continuity(app: &TestApp, round: Uuid, token: &str) -> Vec<String> {
    let list: Value = app
        .get(&format!("/rounds/{round}/candidate-trainers"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    let mut items = list["items"].as_array().unwrap().clone();
    items.sort_by_key(|item| item["continuity_rank"].as_u64());
    items
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_published_year_1_coupling_decides_the_year_3_round_of_the_same_trainees() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;

    // Trainers: A is not linked to a large-scale structure, F neither; D had a trainee until
    // the end of 2026 (entered by hand, from before Koppel); the others never had one.
    let mut trainers = std::collections::HashMap::new();
    for (name, large_scale, last) in [
        ("Opleider A", false, None),
        ("Opleider B", true, None),
        ("Opleider C", true, None),
        ("Opleider D", true, Some("2026-12-31")),
        ("Opleider E", true, None),
        ("Opleider F", false, None),
    ] {
        let body = json!({"name": name, "email": format!("{}@x.nl", name.replace(' ', ".").to_lowercase()),
            "eligible_year1": true, "eligible_year3": true, "large_scale_structure": large_scale, "last_trainee_end": last});
        let id = id_of(
            app.post(
                &format!("/institutes/{institute}/trainers"),
                Some(&o_team),
                &body,
            )
            .await,
        )
        .await;
        trainers.insert(name.trim_start_matches("Opleider ").to_owned(), id);
    }
    let t = |letter: &str| trainers[letter];
    // Two trainees start in March 2028, full time: year 3 starts in March 2030.
    let mut trainees = Vec::new();
    for name in ["Xander", "Yara"] {
        let body = json!({"name": name, "email": format!("{}@x.nl", name.to_lowercase()), "training_start": "2028-03-01"});
        trainees.push(
            id_of(
                app.post(
                    &format!("/institutes/{institute}/trainees"),
                    Some(&a_team),
                    &body,
                )
                .await,
            )
            .await,
        );
    }
    let (x, y) = (trainees[0], trainees[1]);

    // The March 2028 round couples them for year 1: Xander with A, Yara with B.
    let all: Vec<Uuid> = ["A", "B", "C", "D", "E", "F"]
        .iter()
        .map(|l| t(l))
        .collect();
    let first = round_in_coupling(
        &app,
        institute,
        (&a_team, &o_team),
        ("march", 2028),
        &trainees,
        &all,
    )
    .await;
    assert_eq!(
        continuity(&app, first, &a_team).await,
        [
            "Opleider A",
            "Opleider B",
            "Opleider C",
            "Opleider E",
            "Opleider F",
            "Opleider D"
        ]
    );
    assert_eq!(
        couple(&app, first, &a_team, x, t("A")).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        couple(&app, first, &a_team, y, t("B")).await.status(),
        StatusCode::CREATED
    );
    // Not history before publication.
    assert_eq!(
        trainee(&app, institute, &a_team, x).await["history"],
        json!([])
    );
    publish(&app, first, &a_team).await;

    // Publication wrote the history: trainer, year, placement start, planned end, the round.
    let history = trainee(&app, institute, &a_team, x).await["history"].clone();
    assert_eq!(
        history,
        json!([{"trainer_id": t("A"), "training_year": 1, "starts_on": "2028-03-01", "ends_on": "2029-02-28", "round_id": first}])
    );
    assert_eq!(
        trainer(&app, institute, &o_team, t("A")).await["coupled_until"],
        "2029-02-28"
    );
    assert_eq!(
        trainer(&app, institute, &o_team, t("C")).await["coupled_until"],
        Value::Null
    );
    // Editing the trainee keeps it (even when the client sends back what it read).
    let mut edited = trainee(&app, institute, &a_team, x).await;
    let body = json!({"name": "Xander de Boer", "email": edited["email"], "training_start": edited["training_start"], "history": edited["history"].take()});
    let saved = app
        .client
        .put(app.url(&format!("/institutes/{institute}/trainees/{x}")))
        .bearer_auth(&a_team)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(
        trainee(&app, institute, &a_team, x).await["history"],
        history
    );

    // The March 2030 round couples the same two for year 3, and knows what happened.
    let third = round_in_coupling(
        &app,
        institute,
        (&a_team, &o_team),
        ("march", 2030),
        &trainees,
        &all,
    )
    .await;
    let due: Value = app
        .get(&format!("/rounds/{third}/due-trainees"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(due["items"].as_array().unwrap().len(), 2);
    // Continuity: those who never had a trainee first, then D (end of 2026), then A and B,
    // whose trainees left in February 2029.
    assert_eq!(
        continuity(&app, third, &a_team).await,
        [
            "Opleider C",
            "Opleider E",
            "Opleider F",
            "Opleider D",
            "Opleider A",
            "Opleider B"
        ]
    );
    // Each year-1 trainer is excluded, with the reason.
    for (who, previous) in [(x, "A"), (y, "B")] {
        let refused = couple(&app, third, &a_team, who, t(previous)).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = refused.json().await.unwrap();
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("year-1 trainer"), "{message}");
    }
    // The large-scale rule: Xander's only trainer (A) was not linked to a large-scale structure,
    // so F is not possible for him either; Yara had B, who was, so F is.
    let refused = couple(&app, third, &a_team, x, t("F")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = refused.json().await.unwrap();
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("large-scale"), "{message}");
    assert_eq!(
        couple(&app, third, &a_team, y, t("F")).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        couple(&app, third, &a_team, x, t("C")).await.status(),
        StatusCode::CREATED
    );
    publish(&app, third, &a_team).await;
    let both = trainee(&app, institute, &a_team, y).await["history"].clone();
    assert_eq!(both.as_array().unwrap().len(), 2);
    assert_eq!(both[1]["training_year"], 3);
    assert_eq!(both[1]["starts_on"], "2030-03-01");
    assert_eq!(both[1]["ends_on"], "2031-02-28");

    // A withdrawal after publication corrects what it changes: Xander leaves the 2030 round.
    let withdrawn = app
        .post(
            &format!("/rounds/{third}/withdrawals"),
            Some(&a_team),
            &json!({"trainee_id": x, "reason": "verhuisd"}),
        )
        .await;
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    let left = trainee(&app, institute, &a_team, x).await["history"].clone();
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_eq!(left[0]["round_id"], json!(first));
    assert_eq!(
        trainer(&app, institute, &o_team, t("C")).await["coupled_until"],
        Value::Null
    );
    assert_eq!(
        trainer(&app, institute, &o_team, t("F")).await["coupled_until"],
        "2031-02-28"
    );
}

#[tokio::test]
async fn a_duo_practice_takes_two_trainees_and_everything_shows_both() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let trainee_token = app.user_token(Role::Trainee, Some(institute)).await;
    let duo = id_of(
        app.post(
            &format!("/institutes/{institute}/trainers"),
            Some(&o_team),
            &json!({"name": "Dr. Duo", "email": "duo@x.nl", "eligible_year1": true, "eligible_year3": true}),
        )
        .await,
    )
    .await;
    let outsider = id_of(
        app.post(
            &format!("/institutes/{institute}/trainers"),
            Some(&o_team),
            &json!({"name": "Dr. Anders", "email": "anders@x.nl", "eligible_year1": true, "eligible_year3": true}),
        )
        .await,
    )
    .await;
    let mut trainees = Vec::new();
    for name in ["Xander", "Yara"] {
        let body = json!({"name": name, "email": format!("{}@x.nl", name.to_lowercase()), "training_start": "2028-03-01"});
        trainees.push(
            id_of(
                app.post(
                    &format!("/institutes/{institute}/trainees"),
                    Some(&a_team),
                    &body,
                )
                .await,
            )
            .await,
        );
    }
    let round = round_in_coupling(
        &app,
        institute,
        (&a_team, &o_team),
        ("march", 2028),
        &trainees,
        &[duo],
    )
    .await;
    let capacity = |token: &str, trainer: Uuid, value: Value| {
        let request = app
            .client
            .put(app.url(&format!("/rounds/{round}/trainers/{trainer}")))
            .bearer_auth(token)
            .json(&json!({"capacity": value}));
        async move { request.send().await.unwrap() }
    };
    // Who may set it, and to what.
    assert_eq!(
        capacity(&trainee_token, duo, json!(2)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        capacity(&a_team, duo, json!(2)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        capacity(&o_team, duo, json!(5)).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        capacity(&o_team, outsider, json!(2)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        capacity(&o_team, duo, json!(2)).await.status(),
        StatusCode::NO_CONTENT
    );
    let list: Value = app
        .get(
            &format!("/rounds/{round}/candidate-trainers"),
            Some(&o_team),
        )
        .await
        .json()
        .await
        .unwrap();
    let entry = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["trainer_id"] == json!(duo))
        .unwrap()
        .clone();
    assert_eq!(entry["capacity"], 2);

    // Both trainees go to the duo practice; then it cannot go back to one place.
    for trainee in &trainees {
        assert_eq!(
            couple(&app, round, &a_team, *trainee, duo).await.status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        capacity(&o_team, duo, json!(1)).await.status(),
        StatusCode::CONFLICT
    );
    publish(&app, round, &a_team).await;

    // The trainer's result page, the mail and the history show both.
    let token = app.activate_from_mail("duo@x.nl").await;
    let mine: Value = app
        .get(&format!("/rounds/{round}/coupling/mine"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let mut names: Vec<&str> = mine["counterparts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Xander", "Yara"]);
    // The manual couplings were made before publication: its mail names both.
    let mut published = None;
    for _ in 0..400 {
        published = app.mail.received().into_iter().find(|mail| {
            mail.recipients.iter().any(|r| r == "duo@x.nl")
                && mail.body.contains("Xander")
                && mail.body.contains("Yara")
        });
        if published.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mail = published.expect("the publication mail names both trainees");
    assert!(mail.subject.contains("maart 2028"), "{}", mail.subject);
    for id in &trainees {
        let history = trainee(&app, institute, &a_team, *id).await["history"].clone();
        assert_eq!(history[0]["trainer_id"], json!(duo));
    }
    assert_eq!(
        trainer(&app, institute, &o_team, duo).await["coupled_until"],
        "2029-02-28"
    );
}
