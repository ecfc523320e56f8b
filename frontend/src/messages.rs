//! Dutch for the field messages the API sends most (it answers in English). A message that is
//! not known here is shown as the API wrote it.

use crate::i18n::Lang;

/// English message patterns (`{}` stands for a value) and their Dutch form.
const DUTCH: [(&str, &str); 19] = [
    ("is required", "is verplicht"),
    ("must not be empty", "mag niet leeg zijn"),
    (
        "must not contain control characters",
        "mag geen stuurtekens bevatten",
    ),
    (
        "must be at least {} characters",
        "moet minstens {} tekens zijn",
    ),
    (
        "must be at most {} characters, got {}",
        "mag hoogstens {} tekens zijn, het zijn er {}",
    ),
    (
        "must be at most {} characters",
        "mag hoogstens {} tekens zijn",
    ),
    (
        "'{}' is not a valid e-mail address",
        "'{}' is geen geldig e-mailadres",
    ),
    (
        "'{}' is not a date (YYYY-MM-DD)",
        "'{}' is geen datum (JJJJ-MM-DD)",
    ),
    (
        "'{}' is not a number such as 0.8",
        "'{}' is geen getal zoals 0.8",
    ),
    (
        "'{}' is not a whole number of days",
        "'{}' is geen heel aantal dagen",
    ),
    ("'{}' is not true or false", "'{}' is niet true of false"),
    ("'{}' is also used by {}", "'{}' wordt ook gebruikt door {}"),
    (
        "a photo must be a JPEG or PNG image",
        "een foto moet een JPEG- of PNG-afbeelding zijn",
    ),
    (
        "a CV must be a PDF file",
        "een cv moet een pdf-bestand zijn",
    ),
    (
        "'{}' is not a location of this lottery",
        "'{}' is geen locatie van deze loting",
    ),
    ("'{}' is listed twice", "'{}' staat er twee keer in"),
    ("'{}' is already a candidate", "'{}' is al kandidaat"),
    (
        "already took part in two lotteries",
        "deed al mee aan twee lotingen",
    ),
    (
        "found suitable on {}: more than 24 months before the draw on {}",
        "geschikt bevonden op {}: meer dan 24 maanden voor de loting op {}",
    ),
];

/// The values in `message` where `pattern` has `{}`, if it matches.
fn captures<'a>(pattern: &str, message: &'a str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = parts.split_first()?;
    let mut remaining = message.strip_prefix(first)?;
    let mut values = Vec::new();
    for (index, part) in rest.iter().enumerate() {
        let last = index + 1 == rest.len();
        let at = if last {
            remaining.len().checked_sub(part.len())?
        } else {
            remaining.find(part)?
        };
        if last && !remaining.ends_with(part) {
            return None;
        }
        values.push(&remaining[..at]);
        remaining = &remaining[at + part.len()..];
    }
    remaining.is_empty().then_some(values)
}

/// A field message from the API in the user's language.
pub fn field_message(lang: Lang, message: &str) -> String {
    if lang == Lang::En {
        return message.to_owned();
    }
    for (english, dutch) in DUTCH {
        if let Some(values) = captures(english, message) {
            let mut out = String::new();
            let mut pieces = dutch.split("{}");
            out.push_str(pieces.next().unwrap_or_default());
            for (value, piece) in values.iter().zip(pieces) {
                out.push_str(value);
                out.push_str(piece);
            }
            return out;
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_are_dutch_and_unknown_ones_stay_as_sent() {
        let nl = |m| field_message(Lang::Nl, m);
        assert_eq!(nl("is required"), "is verplicht");
        assert_eq!(
            nl("'2025-13-01' is not a date (YYYY-MM-DD)"),
            "'2025-13-01' is geen datum (JJJJ-MM-DD)"
        );
        assert_eq!(
            nl("found suitable on 2024-10-01: more than 24 months before the draw on 2026-11-14"),
            "geschikt bevonden op 2024-10-01: meer dan 24 maanden voor de loting op 2026-11-14"
        );
        assert_eq!(
            nl("must be at most 200 characters, got 250"),
            "mag hoogstens 200 tekens zijn, het zijn er 250"
        );
        assert_eq!(
            nl("must be at most 200 characters"),
            "mag hoogstens 200 tekens zijn"
        );
        assert_eq!(nl("'x' is listed twice"), "'x' staat er twee keer in");
        assert_eq!(
            nl("something new from the API"),
            "something new from the API"
        );
        assert_eq!(field_message(Lang::En, "is required"), "is required");
    }
}
