//! Sign-in (throttled), sign-ins with an absolute end, token rotation, sign-out, password
//! change, activation and reset, and the bootstrap administrator.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use koppel_api_types::{Locale, Role, TokenResponse, UserStatus};
use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use crate::auth::{ACCESS_TOKEN_TTL, opaque, password, throttle};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::sessions::{self, Session};
use crate::store::tokens::{self, RefreshUse};
use crate::store::users::{self, NewUser, User};

/// How long a refresh token is valid (never past its sign-in's absolute end).
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);

/// The absolute lifetime of a sign-in: after this, refreshing stops and the user signs in again.
pub const SESSION_TTL: Duration = Duration::days(30);

/// How long an activation link is valid.
pub const ACTIVATION_TTL: Duration = Duration::days(7);

/// Signs in with e-mail address and password, and for an account with two-factor sign-in a
/// code, unless the address or the client address has failed too often lately (see
/// [`throttle`]).
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    one_time_code: Option<&str>,
    client: Option<&str>,
) -> Result<TokenResponse, ApiError> {
    let keys = throttle::Keys::sign_in(email, client);
    keys.check(&state.db, Utc::now()).await?;
    let user = match EmailAddress::parse(email) {
        Ok(email) => users::find_by_email(&state.db, &email).await?,
        Err(_) => None,
    };
    let stored = user
        .as_ref()
        .filter(|user| user.status == UserStatus::Active)
        .and_then(|user| user.password_hash.clone());
    let matches = state
        .passwords
        .run(move || password::verify(stored.as_deref(), &password))
        .await?;
    match user {
        Some(user) if matches => {
            crate::services::two_factor::check_sign_in(state, &user, one_time_code, &keys).await?;
            keys.succeeded(&state.db).await?;
            tracing::info!(user_id = %user.id, "signed in");
            let now = Utc::now();
            let txn = crate::store::begin(&state.db).await?;
            let response = start_session(state, &txn, &user, now).await?;
            txn.commit().await?;
            Ok(response)
        }
        _ => {
            keys.failed(&state.db, Utc::now()).await?;
            Err(ApiError::InvalidCredentials)
        }
    }
}

/// Exchanges a refresh token for a new pair, within its sign-in's absolute lifetime. A token that
/// was already used ends its sign-in: someone else may hold a copy.
#[tracing::instrument(skip_all)]
pub async fn refresh(state: &AppState, refresh_token: &str) -> Result<TokenResponse, ApiError> {
    let now = Utc::now();
    let hash = opaque::hash(refresh_token);
    let txn = crate::store::begin(&state.db).await?;
    match tokens::use_refresh(&txn, &hash, now).await? {
        RefreshUse::Rotated { user_id, family_id } => {
            let ended = ApiError::InvalidToken("this sign-in has ended; sign in again");
            let Some(session) = sessions::live(&txn, family_id, now)
                .await?
                .filter(|session| session.user_id == user_id)
            else {
                txn.rollback().await?;
                return Err(ended);
            };
            let user = users::find(&txn, user_id)
                .await?
                .filter(|user| user.status == UserStatus::Active)
                .ok_or(ApiError::InvalidToken(
                    "the account of this refresh token is not active",
                ))?;
            let response = issue_tokens(state, &txn, &user, &session, now).await?;
            txn.commit().await?;
            Ok(response)
        }
        RefreshUse::Replayed { family_id } => {
            txn.rollback().await?;
            end_session(&state.db, family_id, now).await?;
            tracing::warn!(%family_id, "refresh token replayed; sign-in ended");
            Err(ApiError::InvalidToken(
                "this refresh token was already used; sign in again",
            ))
        }
        RefreshUse::Invalid => Err(ApiError::InvalidToken(
            "the refresh token is unknown or has expired; sign in again",
        )),
    }
}

/// Signs out: ends the refresh token's sign-in, so its refresh tokens and its access tokens stop
/// working at once. Unknown tokens are ignored, so signing out twice is harmless.
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<(), ApiError> {
    if let Some(family_id) = tokens::refresh_family(&state.db, &opaque::hash(refresh_token)).await?
    {
        end_session(&state.db, family_id, Utc::now()).await?;
    }
    Ok(())
}

/// Changes the signed-in user's password after checking the current one, and ends every other
/// sign-in of the account. Wrong current passwords count as failed sign-ins of the account.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: &AppState,
    principal: &Principal,
    current: String,
    new: NewPassword,
) -> Result<(), ApiError> {
    let Some(session_id) = principal.session_id else {
        return Err(ApiError::Forbidden(
            "an API key has no password; sign in as a person".to_owned(),
        ));
    };
    let user = active_user(state, principal.user_id).await?;
    check_current_password(state, &user, current).await?;
    let hash = state.passwords.run(move || password::hash(&new)).await??;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    users::activate(&txn, user.id, hash, now).await?;
    tokens::spend_all_one_time(&txn, user.id, now).await?;
    tokens::revoke_user(&txn, user.id, Some(session_id), now).await?;
    sessions::end_all(&txn, user.id, Some(session_id), now).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, "password changed; other sign-ins ended");
    Ok(())
}

