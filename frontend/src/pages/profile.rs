//! Step 1: the trainee's profile with CV and photo, or the trainer's learning plan.

use koppel_api_types::{
    Role, TraineeProfileRequest, TraineeProfileResponse, TrainerProfileRequest,
    TrainerProfileResponse,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::field::TextArea;
use crate::components::status::{Outcome, empty, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::{SessionHandle, signed_in, use_lang};
use crate::upload::put_file;

/// The profile page.
#[component]
pub fn ProfilePage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    signed_in(&session, |me| match me.role {
        Role::Trainee => html! { <TraineeProfile /> },
        Role::Trainer => html! { <TrainerProfile /> },
        _ => {
            html! { <section class="card">{ empty(lang.t("Alleen aios en opleiders hebben een profiel.", "Only trainees and trainers have a profile.")) }</section> }
        }
    })
}

fn setter(handle: &UseStateHandle<String>) -> Callback<String> {
    let handle = handle.clone();
    Callback::from(move |value: String| handle.set(value))
}

#[component]
fn TraineeProfile() -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let loaded = use_get::<TraineeProfileResponse>("/me/trainee-profile".to_owned(), version);
    show(lang, &loaded, |profile| {
        html! {
            <>
                <TraineeText profile={profile.clone()} on_saved={reload.clone()} />
                <section class="card" aria-labelledby="files-title">
                    <h2 id="files-title">{ lang.t("Cv en foto", "CV and photo") }</h2>
                    <Upload path="/me/trainee-profile/cv" id="cv" accept="application/pdf" limit={5 * 1024 * 1024}
                        label={lang.t("Cv (pdf, hoogstens 5 MB)", "CV (PDF, at most 5 MB)")}
                        present={profile.has_cv} on_done={reload.clone()} />
                    <Upload path="/me/trainee-profile/photo" id="photo" accept="image/jpeg,image/png" limit={2 * 1024 * 1024}
                        label={lang.t("Foto (jpeg of png, hoogstens 2 MB)", "Photo (JPEG or PNG, at most 2 MB)")}
                        present={profile.has_photo} on_done={reload.clone()} />
                    <p class="muted">{ lang.t("Koppel controleert de inhoud van het bestand, niet alleen de naam. Je profiel is zichtbaar voor je coördinatoren en voor de opleiders met wie je een gesprek krijgt.", "Koppel checks the file's content, not just its name. Your profile is visible to your coordinators and to the trainers you are proposed to.") }</p>
                </section>
            </>
        }
    })
}

#[derive(Properties, PartialEq)]
struct TraineeTextProps {
    profile: TraineeProfileResponse,
    on_saved: Callback<()>,
}

