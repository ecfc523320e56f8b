//! Vetoes in words, for the people who declared them and for coordinators.

use crate::i18n::Lang;

/// The categories the policy refuses as grounds for a veto: value, Dutch, English.
pub const REFUSED: [(&str, &str, &str); 7] = [
    ("travel_time", "Reistijd", "Travel time"),
    (
        "religion",
        "Geloof of levensovertuiging",
        "Religion or belief",
    ),
    (
        "political_preference",
        "Politieke voorkeur",
        "Political preference",
    ),
    ("skin_colour", "Huidskleur", "Skin colour"),
    (
        "migration_background",
        "Migratieachtergrond",
        "Migration background",
    ),
    (
        "sexual_orientation",
        "Seksuele geaardheid",
        "Sexual orientation",
    ),
    ("gender", "Gender", "Gender"),
];

/// A stored veto's reason in words: category, and the kind of relationship when it is one.
pub fn veto_reason(lang: Lang, category: &str, relationship: Option<&str>) -> String {
    let category_name = match category {
        "personal_relationship" => lang.t("Persoonlijke relatie", "Personal relationship"),
        "previous_trainer" => lang.t(
            "Eerdere opleider (automatisch)",
            "Previous trainer (automatic)",
        ),
        other => REFUSED
            .iter()
            .find(|(value, ..)| *value == other)
            .map(|(_, nl, en)| lang.t(nl, en))
            .unwrap_or(other),
    };
    let kind = match relationship {
        Some("family") => Some(lang.t("familie", "family")),
        Some("own_gp") => Some(lang.t("eigen huisarts", "own GP")),
        Some("other_personal_tie") => {
            Some(lang.t("andere persoonlijke band", "other personal tie"))
        }
        Some(other) => Some(other),
        None => None,
    };
    match kind {
        Some(kind) => format!("{category_name} ({kind})"),
        None => category_name.to_owned(),
    }
}

/// Who declared a veto, in words.
pub fn veto_party(lang: Lang, declared_by: &str) -> &'static str {
    match declared_by {
        "trainee" => lang.t("Aios", "Trainee"),
        "trainer" => lang.t("Opleider", "Trainer"),
        _ => lang.t("Koppel (regel)", "Koppel (rule)"),
    }
}
