//! The key that keeps a committed lottery's secret out of the database.
//!
//! At the commit the server stores only a random nonce and the commitment (SHA-256 of the
//! secret). The secret is `HMAC-SHA256(key, "koppel-lottery-secret:<lottery id>:<nonce>")`, so
//! it can be made again at the draw, but only with the key, which lives in the environment
//! (`KOPPEL_LOTTERY_KEY`), not in the database or its backups. A database reader therefore cannot
//! know the outcome in advance; and since the seed also takes a public value entered at the draw,
//! nobody with write access can grind a favourable one either.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The lottery key (32 bytes), kept in memory only.
pub struct LotteryKey([u8; 32]);

impl std::fmt::Debug for LotteryKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("LotteryKey(..)")
    }
}

impl LotteryKey {
    /// The key from a configured secret (any length of at least 32 bytes, hashed to 32).
    pub fn from_secret(secret: &SecretString) -> Self {
        Self(Sha256::digest(format!("koppel-lottery-key:{}", secret.expose_secret())).into())
    }

    /// The lottery's secret for `nonce`: lowercase hex, 64 characters.
    pub fn secret(&self, lottery_id: Uuid, nonce: &str) -> String {
        self.mac(&format!("koppel-lottery-secret:{lottery_id}:{nonce}"))
    }

    fn mac(&self, message: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC takes a key of any length; this cannot happen.
            return String::new();
        };
        mac.update(message.as_bytes());
        super::opaque::hex(&mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_follows_from_key_lottery_and_nonce_only() {
        let key =
            LotteryKey::from_secret(&SecretString::from("a-lottery-key-of-at-least-32-bytes!"));
        let other =
            LotteryKey::from_secret(&SecretString::from("another-lottery-key-of-32-bytes!!!"));
        let lottery = Uuid::from_u128(7);
        let secret = key.secret(lottery, "n1");
        assert_eq!(secret.len(), 64);
        assert_eq!(secret, key.secret(lottery, "n1"));
        assert_ne!(secret, key.secret(lottery, "n2"));
        assert_ne!(secret, key.secret(Uuid::from_u128(8), "n1"));
        assert_ne!(secret, other.secret(lottery, "n1"));
    }
}
