//! Builds the application: database, migrations, state, middleware and routes.
//!
//! `Application::build(settings)` binds (port 0 picks a free port, as the tests do), `port()`
//! reports the real port and `run_until_stopped()` serves until SIGINT/SIGTERM, then drains
//! in-flight requests (graceful shutdown).

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::{Server, Service};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{Compress, Condition, DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::JwtKeys;
use crate::config::Settings;
use crate::error::{self, ApiError};
use crate::extract::JSON_LIMIT;
use crate::state::AppState;
use crate::{openapi, routes, services, spa, store};

/// Shortest `KOPPEL_JWT_SECRET` accepted: HS256 keys should carry at least 256 bits.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    workers: crate::workers::Workers,
}

impl Application {
    /// Connects and migrates the database, creates the bootstrap administrator when configured,
    /// and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        crate::webhook_delivery::install_tls_provider();
        let cors_origins = validated_origins(&settings.cors_origins)?;
        let db = store::connect(settings.database_url.expose_secret()).await?;
        store::migrate(&db).await?;
        match (
            &settings.bootstrap_admin_email,
            &settings.bootstrap_admin_password,
        ) {
            (Some(email), Some(password)) => {
                services::auth::bootstrap_admin(
                    &db,
                    email,
                    password,
                    settings.bootstrap_admin_totp_secret.as_ref(),
                    &settings.totp_sealing_key(),
                )
                .await?;
            }
            (None, None) => {}
            _ => anyhow::bail!(
                "set both KOPPEL_BOOTSTRAP_ADMIN_EMAIL and KOPPEL_BOOTSTRAP_ADMIN_PASSWORD, or neither"
            ),
        }
        if let Some(secret) = &settings.jwt_secret
            && secret.expose_secret().len() < MIN_JWT_SECRET_BYTES
        {
            anyhow::bail!(
                "KOPPEL_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes (a random 256-bit value); \
                 a shorter secret can be guessed offline from any access token"
            );
        }
        match &settings.totp_key {
            Some(key) if key.expose_secret().len() < MIN_JWT_SECRET_BYTES => anyhow::bail!(
                "KOPPEL_TOTP_KEY must be at least {MIN_JWT_SECRET_BYTES} bytes (a random 256-bit value)"
            ),
            Some(_) => {}
            None => tracing::warn!(
                "KOPPEL_TOTP_KEY is not set: two-factor secrets are sealed with the public development key; set it on a real installation"
            ),
        }
        if let Some(key) = &settings.lottery_key
            && key.expose_secret().len() < MIN_JWT_SECRET_BYTES
        {
            anyhow::bail!(
                "KOPPEL_LOTTERY_KEY must be at least {MIN_JWT_SECRET_BYTES} bytes (a random 256-bit value)"
            );
        }
        let jwt_secret = settings.jwt_secret.clone().unwrap_or_else(|| {
            tracing::warn!(
                "KOPPEL_JWT_SECRET is not set: using a random secret, so sign-ins end at restart (and, without KOPPEL_LOTTERY_KEY, a committed lottery can no longer be drawn)"
            );
            SecretString::from(URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>()))
        });
        let state = web::Data::new(AppState {
            db: db.clone(),
            reads: store::Reads::new(settings.database_url.expose_secret(), db.clone())?,
            jwt: JwtKeys::new(&jwt_secret),
            public_url: settings.public_url.clone(),
            smtp_configured: settings.smtp_url.is_some(),
            simulations: Default::default(),
            solvers: crate::solving::Solvers::new(
                settings.solve_concurrency(),
                settings.solve_time_limit()?,
            ),
            passwords: crate::auth::password::Slots::new(settings.hash_concurrency()),
            lottery_key: crate::auth::lottery_key::LotteryKey::from_secret(
                settings.lottery_key.as_ref().unwrap_or(&jwt_secret),
            ),
            behind_proxy: settings.behind_proxy,
            totp_key: settings.totp_sealing_key(),
            accounts: crate::auth::accounts::AccountCache::default(),
            write_turns: crate::store::WriteTurns::for_database(
                settings.database_url.expose_secret(),
                &db,
            )?,
            webhooks_allow_loopback_http: settings.webhook_allow_loopback_http,
        });
        let workers = crate::workers::Workers::start(&settings, state.clone())?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {} (KOPPEL_BIND)", settings.bind))?;
        let port = listener.local_addr()?.port();
        let document = openapi::document();
        let route_table = web::Data::new(routes::fallback::RouteTable::from_openapi(&document));
        let assets = web::Data::new(crate::spa::Assets::load(&settings.spa_dir).with_context(
            || {
                format!(
                    "cannot read the app's files in {}",
                    settings.spa_dir.display()
                )
            },
        )?);
        let https = settings.public_url.starts_with("https://");

        let server = HttpServer::new(move || {
            let cors = cors_origins
                .iter()
                .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
                .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
                .allowed_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    header::ACCEPT,
                    HeaderName::from_static(routes::auth::COOKIE_MODE_HEADER),
                ])
                .expose_headers([header::LOCATION, HeaderName::from_static("x-request-id")])
                .max_age(3600);
            App::new()
                .app_data(state.clone())
                // The account middleware reads it too, to check API keys' scopes.
                .app_data(route_table.clone())
                .app_data(web::PayloadConfig::new(JSON_LIMIT))
                .app_data(web::PathConfig::default().error_handler(|error, _| {
                    ApiError::NotFound(format!("no resource matches this path: {error}")).into()
                }))
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|error, _| ApiError::field("query", error).into()),
                )
                .wrap(actix_web::middleware::from_fn(
                    crate::extract::current_account,
                ))
                .wrap(ErrorHandlers::new().default_handler(error::ensure_problem_body))
                .wrap(Condition::new(!cors_origins.is_empty(), cors))
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::REFERRER_POLICY, "no-referrer"))
                        .add((header::X_FRAME_OPTIONS, "DENY")),
                )
                .wrap_fn(move |request, service| {
                    let request_id = request.extensions().get::<RequestId>().copied();
                    let path = request.path().to_owned();
                    let response = service.call(request);
                    async move {
                        let mut response = response.await?;
                        crate::headers::secure(&path, response.headers_mut(), https);
                        if let Some(id) = request_id
                            && let Ok(value) = HeaderValue::from_str(&id.to_string())
                        {
                            response
                                .headers_mut()
                                .insert(HeaderName::from_static("x-request-id"), value);
                        }
                        Ok(response)
                    }
                })
                .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
                .into_utoipa_app()
                .service(
                    scope::scope("/api/v1")
                        .app_data(route_table.clone())
                        .configure(routes::configure)
                        .default_service(web::to(routes::fallback::unmatched)),
                )
                .into_app()
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", document.clone()),
                )
                .route(
                    "/api/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header((header::LOCATION, "/api/docs/"))
                            .finish()
                    }),
                )
                .service(web::scope("/api"))
                .service(
                    web::resource("/{path:.*}")
                        .app_data(assets.clone())
                        .route(web::get().to(spa::serve))
                        .route(web::head().to(spa::serve)),
                )
        })
        .listen(listener)?
        .shutdown_timeout(20)
        .run();

        Ok(Self {
            port,
            server,
            db,
            workers,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database pool, for tools and tests.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until the process is asked to stop; then stops the mail worker and the offers,
    /// retention and calendar tasks.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.workers.stop();
        result
    }
}

