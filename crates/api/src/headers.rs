//! Security headers on every answer, beside those `DefaultHeaders` adds to all (`nosniff`,
//! `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`):
//!
//! - a Content-Security-Policy per kind of answer: the SPA may run only its own scripts and
//!   WebAssembly (no inline script, no `eval`), style itself only from its own stylesheet, and
//!   talk only to its own origin; API answers may load nothing; nothing may be framed (a
//!   handler may set a stricter policy of its own, as for stored files);
//! - `Cache-Control: no-store` on API answers, which carry personal data, unless the handler set
//!   its own;
//! - `Strict-Transport-Security` when the public URL is https.

use actix_web::http::header::{self, HeaderMap, HeaderValue};

/// The SPA's policy. `wasm-unsafe-eval` allows compiling the app's own WebAssembly, nothing else.
pub const SPA_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// API answers are data: they may load nothing.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The API docs (Swagger UI) bring their own inline set-up script; they may still not be framed.
pub const DOCS_POLICY: &str = "frame-ancestors 'none'";

/// HSTS for a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Adds the headers for an answer to `path`.
pub fn secure(path: &str, headers: &mut HeaderMap, https: bool) {
    let (policy, no_store) = if path.starts_with("/api/docs") {
        (DOCS_POLICY, false)
    } else if path.starts_with("/api/") {
        (API_POLICY, true)
    } else {
        (SPA_POLICY, false)
    };
    // A handler may set a stricter one (stored files are sandboxed).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    if no_store && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}
