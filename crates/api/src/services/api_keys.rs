//! API keys for institutes' own systems: created by coordinators, shown once, stored hashed,
//! revocable. A key acts with the role `integration` within its institute.

use chrono::Utc;
use koppel_api_types::Role;
use koppel_domain::DisplayName;
use uuid::Uuid;

use crate::auth::opaque;
use crate::error::ApiError;
use crate::extract::{API_KEY_PREFIX, Principal};
use crate::startup::AppState;
use crate::store::api_keys;
use crate::store::audit::{self, Entry};
use crate::store::entities::api_key;

/// Who manages keys: administrators and coordinators, not integrations themselves.
const KEY_MANAGERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::TrainerTeam];

/// Creates a key; answers the row and the key, which is never shown again.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    name: &str,
) -> Result<(api_key::Model, String), ApiError> {
    super::people::access(state, principal, institute_id, &KEY_MANAGERS).await?;
    let name = DisplayName::parse(name).map_err(|error| ApiError::field("name", error))?;
    let secret = opaque::generate();
    let key = format!("{API_KEY_PREFIX}{}", secret.token);
    let now = Utc::now();
    let row = api_key::Model {
        id: Uuid::new_v4(),
        institute_id,
        name: name.to_string(),
        key_hash: opaque::hash(&key),
        prefix: key.chars().take(12).collect(),
        created_by: principal.user_id,
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    let txn = crate::store::begin(&state.db).await?;
    api_keys::insert(&txn, row.clone()).await?;
    audit::append(
        &txn,
        Entry {
            institute_id,
            round_id: None,
            actor_id: Some(principal.user_id),
            action: "api_key.created",
            summary: format!("API key '{}' ({}) created", row.name, row.prefix),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((row, key))
}

/// Keys of an institute.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
) -> Result<Vec<api_key::Model>, ApiError> {
    super::people::access(state, principal, institute_id, &KEY_MANAGERS).await?;
    Ok(api_keys::list(&state.db, institute_id).await?)
}

/// Revokes a key.
pub async fn revoke(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    id: Uuid,
) -> Result<(), ApiError> {
    super::people::access(state, principal, institute_id, &KEY_MANAGERS).await?;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    if !api_keys::revoke(&txn, institute_id, id, now).await? {
        return Err(ApiError::NotFound(format!(
            "API key '{id}' does not exist or is already revoked"
        )));
    }
    audit::append(
        &txn,
        Entry {
            institute_id,
            round_id: None,
            actor_id: Some(principal.user_id),
            action: "api_key.revoked",
            summary: format!("API key {id} revoked"),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
