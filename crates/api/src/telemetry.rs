//! Logging: one function sets up the subscriber; handlers add `#[tracing::instrument]` spans and
//! every request carries a request id (see `startup`).

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` overrides the default filter. Calling it twice
/// (as tests do) keeps the first subscriber.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // Ignoring the error is deliberate: it only says a subscriber is already installed.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The root span of each request, as `tracing_actix_web`'s default but without the query
/// string: it can hold a calendar feed's secret (`?key=`) or a search for someone's name, and
/// logs must hold neither. Also without the client address and user agent (personal data the
/// access log does not need). The route template is recorded when the request has been routed:
/// found then by the route's index, where before routing it takes a regex search over every
/// route (6 % of a read's CPU time under load), and not at all when the span is not logged.
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = tracing::field::Empty,
            http.target = %request.path(),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        if !span.is_disabled() {
            let route = outcome
                .as_ref()
                .ok()
                .and_then(|response| response.request().match_pattern());
            span.record(
                "http.route",
                tracing::field::display(route.as_deref().unwrap_or("default")),
            );
        }
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use tracing_actix_web::RootSpanBuilder;

    use super::RequestSpan;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_request_span_leaves_the_query_out_of_the_logs() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let request = actix_web::test::TestRequest::with_uri(
            "/api/v1/me/calendar.ics?key=the-feed-secret&q=Jansen",
        )
        .to_srv_request();
        tracing::subscriber::with_default(subscriber, || {
            let span = RequestSpan::on_request_start(&request);
            let _entered = span.enter();
            tracing::info!("answered");
        });
        let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(logged.contains("/api/v1/me/calendar.ics"), "{logged}");
        assert!(!logged.contains("the-feed-secret"), "{logged}");
        assert!(!logged.contains("Jansen"), "{logged}");
    }

    #[actix_web::test]
    async fn the_request_span_names_the_route_template_once_routed() {
        use actix_web::{App, HttpResponse, test, web};
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(tracing_actix_web::TracingLogger::<RequestSpan>::new())
                .route(
                    "/rounds/{round_id}/preferences/mine",
                    web::get().to(HttpResponse::Ok),
                ),
        )
        .await;
        let request = test::TestRequest::with_uri("/rounds/42/preferences/mine").to_request();
        assert!(
            test::call_service(&app, request)
                .await
                .status()
                .is_success()
        );
        let request = test::TestRequest::with_uri("/nowhere").to_request();
        test::call_service(&app, request).await;
        let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(
            logged.contains("http.route=/rounds/{round_id}/preferences/mine"),
            "{logged}"
        );
        assert!(logged.contains("http.route=default"), "{logged}");
    }
}
