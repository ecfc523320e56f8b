//! Queries on trainees, trainers and practices of an institute.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{practice, trainee, trainee_history, trainer};

/// A page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// 1-based.
    pub number: u64,
    /// Items per page.
    pub size: u64,
}

/// A trainee's fields, validated.
#[derive(Debug, Clone)]
pub struct TraineeFields {
    /// Name.
    pub name: String,
    /// Normalised e-mail address.
    pub email: String,
    /// Training start.
    pub training_start: NaiveDate,
    /// Part-time factor.
    pub part_time_factor: f64,
    /// Leave days.
    pub leave_days: u32,
    /// Earlier couplings: trainer, year, start, end.
    pub history: Vec<(Uuid, u8, NaiveDate, Option<NaiveDate>)>,
}

/// A trainer's fields, validated.
#[derive(Debug, Clone)]
pub struct TrainerFields {
    /// Name.
    pub name: String,
    /// Normalised e-mail address.
    pub email: String,
    /// Practice.
    pub practice_id: Option<Uuid>,
    /// Year 1.
    pub eligible_year1: bool,
    /// Year 3.
    pub eligible_year3: bool,
    /// Large-scale structure.
    pub large_scale_structure: bool,
    /// Last trainee's end.
    pub last_trainee_end: Option<NaiveDate>,
}

/// Inserts or replaces a trainee with its history.
pub async fn save_trainee(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Option<Uuid>,
    fields: &TraineeFields,
    now: DateTime<Utc>,
) -> Result<trainee::Model, DbErr> {
    let existing = match id {
        Some(id) => trainee::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let id = id.unwrap_or_else(Uuid::new_v4);
    let mut row = trainee::ActiveModel {
        id: Set(id),
        institute_id: Set(institute_id),
        name: Set(fields.name.clone()),
        email: Set(fields.email.clone()),
        training_start: Set(fields.training_start),
        part_time_factor: Set(fields.part_time_factor),
        leave_days: Set(fields.leave_days as i32),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = if let Some(existing) = existing {
        row.user_id = Set(existing.user_id);
        row.created_at = Set(existing.created_at);
        let saved = row.update(db).await?;
        // The entries typed in are replaced; those written by published couplings stay.
        trainee_history::Entity::delete_many()
            .filter(trainee_history::Column::TraineeId.eq(id))
            .filter(trainee_history::Column::RoundId.is_null())
            .exec(db)
            .await?;
        saved
    } else {
        row.user_id = Set(None);
        row.created_at = Set(now);
        trainee::Entity::insert(row).exec_with_returning(db).await?
    };
    // A client that sends back what it read also sends the entries rounds wrote: those are
    // not entered twice.
    let written: Vec<(Uuid, i16, NaiveDate)> = trainee_history::Entity::find()
        .filter(trainee_history::Column::TraineeId.eq(id))
        .filter(trainee_history::Column::RoundId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|entry| (entry.trainer_id, entry.training_year, entry.starts_on))
        .collect();
    for (trainer_id, year, starts_on, ends_on) in &fields.history {
        if written.contains(&(*trainer_id, i16::from(*year), *starts_on)) {
            continue;
        }
        trainee_history::Entity::insert(trainee_history::ActiveModel {
            id: Set(Uuid::new_v4()),
            trainee_id: Set(id),
            trainer_id: Set(*trainer_id),
            training_year: Set(i16::from(*year)),
            starts_on: Set(*starts_on),
            ends_on: Set(*ends_on),
            round_id: Set(None),
        })
        .exec(db)
        .await?;
    }
    Ok(saved)
}

/// One trainee of an institute.
pub async fn find_trainee(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
) -> Result<Option<trainee::Model>, DbErr> {
    trainee::Entity::find_by_id(id)
        .filter(trainee::Column::InstituteId.eq(institute_id))
        .one(db)
        .await
}

/// The history of trainees.
pub async fn histories(
    db: &impl ConnectionTrait,
    trainee_ids: &[Uuid],
) -> Result<Vec<trainee_history::Model>, DbErr> {
    trainee_history::Entity::find()
        .filter(trainee_history::Column::TraineeId.is_in(trainee_ids.iter().copied()))
        .order_by_asc(trainee_history::Column::StartsOn)
        .all(db)
        .await
}

/// A page of an institute's trainees, by name, optionally filtered by name or e-mail.
pub async fn list_trainees(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    search: Option<&str>,
    page: Option<Page>,
) -> Result<(Vec<trainee::Model>, u64), DbErr> {
    let mut query = trainee::Entity::find().filter(trainee::Column::InstituteId.eq(institute_id));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(
            Condition::any()
                .add(trainee::Column::Name.contains(search))
                .add(trainee::Column::Email.contains(search.to_lowercase())),
        );
    }
    let total = query.clone().count(db).await?;
    let mut query = query
        .order_by_asc(trainee::Column::Name)
        .order_by_asc(trainee::Column::Id);
    if let Some(page) = page {
        query = query.offset((page.number - 1) * page.size).limit(page.size);
    }
    Ok((query.all(db).await?, total))
}

/// Inserts or replaces a trainer.
pub async fn save_trainer(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Option<Uuid>,
    fields: &TrainerFields,
    now: DateTime<Utc>,
) -> Result<trainer::Model, DbErr> {
    let existing = match id {
        Some(id) => trainer::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut row = trainer::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::new_v4)),
        institute_id: Set(institute_id),
        practice_id: Set(fields.practice_id),
        name: Set(fields.name.clone()),
        email: Set(fields.email.clone()),
        eligible_year1: Set(fields.eligible_year1),
        eligible_year3: Set(fields.eligible_year3),
        large_scale_structure: Set(fields.large_scale_structure),
        last_trainee_end: Set(fields.last_trainee_end),
        updated_at: Set(now),
        ..Default::default()
    };
    match existing {
        Some(existing) => {
            row.user_id = Set(existing.user_id);
            row.created_at = Set(existing.created_at);
            row.update(db).await
        }
        None => {
            row.user_id = Set(None);
            row.created_at = Set(now);
            trainer::Entity::insert(row).exec_with_returning(db).await
        }
    }
}

