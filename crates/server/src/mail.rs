//! Emails to users: the [`Mailer`] trait, its two implementations (the database outbox and
//! SMTP), and the text of the invitation email.

mod outbox;
mod smtp;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use domain::User;

use crate::clock;
use crate::config::Config;
use crate::db::Db;

pub use outbox::OutboxMailer;
pub use smtp::SmtpMailer;

/// Subject of the invitation email.
pub const INVITATION_SUBJECT: &str = "Your Customer Portal account";

/// A plain-text email to one user.
pub struct Email {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Id of the user it is for, for the log.
    pub user_id: i64,
}

/// Builds an email from the user it is for, once that user is stored, so the email can be
/// written in the same transaction (see [`Mailer::stores_in_database`]).
pub type BuildEmail = Box<dyn FnOnce(&User) -> Email + Send>;

/// Future returned by [`Mailer::send`].
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Sends or stores emails. Implementations log each email with its recipient and user id,
/// never its body, which can contain an invitation link.
pub trait Mailer: Send + Sync {
    fn send(&self, email: Email) -> SendFuture<'_>;

    /// Returns whether emails go to the `outbox` table of the database. Then the handlers store an
    /// email in the transaction of the change it reports instead of calling [`Mailer::send`],
    /// so a crash can't keep the change and lose its email.
    fn stores_in_database(&self) -> bool {
        false
    }
}

/// Builds the mailer the options ask for: SMTP when `--smtp-url` is set, else the outbox.
pub fn from_config(config: &Config, db: &Db) -> anyhow::Result<Arc<dyn Mailer>> {
    match &config.smtp_url {
        Some(url) => {
            let Some(from) = &config.mail_from else {
                anyhow::bail!("--smtp-url needs --mail-from, the sender address of emails");
            };
            Ok(Arc::new(SmtpMailer::new(url, from)?))
        }
        None => Ok(Arc::new(OutboxMailer::new(db.clone()))),
    }
}

/// Builds the email that invites `user` to set a password through `link`, which works
/// until `expires_at` (seconds since the Unix epoch).
pub fn invitation_email(user: &User, link: &str, expires_at: i64) -> Email {
    let body = format!(
        "Hello {first_name},\n\
         \n\
         An account admin created a Customer Portal account for you.\n\
         \n\
         Your username: {username}\n\
         \n\
         To choose your password, open this link:\n\
         {link}\n\
         \n\
         The link works once and expires at {expires}. If it has expired, ask your account \
         admin to send a new invitation.\n",
        first_name = user.first_name,
        username = user.username,
        expires = clock::human_utc(expires_at),
    );
    Email {
        recipient: user.email.clone(),
        subject: INVITATION_SUBJECT.to_owned(),
        body,
        user_id: user.id,
    }
}
