//! The mail outbox: mails are written here in the same transaction as the change that causes
//! them, and delivered later, so a mail is never lost nor sent for a change that rolled back.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::entities::outbox;
use crate::mail::Mail;

/// Queues a mail.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    institute_id: Option<Uuid>,
    mail: &Mail,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    let row = outbox::ActiveModel {
        id: Set(id),
        institute_id: Set(institute_id),
        kind: Set(mail.kind.to_owned()),
        recipient: Set(mail.recipient.clone()),
        subject: Set(mail.subject.clone()),
        body: Set(mail.body.clone()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
    };
    outbox::Entity::insert(row).exec(db).await?;
    Ok(id)
}
