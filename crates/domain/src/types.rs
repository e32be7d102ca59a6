//! Request and response bodies of the JSON API.

use serde::{Deserialize, Serialize};

/// The user's rights in the portal's administration: only account admins create or change
/// users.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    #[default]
    BasicUser,
    AccountAdmin,
}

impl AdminLevel {
    pub const ALL: [AdminLevel; 2] = [AdminLevel::BasicUser, AdminLevel::AccountAdmin];

    /// Label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            AdminLevel::BasicUser => "Basic User",
            AdminLevel::AccountAdmin => "Account Admin",
        }
    }

    /// Value on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminLevel::BasicUser => "basic_user",
            AdminLevel::AccountAdmin => "account_admin",
        }
    }

    pub fn parse(value: &str) -> Option<AdminLevel> {
        AdminLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == value)
    }
}

/// Whether a user can sign in. Users are never deleted, only deactivated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Created, but has not set a password through an invitation yet, so can't sign in.
    Invited,
    #[default]
    Active,
    /// Can't sign in. Reactivation returns the user to active, or to invited if they never
    /// set a password.
    Deactivated,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [
        UserStatus::Invited,
        UserStatus::Active,
        UserStatus::Deactivated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Invited => "Invited",
            UserStatus::Active => "Active",
            UserStatus::Deactivated => "Deactivated",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Deactivated => "deactivated",
        }
    }

    pub fn parse(value: &str) -> Option<UserStatus> {
        UserStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// The `status` query parameter of the users list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatusFilter {
    #[default]
    All,
    Active,
    Invited,
    Deactivated,
}

impl UserStatusFilter {
    pub const ALL: [UserStatusFilter; 4] = [
        UserStatusFilter::All,
        UserStatusFilter::Active,
        UserStatusFilter::Invited,
        UserStatusFilter::Deactivated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UserStatusFilter::All => "All statuses",
            UserStatusFilter::Active => "Active",
            UserStatusFilter::Invited => "Invited",
            UserStatusFilter::Deactivated => "Deactivated",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatusFilter::All => "all",
            UserStatusFilter::Active => "active",
            UserStatusFilter::Invited => "invited",
            UserStatusFilter::Deactivated => "deactivated",
        }
    }

    pub fn parse(value: &str) -> Option<UserStatusFilter> {
        UserStatusFilter::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// The data that a user with no roles can still read.
pub const NO_ROLE_READ_ACCESS: &str =
    "orders, order details, SIP peer details, edge settings and subscriptions";

/// A permission set that can be granted to a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Stable identifier, e.g. `address_management`.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Whether the add-user form ticks this role from the start.
    pub enabled_by_default: bool,
}

/// A billing account of the organisation; users are granted access per account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    /// Account number as printed on invoices.
    pub number: String,
    pub name: String,
}

/// Accounts per page of `GET /accounts` when the request gives no `limit`.
pub const ACCOUNTS_DEFAULT_LIMIT: u32 = 50;
/// Largest `limit` of `GET /accounts`, and the most `ids` one request may name.
pub const ACCOUNTS_MAX_LIMIT: u32 = 100;

/// One page of the accounts that match a search, in account number order, or the accounts
/// that a request named by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub accounts: Vec<Account>,
    /// Number of accounts matching the search, over all pages. For a request by id, the
    /// number of ids that named an account.
    pub total: u64,
    /// The `after` value that requests the next page: the id of this page's last account.
    /// `None` on the last page.
    pub next_after: Option<i64>,
}

/// A stored user, as the backend returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// E.164 form, `+` and digits only.
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    pub status: UserStatus,
    /// Role ids, sorted.
    pub roles: Vec<String>,
    /// Account ids, sorted.
    pub account_ids: Vec<i64>,
    /// RFC 3339 timestamp in UTC.
    pub created_at: String,
    /// RFC 3339 timestamp in UTC of the latest sign-in; `None` until the first one.
    #[serde(default)]
    pub last_sign_in_at: Option<String>,
    /// Grows with every change to the user, status and sign-in time included. The `ETag` of
    /// `GET /users/{id}` is this number in quotes, and an edit sends it back in `If-Match`.
    #[serde(default)]
    pub version: u64,
}

