//! Nothing is lost under load: many trainees submit and re-submit their step-2 lists while
//! others read theirs and a coordinator reads the progress, 64 requests in flight, with the mail
//! worker running. Every answer is a success and every stored list is the last one accepted.
//! (`just bench-api` measures the speed; this asserts only the outcome.)

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use koppel_api_types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app};

const TRAINEES: usize = 12;
const TRAINERS: usize = 6;
const IN_FLIGHT: usize = 64;
const ROUNDS_PER_TASK: usize = 15;

async fn created(response: reqwest::Response) -> Uuid {
    assert!(response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

/// A round in `preferences` with [`TRAINEES`] activated trainees and [`TRAINERS`] trainers.
async fn busy_round(app: &TestApp) -> (Uuid, String, Vec<String>, Vec<Uuid>) {
    let institute = app.create_institute("Huisartsopleiding Druk").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let round = created(
        app.post(
            &format!("/institutes/{institute}/rounds"),
            Some(&a_team),
            &json!({"start_month": "september", "start_year": 2031}),
        )
        .await,
    )
    .await;
    let mut trainers = Vec::new();
    for k in 0..TRAINERS {
        let body = json!({"name": format!("Dr. Opleider {k}"), "email": format!("opleider{k}@druk.nl"),
            "eligible_year1": true, "eligible_year3": true, "large_scale_structure": true});
        let id = created(
            app.post(
                &format!("/institutes/{institute}/trainers"),
                Some(&o_team),
                &body,
            )
            .await,
        )
        .await;
        let added = app
            .post(
                &format!("/rounds/{round}/trainers"),
                Some(&o_team),
                &json!({"trainer_id": id}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT);
        trainers.push(id);
    }
    let mut emails = Vec::new();
    for k in 0..TRAINEES {
        let email = format!("aios{k}@druk.nl");
        let body =
            json!({"name": format!("Aios {k}"), "email": email, "training_start": "2031-09-01"});
        let id = created(
            app.post(
                &format!("/institutes/{institute}/trainees"),
                Some(&a_team),
                &body,
            )
            .await,
        )
        .await;
        let added = app
            .post(
                &format!("/rounds/{round}/trainees"),
                Some(&a_team),
                &json!({"trainee_id": id}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT);
        emails.push(email);
    }
    let mut tokens = Vec::new();
    for email in &emails {
        tokens.push(app.activate_from_mail(email).await);
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
    (round, a_team, tokens, trainers)
}

/// The `n`-th ordering of the trainers (a rotation and a swap), so lists differ between turns.
fn ordering(trainers: &[Uuid], n: usize) -> Vec<Uuid> {
    let mut list = trainers.to_vec();
    list.rotate_left(n % trainers.len());
    if n % 2 == 1 {
        list.swap(0, 1);
    }
    list
}

#[tokio::test]
async fn under_load_every_answer_succeeds_and_every_list_is_the_last_accepted() {
    let app = Arc::new(spawn_app().await);
    let (round, coordinator, tokens, trainers) = busy_round(&app).await;
    let failures = Arc::new(AtomicUsize::new(0));
    // Per trainee, the lists accepted, in the order their one writer sent them; trainee 0 also
    // gets three writers at once (a double-click, several tabs): all must succeed.
    let mut tasks = Vec::new();
    for task in 0..IN_FLIGHT {
        let (app, failures, trainers) = (Arc::clone(&app), Arc::clone(&failures), trainers.clone());
        // Tasks past the trainees' own writers: three more writers for trainee 0, then readers.
        let extra_writer = (TRAINEES..TRAINEES + 3).contains(&task);
        let trainee = if extra_writer { 0 } else { task % TRAINEES };
        let (token, coordinator) = (tokens[trainee].clone(), coordinator.clone());
        tasks.push(tokio::spawn(async move {
            let mut accepted: Vec<(usize, Vec<Uuid>)> = Vec::new();
            for turn in 0..ROUNDS_PER_TASK {
                let writer = task < TRAINEES || extra_writer;
                let (status, list) = if writer {
                    let list = ordering(&trainers, task * 31 + turn);
                    let response = app
                        .client
                        .put(app.url(&format!("/rounds/{round}/preferences")))
                        .bearer_auth(&token)
                        .json(&json!({"trainer_ids": list}))
                        .send()
                        .await
                        .unwrap();
                    (response.status(), Some(list))
                } else if task % 4 == 0 {
                    let path = format!("/rounds/{round}/progress");
                    (app.get(&path, Some(&coordinator)).await.status(), None)
                } else {
                    let path = format!("/rounds/{round}/preferences/mine");
                    (app.get(&path, Some(&token)).await.status(), None)
                };
                if status.is_success() {
                    if let Some(list) = list {
                        accepted.push((trainee, list));
                    }
                } else {
                    eprintln!("task {task}, turn {turn}: {status}");
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
            (task, accepted)
        }));
    }
    let mut last: HashMap<usize, Vec<Uuid>> = HashMap::new();
    let mut any_of_trainee_0: Vec<Vec<Uuid>> = Vec::new();
    for task in tasks {
        let (task, accepted) = task.await.unwrap();
        for (trainee, list) in accepted {
            if trainee == 0 {
                any_of_trainee_0.push(list.clone());
            }
            if task < TRAINEES {
                last.insert(trainee, list);
            }
        }
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0, "every answer succeeds");
    for (trainee, token) in tokens.iter().enumerate() {
        let stored: Value = app
            .get(&format!("/rounds/{round}/preferences/mine"), Some(token))
            .await
            .json()
            .await
            .unwrap();
        let stored: Vec<Uuid> = serde_json::from_value(stored["trainer_ids"].clone()).unwrap();
        if trainee == 0 {
            // Four writers raced: the list is one of those accepted, whole.
            assert!(any_of_trainee_0.contains(&stored), "trainee 0: {stored:?}");
        } else {
            assert_eq!(Some(&stored), last.get(&trainee), "trainee {trainee}");
        }
    }
    // The coordinator's view counts everyone as done with step 2.
    let progress: Value = app
        .get(&format!("/rounds/{round}/progress"), Some(&coordinator))
        .await
        .json()
        .await
        .unwrap();
    let preferences = progress["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["step"] == "preferences")
        .unwrap();
    assert_eq!(preferences["not_done"].as_array().unwrap().len(), 0);
}

/// Writes committed together (group commit on SQLite) stand or fail each on their own: one that
/// fails does not take the others with it, and each caller hears its own outcome.
#[tokio::test]
async fn a_failing_write_in_a_group_fails_alone() {
    use koppel_api::store::{WriteTurns, audit};
    use sea_orm::{EntityTrait, Statement};

    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Groep").await;
    let writes = WriteTurns::for_database(&app.database_url, &app.db).unwrap();
    let backend = app.db.get_database_backend();
    let entry = |n: usize| {
        audit::appending(
            backend,
            audit::Entry {
                institute_id: institute,
                round_id: None,
                actor_id: None,
                action: "test.grouped",
                summary: format!("write {n}"),
            },
            chrono::Utc::now(),
        )
    };
    // Hold the writers' turn while the writes queue up, so that they are committed together.
    let turn = writes.take().await;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let mut statements = vec![entry(n)];
        if n == 13 {
            statements.push(Statement::from_string(
                backend,
                "INSERT INTO no_such_table VALUES (1)",
            ));
        }
        let (writes, db) = (writes.clone(), app.db.clone());
        tasks.push(tokio::spawn(
            async move { writes.commit(&db, statements).await },
        ));
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    drop(turn);
    for (n, task) in tasks.into_iter().enumerate() {
        let outcome = task.await.unwrap();
        assert_eq!(outcome.is_ok(), n != 13, "write {n}: {outcome:?}");
    }
    let stored: Vec<String> = koppel_api::store::entities::audit_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.action == "test.grouped")
        .map(|row| row.summary)
        .collect();
    assert_eq!(stored.len(), 19, "{stored:?}");
    assert!(!stored.contains(&"write 13".to_owned()));
}
