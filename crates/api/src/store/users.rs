//! Queries on users.

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use koppel_api_types::{Locale, Role, UserStatus};
use koppel_domain::{DisplayName, EmailAddress};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use sea_orm::sea_query::Expr;

use super::entities::user;

/// A user as stored, with typed columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Institute, for institute roles.
    pub institute_id: Option<Uuid>,
    /// Normalised e-mail address.
    pub email: String,
    /// Name as shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Account status.
    pub status: UserStatus,
    /// Argon2id hash, once activated.
    pub password_hash: Option<String>,
    /// Preferred language.
    pub locale: Locale,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Whether two-factor sign-in is on.
    pub two_factor: bool,
}

impl TryFrom<user::Model> for User {
    type Error = anyhow::Error;

    fn try_from(row: user::Model) -> anyhow::Result<Self> {
        Ok(Self {
            role: Role::from_name(&row.role)
                .ok_or_else(|| anyhow!("user {} has unknown role '{}'", row.id, row.role))?,
            status: UserStatus::from_name(&row.status)
                .ok_or_else(|| anyhow!("user {} has unknown status '{}'", row.id, row.status))?,
            locale: Locale::from_code(&row.locale).unwrap_or_default(),
            id: row.id,
            institute_id: row.institute_id,
            email: row.email,
            display_name: row.display_name,
            password_hash: row.password_hash,
            created_at: row.created_at,
            two_factor: row.totp_enabled_at.is_some(),
        })
    }
}

/// A user to create.
pub struct NewUser<'a> {
    /// Institute, for institute roles.
    pub institute_id: Option<Uuid>,
    /// E-mail address.
    pub email: &'a EmailAddress,
    /// Name as shown.
    pub display_name: &'a DisplayName,
    /// Role.
    pub role: Role,
    /// Initial status.
    pub status: UserStatus,
    /// Hash, for accounts created with a password (bootstrap admin, demo seed).
    pub password_hash: Option<String>,
    /// Preferred language.
    pub locale: Locale,
}

/// Inserts a user.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<User, DbErr> {
    let row = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        institute_id: Set(new.institute_id),
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(new.display_name.as_str().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        locale: Set(new.locale.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    user::Entity::insert(row)
        .exec_with_returning(db)
        .await?
        .try_into()
        .map_err(|error: anyhow::Error| DbErr::Custom(format!("{error:#}")))
}

/// One user by id.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> anyhow::Result<Option<User>> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(User::try_from)
        .transpose()
}

/// The active accounts among `ids` (one query per thousand ids).
pub async fn active_among(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, DbErr> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(1000) {
        for row in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if User::try_from(row.clone()).is_ok_and(|user| user.status == UserStatus::Active) {
                out.insert(row.id);
            }
        }
    }
    Ok(out)
}

/// One user by normalised e-mail address.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
) -> anyhow::Result<Option<User>> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .map(User::try_from)
        .transpose()
}

/// Users of one institute, by name.
pub async fn list_by_institute(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> anyhow::Result<Vec<User>> {
    user::Entity::find()
        .filter(user::Column::InstituteId.eq(institute_id))
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// Sets the password and marks the account active.
pub async fn activate(
    db: &impl ConnectionTrait,
    id: Uuid,
    password_hash: String,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    let row = user::ActiveModel {
        id: Set(id),
        password_hash: Set(Some(password_hash)),
        status: Set(UserStatus::Active.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// The preferred language of an account, Dutch when there is none.
pub async fn locale_of(db: &impl ConnectionTrait, user_id: Option<Uuid>) -> anyhow::Result<Locale> {
    Ok(match user_id {
        Some(id) => find(db, id)
            .await?
            .map(|user| user.locale)
            .unwrap_or_default(),
        None => Locale::default(),
    })
}

/// Changes an account's language, role or status; `None` leaves a field as it is.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    locale: Option<Locale>,
    role: Option<Role>,
    status: Option<UserStatus>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    let mut row = user::ActiveModel {
        id: Set(id),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(locale) = locale {
        row.locale = Set(locale.as_str().to_owned());
    }
    if let Some(role) = role {
        row.role = Set(role.as_str().to_owned());
    }
    if let Some(status) = status {
        row.status = Set(status.as_str().to_owned());
        // A deactivated account's calendar feed ends with it, and does not come back with a
        // reactivation.
        if status == UserStatus::Deactivated {
            row.calendar_key_hash = Set(None);
        }
    }
    row.update(db).await?;
    Ok(())
}

/// Sets (or, with `None`, removes) the hash of a user's calendar feed secret.
pub async fn set_calendar_key(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    hash: Option<String>,
) -> Result<(), DbErr> {
    // Account checks cached before this write are outdated.
    crate::auth::accounts::changed();
    user::Entity::update_many()
        .col_expr(user::Column::CalendarKeyHash, Expr::value(hash))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether a user has a calendar feed.
pub async fn has_calendar_key(db: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, DbErr> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|row| row.calendar_key_hash.is_some()))
}

/// The user whose calendar feed secret hashes to `hash`.
pub async fn by_calendar_key(
    db: &impl ConnectionTrait,
    hash: &str,
) -> anyhow::Result<Option<User>> {
    user::Entity::find()
        .filter(user::Column::CalendarKeyHash.eq(hash))
        .one(db)
        .await?
        .map(User::try_from)
        .transpose()
}
