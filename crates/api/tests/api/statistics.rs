//! Who may read statistics: the public documents need no sign-in but exist only after
//! publication or the draw; an institute's trends are for its coordinators.

use koppel_api_types::Role;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn statistics_are_public_only_once_published_and_trends_are_for_coordinators() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;

    let index: serde_json::Value = app.get("/statistics", None).await.json().await.unwrap();
    assert_eq!(index, serde_json::json!({"rounds": [], "lotteries": []}));
    for path in [
        format!("/statistics/rounds/{round}"),
        format!("/statistics/rounds/{}", Uuid::new_v4()),
        format!("/statistics/lotteries/{}", Uuid::new_v4()),
    ] {
        assert_problem(
            app.get(&path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }

    let trends = format!("/institutes/{institute}/statistics");
    for role in [Role::TraineeTeam, Role::TrainerTeam] {
        let token = app.user_token(role, Some(institute)).await;
        let response = app.get(&trends, Some(&token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"items": []}));
    }
    for role in [Role::Trainee, Role::Trainer] {
        let token = app.user_token(role, Some(institute)).await;
        assert_problem(
            app.get(&trends, Some(&token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    assert_problem(
        app.get(&trends, Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&trends, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
