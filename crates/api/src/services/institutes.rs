//! Institutes and the invitation of their users.

use chrono::Utc;
use koppel_api_types::{Locale, Role, UserStatus};
use koppel_domain::{DisplayName, EmailAddress};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::auth::ACTIVATION_TTL;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::mail;
use crate::state::AppState;
use crate::store::institutes::SettingsChange;
use crate::store::institutes::{self, Institute};
use crate::store::users::{self, NewUser, User};
use crate::store::{outbox, tokens};

/// Roles that may read an institute's user list.
const USER_READERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::TrainerTeam];

/// Creates an institute (administrators only).
#[tracing::instrument(skip(state))]
pub async fn create(
    state: &AppState,
    principal: &Principal,
    name: DisplayName,
) -> Result<Institute, ApiError> {
    principal.require_role(&[Role::Admin])?;
    if institutes::find_by_name(&state.db, name.as_str())
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!(
            "an institute named '{name}' already exists"
        )));
    }
    let institute = institutes::insert(&state.db, &name, Utc::now()).await?;
    tracing::info!(institute_id = %institute.id, "institute created");
    Ok(institute)
}

/// Institutes the caller may see: all for administrators, their own for institute users.
pub async fn list(state: &AppState, principal: &Principal) -> Result<Vec<Institute>, ApiError> {
    if principal.role == Role::Admin {
        return Ok(institutes::list(&state.db).await?);
    }
    Ok(match principal.institute_id {
        Some(id) => institutes::find(&state.db, id).await?.into_iter().collect(),
        None => Vec::new(),
    })
}

/// One institute, if the caller may see it.
pub async fn get(state: &AppState, principal: &Principal, id: Uuid) -> Result<Institute, ApiError> {
    principal.require_institute(id, "institute")?;
    institutes::find(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("institute '{id}' does not exist")))
}

/// Changes whether an institute's coordinators must sign in with a second factor
/// (administrators and the institute's coordinators). Coordinators without one may then only
/// enrol, at once.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    change: SettingsChange,
) -> Result<Institute, ApiError> {
    get(state, principal, id).await?;
    principal.require_role(&USER_READERS)?;
    if let Some(days) = change.reminder_days
        && days > koppel_domain::timetable::MAX_REMINDER_DAYS
    {
        return Err(ApiError::field(
            "reminder_days",
            format!(
                "must be between 0 and {}",
                koppel_domain::timetable::MAX_REMINDER_DAYS
            ),
        ));
    }
    if let Some(months) = change.retention_months
        && !(1..=koppel_domain::retention::MAX_MONTHS).contains(&months)
    {
        return Err(ApiError::field(
            "retention_months",
            format!(
                "must be between 1 and {}",
                koppel_domain::retention::MAX_MONTHS
            ),
        ));
    }
    // An empty change changes nothing (and answers the institute as it is).
    if !change.is_empty() {
        institutes::update_settings(&state.db, id, change).await?;
    }
    tracing::info!(institute_id = %id, ?change, user_id = %principal.user_id, "institute settings changed");
    get(state, principal, id).await
}

