//! Serves the built SPA: static files, and `index.html` for every other path so that deep links
//! (`/rounds/42`) load the app, whose router takes over.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::HttpResponse;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header;

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Koppel</title>\
<p>The Koppel app has not been built. Run <code>just run</code>, or see the API docs at \
<a href=\"/api/docs/\">/api/docs/</a>.</p></html>";

/// The static-file service with the SPA fallback.
pub fn service(dir: &Path) -> Files {
    let index: PathBuf = dir.join("index.html");
    Files::new("/", dir)
        .index_file("index.html")
        .use_last_modified(true)
        .default_handler(fn_service(move |request: ServiceRequest| {
            let index = index.clone();
            async move {
                let (request, _) = request.into_parts();
                let opened = actix_web::web::block(move || NamedFile::open(index)).await;
                let response = match opened.map_err(std::io::Error::other).and_then(|file| file) {
                    Ok(file) => {
                        let mut response = file.into_response(&request);
                        response.headers_mut().insert(
                            header::CACHE_CONTROL,
                            header::HeaderValue::from_static("no-cache"),
                        );
                        response
                    }
                    Err(_) => HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(NOT_BUILT),
                };
                Ok(ServiceResponse::new(request, response))
            }
        }))
}
