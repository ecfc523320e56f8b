//! `sessions` table.

use sea_orm::entity::prelude::*;

/// One sign-in: every refresh token rotated from it and every access token issued on it carry
/// its id (the refresh tokens' family).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// Id (also the family id of its refresh tokens, and the `sid` of its access tokens).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Who signed in.
    pub user_id: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
    /// The absolute end: no refresh extends a sign-in past this.
    pub expires_at: DateTimeUtc,
    /// When it was ended (logout, password change or reset, a replayed refresh token).
    pub ended_at: Option<DateTimeUtc>,
}

/// A sign-in belongs to its account: the account check reads both in one query.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account.
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
