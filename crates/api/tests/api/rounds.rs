//! Rounds: creation from the calendar, guarded phases, participants in curriculum and
//! continuity order, the audit log, and who may do what.

use koppel_api_types::{CandidateTrainerListResponse, DueTraineeListResponse, Role, RoundResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

struct Setup {
    institute: Uuid,
    a_team: String,
    o_team: String,
}

async fn setup(app: &TestApp) -> Setup {
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    Setup {
        institute,
        a_team: app.user_token(Role::TraineeTeam, Some(institute)).await,
        o_team: app.user_token(Role::TrainerTeam, Some(institute)).await,
    }
}

async fn create_round(app: &TestApp, setup: &Setup, body: Value) -> reqwest::Response {
    app.post(
        &format!("/institutes/{}/rounds", setup.institute),
        Some(&setup.a_team),
        &body,
    )
    .await
}

async fn id_of(response: reqwest::Response) -> Uuid {
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_round_gets_its_schedule_from_the_calendar() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let response = create_round(
        &app,
        &setup,
        json!({"start_month": "september", "start_year": 2027}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let round: RoundResponse = response.json().await.unwrap();
    assert_eq!(round.phase, "draft");
    assert_eq!(round.training_years, [1, 3]);
    assert_eq!(round.schedule.opens.to_string(), "2027-06-01");
    assert_eq!(round.schedule.profiles_deadline.to_string(), "2027-06-11");
    assert_eq!(
        round.schedule.preferences_deadline.to_string(),
        "2027-06-25"
    );
    assert_eq!(
        round.schedule.final_ranking_deadline.to_string(),
        "2027-07-12"
    );

    let duplicate = create_round(
        &app,
        &setup,
        json!({"start_month": "september", "start_year": 2027}),
    )
    .await;
    assert_problem(duplicate, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn the_same_round_created_at_once_by_several_requests_exists_once_and_nobody_gets_a_500() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let body = json!({"start_month": "march", "start_year": 2028});
    let answers =
        futures_util::future::join_all((0..6).map(|_| create_round(&app, &setup, body.clone())))
            .await;
    let mut statuses: Vec<u16> = answers.iter().map(|a| a.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409]);
}

#[tokio::test]
async fn impossible_rounds_and_disordered_deadlines_are_refused_with_the_reason() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let problem = assert_problem(
        create_round(
            &app,
            &setup,
            json!({"start_month": "june", "start_year": 2027, "training_years": [1]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "training_years");
    assert_eq!(
        problem.errors[0].message,
        "year 1 trainees do not start in June: June placements are for year 3 only"
    );

    let problem = assert_problem(
        create_round(
            &app,
            &setup,
            json!({"start_month": "april", "start_year": 2027}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "start_month");

    let problem = assert_problem(
        create_round(&app, &setup, json!({"start_month": "march", "start_year": 2028, "preferences_deadline": "2027-12-02"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "preferences_deadline");
}

#[tokio::test]
async fn participants_follow_the_curriculum_and_the_continuity_order() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let institute = setup.institute;
    let trainees = [
        ("Nieuw September", "2027-09-01", 1.0, 0),
        ("Jaar drie", "2025-09-01", 1.0, 0),
        ("Deeltijd", "2025-03-01", 0.8, 0),
        ("Verlengd", "2025-09-01", 1.0, 10),
    ];
    let mut ids = Vec::new();
    for (name, start, factor, leave) in trainees {
        let body = json!({"name": name, "email": format!("{}@x.nl", name.replace(' ', ".")), "training_start": start, "part_time_factor": factor, "leave_days": leave});
        ids.push(
            id_of(
                app.post(
                    &format!("/institutes/{institute}/trainees"),
                    Some(&setup.a_team),
                    &body,
                )
                .await,
            )
            .await,
        );
    }
    for (name, year1, year3, last) in [
        ("Visser", true, true, Some("2026-08-31")),
        ("Aalders", false, true, None),
        ("Bakker", true, false, Some("2025-02-28")),
        ("Smit", true, true, None),
    ] {
        let body = json!({"name": name, "email": format!("{name}@x.nl"), "eligible_year1": year1, "eligible_year3": year3, "last_trainee_end": last});
        app.post(
            &format!("/institutes/{institute}/trainers"),
            Some(&setup.o_team),
            &body,
        )
        .await;
    }
    let round = id_of(
        create_round(
            &app,
            &setup,
            json!({"start_month": "september", "start_year": 2027}),
        )
        .await,
    )
    .await;

    let due: DueTraineeListResponse = app
        .get(
            &format!("/rounds/{round}/due-trainees"),
            Some(&setup.a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    let due: Vec<(&str, u8)> = due
        .items
        .iter()
        .map(|d| (d.name.as_str(), d.training_year))
        .collect();
    assert_eq!(
        due,
        [("Deeltijd", 3), ("Jaar drie", 3), ("Nieuw September", 1)]
    );

    let candidates: CandidateTrainerListResponse = app
        .get(
            &format!("/rounds/{round}/candidate-trainers"),
            Some(&setup.o_team),
        )
        .await
        .json()
        .await
        .unwrap();
    let order: Vec<(&str, u32)> = candidates
        .items
        .iter()
        .map(|c| (c.name.as_str(), c.continuity_rank))
        .collect();
    assert_eq!(
        order,
        [("Aalders", 1), ("Smit", 2), ("Bakker", 3), ("Visser", 4)]
    );

    // The A-team adds a due trainee; one not due is refused with the dates.
    assert_eq!(
        app.post(
            &format!("/rounds/{round}/trainees"),
            Some(&setup.a_team),
            &json!({"trainee_id": ids[1]})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let problem = assert_problem(
        app.post(
            &format!("/rounds/{round}/trainees"),
            Some(&setup.a_team),
            &json!({"trainee_id": ids[3]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem.errors[0]
            .message
            .contains("year 3 starts 2027-12-01"),
        "{}",
        problem.errors[0].message
    );
    assert_problem(
        app.post(
            &format!("/rounds/{round}/trainees"),
            Some(&setup.a_team),
            &json!({"trainee_id": ids[1]}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // The O-team adds trainers, not trainees.
    assert_problem(
        app.post(
            &format!("/rounds/{round}/trainees"),
            Some(&setup.o_team),
            &json!({"trainee_id": ids[0]}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let trainer = candidates.items[0].trainer_id;
    assert_eq!(
        app.post(
            &format!("/rounds/{round}/trainers"),
            Some(&setup.o_team),
            &json!({"trainer_id": trainer, "capacity": 2})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.post(
            &format!("/rounds/{round}/trainers"),
            Some(&setup.o_team),
            &json!({"trainer_id": candidates.items[1].trainer_id, "capacity": 9}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let round_now: RoundResponse = app
        .get(&format!("/rounds/{round}"), Some(&setup.a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((round_now.trainees, round_now.trainers), (1, 1));
}

#[tokio::test]
async fn phase_changes_are_guarded_and_audited() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let round = id_of(
        create_round(
            &app,
            &setup,
            json!({"start_month": "december", "start_year": 2027}),
        )
        .await,
    )
    .await;
    let transition = |to: &str| json!({"to": to});

    let problem = assert_problem(
        app.post(
            &format!("/rounds/{round}/transitions"),
            Some(&setup.a_team),
            &transition("profiles"),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        problem.detail.starts_with("the round has no participants"),
        "{}",
        problem.detail
    );
    let problem = assert_problem(
        app.post(
            &format!("/rounds/{round}/transitions"),
            Some(&setup.a_team),
            &transition("coupling"),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(
        problem.detail,
        "a round in phase 'draft' cannot move to 'coupling'; the next phase is 'profiles'"
    );
    assert_problem(
        app.post(
            &format!("/rounds/{round}/transitions"),
            Some(&setup.a_team),
            &transition("nonsense"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let cancelled = app
        .post(
            &format!("/rounds/{round}/transitions"),
            Some(&setup.o_team),
            &transition("cancelled"),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let audit: Value = app
        .get(&format!("/rounds/{round}/audit"), Some(&setup.a_team))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["round.created", "round.phase_changed"]);
    assert_eq!(audit["items"][1]["summary"], "phase draft -> cancelled");
}

#[tokio::test]
async fn who_may_see_and_change_rounds() {
    let app = spawn_app().await;
    let setup = setup(&app).await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign = app.user_token(Role::TrainerTeam, Some(other)).await;
    let trainee = app.user_token(Role::Trainee, Some(setup.institute)).await;
    let trainer = app.user_token(Role::Trainer, Some(setup.institute)).await;
    let round = id_of(
        create_round(
            &app,
            &setup,
            json!({"start_month": "march", "start_year": 2028}),
        )
        .await,
    )
    .await;

    let reads = [
        format!("/rounds/{round}"),
        format!("/rounds/{round}/due-trainees"),
        format!("/rounds/{round}/candidate-trainers"),
        format!("/rounds/{round}/audit"),
        format!("/institutes/{}/rounds", setup.institute),
    ];
    for path in &reads {
        assert_eq!(
            app.get(path, Some(&setup.o_team)).await.status(),
            StatusCode::OK,
            "{path}"
        );
        assert_problem(
            app.get(path, Some(&foreign)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.get(path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
        for token in [&trainee, &trainer] {
            assert_problem(
                app.get(path, Some(token)).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
    }
    let body = json!({"start_month": "june", "start_year": 2028});
    assert_problem(
        app.post(
            &format!("/institutes/{}/rounds", setup.institute),
            Some(&trainee),
            &body,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/institutes/{}/rounds", setup.institute),
            Some(&foreign),
            &body,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/rounds/{round}/transitions"),
            Some(&foreign),
            &json!({"to": "cancelled"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/rounds/{round}/transitions"),
            Some(&trainer),
            &json!({"to": "cancelled"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&format!("/rounds/{}", Uuid::new_v4()), Some(&setup.a_team))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
