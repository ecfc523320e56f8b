//! Two-factor sign-in: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.
//!
//! - A secret is 20 random bytes, shown to the user once as base32 and as a QR code of its
//!   `otpauth://` URI, which every authenticator app reads (HMAC-SHA1, 6 digits, 30 seconds).
//! - A code is accepted for the current step and one step either side (clock drift), and each
//!   step at most once per account (the caller records the last step used).
//! - The secret is stored sealed with a key from the environment ([`SealingKey`]), so a copy of
//!   the database alone does not yield codes.
//! - Recovery codes (16 base32 characters, 80 bits) are stored as SHA-256 hashes and work once.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::opaque;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Steps accepted on either side of the current one.
pub const DRIFT_STEPS: i64 = 1;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The issuer authenticator apps show.
pub const ISSUER: &str = "Koppel";

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A TOTP secret (20 bytes, as RFC 4226 recommends for HMAC-SHA1).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; 20]);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        Self(rand::random())
    }

    /// Reads a base32 secret (RFC 4648, case and spaces ignored, no padding) of 20 bytes.
    pub fn from_base32(text: &str) -> Option<Self> {
        let bytes = base32_decode(text)?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// The secret in base32 without padding (32 characters), as authenticator apps take it.
    pub fn base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// The code of a step: HOTP (RFC 4226) of the step counter, 6 digits.
    pub fn code(&self, step: i64) -> String {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else {
            // HMAC takes a key of any length; this cannot happen.
            return String::new();
        };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!("{:06}", binary % 1_000_000)
    }

    /// The step whose code `code` is, among the current step and [`DRIFT_STEPS`] either side,
    /// if it is later than `after` (the account's last used step). Compared in constant time.
    pub fn matching_step(&self, code: &str, now: DateTime<Utc>, after: Option<i64>) -> Option<i64> {
        let code = code.trim();
        if code.len() != DIGITS || !code.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let current = step_of(now);
        (current - DRIFT_STEPS..=current + DRIFT_STEPS)
            .filter(|step| after.is_none_or(|last| *step > last))
            .find(|step| equal_in_constant_time(self.code(*step).as_bytes(), code.as_bytes()))
    }

    /// The `otpauth://` URI for an authenticator app, labelled with the account's address.
    pub fn uri(&self, account: &str) -> String {
        format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            issuer = ISSUER,
            account = percent_encode(account),
            secret = self.base32(),
        )
    }
}

/// The step of a moment: whole periods of [`STEP_SECONDS`] since the Unix epoch.
pub fn step_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECONDS)
}

/// Whether `code` looks like a TOTP code (digits, spaces allowed) rather than a recovery code.
pub fn is_totp_code(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == DIGITS && digits.bytes().all(|byte| byte.is_ascii_digit())
}

/// A QR code of `text` as an SVG document, drawn here (no external service sees the secret).
pub fn qr_svg(text: &str) -> anyhow::Result<String> {
    let code = qrcode::QrCode::new(text.as_bytes())?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// Fresh recovery codes, as shown to the user once (`abcd-efgh-ijkl-mnop`).
pub fn recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let code = base32_encode(&rand::random::<[u8; 10]>()).to_ascii_lowercase();
            code.as_bytes()
                .chunks(4)
                .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The stored form of a recovery code as typed (dashes, spaces and case ignored), or `None`
/// when it cannot be one.
pub fn recovery_code_hash(code: &str) -> Option<String> {
    let normalised: String = code
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (normalised.len() == 16
        && normalised
            .bytes()
            .all(|byte| BASE32.contains(&byte.to_ascii_uppercase())))
    .then(|| opaque::hash(&normalised))
}

/// The key that seals stored TOTP secrets (`KOPPEL_TOTP_KEY`).
pub struct SealingKey([u8; 32]);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SealingKey(..)")
    }
}

/// The key used when `KOPPEL_TOTP_KEY` is not set: fine for a demo, not for real accounts.
pub const DEVELOPMENT_KEY: &str = "koppel-development-totp-key-not-for-production";

impl SealingKey {
    /// The key from a configured secret (hashed to 32 bytes).
    pub fn from_secret(secret: &SecretString) -> Self {
        Self(Sha256::digest(format!("koppel-totp-key:{}", secret.expose_secret())).into())
    }

    /// Seals `secret` for `user_id`: `v1.<nonce>.<ciphertext>.<tag>`, hex, with a fresh nonce.
    /// The ciphertext is the secret XOR an HMAC-SHA256 key stream; the tag, an HMAC over
    /// nonce and ciphertext, tells a wrong key from a wrong code.
    pub fn seal(&self, user_id: Uuid, secret: &TotpSecret) -> String {
        self.seal_bytes(&user_id.to_string(), &secret.0)
    }

    /// Opens a sealed secret of `user_id`; `None` if it was sealed with another key or for
    /// another account, or is damaged.
    pub fn open(&self, user_id: Uuid, sealed: &str) -> Option<TotpSecret> {
        let secret = self.open_bytes(&user_id.to_string(), sealed)?;
        Some(TotpSecret(secret.try_into().ok()?))
    }

