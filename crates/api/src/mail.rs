//! Mail texts, in Dutch and English. Mails are queued in the outbox (see `store::outbox`).
//!
//! A one-time link (activation, password reset) is never written into a queued mail: the body
//! holds [`PERSONAL_LINK`] where the link goes, and the mail says which link to make
//! ([`OneTimeLink`]). The delivery worker makes the token when the mail leaves, so outbox readers,
//! backups and logs never see a usable link.

use chrono::Duration;
use chrono::NaiveDate;
use koppel_api_types::Locale;
use koppel_domain::calendar::{DUTCH_MONTHS, ENGLISH_MONTHS, written_date};
use koppel_domain::{RoundKey, Step};
use uuid::Uuid;

use crate::store::tokens::Purpose;

/// A round as a mail names it: `maart 2028`, or in English `March 2028`.
pub fn round_name(locale: Locale, key: &RoundKey) -> String {
    let months = match locale {
        Locale::Nl => DUTCH_MONTHS,
        Locale::En => ENGLISH_MONTHS,
    };
    let month = key.start_date();
    format!(
        "{} {}",
        months[chrono::Datelike::month0(&month) as usize],
        key.year()
    )
}

/// A date as a mail writes it: `15 januari 2028`, or in English `15 January 2028`.
pub fn date(locale: Locale, day: NaiveDate) -> String {
    written_date(day, locale == Locale::Nl)
}

/// Stands where a one-time link goes, in every stored or logged copy of a mail.
pub const PERSONAL_LINK: &str =
    "[persoonlijke link, alleen in de verzonden mail / personal link, only in the mail as sent]";

/// A one-time link for the recipient, made when the mail leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OneTimeLink {
    /// What the link does.
    pub purpose: Purpose,
    /// Whose account it opens.
    pub user_id: Uuid,
    /// How long it works after the mail left.
    pub valid_for: Duration,
}

impl OneTimeLink {
    /// The SPA page that takes the token.
    pub fn path(&self) -> &'static str {
        match self.purpose {
            Purpose::Activation => "/activate",
            Purpose::PasswordReset => "/reset",
        }
    }

    /// The link with `token`, under the SPA's public URL.
    pub fn url(&self, public_url: &str, token: &str) -> String {
        format!(
            "{}{}?token={token}",
            public_url.trim_end_matches('/'),
            self.path()
        )
    }
}

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Kind, for filtering the outbox.
    pub kind: &'static str,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body; a one-time link stands in it as [`PERSONAL_LINK`].
    pub body: String,
    /// The one-time link to make when the mail leaves, if any.
    pub link: Option<OneTimeLink>,
}

/// The invitation with the activation link.
pub fn invitation(
    locale: Locale,
    recipient: &str,
    name: &str,
    institute: &str,
    user_id: Uuid,
    valid_days: i64,
) -> Mail {
    let activation_url = PERSONAL_LINK;
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
        link: Some(OneTimeLink {
            purpose: Purpose::Activation,
            user_id,
            valid_for: Duration::days(valid_days),
        }),
    }
}

/// A link to choose a new password.
pub fn password_reset(
    locale: Locale,
    recipient: &str,
    name: &str,
    user_id: Uuid,
    valid_minutes: i64,
) -> Mail {
    let reset_url = PERSONAL_LINK;
    let (subject, body) = match locale {
        Locale::Nl => (
            "Nieuw wachtwoord voor Koppel".to_owned(),
            format!(
                "Beste {name},\n\nJe hebt gevraagd om een nieuw wachtwoord voor Koppel. Kies het \
                 via deze link (geldig tot {valid_minutes} minuten na verzending, één keer te \
                 gebruiken):\n{reset_url}\n\nHeb je dit niet gevraagd? Dan kun je deze mail \
                 negeren: je wachtwoord blijft hetzelfde.\n"
            ),
        ),
        Locale::En => (
            "A new password for Koppel".to_owned(),
            format!(
                "Dear {name},\n\nYou asked for a new Koppel password. Choose it with this link \
                 (valid for {valid_minutes} minutes, usable once):\n{reset_url}\n\nDid not ask? \
                 Then ignore this mail: your password stays the same.\n"
            ),
        ),
    };
    Mail {
        kind: "password_reset",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: Some(OneTimeLink {
            purpose: Purpose::PasswordReset,
            user_id,
            valid_for: Duration::minutes(valid_minutes),
        }),
    }
}

