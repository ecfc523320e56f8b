//! Anonymising someone who has left: their trainee or trainer record keeps its id (history and
//! past rounds refer to it) but loses name and contact details; their profile, their account's
//! personal details and the notes of vetoes about or by them are deleted.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{
    lottery_candidate, trainee, trainee_profile, trainer, trainer_availability, trainer_profile,
    user, veto,
};

/// Who is anonymised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// A trainee record.
    Trainee(Uuid),
    /// A trainer record.
    Trainer(Uuid),
}

/// The address an anonymised record keeps: unique, and never deliverable (`.invalid`).
pub fn address(id: Uuid) -> String {
    format!("anoniem-{}@koppel.invalid", id.simple())
}

/// Replaces name and address, unlinks the account, and deletes the profile and the notes of
/// vetoes that concern them. Answers the account that was linked, if any.
pub async fn anonymise(
    db: &impl ConnectionTrait,
    person: Person,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    match person {
        Person::Trainee(id) => {
            let linked = trainee::Entity::find_by_id(id)
                .one(db)
                .await?
                .and_then(|row| row.user_id);
            trainee::Entity::update_many()
                .col_expr(trainee::Column::Name, Expr::value(name))
                .col_expr(trainee::Column::Email, Expr::value(address(id)))
                .col_expr(trainee::Column::UserId, Expr::value(Option::<Uuid>::None))
                .col_expr(trainee::Column::UpdatedAt, Expr::value(now))
                .filter(trainee::Column::Id.eq(id))
                .exec(db)
                .await?;
            trainee_profile::Entity::delete_by_id(id).exec(db).await?;
            veto::Entity::update_many()
                .col_expr(veto::Column::Note, Expr::value(Option::<String>::None))
                .filter(veto::Column::TraineeId.eq(id))
                .exec(db)
                .await?;
            // The lottery placement they were imported from keeps only its pseudonym.
            lottery_candidate::Entity::update_many()
                .col_expr(lottery_candidate::Column::Name, Expr::value(name))
                .col_expr(lottery_candidate::Column::Email, Expr::value(address(id)))
                .filter(lottery_candidate::Column::TraineeId.eq(id))
                .exec(db)
                .await?;
            Ok(linked)
        }
        Person::Trainer(id) => {
            let linked = trainer::Entity::find_by_id(id)
                .one(db)
                .await?
                .and_then(|row| row.user_id);
            trainer::Entity::update_many()
                .col_expr(trainer::Column::Name, Expr::value(name))
                .col_expr(trainer::Column::Email, Expr::value(address(id)))
                .col_expr(trainer::Column::UserId, Expr::value(Option::<Uuid>::None))
                .col_expr(trainer::Column::UpdatedAt, Expr::value(now))
                .filter(trainer::Column::Id.eq(id))
                .exec(db)
                .await?;
            trainer_profile::Entity::delete_by_id(id).exec(db).await?;
            veto::Entity::update_many()
                .col_expr(veto::Column::Note, Expr::value(Option::<String>::None))
                .filter(veto::Column::TrainerId.eq(id))
                .exec(db)
                .await?;
            // Their notes to the O-team with their availability answers.
            trainer_availability::Entity::update_many()
                .col_expr(
                    trainer_availability::Column::Note,
                    Expr::value(Option::<String>::None),
                )
                .filter(trainer_availability::Column::TrainerId.eq(id))
                .exec(db)
                .await?;
            Ok(linked)
        }
    }
}

/// Removes an account's personal details and closes it: it can no longer sign in.
pub async fn close_account(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(address(user_id)))
        .col_expr(user::Column::DisplayName, Expr::value("Geanonimiseerd"))
        .col_expr(user::Column::Status, Expr::value("deactivated"))
        .col_expr(
            user::Column::PasswordHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpPendingSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::RecoveryCodes,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::CalendarKeyHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}