/// Body of a 412 answer: the usual error members, plus the user as now stored, so a client
/// can show what changed since it read the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionConflict {
    pub message: String,
    #[serde(default)]
    pub fields: crate::FieldErrors,
    pub current_user: User,
}

impl VersionConflict {
    pub const MESSAGE: &str = "Someone else changed this user after you opened it. Compare \
         their changes with yours, then save again.";
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// Body of the create-user request, as typed by the admin. Unknown members are rejected, so
/// a misspelt optional member is not silently dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Empty or missing means no work phone.
    #[serde(default)]
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub account_ids: Vec<i64>,
}

/// Body of the edit-user request: a full replacement of every field that can change.
///
/// The username never changes. A `username` member is accepted so that a client may send
/// it along, but it must equal the stored username after trimming. Other unknown members,
/// such as the `id` or `status` of a [`User`], are rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Empty or missing means no work phone.
    #[serde(default)]
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub account_ids: Vec<i64>,
}

impl From<&User> for UserUpdate {
    /// Starts an edit from the stored user, without its username.
    fn from(user: &User) -> Self {
        UserUpdate {
            username: None,
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            work_phone: user.work_phone.clone(),
            admin_level: user.admin_level,
            roles: user.roles.clone(),
            account_ids: user.account_ids.clone(),
        }
    }
}

/// One page of the users list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<User>,
    /// Number of users matching the search and filter, over all pages.
    pub total: u64,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
}

impl UserPage {
    pub fn page_count(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

/// Body of the sign-in request. Unknown members are rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub admin_level: AdminLevel,
}

impl CurrentUser {
    pub fn is_account_admin(&self) -> bool {
        self.admin_level == AdminLevel::AccountAdmin
    }
}

/// Result of the username availability check. It repeats the username it was asked about,
/// so the app can ignore answers about text the admin has since changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsernameAvailability {
    pub username: String,
    pub available: bool,
    /// Reason the username can't be used (invalid, or taken); `None` when available.
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_level_wire_names() {
        let json = serde_json::to_string(&AdminLevel::AccountAdmin).unwrap();
        assert_eq!(json, "\"account_admin\"");
        assert_eq!(AdminLevel::parse("basic_user"), Some(AdminLevel::BasicUser));
        assert_eq!(AdminLevel::parse("root"), None);
    }

    #[test]
    fn status_wire_names() {
        for status in UserStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", status.as_str()),
                "{status:?} on the wire"
            );
            assert_eq!(
                UserStatus::parse(status.as_str()),
                Some(status),
                "{status:?} parses"
            );
        }
        assert_eq!(
            UserStatusFilter::parse("invited"),
            Some(UserStatusFilter::Invited)
        );
    }

    #[test]
    fn page_count_rounds_up_and_is_at_least_one() {
        let page = |total| UserPage {
            users: vec![],
            total,
            page: 1,
            per_page: 25,
        };
        assert_eq!(page(0).page_count(), 1);
        assert_eq!(page(25).page_count(), 1);
        assert_eq!(page(26).page_count(), 2);
    }

    #[test]
    fn request_bodies_reject_unknown_members() {
        let new_user = r#"{"username":"a.b","first_name":"A","last_name":"B",
            "email":"a@b.co","admin_level":"basic_user","workphone":"+14155550100"}"#;
        let error = serde_json::from_str::<NewUser>(new_user).unwrap_err();
        assert!(error.to_string().contains("workphone"), "NewUser: {error}");
        let update = r#"{"first_name":"A","last_name":"B","email":"a@b.co",
            "admin_level":"basic_user","id":3}"#;
        assert!(
            serde_json::from_str::<UserUpdate>(update).is_err(),
            "UserUpdate rejects id"
        );
        let sign_in = r#"{"username":"a","password":"b","remember":true}"#;
        assert!(
            serde_json::from_str::<SignIn>(sign_in).is_err(),
            "SignIn rejects remember"
        );
    }

    #[test]
    fn new_user_without_optional_members_deserializes() {
        let json = r#"{"username":"a.b","first_name":"A","last_name":"B",
            "email":"a@b.co","admin_level":"basic_user"}"#;
        let user: NewUser = serde_json::from_str(json).unwrap();
        assert_eq!(user.work_phone, None);
        assert!(user.roles.is_empty());
        assert!(user.account_ids.is_empty());
    }
}
