//! Trainees, trainers and practices: CRUD, paging, import (all or nothing) and export, with
//! who may and may not call each endpoint.

use koppel_api_types::{
    ImportResponse, Role, TraineeListResponse, TraineeResponse, TrainerResponse,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

fn trainee(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email, "training_start": "2025-09-01", "part_time_factor": 1.0})
}

fn trainer(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email, "eligible_year1": true, "eligible_year3": true})
}

#[tokio::test]
async fn the_a_team_creates_updates_lists_and_exports_trainees() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let base = format!("/institutes/{institute}/trainees");

    let created = app
        .post(
            &base,
            Some(&a_team),
            &trainee("Sanne Jansen", "S.Jansen@Example.nl"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: TraineeResponse = created.json().await.unwrap();
    assert_eq!(created.email, "s.jansen@example.nl");
    assert_eq!(created.year3_start.to_string(), "2027-09-01");

    let mut changed = trainee("Sanne Jansen", "s.jansen@example.nl");
    changed["part_time_factor"] = json!(0.8);
    let updated = app
        .client
        .put(app.url(&format!("{base}/{}", created.id)))
        .bearer_auth(&a_team)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), StatusCode::OK);
    let updated: TraineeResponse = updated.json().await.unwrap();
    assert_eq!(
        updated.year3_start.to_string(),
        "2028-03-01",
        "24 months at 0.8 take 30 months"
    );

    for i in 0..3 {
        app.post(
            &base,
            Some(&a_team),
            &trainee(&format!("Zoë {i}"), &format!("z{i}@example.nl")),
        )
        .await;
    }
    let page: TraineeListResponse = app
        .get(&format!("{base}?per_page=2&page=2"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len(), page.page), (4, 2, 2));
    let found: TraineeListResponse = app
        .get(&format!("{base}?q=Sanne"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_problem(
        app.get(&format!("{base}?per_page=0"), Some(&a_team)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let csv = app.get(&format!("{base}/export"), Some(&a_team)).await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("name,email,training_start,part_time_factor,leave_days,history\n"));
    assert!(csv.contains("Sanne Jansen,s.jansen@example.nl,2025-09-01,0.8,0"));
}

#[tokio::test]
async fn an_import_with_bad_rows_imports_nothing_and_names_every_row_and_field() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let path = format!("/institutes/{institute}/trainees/import");

    let body = json!({"rows": [
        trainee("Goed", "goed@example.nl"),
        {"name": "", "email": "geen-adres", "training_start": "2025-09-01", "part_time_factor": 0.3},
        trainee("Dubbel", "goed@example.nl"),
    ]});
    let problem = assert_problem(
        app.post(&path, Some(&a_team), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "rows[1].name",
            "rows[1].email",
            "rows[1].part_time_factor",
            "rows[2].email"
        ]
    );
    let list: TraineeListResponse = app
        .get(&format!("/institutes/{institute}/trainees"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.total, 0, "nothing imported");

    let csv = "name,email,training_start,part_time_factor,leave_days\nAnna,anna@example.nl,2025-09-01,1.0,0\nBram,bram@example.nl,not-a-date,1.0,0\nCees,cees@example.nl,2025-09-01,2.0,0\n";
    let response = app.post_raw(&path, Some(&a_team), "text/csv", csv).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["line 3.training_start"],
        "cell errors first: {problem:?}"
    );
    assert_eq!(
        problem.errors[0].message,
        "'not-a-date' is not a date (YYYY-MM-DD)"
    );

    let csv = "name,email,training_start,part_time_factor,leave_days\nAnna,anna@example.nl,2025-09-01,1.0,0\nCees,cees@example.nl,2025-09-01,2.0,0\n";
    let response = app.post_raw(&path, Some(&a_team), "text/csv", csv).await;
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "line 3.part_time_factor");

    let good = "name,email,training_start,part_time_factor,leave_days\nAnna,anna@example.nl,2025-09-01,1.0,0\nCees,cees@example.nl,2025-09-01,0.8,5\n";
    let response = app.post_raw(&path, Some(&a_team), "text/csv", good).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let report: ImportResponse = response.json().await.unwrap();
    assert_eq!(report.imported, 2);
}

