//! The one typed client of the Koppel API.
//!
//! Every call goes through [`call`]: it sends the access token, and when the API answers 401 it
//! exchanges the refresh token once (one refresh at a time, as refresh tokens are single-use) and
//! retries. Errors come back as [`ClientError`], carrying the API's problem details.
//!
//! No token is ever stored where a script could read it later: the access token lives in this
//! page's memory only, and the refresh token in an `HttpOnly; SameSite=Strict` cookie that the
//! API sets in cookie mode (`X-Koppel-Refresh: cookie`) and only `/api/v1/auth` receives. A new
//! page resumes the sign-in by refreshing ([`resume`]).

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::lock::Mutex;
use gloo_net::http::{Method, RequestBuilder, Response};
use gloo_storage::{LocalStorage, Storage};
use koppel_api_types::{
    API_PREFIX, FieldError, LoginRequest, MeResponse, Problem, ProblemCode, TokenResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::Texts;

/// Where earlier versions kept the tokens; removed when found.
const OLD_TOKENS_KEY: &str = "koppel.tokens";

thread_local! {
    static REFRESH_LOCK: Rc<Mutex<()>> = Rc::new(Mutex::new(()));
    static ACCESS_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The API refused the request and said why.
    Problem(Problem),
    /// The sign-in has ended (refresh failed); sign in again.
    SignedOut,
    /// The API could not be reached or answered something unreadable.
    Network(String),
    /// Found wrong before sending (a choice not made), with the field it concerns if any.
    Local {
        /// The field, named as the API would name it.
        field: Option<String>,
        /// What to do, in the user's language.
        message: String,
    },
}

impl ClientError {
    /// A check of the form itself, not tied to one field.
    pub fn local(message: &str) -> Self {
        Self::Local {
            field: None,
            message: message.to_owned(),
        }
    }

    /// A check of one field of the form.
    pub fn local_field(field: &str, message: &str) -> Self {
        Self::Local {
            field: Some(field.to_owned()),
            message: message.to_owned(),
        }
    }

    /// A sentence for the user: translated for the problems users meet often, otherwise the
    /// API's `detail`.
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            Self::Problem(problem) if problem.code == ProblemCode::DeadlinePassed => {
                let date = problem
                    .deadline
                    .map(|date| texts.lang.date(date))
                    .unwrap_or_default();
                texts
                    .lang
                    .t(
                        "De deadline ({date}) is verstreken: dit kan niet meer.",
                        "The deadline ({date}) has passed: this is no longer possible.",
                    )
                    .replace("{date}", &date)
            }
            Self::Problem(problem) if problem.code == ProblemCode::WrongPhase => {
                let phase = texts
                    .lang
                    .phase(problem.phase.as_deref().unwrap_or_default());
                texts
                    .lang
                    .t(
                        "Dit kan niet in de huidige fase van de ronde ({phase}).",
                        "This is not possible in the round's current phase ({phase}).",
                    )
                    .replace("{phase}", phase)
            }
            Self::Problem(problem) if problem.code == ProblemCode::InvalidCredentials => {
                texts.invalid_credentials.to_owned()
            }
            Self::Problem(problem) if problem.code == ProblemCode::TooManyAttempts => {
                let seconds: String = problem
                    .detail
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                texts
                    .lang
                    .t(
                        "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
                        "Too many failed attempts. Try again in {seconds} seconds.",
                    )
                    .replace("{seconds}", &seconds)
            }
            Self::Problem(problem) if problem.code == ProblemCode::SecondFactorRequired => {
                if problem.detail.contains("wrong") {
                    texts.lang.t(
                        "Deze code klopt niet, is verlopen of is al gebruikt. Vul de huidige code uit je app in, of een ongebruikte herstelcode.",
                        "This code is wrong, expired or already used. Enter the current code of your app, or an unused recovery code.",
                    ).to_owned()
                } else {
                    texts
                        .lang
                        .t(
                            "Vul de code uit je authenticator-app in.",
                            "Enter the code from your authenticator app.",
                        )
                        .to_owned()
                }
            }
            Self::Problem(problem) if problem.code == ProblemCode::TwoFactorEnrolmentRequired => {
                texts
                    .lang
                    .t(
                        "Zet eerst tweestapsverificatie aan op de pagina Mijn account.",
                        "Turn on two-step verification on the My account page first.",
                    )
                    .to_owned()
            }
            Self::Problem(problem) if problem.code == ProblemCode::InvalidToken => {
                texts.invalid_link.to_owned()
            }
            Self::Problem(problem) => problem.detail.clone(),
            Self::SignedOut => texts.session_ended.to_owned(),
            Self::Network(_) => texts.network_error.to_owned(),
            Self::Local { message, .. } => message.clone(),
        }
    }

    /// The message for one field, if the API named it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Problem(problem) => problem
                .errors
                .iter()
                .find(|FieldError { field, .. }| field == name)
                .map(|error| error.message.clone()),
            Self::Local {
                field: Some(field),
                message,
            } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

