//! Sign-in, token rotation, sign-out, activation and the bootstrap administrator.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use koppel_api_types::{Locale, Role, TokenResponse, UserStatus};
use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use super::blocking;
use crate::auth::{ACCESS_TOKEN_TTL, opaque, password};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::startup::AppState;
use crate::store::tokens::{self, RefreshUse};
use crate::store::users::{self, NewUser, User};

/// How long a refresh token is valid.
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);

/// How long an activation link is valid.
pub const ACTIVATION_TTL: Duration = Duration::days(7);

/// Signs in with e-mail address and password.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<TokenResponse, ApiError> {
    let user = match EmailAddress::parse(email) {
        Ok(email) => users::find_by_email(&state.db, &email).await?,
        Err(_) => None,
    };
    let stored = user
        .as_ref()
        .filter(|user| user.status == UserStatus::Active)
        .and_then(|user| user.password_hash.clone());
    let matches = blocking(move || password::verify(stored.as_deref(), &password)).await?;
    match user {
        Some(user) if matches => {
            tracing::info!(user_id = %user.id, "signed in");
            issue_tokens(state, &state.db, &user, Uuid::new_v4(), Utc::now()).await
        }
        _ => Err(ApiError::InvalidCredentials),
    }
}

/// Exchanges a refresh token for a new pair. A token that was already used revokes every token
/// of its sign-in: someone else may hold a copy.
#[tracing::instrument(skip_all)]
pub async fn refresh(state: &AppState, refresh_token: &str) -> Result<TokenResponse, ApiError> {
    let now = Utc::now();
    let hash = opaque::hash(refresh_token);
    let txn = crate::store::begin(&state.db).await?;
    match tokens::use_refresh(&txn, &hash, now).await? {
        RefreshUse::Rotated { user_id, family_id } => {
            let user = users::find(&txn, user_id)
                .await?
                .filter(|user| user.status == UserStatus::Active)
                .ok_or(ApiError::InvalidToken(
                    "the account of this refresh token is not active",
                ))?;
            let response = issue_tokens(state, &txn, &user, family_id, now).await?;
            txn.commit().await?;
            Ok(response)
        }
        RefreshUse::Replayed { family_id } => {
            txn.rollback().await?;
            tokens::revoke_family(&state.db, family_id, now).await?;
            tracing::warn!(%family_id, "refresh token replayed; sign-in revoked");
            Err(ApiError::InvalidToken(
                "this refresh token was already used; sign in again",
            ))
        }
        RefreshUse::Invalid => Err(ApiError::InvalidToken(
            "the refresh token is unknown or has expired; sign in again",
        )),
    }
}

/// Signs out: revokes the refresh token's whole sign-in. Unknown tokens are ignored, so signing
/// out twice is harmless.
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<(), ApiError> {
    if let Some(family_id) = tokens::refresh_family(&state.db, &opaque::hash(refresh_token)).await?
    {
        tokens::revoke_family(&state.db, family_id, Utc::now()).await?;
    }
    Ok(())
}

/// Activates an invited account with its first password and signs the user in.
#[tracing::instrument(skip_all)]
pub async fn activate(
    state: &AppState,
    activation_token: &str,
    password: NewPassword,
) -> Result<TokenResponse, ApiError> {
    set_password_with_token(
        state,
        activation_token,
        password,
        tokens::Purpose::Activation,
        UserStatus::Invited,
        "this activation link is unknown, already used or expired; ask your coordinator for a new invitation",
    )
    .await
}

/// Sets the password of the account a one-time token belongs to, if the account has `status`,
/// ends its other sign-ins and signs it in. Used by activation and password reset.
async fn set_password_with_token(
    state: &AppState,
    token: &str,
    password: NewPassword,
    purpose: tokens::Purpose,
    status: UserStatus,
    invalid: &'static str,
) -> Result<TokenResponse, ApiError> {
    // Hash first, outside the transaction, so the write lock is held only briefly.
    let hash = blocking(move || password::hash(&password)).await??;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let invalid = ApiError::InvalidToken(invalid);
    let Some(user_id) = tokens::use_one_time(&txn, &opaque::hash(token), purpose, now).await?
    else {
        return Err(invalid);
    };
    let user = users::find(&txn, user_id)
        .await?
        .filter(|user| user.status == status)
        .ok_or(invalid)?;
    users::activate(&txn, user.id, hash, now).await?;
    // Other links in earlier mails (a second activation, an older reset) no longer work, and
    // every other sign-in ends.
    tokens::spend_all_one_time(&txn, user.id, now).await?;
    tokens::revoke_user(&txn, user.id, now).await?;
    let response = issue_tokens(state, &txn, &user, Uuid::new_v4(), now).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, status = status.as_str(), "password set");
    Ok(response)
}

/// How long a password-reset link is valid.
pub const RESET_TTL: Duration = Duration::hours(1);

