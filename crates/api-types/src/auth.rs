//! Sign-in, tokens, account activation and the current user.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What someone may do on the platform. One role per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform administrator and the national body (placement lottery).
    Admin,
    /// Trainee coordinators of an institute (A-team).
    TraineeTeam,
    /// Trainer coordinators of an institute (O-team).
    TrainerTeam,
    /// A GP trainee (aios).
    Trainee,
    /// A GP trainer (huisartsopleider).
    Trainer,
    /// A candidate in the national placement lottery.
    Candidate,
    /// Another system of an institute, authenticated with an API key.
    Integration,
}

impl Role {
    /// Every role, in the order the product lists them.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::TraineeTeam,
        Role::TrainerTeam,
        Role::Trainee,
        Role::Trainer,
        Role::Candidate,
        Role::Integration,
    ];

    /// The snake_case name, as in the JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::TraineeTeam => "trainee_team",
            Self::TrainerTeam => "trainer_team",
            Self::Trainee => "trainee",
            Self::Trainer => "trainer",
            Self::Candidate => "candidate",
            Self::Integration => "integration",
        }
    }

    /// Parses the snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether accounts with this role belong to one institute.
    pub fn is_institute_role(self) -> bool {
        !matches!(self, Self::Admin | Self::Candidate)
    }

    /// Whether this role coordinates a round (A-team or O-team).
    pub fn is_coordinator(self) -> bool {
        matches!(self, Self::TraineeTeam | Self::TrainerTeam)
    }
}

/// Language of the user interface and of mails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Dutch, the default.
    #[default]
    Nl,
    /// English.
    En,
}

impl Locale {
    /// The ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// Parses an ISO 639-1 code; unknown codes give `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Self::Nl),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Invited; the activation mail has not been used yet.
    Invited,
    /// Activated; can sign in.
    Active,
    /// Switched off by an administrator; cannot sign in.
    Deactivated,
}

impl UserStatus {
    /// The snake_case name, as in the JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Active => "active",
            Self::Deactivated => "deactivated",
        }
    }

    /// Parses the snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Invited, Self::Active, Self::Deactivated]
            .into_iter()
            .find(|status| status.as_str() == name)
    }
}

/// Sign in with e-mail address and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The account's e-mail address (case-insensitive).
    #[cfg_attr(feature = "openapi", schema(example = "a-team@demo.koppel.test"))]
    pub email: String,
    /// The account's password.
    #[cfg_attr(feature = "openapi", schema(example = "demo-wachtwoord"))]
    pub password: String,
    /// For an account with two-factor sign-in: the 6-digit code of its authenticator app, or
    /// one of its recovery codes (`abcd-efgh-ijkl-mnop`, works once). Without it such an
    /// account is answered 401 `second_factor_required`; send the same request again with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "123456", max_length = 40))]
    pub one_time_code: Option<String>,
}

/// A new pair of tokens.
///
/// Send the access token as `Authorization: Bearer <access_token>`. When it expires, exchange the
/// refresh token at `/auth/refresh`; each refresh token works once (rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Signed JWT (HS256) with the user's id, role and institute.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl")
    )]
    pub access_token: String,
    /// Always `Bearer`.
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[cfg_attr(feature = "openapi", schema(example = 900))]
    pub expires_in: i64,
    /// Opaque single-use token for `/auth/refresh` and `/auth/logout`. Empty when the request
    /// sent `X-Koppel-Refresh: cookie`: then it is in an `HttpOnly; SameSite=Strict` cookie
    /// `koppel_refresh` for `/api/v1/auth`, out of reach of scripts.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "q3Xv0kYp7sJ2mW9dZr4tLb8nHc1eFa6uGi5oKj0yTwE")
    )]
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    #[cfg_attr(feature = "openapi", schema(example = 2592000))]
    pub refresh_expires_in: i64,
}

/// Exchange a refresh token for a new pair of tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh. Absent or empty: the one in the
    /// `koppel_refresh` cookie (browsers; send `X-Koppel-Refresh: cookie`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "q3Xv0kYp7sJ2mW9dZr4tLb8nHc1eFa6uGi5oKj0yTwE")
    )]
    pub refresh_token: Option<String>,
}

/// Sign out: revokes the refresh token and every token rotated from the same login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    /// The current refresh token. Absent or empty: the one in the `koppel_refresh` cookie.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "q3Xv0kYp7sJ2mW9dZr4tLb8nHc1eFa6uGi5oKj0yTwE")
    )]
    pub refresh_token: Option<String>,
}

