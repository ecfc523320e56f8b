//! Route handlers of `/api/v1`, each annotated for OpenAPI and registered in [`configure`], so
//! that routes and their documentation cannot drift apart.

pub mod auth;
pub mod health;
pub mod institutes;
pub mod solve;

use actix_web::web;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::extract::JsonLimit;

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
        .service(institutes::invite_user)
        .service(
            scope::scope("/solve")
                .app_data(web::PayloadConfig::new(solve::SOLVE_LIMIT))
                .app_data(JsonLimit(solve::SOLVE_LIMIT))
                .service(solve::solve_coupling)
                .service(solve::solve_interviews)
                .service(solve::solve_lottery),
        );
}
