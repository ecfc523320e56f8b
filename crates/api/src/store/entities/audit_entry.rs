//! `audit_log` table.

use sea_orm::entity::prelude::*;

/// An entry of the audit log.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Round, if the change concerns one.
    pub round_id: Option<Uuid>,
    /// Who did it.
    pub actor_id: Option<Uuid>,
    /// What kind of change.
    pub action: String,
    /// In words.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
