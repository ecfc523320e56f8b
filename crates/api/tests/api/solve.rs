//! `/solve/*` and `koppel solve`: the matcher over HTTP and on the command line.

use koppel_api_types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

fn coupling_instance() -> Value {
    json!({
        "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1"]}],
        "trainers": [{"id": "t1", "ranking": ["a1", "a2"]}, {"id": "t2", "ranking": ["a1"]}]
    })
}

fn lottery_instance(candidates: usize) -> Value {
    json!({
        "seed": "00112233445566778899aabbccddeeff",
        "locations": [{"id": "noord", "capacity": 10}, {"id": "zuid", "capacity": 10}],
        "candidates": (0..candidates)
            .map(|i| json!({"id": format!("kandidaat-{i:05}"), "preferences": ["noord", "zuid"]}))
            .collect::<Vec<_>>()
    })
}

#[tokio::test]
async fn admins_coordinators_and_integrations_solve_and_others_may_not() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Solve").await;
    let allowed = [
        app.admin_token().await,
        app.user_token(Role::TraineeTeam, Some(institute)).await,
        app.user_token(Role::TrainerTeam, Some(institute)).await,
        app.user_token(Role::Integration, Some(institute)).await,
    ];
    for token in &allowed {
        let response = app
            .post("/solve/coupling", Some(token), &coupling_instance())
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let output: Value = response.json().await.unwrap();
        // Group interest: a1-t2 and a2-t1 couple both.
        assert_eq!(output["matched"], 2);
        assert_eq!(output["blocking_pairs"][0]["trainer"], "t1");
    }
    for role in [Role::Trainee, Role::Trainer, Role::Candidate] {
        let institute = (role != Role::Candidate).then_some(institute);
        let token = app.user_token(role, institute).await;
        // The role is checked before the body is read: 403 whatever the body.
        for path in ["/solve/coupling", "/solve/interviews", "/solve/lottery"] {
            let response = app.post(path, Some(&token), &coupling_instance()).await;
            assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    assert_problem(
        app.post("/solve/coupling", None, &coupling_instance())
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_instance_names_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut instance = coupling_instance();
    instance["trainees"][1]["ranking"] = json!(["t9"]);
    let problem = assert_problem(
        app.post("/solve/coupling", Some(&admin), &instance).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "trainees[1].ranking[0]");
    assert_eq!(problem.errors[0].message, "unknown trainer 't9'");

    let problem = assert_problem(
        app.post(
            "/solve/lottery",
            Some(&admin),
            &json!({"seed": "short", "locations": [], "candidates": []}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "seed");
}

#[tokio::test]
async fn large_lottery_instances_are_accepted_and_drawn() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // 5,000 candidates, far more than a real lottery.
    let instance = lottery_instance(5_000);
    let response = app.post("/solve/lottery", Some(&admin), &instance).await;
    assert_eq!(response.status(), StatusCode::OK);
    let output: Value = response.json().await.unwrap();
    assert_eq!(output["report"]["placed"], 20);
    assert_eq!(output["report"]["unplaced"], 4_980);
    assert_eq!(
        output["seed_commitment"],
        "5947d7c33d783f94b3b4c1a96ebc8991ed28f1b069b71e03376cba8caa98a720"
    );
}

#[tokio::test]
async fn the_interview_proposal_is_served() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let instance = json!({
        "interviews_per_trainee": 1,
        "trainees": [{"id": "a1", "ranking": ["t1", "t2"]}, {"id": "a2", "ranking": ["t1", "t2"]}],
        "trainers": [{"id": "t1"}, {"id": "t2", "continuity_rank": 2}]
    });
    let response = app.post("/solve/interviews", Some(&admin), &instance).await;
    assert_eq!(response.status(), StatusCode::OK);
    let output: Value = response.json().await.unwrap();
    assert_eq!(output["guarantee"]["complete"], true);
    assert_eq!(output["score"]["covered_trainers"], 2);
}

#[test]
fn koppel_solve_reads_a_file_and_names_bad_fields() {
    let dir = std::env::temp_dir().join(format!("koppel-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("lottery.json");
    std::fs::write(&good, lottery_instance(30).to_string()).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_koppel"))
        .args(["solve", "lottery"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(output.status.success());
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["report"]["candidates"], 30);

    let bad = dir.join("coupling.json");
    std::fs::write(&bad, r#"{"trainees": [{"id": "a1"}], "trainers": []}"#).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_koppel"))
        .args(["solve", "coupling"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("trainees[0].ranking"), "{stderr}");
}
