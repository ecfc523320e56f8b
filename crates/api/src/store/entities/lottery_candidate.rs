//! `lottery_candidates` table.

use sea_orm::entity::prelude::*;

/// A candidate in a lottery.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lottery_candidates")]
pub struct Model {
    /// Lottery.
    #[sea_orm(primary_key, auto_increment = false)]
    pub lottery_id: Uuid,
    /// Candidate id from the import (internal: the verification document shows the pseudonym).
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: String,
    /// Input order.
    pub position: i32,
    /// Name.
    pub name: String,
    /// Normalised e-mail address.
    pub email: String,
    /// Location ids, most preferred first (JSON array).
    pub preferences: String,
    /// Whether this is their second lottery.
    pub second_attempt: bool,
    /// When found suitable in the selection.
    pub suitable_on: Date,
    /// Their `candidate` account.
    pub user_id: Option<Uuid>,
    /// Their random public id in the verification document, given at the commit (absent for a
    /// lottery committed before pseudonyms: then the candidate id is public).
    pub pseudonym: Option<String>,
    /// The trainee their institute imported them as.
    pub trainee_id: Option<Uuid>,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
