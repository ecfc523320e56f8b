//! Serving the built SPA: fingerprinted files kept by browsers for a year and sent gzipped as
//! built, `index.html` asked for again each time and for every deep link, a missing file a 404.

use std::io::Read;

use crate::helpers::spawn_app_with;

const SCRIPT: &str = "export default function init() { return 'koppel'; }\n";
/// What the build's gzip copy holds: the script plus a marker, so that a test tells the copy
/// from the same script compressed on the fly.
const BUILT_COPY: &str = "export default function init() { return 'koppel'; }\n// built\n";

/// A dist folder as `just build-spa` leaves it: index.html, a fingerprinted script with its
/// gzip copy, and a file without fingerprint or copy.
fn dist() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("koppel-spa-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><script type=\"module\" src=\"/boot.0123456789abcdef.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.join("boot.0123456789abcdef.js"), SCRIPT).unwrap();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gzip, BUILT_COPY.as_bytes()).unwrap();
    std::fs::write(
        dir.join("boot.0123456789abcdef.js.gz"),
        gzip.finish().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("robots.txt"), "User-agent: *\n").unwrap();
    dir
}

#[tokio::test]
async fn fingerprinted_files_are_immutable_and_sent_gzipped_as_built() {
    let dir = dist();
    let app = spawn_app_with(|settings| settings.spa_dir = dir.clone()).await;
    let url = format!("{}/boot.0123456789abcdef.js", app.address);

    let response = app
        .client
        .get(&url)
        .header("accept-encoding", "br;q=1, gzip;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["vary"], "accept-encoding");
    let body = response.bytes().await.unwrap();
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut unpacked)
        .unwrap();
    assert_eq!(
        unpacked, BUILT_COPY,
        "the build's copy, not compressed again"
    );

    // Without gzip, or refusing it: the file itself.
    for accept in [None, Some("gzip;q=0, identity")] {
        let mut request = app.client.get(&url);
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.headers().get("content-encoding").is_none(),
            "{accept:?}"
        );
        assert_eq!(response.text().await.unwrap(), SCRIPT);
    }

    // A file without fingerprint is asked for again each time.
    let response = app
        .client
        .get(format!("{}/robots.txt", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.text().await.unwrap(), "User-agent: *\n");
}

#[tokio::test]
async fn index_html_answers_deep_links_and_is_revalidated() {
    let dir = dist();
    let app = spawn_app_with(|settings| settings.spa_dir = dir.clone()).await;
    for path in [
        "/",
        "/login",
        "/rounds/4f2c3c9e-0a6e-4a4e-9d38-2d1c3f0e8b11",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("boot.0123456789abcdef.js")
        );

        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
    }

    // A file an old build named is gone: a 404, not the app (a module would not load from it).
    let response = app
        .client
        .get(format!("{}/koppel_bg.ffffffffffffffff.wasm", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    // HEAD works as GET without body.
    let response = app
        .client
        .head(format!("{}/boot.0123456789abcdef.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // Other methods are not for static files.
    let response = app
        .client
        .post(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn without_a_built_app_the_server_says_how_to_build_it() {
    let app = spawn_app_with(|_| {}).await;
    let response = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("just run"));
}
