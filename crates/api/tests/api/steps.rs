//! Step 2 through the API: participants get accounts, trainees rank trainers, coordinators
//! generate and publish the interview proposal, and both sides see their interviews.

use koppel_api_types::{
    MyCouplingResponse, MyInterviewsResponse, PreferencesResponse, RankableTrainerListResponse,
    Role, RoundPreferencesResponse,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

struct Round {
    id: Uuid,
    a_team: String,
    trainees: Vec<(String, String)>,
    trainers: Vec<(Uuid, String, String)>,
}

async fn id_of(response: reqwest::Response) -> Uuid {
    assert!(response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

/// A round in `preferences` with two trainees and three trainers, all activated.
async fn round_in_preferences(app: &TestApp, start_year: i32) -> Round {
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let mut trainer_ids = Vec::new();
    for (name, email) in [
        ("Dr. Aalders", "aalders@x.nl"),
        ("Dr. Bakker", "bakker@x.nl"),
        ("Dr. Visser", "visser@x.nl"),
    ] {
        let body = json!({"name": name, "email": email, "eligible_year1": true, "eligible_year3": true, "large_scale_structure": true});
        trainer_ids.push((
            id_of(
                app.post(
                    &format!("/institutes/{institute}/trainers"),
                    Some(&o_team),
                    &body,
                )
                .await,
            )
            .await,
            email,
        ));
    }
    let year3_start = format!("{}-09-01", start_year - 2);
    let year1_start = format!("{start_year}-09-01");
    let mut trainee_ids = Vec::new();
    for (name, email, start) in [
        ("Sanne Jansen", "sanne@x.nl", &year3_start),
        ("Mo de Wit", "mo@x.nl", &year1_start),
    ] {
        let body = json!({"name": name, "email": email, "training_start": start});
        trainee_ids.push((
            id_of(
                app.post(
                    &format!("/institutes/{institute}/trainees"),
                    Some(&a_team),
                    &body,
                )
                .await,
            )
            .await,
            email,
        ));
    }
    let round = id_of(
        app.post(
            &format!("/institutes/{institute}/rounds"),
            Some(&a_team),
            &json!({"start_month": "september", "start_year": start_year}),
        )
        .await,
    )
    .await;
    for (id, _) in &trainee_ids {
        assert_eq!(
            app.post(
                &format!("/rounds/{round}/trainees"),
                Some(&a_team),
                &json!({"trainee_id": id})
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
    }
    for (id, _) in &trainer_ids {
        assert_eq!(
            app.post(
                &format!("/rounds/{round}/trainers"),
                Some(&o_team),
                &json!({"trainer_id": id})
            )
            .await
            .status(),
            StatusCode::NO_CONTENT
        );
    }
    let mut trainees = Vec::new();
    for (_, email) in &trainee_ids {
        trainees.push((email.to_string(), app.activate_from_mail(email).await));
    }
    let mut trainers = Vec::new();
    for (id, email) in &trainer_ids {
        trainers.push((*id, email.to_string(), app.activate_from_mail(email).await));
    }
    for phase in ["profiles", "preferences"] {
        let moved = app
            .post(
                &format!("/rounds/{round}/transitions"),
                Some(&a_team),
                &json!({"to": phase}),
            )
            .await;
        assert_eq!(moved.status(), StatusCode::OK, "to {phase}");
    }
    Round {
        id: round,
        a_team,
        trainees,
        trainers,
    }
}

/// A trainee's step-2 list, which must be accepted.
async fn submit_preferences(app: &TestApp, round: Uuid, token: &str, order: &[Uuid]) {
    let response = app
        .client
        .put(app.url(&format!("/rounds/{round}/preferences")))
        .bearer_auth(token)
        .json(&json!({"trainer_ids": order}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn adding_participants_invites_them_and_links_their_accounts() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let invitations = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "invitation")
        .count();
    assert_eq!(invitations, 5, "two trainees and three trainers");
    let me: Value = app
        .get("/me", Some(&round.trainees[0].1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "trainee");
}

#[tokio::test]
async fn trainees_rank_trainers_and_errors_name_the_entries() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let sanne = &round.trainees[0].1;
    let rankable: RankableTrainerListResponse = app
        .get(&format!("/rounds/{r}/rankable-trainers"), Some(sanne))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rankable.items.len(), 3);
    assert_eq!(rankable.minimum, 3);
    let [t1, t2, t3] = [
        round.trainers[0].0,
        round.trainers[1].0,
        round.trainers[2].0,
    ];

    let put = |token: &String, ids: Vec<Uuid>| {
        let request = app
            .client
            .put(app.url(&format!("/rounds/{r}/preferences")))
            .bearer_auth(token.clone())
            .json(&json!({"trainer_ids": ids}));
        async move { request.send().await.unwrap() }
    };
    let problem = assert_problem(
        put(sanne, vec![t2, t2, Uuid::nil()]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["trainer_ids[1]", "trainer_ids[2]"]);
    let problem = assert_problem(
        put(sanne, vec![t2]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].message, "rank at least 3 entries, got 1");

    // Nothing stored yet: an empty list, not a 404.
    let mine: PreferencesResponse = app
        .get(&format!("/rounds/{r}/preferences/mine"), Some(sanne))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.trainer_ids.is_empty());

    assert_eq!(put(sanne, vec![t2, t1, t3]).await.status(), StatusCode::OK);
    let mine: PreferencesResponse = app
        .get(&format!("/rounds/{r}/preferences/mine"), Some(sanne))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.trainer_ids, [t2, t1, t3]);

    // Trainers do not rank in step 2; coordinators see who has not submitted.
    assert_problem(
        put(&round.trainers[0].2, vec![t1, t2, t3]).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let all: RoundPreferencesResponse = app
        .get(&format!("/rounds/{r}/preferences"), Some(&round.a_team))
        .await
        .json()
        .await
        .unwrap();
    let submitted: Vec<(&str, bool)> = all
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.submitted))
        .collect();
    assert_eq!(submitted, [("Mo de Wit", false), ("Sanne Jansen", true)]);
    assert_problem(
        app.get(&format!("/rounds/{r}/preferences"), Some(sanne))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_interview_proposal_is_generated_published_and_guards_the_next_phase() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let [t1, t2, t3] = [
        round.trainers[0].0,
        round.trainers[1].0,
        round.trainers[2].0,
    ];
    for ((_, token), order) in round
        .trainees
        .iter()
        .zip([vec![t1, t2, t3], vec![t1, t3, t2]])
    {
        submit_preferences(&app, r, token, &order).await;
    }

    let early = app
        .post(
            &format!("/rounds/{r}/transitions"),
            Some(&round.a_team),
            &json!({"to": "interviews"}),
        )
        .await;
    let problem = assert_problem(early, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(
        problem.detail,
        "publish the interview proposal before the interviews start"
    );
    assert_problem(
        app.post(
            &format!("/rounds/{r}/interview-proposal/publish"),
            Some(&round.a_team),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let proposal: Value = app
        .post(
            &format!("/rounds/{r}/interview-proposal"),
            Some(&round.a_team),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(proposal["guarantee"]["complete"], true);
    assert_eq!(proposal["score"]["covered_trainers"], 3);
    assert_problem(
        app.post(
            &format!("/rounds/{r}/interview-proposal"),
            Some(&round.trainees[0].1),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Coordinators adjust a trainee's candidates by hand before publishing.
    let sanne_id = proposal["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["trainers"].as_array().unwrap().len() == 3)
        .unwrap()["trainee"]
        .as_str()
        .unwrap()
        .to_owned();
    let adjust = format!("/rounds/{r}/interview-proposal/trainees/{sanne_id}");
    let put_adjust = |token: &String, ids: Vec<Uuid>| {
        app.client
            .put(app.url(&adjust))
            .bearer_auth(token.clone())
            .json(&json!({"trainer_ids": ids}))
            .send()
    };
    let adjusted: Value = put_adjust(&round.a_team, vec![t1])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = adjusted["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["trainee"] == sanne_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(entry["trainers"], json!([t1.to_string()]));
    assert_eq!(
        adjusted["guarantee"]["complete"], true,
        "the other trainee can still take t2 or t3"
    );
    let problem = assert_problem(
        put_adjust(&round.a_team, vec![t1, t1, Uuid::nil()])
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["trainer_ids[1]", "trainer_ids[2]"]);
    assert_problem(
        put_adjust(&round.trainees[0].1, vec![t1]).await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let restored = put_adjust(&round.a_team, vec![t1, t2, t3]).await.unwrap();
    assert_eq!(restored.status(), StatusCode::OK);
    let restored: Value = restored.json().await.unwrap();
    let mo_trainers: Vec<&str> = restored["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["trainee"] != sanne_id.as_str())
        .unwrap()["trainers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();

    assert_eq!(
        app.post(
            &format!("/rounds/{r}/interview-proposal/publish"),
            Some(&round.a_team),
            &json!({})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let mails: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "interviews_published")
        .map(|m| m.recipient)
        .collect();
    assert_eq!(
        mails.len(),
        5,
        "both trainees and all three trainers: {mails:?}"
    );
    // Each mail names the counterparts: Sanne's all three trainers, each trainer's Sanne.
    let outbox = app.outbox().await;
    let interviews_to = |email: &str| {
        outbox
            .iter()
            .find(|m| m.kind == "interviews_published" && m.recipient == email)
            .map(|m| m.body.clone())
            .unwrap_or_default()
    };
    // Only those: a mail lists one line per interview of its reader.
    let lines = |body: &str| body.lines().filter(|l| l.starts_with("- ")).count();
    let sanne = interviews_to("sanne@x.nl");
    assert_eq!(lines(&sanne), 3, "{sanne}");
    assert_eq!(lines(&interviews_to("mo@x.nl")), mo_trainers.len());
    for (id, (name, email)) in [t1, t2, t3].into_iter().zip([
        ("Dr. Aalders", "aalders@x.nl"),
        ("Dr. Bakker", "bakker@x.nl"),
        ("Dr. Visser", "visser@x.nl"),
    ]) {
        assert!(sanne.contains(&format!("{name} <{email}>")), "{sanne}");
        let body = interviews_to(email);
        assert!(body.contains("Sanne Jansen <sanne@x.nl>"));
        let with_mo = mo_trainers.contains(&id.to_string().as_str());
        assert_eq!(body.contains("Mo de Wit"), with_mo, "{body}");
        assert_eq!(lines(&body), 1 + usize::from(with_mo), "{body}");
    }
    assert_problem(
        app.post(
            &format!("/rounds/{r}/interview-proposal"),
            Some(&round.a_team),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_problem(
        put_adjust(&round.a_team, vec![t1]).await.unwrap(),
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    let moved = app
        .post(
            &format!("/rounds/{r}/transitions"),
            Some(&round.a_team),
            &json!({"to": "interviews"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);

    let sanne: MyInterviewsResponse = app
        .get(
            &format!("/rounds/{r}/interviews/mine"),
            Some(&round.trainees[0].1),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sanne.items.len(), 3);
    assert!(sanne.items.iter().all(|i| i.email.ends_with("@x.nl")));
    let trainer: MyInterviewsResponse = app
        .get(
            &format!("/rounds/{r}/interviews/mine"),
            Some(&round.trainers[0].2),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trainer.items.len(), 2);

    let late = app
        .client
        .put(app.url(&format!("/rounds/{r}/preferences")))
        .bearer_auth(&round.trainees[0].1)
        .json(&json!({"trainer_ids": [t1, t2, t3]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(late, StatusCode::CONFLICT, "wrong_phase").await;
    assert_eq!(
        problem.detail,
        "you cannot submit preferences while the round is in phase 'interviews'; this is possible in: preferences"
    );
    assert_eq!(problem.phase.as_deref(), Some("interviews"));
}

#[tokio::test]
async fn participants_list_their_rounds_and_profiles_freeze_after_step_1() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let trainee = &round.trainees[0].1;
    let trainer = &round.trainers[0].2;
    for token in [trainee, trainer] {
        let mine: koppel_api_types::RoundListResponse = app
            .get("/me/rounds", Some(token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(mine.items.len(), 1);
        assert_eq!(mine.items[0].id, round.id);
        assert_eq!(mine.items[0].phase, "preferences");
    }
    let coordinator: koppel_api_types::RoundListResponse = app
        .get("/me/rounds", Some(&round.a_team))
        .await
        .json()
        .await
        .unwrap();
    assert!(coordinator.items.is_empty());
    assert_problem(
        app.get("/me/rounds", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    let edit = app
        .client
        .put(app.url("/me/trainee-profile"))
        .bearer_auth(trainee)
        .json(&json!({"introduction": "Nieuw", "experience": "", "learning_wishes": ""}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(edit, StatusCode::CONFLICT, "wrong_phase").await;
    assert_eq!(
        problem.detail,
        "you cannot edit a profile while the round is in phase 'preferences'; this is possible in: draft, profiles"
    );
    let plan = app
        .client
        .put(app.url("/me/trainer-profile"))
        .bearer_auth(trainer)
        .json(&json!({"learning_plan": "Nieuw", "practice_description": ""}))
        .send()
        .await
        .unwrap();
    assert_problem(plan, StatusCode::CONFLICT, "wrong_phase").await;
}

#[tokio::test]
async fn preferences_after_the_deadline_are_refused_with_the_deadline() {
    let app = spawn_app().await;
    // A round whose coupling process ran in June-July 2026: its deadlines have passed.
    let round = round_in_preferences(&app, 2026).await;
    let t: Vec<Uuid> = round.trainers.iter().map(|t| t.0).collect();
    let response = app
        .client
        .put(app.url(&format!("/rounds/{}/preferences", round.id)))
        .bearer_auth(&round.trainees[0].1)
        .json(&json!({"trainer_ids": t}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, StatusCode::CONFLICT, "deadline_passed").await;
    assert_eq!(
        problem.deadline.map(|d| d.to_string()).as_deref(),
        Some("2026-06-25")
    );
    assert_eq!(
        problem.detail,
        "the preferences deadline (2026-06-25) has passed: you can no longer submit preferences"
    );
}

#[tokio::test]
async fn other_institutes_and_outsiders_cannot_reach_a_rounds_steps() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign_trainee = app.user_token(Role::Trainee, Some(other)).await;
    let stranger = app
        .user_token(Role::Trainee, Some(round_institute(&app, &round).await))
        .await;
    for path in [
        "rankable-trainers",
        "preferences/mine",
        "interviews/mine",
        "preferences",
    ] {
        let path = format!("/rounds/{}/{path}", round.id);
        assert_problem(
            app.get(&path, Some(&foreign_trainee)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.get(&path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    // A trainee of the institute who does not take part sees nothing of the round.
    for path in ["rankable-trainers", "preferences/mine"] {
        assert_problem(
            app.get(&format!("/rounds/{}/{path}", round.id), Some(&stranger))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

async fn round_institute(app: &TestApp, round: &Round) -> Uuid {
    let body: Value = app
        .get(&format!("/rounds/{}", round.id), Some(&round.a_team))
        .await
        .json()
        .await
        .unwrap();
    body["institute_id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn every_round_step_endpoint_answers_404_to_other_institutes_and_401_to_anonymous() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let other = app.create_institute("Huisartsopleiding Oost").await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    let trainer = round.trainers[0].0;
    let some = Uuid::new_v4();
    let gets = [
        format!("/rounds/{r}/rankable-trainers"),
        format!("/rounds/{r}/preferences"),
        format!("/rounds/{r}/preferences/mine"),
        format!("/rounds/{r}/interviews/mine"),
        format!("/rounds/{r}/progress"),
        format!("/rounds/{r}/final-ranking/mine"),
        format!("/rounds/{r}/vetoes"),
        format!("/rounds/{r}/coupling-runs"),
        format!("/rounds/{r}/coupling-runs/{some}"),
        format!("/rounds/{r}/coupling-runs/{some}/verification"),
        format!("/rounds/{r}/coupling/mine"),
    ];
    for path in &gets {
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
    }
    let posts = [
        (format!("/rounds/{r}/interview-proposal"), json!({})),
        (format!("/rounds/{r}/interview-proposal/publish"), json!({})),
        (
            format!("/rounds/{r}/reminders"),
            json!({"step": "preferences"}),
        ),
        (
            format!("/rounds/{r}/vetoes"),
            json!({"counterpart_id": trainer, "category": "personal_relationship", "relationship": "family"}),
        ),
        (format!("/rounds/{r}/coupling-runs"), json!({})),
        (
            format!("/rounds/{r}/coupling-runs/{some}/publish"),
            json!({}),
        ),
        (
            format!("/rounds/{r}/withdrawals"),
            json!({"trainer_id": trainer, "reason": "x"}),
        ),
        (
            format!("/rounds/{r}/manual-couplings"),
            json!({"trainee_id": some, "trainer_id": trainer, "reason": "x"}),
        ),
    ];
    for (path, body) in &posts {
        assert_problem(
            app.post(path, Some(&foreign), body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.post(path, None, body).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    let puts = [
        (
            format!("/rounds/{r}/preferences"),
            json!({"trainer_ids": [trainer]}),
        ),
        (format!("/rounds/{r}/final-ranking"), json!({"ranks": []})),
        (
            format!("/rounds/{r}/interviews/{trainer}"),
            json!({"planned_on": "2027-06-30"}),
        ),
        (
            format!("/rounds/{r}/interview-proposal/trainees/{some}"),
            json!({"trainer_ids": []}),
        ),
    ];
    for (path, body) in &puts {
        let foreign_put = app
            .client
            .put(app.url(path))
            .bearer_auth(&foreign)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_problem(foreign_put, StatusCode::NOT_FOUND, "not_found").await;
        let anonymous = app
            .client
            .put(app.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    // Participant-only endpoints refuse coordinators; coordinator-only ones refuse participants.
    assert_problem(
        app.get(
            &format!("/rounds/{r}/final-ranking/mine"),
            Some(&round.a_team),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for path in [
        format!("/rounds/{r}/coupling-runs"),
        format!("/rounds/{r}/coupling-runs/{some}"),
        format!("/rounds/{r}/coupling-runs/{some}/verification"),
    ] {
        assert_problem(
            app.get(&path, Some(&round.trainees[0].1)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.get(
            &format!("/rounds/{r}/coupling-runs/{some}"),
            Some(&round.a_team),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/rounds/{r}/withdrawals"),
            Some(&round.trainers[0].2),
            &json!({"trainer_id": trainer, "reason": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_withdrawal_after_the_proposal_asks_for_a_new_one_and_reminders_follow_the_phase() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let [t1, t2, t3] = [
        round.trainers[0].0,
        round.trainers[1].0,
        round.trainers[2].0,
    ];
    for (_, token) in &round.trainees {
        submit_preferences(&app, r, token, &[t1, t2, t3]).await;
    }
    let (client, a_team) = (&app, &round.a_team);
    let generate = || async move {
        client
            .post(
                &format!("/rounds/{r}/interview-proposal"),
                Some(a_team),
                &json!({}),
            )
            .await
    };
    assert_eq!(generate().await.status(), StatusCode::OK);

    // A ranked trainer withdraws: the draft is outdated, and a new one leaves them out (the
    // trainees' lists still name them, which used to make the matcher refuse the instance).
    let withdrawn = app
        .post(
            &format!("/rounds/{r}/withdrawals"),
            Some(&round.a_team),
            &json!({"trainer_id": t3, "reason": "verhuisd"}),
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let publish = || async move {
        client
            .post(
                &format!("/rounds/{r}/interview-proposal/publish"),
                Some(a_team),
                &json!({}),
            )
            .await
    };
    let outdated = assert_problem(publish().await, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(
        outdated.detail,
        "a participant withdrew since the proposal was made: generate it again before publishing"
    );
    let again = generate().await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert!(
        again["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| !i["trainers"].as_array().unwrap().contains(&json!(t3))),
        "the withdrawn trainer gets no interviews"
    );

    // Reminders only for the step that is open now.
    let remind = |step: &'static str| async move {
        client
            .post(
                &format!("/rounds/{r}/reminders"),
                Some(a_team),
                &json!({"step": step}),
            )
            .await
    };
    let closed = assert_problem(
        remind("final_ranking").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        closed.detail.contains("the step is not open"),
        "{}",
        closed.detail
    );
    assert_eq!(remind("preferences").await.status(), StatusCode::OK);

    assert_eq!(publish().await.status(), StatusCode::NO_CONTENT);
}

/// Moves a round on (coordinators), asserting it worked.
async fn transition(app: &TestApp, round: &Round, to: &str) {
    let moved = app
        .post(
            &format!("/rounds/{}/transitions", round.id),
            Some(&round.a_team),
            &json!({"to": to}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK, "to {to}");
}

#[tokio::test]
async fn a_manual_coupling_before_publication_stands_and_an_overtaken_run_is_refused() {
    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let trainer_ids: Vec<Uuid> = round.trainers.iter().map(|t| t.0).collect();
    for (_, token) in &round.trainees {
        submit_preferences(&app, r, token, &trainer_ids).await;
    }
    for path in ["interview-proposal", "interview-proposal/publish"] {
        let response = app
            .post(
                &format!("/rounds/{r}/{path}"),
                Some(&round.a_team),
                &json!({}),
            )
            .await;
        assert!(response.status().is_success(), "{path}");
    }
    transition(&app, &round, "interviews").await;
    // Both sides rank everyone they met, in the order listed.
    let tokens = round
        .trainees
        .iter()
        .map(|t| (true, &t.1))
        .chain(round.trainers.iter().map(|t| (false, &t.2)));
    let mut trainee_ids = Vec::new();
    for (is_trainee, token) in tokens {
        let mine: MyInterviewsResponse = app
            .get(&format!("/rounds/{r}/interviews/mine"), Some(token))
            .await
            .json()
            .await
            .unwrap();
        let ranks: Vec<Value> = mine
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let counterpart = if is_trainee {
                    item.trainer_id
                } else {
                    item.trainee_id
                };
                json!({"counterpart_id": counterpart, "rank": i + 1})
            })
            .collect();
        if let (true, Some(item)) = (is_trainee, mine.items.first()) {
            trainee_ids.push(item.trainee_id);
        }
        if ranks.is_empty() {
            continue;
        }
        let response = app
            .client
            .put(app.url(&format!("/rounds/{r}/final-ranking")))
            .bearer_auth(token)
            .json(&json!({"ranks": ranks}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(trainee_ids.len(), 2, "both trainees had interviews");
    transition(&app, &round, "coupling").await;

    // A run computed now, then a coordinator couples the first trainee by hand: that run is
    // overtaken. A new run leaves the manual coupling out and is published next to it.
    let run = |body: Value| {
        let (client, token) = (&app, &round.a_team);
        async move {
            let response = client
                .post(&format!("/rounds/{r}/coupling-runs"), Some(token), &body)
                .await;
            assert_eq!(response.status(), StatusCode::CREATED);
            response.json::<Value>().await.unwrap()
        }
    };
    let before = run(json!({})).await;
    let manual = app
        .post(
            &format!("/rounds/{r}/manual-couplings"),
            Some(&round.a_team),
            &json!({"trainee_id": trainee_ids[0], "trainer_id": trainer_ids[2], "reason": "afspraak met de opleider"}),
        )
        .await;
    assert_eq!(manual.status(), StatusCode::CREATED);
    // Nobody hears of a coupling before the round's result is published.
    let results = |outbox: Vec<koppel_api::store::entities::outbox::Model>| {
        outbox
            .into_iter()
            .filter(|m| m.kind == "coupling_result")
            .collect::<Vec<_>>()
    };
    assert!(results(app.outbox().await).is_empty());
    let publish = |run: &Value| {
        let path = format!(
            "/rounds/{r}/coupling-runs/{}/publish",
            run["run"]["id"].as_str().unwrap()
        );
        let (client, token) = (&app, &round.a_team);
        async move { client.post(&path, Some(token), &json!({})).await }
    };
    let overtaken = assert_problem(publish(&before).await, StatusCode::CONFLICT, "conflict").await;
    assert!(
        overtaken
            .detail
            .contains("was coupled by hand after this run was computed"),
        "{}",
        overtaken.detail
    );
    let after = run(json!({})).await;
    let coupled: Vec<&str> = after["result"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["trainee"].as_str().unwrap())
        .collect();
    assert!(
        !coupled.contains(&trainee_ids[0].to_string().as_str()),
        "the manually coupled trainee is not re-coupled"
    );
    assert_eq!(publish(&after).await.status(), StatusCode::NO_CONTENT);
    let sanne: MyCouplingResponse = app
        .get(
            &format!("/rounds/{r}/coupling/mine"),
            Some(&round.trainees[0].1),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sanne.email.as_deref(), Some(round.trainers[2].1.as_str()));
    // Then everyone hears once, the manually coupled trainee of their trainer too.
    let mails = results(app.outbox().await);
    assert_eq!(mails.len(), 5, "two trainees, three trainers");
    let to_sanne = mails.iter().find(|m| m.recipient == "sanne@x.nl").unwrap();
    assert!(
        to_sanne.body.contains(&round.trainers[2].1),
        "{}",
        to_sanne.body
    );
    let runs: Value = app
        .get(&format!("/rounds/{r}/coupling-runs"), Some(&round.a_team))
        .await
        .json()
        .await
        .unwrap();
    let published: Vec<bool> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run.get("published_at").is_some())
        .collect();
    assert_eq!(
        published,
        [false, true],
        "the run list says which run stands"
    );
}

async fn rankable_names(app: &TestApp, round: Uuid, token: &str) -> Vec<String> {
    let list: RankableTrainerListResponse = app
        .get(&format!("/rounds/{round}/rankable-trainers"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    list.items.into_iter().map(|t| t.name).collect()
}

#[tokio::test]
async fn what_a_trainee_may_rank_is_frozen_once_step_2_closes() {
    use chrono::{Duration, Utc};
    use koppel_api::store::entities::{round as round_row, trainee, veto};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = spawn_app().await;
    let round = round_in_preferences(&app, 2027).await;
    let r = round.id;
    let sanne = &round.trainees[0].1;
    let sanne_id = trainee::Entity::find()
        .filter(trainee::Column::Email.eq("sanne@x.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let veto_by = |trainer: usize| {
        let token = round.trainers[trainer].2.clone();
        let app = &app;
        async move {
            let response = app
                .post(
                    &format!("/rounds/{r}/vetoes"),
                    Some(&token),
                    &json!({"counterpart_id": sanne_id, "category": "personal_relationship", "relationship": "family"}),
                )
                .await;
            assert!(response.status().is_success(), "{}", response.status());
        }
    };
    assert_eq!(
        rankable_names(&app, r, sanne).await,
        ["Dr. Aalders", "Dr. Bakker", "Dr. Visser"]
    );

    // While step 2 is open, a veto takes the trainer off the list, and a submission may not
    // rank them.
    veto_by(0).await;
    assert_eq!(
        rankable_names(&app, r, sanne).await,
        ["Dr. Bakker", "Dr. Visser"]
    );
    let [aalders, bakker, visser] = [0, 1, 2].map(|n| round.trainers[n].0);
    let refused = app
        .client
        .put(app.url(&format!("/rounds/{r}/preferences")))
        .bearer_auth(sanne)
        .json(&json!({"trainer_ids": [bakker, aalders, visser]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "trainer_ids[1]", "{problem:?}");
    submit_preferences(&app, r, sanne, &[visser, bakker]).await;

    // Step 2 closes (its deadline passes; moved in the database rather than waited for).
    let yesterday = (Utc::now() - Duration::days(1)).date_naive();
    round_row::Entity::update_many()
        .col_expr(
            round_row::Column::PreferencesDeadline,
            Expr::value(yesterday),
        )
        .filter(round_row::Column::Id.eq(r))
        .exec(&app.db)
        .await
        .unwrap();
    veto::Entity::update_many()
        .col_expr(
            veto::Column::CreatedAt,
            Expr::value(Utc::now() - Duration::days(3)),
        )
        .exec(&app.db)
        .await
        .unwrap();

    // A veto after the close (as after an interview) binds the coupling but does not show.
    veto_by(1).await;
    assert_eq!(
        rankable_names(&app, r, sanne).await,
        ["Dr. Bakker", "Dr. Visser"]
    );
    let vetoes: Value = app
        .get(&format!("/rounds/{r}/vetoes"), Some(&round.a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(vetoes["items"].as_array().unwrap().len(), 2, "{vetoes}");
}
