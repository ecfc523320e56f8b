//! Administrators: institutes, and their users (invite with a role).

use koppel_api_types::{
    CreateInstituteRequest, InstituteListResponse, InstituteResponse, InviteUserRequest, Role,
    UpdateUserRequest, UserListResponse, UserResponse, UserStatus,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::{SessionHandle, signed_in, use_lang};

/// The institutes page.
#[component]
pub fn InstitutesPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let institutes = use_get::<InstituteListResponse>("/institutes".to_owned(), version);
    let name = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let selected = use_state(|| None::<String>);
    let create = {
        clone!(name, outcome, reload);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = CreateInstituteRequest {
                name: (*name).clone(),
            };
            run(
                outcome.clone(),
                async move { api::post::<_, InstituteResponse>("/institutes", &request).await },
                lang.t("Opleidingsinstituut aangemaakt.", "Institute created.")
                    .to_owned(),
                reload.clone(),
            );
        })
    };
    signed_in(&session, |_| {
        html! {
            <>
                <section class="card" aria-labelledby="institutes-title">
                    <h1 id="institutes-title">{ lang.texts().institutes_title }</h1>
                    { show(lang, &institutes, |list| {
                        if list.items.is_empty() { return empty(lang.texts().no_institutes); }
                        html! {
                            <ul class="plain">
                                { for list.items.iter().map(|i| {
                                    let id = i.id.to_string();
                                    let pick = { let selected = selected.clone(); let id = id.clone(); Callback::from(move |_: MouseEvent| selected.set(Some(id.clone()))) };
                                    html! {
                                        <li key={id.clone()} class="item">
                                            <span>{ i.name.clone() }</span>
                                            <button type="button" onclick={pick} aria-pressed={(selected.as_deref() == Some(id.as_str())).to_string()}>{ lang.t("Gebruikers", "Users") }</button>
                                        </li>
                                    }
                                }) }
                            </ul>
                        }
                    }) }
                    <form onsubmit={create} class="row">
                        <div class="field">
                            <label for="institute-name">{ lang.t("Nieuw opleidingsinstituut", "New institute") }</label>
                            <input id="institute-name" value={(*name).clone()} oninput={let name = name.clone(); Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                                aria-invalid={outcome.field("name").is_some().then_some("true")} />
                            if let Some(error) = outcome.field("name") { <p class="field-error">{ error }</p> }
                        </div>
                        <button type="submit" class="primary">{ lang.t("Aanmaken", "Create") }</button>
                    </form>
                    { outcome.view(lang, &["name"]) }
                </section>
                if let Some(id) = (*selected).clone() {
                    <Users institute={id} />
                }
            </>
        }
    })
}

#[derive(Properties, PartialEq)]
struct UsersProps {
    institute: String,
}