#[component]
fn TraineeText(props: &TraineeTextProps) -> Html {
    let lang = use_lang();
    let introduction = use_state(|| props.profile.introduction.clone());
    let experience = use_state(|| props.profile.experience.clone());
    let wishes = use_state(|| props.profile.learning_wishes.clone());
    let outcome = use_state(Outcome::default);
    let busy = use_state(|| false);
    let onsubmit = {
        clone!(introduction, experience, wishes, outcome, busy);
        let on_saved = props.on_saved.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = TraineeProfileRequest {
                introduction: (*introduction).clone(),
                experience: (*experience).clone(),
                learning_wishes: (*wishes).clone(),
            };
            clone!(outcome, busy, on_saved);
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result =
                    api::put::<_, serde_json::Value>("/me/trainee-profile", &request).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        outcome.set(Outcome::Done(
                            lang.t("Je profiel is opgeslagen.", "Your profile has been saved.")
                                .to_owned(),
                        ));
                        on_saved.emit(());
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="profile-title">
            <h1 id="profile-title">{ lang.t("Je profiel", "Your profile") }</h1>
            <p class="muted">{ lang.t("Opleiders lezen je profiel voordat ze je spreken. Je kunt het aanpassen tot de deadline van stap 1.", "Trainers read your profile before they meet you. You can change it until the step-1 deadline.") }</p>
            <form {onsubmit}>
                <TextArea id="introduction" label={lang.t("Introductie", "Introduction")} value={(*introduction).clone()}
                    on_change={setter(&introduction)} error={outcome.field("introduction")} />
                <TextArea id="experience" label={lang.t("Ervaring", "Experience")} value={(*experience).clone()}
                    on_change={setter(&experience)} error={outcome.field("experience")} />
                <TextArea id="learning_wishes" label={lang.t("Leerwensen", "Learning wishes")} value={(*wishes).clone()}
                    on_change={setter(&wishes)} error={outcome.field("learning_wishes")} />
                { outcome.view(lang, &["introduction", "experience", "learning_wishes"]) }
                <button class="primary" type="submit" disabled={*busy}>{ lang.t("Opslaan", "Save") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UploadProps {
    path: AttrValue,
    id: AttrValue,
    accept: AttrValue,
    label: AttrValue,
    limit: u32,
    present: bool,
    on_done: Callback<()>,
}

/// One file input that uploads on choice, with progress and the limits explained.
#[component]
fn Upload(props: &UploadProps) -> Html {
    let lang = use_lang();
    let progress = use_state(|| None::<u32>);
    let outcome = use_state(Outcome::default);
    let local_error = use_state(|| None::<String>);
    let onchange = {
        let (progress, outcome, local_error) =
            (progress.clone(), outcome.clone(), local_error.clone());
        let (path, limit, on_done) = (props.path.clone(), props.limit, props.on_done.clone());
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            if file.size() > f64::from(limit) {
                local_error.set(Some(too_large(lang, limit)));
                return;
            }
            local_error.set(None);
            clone!(progress, outcome, path, on_done);
            progress.set(Some(0));
            wasm_bindgen_futures::spawn_local(async move {
                let report = {
                    let progress = progress.clone();
                    Callback::from(move |percent: u32| progress.set(Some(percent)))
                };
                let result = put_file(&path, &file, report).await;
                progress.set(None);
                match result {
                    Ok(()) => {
                        outcome.set(Outcome::Done(lang.t("Geüpload.", "Uploaded.").to_owned()));
                        on_done.emit(());
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let error_id = format!("{}-error", props.id);
    let field = props.id.to_string();
    let error = (*local_error).clone().or_else(|| match &*outcome {
        Outcome::Failed(error) => Some(
            error
                .field(&field)
                .unwrap_or_else(|| error.message(lang.texts())),
        ),
        _ => None,
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input id={props.id.clone()} type="file" accept={props.accept.clone()} {onchange}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id.clone())} />
            if props.present {
                <p class="muted" data-testid={format!("{}-present", props.id)}>{ "✓ " }{ lang.t("Bestand aanwezig. Kies een nieuw bestand om het te vervangen.", "File present. Choose a new file to replace it.") }</p>
            }
            if let Some(percent) = *progress {
                <progress max="100" value={percent.to_string()} aria-label={lang.t("Voortgang van de upload", "Upload progress")}>{ format!("{percent}%") }</progress>
            }
            if let Some(error) = error {
                <p id={error_id} class="field-error" role="alert">{ error }</p>
            }
            if let Outcome::Done(message) = &*outcome {
                <p class="success" role="status">{ message.clone() }</p>
            }
        </div>
    }
}

fn too_large(lang: Lang, limit: u32) -> String {
    let mb = limit / (1024 * 1024);
    match lang {
        Lang::Nl => format!("Dit bestand is te groot: hoogstens {mb} MB."),
        Lang::En => format!("This file is too large: at most {mb} MB."),
    }
}

#[component]
fn TrainerProfile() -> Html {
    let lang = use_lang();
    let loaded = use_get::<TrainerProfileResponse>("/me/trainer-profile".to_owned(), 0);
    show(
        lang,
        &loaded,
        |profile| html! { <TrainerText profile={profile.clone()} /> },
    )
}

#[derive(Properties, PartialEq)]
struct TrainerTextProps {
    profile: TrainerProfileResponse,
}

#[component]
fn TrainerText(props: &TrainerTextProps) -> Html {
    let lang = use_lang();
    let plan = use_state(|| props.profile.learning_plan.clone());
    let practice = use_state(|| props.profile.practice_description.clone());
    let outcome = use_state(Outcome::default);
    let onsubmit = {
        clone!(plan, practice, outcome);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = TrainerProfileRequest {
                learning_plan: (*plan).clone(),
                practice_description: (*practice).clone(),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, serde_json::Value>("/me/trainer-profile", &request).await {
                    Ok(_) => outcome.set(Outcome::Done(lang.t("Opgeslagen.", "Saved.").to_owned())),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="plan-title">
            <h1 id="plan-title">{ lang.t("Leerwerkplan en praktijk", "Learning plan and practice") }</h1>
            <p class="muted">{ lang.t("Aios lezen dit als ze opleiders rangschikken. Aanpassen kan tot de deadline van stap 1.", "Trainees read this when they rank trainers. You can change it until the step-1 deadline.") }</p>
            <form {onsubmit}>
                <TextArea id="learning_plan" label={lang.t("Leerwerkplan", "Learning plan")} rows={8} value={(*plan).clone()}
                    on_change={setter(&plan)} error={outcome.field("learning_plan")} />
                <TextArea id="practice_description" label={lang.t("Beschrijving van de praktijk", "Practice description")} value={(*practice).clone()}
                    on_change={setter(&practice)} error={outcome.field("practice_description")} />
                { outcome.view(lang, &["learning_plan", "practice_description"]) }
                <button class="primary" type="submit">{ lang.t("Opslaan", "Save") }</button>
            </form>
        </section>
    }
}
