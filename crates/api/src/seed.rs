//! The demo institute of `koppel seed-demo` (and `just run`): one account per role, all with the
//! password [`DEMO_PASSWORD`]. Running it again changes nothing.

use chrono::Utc;
use koppel_api_types::{Locale, Role, UserStatus};
use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::auth::password;
use crate::store::{institutes, users};

/// Name of the demo institute.
pub const DEMO_INSTITUTE: &str = "Huisartsopleiding Demo";

/// Password of every demo account. Demo only: never use the seed on a real installation.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord";

/// The demo accounts: role, e-mail address, name.
pub const DEMO_USERS: [(Role, &str, &str); 6] = [
    (Role::Admin, "admin@demo.koppel.test", "Beheerder Demo"),
    (
        Role::TraineeTeam,
        "a-team@demo.koppel.test",
        "Anna de Vries (A-team)",
    ),
    (
        Role::TrainerTeam,
        "o-team@demo.koppel.test",
        "Otto Bakker (O-team)",
    ),
    (Role::Trainee, "aios@demo.koppel.test", "Sanne Jansen"),
    (
        Role::Trainer,
        "opleider@demo.koppel.test",
        "Dr. Pieter Visser",
    ),
    (Role::Candidate, "kandidaat@demo.koppel.test", "Lotte Smit"),
];

/// A demo account as printed for the newcomer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Role.
    pub role: Role,
    /// E-mail address.
    pub email: String,
    /// Whether this run created it.
    pub created: bool,
}

/// Creates the demo institute and accounts that are missing.
pub async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<Vec<DemoAccount>> {
    let now = Utc::now();
    let password = NewPassword::parse(DEMO_PASSWORD)?;
    let hash = password::hash(&password)?;
    let txn = db.begin().await?;
    let institute = match institutes::find_by_name(&txn, DEMO_INSTITUTE).await? {
        Some(institute) => institute,
        None => institutes::insert(&txn, &DisplayName::parse(DEMO_INSTITUTE)?, now).await?,
    };
    let mut accounts = Vec::new();
    for (role, email, name) in DEMO_USERS {
        let email = EmailAddress::parse(email)?;
        let created = users::find_by_email(&txn, &email).await?.is_none();
        if created {
            users::insert(
                &txn,
                users::NewUser {
                    institute_id: role.is_institute_role().then_some(institute.id),
                    email: &email,
                    display_name: &DisplayName::parse(name)?,
                    role,
                    status: UserStatus::Active,
                    password_hash: Some(hash.clone()),
                    locale: Locale::Nl,
                },
                now,
            )
            .await?;
        }
        accounts.push(DemoAccount {
            role,
            email: email.to_string(),
            created,
        });
    }
    txn.commit().await?;
    Ok(accounts)
}
