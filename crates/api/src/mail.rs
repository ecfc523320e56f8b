//! Mail texts, in Dutch and English. Mails are queued in the outbox (see `store::outbox`).

use koppel_api_types::Locale;

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Kind, for filtering the outbox.
    pub kind: &'static str,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// The invitation with the activation link.
pub fn invitation(
    locale: Locale,
    recipient: &str,
    name: &str,
    institute: &str,
    activation_url: &str,
    valid_days: i64,
) -> Mail {
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("Activeer je account voor Koppel ({institute})"),
            format!(
                "Beste {name},\n\n{institute} heeft een account voor je aangemaakt in Koppel, het \
                 platform voor de koppeling van aios en huisartsopleiders.\n\nKies je wachtwoord \
                 via deze link (geldig tot {valid_days} dagen na verzending):\n{activation_url}\n\n\
                 Verwachtte je deze mail niet? Dan kun je hem negeren.\n"
            ),
        ),
        Locale::En => (
            format!("Activate your Koppel account ({institute})"),
            format!(
                "Dear {name},\n\n{institute} has created an account for you in Koppel, the \
                 platform that couples GP trainees and GP trainers.\n\nChoose your password with \
                 this link (valid for {valid_days} days):\n{activation_url}\n\n\
                 Not expecting this mail? You can ignore it.\n"
            ),
        ),
    };
    Mail {
        kind: "invitation",
        recipient: recipient.to_owned(),
        subject,
        body,
    }
}
