//! From a drawn lottery to trainees due in the institute's first year-1 round: locations are
//! linked to institutes, the administrator hands the placed candidates over once the second
//! chance is over, and each institute's A-team sees its own and imports them in one step.

use chrono::{Duration, Utc};
use koppel_api::store::entities::lottery_offer;
use koppel_api_types::{
    LotteryOfferListResponse, PlacedCandidateListResponse, Role, TokenResponse,
};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app};

async fn offers(app: &TestApp, id: Uuid, admin: &str) -> LotteryOfferListResponse {
    app.get(&format!("/lotteries/{id}/offers"), Some(admin))
        .await
        .json()
        .await
        .unwrap()
}

/// Lets every open offer run out; reading the offers then settles them.
async fn expire_open_offers(app: &TestApp, id: Uuid, admin: &str) {
    lottery_offer::Entity::update_many()
        .col_expr(
            lottery_offer::Column::RespondBy,
            Expr::value(Utc::now() - Duration::hours(1)),
        )
        .filter(lottery_offer::Column::LotteryId.eq(id))
        .filter(lottery_offer::Column::Status.eq("open"))
        .exec(&app.db)
        .await
        .unwrap();
    offers(app, id, admin).await;
}

async fn hand_over(app: &TestApp, id: Uuid, token: &str, start: &str) -> reqwest::Response {
    app.post(
        &format!("/lotteries/{id}/handover"),
        Some(token),
        &json!({"placement_start": start}),
    )
    .await
}

