//! Access tokens: JWTs signed with HS256 (pinned: other algorithms, including `none`, are
//! refused), valid for 15 minutes, carrying the user id, role, institute and sign-in (`sid`).
//! The account middleware checks the sign-in on every request, so ending it ends its tokens.
//! A token that verified is remembered until it expires, so that a client's next requests with
//! it skip decoding and the signature check (a twentieth of a read's CPU time).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use koppel_api_types::Role;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;

/// How long an access token is valid.
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);

const ISSUER: &str = "koppel";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Role.
    pub role: Role,
    /// Institute, for institute roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institute_id: Option<Uuid>,
    /// The sign-in (session) this token belongs to.
    pub sid: Uuid,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Always `koppel`.
    pub iss: String,
}

/// Tokens remembered at most; beyond, the memory starts over.
const REMEMBERED: usize = 50_000;

/// Signing and verification keys, made once at start, and the tokens they verified lately.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Verified tokens with their principal and expiry (seconds since the epoch).
    verified: Mutex<HashMap<Box<str>, (Principal, i64)>>,
}

impl JwtKeys {
    /// Keys from the configured secret.
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "sid"]);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            verified: Mutex::new(HashMap::new()),
        }
    }

    /// Signs an access token for `principal` on sign-in `session_id`, valid from `now` for
    /// [`ACCESS_TOKEN_TTL`] or until `ends`, whichever comes first.
    pub fn issue(
        &self,
        principal: &Principal,
        session_id: Uuid,
        now: DateTime<Utc>,
        ends: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: principal.user_id,
            role: principal.role,
            institute_id: principal.institute_id,
            sid: session_id,
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).min(ends).timestamp(),
            iss: ISSUER.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Verifies signature, algorithm, issuer and expiry.
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        // Valid, as `jsonwebtoken` counts it, until `exp` plus the leeway has passed.
        let now = jsonwebtoken::get_current_timestamp();
        let live =
            |exp: i64| u64::try_from(exp).is_ok_and(|exp| now < exp + self.validation.leeway);
        if let Ok(verified) = self.verified.lock()
            && let Some(&(principal, exp)) = verified.get(token)
            && live(exp)
        {
            return Ok(principal);
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| {
                tracing::debug!(%error, "access token refused");
                ApiError::Unauthenticated("the access token is invalid or has expired")
            })?;
        let principal = Principal {
            user_id: data.claims.sub,
            role: data.claims.role,
            institute_id: data.claims.institute_id,
            session_id: Some(data.claims.sid),
            key_scopes: None,
        };
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= REMEMBERED {
                verified.retain(|_, &mut (_, exp)| live(exp));
                if verified.len() >= REMEMBERED {
                    verified.clear();
                }
            }
            verified.insert(token.into(), (principal, data.claims.exp));
        }
        Ok(principal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys() -> JwtKeys {
        JwtKeys::new(&SecretString::from(
            "test-secret-of-enough-length-0123456789",
        ))
    }

    fn principal() -> Principal {
        Principal {
            user_id: Uuid::new_v4(),
            role: Role::TraineeTeam,
            institute_id: Some(Uuid::new_v4()),
            session_id: Some(Uuid::new_v4()),
            key_scopes: None,
        }
    }

    fn issue(keys: &JwtKeys, principal: &Principal, now: DateTime<Utc>) -> String {
        let session = principal.session_id.unwrap();
        keys.issue(principal, session, now, now + Duration::days(30))
            .unwrap()
    }

    #[test]
    fn an_issued_token_verifies_to_the_same_principal() {
        let principal = principal();
        let token = issue(&keys(), &principal, Utc::now());
        assert_eq!(keys().verify(&token).unwrap(), principal);
    }

    #[test]
    fn a_token_does_not_outlive_its_sign_in() {
        let principal = principal();
        let now = Utc::now();
        let token = keys()
            .issue(
                &principal,
                principal.session_id.unwrap(),
                now,
                now + Duration::seconds(60),
            )
            .unwrap();
        let claims = jsonwebtoken::dangerous::insecure_decode::<Claims>(&token)
            .unwrap()
            .claims;
        assert_eq!(claims.exp - claims.iat, 60);
    }

    #[test]
    fn a_remembered_token_is_refused_once_it_expires() {
        let mut keys = keys();
        keys.validation.leeway = 0;
        let principal = principal();
        let now = Utc::now();
        let session = principal.session_id.unwrap();
        let token = keys
            .issue(&principal, session, now, now + Duration::seconds(1))
            .unwrap();
        assert_eq!(keys.verify(&token).unwrap(), principal);
        assert_eq!(keys.verify(&token).unwrap(), principal, "remembered");
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(keys.verify(&token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let token = issue(&keys(), &principal(), Utc::now() - Duration::minutes(16));
        assert!(keys().verify(&token).is_err());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = JwtKeys::new(&SecretString::from("another-secret-0123456789abcdef"));
        let token = issue(&other, &principal(), Utc::now());
        assert!(keys().verify(&token).is_err());
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let token = issue(&keys(), &principal(), Utc::now());
        let payload = token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{header}.{payload}.")).is_err());
    }
}
