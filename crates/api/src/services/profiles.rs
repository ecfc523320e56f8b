//! Step 1: profiles. A trainee writes a profile with an optional CV (PDF, at most 5 MB) and
//! photo (JPEG or PNG, at most 2 MB), checked by their content; a trainer writes a learning plan
//! and practice description. Who may read: the person, their institute's coordinators, and the
//! other side where the process brings them together (trainers read trainees proposed to them,
//! trainees read trainers of their rounds).

use chrono::Utc;
use koppel_api_types::Role;
use koppel_domain::{Action, Phase, check_action};
use uuid::Uuid;

use super::people::READERS;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::entities::{trainee, trainee_profile, trainer, trainer_profile};
use crate::store::{people, profiles, rounds, steps};

/// Largest CV.
pub const CV_LIMIT: usize = 5 * 1024 * 1024;
/// Largest photo.
pub const PHOTO_LIMIT: usize = 2 * 1024 * 1024;
/// Longest profile, learning-plan or practice text, in characters.
pub const TEXT_LIMIT: usize = 10_000;

fn text_field(field: &str, value: &str) -> Result<String, ApiError> {
    if value.chars().count() > TEXT_LIMIT {
        return Err(ApiError::field(
            field,
            format!("must be at most {TEXT_LIMIT} characters"),
        ));
    }
    Ok(value.trim().to_owned())
}