/// The API's origin: the `koppel-api-base` meta tag of `index.html`, or this page's origin.
fn base_url() -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            document
                .query_selector("meta[name='koppel-api-base']")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .map(|base| base.trim().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// The access token of the current sign-in, if this page has one.
pub fn access_token() -> Option<String> {
    ACCESS_TOKEN.with(|token| token.borrow().clone())
}

fn store_tokens(tokens: &TokenResponse) {
    ACCESS_TOKEN.with(|token| *token.borrow_mut() = Some(tokens.access_token.clone()));
}

fn clear_tokens() {
    ACCESS_TOKEN.with(|token| *token.borrow_mut() = None);
    LocalStorage::delete(OLD_TOKENS_KEY);
}

async fn send(
    method: Method,
    path: &str,
    body: Option<&serde_json::Value>,
    access_token: Option<&str>,
) -> Result<Response, ClientError> {
    let url = format!("{}{API_PREFIX}{path}", base_url());
    let mut request = RequestBuilder::new(&url)
        .method(method)
        .header("Accept", "application/json");
    if path.starts_with("/auth/") {
        // The refresh token travels in the HttpOnly cookie, never through this code.
        request = request.header("X-Koppel-Refresh", "cookie");
    }
    if let Some(token) = access_token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request.json(body),
        None => request.build(),
    }
    .map_err(|error| ClientError::Network(error.to_string()))?;
    request
        .send()
        .await
        .map_err(|error| ClientError::Network(error.to_string()))
}

/// The body of a successful answer, or the API's problem. Not generic, so that the HTTP flow is
/// compiled once rather than once per answer type (it is most of the app's size).
async fn answer_text(response: Response) -> Result<String, ClientError> {
    if response.ok() {
        return response
            .text()
            .await
            .map_err(|error| ClientError::Network(error.to_string()));
    }
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => Err(ClientError::Problem(localized(problem))),
        Err(_) => Err(ClientError::Network(format!("HTTP {status}"))),
    }
}

/// Reads an answer's JSON body.
// The error is as large as every call's (a problem with its field errors); only the host build
// of the checks, with 8-byte pointers, finds that too large.
#[allow(clippy::result_large_err)]
pub fn parse<R: DeserializeOwned>(text: &str) -> Result<R, ClientError> {
    // `204 No Content` decodes as `null`, which is what `()` expects.
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|error| ClientError::Network(error.to_string()))
}

async fn decode<R: DeserializeOwned>(response: Response) -> Result<R, ClientError> {
    parse(&answer_text(response).await?)
}

/// A problem with the field messages the API often sends in the user's language (it answers in
/// English).
pub fn localized(mut problem: Problem) -> Problem {
    let lang: crate::i18n::Lang = LocalStorage::get(crate::session::LANG_KEY).unwrap_or_default();
    problem.detail = crate::messages::detail_message(lang, &problem.detail);
    for error in &mut problem.errors {
        error.message = crate::messages::field_message(lang, &error.message);
    }
    problem
}

