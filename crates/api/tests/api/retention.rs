//! A closed round's personal data is deleted the institute's number of months after it closed,
//! by the retention task, tested by moving its clock; the couplings and history stay.

use chrono::{Duration, Months, Utc};
use koppel_api::services::retention::purge_due;
use koppel_api::store;
use koppel_api_types::Role;
use koppel_domain::Phase;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn count(app: &TestApp, path: &str, token: &str) -> usize {
    let list: Value = app.get(path, Some(token)).await.json().await.unwrap();
    list["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_closed_rounds_personal_data_goes_after_the_retention_period() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let trainee_token = app.user_token(Role::Trainee, Some(institute)).await;
    let patch = |token: &str, body: Value| {
        let request = app
            .client
            .patch(app.url(&format!("/institutes/{institute}")))
            .bearer_auth(token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    // Twelve months unless the institute sets otherwise; 1 to 120; not by trainees.
    let shown: Value = app
        .get(&format!("/institutes/{institute}"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["retention_months"], 12);
    for months in [0, 121] {
        let problem = assert_problem(
            patch(&a_team, json!({"retention_months": months})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, "retention_months");
    }
    assert_problem(
        patch(&trainee_token, json!({"retention_months": 6})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let set: Value = patch(&a_team, json!({"retention_months": 6}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(set["retention_months"], 6);
    assert_eq!(set["require_two_factor"], false, "the other setting stays");
    let unchanged = patch(&a_team, json!({})).await;
    assert_eq!(
        unchanged.status(),
        StatusCode::OK,
        "an empty change changes nothing"
    );
    let unchanged: Value = unchanged.json().await.unwrap();
    assert_eq!(unchanged["retention_months"], 6);

    // A round with a CV, a veto and a published coupling, then closed.
    let mut trainers = Vec::new();
    for n in 1..=2 {
        let (name, email) = (format!("Dr. Opleider {n}"), format!("opleider{n}@x.nl"));
        trainers.push(app.new_trainer(institute, &o_team, &name, &email).await);
    }
    let trainee = app
        .new_trainee(
            institute,
            &a_team,
            "Sanne Jansen",
            "sanne@x.nl",
            "2027-09-01",
        )
        .await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    app.add_round_trainee(round, &a_team, trainee).await;
    for trainer in &trainers {
        app.add_round_trainer(round, &o_team, *trainer).await;
    }
    let sanne = app.activate_from_mail("sanne@x.nl").await;
    let cv = app
        .client
        .put(app.url("/me/trainee-profile/cv"))
        .bearer_auth(&sanne)
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(cv.status(), StatusCode::NO_CONTENT);
    assert!(
        store::rounds::set_phase(&app.db, round, Phase::Draft, Phase::Preferences, Utc::now())
            .await
            .unwrap()
    );
    let veto = app
        .post(&format!("/rounds/{round}/vetoes"), Some(&sanne), &json!({"counterpart_id": trainers[1], "category": "personal_relationship", "relationship": "family"}))
        .await;
    assert_eq!(veto.status(), StatusCode::CREATED);
    assert!(
        store::rounds::set_phase(
            &app.db,
            round,
            Phase::Preferences,
            Phase::Coupling,
            Utc::now()
        )
        .await
        .unwrap()
    );
    let manual = app
        .post(
            &format!("/rounds/{round}/manual-couplings"),
            Some(&a_team),
            &json!({"trainee_id": trainee, "trainer_id": trainers[0], "reason": "gesprek gevoerd"}),
        )
        .await;
    assert_eq!(manual.status(), StatusCode::CREATED);
    let run: Value = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(&a_team),
            &json!({"objective": "total"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let run_id = run["run"]["id"].as_str().unwrap();
    assert!(
        app.post(
            &format!("/rounds/{round}/coupling-runs/{run_id}/publish"),
            Some(&a_team),
            &json!({})
        )
        .await
        .status()
        .is_success()
    );
    let closed = app
        .post(
            &format!("/rounds/{round}/transitions"),
            Some(&a_team),
            &json!({"to": "closed"}),
        )
        .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let closed_at = Utc::now();
    let cv_path = format!("/institutes/{institute}/trainees/{trainee}/cv");
    assert_eq!(
        app.get(&cv_path, Some(&a_team)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        count(&app, &format!("/rounds/{round}/vetoes"), &a_team).await,
        1
    );

    // Not before the six months are over.
    let early = closed_at.checked_add_months(Months::new(6)).unwrap() - Duration::days(1);
    assert_eq!(purge_due(&app.db, early).await.unwrap(), 0);
    assert_eq!(
        count(&app, &format!("/rounds/{round}/vetoes"), &a_team).await,
        1
    );
    // Then vetoes, runs and the CV go; the coupling and the history stay.
    let later = closed_at.checked_add_months(Months::new(6)).unwrap() + Duration::minutes(1);
    assert_eq!(purge_due(&app.db, later).await.unwrap(), 1);
    assert_eq!(
        count(&app, &format!("/rounds/{round}/vetoes"), &a_team).await,
        0
    );
    assert_eq!(
        count(&app, &format!("/rounds/{round}/coupling-runs"), &a_team).await,
        0
    );
    assert_eq!(
        app.get(&cv_path, Some(&a_team)).await.status(),
        StatusCode::NOT_FOUND
    );
    let mine: Value = app
        .get(&format!("/rounds/{round}/coupling/mine"), Some(&sanne))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["coupled"], true);
    assert_eq!(mine["name"], "Dr. Opleider 1");
    let history: Value = app
        .get(
            &format!("/institutes/{institute}/trainees/{trainee}"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["history"].as_array().unwrap().len(), 1);
    let audit: Value = app
        .get(&format!("/rounds/{round}/audit"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "round.purged")
    );
    // Once done, a round is not purged again.
    assert_eq!(
        purge_due(&app.db, later + Duration::days(400))
            .await
            .unwrap(),
        0
    );
}
