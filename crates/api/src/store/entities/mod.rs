//! sea-orm entities, one per table, in the form `sea-orm-cli generate entity` writes them.
//! Keep them free of logic: queries and conversions live in the modules beside `entities/`.

pub mod activation_token;
pub mod institute;
pub mod outbox;
pub mod refresh_token;
pub mod user;