/// Exchanges the refresh token (in the cookie), unless another call already did while this one
/// waited.
async fn refresh(used_access_token: Option<&str>) -> Result<(), ClientError> {
    let lock = REFRESH_LOCK.with(Rc::clone);
    let _guard = lock.lock().await;
    if access_token().as_deref() != used_access_token {
        return Ok(());
    }
    let body = serde_json::json!({});
    let response = send(Method::POST, "/auth/refresh", Some(&body), None).await?;
    match decode::<TokenResponse>(response).await {
        Ok(fresh) => {
            store_tokens(&fresh);
            Ok(())
        }
        Err(ClientError::Problem(_)) => {
            clear_tokens();
            Err(ClientError::SignedOut)
        }
        Err(other) => Err(other),
    }
}

/// Calls the API as the signed-in user, refreshing the access token when needed.
pub async fn call<B: Serialize, R: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<R, ClientError> {
    let body = body
        .map(serde_json::to_value)
        .transpose()
        .map_err(|error| ClientError::Network(error.to_string()))?;
    parse(&exchange(method, path, body).await?)
}

/// [`call`]'s HTTP part: the answer's body as text.
async fn exchange(
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<String, ClientError> {
    let access = access_token();
    let response = send(method.clone(), path, body.as_ref(), access.as_deref()).await?;
    let response = match access {
        Some(used) if response.status() == 401 => {
            refresh(Some(&used)).await?;
            send(method, path, body.as_ref(), access_token().as_deref()).await?
        }
        _ => response,
    };
    answer_text(response).await
}

/// Resumes the sign-in of an earlier page from the refresh cookie; `false` when there is none.
/// The readable `koppel_session` cookie says whether there may be one, so a signed-out visit
/// asks nothing.
pub async fn resume() -> bool {
    use wasm_bindgen::JsCast;
    LocalStorage::delete(OLD_TOKENS_KEY);
    let may_resume = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|document| document.cookie().ok())
        .is_some_and(|cookies| cookies.split(';').any(|c| c.trim() == "koppel_session=1"));
    may_resume && refresh(None).await.is_ok() && access_token().is_some()
}

/// Signs in (with the authenticator app's code, for accounts that use one) and stores the
/// tokens.
pub async fn login(
    email: &str,
    password: &str,
    one_time_code: Option<&str>,
) -> Result<(), ClientError> {
    let request = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
        one_time_code: one_time_code.map(str::to_owned),
    };
    let tokens: TokenResponse = call(Method::POST, "/auth/login", Some(&request)).await?;
    store_tokens(&tokens);
    Ok(())
}

/// Activates an invited account and stores the tokens.
pub async fn activate(token: &str, password: &str) -> Result<(), ClientError> {
    let request = koppel_api_types::ActivateRequest {
        token: token.to_owned(),
        password: password.to_owned(),
    };
    let tokens: TokenResponse = call(Method::POST, "/auth/activate", Some(&request)).await?;
    store_tokens(&tokens);
    Ok(())
}

/// Sets a new password with a reset token and stores the tokens.
pub async fn reset_password(token: &str, password: &str) -> Result<(), ClientError> {
    let request = koppel_api_types::PasswordResetConfirmRequest {
        token: token.to_owned(),
        password: password.to_owned(),
    };
    let tokens: TokenResponse =
        call(Method::POST, "/auth/password-reset/confirm", Some(&request)).await?;
    store_tokens(&tokens);
    Ok(())
}

/// Changes the signed-in user's password; the account's other sign-ins end.
pub async fn change_password(
    request: &koppel_api_types::ChangePasswordRequest,
) -> Result<(), ClientError> {
    call::<_, ()>(Method::POST, "/me/password", Some(request)).await
}

/// Asks for a password-reset mail.
pub async fn request_password_reset(email: &str) -> Result<(), ClientError> {
    let request = koppel_api_types::PasswordResetRequest {
        email: email.to_owned(),
    };
    call::<_, ()>(Method::POST, "/auth/password-reset", Some(&request)).await
}

/// Remembers the user's language on the server.
pub async fn set_locale(locale: koppel_api_types::Locale) -> Result<MeResponse, ClientError> {
    let request = koppel_api_types::UpdateMeRequest { locale };
    call(Method::PATCH, "/me", Some(&request)).await
}

