//! Queries on API keys.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::entities::api_key;

/// Stores a new key.
pub async fn insert(db: &impl ConnectionTrait, row: api_key::Model) -> Result<(), DbErr> {
    api_key::Entity::insert(api_key::ActiveModel {
        id: Set(row.id),
        institute_id: Set(row.institute_id),
        name: Set(row.name),
        key_hash: Set(row.key_hash),
        prefix: Set(row.prefix),
        created_by: Set(row.created_by),
        created_at: Set(row.created_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        scopes: Set(row.scopes),
        expires_at: Set(row.expires_at),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// An unrevoked key by its hash.
pub async fn active_by_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await
}

/// One key by id.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<api_key::Model>, DbErr> {
    api_key::Entity::find_by_id(id).one(db).await
}

/// Records use, at most once a minute per key.
pub async fn touch(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(Some(now)))
        .filter(api_key::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(api_key::Column::LastUsedAt.is_null())
                .add(api_key::Column::LastUsedAt.lt(now - Duration::minutes(1))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Keys of an institute, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::InstituteId.eq(institute_id))
        .order_by_desc(api_key::Column::CreatedAt)
        .all(db)
        .await
}

/// Revokes a key of an institute; answers whether it existed.
pub async fn revoke(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(Some(now)))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::InstituteId.eq(institute_id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
