//! The mails of a lottery: each candidate's outcome and each offer.

use std::collections::HashMap;

use koppel_api_types::{Locale, UserStatus};
use sea_orm::DatabaseTransaction;

use super::draw::public_id;
use super::outcomes::Outcome;
use crate::services::auth::ACTIVATION_TTL;

use crate::error::ApiError;
use crate::mail::{Mail, OneTimeLink};
use crate::state::AppState;
use crate::store::entities::{lottery as row, lottery_candidate, lottery_offer};
use crate::store::tokens;
use crate::store::users::{self};

/// The link in a candidate's mail: for an account that was never used, an activation link made
/// when the mail leaves (see [`crate::mail::OneTimeLink`]); the SPA otherwise.
pub(super) async fn account_link(
    state: &AppState,
    txn: &DatabaseTransaction,
    candidate: &lottery_candidate::Model,
) -> Result<(String, Option<OneTimeLink>), ApiError> {
    let base = state.public_url.trim_end_matches('/').to_owned();
    let Some(user_id) = candidate.user_id else {
        return Ok((format!("{base}/"), None));
    };
    let invited = users::find(txn, user_id)
        .await?
        .is_some_and(|u| u.status == UserStatus::Invited);
    if !invited {
        return Ok((format!("{base}/lottery"), None));
    }
    let link = OneTimeLink {
        purpose: tokens::Purpose::Activation,
        user_id,
        valid_for: ACTIVATION_TTL,
    };
    Ok((crate::mail::PERSONAL_LINK.to_owned(), Some(link)))
}

pub(super) fn outcome_mail(
    locale: Locale,
    lottery: &row::Model,
    candidate: &lottery_candidate::Model,
    outcome: Option<&Outcome>,
    offer: Option<&lottery_offer::Model>,
    names: &HashMap<&str, &str>,
    link: &str,
) -> Mail {
    let location = |id: &str| names.get(id).copied().unwrap_or(id).to_owned();
    let name = &candidate.name;
    let commitment = lottery.seed_commitment.as_deref().unwrap_or("-");
    let public_id = public_id(candidate);
    let deadline = |offer: &lottery_offer::Model| offer.respond_by.format("%Y-%m-%d %H:%M UTC");
    let nl = locale == Locale::Nl;
    let what = match (outcome, offer, nl) {
        (
            Some(Outcome::Placed {
                number,
                location: l,
                rank,
            }),
            _,
            true,
        ) => format!(
            "Je lotnummer is {number}. Je bent geplaatst bij {} (je voorkeur {rank}). \
             Gefeliciteerd!",
            location(l)
        ),
        (
            Some(Outcome::Placed {
                number,
                location: l,
                rank,
            }),
            _,
            false,
        ) => format!(
            "Your lottery number is {number}. You are placed at {} (your preference {rank}). \
             Congratulations!",
            location(l)
        ),
        (Some(Outcome::Unplaced { number }), Some(offer), true) => format!(
            "Je lotnummer is {number}. Je bent helaas uitgeloot voor je voorkeurslocaties. Er is \
             een plek onvervuld gebleven die we je aanbieden: {}. Neem het aanbod aan of wijs het \
             af vóór {} (afwijzen is definitief).",
            location(&offer.location_id),
            deadline(offer)
        ),
        (Some(Outcome::Unplaced { number }), Some(offer), false) => format!(
            "Your lottery number is {number}. Unfortunately you were not placed at your preferred \
             locations. A place stayed unfilled and we offer it to you: {}. Accept or decline \
             before {} (declining is final).",
            location(&offer.location_id),
            deadline(offer)
        ),
        (Some(Outcome::Unplaced { number }), None, true) => format!(
            "Je lotnummer is {number}. Je bent helaas uitgeloot voor je voorkeurslocaties. Je \
             kunt binnen 24 maanden nog één keer meedoen aan de loting; komt er een plek vrij, \
             dan krijg je bericht."
        ),
        (Some(Outcome::Unplaced { number }), None, false) => format!(
            "Your lottery number is {number}. Unfortunately you were not placed at your preferred \
             locations. You may take part once more within 24 months; if a place becomes free, \
             you will hear from us."
        ),
        (None, _, true) => "De loting is gehouden.".to_owned(),
        (None, _, false) => "The lottery has been drawn.".to_owned(),
    };
    let (subject, body) = if nl {
        (
            format!("Uitslag {}", lottery.name),
            format!(
                "Beste {name},\n\n{what}\n\nJe uitslag, je lotnummer en de controle van de \
                 loting staan in Koppel:\n{link}\n\nDe loting is controleerbaar: het geheim \
                 van Koppel was vooraf vastgelegd (SHA-256 {commitment}) en is nu bekendgemaakt, \
                 met de publieke waarde waaruit samen de startwaarde volgt. In het openbare \
                 controledocument sta je als {public_id}.\n"
            ),
        )
    } else {
        (
            format!("Outcome of {}", lottery.name),
            format!(
                "Dear {name},\n\n{what}\n\nYour outcome, your lottery number and the check of \
                 the lottery are in Koppel:\n{link}\n\nThe lottery can be verified: Koppel's \
                 secret was committed beforehand (SHA-256 {commitment}) and is now revealed, with \
                 the public value that together with it makes the seed. In the public \
                 verification document you appear as {public_id}.\n"
            ),
        )
    };
    Mail {
        kind: "lottery_outcome",
        recipient: candidate.email.clone(),
        subject,
        body,
        link: None,
    }
}

pub(super) fn offer_mail(
    locale: Locale,
    lottery: &row::Model,
    candidate: &lottery_candidate::Model,
    offer: &lottery_offer::Model,
    location: &str,
    link: &str,
) -> Mail {
    let deadline = offer.respond_by.format("%Y-%m-%d %H:%M UTC");
    let name = &candidate.name;
    let (subject, body) = match locale {
        Locale::Nl => (
            format!("Aanbod opleidingsplek na {}", lottery.name),
            format!(
                "Beste {name},\n\nEr is een opleidingsplek vrijgekomen die we je aanbieden: \
                 {location}. Neem het aanbod aan of wijs het af vóór {deadline} (afwijzen is \
                 definitief):\n{link}\n"
            ),
        ),
        Locale::En => (
            format!("A training place offered after {}", lottery.name),
            format!(
                "Dear {name},\n\nA training place has become free and we offer it to you: \
                 {location}. Accept or decline before {deadline} (declining is final):\n{link}\n"
            ),
        ),
    };
    Mail {
        kind: "lottery_offer",
        recipient: candidate.email.clone(),
        subject,
        body,
        link: None,
    }
}
