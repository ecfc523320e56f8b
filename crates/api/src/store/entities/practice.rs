//! `practices` table.

use sea_orm::entity::prelude::*;

/// A training practice (opleidingspraktijk).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "practices")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Name.
    pub name: String,
    /// Place.
    pub city: String,
    /// Practice description for trainees.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
