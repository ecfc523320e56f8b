//! Coordinators anonymise a trainee or trainer who has left (AVG/GDPR): the record stays for the
//! rules of later rounds (history, continuity), without name or contact details.

use chrono::Utc;
use uuid::Uuid;

use super::people::{TRAINEE_WRITERS, TRAINER_WRITERS, access};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::anonymise::{self, Person};
use crate::store::audit::Entry;
use crate::store::{people, rounds, sessions, tokens};

/// Anonymises a trainee (the A-team) or trainer (the O-team) of the institute, unless they still
/// take part in a round that is not over.
pub async fn anonymise(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    person: Person,
) -> Result<(), ApiError> {
    let (trainee_id, trainer_id, id, what) = match person {
        Person::Trainee(id) => (Some(id), None, id, "trainee"),
        Person::Trainer(id) => (None, Some(id), id, "trainer"),
    };
    let roles = if trainee_id.is_some() {
        &TRAINEE_WRITERS
    } else {
        &TRAINER_WRITERS
    };
    access(state, principal, institute_id, roles).await?;
    let exists = match person {
        Person::Trainee(id) => people::find_trainee(&state.db, institute_id, id)
            .await?
            .is_some(),
        Person::Trainer(id) => people::find_trainer(&state.db, institute_id, id)
            .await?
            .is_some(),
    };
    if !exists {
        return Err(ApiError::NotFound(format!("{what} '{id}' does not exist")));
    }
    if let Some(round) = rounds::of_participant(&state.db, trainee_id, trainer_id)
        .await?
        .into_iter()
        .find(|round| !round.phase.is_final())
    {
        return Err(ApiError::Conflict(format!(
            "this {what} still takes part in the round of {} (phase '{}'): withdraw them or close the round first",
            round.key.start_date(),
            round.phase
        )));
    }
    let name = match person {
        Person::Trainee(id) => format!("Geanonimiseerde aios {}", &id.simple().to_string()[..8]),
        Person::Trainer(id) => {
            format!("Geanonimiseerde opleider {}", &id.simple().to_string()[..8])
        }
    };
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if let Some(user_id) = anonymise::anonymise(&txn, person, &name, now).await? {
        anonymise::close_account(&txn, user_id, now).await?;
        tokens::revoke_user(&txn, user_id, None, now).await?;
        sessions::end_all(&txn, user_id, None, now).await?;
    }
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "person.anonymised",
        format!("{what} {id} anonymised"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    tracing::info!(%institute_id, %id, what, "anonymised");
    Ok(())
}
