//! Delivers the mail outbox over SMTP (`lettre`), with retries and exponential backoff.
//!
//! Each mail is first *claimed* with one conditional update (see `store::outbox::claim`), so
//! several server processes on one database each send a mail at most once; a claim expires, so
//! a mail whose worker died is picked up again. A mail that keeps failing stays in the outbox
//! with its last error, visible to coordinators.
//!
//! A mail with a one-time link gets it here, just before it leaves: a fresh token is stored (as
//! a hash) and the link replaces [`crate::mail::PERSONAL_LINK`] in the body that is sent. The
//! stored body keeps the placeholder, so the outbox never shows a usable link.

use std::time::Duration as StdDuration;

use anyhow::Context;
use chrono::{Duration, Utc};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::DatabaseConnection;

use crate::auth::opaque;
use crate::mail::{OneTimeLink, PERSONAL_LINK};
use crate::store::entities::outbox as entity;
use crate::store::outbox;
use crate::store::tokens::{self, Purpose};

/// Attempts before a mail is left for a person to look at.
pub const MAX_ATTEMPTS: i32 = 10;

/// How long a claim holds.
const CLAIM: Duration = Duration::minutes(2);

/// Delay before the next attempt after `attempt` failures: 30 s, 1 min, 2 min, ... at most 1 h.
pub fn backoff(attempt: i32) -> Duration {
    let exponent = attempt.clamp(1, 8) - 1;
    Duration::seconds((30_i64 << exponent).min(3600))
}

/// The delivery worker.
pub struct Delivery {
    db: DatabaseConnection,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    poll: StdDuration,
    public_url: String,
}

impl Delivery {
    /// A worker for `smtp_url` (`smtp://host:port`, `smtps://user:pass@host`, ...).
    pub fn new(
        db: DatabaseConnection,
        smtp_url: &str,
        from: &str,
        poll: StdDuration,
        public_url: &str,
    ) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .context("KOPPEL_SMTP_URL is not a valid SMTP URL")?
            .timeout(Some(StdDuration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .context("KOPPEL_MAIL_FROM is not a valid sender address")?;
        Ok(Self {
            db,
            transport,
            from,
            poll,
            public_url: public_url.to_owned(),
        })
    }

    /// Delivers due mails every poll interval, forever.
    pub async fn run(self) {
        loop {
            if let Err(error) = self.deliver_due().await {
                tracing::warn!(error = ?error, "mail delivery round failed");
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// One round: claims and sends every due mail; answers how many were sent.
    pub async fn deliver_due(&self) -> anyhow::Result<usize> {
        let now = Utc::now();
        let mut sent = 0;
        for mail in outbox::due(&self.db, now, MAX_ATTEMPTS, 50).await? {
            if !outbox::claim(&self.db, mail.id, now, now + CLAIM).await? {
                continue;
            }
            match self.send(&mail).await {
                Ok(()) => {
                    outbox::mark_sent(&self.db, mail.id, Utc::now()).await?;
                    tracing::info!(kind = %mail.kind, to = %mail.recipient, "mail sent");
                    sent += 1;
                }
                Err(error) => {
                    let next = Utc::now() + backoff(mail.attempts + 1);
                    outbox::mark_failed(&self.db, mail.id, next, &format!("{error:#}")).await?;
                    tracing::warn!(kind = %mail.kind, to = %mail.recipient, attempt = mail.attempts + 1, error = %format!("{error:#}"), "mail not sent; will retry");
                }
            }
        }
        Ok(sent)
    }

    /// The body to send: with a fresh one-time link in place of the placeholder, if the mail
    /// carries one.
    async fn body_to_send(&self, mail: &entity::Model) -> anyhow::Result<String> {
        let (Some(purpose), Some(user_id), Some(seconds)) = (
            mail.link_purpose.as_deref(),
            mail.link_user_id,
            mail.link_valid_seconds,
        ) else {
            return Ok(mail.body.clone());
        };
        let link = OneTimeLink {
            purpose: Purpose::parse(purpose)
                .with_context(|| format!("unknown one-time link purpose '{purpose}'"))?,
            user_id,
            valid_for: Duration::seconds(seconds),
        };
        let token = opaque::generate();
        let now = Utc::now();
        tokens::insert_one_time(
            &self.db,
            user_id,
            &token.hash,
            link.purpose,
            now,
            now + link.valid_for,
        )
        .await
        .context("storing the mail's one-time token failed")?;
        Ok(mail
            .body
            .replace(PERSONAL_LINK, &link.url(&self.public_url, &token.token)))
    }

    async fn send(&self, mail: &entity::Model) -> anyhow::Result<()> {
        let body = self.body_to_send(mail).await?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(mail
                .recipient
                .parse()
                .context("the recipient address is invalid")?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.transport
            .send(message)
            .await
            .context("the SMTP server refused the mail")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let seconds: Vec<i64> = (1..=10).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(
            seconds,
            [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        );
    }
}
