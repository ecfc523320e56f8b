//! Two-factor sign-in (TOTP): enrolment, the code at sign-in, recovery codes, turning it off, and
//! who must use it. The codes themselves are in [`crate::auth::totp`].

use chrono::{DateTime, Utc};
use koppel_api_types::{Role, TwoFactorEnrolment, TwoFactorStatus};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::auth::throttle;
use crate::auth::totp::{self, SealingKey, TotpSecret};
use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::users::User;
use crate::store::{institutes, sessions, tokens, two_factor};

/// Whether an account must sign in with a second factor: administrators always, coordinators
/// when their institute requires it.
pub fn must_use(role: Role, institute_requires: bool) -> bool {
    role == Role::Admin || (role.is_coordinator() && institute_requires)
}

/// Whether `user` must sign in with a second factor.
pub async fn required(db: &impl ConnectionTrait, user: &User) -> Result<bool, ApiError> {
    let institute_requires = match user.institute_id {
        Some(id) if user.role.is_coordinator() => institutes::find(db, id)
            .await?
            .is_some_and(|institute| institute.require_two_factor),
        _ => false,
    };
    Ok(must_use(user.role, institute_requires))
}

/// Paths an account that must enrol may still call: read itself, enrol, change its password
/// and sign out.
pub fn allowed_before_enrolment(path: &str) -> bool {
    path == "/api/v1/me"
        || path == "/api/v1/me/password"
        || path.starts_with("/api/v1/me/two-factor")
        || path.starts_with("/api/v1/auth/")
}

/// The account's two-factor state (an API key has none).
pub async fn status(state: &AppState, principal: &Principal) -> Result<TwoFactorStatus, ApiError> {
    let Some(user) = person(state, principal).await? else {
        return Ok(TwoFactorStatus {
            enabled: false,
            required: false,
            recovery_codes_left: 0,
        });
    };
    status_of(state, &user).await
}

/// The two-factor state of `user`.
pub async fn status_of(state: &AppState, user: &User) -> Result<TwoFactorStatus, ApiError> {
    let required = required(&state.db, user).await?;
    status_with(state, user, required).await
}

/// [`status_of`] when whether the account must use it is already known.
pub async fn status_with(
    state: &AppState,
    user: &User,
    required: bool,
) -> Result<TwoFactorStatus, ApiError> {
    // Recovery codes exist only while two-factor sign-in is on (made when it is turned on,
    // removed when it is turned off).
    let recovery_codes_left = if user.two_factor {
        two_factor::find(&state.db, user.id)
            .await?
            .map_or(0, |stored| {
                u32::try_from(stored.recovery_codes.len()).unwrap_or(u32::MAX)
            })
    } else {
        0
    };
    Ok(TwoFactorStatus {
        enabled: user.two_factor,
        required,
        recovery_codes_left,
    })
}

/// Starts an enrolment: a new secret, kept sealed until a code confirms it. While two-factor
/// sign-in is on, the old secret keeps working until the new one is confirmed (a new phone).
pub async fn start(
    state: &AppState,
    principal: &Principal,
) -> Result<TwoFactorEnrolment, ApiError> {
    let user = person(state, principal)
        .await?
        .ok_or_else(|| ApiError::Forbidden("an API key has no second factor".to_owned()))?;
    let secret = TotpSecret::generate();
    let sealed = state.totp_key.seal(user.id, &secret);
    two_factor::set_pending(&state.db, user.id, &sealed, Utc::now()).await?;
    let otpauth_uri = secret.uri(&user.email);
    let qr_code_svg = totp::qr_svg(&otpauth_uri)?;
    tracing::info!(user_id = %user.id, "two-factor enrolment started");
    Ok(TwoFactorEnrolment {
        secret: secret.base32(),
        otpauth_uri,
        qr_code_svg,
    })
}

/// Confirms an enrolment with a code of the new secret: two-factor sign-in is on (or moves to
/// the new secret), fresh recovery codes are returned once, and every other sign-in of the
/// account ends.
pub async fn confirm(
    state: &AppState,
    principal: &Principal,
    code: &str,
) -> Result<Vec<String>, ApiError> {
    let (Some(user), Some(session_id)) = (person(state, principal).await?, principal.session_id)
    else {
        return Err(ApiError::Forbidden(
            "an API key has no second factor".to_owned(),
        ));
    };
    let now = Utc::now();
    let stored = two_factor::find(&state.db, user.id).await?;
    let Some(sealed) = stored.as_ref().and_then(|stored| stored.pending.clone()) else {
        return Err(ApiError::Conflict(
            "no enrolment is in progress: start one with POST /me/two-factor".to_owned(),
        ));
    };
    let secret = state.totp_key.open(user.id, &sealed).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "the pending two-factor secret of {} cannot be opened (KOPPEL_TOTP_KEY changed?)",
            user.id
        ))
    })?;
    let Some(step) = secret.matching_step(code, now, None) else {
        return Err(ApiError::field(
            "code",
            "is not the current code of the authenticator app for this secret",
        ));
    };
    let codes = totp::recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|code| totp::recovery_code_hash(code))
        .collect();
    let txn = crate::store::begin(&state.db).await?;
    two_factor::enable(&txn, user.id, &sealed, step, &hashes, now).await?;
    tokens::revoke_user(&txn, user.id, Some(session_id), now).await?;
    sessions::end_all(&txn, user.id, Some(session_id), now).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, "two-factor sign-in turned on; other sign-ins ended");
    Ok(codes)
}