/// One trainer of an institute.
pub async fn find_trainer(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
) -> Result<Option<trainer::Model>, DbErr> {
    trainer::Entity::find_by_id(id)
        .filter(trainer::Column::InstituteId.eq(institute_id))
        .one(db)
        .await
}

/// Ids per query at most when looking many up at once (SQLite allows 32,766 parameters).
const IDS_PER_QUERY: usize = 1000;

/// An institute's trainers among `ids`, by id: one query per thousand ids, instead of one per
/// trainer.
pub async fn trainers_by_id(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, trainer::Model>, DbErr> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for row in trainer::Entity::find()
            .filter(trainer::Column::InstituteId.eq(institute_id))
            .filter(trainer::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(row.id, row);
        }
    }
    Ok(out)
}

/// An institute's trainees among `ids`, by id (as [`trainers_by_id`]).
pub async fn trainees_by_id(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, trainee::Model>, DbErr> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for row in trainee::Entity::find()
            .filter(trainee::Column::InstituteId.eq(institute_id))
            .filter(trainee::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(row.id, row);
        }
    }
    Ok(out)
}

/// An institute's practices among `ids`, by id (as [`trainers_by_id`]).
pub async fn practices_by_id(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, practice::Model>, DbErr> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        for row in practice::Entity::find()
            .filter(practice::Column::InstituteId.eq(institute_id))
            .filter(practice::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(row.id, row);
        }
    }
    Ok(out)
}

/// Ids of an institute's trainers among `ids`.
pub async fn existing_trainer_ids(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    Ok(trainer::Entity::find()
        .filter(trainer::Column::InstituteId.eq(institute_id))
        .filter(trainer::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect())
}

/// A page of an institute's trainers, by name, optionally filtered by name or e-mail.
pub async fn list_trainers(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    search: Option<&str>,
    page: Option<Page>,
) -> Result<(Vec<trainer::Model>, u64), DbErr> {
    let mut query = trainer::Entity::find().filter(trainer::Column::InstituteId.eq(institute_id));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(
            Condition::any()
                .add(trainer::Column::Name.contains(search))
                .add(trainer::Column::Email.contains(search.to_lowercase())),
        );
    }
    let total = query.clone().count(db).await?;
    let mut query = query
        .order_by_asc(trainer::Column::Name)
        .order_by_asc(trainer::Column::Id);
    if let Some(page) = page {
        query = query.offset((page.number - 1) * page.size).limit(page.size);
    }
    Ok((query.all(db).await?, total))
}

