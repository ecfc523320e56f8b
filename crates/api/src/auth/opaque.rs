//! Opaque single-use tokens (refresh and activation): 256 random bits, URL-safe base64 for the
//! client, and only their SHA-256 stored, so a database leak does not leak usable tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A freshly made token and the hash to store.
pub struct OpaqueToken {
    /// Given to the client once.
    pub token: String,
    /// Stored; lowercase hex SHA-256 of `token`.
    pub hash: String,
}

/// Makes a new random token.
pub fn generate() -> OpaqueToken {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    OpaqueToken { token, hash }
}

/// The stored form of a token the client sends.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_to_their_stored_form() {
        let first = generate();
        let second = generate();
        assert_ne!(first.token, second.token);
        assert_eq!(first.token.len(), 43);
        assert_eq!(hash(&first.token), first.hash);
        assert_eq!(first.hash.len(), 64);
    }
}