/// Users of an institute, for administrators and the institute's coordinators.
pub async fn list_users(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<User>, ApiError> {
    get(state, principal, institute_id).await?;
    principal.require_role(&USER_READERS)?;
    Ok(users::list_by_institute(&state.db, institute_id).await?)
}

/// Changes a user's role or status (administrators). Deactivating ends every sign-in of the
/// account at once; an invited account can be deactivated but becomes active only by its own
/// activation.
pub async fn update_user(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    user_id: Uuid,
    role: Option<Role>,
    status: Option<UserStatus>,
) -> Result<User, ApiError> {
    get(state, principal, institute_id).await?;
    principal.require_role(&[Role::Admin])?;
    let user = users::find(&state.db, user_id)
        .await?
        .filter(|user| user.institute_id == Some(institute_id))
        .ok_or_else(|| ApiError::NotFound(format!("user '{user_id}' does not exist")))?;
    if let Some(role) = role
        && (!role.is_institute_role() || role == Role::Integration)
    {
        return Err(ApiError::field(
            "role",
            "an institute user must be trainee_team, trainer_team, trainee or trainer",
        ));
    }
    if status == Some(UserStatus::Invited)
        || (status == Some(UserStatus::Active) && user.status == UserStatus::Invited)
    {
        return Err(ApiError::field(
            "status",
            "use deactivated, or active for a deactivated account that had been activated",
        ));
    }
    if status == Some(UserStatus::Active) && user.password_hash.is_none() {
        return Err(ApiError::field(
            "status",
            "this account never chose a password; invite the person again instead",
        ));
    }
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    users::update(&txn, user.id, None, role, status, now).await?;
    if status == Some(UserStatus::Deactivated) {
        tokens::revoke_user(&txn, user.id, None, now).await?;
        crate::store::sessions::end_all(&txn, user.id, None, now).await?;
    }
    let mut changes = Vec::new();
    if let Some(role) = role {
        changes.push(format!("role {}", role.as_str()));
    }
    if let Some(status) = status {
        changes.push(format!("status {}", status.as_str()));
    }
    crate::store::audit::Entry::in_institute(
        institute_id,
        principal.user_id,
        "user.updated",
        format!("{}: {}", user.email, changes.join(", ")),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    users::find(&state.db, user.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("user '{user_id}' does not exist")))
}

/// An invitation, parsed.
#[derive(Debug)]
pub struct Invitation {
    /// Address.
    pub email: EmailAddress,
    /// Name.
    pub display_name: DisplayName,
    /// Institute role.
    pub role: Role,
    /// Language.
    pub locale: Locale,
}

/// Which roles a caller may invite: administrators every institute role, the A-team trainees and
/// the O-team trainers.
fn may_invite(inviter: Role, invitee: Role) -> bool {
    match inviter {
        Role::Admin => true,
        Role::TraineeTeam => invitee == Role::Trainee,
        Role::TrainerTeam => invitee == Role::Trainer,
        _ => false,
    }
}

/// Invites a user: creates the account, an activation token and the invitation mail, in one
/// transaction.
#[tracing::instrument(skip(state, invitation), fields(role = invitation.role.as_str()))]
pub async fn invite(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    invitation: Invitation,
) -> Result<User, ApiError> {
    let institute = get(state, principal, institute_id).await?;
    principal.require_role(&USER_READERS)?;
    if !invitation.role.is_institute_role() || invitation.role == Role::Integration {
        return Err(ApiError::field(
            "role",
            "an institute user must be trainee_team, trainer_team, trainee or trainer",
        ));
    }
    if !may_invite(principal.role, invitation.role) {
        return Err(ApiError::Forbidden(format!(
            "the role '{}' may not invite a '{}'",
            principal.role.as_str(),
            invitation.role.as_str()
        )));
    }
    if users::find_by_email(&state.db, &invitation.email)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!(
            "an account with the e-mail address '{}' already exists",
            invitation.email
        )));
    }

    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let (user, mail) = create_invited(&txn, &institute, &invitation, now).await?;
    txn.commit().await?;
    state.log_queued_mail(&mail);
    tracing::info!(user_id = %user.id, "user invited");
    Ok(user)
}

/// Creates an invited account and queues the invitation mail, inside the caller's transaction.
/// Its activation link is made when the mail leaves.
pub(crate) async fn create_invited(
    txn: &DatabaseTransaction,
    institute: &Institute,
    invitation: &Invitation,
    now: chrono::DateTime<Utc>,
) -> Result<(User, mail::Mail), ApiError> {
    let user = users::insert(
        txn,
        NewUser {
            institute_id: Some(institute.id),
            email: &invitation.email,
            display_name: &invitation.display_name,
            role: invitation.role,
            status: UserStatus::Invited,
            password_hash: None,
            locale: invitation.locale,
        },
        now,
    )
    .await?;
    let mail = mail::invitation(
        invitation.locale,
        &user.email,
        &user.display_name,
        &institute.name,
        user.id,
        ACTIVATION_TTL.num_days(),
    );
    outbox::enqueue(txn, Some(institute.id), &mail, now).await?;
    Ok((user, mail))
}

/// The newest mails of an institute (at most 200), for its coordinators.
pub async fn outbox(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<crate::store::entities::outbox::Model>, ApiError> {
    super::people::access(state, principal, institute_id, &super::people::READERS).await?;
    Ok(outbox::for_institute(&state.db, institute_id, 200).await?)
}

/// The platform's own mails (the national lottery, accounts without an institute):
/// administrators only.
pub async fn platform_outbox(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<crate::store::entities::outbox::Model>, ApiError> {
    principal.require_role(&[Role::Admin])?;
    Ok(outbox::for_platform(&state.db, 200).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinators_invite_only_their_own_side() {
        assert!(may_invite(Role::TraineeTeam, Role::Trainee));
        assert!(!may_invite(Role::TraineeTeam, Role::Trainer));
        assert!(may_invite(Role::TrainerTeam, Role::Trainer));
        assert!(!may_invite(Role::TrainerTeam, Role::TraineeTeam));
        assert!(may_invite(Role::Admin, Role::TrainerTeam));
        assert!(!may_invite(Role::Trainee, Role::Trainee));
    }
}
