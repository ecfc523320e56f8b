//! sea-orm entities, one per table, in the form `sea-orm-cli generate entity` writes them.
//! Keep them free of logic: queries and conversions live in the modules beside `entities/`.

pub mod activation_token;
pub mod api_key;
pub mod audit_entry;
pub mod coupling;
pub mod coupling_run;
pub mod final_ranking;
pub mod institute;
pub mod interview;
pub mod interview_proposal;
pub mod lottery;
pub mod lottery_candidate;
pub mod lottery_location;
pub mod lottery_offer;
pub mod outbox;
pub mod practice;
pub mod preference;
pub mod refresh_token;
pub mod round;
pub mod round_notice;
pub mod round_trainee;
pub mod round_trainer;
pub mod session;
pub mod sign_in_throttle;
pub mod trainee;
pub mod trainee_history;
pub mod trainee_profile;
pub mod trainer;
pub mod trainer_availability;
pub mod trainer_profile;
pub mod user;
pub mod veto;
pub mod webhook_delivery;
pub mod webhook_endpoint;