#[tokio::test]
async fn trainee_history_imports_and_exports_as_csv() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let trainer_id: Value = app
        .post(
            &format!("/institutes/{institute}/trainers"),
            Some(&o_team),
            &trainer("Dr. Visser", "visser@example.nl"),
        )
        .await
        .json()
        .await
        .unwrap();
    let trainer_id = trainer_id["id"].as_str().unwrap().to_owned();
    let path = format!("/institutes/{institute}/trainees/import");
    let send = |body: String| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&a_team)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };

    let unknown = "0190e8f0-7c1a-7000-8000-000000000001";
    let bad = format!(
        "name,email,training_start,part_time_factor,leave_days,history\n\
         Anna,anna@example.nl,2023-09-01,1.0,0,{trainer_id}:1:2023-09-01:2024-08-31\n\
         Bram,bram@example.nl,2023-09-01,1.0,0,{trainer_id}:one:2023-09-01\n\
         Cees,cees@example.nl,2023-09-01,1.0,0,{unknown}:1:2023-09-01\n"
    );
    let problem = assert_problem(
        send(bad).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["line 3.history[0]"], "{problem:?}");
    assert!(
        problem.errors[0]
            .message
            .contains("trainer_id:training_year")
    );

    let unknown_trainer = format!(
        "name,email,training_start,part_time_factor,leave_days,history\n\
         Cees,cees@example.nl,2023-09-01,1.0,0,{unknown}:1:2023-09-01\n"
    );
    let problem = assert_problem(
        send(unknown_trainer).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "line 2.history[0].trainer_id");

    let good = format!(
        "name,email,training_start,part_time_factor,leave_days,history\n\
         Anna,anna@example.nl,2023-09-01,1.0,0,{trainer_id}:1:2023-09-01:2024-08-31\n\
         Bram,bram@example.nl,2025-09-01,1.0,0,\n"
    );
    let response = send(good).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let list: TraineeListResponse = app
        .get(
            &format!("/institutes/{institute}/trainees?q=Anna"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    let history = &list.items[0].history;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].trainer_id.to_string(), trainer_id);
    assert_eq!(history[0].training_year, 1);
    assert_eq!(history[0].ends_on.unwrap().to_string(), "2024-08-31");

    let csv = app
        .get(
            &format!("/institutes/{institute}/trainees/export"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(&format!(
            "Anna,anna@example.nl,2023-09-01,1,0,{trainer_id}:1:2023-09-01:2024-08-31"
        )),
        "{csv}"
    );
}

