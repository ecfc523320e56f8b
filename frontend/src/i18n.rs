//! Every text of the interface, in Dutch (the default) and English. A `Texts` value per language
//! makes a missing translation a compile error.

use koppel_api_types::Role;
use serde::{Deserialize, Serialize};

/// Interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Nederlands.
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The other language, for the switch.
    pub fn other(self) -> Self {
        match self {
            Self::Nl => Self::En,
            Self::En => Self::Nl,
        }
    }

    /// BCP 47 code for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// One text in this language: both translations side by side where they are used, so a
    /// missing translation does not compile.
    pub fn t(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Nl => nl,
            Self::En => en,
        }
    }

    /// A date as people write it here: `3 maart 2027` / `3 March 2027`.
    pub fn date(self, date: chrono::NaiveDate) -> String {
        koppel_domain::calendar::written_date(date, self == Self::Nl)
    }

    /// A moment in the user's own time zone, e.g. "1 maart 2027 om 23:59" / "1 March 2027 at 23:59".
    pub fn moment(self, at: chrono::DateTime<chrono::Utc>) -> String {
        let local = at.naive_utc() - chrono::Duration::minutes(utc_offset_behind_minutes(at));
        format!(
            "{} {} {}",
            self.date(local.date()),
            self.t("om", "at"),
            local.format("%H:%M")
        )
    }

    /// A start month name from the API (`march`) in this language.
    pub fn month(self, name: &str) -> String {
        let index = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
        .iter()
        .position(|m| *m == name);
        match index.and_then(|i| chrono::NaiveDate::from_ymd_opt(2000, i as u32 + 1, 1)) {
            Some(date) => {
                let text = self.date(date);
                text.split(' ').nth(1).unwrap_or(name).to_owned()
            }
            None => name.to_owned(),
        }
    }

    /// The name of a lottery offer's status.
    pub fn offer_status(self, status: &str) -> &'static str {
        match status {
            "open" => self.t("open", "open"),
            "accepted" => self.t("aangenomen", "accepted"),
            "declined" => self.t("afgewezen", "declined"),
            "expired" => self.t("verlopen", "expired"),
            _ => self.t("onbekend", "unknown"),
        }
    }

    /// The name of a round phase.
    pub fn phase(self, phase: &str) -> &'static str {
        match phase {
            "draft" => self.t("Voorbereiding", "Draft"),
            "profiles" => self.t("Stap 1: profielen", "Step 1: profiles"),
            "preferences" => self.t("Stap 2: voorkeuren", "Step 2: preferences"),
            "interviews" => self.t(
                "Stap 3: gesprekken en rangorde",
                "Step 3: interviews and ranking",
            ),
            "coupling" => self.t("Koppeling berekenen", "Computing the coupling"),
            "published" => self.t("Uitslag bekend", "Result published"),
            "closed" => self.t("Afgesloten", "Closed"),
            "cancelled" => self.t("Geannuleerd", "Cancelled"),
            _ => self.t("Onbekende fase", "Unknown phase"),
        }
    }

    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Nl => &NL,
            Self::En => &EN,
        }
    }
}

/// The texts of one language.
pub struct Texts {
    pub lang: Lang,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub logout: &'static str,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub signing_in: &'static str,
    pub activate_title: &'static str,
    pub activate_intro: &'static str,
    pub new_password: &'static str,
    pub repeat_password: &'static str,
    pub passwords_differ: &'static str,
    pub password_hint: &'static str,
    pub activate_submit: &'static str,
    pub activation_link_missing: &'static str,
    pub welcome: &'static str,
    pub your_role: &'static str,
    pub institute: &'static str,
    pub loading: &'static str,
    pub institutes_title: &'static str,
    pub no_institutes: &'static str,
    pub next_admin: &'static str,
    pub next_trainee_team: &'static str,
    pub next_trainer_team: &'static str,
    pub next_trainee: &'static str,
    pub next_trainer: &'static str,
    pub next_candidate: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub to_home: &'static str,
    pub network_error: &'static str,
    pub session_ended: &'static str,
    pub invalid_credentials: &'static str,
    pub invalid_link: &'static str,
}

impl Texts {
    /// The name of a role as users know it.
    pub fn role(&self, role: Role) -> &'static str {
        let nl = std::ptr::eq(self, &NL);
        match (role, nl) {
            (Role::Admin, true) => "Beheerder",
            (Role::Admin, false) => "Administrator",
            (Role::TraineeTeam, true) => "A-team (aioscoördinatie)",
            (Role::TraineeTeam, false) => "A-team (trainee coordinators)",
            (Role::TrainerTeam, true) => "O-team (opleiderscoördinatie)",
            (Role::TrainerTeam, false) => "O-team (trainer coordinators)",
            (Role::Trainee, true) => "Aios",
            (Role::Trainee, false) => "Trainee (aios)",
            (Role::Trainer, true) => "Huisartsopleider",
            (Role::Trainer, false) => "GP trainer",
            (Role::Candidate, true) => "Kandidaat plaatsingsloting",
            (Role::Candidate, false) => "Placement lottery candidate",
            (Role::Integration, true) => "Systeemkoppeling",
            (Role::Integration, false) => "Integration",
        }
    }

    /// What a role does next, on the home page.
    pub fn next_step(&self, role: Role) -> &'static str {
        match role {
            Role::Admin | Role::Integration => self.next_admin,
            Role::TraineeTeam => self.next_trainee_team,
            Role::TrainerTeam => self.next_trainer_team,
            Role::Trainee => self.next_trainee,
            Role::Trainer => self.next_trainer,
            Role::Candidate => self.next_candidate,
        }
    }
}

