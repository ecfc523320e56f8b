//! Security headers: a strict Content-Security-Policy on the SPA (no inline script), none of the
//! API's answers cached, nothing framed, HSTS behind https.

use koppel_api_types::Role;
use reqwest::header::HeaderMap;

use crate::helpers::{spawn_app, spawn_app_with};

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn api_answers_are_never_cached_nor_framed_and_may_load_nothing() {
    let app = spawn_app().await;
    let institute = app.create_institute("Huisartsopleiding Oost").await;
    let token = app.user_token(Role::Trainee, Some(institute)).await;
    for (path, token) in [
        ("/me", Some(token.as_str())),
        ("/me", None),
        ("/health", None),
    ] {
        let response = app.get(path, token).await;
        let headers = response.headers();
        assert_eq!(header(headers, "cache-control"), "no-store", "{path}");
        assert_eq!(
            header(headers, "content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(header(headers, "x-frame-options"), "DENY");
        assert_eq!(header(headers, "referrer-policy"), "no-referrer");
        assert_eq!(header(headers, "x-content-type-options"), "nosniff");
        assert!(headers.get("strict-transport-security").is_none());
    }
}

#[tokio::test]
async fn the_spa_may_run_only_its_own_scripts() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    let policy = header(response.headers(), "content-security-policy").to_owned();
    let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
    assert!(
        directives.contains(&"script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert!(directives.contains(&"style-src 'self'"), "{policy}");
    assert!(directives.contains(&"frame-ancestors 'none'"), "{policy}");
    assert!(directives.contains(&"object-src 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));

    // And the page itself has no inline script for the policy to forbid.
    let index =
        std::fs::read_to_string(crate::helpers::repository_file("frontend/index.html")).unwrap();
    let scripts: Vec<&str> = index.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        let (tag, rest) = script.split_once('>').unwrap();
        assert!(tag.contains("src="), "inline script: <script{tag}>");
        assert!(
            rest.trim_start().starts_with("</script>"),
            "inline script body"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let app = spawn_app_with(|settings| {
        settings.public_url = "https://koppel.example.nl".to_owned();
    })
    .await;
    let response = app.get("/health", None).await;
    assert_eq!(
        header(response.headers(), "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
}