#[component]
fn Users(props: &UsersProps) -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let (version, reload) = use_version();
    let users =
        use_get::<UserListResponse>(format!("/institutes/{}/users", props.institute), version);
    let email = use_state(String::new);
    let display_name = use_state(String::new);
    let role = use_state(|| Role::TraineeTeam);
    let outcome = use_state(Outcome::default);
    let invite = {
        clone!(email, display_name, role, outcome, reload);
        let path = format!("/institutes/{}/users", props.institute);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = InviteUserRequest {
                email: (*email).clone(),
                display_name: (*display_name).clone(),
                role: *role,
                locale: None,
            };
            let path = path.clone();
            run(
                outcome.clone(),
                async move { api::post::<_, UserResponse>(&path, &request).await },
                lang.t("Uitnodiging verstuurd.", "Invitation sent.")
                    .to_owned(),
                reload.clone(),
            );
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <section class="card" aria-labelledby="users-title">
            <h2 id="users-title">{ lang.t("Gebruikers", "Users") }</h2>
            { show(lang, &users, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen gebruikers.", "No users yet.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr><th scope="col">{ lang.t("Naam", "Name") }</th><th scope="col">{ texts.email }</th><th scope="col">{ lang.t("Rol", "Role") }</th><th scope="col">{ lang.t("Status", "Status") }</th><th scope="col"><span class="sr-only">{ lang.t("Acties", "Actions") }</span></th></tr></thead>
                        <tbody>{ for list.items.iter().map(|u| html! {
                            <UserRow key={u.id.to_string()} institute={props.institute.clone()} user={u.clone()} on_change={reload.clone()} />
                        }) }</tbody>
                    </table></div>
                }
            }) }
            <form onsubmit={invite}>
                <h3>{ lang.t("Iemand uitnodigen", "Invite someone") }</h3>
                <div class="row">
                    <div class="field">
                        <label for="invite-name">{ lang.t("Naam", "Name") }</label>
                        <input id="invite-name" value={(*display_name).clone()} oninput={text(&display_name)} />
                        if let Some(error) = outcome.field("display_name") { <p class="field-error">{ error }</p> }
                    </div>
                    <div class="field">
                        <label for="invite-email">{ texts.email }</label>
                        <input id="invite-email" type="email" value={(*email).clone()} oninput={text(&email)} />
                        if let Some(error) = outcome.field("email") { <p class="field-error">{ error }</p> }
                    </div>
                    <div class="field">
                        <label for="invite-role">{ lang.t("Rol", "Role") }</label>
                        <select id="invite-role" onchange={let role = role.clone(); Callback::from(move |e: Event| {
                            if let Some(r) = Role::from_name(&e.target_unchecked_into::<HtmlSelectElement>().value()) { role.set(r) }
                        })}>
                            { for [Role::TraineeTeam, Role::TrainerTeam, Role::Trainee, Role::Trainer].into_iter().map(|r| html! {
                                <option value={r.as_str()} selected={*role == r}>{ texts.role(r) }</option>
                            }) }
                        </select>
                    </div>
                </div>
                { outcome.view(lang, &["email", "display_name"]) }
                <button type="submit" class="primary">{ lang.t("Uitnodigen", "Invite") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UserRowProps {
    institute: String,
    user: UserResponse,
    on_change: Callback<()>,
}

/// One user: change the role, deactivate or reactivate.
#[component]
fn UserRow(props: &UserRowProps) -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let outcome = use_state(Outcome::default);
    let user = &props.user;
    let path = format!("/institutes/{}/users/{}", props.institute, user.id);
    let update = |request: UpdateUserRequest, done: &'static str| {
        let (outcome, on_change, path) = (outcome.clone(), props.on_change.clone(), path.clone());
        move || {
            let path = path.clone();
            let request = request.clone();
            run(
                outcome.clone(),
                async move { api::patch::<_, UserResponse>(&path, &request).await },
                done.to_owned(),
                on_change.clone(),
            );
        }
    };
    let change_role = {
        let (outcome, on_change, path) = (outcome.clone(), props.on_change.clone(), path.clone());
        let (name, current) = (user.display_name.clone(), user.role);
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let Some(role) = Role::from_name(&select.value()) else {
                return;
            };
            let question = match lang {
                Lang::Nl => format!(
                    "De rol van {name} wijzigen in {}? Dit geldt meteen.",
                    lang.texts().role(role)
                ),
                Lang::En => format!(
                    "Change {name}'s role to {}? This takes effect at once.",
                    lang.texts().role(role)
                ),
            };
            if !confirmed(&question) {
                select.set_value(current.as_str());
                return;
            }
            let request = UpdateUserRequest {
                role: Some(role),
                status: None,
            };
            let path = path.clone();
            run(
                outcome.clone(),
                async move { api::patch::<_, UserResponse>(&path, &request).await },
                lang.t("Rol gewijzigd.", "Role changed.").to_owned(),
                on_change.clone(),
            );
        })
    };
    let active = user.status == UserStatus::Active;
    let toggle = {
        let request = UpdateUserRequest {
            role: None,
            status: Some(if active {
                UserStatus::Deactivated
            } else {
                UserStatus::Active
            }),
        };
        let act = update(
            request,
            if active {
                lang.t("Gedeactiveerd.", "Deactivated.")
            } else {
                lang.t("Weer actief.", "Active again.")
            },
        );
        let question = match (lang, active) {
            (Lang::Nl, true) => format!(
                "{} deactiveren? Diegene wordt meteen uitgelogd en kan niet meer inloggen tot je het account weer activeert.",
                user.display_name
            ),
            (Lang::En, true) => format!(
                "Deactivate {}? They are signed out at once and cannot sign in until you reactivate the account.",
                user.display_name
            ),
            (Lang::Nl, false) => format!("{} weer activeren?", user.display_name),
            (Lang::En, false) => format!("Reactivate {}?", user.display_name),
        };
        Callback::from(move |_: MouseEvent| {
            if confirmed(&question) {
                act()
            }
        })
    };
    let status = match user.status {
        UserStatus::Invited => lang.t("uitgenodigd", "invited"),
        UserStatus::Active => lang.t("actief", "active"),
        UserStatus::Deactivated => lang.t("gedeactiveerd", "deactivated"),
    };
    let select_id = format!("role-{}", user.id);
    html! {
        <tr>
            <td>{ user.display_name.clone() }</td>
            <td>{ user.email.clone() }</td>
            <td>
                <label for={select_id.clone()} class="sr-only">{ format!("{} {}", lang.t("Rol van", "Role of"), user.display_name) }</label>
                <select id={select_id} disabled={outcome.is_busy()} onchange={change_role}>
                    { for [Role::TraineeTeam, Role::TrainerTeam, Role::Trainee, Role::Trainer].into_iter().map(|r| html! {
                        <option value={r.as_str()} selected={user.role == r}>{ texts.role(r) }</option>
                    }) }
                </select>
            </td>
            <td>{ status }</td>
            <td>
                if user.status != UserStatus::Invited {
                    <button type="button" class={if active { "danger" } else { "" }} disabled={outcome.is_busy()} onclick={toggle}
                        aria-label={format!("{} {}", if active { lang.t("Deactiveren:", "Deactivate:") } else { lang.t("Weer activeren:", "Reactivate:") }, user.display_name)}>
                        { if active { lang.t("Deactiveren", "Deactivate") } else { lang.t("Weer activeren", "Reactivate") } }
                    </button>
                }
                { outcome.view(lang, &[]) }
            </td>
        </tr>
    }
}
