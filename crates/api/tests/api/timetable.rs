//! The calendar that runs itself: steps open on their day unless the round is held, each
//! "step opened" mail and reminder goes once (also with two servers on one database), only to
//! those who have not done the step, and every user can subscribe to a private calendar feed.
//! The clock is a parameter of the calendar's tick: nothing here sleeps.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use koppel_api::services::timetable::{Tick, run_due};
use koppel_api_types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_on};

const URL: &str = "http://koppel.test";

/// 10:00 UTC on `day`: the same day in the Netherlands.
fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

struct Setup {
    institute: Uuid,
    round: Uuid,
    a_team: String,
    trainer: Uuid,
    schedule: Value,
}

impl Setup {
    fn day(&self, name: &str) -> NaiveDate {
        self.schedule[name].as_str().unwrap().parse().unwrap()
    }
}

/// A September 2027 round in draft with `trainees` year-1 trainees and one trainer.
async fn setup(app: &TestApp, trainees: &[(&str, &str)]) -> Setup {
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    let round = app.new_round(institute, &a_team, "september", 2027).await;
    for (name, email) in trainees {
        let trainee = app
            .new_trainee(institute, &a_team, name, email, "2027-09-01")
            .await;
        app.add_round_trainee(round, &a_team, trainee).await;
    }
    let trainer = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@x.nl")
        .await;
    app.add_round_trainer(round, &o_team, trainer).await;
    let body: Value = app
        .get(&format!("/rounds/{round}"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    Setup {
        institute,
        round,
        a_team,
        trainer,
        schedule: body["schedule"].clone(),
    }
}

async fn phase(app: &TestApp, setup: &Setup) -> String {
    let body: Value = app
        .get(&format!("/rounds/{}", setup.round), Some(&setup.a_team))
        .await
        .json()
        .await
        .unwrap();
    body["phase"].as_str().unwrap().to_owned()
}

/// Recipients of the queued mails of `kind` whose subject contains `subject`, sorted.
async fn recipients(app: &TestApp, kind: &str, subject: &str) -> Vec<String> {
    let mut out: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|mail| mail.kind == kind && mail.subject.contains(subject))
        .map(|mail| mail.recipient)
        .collect();
    out.sort();
    out
}

async fn hold(app: &TestApp, setup: &Setup, token: &str, held: bool) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/rounds/{}/hold", setup.round)))
        .bearer_auth(token)
        .json(&json!({"held": held}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn steps_open_on_their_day_unless_held_and_each_mail_goes_once_to_who_still_has_to_act() {
    let app = spawn_app().await;
    let s = setup(&app, &[("Sanne", "sanne@x.nl"), ("Sam", "sam@x.nl")]).await;
    let opens = s.day("opens");

    // The day before the round opens, nothing happens.
    let tick = run_due(&app.db, URL, at(opens - Duration::days(1)))
        .await
        .unwrap();
    assert_eq!(tick, Tick::default());
    assert_eq!(phase(&app, &s).await, "draft");

    // On its opening day step 1 opens, and everyone without a profile hears so, once.
    let tick = run_due(&app.db, URL, at(opens)).await.unwrap();
    assert_eq!(
        tick,
        Tick {
            opened: 1,
            mails: 3
        }
    );
    assert_eq!(phase(&app, &s).await, "profiles");
    assert_eq!(
        recipients(
            &app,
            "step_opened",
            "Stap 1 van de koppelingsronde september 2027"
        )
        .await,
        ["sam@x.nl", "sanne@x.nl", "visser@x.nl"]
    );
    let again = run_due(&app.db, URL, at(opens) + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(again, Tick::default(), "nothing twice");

    // Held, the round stays in step 1 after its deadline.
    let after_profiles = s.day("profiles_deadline") + Duration::days(1);
    let held = hold(&app, &s, &s.a_team, true).await;
    assert_eq!(held.status(), StatusCode::OK);
    assert_eq!(held.json::<Value>().await.unwrap()["held"], true);
    assert_eq!(
        run_due(&app.db, URL, at(after_profiles)).await.unwrap(),
        Tick::default()
    );
    assert_eq!(phase(&app, &s).await, "profiles");
    // Let go, it moves on; step 2 is the trainees' alone.
    let released = hold(&app, &s, &s.a_team, false).await;
    assert_eq!(released.json::<Value>().await.unwrap()["held"], false);
    let tick = run_due(&app.db, URL, at(after_profiles)).await.unwrap();
    assert_eq!(
        tick,
        Tick {
            opened: 1,
            mails: 2
        }
    );
    assert_eq!(phase(&app, &s).await, "preferences");
    assert_eq!(
        recipients(&app, "step_opened", "Stap 2").await,
        ["sam@x.nl", "sanne@x.nl"]
    );

    // Sam ranks in time; only Sanne is reminded, from three days before the deadline, once.
    let sam = app.activate_from_mail("sam@x.nl").await;
    let ranked = app
        .client
        .put(app.url(&format!("/rounds/{}/preferences", s.round)))
        .bearer_auth(&sam)
        .json(&json!({"trainer_ids": [s.trainer]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ranked.status(), StatusCode::OK);
    let deadline = s.day("preferences_deadline");
    assert_eq!(
        run_due(&app.db, URL, at(deadline - Duration::days(4)))
            .await
            .unwrap(),
        Tick::default()
    );
    let tick = run_due(&app.db, URL, at(deadline - Duration::days(3)))
        .await
        .unwrap();
    assert_eq!(
        tick,
        Tick {
            opened: 0,
            mails: 1
        }
    );
    assert_eq!(
        recipients(&app, "reminder", "Herinnering").await,
        ["sanne@x.nl"]
    );
    let reminder = app
        .outbox()
        .await
        .into_iter()
        .find(|mail| mail.kind == "reminder")
        .unwrap();
    assert!(
        reminder.body.contains(&format!("{URL}/rounds/{}", s.round)),
        "{}",
        reminder.body
    );
    assert_eq!(
        run_due(&app.db, URL, at(deadline)).await.unwrap(),
        Tick::default()
    );

    // Step 3 needs the interview proposal: the calendar waits for the coordinators.
    assert_eq!(
        run_due(&app.db, URL, at(deadline + Duration::days(1)))
            .await
            .unwrap(),
        Tick::default()
    );
    assert_eq!(phase(&app, &s).await, "preferences");
}

#[tokio::test]
async fn two_servers_running_the_calendar_at_once_send_each_mail_once() {
    let first = spawn_app().await;
    let second = spawn_app_on(first.database_url.clone(), |_| {}).await;
    let s = setup(
        &first,
        &[
            ("Sanne", "sanne@x.nl"),
            ("Sam", "sam@x.nl"),
            ("Noor", "noor@x.nl"),
        ],
    )
    .await;
    let receiver = crate::webhooks::Receiver::start(&[]).await;
    crate::webhooks::register(
        &first,
        s.institute,
        &s.a_team,
        &receiver.url,
        &["round.phase_changed"],
    )
    .await;
    let opens = at(s.day("opens"));
    let (a, b) = tokio::join!(
        run_due(&first.db, URL, opens),
        run_due(&second.db, URL, opens)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.opened + b.opened, 1, "{a:?} {b:?}");
    // The institute's system hears of the step the calendar opened, once.
    let event = receiver.wait_for(1).await[0].json();
    assert_eq!(
        (&event["data"]["by"], &event["data"]["to"]),
        (&json!("calendar"), &json!("profiles"))
    );
    assert_eq!(
        event["data"]["links"]["round"],
        format!("{URL}/api/v1/rounds/{}", s.round)
    );
    assert_eq!(a.mails + b.mails, 4, "{a:?} {b:?}");
    assert_eq!(recipients(&first, "step_opened", "Stap 1").await.len(), 4);
    // The reminders of step 1, too.
    let reminders = at(s.day("profiles_deadline") - Duration::days(1));
    let (a, b) = tokio::join!(
        run_due(&first.db, URL, reminders),
        run_due(&second.db, URL, reminders)
    );
    assert_eq!(a.unwrap().mails + b.unwrap().mails, 4);
    assert_eq!(recipients(&first, "reminder", "Herinnering").await.len(), 4);
    assert_eq!(receiver.received().len(), 1);
    drop(second);
}

#[tokio::test]
async fn reminder_days_and_holding_are_the_coordinators_to_set() {
    let app = spawn_app().await;
    let s = setup(&app, &[("Sanne", "sanne@x.nl")]).await;
    let patch = |token: String, body: Value| {
        let request = app
            .client
            .patch(app.url(&format!("/institutes/{}", s.institute)))
            .bearer_auth(token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let changed = patch(s.a_team.clone(), json!({"reminder_days": 5})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.json::<Value>().await.unwrap()["reminder_days"], 5);
    assert_problem(
        patch(s.a_team.clone(), json!({"reminder_days": 15})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Five days now: step 1's reminders start five days before its deadline.
    run_due(&app.db, URL, at(s.day("opens"))).await.unwrap();
    let five_before = at(s.day("profiles_deadline") - Duration::days(5));
    assert_eq!(run_due(&app.db, URL, five_before).await.unwrap().mails, 2);

    // Participants may not hold a round, other institutes do not see it.
    let trainee = app.user_token(Role::Trainee, Some(s.institute)).await;
    assert_problem(
        hold(&app, &s, &trainee, true).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let elsewhere = app.create_institute("Huisartsopleiding Zuid").await;
    let foreign = app.user_token(Role::TraineeTeam, Some(elsewhere)).await;
    assert_problem(
        hold(&app, &s, &foreign, true).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let o_team = app.user_token(Role::TrainerTeam, Some(s.institute)).await;
    assert_eq!(hold(&app, &s, &o_team, true).await.status(), StatusCode::OK);
    // A cancelled round has nothing left to hold.
    let cancelled = app
        .post(
            &format!("/rounds/{}/transitions", s.round),
            Some(&s.a_team),
            &json!({"to": "cancelled"}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_problem(
        hold(&app, &s, &s.a_team, false).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

/// The secret of a feed address.
fn key_of(body: &Value) -> String {
    let url = body["url"].as_str().unwrap();
    assert!(url.contains("/api/v1/me/calendar.ics?key="), "{url}");
    url.rsplit_once("key=").unwrap().1.to_owned()
}

async fn feed(app: &TestApp, key: &str) -> reqwest::Response {
    app.get(&format!("/me/calendar.ics?key={key}"), None).await
}

#[tokio::test]
async fn each_user_subscribes_to_a_private_revocable_calendar_feed() {
    let app = spawn_app().await;
    let s = setup(&app, &[("Sanne", "sanne@x.nl")]).await;
    let sanne = app.activate_from_mail("sanne@x.nl").await;
    let status: Value = app
        .get("/me/calendar-feed", Some(&sanne))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({"active": false, "url": null}));

    let made = app
        .post("/me/calendar-feed", Some(&sanne), &json!({}))
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let first = key_of(&made.json().await.unwrap());
    let calendar = feed(&app, &first).await;
    assert_eq!(calendar.status(), StatusCode::OK);
    assert!(
        calendar.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = calendar.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    let unfolded = text.replace("\r\n ", "");
    for (name, label) in [
        ("profiles_deadline", "deadline stap 1"),
        ("preferences_deadline", "deadline stap 2"),
        ("final_ranking_deadline", "deadline stap 3"),
        ("placement_start", "start van de opleidingsplaats"),
    ] {
        let day = s.day(name).format("%Y%m%d").to_string();
        assert!(
            unfolded.contains(&format!("DTSTART;VALUE=DATE:{day}")),
            "{name}"
        );
        assert!(unfolded.contains(label), "{label}");
    }
    assert!(unfolded.contains("september 2027"));

    // A new address ends the old one; revoking ends the new one.
    let made = app
        .post("/me/calendar-feed", Some(&sanne), &json!({}))
        .await;
    let second = key_of(&made.json().await.unwrap());
    assert_ne!(first, second);
    assert_problem(feed(&app, &first).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(feed(&app, &second).await.status(), StatusCode::OK);
    let revoked = app
        .client
        .delete(app.url("/me/calendar-feed"))
        .bearer_auth(&sanne)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_problem(
        feed(&app, &second).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let status: Value = app
        .get("/me/calendar-feed", Some(&sanne))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["active"], false);

    // A made-up key finds nothing; no key is a validation error; making one needs a sign-in.
    assert_problem(
        feed(&app, "made-up").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/me/calendar.ics", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.post("/me/calendar-feed", None, &json!({})).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // A coordinator's feed holds the institute's open rounds.
    let made = app
        .post("/me/calendar-feed", Some(&s.a_team), &json!({}))
        .await;
    let key = key_of(&made.json().await.unwrap());
    let text = feed(&app, &key).await.text().await.unwrap();
    assert!(text.contains("stap 1 (profielen) opent"), "{text}");
}

#[tokio::test]
async fn a_round_created_after_its_opening_day_waits_until_its_coordinators_let_it_run() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Noord").await;
    let a_team = app.user_token(Role::TraineeTeam, Some(institute)).await;
    let o_team = app.user_token(Role::TrainerTeam, Some(institute)).await;
    // Today is past the opening day of the next placement's round only for a placement less
    // than three months ahead: take a start whose process is under way or over.
    let year = chrono::Datelike::year(&Utc::now());
    let created = app
        .post(
            &format!("/institutes/{institute}/rounds"),
            Some(&a_team),
            &json!({"start_month": "march", "start_year": year}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let round: Value = created.json().await.unwrap();
    assert_eq!(round["held"], true, "{round}");
    let id: Uuid = round["id"].as_str().unwrap().parse().unwrap();
    let trainer = app
        .new_trainer(institute, &o_team, "Dr. Visser", "visser@x.nl")
        .await;
    app.add_round_trainer(id, &o_team, trainer).await;
    let trainee = app
        .new_trainee(
            institute,
            &a_team,
            "Sanne",
            "sanne@x.nl",
            &format!("{year}-03-01"),
        )
        .await;
    app.add_round_trainee(id, &a_team, trainee).await;
    assert_eq!(
        run_due(&app.db, URL, Utc::now()).await.unwrap(),
        Tick::default()
    );
    let body: Value = app
        .get(&format!("/rounds/{id}"), Some(&a_team))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["phase"], "draft");
}
