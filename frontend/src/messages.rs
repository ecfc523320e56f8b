//! Dutch for the field messages and refusals the API sends most (it answers in English). A
//! message that is not known here is shown as the API wrote it.

use crate::i18n::Lang;

/// English message patterns (`{}` stands for a value) and their Dutch form.
const DUTCH: [(&str, &str); 20] = [
    (
        "is not the current code of the authenticator app for this secret",
        "is niet de huidige code van de authenticator-app voor deze sleutel",
    ),
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

/// Problem details (refusals that concern the whole request, mostly 409) users meet in the
/// course of a round or lottery, and their Dutch form.
const DUTCH_DETAILS: [(&str, &str); 24] = [
    (
        "this run is published already",
        "deze koppeling is al gepubliceerd",
    ),
    (
        "{} withdrew after this run was computed: compute a new run and publish that",
        "{} is uitgevallen nadat deze koppeling werd berekend: bereken een nieuwe koppeling en publiceer die",
    ),
    (
        "{} was coupled by hand after this run was computed: compute a new run and publish that",
        "{} is met de hand gekoppeld nadat deze koppeling werd berekend: bereken een nieuwe koppeling en publiceer die",
    ),
    (
        "a veto between {} and {} was declared after this run was computed: compute a new run and publish that",
        "er is een veto tussen {} en {} vastgelegd nadat deze koppeling werd berekend: bereken een nieuwe koppeling en publiceer die",
    ),
    (
        "{} has {} place(s) but would get {} trainees: their couplings changed after this run was computed: compute a new run and publish that",
        "{} heeft {} plaats(en) maar zou {} aios krijgen; de koppelingen zijn veranderd nadat deze koppeling werd berekend: bereken een nieuwe koppeling en publiceer die",
    ),
    (
        "a participant withdrew since the proposal was made: generate it again before publishing",
        "er is een deelnemer uitgevallen sinds het voorstel werd berekend: bereken het opnieuw voor je het publiceert",
    ),
    (
        "a veto was declared since the proposal was made: generate it again before publishing",
        "er is een veto vastgelegd sinds het voorstel werd berekend: bereken het opnieuw voor je het publiceert",
    ),
    (
        "the interview proposal is already published",
        "het gespreksvoorstel is al gepubliceerd",
    ),
    (
        "generate the interview proposal before publishing it",
        "bereken eerst het gespreksvoorstel",
    ),
    (
        "generate the interview proposal before adjusting it",
        "bereken eerst het gespreksvoorstel",
    ),
    (
        "publish the interview proposal before the interviews start",
        "publiceer eerst het gespreksvoorstel; daarna kunnen de gesprekken beginnen",
    ),
    (
        "this was changed by someone else at the same time; reload and try again",
        "iemand anders veranderde dit tegelijk; laad de pagina opnieuw en probeer het nog eens",
    ),
    (
        "the round changed phase meanwhile; reload and try again",
        "de ronde is intussen naar een andere fase gegaan; laad de pagina opnieuw",
    ),
    (
        "{} already takes part in this round",
        "{} doet al mee aan deze ronde",
    ),
    (
        "{} withdrew from this round; a withdrawal is final for the round",
        "{} is uitgevallen in deze ronde; uitval is definitief voor de ronde",
    ),
    (
        "no reminders for '{}' while the round is in phase '{}': the step is not open",
        "geen herinneringen voor '{}' in fase '{}': die stap is niet open",
    ),
    (
        "this trainee is already coupled",
        "deze aios is al gekoppeld",
    ),
    (
        "{} has no place left (capacity {})",
        "{} heeft geen plaats meer (capaciteit {})",
    ),
    (
        "the institute already has a round for {}",
        "het instituut heeft al een ronde voor {}",
    ),
    (
        "this offer is {}: it can no longer be answered",
        "dit aanbod is {}: je kunt er niet meer op antwoorden",
    ),
    (
        "the lottery is {}: its inputs are frozen since the commit",
        "de loting is {}: de invoer ligt vast sinds het vastleggen",
    ),
    (
        "a lottery needs locations and candidates before the commit ({} locations, {} candidates)",
        "een loting heeft locaties en kandidaten nodig voor het vastleggen ({} locaties, {} kandidaten)",
    ),
    (
        "simulate on frozen inputs: commit the lottery first",
        "simuleren kan op vastgelegde invoer: leg de loting eerst vast",
    ),
    (
        "{} simulations are running; start another when one has finished",
        "er lopen {} simulaties; start een nieuwe als er een klaar is",
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
    translated(lang, &DUTCH, message)
}

/// A problem's detail from the API in the user's language.
pub fn detail_message(lang: Lang, detail: &str) -> String {
    translated(lang, &DUTCH_DETAILS, detail)
}

fn translated(lang: Lang, table: &[(&str, &str)], message: &str) -> String {
    if lang == Lang::En {
        return message.to_owned();
    }
    for (english, dutch) in table {
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

    #[test]
    fn refusals_during_a_round_are_dutch() {
        let nl = |m| detail_message(Lang::Nl, m);
        assert_eq!(
            nl(
                "Dr. Bakker withdrew after this run was computed: compute a new run and publish that"
            ),
            "Dr. Bakker is uitgevallen nadat deze koppeling werd berekend: bereken een nieuwe koppeling en publiceer die"
        );
        assert_eq!(
            nl(
                "no reminders for 'preferences' while the round is in phase 'interviews': the step is not open"
            ),
            "geen herinneringen voor 'preferences' in fase 'interviews': die stap is niet open"
        );
        assert_eq!(
            nl("this run is published already"),
            "deze koppeling is al gepubliceerd"
        );
        assert_eq!(nl("an unknown refusal"), "an unknown refusal");
    }
}