/// Inserts or replaces a practice.
pub async fn save_practice(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Option<Uuid>,
    name: &str,
    city: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<practice::Model, DbErr> {
    let existing = match id {
        Some(id) => practice::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut row = practice::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::new_v4)),
        institute_id: Set(institute_id),
        name: Set(name.to_owned()),
        city: Set(city.to_owned()),
        description: Set(description.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    match existing {
        Some(existing) => {
            row.created_at = Set(existing.created_at);
            row.update(db).await
        }
        None => {
            row.created_at = Set(now);
            practice::Entity::insert(row).exec_with_returning(db).await
        }
    }
}

/// One practice of an institute.
pub async fn find_practice(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    id: Uuid,
) -> Result<Option<practice::Model>, DbErr> {
    practice::Entity::find_by_id(id)
        .filter(practice::Column::InstituteId.eq(institute_id))
        .one(db)
        .await
}

/// Practices of an institute, by name.
pub async fn list_practices(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<Vec<practice::Model>, DbErr> {
    practice::Entity::find()
        .filter(practice::Column::InstituteId.eq(institute_id))
        .order_by_asc(practice::Column::Name)
        .all(db)
        .await
}

/// Rows per multi-row `INSERT`: well under SQLite's and PostgreSQL's limits on bound parameters.
pub(crate) const INSERT_CHUNK: usize = 500;

/// Ids by normalised e-mail address among `emails`, one query per thousand addresses. `query`
/// selects the institute's rows with those addresses; `key` reads a row's address and id.
async fn ids_by_emails<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    emails: &[&str],
    query: impl Fn(&[&str]) -> sea_orm::Select<E>,
    key: impl Fn(E::Model) -> (String, Uuid),
) -> Result<std::collections::HashMap<String, Uuid>, DbErr> {
    let mut found = std::collections::HashMap::new();
    for chunk in emails.chunks(1000) {
        found.extend(query(chunk).all(db).await?.into_iter().map(&key));
    }
    Ok(found)
}

/// Ids by normalised e-mail address of the institute's trainees among `emails`.
pub async fn trainee_ids_by_emails(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    emails: &[&str],
) -> Result<std::collections::HashMap<String, Uuid>, DbErr> {
    let query = |chunk: &[&str]| {
        trainee::Entity::find()
            .filter(trainee::Column::InstituteId.eq(institute_id))
            .filter(trainee::Column::Email.is_in(chunk.iter().copied()))
    };
    ids_by_emails(db, emails, query, |row| (row.email, row.id)).await
}

/// Ids by normalised e-mail address of the institute's trainers among `emails`.
pub async fn trainer_ids_by_emails(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    emails: &[&str],
) -> Result<std::collections::HashMap<String, Uuid>, DbErr> {
    let query = |chunk: &[&str]| {
        trainer::Entity::find()
            .filter(trainer::Column::InstituteId.eq(institute_id))
            .filter(trainer::Column::Email.is_in(chunk.iter().copied()))
    };
    ids_by_emails(db, emails, query, |row| (row.email, row.id)).await
}

/// The ids of the institute's practices.
pub async fn practice_ids(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
) -> Result<std::collections::HashSet<Uuid>, DbErr> {
    Ok(practice::Entity::find()
        .filter(practice::Column::InstituteId.eq(institute_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect())
}

/// Saves trainees: updates one by one (they come from single edits), new ones with multi-row
/// inserts, so a large import holds the write lock only briefly. Answers in the order given.
pub async fn save_trainees(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    rows: &[(&TraineeFields, Option<Uuid>)],
    now: DateTime<Utc>,
) -> Result<Vec<trainee::Model>, DbErr> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 6);
    let mut saved = Vec::with_capacity(rows.len());
    let mut new_rows = Vec::new();
    let mut history = Vec::new();
    for (fields, id) in rows {
        if let Some(id) = id {
            saved.push(save_trainee(db, institute_id, Some(*id), fields, now).await?);
            continue;
        }
        let model = trainee::Model {
            id: Uuid::new_v4(),
            institute_id,
            user_id: None,
            name: fields.name.clone(),
            email: fields.email.clone(),
            training_start: fields.training_start,
            part_time_factor: fields.part_time_factor,
            leave_days: fields.leave_days as i32,
            created_at: now,
            updated_at: now,
        };
        history.extend(
            fields
                .history
                .iter()
                .map(
                    |(trainer_id, year, starts_on, ends_on)| trainee_history::ActiveModel {
                        id: Set(Uuid::new_v4()),
                        trainee_id: Set(model.id),
                        trainer_id: Set(*trainer_id),
                        training_year: Set(i16::from(*year)),
                        starts_on: Set(*starts_on),
                        ends_on: Set(*ends_on),
                        round_id: Set(None),
                    },
                ),
        );
        new_rows.push(trainee::ActiveModel::from(model.clone()));
        saved.push(model);
    }
    for chunk in new_rows.chunks(INSERT_CHUNK) {
        trainee::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    for chunk in history.chunks(INSERT_CHUNK) {
        trainee_history::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(saved)
}

/// Saves trainers like [`save_trainees`].
pub async fn save_trainers(
    db: &impl ConnectionTrait,
    institute_id: Uuid,
    rows: &[(&TrainerFields, Option<Uuid>)],
    now: DateTime<Utc>,
) -> Result<Vec<trainer::Model>, DbErr> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 6);
    let mut saved = Vec::with_capacity(rows.len());
    let mut new_rows = Vec::new();
    for (fields, id) in rows {
        if let Some(id) = id {
            saved.push(save_trainer(db, institute_id, Some(*id), fields, now).await?);
            continue;
        }
        let model = trainer::Model {
            id: Uuid::new_v4(),
            institute_id,
            user_id: None,
            practice_id: fields.practice_id,
            name: fields.name.clone(),
            email: fields.email.clone(),
            eligible_year1: fields.eligible_year1,
            eligible_year3: fields.eligible_year3,
            large_scale_structure: fields.large_scale_structure,
            last_trainee_end: fields.last_trainee_end,
            coupled_until: None,
            created_at: now,
            updated_at: now,
        };
        new_rows.push(trainer::ActiveModel::from(model.clone()));
        saved.push(model);
    }
    for chunk in new_rows.chunks(INSERT_CHUNK) {
        trainer::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(saved)
}