/// CORS origins must be exact origins (`https://host[:port]`); anything else is refused at start
/// rather than silently ignored.
fn validated_origins(origins: &[String]) -> anyhow::Result<Vec<String>> {
    origins
        .iter()
        .map(|origin| origin.trim())
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let scheme_ok = origin.starts_with("https://") || origin.starts_with("http://");
            let host = origin.split_once("://").map(|(_, host)| host).unwrap_or("");
            if scheme_ok && !host.is_empty() && !host.contains('/') && origin != "*" {
                Ok(origin.to_owned())
            } else {
                anyhow::bail!(
                    "KOPPEL_CORS_ORIGINS: '{origin}' is not an origin like https://app.example.nl"
                )
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::validated_origins;

    #[test]
    fn cors_origins_must_be_exact_origins() {
        let ok = validated_origins(&[
            "https://app.example.nl".into(),
            " http://localhost:5173 ".into(),
            "".into(),
        ])
        .unwrap();
        assert_eq!(ok, ["https://app.example.nl", "http://localhost:5173"]);
        for bad in [
            "*",
            "app.example.nl",
            "https://app.example.nl/path",
            "https://",
        ] {
            assert!(
                validated_origins(&[bad.into()]).is_err(),
                "{bad} should be refused"
            );
        }
    }
}
