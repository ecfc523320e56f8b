//! Coordinators write to their own side of a round: the A-team to its trainees, the O-team to
//! its trainers, through the outbox, each person in their own language where both are written.

use chrono::Utc;
use koppel_api_types::{Locale, MessageAudience, Role, RoundMessageRequest};
use uuid::Uuid;

use super::rounds::{ROUND_WRITERS, get};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::{outbox, people, rounds, users};

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// Longest text, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;

/// The side a caller writes to: a team's own side, or for administrators and integrations the
/// one they name.
fn audience_of(
    principal: &Principal,
    asked: Option<MessageAudience>,
) -> Result<MessageAudience, ApiError> {
    let own = match principal.role {
        Role::TraineeTeam => Some(MessageAudience::Trainees),
        Role::TrainerTeam => Some(MessageAudience::Trainers),
        _ => None,
    };
    match (own, asked) {
        (Some(own), None) => Ok(own),
        (Some(own), Some(asked)) if own == asked => Ok(own),
        (Some(_), Some(_)) => Err(ApiError::Forbidden(
            "a team writes to its own side: the A-team to trainees, the O-team to trainers"
                .to_owned(),
        )),
        (None, Some(asked)) => Ok(asked),
        (None, None) => Err(ApiError::field(
            "audience",
            "name who it goes to: trainees or trainers",
        )),
    }
}

/// A text of 1 to `max` characters, or the field's problem.
fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length == 0 {
        return Err(ApiError::field(field, "must not be empty"));
    }
    if length > max {
        return Err(ApiError::field(
            field,
            format!("must be at most {max} characters, got {length}"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Queues the message to every participant of the side who has not withdrawn; answers the side
/// and how many mails.
pub async fn send(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
    request: &RoundMessageRequest,
) -> Result<(MessageAudience, usize), ApiError> {
    let round = get(state, principal, round_id).await?;
    principal.require_role(&ROUND_WRITERS)?;
    let audience = audience_of(principal, request.audience)?;
    let subject = text("subject", &request.subject, MAX_SUBJECT_CHARS)?;
    let body = text("body", &request.body, MAX_BODY_CHARS)?;
    let english = match (&request.subject_en, &request.body_en) {
        (Some(subject), Some(body)) => Some((
            text("subject_en", subject, MAX_SUBJECT_CHARS)?,
            text("body_en", body, MAX_BODY_CHARS)?,
        )),
        (None, None) => None,
        (Some(_), None) => {
            return Err(ApiError::field(
                "body_en",
                "is required with subject_en: write both in English, or neither",
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::field(
                "subject_en",
                "is required with body_en: write both in English, or neither",
            ));
        }
    };
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let mut recipients = Vec::new();
    match audience {
        MessageAudience::Trainees => {
            for participant in rounds::trainees(&txn, round_id).await? {
                if let Some(row) =
                    people::find_trainee(&txn, round.institute_id, participant.trainee_id).await?
                {
                    recipients.push((row.email, row.user_id));
                }
            }
        }
        MessageAudience::Trainers => {
            for participant in rounds::trainers(&txn, round_id).await? {
                if let Some(row) =
                    people::find_trainer(&txn, round.institute_id, participant.trainer_id).await?
                {
                    recipients.push((row.email, row.user_id));
                }
            }
        }
    }
    let mut mails = Vec::new();
    for (email, user_id) in recipients {
        let chosen = users::locale_of(&txn, user_id).await?;
        // English only when it was written; otherwise everyone reads the Dutch text.
        let (locale, subject, body) = match (&english, chosen) {
            (Some((subject, body)), Locale::En) => (Locale::En, subject, body),
            _ => (Locale::Nl, &subject, &body),
        };
        let team = match (audience, locale) {
            (MessageAudience::Trainees, Locale::Nl) => "Het A-team (aioscoördinatie)",
            (MessageAudience::Trainees, Locale::En) => "The A-team (trainee coordination)",
            (MessageAudience::Trainers, Locale::Nl) => "Het O-team (opleiderscoördinatie)",
            (MessageAudience::Trainers, Locale::En) => "The O-team (trainer coordination)",
        };
        let mail = mail::round_message(locale, &email, team, &round.key, subject, body);
        outbox::enqueue(&txn, Some(round.institute_id), &mail, now).await?;
        mails.push(mail);
    }
    let side = match audience {
        MessageAudience::Trainees => "trainees",
        MessageAudience::Trainers => "trainers",
    };
    Entry::in_round(
        &round,
        principal.user_id,
        "message.sent",
        format!("message '{subject}' to the {side} ({} mails)", mails.len()),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    for mail in &mails {
        state.log_queued_mail(mail);
    }
    Ok((audience, mails.len()))
}