/// Mails a password-reset link to an active account. Answers the same for every address, so
/// nobody learns which addresses have an account.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), ApiError> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Err(ApiError::field("email", "is not a valid e-mail address"));
    };
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let Some(user) = users::find_by_email(&txn, &email)
        .await?
        .filter(|user| user.status == UserStatus::Active)
    else {
        return Ok(());
    };
    // At most three reset mails an hour per account: no flooding an inbox with live links.
    if tokens::recent_resets(&txn, user.id, now - RESET_TTL).await? >= 3 {
        tracing::warn!(user_id = %user.id, "password reset requested too often; not sent");
        return Ok(());
    }
    let token = opaque::generate();
    tokens::insert_one_time(
        &txn,
        user.id,
        &token.hash,
        tokens::Purpose::PasswordReset,
        now,
        now + RESET_TTL,
    )
    .await?;
    let link = format!(
        "{}/reset?token={}",
        state.public_url.trim_end_matches('/'),
        token.token
    );
    let mail = crate::mail::password_reset(
        user.locale,
        &user.email,
        &user.display_name,
        &link,
        RESET_TTL.num_minutes(),
    );
    // Not in the institute's outbox: coordinators read that one, and a reset link is the
    // account's key. Only the platform administrators' outbox lists it.
    crate::store::outbox::enqueue(&txn, None, &mail, now).await?;
    txn.commit().await?;
    state.log_queued_mail(&mail);
    tracing::info!(user_id = %user.id, "password reset requested");
    Ok(())
}

/// Sets a new password with a reset token: every other sign-in of the account ends, and this
/// one begins.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: &AppState,
    reset_token: &str,
    password: NewPassword,
) -> Result<TokenResponse, ApiError> {
    set_password_with_token(
        state,
        reset_token,
        password,
        tokens::Purpose::PasswordReset,
        UserStatus::Active,
        "this reset link is unknown, already used or expired; ask for a new one",
    )
    .await
}

/// Changes the signed-in user's language.
pub async fn update_me(
    state: &AppState,
    principal: &Principal,
    locale: Locale,
) -> Result<Me, ApiError> {
    if principal.role == Role::Integration {
        return Err(ApiError::Forbidden(
            "an API key has no personal settings".to_owned(),
        ));
    }
    users::update(
        &state.db,
        principal.user_id,
        Some(locale),
        None,
        None,
        Utc::now(),
    )
    .await?;
    me(state, principal).await
}

/// Creates the first administrator from configuration, unless an account with that address
/// already exists.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    email: &str,
    password: &SecretString,
) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).context("KOPPEL_BOOTSTRAP_ADMIN_EMAIL")?;
    if users::find_by_email(db, &email).await?.is_some() {
        tracing::info!(%email, "bootstrap administrator exists");
        return Ok(());
    }
    let password =
        NewPassword::parse(password.expose_secret()).context("KOPPEL_BOOTSTRAP_ADMIN_PASSWORD")?;
    let name = DisplayName::parse("Administrator")?;
    users::insert(
        db,
        NewUser {
            institute_id: None,
            email: &email,
            display_name: &name,
            role: Role::Admin,
            status: UserStatus::Active,
            password_hash: Some(password::hash(&password)?),
            locale: Locale::Nl,
        },
        Utc::now(),
    )
    .await?;
    tracing::info!(%email, "bootstrap administrator created");
    Ok(())
}

async fn issue_tokens(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    user: &User,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let principal = Principal {
        user_id: user.id,
        role: user.role,
        institute_id: user.institute_id,
    };
    let access_token = state.jwt.issue(&principal, now)?;
    let refresh = opaque::generate();
    tokens::insert_refresh(
        db,
        user.id,
        family_id,
        &refresh.hash,
        now,
        now + REFRESH_TOKEN_TTL,
    )
    .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token: refresh.token,
        refresh_expires_in: REFRESH_TOKEN_TTL.num_seconds(),
    })
}

/// Who is signed in: an account, or an API key acting as an integration.
pub struct Me {
    /// Account or key id.
    pub id: Uuid,
    /// E-mail address (empty for a key).
    pub email: String,
    /// Name, or the key's name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Preferred language.
    pub locale: Locale,
    /// The institute, if any.
    pub institute: Option<crate::store::institutes::Institute>,
}

/// The signed-in user (or API key); refuses accounts that are no longer active.
pub async fn me(state: &AppState, principal: &Principal) -> Result<Me, ApiError> {
    use crate::store::{api_keys, institutes};
    if principal.role == Role::Integration
        && let Some(key) = api_keys::find(&state.db, principal.user_id).await?
    {
        return Ok(Me {
            id: key.id,
            email: String::new(),
            display_name: key.name,
            role: Role::Integration,
            locale: Locale::Nl,
            institute: institutes::find(&state.db, key.institute_id).await?,
        });
    }
    let user = users::find(&state.db, principal.user_id)
        .await?
        .filter(|user| user.status == UserStatus::Active)
        .ok_or(ApiError::Unauthenticated(
            "this account is no longer active",
        ))?;
    let institute = match user.institute_id {
        Some(id) => institutes::find(&state.db, id).await?,
        None => None,
    };
    Ok(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        locale: user.locale,
        institute,
    })
}
