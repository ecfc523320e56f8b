//! API keys for institutes' own systems: created by coordinators, shown once, stored hashed,
//! revocable, with scopes and an end (see [`crate::auth::scopes`]). A key acts within its
//! institute with its creator's role, and stops working when its creator's account does.

use chrono::Utc;
use koppel_api_types::{ApiKeyScope, CreateApiKeyRequest, Role};
use koppel_domain::DisplayName;
use uuid::Uuid;

use crate::auth::opaque;
use crate::auth::scopes::{self, Scopes};
use crate::error::ApiError;
use crate::extract::{API_KEY_PREFIX, Principal};
use crate::state::AppState;
use crate::store::api_keys;
use crate::store::audit::Entry;
use crate::store::entities::api_key;

/// Who manages keys: administrators and coordinators, not integrations themselves.
const KEY_MANAGERS: [Role; 3] = [Role::Admin, Role::TraineeTeam, Role::TrainerTeam];

/// Creates a key; answers the row and the key, which is never shown again.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    institute_id: Uuid,
    request: &CreateApiKeyRequest,
) -> Result<(api_key::Model, String), ApiError> {
    super::people::access(state, principal, institute_id, &KEY_MANAGERS).await?;
    if principal.key_scopes.is_some() {
        return Err(ApiError::Forbidden(
            "an API key cannot make API keys".to_owned(),
        ));
    }
    let name = DisplayName::parse(&request.name).map_err(|error| ApiError::field("name", error))?;
    let scopes: Scopes = match &request.scopes {
        None => [ApiKeyScope::PeopleRead, ApiKeyScope::RoundsRead]
            .into_iter()
            .collect(),
        Some(scopes) if scopes.is_empty() => {
            return Err(ApiError::field("scopes", "give at least one scope"));
        }
        Some(scopes) => scopes.iter().copied().collect(),
    };
    let now = Utc::now();
    let expires_at = scopes::expiry(request.expires_on, now)
        .map_err(|message| ApiError::field("expires_on", message))?;
    let secret = opaque::generate();
    let key = format!("{API_KEY_PREFIX}{}", secret.token);
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
        scopes: Some(scopes.to_stored()),
        expires_at: Some(expires_at),
    };
    let txn = crate::store::begin(&state.db).await?;
    api_keys::insert(&txn, row.clone()).await?;
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "api_key.created",
        format!(
            "API key '{}' ({}) created: {}, until {}",
            row.name,
            row.prefix,
            scopes.to_stored(),
            expires_at.date_naive()
        ),
    )
    .append(&txn, now)
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
    Entry::in_institute(
        institute_id,
        principal.user_id,
        "api_key.revoked",
        format!("API key {id} revoked"),
    )
    .append(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}
