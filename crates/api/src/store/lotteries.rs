//! Queries on lotteries, their locations, candidates and second-chance offers.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{lottery, lottery_candidate, lottery_location, lottery_offer};

/// Inserts a lottery in `draft`.
pub async fn insert(db: &impl ConnectionTrait, row: lottery::Model) -> Result<(), DbErr> {
    lottery::Entity::insert(lottery::ActiveModel::from(row))
        .exec(db)
        .await?;
    Ok(())
}

/// One lottery.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<lottery::Model>, DbErr> {
    lottery::Entity::find_by_id(id).one(db).await
}

/// Every lottery, newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<lottery::Model>, DbErr> {
    lottery::Entity::find()
        .order_by_desc(lottery::Column::DrawOn)
        .order_by_desc(lottery::Column::CreatedAt)
        .all(db)
        .await
}

/// Every drawn lottery as (id, name), newest first, without its inputs or outcome.
pub async fn drawn(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, String)>, DbErr> {
    lottery::Entity::find()
        .select_only()
        .column(lottery::Column::Id)
        .column(lottery::Column::Name)
        .filter(lottery::Column::DrawnAt.is_not_null())
        .order_by_desc(lottery::Column::DrawnAt)
        .into_tuple()
        .all(db)
        .await
}

/// Moves a lottery from `from` to the state in `row`, only if it is still in `from` (two
/// administrators racing cannot both commit or draw). Answers whether it moved.
pub async fn advance(
    db: &impl ConnectionTrait,
    from: &str,
    row: lottery::Model,
) -> Result<bool, DbErr> {
    let result = lottery::Entity::update_many()
        .col_expr(lottery::Column::Status, Expr::value(row.status))
        .col_expr(lottery::Column::Seed, Expr::value(row.seed))
        .col_expr(
            lottery::Column::SeedCommitment,
            Expr::value(row.seed_commitment),
        )
        .col_expr(lottery::Column::SecretNonce, Expr::value(row.secret_nonce))
        .col_expr(lottery::Column::Secret, Expr::value(row.secret))
        .col_expr(lottery::Column::PublicValue, Expr::value(row.public_value))
        .col_expr(lottery::Column::InputsHash, Expr::value(row.inputs_hash))
        .col_expr(lottery::Column::Output, Expr::value(row.output))
        .col_expr(lottery::Column::CommittedAt, Expr::value(row.committed_at))
        .col_expr(lottery::Column::DrawnAt, Expr::value(row.drawn_at))
        .filter(lottery::Column::Id.eq(row.id))
        .filter(lottery::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes the lottery's row lock until the transaction ends (a no-op update: PostgreSQL locks the
/// row; SQLite's `BEGIN IMMEDIATE` already serialises writers), so two processes settling offers
/// cannot both hand the same freed place to the same next candidate.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    lottery::Entity::update_many()
        .col_expr(lottery::Column::Status, Expr::col(lottery::Column::Status))
        .filter(lottery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The locations, in input order.
pub async fn locations(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
) -> Result<Vec<lottery_location::Model>, DbErr> {
    lottery_location::Entity::find()
        .filter(lottery_location::Column::LotteryId.eq(lottery_id))
        .order_by_asc(lottery_location::Column::Position)
        .all(db)
        .await
}

/// Replaces the locations.
pub async fn replace_locations(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
    rows: Vec<lottery_location::Model>,
) -> Result<(), DbErr> {
    lottery_location::Entity::delete_many()
        .filter(lottery_location::Column::LotteryId.eq(lottery_id))
        .exec(db)
        .await?;
    if !rows.is_empty() {
        lottery_location::Entity::insert_many(
            rows.into_iter().map(lottery_location::ActiveModel::from),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The candidates, in input order.
pub async fn candidates(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
) -> Result<Vec<lottery_candidate::Model>, DbErr> {
    lottery_candidate::Entity::find()
        .filter(lottery_candidate::Column::LotteryId.eq(lottery_id))
        .order_by_asc(lottery_candidate::Column::Position)
        .all(db)
        .await
}

/// Number of candidates.
pub async fn candidate_count(db: &impl ConnectionTrait, lottery_id: Uuid) -> Result<u64, DbErr> {
    lottery_candidate::Entity::find()
        .filter(lottery_candidate::Column::LotteryId.eq(lottery_id))
        .count(db)
        .await
}

/// Adds candidates.
pub async fn insert_candidates(
    db: &impl ConnectionTrait,
    rows: Vec<lottery_candidate::Model>,
) -> Result<(), DbErr> {
    // In chunks: SQLite limits the number of bound parameters per statement.
    for chunk in rows.chunks(500) {
        lottery_candidate::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(lottery_candidate::ActiveModel::from),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Gives each candidate their public pseudonym (at the commit).
pub async fn set_pseudonyms(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
    pseudonyms: &[(String, String)],
) -> Result<(), DbErr> {
    for (candidate_id, pseudonym) in pseudonyms {
        lottery_candidate::Entity::update_many()
            .col_expr(
                lottery_candidate::Column::Pseudonym,
                Expr::value(Some(pseudonym.clone())),
            )
            .filter(lottery_candidate::Column::LotteryId.eq(lottery_id))
            .filter(lottery_candidate::Column::CandidateId.eq(candidate_id.as_str()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Every participation of these e-mail addresses in any lottery.
pub async fn participations(
    db: &impl ConnectionTrait,
    emails: Vec<String>,
) -> Result<Vec<lottery_candidate::Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in emails.chunks(500) {
        out.extend(
            lottery_candidate::Entity::find()
                .filter(lottery_candidate::Column::Email.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// A candidate's participations, by account.
pub async fn participations_of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<lottery_candidate::Model>, DbErr> {
    lottery_candidate::Entity::find()
        .filter(lottery_candidate::Column::UserId.eq(user_id))
        .all(db)
        .await
}

/// The offers, in the order they were made.
pub async fn offers(
    db: &impl ConnectionTrait,
    lottery_id: Uuid,
) -> Result<Vec<lottery_offer::Model>, DbErr> {
    lottery_offer::Entity::find()
        .filter(lottery_offer::Column::LotteryId.eq(lottery_id))
        .order_by_asc(lottery_offer::Column::Sequence)
        .all(db)
        .await
}

/// Adds an offer.
pub async fn insert_offer(
    db: &impl ConnectionTrait,
    row: lottery_offer::Model,
) -> Result<(), DbErr> {
    lottery_offer::Entity::insert(lottery_offer::ActiveModel::from(row))
        .exec(db)
        .await?;
    Ok(())
}

/// Closes an open offer with `status`, only if it is still open. Answers whether it closed.
pub async fn close_offer(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = lottery_offer::Entity::update_many()
        .col_expr(lottery_offer::Column::Status, Expr::value(status))
        .col_expr(lottery_offer::Column::RespondedAt, Expr::value(Some(now)))
        .filter(lottery_offer::Column::Id.eq(id))
        .filter(lottery_offer::Column::Status.eq("open"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Sets the account of a candidate.
pub async fn link_user(
    db: &impl ConnectionTrait,
    row: &lottery_candidate::Model,
    user_id: Uuid,
) -> Result<(), DbErr> {
    let mut active = lottery_candidate::ActiveModel::from(row.clone());
    active.user_id = Set(Some(user_id));
    active.update(db).await?;
    Ok(())
}