static NL: Texts = Texts {
    lang: Lang::Nl,
    skip_to_content: "Naar de inhoud",
    switch_language: "English",
    switch_language_label: "Switch to English",
    logout: "Uitloggen",
    login_title: "Inloggen bij Koppel",
    login_intro: "Koppel verbindt aios en huisartsopleiders en ondersteunt de plaatsingsloting.",
    email: "E-mailadres",
    password: "Wachtwoord",
    login_submit: "Inloggen",
    signing_in: "Bezig met inloggen…",
    activate_title: "Account activeren",
    activate_intro: "Kies een wachtwoord voor je Koppel-account.",
    new_password: "Nieuw wachtwoord",
    repeat_password: "Herhaal wachtwoord",
    passwords_differ: "De wachtwoorden zijn niet gelijk.",
    password_hint: "Minstens 12 tekens. Een zin werkt goed.",
    activate_submit: "Activeren en inloggen",
    activation_link_missing: "Deze activeringslink is onvolledig. Open de link uit je uitnodigingsmail opnieuw.",
    welcome: "Welkom",
    your_role: "Je rol",
    institute: "Opleidingsinstituut",
    loading: "Laden…",
    institutes_title: "Opleidingsinstituten",
    no_institutes: "Er zijn nog geen opleidingsinstituten.",
    next_admin: "Beheer de opleidingsinstituten en nodig hun coördinatoren uit.",
    next_trainee_team: "Bereid de volgende koppelingsronde voor: selecteer de aios die gekoppeld moeten worden.",
    next_trainer_team: "Bereid de volgende koppelingsronde voor: breng in kaart welke opleiders beschikbaar zijn.",
    next_trainee: "Zodra een koppelingsronde start, vul je hier je profiel in en geef je je voorkeuren op.",
    next_trainer: "Zodra een koppelingsronde start, werk je hier je leerwerkplan bij.",
    next_candidate: "De uitslag van de plaatsingsloting verschijnt hier zodra de loting is gehouden.",
    not_found_title: "Pagina niet gevonden",
    not_found_body: "Deze pagina bestaat niet (meer).",
    to_home: "Naar de startpagina",
    network_error: "Koppel is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.",
    session_ended: "Je sessie is verlopen. Log opnieuw in.",
    invalid_credentials: "Het e-mailadres of wachtwoord klopt niet.",
    invalid_link: "Deze link is onbekend, al gebruikt of verlopen. Vraag je coördinator om een nieuwe uitnodiging.",
};

static EN: Texts = Texts {
    lang: Lang::En,
    skip_to_content: "Skip to content",
    switch_language: "Nederlands",
    switch_language_label: "Schakel naar Nederlands",
    logout: "Sign out",
    login_title: "Sign in to Koppel",
    login_intro: "Koppel couples GP trainees and GP trainers and supports the placement lottery.",
    email: "E-mail address",
    password: "Password",
    login_submit: "Sign in",
    signing_in: "Signing in…",
    activate_title: "Activate your account",
    activate_intro: "Choose a password for your Koppel account.",
    new_password: "New password",
    repeat_password: "Repeat password",
    passwords_differ: "The passwords do not match.",
    password_hint: "At least 12 characters. A sentence works well.",
    activate_submit: "Activate and sign in",
    activation_link_missing: "This activation link is incomplete. Open the link in your invitation mail again.",
    welcome: "Welcome",
    your_role: "Your role",
    institute: "Institute",
    loading: "Loading…",
    institutes_title: "Institutes",
    no_institutes: "There are no institutes yet.",
    next_admin: "Manage the institutes and invite their coordinators.",
    next_trainee_team: "Prepare the next coupling round: select the trainees who are due.",
    next_trainer_team: "Prepare the next coupling round: record which trainers are available.",
    next_trainee: "When a coupling round starts, you write your profile and rank trainers here.",
    next_trainer: "When a coupling round starts, you update your learning plan here.",
    next_candidate: "The outcome of the placement lottery appears here once it has been drawn.",
    not_found_title: "Page not found",
    not_found_body: "This page does not exist (any more).",
    to_home: "To the home page",
    network_error: "Koppel cannot be reached. Check your connection and try again.",
    session_ended: "Your session has ended. Please sign in again.",
    invalid_credentials: "The e-mail address or password is not correct.",
    invalid_link: "This link is unknown, already used or expired. Ask your coordinator for a new invitation.",
};

/// How many minutes the browser's time zone is behind UTC at `at` (negative east of Greenwich,
/// as JavaScript's `getTimezoneOffset`); 0 outside a browser.
fn utc_offset_behind_minutes(at: chrono::DateTime<chrono::Utc>) -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            at.timestamp_millis() as f64
        ));
        date.get_timezone_offset() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = at;
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_name_in_both_languages() {
        for role in Role::ALL {
            assert_ne!(Lang::Nl.texts().role(role), Lang::En.texts().role(role));
        }
    }
}