/// The active account with this id; 401 when it is gone or no longer active.
pub async fn active_user(state: &AppState, user_id: Uuid) -> Result<User, ApiError> {
    users::find(&state.db, user_id)
        .await?
        .filter(|user| user.status == UserStatus::Active)
        .ok_or(ApiError::Unauthenticated(
            "this account is no longer active",
        ))
}

/// Checks a signed-in user's current password before a change to their account (`field`
/// `current_password` when wrong). Throttled like sign-in: a wrong one counts as a failed
/// sign-in of the account.
pub async fn check_current_password(
    state: &AppState,
    user: &User,
    current: String,
) -> Result<(), ApiError> {
    let keys = throttle::Keys::account(&user.email);
    keys.check(&state.db, Utc::now()).await?;
    let stored = user.password_hash.clone();
    let matches = state
        .passwords
        .run(move || password::verify(stored.as_deref(), &current))
        .await?;
    if !matches {
        keys.failed(&state.db, Utc::now()).await?;
        return Err(ApiError::field(
            "current_password",
            "is not your current password",
        ));
    }
    keys.succeeded(&state.db).await?;
    Ok(())
}

/// Activates an invited account with its first password and signs the user in.
#[tracing::instrument(skip_all)]
pub async fn activate(
    state: &AppState,
    activation_token: &str,
    password: NewPassword,
    client: Option<&str>,
) -> Result<TokenResponse, ApiError> {
    set_password_with_token(
        state,
        OneTime {
            token: activation_token,
            purpose: tokens::Purpose::Activation,
            status: UserStatus::Invited,
            invalid: "this activation link is unknown, already used or expired; ask your coordinator for a new invitation",
        },
        password,
        client,
    )
    .await
}

/// A one-time token presented to set a password.
struct OneTime<'a> {
    token: &'a str,
    purpose: tokens::Purpose,
    /// The status the account must have.
    status: UserStatus,
    /// The answer when the token cannot be used.
    invalid: &'static str,
}

/// Sets the password of the account a one-time token belongs to, if the account has the token's
/// status, ends its other sign-ins and signs it in. Used by activation and password reset. The
/// token is checked before the password is hashed, and unusable tokens count against the client
/// address.
async fn set_password_with_token(
    state: &AppState,
    one_time: OneTime<'_>,
    password: NewPassword,
    client: Option<&str>,
) -> Result<TokenResponse, ApiError> {
    let keys = throttle::Keys::token(client);
    keys.check(&state.db, Utc::now()).await?;
    let invalid = ApiError::InvalidToken(one_time.invalid);
    let token_hash = opaque::hash(one_time.token);
    if tokens::usable_one_time(&state.db, &token_hash, one_time.purpose, Utc::now())
        .await?
        .is_none()
    {
        keys.failed(&state.db, Utc::now()).await?;
        return Err(invalid);
    }
    // Hash before the transaction, so the write lock is held only briefly.
    let hash = state
        .passwords
        .run(move || password::hash(&password))
        .await??;
    let now = Utc::now();
    let txn = crate::store::begin(&state.db).await?;
    let Some(user_id) = tokens::use_one_time(&txn, &token_hash, one_time.purpose, now).await?
    else {
        return Err(invalid);
    };
    let user = users::find(&txn, user_id)
        .await?
        .filter(|user| user.status == one_time.status)
        .ok_or(invalid)?;
    users::activate(&txn, user.id, hash, now).await?;
    // Other links in earlier mails (a second activation, an older reset) no longer work, and
    // every other sign-in ends.
    tokens::spend_all_one_time(&txn, user.id, now).await?;
    tokens::revoke_user(&txn, user.id, None, now).await?;
    sessions::end_all(&txn, user.id, None, now).await?;
    let response = start_session(state, &txn, &user, now).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, status = one_time.status.as_str(), "password set");
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
    if crate::store::outbox::recent(&txn, "password_reset", &user.email, now - RESET_TTL).await?
        >= 3
    {
        tracing::warn!(user_id = %user.id, "password reset requested too often; not sent");
        return Ok(());
    }
    let mail = crate::mail::password_reset(
        user.locale,
        &user.email,
        &user.display_name,
        user.id,
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
    client: Option<&str>,
) -> Result<TokenResponse, ApiError> {
    set_password_with_token(
        state,
        OneTime {
            token: reset_token,
            purpose: tokens::Purpose::PasswordReset,
            status: UserStatus::Active,
            invalid: "this reset link is unknown, already used or expired; ask for a new one",
        },
        password,
        client,
    )
    .await
}

