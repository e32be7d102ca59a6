//! The mailer used with `--smtp-url`: sends plain-text emails through an SMTP server.

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::mail::{Email, Mailer, SendFuture};

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Checks the SMTP URL and the sender address. No connection is made until the first
    /// email is sent.
    pub fn new(url: &str, from: &str) -> anyhow::Result<SmtpMailer> {
        // The URL can carry a password, so it is never quoted in the error.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("invalid --smtp-url; expected e.g. smtps://user:password@host")?
            .build();
        let from = from
            .parse()
            .with_context(|| format!("invalid --mail-from {from:?}"))?;
        Ok(SmtpMailer { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, email: Email) -> SendFuture<'_> {
        Box::pin(async move {
            let recipient: Mailbox = email
                .recipient
                .parse()
                .with_context(|| format!("invalid recipient address {:?}", email.recipient))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(recipient)
                .subject(email.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(email.body)
                .context("failed to build the email")?;
            self.transport
                .send(message)
                .await
                .with_context(|| format!("SMTP failed to send to {}", email.recipient))?;
            tracing::info!(recipient = %email.recipient, user_id = email.user_id, "email sent");
            Ok(())
        })
    }
}
