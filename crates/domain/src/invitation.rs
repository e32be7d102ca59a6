//! Bodies of the set-password flow, which a user reaches through the link of an invitation
//! email, and of the outbox that stores sent emails for developers and tests.

use serde::{Deserialize, Serialize};

use crate::PasswordContext;

/// Body of the invitation lookup: the token from the link's `#token=` fragment. Unknown
/// members are rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationLookup {
    pub token: String,
}

/// Details of a valid invitation that the set-password page shows, plus the values it needs to
/// check the password rules as the user types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationDetails {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Minimum password length the backend enforces.
    pub password_min_chars: usize,
    /// RFC 3339 timestamp in UTC after which the link no longer works.
    pub expires_at: String,
}

impl InvitationDetails {
    /// Returns the context for [`crate::check_password`] of this user.
    pub fn password_context(&self) -> PasswordContext {
        PasswordContext {
            username: self.username.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            min_chars: self.password_min_chars,
        }
    }
}

/// Body of the invitation acceptance: the token and the chosen password. Unknown members are
/// rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationAccept {
    pub token: String,
    pub password: String,
}

/// An email as stored in the backend's outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339 timestamp in UTC.
    pub created_at: String,
}

/// Response to a resent invitation. The link itself goes only to the user's email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    /// Email address the invitation went to.
    pub recipient: String,
    /// RFC 3339 timestamp in UTC after which the new link no longer works.
    pub expires_at: String,
}
