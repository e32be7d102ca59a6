//! The default mailer: stores emails in the `outbox` table, where developers and tests read
//! them (`console-server outbox`, or `GET /api/v1/dev/outbox` with `--expose-outbox`).

use crate::db::{Db, outbox};
use crate::mail::{Email, Mailer, SendFuture};

pub struct OutboxMailer {
    db: Db,
}

impl OutboxMailer {
    pub fn new(db: Db) -> OutboxMailer {
        OutboxMailer { db }
    }
}

impl Mailer for OutboxMailer {
    fn send(&self, email: Email) -> SendFuture<'_> {
        Box::pin(async move {
            let Email {
                recipient,
                subject,
                body,
                user_id,
            } = email;
            let logged_recipient = recipient.clone();
            self.db
                .run(move |connection| Ok(outbox::insert(connection, &recipient, &subject, &body)?))
                .await
                .map_err(|error| anyhow::anyhow!("failed to store an email: {error:?}"))?;
            tracing::info!(recipient = %logged_recipient, user_id, "email stored in the outbox");
            Ok(())
        })
    }

    fn stores_in_database(&self) -> bool {
        true
    }
}
