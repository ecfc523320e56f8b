//! Spreadsheet exports: XLSX workbooks with real dates and numbers beside CSV, and who may export
//! a round's preferences and coupling results.

use std::io::Read;

use koppel_api_types::Role;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The first worksheet's XML and the shared strings of an XLSX workbook.
fn worksheet(bytes: &[u8]) -> (String, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    (
        read("xl/worksheets/sheet1.xml"),
        read("xl/sharedStrings.xml"),
    )
}

/// The XML element of cell `reference` (`C2`) in a worksheet.
fn cell<'a>(sheet: &'a str, reference: &str) -> &'a str {
    let start = sheet
        .find(&format!("<c r=\"{reference}\""))
        .unwrap_or_else(|| panic!("no cell {reference} in {sheet}"));
    let rest = &sheet[start..];
    let end = rest.find("</c>").map_or(rest.len(), |end| end + 4);
    &rest[..end]
}

#[tokio::test]
async fn a_trainee_export_as_xlsx_holds_real_dates_and_numbers() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let created = app
        .post(
            &format!("/institutes/{institute}/trainees"),
            Some(&a_team),
            &serde_json::json!({
                "name": "=Sanne Jansen", "email": "sanne@example.nl",
                "training_start": "2027-03-01", "part_time_factor": 0.8, "leave_days": 12,
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let response = app
        .get(
            &format!("/institutes/{institute}/trainees/export?format=xlsx"),
            Some(&a_team),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], XLSX);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("trainees.xlsx")
    );
    let (sheet, strings) = worksheet(&response.bytes().await.unwrap());
    // Text is a shared string, written as text even when it starts like a formula.
    assert!(cell(&sheet, "A2").contains("t=\"s\""), "{sheet}");
    assert!(strings.contains("=Sanne Jansen"), "{strings}");
    assert!(!sheet.contains("<f>"), "no formulas: {sheet}");
    // 1 March 2027 is day 46447 of Excel's calendar, with a date format (a style).
    let start = cell(&sheet, "C2");
    assert!(start.contains("<v>46447</v>"), "{start}");
    assert!(start.contains(" s=\""), "a date is formatted: {start}");
    assert!(!start.contains("t=\""), "a date is a number: {start}");
    assert!(cell(&sheet, "D2").contains("<v>0.8</v>"), "{sheet}");
    assert!(cell(&sheet, "E2").contains("<v>12</v>"), "{sheet}");

    // The same export as CSV, and an unknown format refused by name.
    let csv = app
        .get(
            &format!("/institutes/{institute}/trainees/export?format=csv"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("'=Sanne Jansen,sanne@example.nl,2027-03-01,0.8,12,"),
        "{csv}"
    );
    let problem = assert_problem(
        app.get(
            &format!("/institutes/{institute}/trainees/export?format=pdf"),
            Some(&a_team),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "format");
}

#[tokio::test]
async fn a_trainer_export_as_xlsx_has_yes_no_cells_and_dates() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    app.new_trainer(institute, &o_team, "Dr. Bakker", "bakker@example.nl")
        .await;
    let response = app
        .get(
            &format!("/institutes/{institute}/trainers/export?format=xlsx"),
            Some(&o_team),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (sheet, _) = worksheet(&response.bytes().await.unwrap());
    let eligible = cell(&sheet, "C2");
    assert!(eligible.contains("t=\"b\""), "{eligible}");
    assert!(eligible.contains("<v>1</v>"), "{eligible}");
}

/// A round of institute `institute` with two trainers.
async fn round_with_trainers(app: &TestApp, institute: Uuid, a_team: &str) -> Uuid {
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let round = app.new_round(institute, a_team, "september", 2027).await;
    let first = app
        .new_trainer(institute, &o_team, "Dr. Bakker", "bakker@example.nl")
        .await;
    let second = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@example.nl")
        .await;
    for trainer in [first, second] {
        app.add_round_trainer(round, &o_team, trainer).await;
    }
    round
}

#[tokio::test]
async fn who_may_export_a_rounds_preferences_final_rankings_and_coupling_results() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let round = round_with_trainers(&app, institute, &a_team).await;
    let other = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign = app.user_token(Role::TraineeTeam, Some(other)).await;
    let trainee = app.user_token(Role::Trainee, Some(institute)).await;
    let trainer = app.user_token(Role::Trainer, Some(institute)).await;

    let preferences = format!("/rounds/{round}/preferences/export");
    for token in [&a_team, &o_team] {
        let response = app.get(&preferences, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.text().await.unwrap(),
            "trainee,trainee_email,rank,trainer,trainer_email\n",
            "nothing submitted yet"
        );
    }
    let xlsx = app
        .get(&format!("{preferences}?format=xlsx"), Some(&a_team))
        .await;
    assert_eq!(xlsx.headers()["content-type"], XLSX);
    let rankings = format!("/rounds/{round}/final-rankings/export");
    assert_eq!(
        app.get(&rankings, Some(&o_team))
            .await
            .text()
            .await
            .unwrap(),
        "side,ranker,ranker_email,rank,ranked,ranked_email\n"
    );
    let run = Uuid::new_v4();
    let coupling = format!("/rounds/{round}/coupling-runs/{run}/export");
    assert_problem(
        app.get(&coupling, Some(&a_team)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for path in [&preferences, &rankings, &coupling] {
        assert_problem(
            app.get(path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
        assert_problem(
            app.get(path, Some(&foreign)).await,
            StatusCode::NOT_FOUND,
            "not_found",
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
}