#[tokio::test]
async fn placed_candidates_go_from_a_drawn_lottery_to_their_institutes_first_year_1_round() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let noord = app.create_institute("Huisartsopleiding Noord").await;
    let zuid = app.create_institute("Huisartsopleiding Zuid").await;
    let created: Value = app
        .post(
            "/lotteries",
            Some(&admin),
            &json!({"name": "Loting september 2027", "draw_on": "2026-11-14", "applicants": 8, "selected": 5, "response_days": 7}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();
    let put_locations = |locations: Value| {
        let request = app
            .client
            .put(app.url(&format!("/lotteries/{id}/locations")))
            .bearer_auth(&admin)
            .json(&json!({"locations": locations}));
        async move { request.send().await.unwrap() }
    };
    // A location's institute must exist.
    let problem = assert_problem(
        put_locations(
            json!([{"id": "a", "name": "Noord A", "capacity": 1, "institute_id": Uuid::new_v4()}]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "locations[0].institute_id");
    // a (1 place) and c (2) are Noord's; b (1) is linked below, after the draw.
    let set = put_locations(json!([
        {"id": "a", "name": "Noord A", "capacity": 1, "institute_id": noord},
        {"id": "b", "name": "Zuid B", "capacity": 1},
        {"id": "c", "name": "Noord C", "capacity": 2, "institute_id": noord},
    ]))
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let rows: Vec<String> = (1..=5)
        .map(|i| format!("K-{i},Kandidaat {i},k{i}@loting.test,a;b,false,2026-10-0{i}"))
        .collect();
    let csv = format!(
        "id,name,email,preferences,second_attempt,suitable_on\n{}\n",
        rows.join("\n")
    );
    let imported = app
        .post_raw(
            &format!("/lotteries/{id}/candidates/import"),
            Some(&admin),
            "text/csv",
            csv,
        )
        .await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    // Not drawn yet: no hand-over.
    assert_problem(
        hand_over(&app, id, &admin, "2027-09-01").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    // Noord's system follows the lottery through webhooks; Zuid, with no location, hears nothing.
    let events = ["lottery.drawn", "lottery.offer_decided"];
    let noord_system = crate::webhooks::Receiver::start(&[]).await;
    let noord_hook =
        crate::webhooks::register(&app, noord, &admin, &noord_system.url, &events).await;
    let zuid_system = crate::webhooks::Receiver::start(&[]).await;
    crate::webhooks::register(&app, zuid, &admin, &zuid_system.url, &events).await;
    app.post(&format!("/lotteries/{id}/commit"), Some(&admin), &json!({}))
        .await;
    let drawn = app
        .post(
            &format!("/lotteries/{id}/draw"),
            Some(&admin),
            &json!({"public_value": "drand quicknet round 1: 00ff"}),
        )
        .await;
    assert_eq!(drawn.status(), StatusCode::OK);

    // Two placed by the draw (a, b); c's two places are offered to the unplaced.
    let open = offers(&app, id, &admin).await;
    assert_eq!(open.items.len(), 2);
    let problem = assert_problem(
        hand_over(&app, id, &admin, "2027-09-01").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        problem.detail.contains("2 offer(s) still open"),
        "{}",
        problem.detail
    );
    // One accepts; the other place runs out twice (the third unplaced gets it, then it expires).
    let first = &open.items[0];
    let email = format!("k{}@loting.test", &first.candidate_id[2..]);
    let token = app.token_from_mail(&email, "/activate").await;
    let candidate = app
        .post(
            "/auth/activate",
            None,
            &json!({"token": token, "password": PASSWORD}),
        )
        .await
        .json::<TokenResponse>()
        .await
        .unwrap()
        .access_token;
    let accepted = app
        .post(
            &format!("/lotteries/{id}/offers/{}/decision", first.id),
            Some(&candidate),
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    expire_open_offers(&app, id, &admin).await;
    expire_open_offers(&app, id, &admin).await;
    assert!(
        offers(&app, id, &admin)
            .await
            .items
            .iter()
            .all(|offer| offer.status != "open")
    );
    // The draw once, then each decision on Noord C's offers: ids only, no candidate.
    let received = noord_system.wait_for(4).await;
    assert!(received.iter().all(|r| r.signed_with(&noord_hook.secret)));
    let bodies: Vec<Value> = received.iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0]["type"], "lottery.drawn");
    assert_eq!(bodies[0]["data"]["lottery_id"], id.to_string());
    let decisions: Vec<(&str, &str)> = bodies[1..]
        .iter()
        .map(|b| {
            (
                b["data"]["location_id"].as_str().unwrap(),
                b["data"]["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        [("c", "accepted"), ("c", "expired"), ("c", "expired")]
    );
    assert!(
        bodies[1..].iter().all(
            |b| b["type"] == "lottery.offer_decided" && b["data"].get("candidate_id").is_none()
        )
    );
    assert_eq!(bodies[1]["data"]["offer_id"], first.id.to_string());
    assert!(zuid_system.received().is_empty());

    // Only administrators hand over; a placement start must be a start day after the draw; a
    // location with placed candidates must have an institute.
    let a_team = app.user_token(Role::TraineeTeam, Some(noord)).await;
    assert_problem(
        hand_over(&app, id, &a_team, "2027-09-01").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let problem = assert_problem(
        hand_over(&app, id, &admin, "2027-09-02").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "placement_start");
    let problem = assert_problem(
        hand_over(&app, id, &admin, "2027-09-01").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        problem.detail.contains("not linked: b"),
        "{}",
        problem.detail
    );
    let linked = app
        .client
        .patch(app.url(&format!("/lotteries/{id}/locations/b")))
        .bearer_auth(&admin)
        .json(&json!({"institute_id": zuid}))
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), StatusCode::NO_CONTENT);

    let handed: Value = hand_over(&app, id, &admin, "2027-09-01")
        .await
        .json()
        .await
        .unwrap();
    let counts: Vec<(String, u64)> = handed["institutes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_owned(),
                i["candidates"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut counts = counts;
    counts.sort();
    assert_eq!(
        counts,
        [
            ("Huisartsopleiding Noord".to_owned(), 2),
            ("Huisartsopleiding Zuid".to_owned(), 1)
        ]
    );
    assert_problem(
        hand_over(&app, id, &admin, "2027-09-01").await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        app.outbox()
            .await
            .iter()
            .any(|mail| mail.kind == "placed_candidates"
                && mail.subject.starts_with("2 geplaatste kandidaten"))
    );

    // Noord's A-team sees its two (one from the second chance), not Zuid's.
    let placed: PlacedCandidateListResponse = app
        .get(
            &format!("/institutes/{noord}/placed-candidates"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(placed.items.len(), 2);
    assert!(placed.items.iter().all(|p| p.location_id != "b"));
    assert_eq!(placed.items.iter().filter(|p| p.second_chance).count(), 1);
    assert!(placed.items.iter().all(|p| p.trainee_id.is_none()));
    let zuid_team = app.user_token(Role::TraineeTeam, Some(zuid)).await;
    assert_problem(
        app.get(
            &format!("/institutes/{noord}/placed-candidates"),
            Some(&zuid_team),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let o_team = app.user_token(Role::TrainerTeam, Some(noord)).await;
    assert_problem(
        app.post(
            &format!("/institutes/{noord}/placed-candidates/import"),
            Some(&o_team),
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // One step imports them as year-1 trainees; a second imports nothing.
    let imported: Value = app
        .post(
            &format!("/institutes/{noord}/placed-candidates/import"),
            Some(&a_team),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(imported["imported"], 2);
    let again: Value = app
        .post(
            &format!("/institutes/{noord}/placed-candidates/import"),
            Some(&a_team),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["imported"], 0);
    // One leaves and is anonymised: the placement they came from loses their name too.
    let gone: Uuid = imported["trainee_ids"][0]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let anonymised = app
        .post(
            &format!("/institutes/{noord}/trainees/{gone}/anonymise"),
            Some(&a_team),
            &json!({}),
        )
        .await;
    assert!(anonymised.status().is_success(), "{}", anonymised.status());
    let after: PlacedCandidateListResponse = app
        .get(
            &format!("/institutes/{noord}/placed-candidates"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    let gone_row = after
        .items
        .iter()
        .find(|p| p.trainee_id == Some(gone))
        .unwrap();
    assert!(
        gone_row.name.starts_with("Geanonimiseerde aios"),
        "{}",
        gone_row.name
    );
    assert!(gone_row.email.ends_with("@koppel.invalid"));
    assert_eq!(
        after
            .items
            .iter()
            .filter(|p| p.name.starts_with("Kandidaat"))
            .count(),
        1
    );

    // They are due, as year 1, in Noord's September 2027 round.
    let round = app.new_round(noord, &a_team, "september", 2027).await;
    let due: Value = app
        .get(&format!("/rounds/{round}/due-trainees"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    let mut names: Vec<(String, u64)> = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["training_year"].as_u64().unwrap(),
            )
        })
        .collect();
    names.sort();
    let mut expected: Vec<(String, u64)> =
        after.items.iter().map(|p| (p.name.clone(), 1)).collect();
    expected.sort();
    assert_eq!(names, expected);
}
