//! Route handlers of `/api/v1`, each annotated for OpenAPI and registered in [`configure`], so
//! that routes and their documentation cannot drift apart.

pub mod auth;
pub mod availability;
pub mod calendar;
pub mod coupling;
pub mod csv;
pub mod fallback;
pub mod handover;
pub mod health;
pub mod institutes;
pub mod lotteries;
pub mod messages;
pub mod people;
pub mod profiles;
pub mod rounds;
pub mod sheet;
pub mod solve;
pub mod statistics;
pub mod steps;
pub mod two_factor;
pub mod webhooks;

use actix_web::web;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::extract::JsonLimit;

/// Registers every `/api/v1` handler. The routes under one round, institute or lottery share a
/// scope: a request is matched against the scope's pattern once and then against the routes in
/// it, not against every route of the API (matching was a fifth of a read's own CPU time).
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(statistics::index)
        .service(statistics::round)
        .service(statistics::lottery)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::activate)
        .service(auth::request_password_reset)
        .service(auth::reset_password)
        .service(auth::me)
        .service(auth::update_me)
        .service(auth::change_password)
        .service(auth::export_my_data)
        .service(calendar::get_calendar_feed)
        .service(calendar::create_calendar_feed)
        .service(calendar::revoke_calendar_feed)
        .service(calendar::calendar_feed)
        .service(two_factor::my_two_factor)
        .service(two_factor::start_enrolment)
        .service(two_factor::confirm)
        .service(two_factor::turn_off)
        .service(institutes::list_institutes)
        .service(institutes::create_institute)
        .service(institutes::list_platform_outbox)
        .service(profiles::my_trainee_profile)
        .service(profiles::save_my_trainee_profile)
        .service(profiles::upload_cv)
        .service(profiles::upload_photo)
        .service(profiles::my_trainer_profile)
        .service(profiles::save_my_trainer_profile)
        .service(rounds::list_my_rounds)
        .service(availability::list_my_availability_requests)
        .service(lotteries::list_lotteries)
        .service(lotteries::create_lottery)
        .service(lotteries::my_lottery)
        .service(
            scope::scope("/rounds/{round_id}")
                .service(rounds::get_round)
                .service(rounds::hold_round)
                .service(availability::request_availability)
                .service(availability::answer_availability)
                .service(rounds::transition_round)
                .service(rounds::due_trainees)
                .service(rounds::candidate_trainers)
                .service(rounds::add_round_trainee)
                .service(rounds::add_round_trainer)
                .service(rounds::set_trainer_capacity)
                .service(rounds::round_audit_log)
                .service(steps::rankable_trainers)
                .service(steps::submit_preferences)
                .service(steps::my_preferences)
                .service(steps::round_preferences)
                .service(steps::export_round_preferences)
                .service(steps::generate_proposal)
                .service(steps::adjust_proposal)
                .service(steps::publish_proposal)
                .service(steps::my_interviews)
                .service(steps::record_interview)
                .service(steps::round_progress)
                .service(steps::send_reminders)
                .service(messages::send_message)
                .service(coupling::submit_final_ranking)
                .service(coupling::my_final_ranking)
                .service(coupling::declare_veto)
                .service(coupling::list_vetoes)
                .service(coupling::create_run)
                .service(coupling::list_runs)
                .service(coupling::get_run)
                .service(coupling::export_run)
                .service(coupling::export_final_rankings)
                .service(coupling::get_run_verification)
                .service(coupling::publish_run)
                .service(coupling::my_coupling)
                .service(coupling::withdraw)
                .service(coupling::manual_coupling)
                .default_service(web::to(fallback::unmatched)),
        )
        .service(
            scope::scope("/institutes/{institute_id}")
                .service(institutes::get_institute)
                .service(institutes::update_institute)
                .service(institutes::list_users)
                .service(institutes::invite_user)
                .service(institutes::update_user)
                .service(institutes::list_outbox)
                .service(institutes::create_api_key)
                .service(institutes::list_api_keys)
                .service(institutes::revoke_api_key)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::delete_webhook)
                .service(webhooks::list_webhook_deliveries)
                .service(webhooks::redeliver_webhook)
                .service(webhooks::test_webhook)
                .service(statistics::trends)
                // Fixed paths before `{trainee_id}`/`{trainer_id}`, so `import` and `export`
                // match first.
                .service(people::import_trainees)
                .service(people::export_trainees)
                .service(people::list_trainees)
                .service(people::create_trainee)
                .service(people::get_trainee)
                .service(people::update_trainee)
                .service(people::anonymise_trainee)
                .service(people::import_trainers)
                .service(people::export_trainers)
                .service(people::list_trainers)
                .service(people::create_trainer)
                .service(people::get_trainer)
                .service(people::update_trainer)
                .service(people::anonymise_trainer)
                .service(profiles::get_trainee_profile)
                .service(profiles::trainee_cv)
                .service(profiles::trainee_photo)
                .service(profiles::get_trainer_profile)
                .service(people::list_practices)
                .service(people::create_practice)
                .service(people::update_practice)
                .service(rounds::list_rounds)
                .service(rounds::create_round)
                .service(handover::list_placed_candidates)
                .service(handover::import_placed_candidates)
                .default_service(web::to(fallback::unmatched)),
        )
        .service(
            scope::scope("/lotteries/{lottery_id}")
                .service(handover::link_lottery_location)
                .service(handover::hand_over_lottery)
                .service(lotteries::get_lottery)
                .service(lotteries::list_locations)
                .service(lotteries::set_locations)
                .service(lotteries::import_candidates)
                .service(lotteries::list_candidates)
                .service(lotteries::carry_over)
                .service(lotteries::commit)
                .service(lotteries::draw)
                .service(lotteries::verification)
                .service(lotteries::list_offers)
                .service(lotteries::decide_offer)
                .service(lotteries::report)
                .service(lotteries::start_simulation)
                .service(lotteries::get_simulation)
                .default_service(web::to(fallback::unmatched)),
        )
        .service(
            scope::scope("/solve")
                .app_data(web::PayloadConfig::new(solve::SOLVE_LIMIT))
                .app_data(JsonLimit(solve::SOLVE_LIMIT))
                .service(solve::solve_coupling)
                .service(solve::solve_interviews)
                .service(solve::solve_lottery)
                .default_service(web::to(fallback::unmatched)),
        );
}
