//! A complete coupling round through the API, from creation to published couplings and mails:
//! 12 trainees and 14 trainers, with a refused and an accepted veto.

use std::collections::HashMap;

use koppel_api_types::{
    MyCouplingResponse, MyInterviewsResponse, RankableTrainerListResponse, Role,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app};

async fn id_of(response: reqwest::Response) -> Uuid {
    assert!(response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn move_to(app: &TestApp, round: Uuid, token: &str, phase: &str) {
    let response = app
        .post(
            &format!("/rounds/{round}/transitions"),
            Some(token),
            &json!({"to": phase}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "to {phase}");
}

/// Asks to publish a coupling run.
async fn publish_run(app: &TestApp, round: Uuid, run: &str, token: &str) -> reqwest::Response {
    app.post(
        &format!("/rounds/{round}/coupling-runs/{run}/publish"),
        Some(token),
        &json!({}),
    )
    .await
}

/// The actions of the round's audit log, oldest first.
async fn audit_actions(app: &TestApp, round: Uuid, token: &str) -> Vec<String> {
    let audit: Value = app
        .get(&format!("/rounds/{round}/audit"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// The round's public statistics after publication: the run's figures, each count shown only when
/// it is 0 or at least 5 and never one hidden alone; listed publicly and in the A-team's trends.
async fn check_statistics(app: &TestApp, round: Uuid, run: &Value, a_team: &str) {
    let statistics: Value = app
        .get(&format!("/statistics/rounds/{round}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statistics["trainees"], 12);
    assert_eq!(statistics["coupled"], 12);
    assert_eq!(statistics["uncoupled"], 0);
    assert_eq!(statistics["institute"], "Huisartsopleiding Noord");
    for (side, field) in [
        ("trainee_ranks", "trainee_rank"),
        ("trainer_ranks", "trainer_rank"),
    ] {
        let cells = statistics[side].as_array().unwrap();
        assert!(cells.len() >= 4, "{statistics}");
        // Exactly what the domain's rule makes of the run's counts.
        let assignments = run["result"]["assignments"].as_array().unwrap();
        let counts: Vec<u32> = (1..=cells.len() as u64)
            .map(|rank| {
                assignments
                    .iter()
                    .filter(|a| a[field].as_u64() == Some(rank))
                    .count() as u32
            })
            .collect();
        let shown: Vec<Option<u32>> = cells
            .iter()
            .map(|cell| cell["count"].as_u64().map(|n| n as u32))
            .collect();
        assert_eq!(
            shown,
            koppel_domain::statistics::published_ranks(&counts),
            "{side}"
        );
        // Wholly hidden when (nearly) everyone shares one rank: partners would learn theirs.
        if cells.iter().all(|cell| cell["count"].is_null()) {
            continue;
        }
        for cell in cells {
            let rank = cell["rank"].as_u64().unwrap();
            let actual = run["result"]["assignments"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a[field].as_u64() == Some(rank))
                .count() as u64;
            match cell["count"].as_u64() {
                Some(count) => {
                    assert_eq!(count, actual, "{side} rank {rank}");
                    assert!(count == 0 || count >= 5, "{side} rank {rank}: {count}");
                }
                None => assert!(actual > 0, "{side} rank {rank} hidden"),
            }
        }
        assert_ne!(
            cells.iter().filter(|cell| cell["count"].is_null()).count(),
            1,
            "{side}: a lone hidden count follows from the total"
        );
    }
    let index: Value = app.get("/statistics", None).await.json().await.unwrap();
    assert_eq!(index["rounds"][0]["round_id"], round.to_string());
    let institute = statistics["institute"].clone();
    let me: Value = app.get("/me", Some(a_team)).await.json().await.unwrap();
    let trends: Value = app
        .get(
            &format!(
                "/institutes/{}/statistics",
                me["institute"]["id"].as_str().unwrap()
            ),
            Some(a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trends["items"].as_array().unwrap().len(), 1);
    assert_eq!(trends["items"][0]["institute"], institute);
    // The coordinators' trends hold the same figures as the public page, no more.
    assert_eq!(trends["items"][0], statistics);
}

/// The round's events reached the institute's endpoint, signed, in order, with ids and links
/// only: no ranking, veto or withdrawal reason.
async fn check_webhooks(
    receiver: &crate::webhooks::Receiver,
    secret: &str,
    round: Uuid,
    dropped: Uuid,
) {
    // Five phase changes, the proposal, the coupling and the drop-out.
    let received = receiver.wait_for(8).await;
    assert!(received.iter().all(|r| r.signed_with(secret)));
    let bodies: Vec<Value> = received.iter().map(|r| r.json()).collect();
    // Each body is exactly the documented `WebhookPayload`: nothing more, nothing lost.
    for body in &bodies {
        let typed: koppel_api_types::WebhookPayload = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(&serde_json::to_value(typed).unwrap(), body);
    }
    let events: Vec<String> = bodies
        .iter()
        .map(|b| match b["data"]["to"].as_str() {
            Some(to) => format!("{} {to}", b["type"].as_str().unwrap()),
            None => b["type"].as_str().unwrap().to_owned(),
        })
        .collect();
    // In the order of their causes; the coupling and the phase it moves the round to come from
    // one transaction, and may arrive either way round.
    let mut events = events;
    events[5..7].sort();
    assert_eq!(
        events,
        [
            "round.phase_changed profiles",
            "round.phase_changed preferences",
            "interview_proposal.published",
            "round.phase_changed interviews",
            "round.phase_changed coupling",
            "coupling.published",
            "round.phase_changed published",
            "participant.withdrawn",
        ]
    );
    assert!(
        bodies
            .iter()
            .all(|b| b["data"]["round_id"] == round.to_string())
    );
    let withdrawn = &bodies[7]["data"];
    assert_eq!(withdrawn["participant_kind"], "trainer");
    assert_eq!(withdrawn["participant_id"], dropped.to_string());
    fn keys(value: &Value, into: &mut Vec<String>) {
        if let Value::Object(map) = value {
            for (key, inner) in map {
                into.push(key.clone());
                keys(inner, into);
            }
        }
    }
    let mut names = Vec::new();
    bodies.iter().for_each(|b| keys(b, &mut names));
    names.sort();
    names.dedup();
    assert_eq!(
        names,
        [
            "by",
            "data",
            "from",
            "institute_id",
            "links",
            "participant_id",
            "participant_kind",
            "round",
            "round_id",
            "run",
            "run_id",
            "timestamp",
            "to",
            "type",
        ]
    );
    assert!(
        received.iter().all(|r| !r.body.contains("ziek")),
        "no reason"
    );
}

#[tokio::test]
async fn a_whole_round_from_creation_to_published_couplings() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    // The institute's own system follows the round through webhooks.
    let receiver = crate::webhooks::Receiver::start(&[]).await;
    let every_event = [
        "round.phase_changed",
        "interview_proposal.published",
        "coupling.published",
        "participant.withdrawn",
    ];
    let hook =
        crate::webhooks::register(&app, institute, &a_team, &receiver.url, &every_event).await;

    // Preparation: 14 trainers, 12 trainees (6 new in year 1, 6 in year 3), a September round.
    let mut trainer_emails = HashMap::new();
    for t in 0..14 {
        let email = format!("opleider{t}@x.nl");
        let body = json!({"name": format!("Opleider {t:02}"), "email": email, "eligible_year1": true, "eligible_year3": true, "large_scale_structure": true});
        let id = id_of(
            app.post(
                &format!("/institutes/{institute}/trainers"),
                Some(&o_team),
                &body,
            )
            .await,
        )
        .await;
        trainer_emails.insert(id, email);
    }
    let mut trainee_emails = HashMap::new();
    for a in 0..12 {
        let email = format!("aios{a}@x.nl");
        let start = if a < 6 { "2027-09-01" } else { "2025-09-01" };
        let body = json!({"name": format!("Aios {a:02}"), "email": email, "training_start": start});
        let id = id_of(
            app.post(
                &format!("/institutes/{institute}/trainees"),
                Some(&a_team),
                &body,
            )
            .await,
        )
        .await;
        trainee_emails.insert(id, email);
    }
    let round = id_of(
        app.post(
            &format!("/institutes/{institute}/rounds"),
            Some(&a_team),
            &json!({"start_month": "september", "start_year": 2027}),
        )
        .await,
    )
    .await;
    let due: Value = app
        .get(&format!("/rounds/{round}/due-trainees"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(due["items"].as_array().unwrap().len(), 12);
    for id in trainee_emails.keys() {
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
    for id in trainer_emails.keys() {
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
    let mut tokens = HashMap::new();
    for (id, email) in trainee_emails.iter().chain(trainer_emails.iter()) {
        tokens.insert(*id, app.activate_from_mail(email).await);
    }
    let trainees: Vec<Uuid> = {
        let mut v: Vec<Uuid> = trainee_emails.keys().copied().collect();
        v.sort();
        v
    };
    let trainers: Vec<Uuid> = {
        let mut v: Vec<Uuid> = trainer_emails.keys().copied().collect();
        v.sort();
        v
    };

    // Step 1 and 2.
    move_to(&app, round, &a_team, "profiles").await;
    move_to(&app, round, &a_team, "preferences").await;

    // A veto on travel time is refused with the policy; a personal relationship is accepted.
    let first = trainees[0];
    let refused = app
        .post(
            &format!("/rounds/{round}/vetoes"),
            Some(&tokens[&first]),
            &json!({"counterpart_id": trainers[0], "category": "travel_time"}),
        )
        .await;
    let problem = assert_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "category");
    assert!(
        problem.errors[0].message.contains("(lease) car"),
        "{}",
        problem.errors[0].message
    );
    let accepted = app.post(&format!("/rounds/{round}/vetoes"), Some(&tokens[&first]), &json!({"counterpart_id": trainers[0], "category": "personal_relationship", "relationship": "own_gp"})).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let rankable: RankableTrainerListResponse = app
        .get(
            &format!("/rounds/{round}/rankable-trainers"),
            Some(&tokens[&first]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        rankable.items.len(),
        13,
        "the vetoed trainer cannot be ranked"
    );

    for (index, trainee) in trainees.iter().enumerate() {
        let mut order: Vec<Uuid> = trainers
            .iter()
            .cycle()
            .skip(index)
            .take(14)
            .copied()
            .collect();
        if *trainee == first {
            order.retain(|t| *t != trainers[0]);
        }
        assert_eq!(
            put(
                &app,
                &format!("/rounds/{round}/preferences"),
                &tokens[trainee],
                &json!({"trainer_ids": order})
            )
            .await
            .status(),
            StatusCode::OK
        );
    }
    // The A-team's spreadsheet of the preferences: a row per trainee and rank, as submitted.
    let lists: Value = app
        .get(&format!("/rounds/{round}/preferences"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    let ranked: usize = lists["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["trainer_ids"].as_array().unwrap().len())
        .sum();
    let table = app
        .get(
            &format!("/rounds/{round}/preferences/export"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), ranked, "{table}");
    let ranks: Vec<&str> = rows
        .iter()
        .filter_map(|row| row.split(',').nth(2))
        .collect();
    assert_eq!(
        ranks.iter().filter(|rank| **rank == "1").count(),
        trainees.len()
    );
    let proposal: Value = app
        .post(
            &format!("/rounds/{round}/interview-proposal"),
            Some(&a_team),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(proposal["guarantee"]["complete"], true);
    assert_eq!(
        app.post(
            &format!("/rounds/{round}/interview-proposal/publish"),
            Some(&a_team),
            &json!({})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    move_to(&app, round, &o_team, "interviews").await;

    // Step 3: both sides rank their interview counterparts in the order listed.
    let mut submitted_ranks = 0;
    for id in trainees.iter().chain(trainers.iter()) {
        let mine: MyInterviewsResponse = app
            .get(
                &format!("/rounds/{round}/interviews/mine"),
                Some(&tokens[id]),
            )
            .await
            .json()
            .await
            .unwrap();
        if mine.items.is_empty() {
            continue;
        }
        let ranks: Vec<Value> = mine
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let counterpart = if trainees.contains(id) {
                    item.trainer_id
                } else {
                    item.trainee_id
                };
                json!({"counterpart_id": counterpart, "rank": i + 1})
            })
            .collect();
        let response = put(
            &app,
            &format!("/rounds/{round}/final-ranking"),
            &tokens[id],
            &json!({"ranks": ranks}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "final ranking of {id}");
        submitted_ranks += ranks.len();
    }
    // The A-team's spreadsheet of the final rankings: a row per rank given, from both sides.
    let table = app
        .get(
            &format!("/rounds/{round}/final-rankings/export"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(table.lines().count(), 1 + submitted_ranks, "{table}");
    assert!(table.starts_with("side,ranker,ranker_email,rank,ranked,ranked_email\ntrainee,"));
    assert!(table.contains("\ntrainer,"), "{table}");
    let bad = put(
        &app,
        &format!("/rounds/{round}/final-ranking"),
        &tokens[&trainees[1]],
        &json!({"ranks": [{"counterpart_id": Uuid::nil(), "rank": 1}]}),
    )
    .await;
    let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "ranks[0].counterpart_id");

    // Coupling: two runs to compare, publish the first.
    move_to(&app, round, &a_team, "coupling").await;
    let total: Value = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(&a_team),
            &json!({"objective": "total"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let minimax = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(&o_team),
            &json!({"objective": "minimax"}),
        )
        .await;
    assert_eq!(minimax.status(), StatusCode::CREATED);
    assert_eq!(
        total["result"]["matched"], 12,
        "everyone is coupled: {}",
        total["result"]["unmatched_trainees"]
    );
    let runs: Value = app
        .get(&format!("/rounds/{round}/coupling-runs"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(runs["items"].as_array().unwrap().len(), 2);
    let run_id = total["run"]["id"].as_str().unwrap();
    let stored: Value = app
        .get(
            &format!("/rounds/{round}/coupling-runs/{run_id}"),
            Some(&a_team),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["run"], total["run"], "the stored run reads back");
    assert_eq!(
        stored["result"]["assignments"],
        total["result"]["assignments"]
    );
    assert_eq!(
        stored["result"]["explanations"],
        total["result"]["explanations"]
    );
    verify_run(&app, round, run_id, &a_team, &trainees, &trainers).await;
    // The run's result as a spreadsheet: a row per trainee with both ranks.
    let table = app
        .get(
            &format!("/rounds/{round}/coupling-runs/{run_id}/export"),
            Some(&a_team),
        )
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|row| row.split(',').collect())
        .collect();
    assert_eq!(rows.len(), trainees.len(), "{table}");
    let mut exported: Vec<(u64, u64)> = rows
        .iter()
        .map(|row| (row[4].parse().unwrap(), row[5].parse().unwrap()))
        .collect();
    let mut assigned: Vec<(u64, u64)> = stored["result"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["trainee_rank"].as_u64().unwrap(),
                a["trainer_rank"].as_u64().unwrap(),
            )
        })
        .collect();
    exported.sort_unstable();
    assigned.sort_unstable();
    assert_eq!(exported, assigned);
    let minimax: Value = minimax.json().await.unwrap();
    let minimax_id = minimax["run"]["id"].as_str().unwrap();
    verify_run(&app, round, minimax_id, &o_team, &trainees, &trainers).await;
    // A trainee may not download it.
    assert_eq!(
        app.get(
            &format!("/rounds/{round}/coupling-runs/{run_id}/verification"),
            Some(&tokens[&trainees[0]]),
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // Statistics are public once the coupling is published, not before.
    assert_problem(
        app.get(&format!("/statistics/rounds/{round}"), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        publish_run(&app, round, run_id, &a_team).await.status(),
        StatusCode::NO_CONTENT
    );
    check_statistics(&app, round, &stored, &a_team).await;
    // Each result mail names the person's counterpart.
    let outbox = app.outbox().await;
    let result_to = |email: &str| {
        outbox
            .iter()
            .find(|m| m.kind == "coupling_result" && m.recipient == email)
            .map(|m| m.body.clone())
            .unwrap_or_default()
    };
    for assignment in stored["result"]["assignments"].as_array().unwrap() {
        let id = |side: &str| -> Uuid { assignment[side].as_str().unwrap().parse().unwrap() };
        let (trainee_email, trainer_email) = (
            &trainee_emails[&id("trainee")],
            &trainer_emails[&id("trainer")],
        );
        assert!(result_to(trainee_email).contains(&format!("<{trainer_email}>")));
        assert!(result_to(trainer_email).contains(&format!("<{trainee_email}>")));
    }
    // Only those: one line per coupling of the reader, and none for a trainer without one.
    let assignments = stored["result"]["assignments"].as_array().unwrap();
    let lines = |body: &str| body.lines().filter(|l| l.starts_with("- ")).count();
    for (id, email) in trainee_emails.iter().chain(trainer_emails.iter()) {
        let couplings = assignments
            .iter()
            .filter(|a| a["trainee"] == id.to_string() || a["trainer"] == id.to_string())
            .count();
        assert_eq!(lines(&result_to(email)), couplings, "{email}");
    }

    let round_now: Value = app
        .get(&format!("/rounds/{round}"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(round_now["phase"], "published");
    let results = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "coupling_result")
        .count();
    assert_eq!(results, 26, "every participant gets the outcome");

    // The veto held, and each side sees its own result.
    let mine: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&first]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.coupled);
    assert_ne!(
        mine.email.as_deref(),
        Some(trainer_emails[&trainers[0]].as_str())
    );
    let rank = mine.rank.expect("the trainee ranked the trainer they got");
    assert!((1..=4).contains(&rank));
    assert_eq!(
        mine.explanation.is_some(),
        rank > 1,
        "explained unless it was the first choice"
    );
    assert_eq!(
        mine.alternatives.len(),
        rank as usize - 1,
        "each better choice"
    );
    if let Some(explanation) = &mine.explanation {
        assert!(
            explanation.starts_with("You are coupled to "),
            "{explanation}"
        );
        assert!(
            trainers
                .iter()
                .all(|t| !explanation.contains(&t.to_string())),
            "names, not ids: {explanation}"
        );
    }
    let assignments = total["result"]["assignments"].as_array().unwrap();
    assert!(
        assignments.iter().all(
            |a| !(a["trainee"] == first.to_string() && a["trainer"] == trainers[0].to_string())
        )
    );

    // Coordinators see vetoes and the audit trail; participants do not see the vetoes.
    let vetoes: Value = app
        .get(&format!("/rounds/{round}/vetoes"), Some(&o_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(vetoes["items"].as_array().unwrap().len(), 1);
    assert_problem(
        app.get(&format!("/rounds/{round}/vetoes"), Some(&tokens[&first]))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let actions = audit_actions(&app, round, &a_team).await;
    for expected in [
        "round.created",
        "veto.declared",
        "proposal.published",
        "final_ranking.submitted",
        "coupling.run",
        "coupling.published",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "audit has {expected}"
        );
    }
    // A drop-out after publication: the trainer of one trainee withdraws; the coordinators
    // couple that trainee by hand to a trainer with a free place. A vetoed pair is refused.
    let second = trainees[1].to_string();
    let dropped: Uuid = assignments.iter().find(|a| a["trainee"] == second).unwrap()["trainer"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let withdrawn: Value = app
        .post(
            &format!("/rounds/{round}/withdrawals"),
            Some(&o_team),
            &json!({"trainer_id": dropped, "reason": "langdurig ziek"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawn["uncoupled_trainees"], json!([second]));
    let second_now: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&trainees[1]]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!second_now.coupled);
    check_webhooks(&receiver, &hook.secret, round, dropped).await;
    let coupled: Vec<&str> = assignments
        .iter()
        .map(|a| a["trainer"].as_str().unwrap())
        .collect();
    let free = trainers
        .iter()
        .find(|t| !coupled.contains(&t.to_string().as_str()))
        .unwrap();
    let vetoed = app
        .post(
            &format!("/rounds/{round}/manual-couplings"),
            Some(&a_team),
            &json!({"trainee_id": first, "trainer_id": trainers[0], "reason": "test"}),
        )
        .await;
    let problem = assert_problem(
        vetoed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem.errors[0]
            .message
            .contains("the trainee declared a veto"),
        "{}",
        problem.errors[0].message
    );
    let no_reason = app
        .post(
            &format!("/rounds/{round}/manual-couplings"),
            Some(&a_team),
            &json!({"trainee_id": trainees[1], "trainer_id": free, "reason": " "}),
        )
        .await;
    assert_problem(
        no_reason,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let manual = app.post(&format!("/rounds/{round}/manual-couplings"), Some(&a_team), &json!({"trainee_id": trainees[1], "trainer_id": free, "reason": "opleider uitgevallen"})).await;
    assert_eq!(manual.status(), StatusCode::CREATED);
    let second_now: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&trainees[1]]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        second_now.email.as_deref(),
        Some(trainer_emails[free].as_str())
    );
    let twice = app
        .post(
            &format!("/rounds/{round}/manual-couplings"),
            Some(&a_team),
            &json!({"trainee_id": trainees[1], "trainer_id": free, "reason": "nogmaals"}),
        )
        .await;
    assert_problem(twice, StatusCode::CONFLICT, "conflict").await;
    assert_problem(
        app.post(
            &format!("/rounds/{round}/manual-couplings"),
            Some(&tokens[&first]),
            &json!({"trainee_id": trainees[1], "trainer_id": free, "reason": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let actions = audit_actions(&app, round, &a_team).await;
    assert!(actions.iter().any(|a| a == "participant.withdrawn"));
    assert!(actions.iter().any(|a| a == "coupling.manual"));

    // Every queued mail of the round reaches the SMTP server.
    let queued = app.outbox().await.len();
    crate::mail::wait_for(&app.mail, queued).await;
    let results = app
        .mail
        .received()
        .iter()
        .filter(|mail| mail.subject.contains("Uitslag van de koppelingsronde"))
        .count();
    assert_eq!(
        results, 28,
        "26 outcomes after publication and 2 for the manual coupling"
    );

    // A second drop-out: a re-run keeps every published coupling and couples only the trainee
    // left without one; publishing it changes nothing for the others.
    let third = trainees[2];
    let before: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&first]),
        )
        .await
        .json()
        .await
        .unwrap();
    let third_trainer: Uuid = assignments
        .iter()
        .find(|a| a["trainee"] == third.to_string())
        .unwrap()["trainer"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let withdrawn: Value = app
        .post(
            &format!("/rounds/{round}/withdrawals"),
            Some(&o_team),
            &json!({"trainer_id": third_trainer, "reason": "verhuisd"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawn["uncoupled_trainees"], json!([third]));
    let rerun = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(&a_team),
            &json!({}),
        )
        .await;
    assert_eq!(rerun.status(), StatusCode::CREATED);
    let rerun: Value = rerun.json().await.unwrap();
    let coupled_in_rerun: Vec<&str> = rerun["result"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["trainee"].as_str().unwrap())
        .collect();
    let considered = rerun["result"]["matched"].as_u64().unwrap() as usize
        + rerun["result"]["unmatched_trainees"]
            .as_array()
            .unwrap()
            .len();
    assert_eq!(
        considered, 1,
        "only the trainee without a coupling is re-coupled"
    );
    assert!(coupled_in_rerun.iter().all(|t| *t == third.to_string()));
    let rerun_id = rerun["run"]["id"].as_str().unwrap();
    assert_eq!(
        publish_run(&app, round, rerun_id, &a_team).await.status(),
        StatusCode::NO_CONTENT
    );
    let after: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&first]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, before, "published couplings are kept");

    // Publishing the re-run or the first run again is refused, and so is a full re-run that a
    // withdrawal overtook, saying what changed; every coupling stays as it is.
    let again = assert_problem(
        publish_run(&app, round, rerun_id, &a_team).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        again.detail.contains("published already"),
        "{}",
        again.detail
    );
    let first_again = assert_problem(
        publish_run(&app, round, run_id, &a_team).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(first_again.detail.contains("published already"));
    let full: Value = app
        .post(
            &format!("/rounds/{round}/coupling-runs"),
            Some(&a_team),
            &json!({"keep_published": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    let full_id = full["run"]["id"].as_str().unwrap();
    // A trainer of the full run who is not the first trainee's published trainer leaves.
    let leaving: Uuid = full["result"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["trainer"].as_str().unwrap().parse::<Uuid>().unwrap())
        .find(|trainer| before.email.as_deref() != Some(trainer_emails[trainer].as_str()))
        .unwrap();
    let gone = app
        .post(
            &format!("/rounds/{round}/withdrawals"),
            Some(&o_team),
            &json!({"trainer_id": leaving, "reason": "gestopt"}),
        )
        .await;
    assert_eq!(gone.status(), StatusCode::OK);
    let overtaken = assert_problem(
        publish_run(&app, round, full_id, &a_team).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        overtaken
            .detail
            .contains("withdrew after this run was computed"),
        "{}",
        overtaken.detail
    );
    let after: MyCouplingResponse = app
        .get(
            &format!("/rounds/{round}/coupling/mine"),
            Some(&tokens[&first]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, before, "refused publications change nothing");
    let round_after: Value = app
        .get(&format!("/rounds/{round}"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(round_after["phase"], "published");

    // After publication, rankings can no longer change.
    let late = put(
        &app,
        &format!("/rounds/{round}/final-ranking"),
        &tokens[&first],
        &json!({"ranks": []}),
    )
    .await;
    assert_problem(late, StatusCode::CONFLICT, "wrong_phase").await;
}

/// A run's verification document: pseudonymised, and it verifies with the matcher's checker
/// and with `koppel verify-coupling`, which refuses it once tampered with.
async fn verify_run(
    app: &TestApp,
    round: Uuid,
    run_id: &str,
    token: &str,
    trainees: &[Uuid],
    trainers: &[Uuid],
) {
    let response = app
        .get(
            &format!("/rounds/{round}/coupling-runs/{run_id}/verification"),
            Some(token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("verification.json")
    );
    let text = response.text().await.unwrap();
    for id in trainees.iter().chain(trainers) {
        assert!(
            !text.contains(&id.to_string()),
            "no real id in the document"
        );
    }
    let document: koppel_matcher::coupling::VerificationDocument =
        serde_json::from_str(&text).unwrap();
    assert_eq!(document.input.trainees[0].id, "trainee-001");
    let verified = koppel_matcher::coupling::verify(&document.input, &document.result).unwrap();
    assert_eq!(verified.matched, 12);
    let dir = std::env::temp_dir().join(format!("koppel-coupling-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |doc: &str| {
        std::fs::write(dir.join("verification.json"), doc).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_koppel"))
            .arg("verify-coupling")
            .arg(dir.join("verification.json"))
            .output()
            .unwrap()
    };
    let good = run(&text);
    assert!(good.status.success(), "{good:?}");
    assert!(String::from_utf8_lossy(&good.stdout).starts_with("verified: optimal (12 coupled"));
    let mut tampered: Value = serde_json::from_str(&text).unwrap();
    let first = tampered["result"]["assignments"][0]["trainer"].clone();
    tampered["result"]["assignments"][0]["trainer"] =
        tampered["result"]["assignments"][1]["trainer"].clone();
    tampered["result"]["assignments"][1]["trainer"] = first;
    let bad = run(&tampered.to_string());
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).starts_with("NOT VERIFIED:"));
    let _ = std::fs::remove_dir_all(&dir);
}
