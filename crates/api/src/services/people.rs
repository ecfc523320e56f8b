//! Trainees, trainers and practices of an institute: validation, saving, import and export.
//!
//! Imports are all or nothing: every row is validated (fields, duplicates within the file and
//! against the institute) and every problem is reported by row and field before anything is
//! written.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use koppel_api_types::{FieldError, Role, TraineeRequest, TrainerRequest};
use koppel_domain::{Curriculum, DisplayName, EmailAddress, PartTimeFactor};
use sea_orm::{DatabaseTransaction, DbErr};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::entities::{practice, trainee, trainer};
use crate::store::people::{self, Page, TraineeFields, TrainerFields};

/// Who may read an institute's people.
pub const READERS: [Role; 4] = [
    Role::Admin,
    Role::TraineeTeam,
    Role::TrainerTeam,
    Role::Integration,
];
/// Who may change trainees (the A-team).
pub const TRAINEE_WRITERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::Integration];
/// Who may change trainers and practices (the O-team).
pub const TRAINER_WRITERS: [Role; 3] = [Role::Admin, Role::TrainerTeam, Role::Integration];

/// Checks the institute (404 when foreign, or when it does not exist) and then the role (403).
/// Administrators may name any institute, so for them its existence is read before anything is
/// written under it: an unknown id is a 404, not a failed foreign key.
pub async fn access(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    roles: &[Role],
) -> Result<(), ApiError> {
    principal.require_institute(institute_id, "institute")?;
    principal.require_role(roles)?;
    if principal.role == Role::Admin
        && crate::store::institutes::find(&state.db, institute_id)
            .await?
            .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "institute '{institute_id}' does not exist"
        )));
    }
    Ok(())
}

fn error(errors: &mut Vec<FieldError>, prefix: &str, field: &str, message: impl ToString) {
    let field = if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    };
    errors.push(FieldError {
        field,
        message: message.to_string(),
    });
}

