//! `trainees` table.

use sea_orm::entity::prelude::*;

/// A trainee (aios) of an institute.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trainees")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Linked account, once invited.
    pub user_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// E-mail address (unique per institute).
    pub email: String,
    /// Start of the training.
    pub training_start: Date,
    /// Part-time factor, 0.5-1.0.
    pub part_time_factor: f64,
    /// Leave and extension days.
    pub leave_days: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
