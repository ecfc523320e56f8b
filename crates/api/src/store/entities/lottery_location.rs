//! `lottery_locations` table.

use sea_orm::entity::prelude::*;

/// A training location in a lottery, with its places.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lottery_locations")]
pub struct Model {
    /// Lottery.
    #[sea_orm(primary_key, auto_increment = false)]
    pub lottery_id: Uuid,
    /// Location id as in the candidates' preferences (`utrecht`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub location_id: String,
    /// Input order.
    pub position: i32,
    /// Name shown.
    pub name: String,
    /// Places offered.
    pub capacity: i32,
    /// The institute its placed candidates are handed to.
    pub institute_id: Option<Uuid>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
