//! Route handlers of `/api/v1`, each annotated for OpenAPI and registered in [`configure`], so
//! that routes and their documentation cannot drift apart.

pub mod auth;
pub mod health;
pub mod institutes;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/api/v1` handler.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::activate)
        .service(auth::me)
        .service(institutes::list_institutes)
        .service(institutes::create_institute)
        .service(institutes::get_institute)
        .service(institutes::list_users)
        .service(institutes::invite_user);
}
