//! `spawn_app()` and the typed helpers every test uses.

use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::Utc;
use koppel_api::auth::totp::{self, TotpSecret};
use koppel_api::mail_sink::{MailSink, ReceivedMail};
use koppel_api::store::{self, entities::outbox};
use koppel_api::{Application, Settings};
use koppel_api_types::{Locale, Problem, Role, TokenResponse, UserStatus};
use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryOrder};
use secrecy::SecretString;
use serde_json::Value;
use uuid::Uuid;

/// Password of every account the helpers create.
pub const PASSWORD: &str = "test-wachtwoord-123";
/// The administrator created from the bootstrap settings.
pub const ADMIN_EMAIL: &str = "beheer@koppel.test";
/// The bootstrap administrator's two-factor secret (administrators must use one).
pub const ADMIN_TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| {
    koppel_api::auth::password::hash(&NewPassword::parse(PASSWORD).unwrap()).unwrap()
});

/// A running application and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The application's database.
    pub db: DatabaseConnection,
    /// HTTP client.
    pub client: reqwest::Client,
    /// The database URL, to start a second server on the same database.
    pub database_url: String,
    /// The SMTP sink the server delivers to (unless a test configured another server).
    pub mail: MailSink,
    /// The administrator's access token, made once.
    admin: tokio::sync::OnceCell<String>,
    /// The last two-factor step the administrator signed in with: each code works once.
    admin_step: std::sync::Mutex<Option<i64>>,
}

/// Starts the application on a random port with a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with changed settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_on(fresh_database().await, configure).await
}

/// Starts the application on an existing database, delivering mail to a sink of its own.
pub async fn spawn_app_on(database_url: String, configure: impl FnOnce(&mut Settings)) -> TestApp {
    koppel_api::webhook_delivery::install_tls_provider();
    let (mail, mail_address) = MailSink::start("127.0.0.1:0", None).await.unwrap();
    let mut settings = Settings::local(&database_url);
    settings.smtp_url = Some(SecretString::from(format!("smtp://{mail_address}")));
    settings.mail_poll_ms = 100;
    settings.webhook_poll_ms = 50;
    settings.webhook_first_retry_ms = 100;
    settings.webhook_allow_loopback_http = true;
    settings.jwt_secret = Some(SecretString::from(
        "integration-test-secret-0123456789abcdef",
    ));
    settings.bootstrap_admin_email = Some(ADMIN_EMAIL.to_owned());
    settings.bootstrap_admin_password = Some(SecretString::from(PASSWORD));
    settings.bootstrap_admin_totp_secret = Some(SecretString::from(ADMIN_TOTP_SECRET));
    settings.spa_dir = std::env::temp_dir().join("koppel-tests-no-spa");
    configure(&mut settings);
    let application = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let db = application.db().clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        db,
        // Idle connections are dropped before the server's 5 s keep-alive ends them, so a
        // request after a longer pause never goes out on a connection the server is closing.
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        database_url,
        mail,
        admin: tokio::sync::OnceCell::new(),
        admin_step: std::sync::Mutex::new(None),
    }
}

/// A new SQLite file, or a new database on the PostgreSQL server of `KOPPEL_TEST_DATABASE_URL`.
async fn fresh_database() -> String {
    let name = format!("koppel_test_{}", Uuid::new_v4().simple());
    match std::env::var("KOPPEL_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let admin = Database::connect(&server)
                .await
                .expect("PostgreSQL is reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("the test database is created");
            admin.close().await.ok();
            let (base, _) = server.rsplit_once('/').expect("URL has a database name");
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("koppel-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/{name}.db?mode=rwc", dir.display())
        }
    }
}

impl TestApp {
    /// Full URL of an `/api/v1` path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// DELETE with an optional bearer token.
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// POST a JSON body with an optional bearer token.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// POST a raw body of a given content type (CSV imports, wrong types) with an optional token.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Signs in (the administrator with a fresh two-factor code); panics unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) -> TokenResponse {
        let response = self
            .post("/auth/login", None, &self.login_body(email, password).await)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email} failed");
        response.json().await.unwrap()
    }

    /// The body of a sign-in: for the administrator with a code of a step not used before.
    pub async fn login_body(&self, email: &str, password: &str) -> Value {
        if email == ADMIN_EMAIL {
            let code = self.admin_code().await;
            serde_json::json!({"email": email, "password": password, "one_time_code": code})
        } else {
            serde_json::json!({"email": email, "password": password})
        }
    }

    /// A two-factor code of the administrator that was not used before: the server accepts the
    /// current step and one either side, each once, so a third sign-in within one step waits
    /// for the next.
    pub async fn admin_code(&self) -> String {
        let secret = TotpSecret::from_base32(ADMIN_TOTP_SECRET).unwrap();
        loop {
            let now = totp::step_of(Utc::now());
            let step = {
                let mut last = self.admin_step.lock().unwrap();
                // Not the previous step: the server's may move on before it checks the code.
                let next = last.map_or(now, |last| (last + 1).max(now));
                if next <= now + 1 {
                    *last = Some(next);
                    Some(next)
                } else {
                    None
                }
            };
            match step {
                Some(step) => return secret.code(step),
                None => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
            }
        }
    }

    /// An access token of the bootstrap administrator (one sign-in per app).
    pub async fn admin_token(&self) -> String {
        self.admin
            .get_or_init(|| async { self.login(ADMIN_EMAIL, PASSWORD).await.access_token })
            .await
            .clone()
    }

    /// Creates an institute straight in the store.
    pub async fn create_institute(&self, name: &str) -> Uuid {
        store::institutes::insert(&self.db, &DisplayName::parse(name).unwrap(), Utc::now())
            .await
            .unwrap()
            .id
    }

    /// Creates an active account straight in the store and signs it in.
    pub async fn user_token(&self, role: Role, institute_id: Option<Uuid>) -> String {
        let email = format!("{}-{}@koppel.test", role.as_str(), Uuid::new_v4().simple());
        self.create_user(&email, role, institute_id).await;
        self.login(&email, PASSWORD).await.access_token
    }

    /// Creates an active account straight in the store.
    pub async fn create_user(&self, email: &str, role: Role, institute_id: Option<Uuid>) -> Uuid {
        store::users::insert(
            &self.db,
            store::users::NewUser {
                institute_id,
                email: &EmailAddress::parse(email).unwrap(),
                display_name: &DisplayName::parse("Test Gebruiker").unwrap(),
                role,
                status: UserStatus::Active,
                password_hash: Some(PASSWORD_HASH.clone()),
                locale: Locale::Nl,
            },
            Utc::now(),
        )
        .await
        .unwrap()
        .id
    }

    /// Every mail in the outbox, oldest first.
    pub async fn outbox(&self) -> Vec<outbox::Model> {
        outbox::Entity::find()
            .order_by_asc(outbox::Column::CreatedAt)
            .all(&self.db)
            .await
            .unwrap()
    }
}

