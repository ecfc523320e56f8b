//! `webhook_endpoints` table.

use sea_orm::entity::prelude::*;

/// An endpoint an institute registered to receive its events.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute whose events it receives.
    pub institute_id: Uuid,
    /// Where deliveries are posted.
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// Event names, separated by commas.
    pub events: String,
    /// What it is for.
    pub description: Option<String>,
    /// The signing secret, sealed (`auth::totp::SealingKey`).
    pub secret_sealed: String,
    /// Who registered it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