/// Turns two-factor sign-in off after checking the password, unless the account must use it.
pub async fn turn_off(
    state: &AppState,
    principal: &Principal,
    current_password: String,
) -> Result<(), ApiError> {
    let user = person(state, principal)
        .await?
        .ok_or_else(|| ApiError::Forbidden("an API key has no second factor".to_owned()))?;
    if required(&state.db, &user).await? {
        return Err(ApiError::Forbidden(
            "your account must use two-factor sign-in; enrol a new app instead".to_owned(),
        ));
    }
    super::auth::check_current_password(state, &user, current_password).await?;
    two_factor::turn_off(&state.db, user.id, Utc::now()).await?;
    tracing::info!(user_id = %user.id, "two-factor sign-in turned off");
    Ok(())
}

/// Checks the second factor of a sign-in whose password was right. Accounts without it pass.
/// A missing code is answered without counting as a failure; a wrong, expired or used one
/// counts as a failed sign-in.
pub async fn check_sign_in(
    state: &AppState,
    user: &User,
    code: Option<&str>,
    keys: &throttle::Keys,
) -> Result<(), ApiError> {
    if !user.two_factor {
        return Ok(());
    }
    let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
        return Err(ApiError::SecondFactor(
            "this account signs in with a second factor: send one_time_code, the code of your authenticator app or a recovery code",
        ));
    };
    let now = Utc::now();
    if !code_is_good(state, user.id, code, now).await? {
        keys.failed(&state.db, now).await?;
        return Err(ApiError::SecondFactor(
            "the code is wrong, expired or already used; send the current code of your authenticator app or an unused recovery code",
        ));
    }
    Ok(())
}

async fn code_is_good(
    state: &AppState,
    user_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    if !totp::is_totp_code(code) {
        return Ok(match totp::recovery_code_hash(code) {
            Some(hash) => {
                let used = two_factor::use_recovery_code(&state.db, user_id, &hash).await?;
                if used {
                    tracing::info!(%user_id, "signed in with a recovery code");
                }
                used
            }
            None => false,
        });
    }
    let Some(stored) = two_factor::find(&state.db, user_id).await? else {
        return Ok(false);
    };
    let Some(secret) = stored
        .secret
        .as_deref()
        .and_then(|sealed| state.totp_key.open(user_id, sealed))
    else {
        tracing::error!(%user_id, "the two-factor secret cannot be opened (KOPPEL_TOTP_KEY changed?)");
        return Ok(false);
    };
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    match secret.matching_step(&digits, now, stored.last_step) {
        Some(step) => Ok(two_factor::claim_step(&state.db, user_id, step).await?),
        None => Ok(false),
    }
}

/// Turns two-factor sign-in on with a known secret, without a code: for the bootstrap
/// administrator and the demo.
pub async fn enrol_directly(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    secret: &TotpSecret,
    key: &SealingKey,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let sealed = key.seal(user_id, secret);
    two_factor::enable(db, user_id, &sealed, i64::MIN, &[], now).await?;
    Ok(())
}

/// Turns an account's two-factor sign-in off without its password (`koppel reset-two-factor`,
/// for someone who lost both app and recovery codes). Their sign-ins end.
pub async fn reset(db: &impl ConnectionTrait, user_id: Uuid) -> anyhow::Result<()> {
    let now = Utc::now();
    two_factor::turn_off(db, user_id, now).await?;
    tokens::revoke_user(db, user_id, None, now).await?;
    sessions::end_all(db, user_id, None, now).await?;
    Ok(())
}

/// The active account behind a person's principal; `None` for an API key.
async fn person(state: &AppState, principal: &Principal) -> Result<Option<User>, ApiError> {
    if principal.key_scopes.is_some() {
        return Ok(None);
    }
    super::auth::active_user(state, principal.user_id)
        .await
        .map(Some)
}
