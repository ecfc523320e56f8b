//! Institutes and their users, including who may and may not call each endpoint.

use koppel_api_types::{
    InstituteListResponse, InstituteResponse, Role, UserListResponse, UserResponse, UserStatus,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app};

const INSTITUTE_ROLES: [Role; 4] = [
    Role::TraineeTeam,
    Role::TrainerTeam,
    Role::Trainee,
    Role::Trainer,
];

/// Two institutes, A and B.
async fn two_institutes(app: &TestApp) -> (Uuid, Uuid) {
    (
        app.create_institute("Huisartsopleiding A").await,
        app.create_institute("Huisartsopleiding B").await,
    )
}

fn invite(email: &str, role: &str) -> Value {
    json!({"email": email, "display_name": "Nieuwe Gebruiker", "role": role})
}

#[tokio::test]
async fn an_admin_creates_an_institute_with_a_location() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            "/institutes",
            Some(&admin),
            &json!({"name": "  Huisartsopleiding Noord "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: InstituteResponse = response.json().await.unwrap();
    assert_eq!(created.name, "Huisartsopleiding Noord");
    assert_eq!(location, format!("/api/v1/institutes/{}", created.id));

    let fetched: InstituteResponse = app
        .get(&format!("/institutes/{}", created.id), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn a_duplicate_or_empty_institute_name_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_institute("Huisartsopleiding Noord").await;
    let duplicate = app
        .post(
            "/institutes",
            Some(&admin),
            &json!({"name": "Huisartsopleiding Noord"}),
        )
        .await;
    assert_problem(duplicate, StatusCode::CONFLICT, "conflict").await;
    let empty = app
        .post("/institutes", Some(&admin), &json!({"name": "   "}))
        .await;
    let problem =
        assert_problem(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "name");
}

#[tokio::test]
async fn only_admins_create_institutes() {
    let app = spawn_app().await;
    let (a, _) = two_institutes(&app).await;
    let body = json!({"name": "Huisartsopleiding Nieuw"});
    assert_problem(
        app.post("/institutes", None, &body).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    for role in INSTITUTE_ROLES {
        let token = app.user_token(role, Some(a)).await;
        let response = app.post("/institutes", Some(&token), &body).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let candidate = app.user_token(Role::Candidate, None).await;
    assert_problem(
        app.post("/institutes", Some(&candidate), &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn admins_list_every_institute_and_others_only_their_own() {
    let app = spawn_app().await;
    let (a, _) = two_institutes(&app).await;
    let admin = app.admin_token().await;
    let all: InstituteListResponse = app
        .get("/institutes", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        all.items
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        ["Huisartsopleiding A", "Huisartsopleiding B"]
    );
    for role in INSTITUTE_ROLES {
        let token = app.user_token(role, Some(a)).await;
        let own: InstituteListResponse = app
            .get("/institutes", Some(&token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(own.items.len(), 1, "{role:?}");
        assert_eq!(own.items[0].id, a);
    }
    let candidate = app.user_token(Role::Candidate, None).await;
    let none: InstituteListResponse = app
        .get("/institutes", Some(&candidate))
        .await
        .json()
        .await
        .unwrap();
    assert!(none.items.is_empty());
    assert_problem(
        app.get("/institutes", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn another_institute_answers_404_to_every_institute_role() {
    let app = spawn_app().await;
    let (a, b) = two_institutes(&app).await;
    for role in INSTITUTE_ROLES {
        let token = app.user_token(role, Some(a)).await;
        assert_eq!(
            app.get(&format!("/institutes/{a}"), Some(&token))
                .await
                .status(),
            StatusCode::OK
        );
        for path in [format!("/institutes/{b}"), format!("/institutes/{b}/users")] {
            assert_problem(
                app.get(&path, Some(&token)).await,
                StatusCode::NOT_FOUND,
                "not_found",
            )
            .await;
        }
        let invite_foreign = app
            .post(
                &format!("/institutes/{b}/users"),
                Some(&token),
                &invite("x@y.nl", "trainee"),
            )
            .await;
        assert_problem(invite_foreign, StatusCode::NOT_FOUND, "not_found").await;
    }
    let admin = app.admin_token().await;
    let missing = Uuid::new_v4();
    assert_problem(
        app.get(&format!("/institutes/{missing}"), Some(&admin))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/institutes/{a}"), None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn coordinators_and_admins_list_users_but_trainees_and_trainers_may_not() {
    let app = spawn_app().await;
    let (a, _) = two_institutes(&app).await;
    let path = format!("/institutes/{a}/users");
    for role in [Role::TraineeTeam, Role::TrainerTeam] {
        let token = app.user_token(role, Some(a)).await;
        let users: UserListResponse = app.get(&path, Some(&token)).await.json().await.unwrap();
        assert!(users.items.iter().all(|user| user.institute_id == Some(a)));
    }
    for role in [Role::Trainee, Role::Trainer] {
        let token = app.user_token(role, Some(a)).await;
        assert_problem(
            app.get(&path, Some(&token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let admin = app.admin_token().await;
    let users: UserListResponse = app.get(&path, Some(&admin)).await.json().await.unwrap();
    assert_eq!(users.items.len(), 4);
    assert_problem(
        app.get(&path, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn who_may_invite_whom() {
    let app = spawn_app().await;
    let (a, _) = two_institutes(&app).await;
    let path = format!("/institutes/{a}/users");
    let admin = app.admin_token().await;
    let a_team = app.user_token(Role::TraineeTeam, Some(a)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(a)).await;
    let trainee = app.user_token(Role::Trainee, Some(a)).await;
    let trainer = app.user_token(Role::Trainer, Some(a)).await;

    let cases = [
        (&admin, "trainer_team", StatusCode::CREATED),
        (&a_team, "trainee", StatusCode::CREATED),
        (&a_team, "trainer", StatusCode::FORBIDDEN),
        (&o_team, "trainer", StatusCode::CREATED),
        (&o_team, "trainee_team", StatusCode::FORBIDDEN),
        (&trainee, "trainee", StatusCode::FORBIDDEN),
        (&trainer, "trainer", StatusCode::FORBIDDEN),
    ];
    for (index, (token, role, expected)) in cases.into_iter().enumerate() {
        let response = app
            .post(&path, Some(token), &invite(&format!("u{index}@a.nl"), role))
            .await;
        assert_eq!(
            response.status(),
            expected,
            "case {index}: inviting a {role}"
        );
    }
    assert_eq!(
        app.outbox().await.len(),
        3,
        "one invitation mail per created user"
    );
    assert_problem(
        app.post(&path, None, &invite("z@a.nl", "trainee")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn an_invitation_names_every_invalid_field_and_refuses_platform_roles_and_duplicates() {
    let app = spawn_app().await;
    let (a, _) = two_institutes(&app).await;
    let path = format!("/institutes/{a}/users");
    let admin = app.admin_token().await;

    let both = app
        .post(
            &path,
            Some(&admin),
            &json!({"email": "not-an-address", "display_name": " ", "role": "trainee"}),
        )
        .await;
    let problem = assert_problem(both, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem
        .errors
        .iter()
        .map(|error| error.field.as_str())
        .collect();
    assert_eq!(fields, ["email", "display_name"]);

    for role in ["admin", "candidate", "integration"] {
        let response = app.post(&path, Some(&admin), &invite("p@a.nl", role)).await;
        let problem = assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, "role");
    }

    assert_eq!(
        app.post(&path, Some(&admin), &invite("dubbel@a.nl", "trainee"))
            .await
            .status(),
        StatusCode::CREATED
    );
    let duplicate = app
        .post(&path, Some(&admin), &invite("DUBBEL@a.nl", "trainer"))
        .await;
    assert_problem(duplicate, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(
        app.outbox().await.len(),
        1,
        "refused invitations send no mail"
    );
}

#[tokio::test]
async fn admins_change_roles_and_deactivate_users_and_nobody_else_may() {
    let app = spawn_app().await;
    let (north, south) = two_institutes(&app).await;
    let admin = app.admin_token().await;
    let email = "wissel@koppel.test";
    let user = app.create_user(email, Role::Trainee, Some(north)).await;
    let signed_in = app.login(email, PASSWORD).await;
    let path = format!("/institutes/{north}/users/{user}");
    let patch = |token: Option<String>, path: String, body: Value| {
        let request = app.client.patch(app.url(&path)).json(&body);
        match token {
            Some(token) => request.bearer_auth(token).send(),
            None => request.send(),
        }
    };

    // Who may not: coordinators, the user, anonymous, and the wrong institute in the path.
    for token in [
        app.user_token(Role::TraineeTeam, Some(north)).await,
        app.user_token(Role::TrainerTeam, Some(north)).await,
        signed_in.access_token.clone(),
    ] {
        assert_problem(
            patch(Some(token), path.clone(), json!({"status": "deactivated"}))
                .await
                .unwrap(),
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        patch(None, path.clone(), json!({"status": "deactivated"}))
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        patch(
            Some(admin.clone()),
            format!("/institutes/{south}/users/{user}"),
            json!({"status": "deactivated"}),
        )
        .await
        .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let invalid = assert_problem(
        patch(Some(admin.clone()), path.clone(), json!({"role": "admin"}))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(invalid.errors[0].field, "role");

    // The administrator changes the role, then deactivates: sign-in and refresh end at once.
    let changed: UserResponse = patch(
        Some(admin.clone()),
        path.clone(),
        json!({"role": "trainer"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(changed.role, Role::Trainer);
    let changed: UserResponse = patch(
        Some(admin.clone()),
        path.clone(),
        json!({"status": "deactivated"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(changed.status, UserStatus::Deactivated);
    // The access token in hand stops working at once, not when it expires.
    assert_problem(
        app.get("/me", Some(&signed_in.access_token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.post(
            "/auth/login",
            None,
            &json!({"email": email, "password": PASSWORD}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_problem(
        app.post(
            "/auth/refresh",
            None,
            &json!({"refresh_token": signed_in.refresh_token}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    // And restores it.
    let restored = patch(Some(admin), path, json!({"status": "active"}))
        .await
        .unwrap();
    assert_eq!(restored.status(), StatusCode::OK);
    app.login(email, PASSWORD).await;
}
