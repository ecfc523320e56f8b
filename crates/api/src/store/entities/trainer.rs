//! `trainers` table.

use sea_orm::entity::prelude::*;

/// A trainer (huisartsopleider) of an institute.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trainers")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Institute.
    pub institute_id: Uuid,
    /// Linked account, once invited.
    pub user_id: Option<Uuid>,
    /// Practice.
    pub practice_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// E-mail address (unique per institute).
    pub email: String,
    /// May train year-1 trainees.
    pub eligible_year1: bool,
    /// May train year-3 trainees.
    pub eligible_year3: bool,
    /// Linked to a large-scale out-of-hours structure.
    pub large_scale_structure: bool,
    /// When the last trainee left.
    pub last_trainee_end: Option<Date>,
    /// The planned end of their latest trainee from a coupling published in Koppel.
    pub coupled_until: Option<Date>,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// The practice.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The practice the trainer works in.
    #[sea_orm(
        belongs_to = "super::practice::Entity",
        from = "Column::PracticeId",
        to = "super::practice::Column::Id"
    )]
    Practice,
}

impl Related<super::practice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Practice.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// When their last trainee leaves, as far as Koppel knows: the later of the date entered
    /// and the planned end of their latest published coupling. The continuity order uses it.
    pub fn last_trainee_end_known(&self) -> Option<Date> {
        last_trainee_end_known(self.last_trainee_end, self.coupled_until)
    }
}

/// [`Model::last_trainee_end_known`] from the two columns.
pub fn last_trainee_end_known(entered: Option<Date>, coupled_until: Option<Date>) -> Option<Date> {
    entered.max(coupled_until)
}
