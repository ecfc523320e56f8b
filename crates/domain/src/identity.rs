//! Who someone is: e-mail address, display name and a new password that meets the policy.

use std::fmt;

/// Why an identity value was refused. The message is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// The e-mail address is empty or not of the form `name@domain.tld`.
    #[error("'{0}' is not a valid e-mail address")]
    InvalidEmail(String),
    /// The name is empty after trimming.
    #[error("must not be empty")]
    EmptyName,
    /// The name is longer than [`DisplayName::MAX_CHARS`].
    #[error("must be at most {max} characters, got {got}")]
    NameTooLong {
        /// The limit.
        max: usize,
        /// The length given.
        got: usize,
    },
    /// The name contains control characters such as newlines.
    #[error("must not contain control characters")]
    NameHasControlCharacters,
    /// The password is shorter than [`NewPassword::MIN_CHARS`].
    #[error("must be at least {min} characters")]
    PasswordTooShort {
        /// The minimum length.
        min: usize,
    },
    /// The password is longer than [`NewPassword::MAX_CHARS`].
    #[error("must be at most {max} characters")]
    PasswordTooLong {
        /// The maximum length.
        max: usize,
    },
}

/// An e-mail address, trimmed and lower-cased so that look-ups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Longest address SMTP allows (RFC 5321 path limit minus the angle brackets).
    pub const MAX_CHARS: usize = 254;

    /// Parses an address of the form `local@domain.tld`, without whitespace.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let normalised = input.trim().to_lowercase();
        let invalid = || IdentityError::InvalidEmail(input.trim().to_owned());
        if normalised.is_empty()
            || normalised.chars().count() > Self::MAX_CHARS
            || normalised
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = normalised.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(normalised))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's or institute's name as shown in the product: trimmed, non-empty, one line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

impl DisplayName {
    /// Longest name accepted.
    pub const MAX_CHARS: usize = 200;

    /// Parses a name: refuses empty, overlong and multi-line names, and trims it. Length and
    /// control characters count as sent, as the API's schema states them: a line break or other
    /// control character (U+0085 too, which trimming would remove) is refused wherever it stands.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdentityError::EmptyName);
        }
        let chars = input.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(IdentityError::NameTooLong {
                max: Self::MAX_CHARS,
                got: chars,
            });
        }
        if input.chars().any(char::is_control) {
            return Err(IdentityError::NameHasControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password someone chooses, checked against the policy before it is hashed.
///
/// Length is the policy (NIST SP 800-63B): at least 12 characters, no composition rules.
/// `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Shortest password accepted.
    pub const MIN_CHARS: usize = 12;
    /// Longest password accepted; bounds the hashing work an attacker can ask for.
    pub const MAX_CHARS: usize = 256;

    /// Parses a password chosen by a user.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS || input.trim().is_empty() {
            return Err(IdentityError::PasswordTooShort {
                min: Self::MIN_CHARS,
            });
        }
        if chars > Self::MAX_CHARS {
            return Err(IdentityError::PasswordTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(input.to_owned()))
    }

    /// The password, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Anna.de.Vries@Example.NL ").unwrap();
        assert_eq!(email.as_str(), "anna.de.vries@example.nl");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "   ",
            "anna",
            "@example.nl",
            "anna@",
            "anna@example",
            "anna@@example.nl",
            "an na@example.nl",
            "anna@example..nl",
            "anna@.nl",
        ] {
            assert!(
                matches!(
                    EmailAddress::parse(bad),
                    Err(IdentityError::InvalidEmail(_))
                ),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn overlong_email_is_refused() {
        let long = format!("{}@example.nl", "a".repeat(250));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Huisartsopleiding Noord ")
                .unwrap()
                .as_str(),
            "Huisartsopleiding Noord"
        );
        assert_eq!(DisplayName::parse(" \t "), Err(IdentityError::EmptyName));
        assert!(matches!(
            DisplayName::parse(&"x".repeat(201)),
            Err(IdentityError::NameTooLong { max: 200, got: 201 })
        ));
        assert_eq!(
            DisplayName::parse("two\nlines"),
            Err(IdentityError::NameHasControlCharacters)
        );
        // As sent, as the schema counts: a control character that trimming would remove, and
        // spaces around a name of the longest length.
        for sent in ["\u{85}Áç", "Sanne Jansen\n", "\tSanne"] {
            assert_eq!(
                DisplayName::parse(sent),
                Err(IdentityError::NameHasControlCharacters),
                "{sent:?}"
            );
        }
        assert!(matches!(
            DisplayName::parse(&format!("  {}  ", "x".repeat(199))),
            Err(IdentityError::NameTooLong { max: 200, got: 203 })
        ));
    }

    #[test]
    fn password_policy_is_length_only() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&" ".repeat(20)).is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert!(NewPassword::parse(&"p".repeat(257)).is_err());
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(..)");
    }
}