/// Activate an invited account by choosing a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    /// The token from the invitation mail's link.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Zk1vV3hYc2Q0cE9aR2lLbU5xUjJ0WTh1QjNjRDVlRjc")
    )]
    pub token: String,
    /// The new password: at least 12 characters.
    #[cfg_attr(feature = "openapi", schema(example = "lange zin als wachtwoord"))]
    pub password: String,
}

/// Ask for a password-reset link by mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The account's e-mail address.
    #[cfg_attr(feature = "openapi", schema(example = "aios@demo.koppel.test"))]
    pub email: String,
}

/// Choose a new password with the token from the reset mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmRequest {
    /// The token from the reset mail's link.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Zk1vV3hYc2Q0cE9aR2lLbU5xUjJ0WTh1QjNjRDVlRjc")
    )]
    pub token: String,
    /// The new password: at least 12 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "nieuwe lange zin als wachtwoord")
    )]
    pub password: String,
}

/// Change the signed-in user's password. Every other sign-in of the account ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password in use now.
    #[cfg_attr(feature = "openapi", schema(example = "lange zin als wachtwoord"))]
    pub current_password: String,
    /// The new password: at least 12 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "nieuwe lange zin als wachtwoord")
    )]
    pub new_password: String,
}

/// The signed-in user's two-factor sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorStatus {
    /// Whether sign-in asks for a code of an authenticator app.
    pub enabled: bool,
    /// Whether the account must use it (administrators; coordinators of an institute that
    /// requires it). Until it is on, such an account may only read `/me`, enrol and sign out:
    /// every other call is answered 403 `two_factor_enrolment_required`.
    pub required: bool,
    /// Unused recovery codes.
    #[cfg_attr(feature = "openapi", schema(example = 10, minimum = 0))]
    pub recovery_codes_left: u32,
}

/// A TOTP secret to enrol in an authenticator app; confirm it with a code at
/// `/me/two-factor/confirm`. Shown once: the server keeps it only sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorEnrolment {
    /// The secret in base32 (RFC 4648, no padding), to type into an app by hand.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    )]
    pub secret: String,
    /// The `otpauth://totp/...` URI (HMAC-SHA1, 6 digits, 30 seconds) that the QR code holds.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "otpauth://totp/Koppel:a-team@demo.koppel.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Koppel&algorithm=SHA1&digits=6&period=30"
        )
    )]
    pub otpauth_uri: String,
    /// The URI as a QR code, an SVG document drawn by the server (no external service).
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "<?xml version=\"1.0\" standalone=\"yes\"?><svg xmlns=\"http://www.w3.org/2000/svg\" ...</svg>"
        )
    )]
    pub qr_code_svg: String,
}

/// A code of the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmTwoFactorRequest {
    /// The 6-digit code the app shows for the secret being enrolled.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "123456", pattern = "^[0-9 ]{6,7}$")
    )]
    pub code: String,
}

/// Recovery codes: each signs in once instead of an app code. Shown only now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesResponse {
    /// Ten codes of 16 characters.
    #[cfg_attr(feature = "openapi", schema(example = json!(["abcd-efgh-ijkl-mnop", "qrst-uvwx-yz23-4567"])))]
    pub recovery_codes: Vec<String>,
}

/// Turn two-factor sign-in off (not for accounts that must use it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TurnOffTwoFactorRequest {
    /// The password in use now.
    #[cfg_attr(feature = "openapi", schema(example = "lange zin als wachtwoord"))]
    pub current_password: String,
}

/// Change the signed-in user's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// Language of the interface and of mails.
    pub locale: Locale,
}

/// The institute a user belongs to, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstituteSummary {
    /// Institute id.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "0b9f6a9e-4c1d-4f0e-9a51-6f2f3d7c8b10")
    )]
    pub id: Uuid,
    /// Institute name.
    #[cfg_attr(feature = "openapi", schema(example = "Huisartsopleiding Demo"))]
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    /// User id.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d")
    )]
    pub id: Uuid,
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(example = "a-team@demo.koppel.test"))]
    pub email: String,
    /// Name as shown in the product.
    #[cfg_attr(feature = "openapi", schema(example = "Anna de Vries"))]
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Preferred language.
    pub locale: Locale,
    /// The user's institute; absent for administrators and lottery candidates.
    pub institute: Option<InstituteSummary>,
    /// Two-factor sign-in.
    pub two_factor: TwoFactorStatus,
}