/// Changes the signed-in user's language.
pub async fn update_me(
    state: &AppState,
    principal: &Principal,
    locale: Locale,
) -> Result<Me, ApiError> {
    if principal.key_scopes.is_some() {
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
    me(state, principal, None).await
}

/// Creates the first administrator from configuration, unless an account with that address
/// already exists.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    email: &str,
    password: &SecretString,
    totp_secret: Option<&SecretString>,
    totp_key: &crate::auth::totp::SealingKey,
) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).context("KOPPEL_BOOTSTRAP_ADMIN_EMAIL")?;
    if users::find_by_email(db, &email).await?.is_some() {
        tracing::info!(%email, "bootstrap administrator exists");
        return Ok(());
    }
    let password =
        NewPassword::parse(password.expose_secret()).context("KOPPEL_BOOTSTRAP_ADMIN_PASSWORD")?;
    let name = DisplayName::parse("Administrator")?;
    let totp_secret = totp_secret
        .map(|secret| {
            crate::auth::totp::TotpSecret::from_base32(secret.expose_secret()).context(
                "KOPPEL_BOOTSTRAP_ADMIN_TOTP_SECRET must be 32 base32 characters (20 bytes)",
            )
        })
        .transpose()?;
    let admin = users::insert(
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
    if let Some(secret) = totp_secret {
        crate::services::two_factor::enrol_directly(db, admin.id, &secret, totp_key, Utc::now())
            .await?;
    }
    tracing::info!(%email, "bootstrap administrator created");
    Ok(())
}

/// Starts a sign-in of `user` and issues its first tokens.
async fn start_session(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    user: &User,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let session = sessions::insert(db, user.id, now, now + SESSION_TTL).await?;
    issue_tokens(state, db, user, &session, now).await
}

/// Ends a sign-in: its refresh tokens are revoked and its access tokens refused from now on.
async fn end_session(
    db: &impl sea_orm::ConnectionTrait,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    tokens::revoke_family(db, session_id, now).await?;
    sessions::end(db, session_id, now).await?;
    Ok(())
}

async fn issue_tokens(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    user: &User,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let principal = Principal {
        user_id: user.id,
        role: user.role,
        institute_id: user.institute_id,
        session_id: Some(session.id),
        key_scopes: None,
    };
    let access_token = state
        .jwt
        .issue(&principal, session.id, now, session.expires_at)?;
    let refresh = opaque::generate();
    let refresh_expires = (now + REFRESH_TOKEN_TTL).min(session.expires_at);
    tokens::insert_refresh(db, user.id, session.id, &refresh.hash, now, refresh_expires).await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL.min(session.expires_at - now).num_seconds(),
        refresh_token: refresh.token,
        refresh_expires_in: (refresh_expires - now).num_seconds(),
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
    /// Two-factor sign-in.
    pub two_factor: koppel_api_types::TwoFactorStatus,
}

/// The signed-in user (or API key); refuses accounts that are no longer active. `checked` is
/// the account as the account middleware found it, when it did: from its one-second cache, so a
/// change made through another server process may show up to a second late.
pub async fn me(
    state: &AppState,
    principal: &Principal,
    checked: Option<User>,
) -> Result<Me, ApiError> {
    use crate::store::{api_keys, institutes};
    if principal.key_scopes.is_some()
        && let Some(key) = api_keys::find(&state.db, principal.user_id).await?
    {
        return Ok(Me {
            id: key.id,
            email: String::new(),
            display_name: key.name,
            role: Role::Integration,
            locale: Locale::Nl,
            institute: institutes::find(&state.db, key.institute_id).await?,
            two_factor: koppel_api_types::TwoFactorStatus {
                enabled: false,
                required: false,
                recovery_codes_left: 0,
            },
        });
    }
    let user = match checked.filter(|user| user.id == principal.user_id) {
        Some(user) => user,
        None => active_user(state, principal.user_id).await?,
    };
    let institute = match user.institute_id {
        Some(id) => institutes::find(&state.db, id).await?,
        None => None,
    };
    // The institute just read says whether it requires a second factor: no second read.
    let required = crate::services::two_factor::must_use(
        user.role,
        institute.as_ref().is_some_and(|i| i.require_two_factor),
    );
    let two_factor = crate::services::two_factor::status_with(state, &user, required).await?;
    Ok(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        locale: user.locale,
        institute,
        two_factor,
    })
}