#[tokio::test]
async fn the_o_team_manages_trainers_and_practices() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let practice: Value = app
        .post(
            &format!("/institutes/{institute}/practices"),
            Some(&o_team),
            &json!({"name": "De Linde", "city": "Zwolle"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut body = trainer("Dr. Visser", "visser@example.nl");
    body["practice_id"] = practice["id"].clone();
    let created = app
        .post(
            &format!("/institutes/{institute}/trainers"),
            Some(&o_team),
            &body,
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: TrainerResponse = created.json().await.unwrap();
    assert_eq!(
        created.practice_id.map(|p| p.to_string()),
        practice["id"].as_str().map(str::to_owned)
    );

    let mut neither = trainer("Niemand", "niemand@example.nl");
    neither["eligible_year1"] = json!(false);
    neither["eligible_year3"] = json!(false);
    let problem = assert_problem(
        app.post(
            &format!("/institutes/{institute}/trainers"),
            Some(&o_team),
            &neither,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "eligible_year3");

    let csv = "name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id\nDr. Bakker,bakker@example.nl,false,true,true,2026-02-28,\n";
    let response = app
        .post_raw(
            &format!("/institutes/{institute}/trainers/import"),
            Some(&o_team),
            "text/csv",
            csv,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let export = app
        .get(
            &format!("/institutes/{institute}/trainers/export"),
            Some(&o_team),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        export.contains("Dr. Bakker,bakker@example.nl,false,true,true,2026-02-28,"),
        "{export}"
    );
}

#[tokio::test]
async fn who_may_read_and_change_people() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding A").await;
    let other = app.create_institute("Huisartsopleiding B").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let integration = app.user_token(Role::Integration, Some(institute)).await;
    let trainee_user = app.user_token(Role::Trainee, Some(institute)).await;
    let trainer_user = app.user_token(Role::Trainer, Some(institute)).await;
    let foreign_a_team = app.user_token(Role::TraineeTeam, Some(other)).await;
    let admin = app.admin_token().await;

    let trainees = format!("/institutes/{institute}/trainees");
    let trainers = format!("/institutes/{institute}/trainers");
    let practices = format!("/institutes/{institute}/practices");
    // Writes: the A-team writes trainees, the O-team trainers and practices.
    let cases: [(&str, &String, Value, &String, StatusCode); 9] = [
        (
            "a-team trainee",
            &trainees,
            trainee("T1", "t1@x.nl"),
            &a_team,
            StatusCode::CREATED,
        ),
        (
            "o-team trainee",
            &trainees,
            trainee("T2", "t2@x.nl"),
            &o_team,
            StatusCode::FORBIDDEN,
        ),
        (
            "integration trainee",
            &trainees,
            trainee("T3", "t3@x.nl"),
            &integration,
            StatusCode::CREATED,
        ),
        (
            "admin trainee",
            &trainees,
            trainee("T4", "t4@x.nl"),
            &admin,
            StatusCode::CREATED,
        ),
        (
            "o-team trainer",
            &trainers,
            trainer("R1", "r1@x.nl"),
            &o_team,
            StatusCode::CREATED,
        ),
        (
            "a-team trainer",
            &trainers,
            trainer("R2", "r2@x.nl"),
            &a_team,
            StatusCode::FORBIDDEN,
        ),
        (
            "trainee trainer",
            &trainers,
            trainer("R3", "r3@x.nl"),
            &trainee_user,
            StatusCode::FORBIDDEN,
        ),
        (
            "a-team practice",
            &practices,
            json!({"name": "P", "city": "Q"}),
            &a_team,
            StatusCode::FORBIDDEN,
        ),
        (
            "foreign a-team trainee",
            &trainees,
            trainee("T5", "t5@x.nl"),
            &foreign_a_team,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (name, path, body, token, expected) in cases {
        assert_eq!(
            app.post(path, Some(token), &body).await.status(),
            expected,
            "{name}"
        );
    }
    // Reads: both teams, integrations and admins; not trainees, trainers or other institutes.
    for path in [
        &trainees,
        &trainers,
        &practices,
        &format!("{trainees}/export"),
    ] {
        for token in [&a_team, &o_team, &integration, &admin] {
            assert_eq!(
                app.get(path, Some(token)).await.status(),
                StatusCode::OK,
                "{path}"
            );
        }
        for token in [&trainee_user, &trainer_user] {
            assert_problem(
                app.get(path, Some(token)).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
        assert_problem(
            app.get(path, Some(&foreign_a_team)).await,
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
    let list: TraineeListResponse = app
        .get(&trainees, Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    let id = list.items[0].id;
    assert_problem(
        app.get(
            &format!("/institutes/{other}/trainees/{id}"),
            Some(&foreign_a_team),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/institutes/{institute}/trainees/{id}"),
            Some(&foreign_a_team),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let import = app
        .client
        .post(app.url(&format!("{trainees}/import")))
        .bearer_auth(&o_team)
        .json(&json!({"rows": []}))
        .send()
        .await
        .unwrap();
    assert_problem(import, StatusCode::FORBIDDEN, "forbidden").await;
}

/// Imports trainees from a CSV body, which must be accepted, and lists the institute's trainees.
async fn import_trainees_csv(app: &TestApp, token: &str, institute: Uuid, csv: String) -> Value {
    let response = app
        .post_raw(
            &format!("/institutes/{institute}/trainees/import"),
            Some(token),
            "text/csv",
            csv,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.get(&format!("/institutes/{institute}/trainees"), Some(token))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn exported_cells_cannot_start_a_spreadsheet_formula_and_import_back_unchanged() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let from = app.create_institute("Huisartsopleiding Export").await;
    let to = app.create_institute("Huisartsopleiding Import").await;
    let formula = "=HYPERLINK(\"http://aanvaller.invalid\",\"klik\")";
    let response = app
        .post(
            &format!("/institutes/{from}/trainees"),
            Some(&admin),
            &trainee(formula, "formule@example.nl"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let csv = app
        .get(&format!("/institutes/{from}/trainees/export"), Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    let line = csv.lines().nth(1).unwrap();
    assert!(line.starts_with("\"'=HYPERLINK("), "{line}");

    let list = import_trainees_csv(&app, &admin, to, csv).await;
    assert_eq!(list["items"][0]["name"], formula);
}

#[tokio::test]
async fn an_export_for_excel_in_dutch_imports_back_unchanged() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let from = app.create_institute("Huisartsopleiding Export").await;
    let to = app.create_institute("Huisartsopleiding Import").await;
    let mut body = trainee("Anouk Visser-Öztürk", "anouk@example.nl");
    body["part_time_factor"] = json!(0.8);
    let response = app
        .post(&format!("/institutes/{from}/trainees"), Some(&admin), &body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let export = |dialect: &str| {
        let path = format!("/institutes/{from}/trainees/export?dialect={dialect}");
        let app = &app;
        let admin = admin.clone();
        async move { app.get(&path, Some(&admin)).await }
    };
    let csv = export("excel_nl").await.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}name;email;training_start;part_time_factor;leave_days;history")
    );
    assert_eq!(
        lines.next(),
        Some("Anouk Visser-Öztürk;anouk@example.nl;2025-09-01;0,8;0;")
    );
    let standard = export("standard").await.text().await.unwrap();
    assert!(standard.starts_with("name,email,"), "{standard}");
    assert!(standard.contains(",0.8,"), "{standard}");
    assert_problem(
        export("excel").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let list = import_trainees_csv(&app, &admin, to, csv).await;
    assert_eq!(list["items"][0]["name"], "Anouk Visser-Öztürk");
    assert_eq!(list["items"][0]["part_time_factor"], 0.8);
}