/// The caller's trainee record.
pub async fn my_trainee(
    state: &AppState,
    principal: &Principal,
) -> Result<trainee::Model, ApiError> {
    principal.require_role(&[Role::Trainee])?;
    let institute = principal.institute_id.ok_or_else(|| {
        ApiError::NotFound("no trainee record is linked to your account".to_owned())
    })?;
    steps::trainee_of_user(&state.db, institute, principal.user_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no trainee record is linked to your account".to_owned()))
}

/// The caller's trainer record.
pub async fn my_trainer(
    state: &AppState,
    principal: &Principal,
) -> Result<trainer::Model, ApiError> {
    principal.require_role(&[Role::Trainer])?;
    let institute = principal.institute_id.ok_or_else(|| {
        ApiError::NotFound("no trainer record is linked to your account".to_owned())
    })?;
    steps::trainer_of_user(&state.db, institute, principal.user_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("no trainer record is linked to your account".to_owned()))
}

/// Profiles may change while no round the person takes part in is past step 1: once trainees
/// rank trainers (step 2) every participant's profile stays as it was ranked. Refused with the
/// round, its phase or the profiles deadline.
async fn ensure_editable(
    state: &AppState,
    trainee_id: Option<Uuid>,
    trainer_id: Option<Uuid>,
) -> Result<(), ApiError> {
    let now = Utc::now();
    for round in rounds::of_participant(&state.db, trainee_id, trainer_id).await? {
        if matches!(round.phase, Phase::Draft | Phase::Published) || round.phase.is_final() {
            continue;
        }
        check_action(Action::EditProfile, round.phase, &round.schedule, now)?;
    }
    Ok(())
}

fn empty_profile(trainee_id: Uuid) -> trainee_profile::Model {
    trainee_profile::Model {
        trainee_id,
        introduction: String::new(),
        experience: String::new(),
        learning_wishes: String::new(),
        cv: None,
        photo: None,
        photo_type: None,
        updated_at: Utc::now(),
    }
}

/// Saves the caller's profile text.
pub async fn save_trainee_text(
    state: &AppState,
    principal: &Principal,
    request: &koppel_api_types::TraineeProfileRequest,
) -> Result<(trainee::Model, Option<trainee_profile::Model>), ApiError> {
    let me = my_trainee(state, principal).await?;
    ensure_editable(state, Some(me.id), None).await?;
    let mut profile = profiles::trainee(&state.db, me.id)
        .await?
        .unwrap_or_else(|| empty_profile(me.id));
    profile.introduction = text_field("introduction", &request.introduction)?;
    profile.experience = text_field("experience", &request.experience)?;
    profile.learning_wishes = text_field("learning_wishes", &request.learning_wishes)?;
    profile.updated_at = Utc::now();
    profiles::save_trainee(&state.db, profile.clone()).await?;
    Ok((me, Some(profile)))
}

/// The media type of a file, judged by its first bytes, never by what the client claims.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Stores the caller's CV, which must be a PDF.
pub async fn upload_cv(
    state: &AppState,
    principal: &Principal,
    bytes: Vec<u8>,
) -> Result<(), ApiError> {
    let me = my_trainee(state, principal).await?;
    ensure_editable(state, Some(me.id), None).await?;
    if sniff(&bytes) != Some("application/pdf") {
        return Err(ApiError::field("cv", "a CV must be a PDF file"));
    }
    let mut profile = profiles::trainee(&state.db, me.id)
        .await?
        .unwrap_or_else(|| empty_profile(me.id));
    profile.cv = Some(bytes);
    profile.updated_at = Utc::now();
    Ok(profiles::save_trainee(&state.db, profile).await?)
}

/// Stores the caller's photo, which must be a JPEG or PNG.
pub async fn upload_photo(
    state: &AppState,
    principal: &Principal,
    bytes: Vec<u8>,
) -> Result<(), ApiError> {
    let me = my_trainee(state, principal).await?;
    ensure_editable(state, Some(me.id), None).await?;
    let kind = sniff(&bytes)
        .filter(|kind| kind.starts_with("image/"))
        .ok_or_else(|| ApiError::field("photo", "a photo must be a JPEG or PNG image"))?;
    let mut profile = profiles::trainee(&state.db, me.id)
        .await?
        .unwrap_or_else(|| empty_profile(me.id));
    profile.photo = Some(bytes);
    profile.photo_type = Some(kind.to_owned());
    profile.updated_at = Utc::now();
    Ok(profiles::save_trainee(&state.db, profile).await?)
}

/// A trainee and their profile, if the caller may read it (404 otherwise, so ids cannot be probed).
pub async fn readable_trainee(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    trainee_id: Uuid,
) -> Result<(trainee::Model, Option<trainee_profile::Model>), ApiError> {
    let not_found = || ApiError::NotFound(format!("trainee '{trainee_id}' does not exist"));
    principal.require_institute(institute_id, "institute")?;
    let row = people::find_trainee(&state.db, institute_id, trainee_id)
        .await?
        .ok_or_else(not_found)?;
    let allowed = match principal.role {
        role if READERS.contains(&role) => true,
        Role::Trainee => row.user_id == Some(principal.user_id),
        Role::Trainer => {
            match steps::trainer_of_user(&state.db, institute_id, principal.user_id).await? {
                Some(me) => interviewed_together(state, institute_id, trainee_id, me.id).await?,
                None => false,
            }
        }
        _ => false,
    };
    if !allowed {
        return Err(not_found());
    }
    let profile = profiles::trainee(&state.db, trainee_id).await?;
    Ok((row, profile))
}

async fn interviewed_together(
    state: &AppState,
    institute_id: Uuid,
    trainee_id: Uuid,
    trainer_id: Uuid,
) -> Result<bool, ApiError> {
    for round in rounds::list(&state.db, institute_id).await? {
        if steps::interviews(&state.db, round.id)
            .await?
            .iter()
            .any(|i| i.trainee_id == trainee_id && i.trainer_id == trainer_id)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Saves the caller's learning plan and practice description.
pub async fn save_trainer(
    state: &AppState,
    principal: &Principal,
    request: &koppel_api_types::TrainerProfileRequest,
) -> Result<(trainer::Model, Option<trainer_profile::Model>), ApiError> {
    let me = my_trainer(state, principal).await?;
    ensure_editable(state, None, Some(me.id)).await?;
    let plan = text_field("learning_plan", &request.learning_plan)?;
    let practice = text_field("practice_description", &request.practice_description)?;
    profiles::save_trainer(&state.db, me.id, &plan, &practice, Utc::now()).await?;
    let profile = profiles::trainer(&state.db, me.id).await?;
    Ok((me, profile))
}

/// The calling trainee's record and profile (none when never written).
pub async fn my_trainee_profile(
    state: &AppState,
    principal: &Principal,
) -> Result<(trainee::Model, Option<trainee_profile::Model>), ApiError> {
    let me = my_trainee(state, principal).await?;
    let profile = profiles::trainee(&state.db, me.id).await?;
    Ok((me, profile))
}

/// The calling trainer's record and profile (none when never written).
pub async fn my_trainer_profile(
    state: &AppState,
    principal: &Principal,
) -> Result<(trainer::Model, Option<trainer_profile::Model>), ApiError> {
    let me = my_trainer(state, principal).await?;
    let profile = profiles::trainer(&state.db, me.id).await?;
    Ok((me, profile))
}

/// A trainer and their profile, if the caller may read it: coordinators, the trainer, and
/// trainees taking part in a round with them.
pub async fn readable_trainer(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    trainer_id: Uuid,
) -> Result<(trainer::Model, Option<trainer_profile::Model>), ApiError> {
    let not_found = || ApiError::NotFound(format!("trainer '{trainer_id}' does not exist"));
    principal.require_institute(institute_id, "institute")?;
    let row = people::find_trainer(&state.db, institute_id, trainer_id)
        .await?
        .ok_or_else(not_found)?;
    let allowed = match principal.role {
        role if READERS.contains(&role) => true,
        Role::Trainer => row.user_id == Some(principal.user_id),
        Role::Trainee => {
            match steps::trainee_of_user(&state.db, institute_id, principal.user_id).await? {
                Some(me) => {
                    let mut together = false;
                    for round in rounds::list(&state.db, institute_id).await? {
                        let trainees = rounds::trainees(&state.db, round.id).await?;
                        let trainers = rounds::trainers(&state.db, round.id).await?;
                        together |= trainees.iter().any(|t| t.trainee_id == me.id)
                            && trainers.iter().any(|t| t.trainer_id == trainer_id);
                    }
                    together
                }
                None => false,
            }
        }
        _ => false,
    };
    if !allowed {
        return Err(not_found());
    }
    Ok((row, profiles::trainer(&state.db, trainer_id).await?))
}