/// "A coupling round has started" for a participant who already has an account.
pub fn round_started(
    locale: Locale,
    recipient: &str,
    name: &str,
    institute: &str,
    round: &RoundKey,
    first_deadline: NaiveDate,
    url: &str,
) -> Mail {
    let round = round_name(locale, round);
    let first_deadline = date(locale, first_deadline);
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("De koppelingsronde {round} is begonnen ({institute})"),
            format!(
                "Beste {name},\n\nJe neemt deel aan de koppelingsronde {round} van {institute}. \
                 De eerste stap loopt tot en met {first_deadline}.\n\nLog in op Koppel:\n{url}\n"
            ),
        ),
        Locale::En => (
            format!("The coupling round {round} has started ({institute})"),
            format!(
                "Dear {name},\n\nYou take part in the coupling round {round} of {institute}. \
                 The first step runs until {first_deadline} inclusive.\n\nSign in to Koppel:\n{url}\n"
            ),
        ),
    };
    Mail {
        kind: "round_started",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// The published interview candidates, for a trainee or a trainer.
pub fn interviews_published(
    locale: Locale,
    recipient: &str,
    name: &str,
    round: &RoundKey,
    counterparts: &[String],
    deadline: NaiveDate,
) -> Mail {
    let round = round_name(locale, round);
    let deadline = date(locale, deadline);
    let list = counterparts
        .iter()
        .map(|c| format!("- {c}"))
        .collect::<Vec<_>>()
        .join("\n");
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("Je kennismakingsgesprekken voor de koppelingsronde {round}"),
            format!(
                "Beste {name},\n\nDe kennismakingsgesprekken zijn ingedeeld. Met wie je een gesprek hebt:\n{list}\n\n\
                 De aios plant de gesprekken in de praktijk. Geef na de gesprekken je rangorde (1 t/m {}) \
                 op in Koppel, uiterlijk op {deadline}.\n",
                counterparts.len()
            ),
        ),
        Locale::En => (
            format!("Your introductory interviews for the coupling round {round}"),
            format!(
                "Dear {name},\n\nThe introductory interviews have been set. You meet:\n{list}\n\n\
                 The trainee arranges each interview at the practice. After the interviews, rank your \
                 counterparts (1 to {}) in Koppel by {deadline}.\n",
                counterparts.len()
            ),
        ),
    };
    Mail {
        kind: "interviews_published",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// The published outcome of a round, for a trainee or a trainer.
pub fn coupling_result(
    locale: Locale,
    recipient: &str,
    name: &str,
    round: &RoundKey,
    counterparts: &[String],
) -> Mail {
    let round = round_name(locale, round);
    let list = counterparts
        .iter()
        .map(|c| format!("- {c}"))
        .collect::<Vec<_>>()
        .join("\n");
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("Uitslag van de koppelingsronde {round}"),
            if counterparts.is_empty() {
                format!(
                    "Beste {name},\n\nIn de koppelingsronde {round} is voor jou geen koppeling tot stand gekomen. Het A-team en O-team nemen contact met je op over een koppelingsvoorstel.\n"
                )
            } else {
                format!(
                    "Beste {name},\n\nDe koppeling van de ronde {round} is bekend. Je bent gekoppeld aan:\n{list}\n"
                )
            },
        ),
        Locale::En => (
            format!("Outcome of the coupling round {round}"),
            if counterparts.is_empty() {
                format!(
                    "Dear {name},\n\nThe coupling round {round} did not give you a coupling. The coordinators will contact you with a proposal.\n"
                )
            } else {
                format!(
                    "Dear {name},\n\nThe coupling of the round {round} is known. You are coupled to:\n{list}\n"
                )
            },
        ),
    };
    Mail {
        kind: "coupling_result",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// "A step is open" for a participant who still has to act in it.
pub fn step_opened(
    locale: Locale,
    recipient: &str,
    name: &str,
    round: &RoundKey,
    step: Step,
    deadline: NaiveDate,
    url: &str,
) -> Mail {
    let round = round_name(locale, round);
    let deadline = date(locale, deadline);
    let (subject, body) = match locale {
        Locale::Nl => {
            let (number, what) = match step {
                Step::Profiles => (1, "vul je profiel in"),
                Step::Preferences => (2, "geef je voorkeur voor opleiders op"),
                Step::FinalRanking => (
                    3,
                    "voer de kennismakingsgesprekken en geef daarna je rangorde op",
                ),
            };
            (
                format!("Stap {number} van de koppelingsronde {round} is geopend"),
                format!(
                    "Beste {name},\n\nStap {number} van de koppelingsronde {round} is geopend: {what}, uiterlijk {deadline}.\n\n{url}\n"
                ),
            )
        }
        Locale::En => {
            let (number, what) = match step {
                Step::Profiles => (1, "fill in your profile"),
                Step::Preferences => (2, "rank the trainers"),
                Step::FinalRanking => (
                    3,
                    "hold the introductory interviews, then rank your counterparts",
                ),
            };
            (
                format!("Step {number} of the coupling round {round} is open"),
                format!(
                    "Dear {name},\n\nStep {number} of the coupling round {round} is open: {what}, by {deadline}.\n\n{url}\n"
                ),
            )
        }
    };
    Mail {
        kind: "step_opened",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// The O-team's availability request to a trainer before a round (or its reminder).
#[allow(clippy::too_many_arguments)]
pub fn availability_request(
    locale: Locale,
    recipient: &str,
    name: &str,
    institute: &str,
    round: &RoundKey,
    placement_start: NaiveDate,
    url: &str,
    reminder: bool,
    invited: bool,
) -> Mail {
    let round = round_name(locale, round);
    let start = date(locale, placement_start);
    let (subject, body) = match locale {
        Locale::Nl => {
            let first = if invited {
                "\n\nJe hebt ook een uitnodiging voor Koppel gekregen: activeer eerst je account met de link daarin."
            } else {
                ""
            };
            (
                format!(
                    "{}Beschikbaar als opleider in de koppelingsronde {round}? ({institute})",
                    if reminder { "Herinnering: " } else { "" }
                ),
                format!(
                    "Beste {name},\n\nHet O-team van {institute} bereidt de koppelingsronde {round} voor; de opleidingsplaatsen beginnen {start}. \
                     Kun je een aios opleiden? Geef in Koppel aan of je beschikbaar bent, voor jaar 1 en/of jaar 3, voor één aios of twee (duopraktijk), \
                     met eventueel een toelichting:\n{url}{first}\n"
                ),
            )
        }
        Locale::En => {
            let first = if invited {
                "\n\nYou also received an invitation to Koppel: activate your account with its link first."
            } else {
                ""
            };
            (
                format!(
                    "{}Available as a trainer in the coupling round {round}? ({institute})",
                    if reminder { "Reminder: " } else { "" }
                ),
                format!(
                    "Dear {name},\n\nThe O-team of {institute} is preparing the coupling round {round}; the placements start {start}. \
                     Can you train a trainee? Tell us in Koppel whether you are available, for year 1 and/or year 3, for one trainee or two (duo practice), \
                     with a note if you like:\n{url}{first}\n"
                ),
            )
        }
    };
    Mail {
        kind: "availability_request",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// The lottery's placed candidates are ready for the institute's A-team to import.
pub fn placed_candidates(
    locale: Locale,
    recipient: &str,
    name: &str,
    lottery: &str,
    count: u32,
    placement_start: NaiveDate,
    url: &str,
) -> Mail {
    let start = date(locale, placement_start);
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("{count} geplaatste kandidaten uit de {lottery}"),
            format!(
                "Beste {name},\n\nDe tweede kans van de {lottery} is voorbij. {count} geplaatste kandidaten beginnen {start} bij jullie instituut. \
                 Je importeert ze in één stap als eerstejaars aios (opleidingsstart {start}) op de pagina Aios en opleiders:\n{url}\n"
            ),
        ),
        Locale::En => (
            format!("{count} placed candidates from {lottery}"),
            format!(
                "Dear {name},\n\nThe second chance of {lottery} is over. {count} placed candidates start {start} at your institute. \
                 Import them in one step as first-year trainees (training start {start}) on the Trainees and trainers page:\n{url}\n"
            ),
        ),
    };
    Mail {
        kind: "placed_candidates",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// A reminder that a step is not done yet.
pub fn reminder(
    locale: Locale,
    recipient: &str,
    name: &str,
    round: &RoundKey,
    step: &str,
    deadline: Option<NaiveDate>,
    url: &str,
) -> Mail {
    let round = round_name(locale, round);
    let deadline = deadline.map(|day| date(locale, day));
    let until = deadline
        .as_deref()
        .map(|d| format!(" uiterlijk {d}"))
        .unwrap_or_default();
    let until_en = deadline
        .as_deref()
        .map(|d| format!(" by {d}"))
        .unwrap_or_default();
    let (subject, body) = match locale {
        Locale::Nl => {
            let what = match step {
                "activation" => "je account activeren met de link uit de uitnodiging",
                "profiles" => "je profiel in Koppel invullen",
                "preferences" => "je voorkeur voor opleiders opgeven",
                _ => "je rangorde na de kennismakingsgesprekken opgeven",
            };
            (
                format!("Herinnering: koppelingsronde {round}"),
                format!(
                    "Beste {name},\n\nVoor de koppelingsronde {round} wil je nog {what}{until}.\n\n{url}\n"
                ),
            )
        }
        Locale::En => {
            let what = match step {
                "activation" => "activate your account with the link in the invitation",
                "profiles" => "fill in your profile in Koppel",
                "preferences" => "rank the trainers",
                _ => "rank your interview counterparts",
            };
            (
                format!("Reminder: coupling round {round}"),
                format!(
                    "Dear {name},\n\nFor the coupling round {round}, please still {what}{until_en}.\n\n{url}\n"
                ),
            )
        }
    };
    Mail {
        kind: "reminder",
        recipient: recipient.to_owned(),
        subject,
        body,
        link: None,
    }
}

/// A team's message to its side of a round, in the recipient's language, signed with the team.
pub fn round_message(
    locale: Locale,
    recipient: &str,
    team: &str,
    round: &RoundKey,
    subject: &str,
    body: &str,
) -> Mail {
    let round = round_name(locale, round);
    let footer = match locale {
        Locale::Nl => format!("\n\n--\n{team}, koppelingsronde {round} (verstuurd via Koppel)\n"),
        Locale::En => format!("\n\n--\n{team}, coupling round {round} (sent with Koppel)\n"),
    };
    Mail {
        kind: "round_message",
        recipient: recipient.to_owned(),
        subject: subject.to_owned(),
        body: format!("{body}{footer}"),
        link: None,
    }
}
