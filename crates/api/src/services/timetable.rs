//! The calendar that runs itself (see `koppel_domain::timetable`): on each tick, every round that
//! is not held moves to the step its schedule opens, and the people who still have to act in the
//! open step get one "step opened" mail and, the institute's number of days before the deadline,
//! one reminder. Each mail round is recorded per round in the same transaction as its mails, so
//! two servers on one database send it once. `now` is a parameter: tests move the clock.

use chrono::{DateTime, Utc};
use koppel_domain::{
    Step, check_transition, dutch_date, reminder_due, scheduled_move,
    timetable::DEFAULT_REMINDER_DAYS,
};
use sea_orm::DatabaseConnection;

use super::progress::steps_of;
use crate::mail;
use crate::store::audit::{self, Entry};
use crate::store::rounds::{self, Round};
use crate::store::{institutes, notices, outbox, users};

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    /// Steps opened by the calendar.
    pub opened: usize,
    /// Mails queued ("step opened" and reminders).
    pub mails: usize,
}

/// Runs the calendar of every round at `now`.
pub async fn run_due(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Tick> {
    let mut tick = Tick::default();
    for round in rounds::on_the_calendar(db).await? {
        let id = round.id;
        // One round that fails (its data, a database hiccup) does not stop the others.
        match run_round(db, round, public_url, now).await {
            Ok((opened, mails)) => {
                tick.opened += opened;
                tick.mails += mails;
            }
            Err(error) => {
                tracing::warn!(round_id = %id, error = %format!("{error:#}"), "the round's calendar failed; trying again at the next tick");
            }
        }
    }
    Ok(tick)
}

async fn run_round(
    db: &DatabaseConnection,
    round: Round,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let (round, opened) = move_on(db, round, public_url, now).await?;
    // As it stands now: another server or a coordinator may have moved or held it meanwhile.
    let Some(round) = rounds::find(db, round.id).await? else {
        return Ok((opened, 0));
    };
    let mails = announce(db, &round, public_url, now).await?;
    Ok((opened, mails))
}

/// Moves a round through every step its schedule has opened by `now`, as far as the guards
/// allow (step 3 needs a published interview proposal).
async fn move_on(
    db: &DatabaseConnection,
    mut round: Round,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(Round, usize)> {
    let today = dutch_date(now);
    let mut opened = 0;
    while let Some(to) = scheduled_move(round.phase, &round.schedule, today) {
        let facts = super::rounds::transition_facts(db, &round).await?;
        if let Err(reason) = check_transition(round.phase, to, &facts) {
            tracing::debug!(round_id = %round.id, %reason, "the calendar cannot open the next step yet");
            break;
        }
        let txn = crate::store::begin(db).await?;
        if !rounds::set_phase_by_calendar(&txn, round.id, round.phase, to, now).await? {
            // Another server or a coordinator moved it, or a coordinator held it, meanwhile.
            txn.rollback().await?;
            break;
        }
        audit::append(
            &txn,
            Entry {
                institute_id: round.institute_id,
                round_id: Some(round.id),
                actor_id: None,
                action: "round.phase_changed",
                summary: format!(
                    "phase {} -> {to}, opened by the calendar on {today}",
                    round.phase
                ),
            },
            now,
        )
        .await?;
        let event = super::webhooks::Event::round_phase_changed(
            round.institute_id,
            round.id,
            round.phase,
            to,
            "calendar",
            public_url,
        );
        super::webhooks::emit(&txn, &event, now).await?;
        txn.commit().await?;
        tracing::info!(round_id = %round.id, from = %round.phase, %to, "the calendar opened a step");
        round.phase = to;
        opened += 1;
    }
    Ok((round, opened))
}

/// Sends the open step's "step opened" mails and, when due and the round is not held, its
/// reminders; each once per round. Answers how many mails were queued.
pub async fn announce(
    db: &DatabaseConnection,
    round: &Round,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let Some(step) = Step::open_in(round.phase) else {
        return Ok(0);
    };
    let days = institutes::find(db, round.institute_id)
        .await?
        .map_or(DEFAULT_REMINDER_DAYS, |institute| institute.reminder_days);
    let reminders_due = !round.held && reminder_due(step, &round.schedule, dutch_date(now), days);
    let mut mails = 0;
    if !notices::recorded(db, round.id, &step.opened_notice()).await? {
        mails += send(db, round, step, Notice::Opened, public_url, now).await?;
        // Opened within the reminder days: that mail names the deadline; no reminder after it.
        if reminders_due {
            notices::record(db, round.id, &step.reminder_notice(), 0, now).await?;
        }
    }
    if reminders_due && !notices::recorded(db, round.id, &step.reminder_notice()).await? {
        mails += send(db, round, step, Notice::Reminder, public_url, now).await?;
    }
    Ok(mails)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Notice {
    Opened,
    Reminder,
}

async fn send(
    db: &DatabaseConnection,
    round: &Round,
    step: Step,
    notice: Notice,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let waiting = steps_of(db, round)
        .await?
        .into_iter()
        .find(|(progress, _)| progress.step == step.as_str())
        .map(|(_, waiting)| waiting)
        .unwrap_or_default();
    let key = match notice {
        Notice::Opened => step.opened_notice(),
        Notice::Reminder => step.reminder_notice(),
    };
    let deadline = step.deadline(&round.schedule);
    let url = format!("{}/rounds/{}", public_url.trim_end_matches('/'), round.id);
    let txn = crate::store::begin(db).await?;
    if !notices::record(&txn, round.id, &key, waiting.len(), now).await? {
        txn.rollback().await?;
        return Ok(0);
    }
    for person in &waiting {
        let locale = users::locale_of(&txn, person.user_id).await?;
        let mail = match notice {
            Notice::Opened => mail::step_opened(
                locale,
                &person.email,
                &person.name,
                &round.key,
                step,
                deadline,
                &url,
            ),
            Notice::Reminder => mail::reminder(
                locale,
                &person.email,
                &person.name,
                &round.key,
                step.as_str(),
                Some(deadline),
                &url,
            ),
        };
        outbox::enqueue(&txn, Some(round.institute_id), &mail, now).await?;
    }
    audit::append(
        &txn,
        Entry {
            institute_id: round.institute_id,
            round_id: Some(round.id),
            actor_id: None,
            action: match notice {
                Notice::Opened => "step.opened_mailed",
                Notice::Reminder => "reminders.sent",
            },
            summary: format!("{} mails for {}", waiting.len(), step.as_str()),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(round_id = %round.id, notice = %key, mails = waiting.len(), "calendar mails queued");
    Ok(waiting.len())
}