impl TestApp {
    /// The newest mail delivered to `email` whose body contains `text`, waiting up to 20 s for it.
    pub async fn mail_to(&self, email: &str, text: &str) -> ReceivedMail {
        for _ in 0..400 {
            if let Some(mail) =
                self.mail.received().into_iter().rev().find(|mail| {
                    mail.recipients.iter().any(|r| r == email) && mail.body.contains(text)
                })
            {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no mail to {email} containing '{text}' arrived");
    }

    /// The token of the newest one-time link (`/activate` or `/reset`) mailed to `email`.
    pub async fn token_from_mail(&self, email: &str, path: &str) -> String {
        let marker = format!("{path}?token=");
        let mail = self.mail_to(email, &marker).await;
        mail.body
            .split(&marker)
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_owned()
    }

    /// Activates the account invited at `email` with the link from its invitation mail, as
    /// delivered, and answers an access token.
    pub async fn activate_from_mail(&self, email: &str) -> String {
        let token = self.token_from_mail(email, "/activate").await;
        let response = self
            .post(
                "/auth/activate",
                None,
                &serde_json::json!({"token": token, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "activation of {email}");
        response.json::<TokenResponse>().await.unwrap().access_token
    }
}

/// Asserts a problem response and returns it.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Problem {
    assert_eq!(response.status(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "unexpected problem: {body}");
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["type"], format!("urn:koppel:problem:{code}"));
    serde_json::from_value(body).unwrap()
}

/// The key the test servers seal two-factor secrets with (none is configured: the development
/// key).
pub fn totp_key() -> totp::SealingKey {
    Settings::local("sqlite::memory:").totp_sealing_key()
}

/// The `id` of a successful answer's body.
pub async fn id_of(response: Response) -> Uuid {
    assert!(response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

impl TestApp {
    /// Creates a trainer eligible for years 1 and 3 through the API (`token`: the O-team's).
    pub async fn new_trainer(&self, institute: Uuid, token: &str, name: &str, email: &str) -> Uuid {
        let body = serde_json::json!({"name": name, "email": email, "eligible_year1": true, "eligible_year3": true});
        id_of(
            self.post(
                &format!("/institutes/{institute}/trainers"),
                Some(token),
                &body,
            )
            .await,
        )
        .await
    }

    /// Creates a trainee through the API (`token`: the A-team's).
    pub async fn new_trainee(
        &self,
        institute: Uuid,
        token: &str,
        name: &str,
        email: &str,
        training_start: &str,
    ) -> Uuid {
        let body =
            serde_json::json!({"name": name, "email": email, "training_start": training_start});
        id_of(
            self.post(
                &format!("/institutes/{institute}/trainees"),
                Some(token),
                &body,
            )
            .await,
        )
        .await
    }

    /// Creates a round in draft through the API (`token`: a coordinator's).
    pub async fn new_round(&self, institute: Uuid, token: &str, month: &str, year: i32) -> Uuid {
        let body = serde_json::json!({"start_month": month, "start_year": year});
        id_of(
            self.post(
                &format!("/institutes/{institute}/rounds"),
                Some(token),
                &body,
            )
            .await,
        )
        .await
    }

    /// Adds a trainee to a round (`token`: the A-team's); panics unless added.
    pub async fn add_round_trainee(&self, round: Uuid, token: &str, trainee: Uuid) {
        let added = self
            .post(
                &format!("/rounds/{round}/trainees"),
                Some(token),
                &serde_json::json!({"trainee_id": trainee}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT, "trainee {trainee}");
    }

    /// Adds a trainer to a round (`token`: the O-team's); panics unless added.
    pub async fn add_round_trainer(&self, round: Uuid, token: &str, trainer: Uuid) {
        let added = self
            .post(
                &format!("/rounds/{round}/trainers"),
                Some(token),
                &serde_json::json!({"trainer_id": trainer}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::NO_CONTENT, "trainer {trainer}");
    }
}

/// A file of the repository, by its path from the root, in the checkout that runs the test:
/// `CARGO_MANIFEST_DIR` as cargo sets it when running tests, not as it was at compile time,
/// because the shared target folder may hold a test binary built from another checkout.
pub fn repository_file(path: &str) -> PathBuf {
    PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../..")
    .join(path)
}