    /// Seals up to 32 bytes for `owner` (an account id, `webhook:<endpoint id>`), as [`Self::seal`]
    /// describes; longer input is cut at 32 bytes.
    pub fn seal_bytes(&self, owner: &str, secret: &[u8]) -> String {
        let nonce = opaque::hex(&rand::random::<[u8; 12]>());
        let pad = self.mac(&format!("pad:{owner}:{nonce}"));
        let sealed: Vec<u8> = secret.iter().zip(pad).map(|(a, b)| a ^ b).collect();
        let ciphertext = opaque::hex(&sealed);
        let tag = opaque::hex(&self.mac(&format!("tag:{owner}:{nonce}:{ciphertext}"))[..16]);
        format!("v1.{nonce}.{ciphertext}.{tag}")
    }

    /// Opens what [`Self::seal_bytes`] sealed for `owner`.
    pub fn open_bytes(&self, owner: &str, sealed: &str) -> Option<Vec<u8>> {
        let mut parts = sealed.split('.');
        let (Some("v1"), Some(nonce), Some(ciphertext), Some(tag), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let expected = opaque::hex(&self.mac(&format!("tag:{owner}:{nonce}:{ciphertext}"))[..16]);
        if !equal_in_constant_time(expected.as_bytes(), tag.as_bytes()) {
            return None;
        }
        let bytes = hex_decode(ciphertext)?;
        let pad = self.mac(&format!("pad:{owner}:{nonce}"));
        Some(bytes.iter().zip(pad).map(|(a, b)| a ^ b).collect())
    }

    fn mac(&self, message: &str) -> [u8; 32] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(b"koppel-totp-");
        mac.update(message.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let upper = c.to_ascii_uppercase();
        let value = BASE32.iter().position(|b| char::from(*b) == upper)?;
        buffer = ((buffer << 5) | value as u32) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rfc_secret() -> TotpSecret {
        TotpSecret(*b"12345678901234567890")
    }

    #[test]
    fn codes_follow_the_rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1, truncated to the last 6 of the 8 digits.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            let moment = Utc.timestamp_opt(time, 0).unwrap();
            assert_eq!(rfc_secret().code(step_of(moment)), code, "at {time}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_one_either_side_once() {
        let secret = TotpSecret::generate();
        let now = Utc.timestamp_opt(1_800_000_015, 0).unwrap();
        let step = step_of(now);
        assert_eq!(
            secret.matching_step(&secret.code(step), now, None),
            Some(step)
        );
        assert_eq!(
            secret.matching_step(&secret.code(step - 1), now, None),
            Some(step - 1)
        );
        assert_eq!(
            secret.matching_step(&secret.code(step + 1), now, None),
            Some(step + 1)
        );
        assert_eq!(
            secret.matching_step(&secret.code(step + 2), now, None),
            None
        );
        assert_eq!(
            secret.matching_step(&secret.code(step - 2), now, None),
            None
        );
        // A step already used (or an earlier one) does not count again.
        assert_eq!(
            secret.matching_step(&secret.code(step), now, Some(step)),
            None
        );
        assert_eq!(
            secret.matching_step(&secret.code(step - 1), now, Some(step)),
            None
        );
        assert_eq!(
            secret.matching_step(&secret.code(step + 1), now, Some(step)),
            Some(step + 1)
        );
        assert_eq!(secret.matching_step("12345", now, None), None);
        assert_eq!(secret.matching_step("abcdef", now, None), None);
    }

    #[test]
    fn base32_round_trips_and_follows_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw6ytboi======"), Some(b"foobar".to_vec()));
        let secret = TotpSecret::generate();
        assert_eq!(secret.base32().len(), 32);
        assert_eq!(TotpSecret::from_base32(&secret.base32()), Some(secret));
        assert_eq!(TotpSecret::from_base32("MZXW6YTBOI"), None);
        assert_eq!(TotpSecret::from_base32("not base32!"), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_account() {
        let key = SealingKey::from_secret(&SecretString::from("a-totp-key-of-at-least-32-bytes!!"));
        let other =
            SealingKey::from_secret(&SecretString::from("another-totp-key-of-32-bytes!!!!"));
        let secret = TotpSecret::generate();
        let user = Uuid::from_u128(1);
        let sealed = key.seal(user, &secret);
        assert!(!sealed.contains(&opaque::hex(&secret.0)));
        assert_ne!(
            sealed,
            key.seal(user, &secret),
            "each seal has its own nonce"
        );
        assert_eq!(key.open(user, &sealed), Some(secret));
        assert_eq!(other.open(user, &sealed), None);
        assert_eq!(key.open(Uuid::from_u128(2), &sealed), None);
        assert_eq!(key.open(user, &sealed.replace("v1.", "v2.")), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_however_they_are_typed() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19);
        let hashes: std::collections::HashSet<_> = codes
            .iter()
            .filter_map(|code| recovery_code_hash(code))
            .collect();
        assert_eq!(hashes.len(), RECOVERY_CODES);
        let typed = format!(" {} ", codes[0].replace('-', " ").to_uppercase());
        assert_eq!(recovery_code_hash(&typed), recovery_code_hash(&codes[0]));
        assert_eq!(recovery_code_hash("123456"), None);
        assert!(is_totp_code("123 456"));
        assert!(!is_totp_code(&codes[0]));
    }

    #[test]
    fn the_uri_names_issuer_account_and_secret_and_draws_as_a_qr_code() {
        let uri = rfc_secret().uri("a b@x.nl");
        assert_eq!(
            uri,
            "otpauth://totp/Koppel:a%20b@x.nl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Koppel&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg"));
    }
}
