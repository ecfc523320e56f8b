//! A round's timeline: the steps with their deadlines, the current one marked, and how many days
//! are left.

use chrono::NaiveDate;
use koppel_api_types::RoundResponse;
use yew::prelude::*;

use crate::session::use_lang;

/// Today in the browser's time zone.
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or(NaiveDate::MIN)
}

/// The deadline of the phase a round is in, if it has one.
pub fn current_deadline(round: &RoundResponse) -> Option<NaiveDate> {
    let s = &round.schedule;
    match round.phase.as_str() {
        "draft" | "profiles" => Some(s.profiles_deadline),
        "preferences" => Some(s.preferences_deadline),
        "interviews" => Some(s.final_ranking_deadline),
        _ => None,
    }
}

/// A round's name: `Koppelingsronde maart 2027`.
pub fn round_title(lang: crate::i18n::Lang, round: &RoundResponse) -> String {
    format!(
        "{} {} {}",
        lang.t("Koppelingsronde", "Coupling round"),
        lang.month(&round.start_month),
        round.start_year
    )
}

/// Properties of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The round.
    pub round: RoundResponse,
}

/// The timeline of a round.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let lang = use_lang();
    let round = &props.round;
    let s = &round.schedule;
    let order = [
        "draft",
        "profiles",
        "preferences",
        "interviews",
        "coupling",
        "published",
        "closed",
    ];
    let position = order.iter().position(|p| *p == round.phase);
    let steps = [
        (
            "profiles",
            lang.t("Profielen", "Profiles"),
            Some(s.profiles_deadline),
        ),
        (
            "preferences",
            lang.t("Voorkeuren", "Preferences"),
            Some(s.preferences_deadline),
        ),
        (
            "interviews",
            lang.t("Gesprekken en rangorde", "Interviews and ranking"),
            Some(s.final_ranking_deadline),
        ),
        ("coupling", lang.t("Koppeling", "Coupling"), None),
        (
            "published",
            lang.t("Start plaatsing", "Placement starts"),
            Some(s.placement_start),
        ),
    ];
    let countdown = current_deadline(round).map(|deadline| {
        let days = (deadline - today()).num_days();
        match days {
            d if d < 0 => lang
                .t(
                    "De deadline van deze stap is verstreken.",
                    "This step's deadline has passed.",
                )
                .to_owned(),
            0 => lang.t("Deadline: vandaag.", "Deadline: today.").to_owned(),
            1 => lang
                .t(
                    "Nog 1 dag tot de deadline.",
                    "1 day left until the deadline.",
                )
                .to_owned(),
            d => match lang {
                crate::i18n::Lang::Nl => format!("Nog {d} dagen tot de deadline."),
                crate::i18n::Lang::En => format!("{d} days left until the deadline."),
            },
        }
    });
    html! {
        <div class="timeline-wrap">
            <p>
                <span class="badge phase" data-testid="phase">{ lang.phase(&round.phase) }</span>
                if let Some(text) = countdown {
                    { " " }<span class="countdown" data-testid="countdown">{ text }</span>
                }
            </p>
            <ol class="timeline" aria-label={lang.t("Tijdlijn van de ronde", "Round timeline")}>
                { for steps.iter().map(|(phase, label, date)| {
                    let index = order.iter().position(|p| p == phase);
                    let state = match (index, position) {
                        (Some(i), Some(p)) if i < p => "done",
                        (Some(i), Some(p)) if i == p => "current",
                        _ => "todo",
                    };
                    html! {
                        <li class={state} aria-current={(state == "current").then_some("step")}>
                            <span class="step-name">{ *label }</span>
                            if let Some(date) = date {
                                <span class="step-date">{ lang.date(*date) }</span>
                            }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}
