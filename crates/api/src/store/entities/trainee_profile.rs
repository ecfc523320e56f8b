//! `trainee_profiles` table.

use sea_orm::entity::prelude::*;

/// A trainee's profile (profielschets), with optional CV and photo.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainee_profiles")]
pub struct Model {
    /// Trainee.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trainee_id: Uuid,
    /// Introduction.
    #[sea_orm(column_type = "Text")]
    pub introduction: String,
    /// Experience.
    #[sea_orm(column_type = "Text")]
    pub experience: String,
    /// Learning wishes.
    #[sea_orm(column_type = "Text")]
    pub learning_wishes: String,
    /// CV, a PDF.
    #[sea_orm(column_type = "Blob", nullable)]
    pub cv: Option<Vec<u8>>,
    /// Photo, JPEG or PNG.
    #[sea_orm(column_type = "Blob", nullable)]
    pub photo: Option<Vec<u8>>,
    /// The photo's media type.
    pub photo_type: Option<String>,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated from here.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
