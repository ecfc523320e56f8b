//! Serves the built SPA (`just build-spa`): its files, and `index.html` for every other path so
//! that deep links (`/rounds/42`) load the app, whose router takes over.
//!
//! The folder is read into memory once at start: a handful of files, a few megabytes. Files whose
//! name carries their content's hash (`koppel-participant_bg.<16 hex>.wasm`) never change under
//! that name, so browsers may keep them for a year without asking again; `index.html`, which
//! names them, is asked for again each time (`no-cache`, answered `304` while it is unchanged).
//! The build leaves a gzip copy beside each file (`.gz`); it goes to browsers that accept gzip
//! as is, instead of the response being compressed again on every request.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Koppel</title>\
<p>The Koppel app has not been built. Run <code>just run</code>, or see the API docs at \
<a href=\"/api/docs/\">/api/docs/</a>.</p></html>";

/// How long browsers keep a fingerprinted file: a year, the longest RFC 9111 suggests.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One file of the SPA.
struct Asset {
    content_type: &'static str,
    body: web::Bytes,
    gzipped: Option<web::Bytes>,
    etag: HeaderValue,
    cache_control: &'static str,
}

/// The SPA's files by name, read at start.
#[derive(Clone, Default)]
pub struct Assets {
    files: Arc<HashMap<String, Asset>>,
}

impl Assets {
    /// Reads the files of `dir`; none when it does not exist (the app has not been built), so
    /// that the API still serves.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(error) => return Err(error),
        };
        let mut files = HashMap::new();
        for entry in entries {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.ends_with(".gz") || name.starts_with('.') || !entry.file_type()?.is_file() {
                continue;
            }
            let body = web::Bytes::from(std::fs::read(entry.path())?);
            let gzipped = match std::fs::read(dir.join(format!("{name}.gz"))) {
                Ok(bytes) => Some(web::Bytes::from(bytes)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
                Err(error) => return Err(error),
            };
            let digest = Sha256::digest(&body);
            let etag = digest[..12]
                .iter()
                .fold(String::from("\""), |mut tag, byte| {
                    tag.push_str(&format!("{byte:02x}"));
                    tag
                })
                + "\"";
            let asset = Asset {
                content_type: content_type(&name),
                gzipped,
                etag: HeaderValue::from_str(&etag).map_err(std::io::Error::other)?,
                cache_control: if is_fingerprinted(&name) {
                    IMMUTABLE
                } else {
                    "no-cache"
                },
                body,
            };
            files.insert(name, asset);
        }
        Ok(Self {
            files: Arc::new(files),
        })
    }
}

/// Whether a file name carries its content's hash: `name.<16 hex digits>.ext`.
fn is_fingerprinted(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (Some(_extension), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether the request accepts gzip (`Accept-Encoding`, a `q=0` refusing it).
fn accepts_gzip(request: &HttpRequest) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|parameter| {
                parameter
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// Answers `GET` and `HEAD` for the SPA.
pub async fn serve(request: HttpRequest, assets: web::Data<Assets>) -> HttpResponse {
    let name = request.path().trim_start_matches('/');
    let asset = match assets.files.get(name) {
        Some(asset) => asset,
        // A missing file (an old build's, after an update) is not the app.
        None if name
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.')) =>
        {
            return HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body("No such file.");
        }
        None => match assets.files.get("index.html") {
            Some(index) => index,
            None => {
                return HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .insert_header((header::CACHE_CONTROL, "no-cache"))
                    .body(NOT_BUILT);
            }
        },
    };
    let mut response = if request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tags| {
            tags.to_str().is_ok_and(|tags| {
                tags.split(',')
                    .any(|tag| tag.trim() == "*" || tag.trim().as_bytes() == asset.etag.as_bytes())
            })
        }) {
        HttpResponse::NotModified().finish()
    } else {
        let mut response = HttpResponse::Ok();
        response.insert_header((header::CONTENT_TYPE, asset.content_type));
        match &asset.gzipped {
            Some(gzipped) if accepts_gzip(&request) => {
                response.insert_header((header::CONTENT_ENCODING, "gzip"));
                response.body(gzipped.clone())
            }
            _ => response.body(asset.body.clone()),
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, asset.etag.clone());
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(asset.cache_control),
    );
    if asset.gzipped.is_some() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_names_carry_sixteen_hex_digits() {
        assert!(is_fingerprinted("koppel-admin_bg.fb943dcdefcc1e07.wasm"));
        assert!(is_fingerprinted("style.9618496b693dc401.css"));
        assert!(!is_fingerprinted("index.html"));
        assert!(!is_fingerprinted("boot.js"));
        assert!(!is_fingerprinted("style.9618496b693dc40.css"));
        assert!(!is_fingerprinted("style.9618496b693dc4zz.css"));
    }
}
