//! The demo institute of `koppel seed-demo` (and `just run`): one account per role, all with the
//! password [`DEMO_PASSWORD`]; a coupling round in phase `preferences` with 30 trainees and
//! 35 trainers in which the demo trainee and trainer take part; and a drawn placement lottery in
//! which the demo candidate holds a second-chance offer. Running it again changes nothing.

use chrono::NaiveDate;
use chrono::Utc;
use koppel_api_types::{Locale, Role, UserStatus};
use koppel_domain::{DisplayName, EmailAddress, NewPassword};
use koppel_domain::{Phase, RoundKey, StartMonth, TrainingYear};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use crate::auth::password;
use crate::store::{audit, institutes, lotteries, people, profiles, rounds, steps, users};

/// Name of the demo institute.
pub const DEMO_INSTITUTE: &str = "Huisartsopleiding Demo";

/// Password of every demo account. Demo only: never use the seed on a real installation.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord";

/// The demo administrator's two-factor secret (base32): add it to an authenticator app, or
/// print the current code with `koppel totp-code`. Demo only, like the password.
pub const DEMO_ADMIN_TOTP_SECRET: &str = "KOPPELDEMOADMINTOTPSECRETA234567";

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
pub async fn seed_demo(
    db: &DatabaseConnection,
    totp_key: &crate::auth::totp::SealingKey,
) -> anyhow::Result<Vec<DemoAccount>> {
    let now = Utc::now();
    let password = NewPassword::parse(DEMO_PASSWORD)?;
    let hash = password::hash(&password)?;
    let txn = crate::store::begin(db).await?;
    let institute = match institutes::find_by_name(&txn, DEMO_INSTITUTE).await? {
        Some(institute) => institute,
        None => institutes::insert(&txn, &DisplayName::parse(DEMO_INSTITUTE)?, now).await?,
    };
    let mut accounts = Vec::new();
    for (role, email, name) in DEMO_USERS {
        let email = EmailAddress::parse(email)?;
        let created = users::find_by_email(&txn, &email).await?.is_none();
        if created {
            let user = users::insert(
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
            // Administrators must sign in with a second factor; the demo's is known.
            if role == Role::Admin {
                let secret = crate::auth::totp::TotpSecret::from_base32(DEMO_ADMIN_TOTP_SECRET)
                    .ok_or_else(|| anyhow::anyhow!("the demo TOTP secret is not base32"))?;
                crate::services::two_factor::enrol_directly(&txn, user.id, &secret, totp_key, now)
                    .await?;
            }
        }
        accounts.push(DemoAccount {
            role,
            email: email.to_string(),
            created,
        });
    }
    seed_round(&txn, institute.id, now).await?;
    seed_lottery(&txn, institute.id, now).await?;
    txn.commit().await?;
    Ok(accounts)
}

/// Gives every trainee of the demo institute an account of their own (their e-mail address,
/// [`DEMO_PASSWORD`]), for load tests that need many trainees signed in at once (`koppel
/// seed-demo --trainee-accounts`, used by `just bench-api`). Returns how many it created; running
/// it again creates none.
pub async fn seed_trainee_accounts(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let now = Utc::now();
    let hash = password::hash(&NewPassword::parse(DEMO_PASSWORD)?)?;
    let txn = crate::store::begin(db).await?;
    let institute = institutes::find_by_name(&txn, DEMO_INSTITUTE)
        .await?
        .ok_or_else(|| anyhow::anyhow!("seed the demo institute first"))?;
    let mut created = 0;
    let (trainees, _) = people::list_trainees(&txn, institute.id, None, None).await?;
    for trainee in trainees {
        if trainee.user_id.is_some() {
            continue;
        }
        let email = EmailAddress::parse(&trainee.email)?;
        let user = match users::find_by_email(&txn, &email).await? {
            Some(user) => user,
            None => {
                created += 1;
                users::insert(
                    &txn,
                    users::NewUser {
                        institute_id: Some(institute.id),
                        email: &email,
                        display_name: &DisplayName::parse(&trainee.name)?,
                        role: Role::Trainee,
                        status: UserStatus::Active,
                        password_hash: Some(hash.clone()),
                        locale: Locale::Nl,
                    },
                    now,
                )
                .await?
            }
        };
        steps::link_trainee(&txn, trainee.id, user.id).await?;
    }
    txn.commit().await?;
    Ok(created)
}

/// The demo placement lottery: drawn, 30 candidates over the 8 demo locations, with the demo
/// candidate unplaced and holding an open second-chance offer to accept or decline. Skipped when
/// any lottery exists. Its first location is the demo institute's.
async fn seed_lottery(
    txn: &DatabaseTransaction,
    institute_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::services::lotteries::inputs_hash;
    use crate::store::entities::{lottery, lottery_candidate, lottery_location};
    use koppel_matcher::lottery::{Candidate, Location, LotteryInput, draw, seed_from, sha256_hex};
    if !lotteries::list(txn).await?.is_empty() {
        return Ok(());
    }
    let capacities = [5u32, 4, 4, 3, 3, 3, 2, 2];
    let locations: Vec<Location> = CITIES
        .iter()
        .zip(capacities)
        .map(|(city, capacity)| Location {
            id: city.to_lowercase(),
            capacity,
        })
        .collect();
    // Most candidates want the first three locations; the others stay partly unfilled.
    let candidates: Vec<Candidate> = (0..30usize)
        .map(|i| Candidate {
            id: format!("DEMO-{:03}", i + 1),
            preferences: [i % 3, (i + 1) % 3, 3 + i % 5]
                .iter()
                .take(if i == 0 { 2 } else { 2 + i % 2 })
                .map(|&l| locations[l].id.clone())
                .collect(),
            second_attempt: i % 10 == 9,
        })
        .collect();
    // A secret with which the demo candidate (the first) is unplaced and gets an offer.
    let public_value = "demo";
    let (secret, seed, output) = (0..1000)
        .map(|k| sha256_hex(&format!("koppel-demo-lottery-{k}")))
        .find_map(|secret| {
            let seed = seed_from(&secret, public_value);
            let input = LotteryInput {
                seed: seed.clone(),
                locations: locations.clone(),
                candidates: candidates.clone(),
            };
            let output = draw(&input).ok()?;
            output
                .offers
                .iter()
                .any(|o| o.candidate == candidates[0].id)
                .then_some((secret, seed, output))
        })
        .ok_or_else(|| {
            anyhow::anyhow!("no demo lottery seed leaves the demo candidate unplaced")
        })?;
    let id = Uuid::new_v4();
    let today = koppel_domain::dutch_date(now);
    let demo = lottery::Model {
        id,
        name: "Plaatsingsloting (demo)".to_owned(),
        draw_on: today,
        applicants: 41,
        selected: 27,
        response_days: 7,
        status: "drawn".to_owned(),
        seed_commitment: Some(sha256_hex(&secret)),
        inputs_hash: Some(inputs_hash(&locations, &candidates)),
        output: Some(serde_json::to_string(&output)?),
        seed: Some(seed),
        secret_nonce: None,
        secret: Some(secret),
        public_value: Some(public_value.to_owned()),
        created_at: now,
        committed_at: Some(now),
        drawn_at: Some(now),
        placement_start: None,
        handed_over_at: None,
    };
    lotteries::insert(txn, demo.clone()).await?;
    lotteries::replace_locations(
        txn,
        id,
        locations
            .iter()
            .zip(CITIES)
            .enumerate()
            .map(|(position, (l, city))| lottery_location::Model {
                lottery_id: id,
                location_id: l.id.clone(),
                position: position as i32,
                name: format!("Huisartsopleiding {city}"),
                capacity: l.capacity as i32,
                institute_id: (position == 0).then_some(institute_id),
            })
            .collect(),
    )
    .await?;
    let candidate_user =
        users::find_by_email(txn, &EmailAddress::parse("kandidaat@demo.koppel.test")?).await?;
    let rows = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(lottery_candidate::Model {
                // The demo keeps its candidate ids public (as lotteries before pseudonyms did).
                pseudonym: None,
                lottery_id: id,
                candidate_id: c.id.clone(),
                position: i as i32,
                name: if i == 0 {
                    "Lotte Smit".to_owned()
                } else {
                    format!("{} {}", FIRST_NAMES[(i * 7) % 20], LAST_NAMES[(i * 3) % 15])
                },
                email: if i == 0 {
                    "kandidaat@demo.koppel.test".to_owned()
                } else {
                    format!("kandidaat{i}@demo.koppel.test")
                },
                preferences: serde_json::to_string(&c.preferences)?,
                second_attempt: c.second_attempt,
                suitable_on: today
                    .checked_sub_days(chrono::Days::new(30 + i as u64))
                    .unwrap_or(today),
                user_id: if i == 0 {
                    candidate_user.as_ref().map(|u| u.id)
                } else {
                    None
                },
                trainee_id: None,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    lotteries::insert_candidates(txn, rows).await?;
    for offer in crate::services::lotteries::draw_offers(&demo, &output, now) {
        lotteries::insert_offer(txn, offer).await?;
    }
    Ok(())
}

const FIRST_NAMES: [&str; 20] = [
    "Anouk",
    "Bram",
    "Charlotte",
    "Daan",
    "Eva",
    "Fleur",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jesse",
    "Kim",
    "Lars",
    "Maud",
    "Niels",
    "Olivia",
    "Pim",
    "Roos",
    "Sem",
    "Tess",
    "Vera",
];
const LAST_NAMES: [&str; 15] = [
    "de Boer",
    "Bos",
    "Dekker",
    "van Dijk",
    "Hendriks",
    "de Jong",
    "Kok",
    "Meijer",
    "Mulder",
    "Peters",
    "Smit",
    "de Vries",
    "Visser",
    "Willems",
    "van der Berg",
];
const CITIES: [&str; 8] = [
    "Zwolle",
    "Deventer",
    "Kampen",
    "Meppel",
    "Hardenberg",
    "Apeldoorn",
    "Harderwijk",
    "Emmen",
];

/// The first round whose preferences deadline is still ahead on `today`, so the demo round can be
/// clicked through whenever it is seeded.
pub fn demo_round_key(today: NaiveDate) -> anyhow::Result<RoundKey> {
    use chrono::Datelike;
    for year in today.year()..=today.year() + 2 {
        for month in StartMonth::ALL {
            let key = RoundKey::new(month, year)?;
            if key.default_schedule().preferences_deadline >= today {
                return Ok(key);
            }
        }
    }
    anyhow::bail!("no round within two years of {today}")
}

/// A learning plan (leerwerkplan) for demo trainer `index`.
fn learning_plan(index: usize) -> String {
    let focus = [
        "ouderengeneeskunde en palliatieve zorg",
        "kindergeneeskunde en jeugdzorg",
        "GGZ in de huisartsenpraktijk",
        "chronische zorg en praktijkmanagement",
        "kleine chirurgie en spoedzorg",
    ][index % 5];
    format!(
        "In het eerste halfjaar draai je mee met spreekuren en visites; daarna bouw je je eigen \
         patiëntenpopulatie op. Zwaartepunt in deze praktijk: {focus}. Wekelijks leergesprek op \
         dinsdagmiddag, video-opnames van consulten een keer per maand."
    )
}

/// The demo round: the next round whose preferences deadline is ahead (see
/// [`demo_round_key`]), in phase `preferences`, with 30 trainees, 35 trainers with learning
/// plans in 8 practices, and 18 preference lists filled. The demo trainee and trainer accounts take
/// part. Skipped when the institute has a round.
async fn seed_round(
    txn: &DatabaseTransaction,
    institute_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let key = demo_round_key(koppel_domain::dutch_date(now))?;
    if !rounds::list(txn, institute_id).await?.is_empty() {
        return Ok(());
    }
    let placement = key.start_date();
    let mut practices = Vec::new();
    for (index, city) in CITIES.iter().enumerate() {
        let name = format!(
            "Huisartsenpraktijk {}",
            [
                "De Linde",
                "Het Anker",
                "De Brug",
                "Zuiderhof",
                "De Esch",
                "Het Kompas",
                "De Poort",
                "Waterkant"
            ][index]
        );
        let description = format!(
            "Opleidingspraktijk in {city} met {} huisartsen en een praktijkondersteuner.",
            2 + index % 4
        );
        practices.push(
            people::save_practice(txn, institute_id, None, &name, city, &description, now)
                .await?
                .id,
        );
    }
    let trainer_user =
        users::find_by_email(txn, &EmailAddress::parse("opleider@demo.koppel.test")?).await?;
    let trainee_user =
        users::find_by_email(txn, &EmailAddress::parse("aios@demo.koppel.test")?).await?;
    let mut trainers = Vec::new();
    for index in 0..35usize {
        let (name, email) = if index == 0 {
            (
                "Dr. Pieter Visser".to_owned(),
                "opleider@demo.koppel.test".to_owned(),
            )
        } else {
            let name = format!(
                "Dr. {} {}",
                FIRST_NAMES[index % 20],
                LAST_NAMES[(index * 7) % 15]
            );
            (name, format!("opleider{index}@demo.koppel.test"))
        };
        let fields = people::TrainerFields {
            name,
            email,
            practice_id: Some(practices[index % practices.len()]),
            eligible_year1: index % 5 != 0,
            eligible_year3: index % 4 != 1,
            large_scale_structure: index % 2 == 0,
            last_trainee_end: (index % 6 != 0)
                .then(|| {
                    NaiveDate::from_ymd_opt(2024 + (index % 3) as i32, 1 + (index % 12) as u32, 28)
                })
                .flatten(),
        };
        let trainer = people::save_trainer(txn, institute_id, None, &fields, now).await?;
        profiles::save_trainer(
            txn,
            trainer.id,
            &learning_plan(index),
            "Gezellige praktijk met een eigen apotheek-afspraak en korte lijnen met de POH.",
            now,
        )
        .await?;
        if index == 0
            && let Some(user) = &trainer_user
        {
            steps::link_trainer(txn, trainer.id, user.id).await?;
        }
        trainers.push(trainer);
    }
    let round = rounds::insert(txn, institute_id, &key, &key.default_schedule(), now).await?;
    let mut trainees = Vec::new();
    for index in 0..30usize {
        let (name, email) = if index == 0 {
            (
                "Sanne Jansen".to_owned(),
                "aios@demo.koppel.test".to_owned(),
            )
        } else {
            (
                format!(
                    "{} {}",
                    FIRST_NAMES[(index * 3) % 20],
                    LAST_NAMES[index % 15]
                ),
                format!("aios{index}@demo.koppel.test"),
            )
        };
        let (start, year) = if index % 2 == 0 {
            (
                placement.checked_sub_months(chrono::Months::new(24)),
                TrainingYear::Three,
            )
        } else {
            (Some(placement), TrainingYear::One)
        };
        let fields = people::TraineeFields {
            name,
            email,
            training_start: start.ok_or_else(|| anyhow::anyhow!("bad demo date"))?,
            part_time_factor: 1.0,
            leave_days: 0,
            history: Vec::new(),
        };
        let trainee = people::save_trainee(txn, institute_id, None, &fields, now).await?;
        if index == 0
            && let Some(user) = &trainee_user
        {
            steps::link_trainee(txn, trainee.id, user.id).await?;
        }
        rounds::add_trainee(txn, round.id, trainee.id, year, now).await?;
        trainees.push((trainee, year));
    }
    for trainer in &trainers {
        rounds::add_trainer(txn, round.id, trainer.id, 1, now).await?;
    }
    rounds::set_phase(txn, round.id, Phase::Draft, Phase::Profiles, now).await?;
    rounds::set_phase(txn, round.id, Phase::Profiles, Phase::Preferences, now).await?;
    // Preferences for 18 trainees (not the demo trainee, who can try it): eligible trainers, and
    // for year 3 only large-scale ones, as the rules require without history.
    for (index, (trainee, year)) in trainees.iter().enumerate().skip(1).take(18) {
        let eligible: Vec<Uuid> = trainers
            .iter()
            .filter(|t| match year {
                TrainingYear::One => t.eligible_year1,
                TrainingYear::Three => t.eligible_year3 && t.large_scale_structure,
            })
            .map(|t| t.id)
            .collect();
        let ranked: Vec<Uuid> = eligible
            .iter()
            .cycle()
            .skip(index)
            .take(6.min(eligible.len()))
            .copied()
            .collect();
        steps::replace_preferences(txn, round.id, trainee.id, &ranked, now).await?;
    }
    audit::append(
        txn,
        audit::Entry {
            institute_id,
            round_id: Some(round.id),
            actor_id: None,
            action: "round.created",
            summary: format!("demo round for {} {} seeded", key.month(), key.year()),
        },
        now,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_round_is_the_next_one_with_its_preferences_deadline_ahead() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let key = demo_round_key(day(2026, 11, 22)).unwrap();
        assert_eq!((key.month(), key.year()), (StartMonth::March, 2027));
        let deadline = key.default_schedule().preferences_deadline;
        assert_eq!(demo_round_key(deadline).unwrap(), key);
        let next = demo_round_key(deadline.succ_opt().unwrap()).unwrap();
        assert_eq!((next.month(), next.year()), (StartMonth::June, 2027));
    }
}