/// Validates a trainee; problems are named `{prefix}.{field}`.
pub fn validate_trainee(
    request: &TraineeRequest,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<TraineeFields> {
    let before = errors.len();
    let name = DisplayName::parse(&request.name)
        .map_err(|e| error(errors, prefix, "name", e))
        .ok();
    let email = EmailAddress::parse(&request.email)
        .map_err(|e| error(errors, prefix, "email", e))
        .ok();
    let factor = PartTimeFactor::parse(request.part_time_factor)
        .map_err(|e| error(errors, prefix, "part_time_factor", e))
        .ok();
    if let Some(factor) = factor
        && let Err(e) = Curriculum::new(request.training_start, factor, request.leave_days)
    {
        error(errors, prefix, "leave_days", e);
    }
    for (index, entry) in request.history.iter().enumerate() {
        if entry.training_year != 1 && entry.training_year != 3 {
            error(
                errors,
                prefix,
                &format!("history[{index}].training_year"),
                "must be 1 or 3",
            );
        }
        if entry.ends_on.is_some_and(|end| end < entry.starts_on) {
            error(
                errors,
                prefix,
                &format!("history[{index}].ends_on"),
                "must not be before starts_on",
            );
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(TraineeFields {
        name: name?.to_string(),
        email: email?.to_string(),
        training_start: request.training_start,
        part_time_factor: factor?.value(),
        leave_days: request.leave_days,
        history: request
            .history
            .iter()
            .map(|h| (h.trainer_id, h.training_year, h.starts_on, h.ends_on))
            .collect(),
    })
}

/// Validates a trainer; problems are named `{prefix}.{field}`.
pub fn validate_trainer(
    request: &TrainerRequest,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<TrainerFields> {
    let name = DisplayName::parse(&request.name)
        .map_err(|e| error(errors, prefix, "name", e))
        .ok();
    let email = EmailAddress::parse(&request.email)
        .map_err(|e| error(errors, prefix, "email", e))
        .ok();
    if !request.eligible_year1 && !request.eligible_year3 {
        error(
            errors,
            prefix,
            "eligible_year3",
            "a trainer must be eligible for year 1, year 3 or both",
        );
        return None;
    }
    Some(TrainerFields {
        name: name?.to_string(),
        email: email?.to_string(),
        practice_id: request.practice_id,
        eligible_year1: request.eligible_year1,
        eligible_year3: request.eligible_year3,
        large_scale_structure: request.large_scale_structure,
        last_trainee_end: request.last_trainee_end,
    })
}

/// Checks references to this institute's trainers and practices, and duplicate e-mail addresses
/// (a few queries for the whole batch, not one per row).
async fn check_trainee_references(
    state: &AppState,
    institute_id: Uuid,
    rows: &[(String, TraineeFields, Option<Uuid>)],
    errors: &mut Vec<FieldError>,
) -> Result<(), ApiError> {
    let referenced: Vec<Uuid> = rows
        .iter()
        .flat_map(|(_, f, _)| f.history.iter().map(|h| h.0))
        .collect();
    let mut known = HashSet::new();
    for chunk in referenced.chunks(1000) {
        known.extend(people::existing_trainer_ids(&state.db, institute_id, chunk).await?);
    }
    let emails: Vec<&str> = rows.iter().map(|(_, f, _)| f.email.as_str()).collect();
    let existing = people::trainee_ids_by_emails(&state.db, institute_id, &emails).await?;
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (prefix, fields, own_id) in rows {
        for (index, (trainer_id, ..)) in fields.history.iter().enumerate() {
            if !known.contains(trainer_id) {
                error(
                    errors,
                    prefix,
                    &format!("history[{index}].trainer_id"),
                    format!("trainer '{trainer_id}' does not exist in this institute"),
                );
            }
        }
        if let Some(first) = seen.insert(fields.email.as_str(), prefix.as_str()) {
            error(
                errors,
                prefix,
                "email",
                format!("'{}' is also used by {first}", fields.email),
            );
        } else if let Some(existing) = existing.get(&fields.email)
            && Some(*existing) != *own_id
        {
            error(
                errors,
                prefix,
                "email",
                format!("a trainee with '{}' already exists", fields.email),
            );
        }
    }
    Ok(())
}

async fn check_trainer_references(
    state: &AppState,
    institute_id: Uuid,
    rows: &[(String, TrainerFields, Option<Uuid>)],
    errors: &mut Vec<FieldError>,
) -> Result<(), ApiError> {
    let practices = people::practice_ids(&state.db, institute_id).await?;
    let emails: Vec<&str> = rows.iter().map(|(_, f, _)| f.email.as_str()).collect();
    let existing = people::trainer_ids_by_emails(&state.db, institute_id, &emails).await?;
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (prefix, fields, own_id) in rows {
        if let Some(practice_id) = fields.practice_id
            && !practices.contains(&practice_id)
        {
            error(
                errors,
                prefix,
                "practice_id",
                format!("practice '{practice_id}' does not exist in this institute"),
            );
        }
        if let Some(first) = seen.insert(fields.email.as_str(), prefix.as_str()) {
            error(
                errors,
                prefix,
                "email",
                format!("'{}' is also used by {first}", fields.email),
            );
        } else if let Some(existing) = existing.get(&fields.email)
            && Some(*existing) != *own_id
        {
            error(
                errors,
                prefix,
                "email",
                format!("a trainer with '{}' already exists", fields.email),
            );
        }
    }
    Ok(())
}

/// Saves validated rows in one transaction with one audit entry; `kind` names them in the log.
async fn persist<F, M>(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    kind: &str,
    rows: &[(String, F, Option<Uuid>)],
    save: impl AsyncFn(&DatabaseTransaction, &[(&F, Option<Uuid>)]) -> Result<Vec<M>, DbErr>,
    name: impl Fn(&M) -> &str,
) -> Result<Vec<M>, ApiError> {
    let rows: Vec<(&F, Option<Uuid>)> = rows.iter().map(|(_, fields, id)| (fields, *id)).collect();
    let txn = crate::store::begin(&state.db).await?;
    let saved = save(&txn, &rows).await?;
    let summary = match (saved.as_slice(), rows.first()) {
        ([one], Some((_, Some(_)))) => format!("{kind} {} updated", name(one)),
        ([one], _) => format!("{kind} {} created", name(one)),
        (many, _) => format!("{} {kind}s imported", many.len()),
    };
    let action = format!("{kind}s.saved");
    Entry::in_institute(institute_id, principal.user_id, &action, summary)
        .append(&txn, Utc::now())
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Saves trainees (new when the id is `None`), all or nothing, with one audit entry.
pub async fn save_trainees(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    requests: Vec<(String, TraineeRequest, Option<Uuid>)>,
) -> Result<Vec<trainee::Model>, ApiError> {
    access(state, principal, institute_id, &TRAINEE_WRITERS).await?;
    let mut errors = Vec::new();
    let rows: Vec<(String, TraineeFields, Option<Uuid>)> = requests
        .iter()
        .filter_map(|(prefix, request, id)| {
            validate_trainee(request, prefix, &mut errors).map(|f| (prefix.clone(), f, *id))
        })
        .collect();
    check_trainee_references(state, institute_id, &rows, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = Utc::now();
    let save = async |txn: &DatabaseTransaction, rows: &[(&TraineeFields, Option<Uuid>)]| {
        people::save_trainees(txn, institute_id, rows, now).await
    };
    persist(
        state,
        principal,
        institute_id,
        "trainee",
        &rows,
        save,
        |row| row.name.as_str(),
    )
    .await
}

/// Saves trainers, all or nothing, with one audit entry.
pub async fn save_trainers(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    requests: Vec<(String, TrainerRequest, Option<Uuid>)>,
) -> Result<Vec<trainer::Model>, ApiError> {
    access(state, principal, institute_id, &TRAINER_WRITERS).await?;
    let mut errors = Vec::new();
    let rows: Vec<(String, TrainerFields, Option<Uuid>)> = requests
        .iter()
        .filter_map(|(prefix, request, id)| {
            validate_trainer(request, prefix, &mut errors).map(|f| (prefix.clone(), f, *id))
        })
        .collect();
    check_trainer_references(state, institute_id, &rows, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = Utc::now();
    let save = async |txn: &DatabaseTransaction, rows: &[(&TrainerFields, Option<Uuid>)]| {
        people::save_trainers(txn, institute_id, rows, now).await
    };
    persist(
        state,
        principal,
        institute_id,
        "trainer",
        &rows,
        save,
        |row| row.name.as_str(),
    )
    .await
}

/// One trainee, if the caller may read it.
pub async fn trainee(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<trainee::Model, ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    people::find_trainee(&state.db, institute_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("trainee '{id}' does not exist")))
}

/// One trainer, if the caller may read it.
pub async fn trainer(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<trainer::Model, ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    people::find_trainer(&state.db, institute_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("trainer '{id}' does not exist")))
}

/// The earlier couplings of these trainees (already read through an access-checked list).
pub async fn histories(
    state: &AppState,
    trainee_ids: &[Uuid],
) -> Result<Vec<crate::store::entities::trainee_history::Model>, ApiError> {
    Ok(people::histories(&state.db, trainee_ids).await?)
}

/// A page of trainees.
pub async fn trainees(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    search: Option<&str>,
    page: Option<Page>,
) -> Result<(Vec<trainee::Model>, u64), ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    Ok(people::list_trainees(&state.db, institute_id, search, page).await?)
}

/// A page of trainers.
pub async fn trainers(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    search: Option<&str>,
    page: Option<Page>,
) -> Result<(Vec<trainer::Model>, u64), ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    Ok(people::list_trainers(&state.db, institute_id, search, page).await?)
}

/// Creates or replaces a practice.
pub async fn save_practice(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Option<Uuid>,
    request: &koppel_api_types::PracticeRequest,
) -> Result<practice::Model, ApiError> {
    access(state, principal, institute_id, &TRAINER_WRITERS).await?;
    let mut errors = Vec::new();
    let name = DisplayName::parse(&request.name)
        .map_err(|e| error(&mut errors, "", "name", e))
        .ok();
    let city = DisplayName::parse(&request.city)
        .map_err(|e| error(&mut errors, "", "city", e))
        .ok();
    if request.description.chars().count() > super::profiles::TEXT_LIMIT {
        error(
            &mut errors,
            "",
            "description",
            format!("must be at most {} characters", super::profiles::TEXT_LIMIT),
        );
    }
    let (Some(name), Some(city), true) = (name, city, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    if let Some(id) = id
        && people::find_practice(&state.db, institute_id, id)
            .await?
            .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "practice '{id}' does not exist"
        )));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let saved = people::save_practice(
        &txn,
        institute_id,
        id,
        name.as_str(),
        city.as_str(),
        request.description.trim(),
        now,
    )
    .await?;
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "practices.saved",
        format!("practice {} saved", saved.name),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Practices of an institute.
pub async fn practices(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<practice::Model>, ApiError> {
    access(state, principal, institute_id, &READERS).await?;
    Ok(people::list_practices(&state.db, institute_id).await?)
}