/// Signs out on the server (which clears the cookie and ends the sign-in) and forgets the access
/// token.
pub async fn logout() {
    // Signing out locally matters most; a failed server call only leaves a sign-in to expire.
    let _ = send(
        Method::POST,
        "/auth/logout",
        Some(&serde_json::json!({})),
        None,
    )
    .await;
    clear_tokens();
}

/// The signed-in user.
pub async fn me() -> Result<MeResponse, ClientError> {
    call::<(), _>(Method::GET, "/me", None).await
}

/// `GET` as the signed-in user.
pub async fn get<R: DeserializeOwned>(path: &str) -> Result<R, ClientError> {
    call::<(), R>(Method::GET, path, None).await
}

/// `GET` as the signed-in user, the answer's body unread (see [`parse`]).
pub async fn get_body(path: &str) -> Result<String, ClientError> {
    exchange(Method::GET, path, None).await
}

/// `POST` a JSON body as the signed-in user.
pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<R, ClientError> {
    call(Method::POST, path, Some(body)).await
}

/// `PUT` a JSON body as the signed-in user.
pub async fn put<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<R, ClientError> {
    call(Method::PUT, path, Some(body)).await
}

/// `PATCH` a JSON body as the signed-in user.
pub async fn patch<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<R, ClientError> {
    call(Method::PATCH, path, Some(body)).await
}

/// `DELETE` as the signed-in user.
pub async fn delete<R: DeserializeOwned>(path: &str) -> Result<R, ClientError> {
    call::<(), R>(Method::DELETE, path, None).await
}

/// Sends a raw body (CSV) as the signed-in user.
pub async fn post_text<R: DeserializeOwned>(
    path: &str,
    content_type: &str,
    text: String,
) -> Result<R, ClientError> {
    parse(&exchange_text(path, content_type, text).await?)
}

/// [`post_text`]'s HTTP part.
async fn exchange_text(
    path: &str,
    content_type: &str,
    text: String,
) -> Result<String, ClientError> {
    let attempt = |token: Option<String>| {
        let text = text.clone();
        async move {
            let url = format!("{}{API_PREFIX}{path}", base_url());
            let mut request = RequestBuilder::new(&url)
                .method(Method::POST)
                .header("Accept", "application/json")
                .header("Content-Type", content_type);
            if let Some(token) = token {
                request = request.header("Authorization", &format!("Bearer {token}"));
            }
            request
                .body(text)
                .map_err(|error| ClientError::Network(error.to_string()))?
                .send()
                .await
                .map_err(|error| ClientError::Network(error.to_string()))
        }
    };
    let access = access_token();
    let mut response = attempt(access.clone()).await?;
    if let Some(used) = access
        && response.status() == 401
    {
        refresh(Some(&used)).await?;
        response = attempt(access_token()).await?;
    }
    answer_text(response).await
}

/// A text document (a CSV export) from the API; an error answer is a problem, never a file.
pub async fn get_text(path: &str) -> Result<String, ClientError> {
    file(path)
        .await?
        .text()
        .await
        .map_err(|error| ClientError::Network(error.to_string()))
}

/// A binary document (an XLSX export) from the API, as [`get_text`].
pub async fn get_bytes(path: &str) -> Result<Vec<u8>, ClientError> {
    file(path)
        .await?
        .binary()
        .await
        .map_err(|error| ClientError::Network(error.to_string()))
}

/// The successful answer to a `GET` of a file as the signed-in user; an error answer's problem.
async fn file(path: &str) -> Result<Response, ClientError> {
    let token = fresh_access_token().await?;
    let response = send(Method::GET, path, None, Some(&token)).await?;
    if response.ok() {
        return Ok(response);
    }
    Err(decode::<serde_json::Value>(response)
        .await
        .err()
        .unwrap_or_else(|| ClientError::Network("unexpected answer".to_owned())))
}

/// A fresh access token: refreshed first when the stored one is refused. For requests the
/// typed client cannot send (uploads with progress, file downloads).
pub async fn fresh_access_token() -> Result<String, ClientError> {
    me().await?;
    access_token().ok_or(ClientError::SignedOut)
}

/// The full URL of an API path.
pub fn url(path: &str) -> String {
    format!("{}{API_PREFIX}{path}", base_url())
}
