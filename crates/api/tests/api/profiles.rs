//! Step 1 profiles: text, CV and photo checked by content and size, served with safe headers,
//! readable only by the person, their coordinators and the other side where the process meets.

use koppel_api::seed::{DEMO_PASSWORD, seed_demo};
use koppel_api_types::{Role, TraineeProfileResponse, TrainerProfileResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// The demo institute, with its round moved back to step 1 (profiles may change only then).
async fn demo(app: &TestApp) -> (String, String, String, String) {
    use koppel_api::store::entities::round;
    use sea_orm::{EntityTrait, sea_query::Expr};
    seed_demo(&app.db, &crate::helpers::totp_key())
        .await
        .unwrap();
    round::Entity::update_many()
        .col_expr(round::Column::Phase, Expr::value("profiles"))
        .col_expr(
            round::Column::ProfilesDeadline,
            Expr::value(chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap()),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let token =
        |email: &'static str| async move { app.login(email, DEMO_PASSWORD).await.access_token };
    let trainee = token("aios@demo.koppel.test").await;
    let me: Value = app.get("/me", Some(&trainee)).await.json().await.unwrap();
    let institute = me["institute"]["id"].as_str().unwrap().to_owned();
    (
        institute,
        trainee,
        token("opleider@demo.koppel.test").await,
        token("a-team@demo.koppel.test").await,
    )
}

async fn put_bytes(
    app: &TestApp,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
    content_type: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_trainee_writes_a_profile_with_cv_and_photo_checked_by_content() {
    let app = spawn_app().await;
    let (institute, trainee, trainer, a_team) = demo(&app).await;
    let text = json!({"introduction": "Ik ben Sanne.", "experience": "Twee jaar ANIOS interne.", "learning_wishes": "Ouderengeneeskunde"});
    let saved = app
        .client
        .put(app.url("/me/trainee-profile"))
        .bearer_auth(&trainee)
        .json(&text)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);

    let pdf = b"%PDF-1.4\n%fake but well-formed enough\n".to_vec();
    assert_eq!(
        put_bytes(
            &app,
            "/me/trainee-profile/cv",
            &trainee,
            pdf.clone(),
            "application/pdf"
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let problem = assert_problem(
        put_bytes(
            &app,
            "/me/trainee-profile/cv",
            &trainee,
            html,
            "application/pdf",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].message, "a CV must be a PDF file");
    let huge = [b"%PDF-".to_vec(), vec![0u8; 5 * 1024 * 1024]].concat();
    assert_problem(
        put_bytes(
            &app,
            "/me/trainee-profile/cv",
            &trainee,
            huge,
            "application/pdf",
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    let png = [
        vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        vec![0u8; 64],
    ]
    .concat();
    assert_eq!(
        put_bytes(
            &app,
            "/me/trainee-profile/photo",
            &trainee,
            png,
            "image/png"
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        put_bytes(
            &app,
            "/me/trainee-profile/photo",
            &trainee,
            pdf.clone(),
            "image/jpeg",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let mine: TraineeProfileResponse = app
        .get("/me/trainee-profile", Some(&trainee))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.introduction, "Ik ben Sanne.");
    assert!(mine.has_cv && mine.has_photo);

    // The A-team reads it and downloads the CV, served so a browser cannot run it.
    let path = format!("/institutes/{institute}/trainees/{}", mine.trainee_id);
    assert_eq!(
        app.get(&format!("{path}/profile"), Some(&a_team))
            .await
            .status(),
        StatusCode::OK
    );
    let cv = app.get(&format!("{path}/cv"), Some(&a_team)).await;
    assert_eq!(cv.headers()["content-type"], "application/pdf");
    assert!(
        cv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        cv.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(cv.bytes().await.unwrap().to_vec(), pdf);
    let photo = app.get(&format!("{path}/photo"), Some(&a_team)).await;
    assert_eq!(photo.headers()["content-type"], "image/png");

    // A trainer who does not interview her, and other institutes, see nothing.
    assert_problem(
        app.get(&format!("{path}/profile"), Some(&trainer)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    assert_problem(
        app.get(&format!("{path}/cv"), Some(&foreign)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/me/trainee-profile", Some(&trainer)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_trainer_writes_a_learning_plan_that_trainees_of_the_round_can_read() {
    let app = spawn_app().await;
    let (institute, trainee, trainer, _) = demo(&app).await;
    let body = json!({"learning_plan": "Week 1: meelopen.", "practice_description": "Vier huisartsen, 9000 patiënten."});
    let saved = app
        .client
        .put(app.url("/me/trainer-profile"))
        .bearer_auth(&trainer)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: TrainerProfileResponse = saved.json().await.unwrap();

    let path = format!(
        "/institutes/{institute}/trainers/{}/profile",
        saved.trainer_id
    );
    let read: TrainerProfileResponse = app.get(&path, Some(&trainee)).await.json().await.unwrap();
    assert_eq!(read.learning_plan, "Week 1: meelopen.");
    // A trainee of the institute outside the round, and strangers, get 404.
    let outsider = app
        .user_token(Role::Trainee, Some(institute.parse().unwrap()))
        .await;
    assert_problem(
        app.get(&path, Some(&outsider)).await,
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
    let too_long = json!({"learning_plan": "x".repeat(10_001), "practice_description": ""});
    let response = app
        .client
        .put(app.url("/me/trainer-profile"))
        .bearer_auth(&trainer)
        .json(&too_long)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "learning_plan");
}
