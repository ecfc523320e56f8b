//! Queries on institutes.

use chrono::{DateTime, Utc};
use koppel_domain::DisplayName;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use uuid::Uuid;

use super::entities::institute;

/// An institute as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institute {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Whether its coordinators must sign in with a second factor.
    pub require_two_factor: bool,
    /// Months after a round closes that its personal data is kept.
    pub retention_months: u32,
    /// Days before a deadline that the calendar's reminders go.
    pub reminder_days: u8,
}

impl From<institute::Model> for Institute {
    fn from(row: institute::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            require_two_factor: row.require_two_factor,
            retention_months: row.retention_months.max(1) as u32,
            reminder_days: u8::try_from(row.reminder_days)
                .unwrap_or(koppel_domain::timetable::DEFAULT_REMINDER_DAYS),
        }
    }
}

/// Inserts an institute. A duplicate name is a unique-constraint error.
pub async fn insert(
    db: &impl ConnectionTrait,
    name: &DisplayName,
    now: DateTime<Utc>,
) -> Result<Institute, DbErr> {
    let row = institute::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.as_str().to_owned()),
        created_at: Set(now),
        require_two_factor: Set(false),
        retention_months: Set(i32::from(koppel_domain::retention::DEFAULT_MONTHS)),
        reminder_days: Set(i32::from(koppel_domain::timetable::DEFAULT_REMINDER_DAYS)),
    };
    institute::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map(Institute::from)
}

/// One institute by id.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Institute>, DbErr> {
    Ok(institute::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Institute::from))
}

/// One institute by exact name.
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<Institute>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(institute::Entity::find()
        .filter(institute::Column::Name.eq(name))
        .one(db)
        .await?
        .map(Institute::from))
}

/// Every institute, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Institute>, DbErr> {
    Ok(institute::Entity::find()
        .order_by_asc(institute::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Institute::from)
        .collect())
}

/// Changes to an institute's settings; `None` leaves one as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// Whether its coordinators must sign in with a second factor.
    pub require_two_factor: Option<bool>,
    /// Months a closed round's personal data is kept.
    pub retention_months: Option<u16>,
    /// Days before a deadline that reminders go.
    pub reminder_days: Option<u8>,
}

impl SettingsChange {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Changes an institute's settings.
pub async fn update_settings(
    db: &impl ConnectionTrait,
    id: Uuid,
    change: SettingsChange,
) -> Result<(), DbErr> {
    use sea_orm::ActiveModelTrait;
    use sea_orm::ActiveValue::NotSet;
    // Cached account checks hold whether their account must enrol first: outdated before the
    // write and once more after it, for a check that read the old rule in between.
    let two_factor_rule = change.require_two_factor.is_some();
    if two_factor_rule {
        crate::auth::accounts::changed();
    }
    institute::ActiveModel {
        id: Set(id),
        require_two_factor: change.require_two_factor.map_or(NotSet, Set),
        retention_months: change
            .retention_months
            .map_or(NotSet, |months| Set(i32::from(months))),
        reminder_days: change
            .reminder_days
            .map_or(NotSet, |days| Set(i32::from(days))),
        ..Default::default()
    }
    .update(db)
    .await?;
    if two_factor_rule {
        crate::auth::accounts::changed();
    }
    Ok(())
}
