//! The users list's settings (search, filters, sort and page) and the bulk status change of
//! the users a list shows.
//!
//! The settings have the same names in the app's address bar and in the query of
//! `GET /users`, so [`UserListQuery::to_pairs`] writes both. The app reads its address bar with
//! [`UserListQuery::from_pairs`], which keeps the default of any value it can't read. The
//! backend reads its query strictly and rejects a bad value with an error.

use serde::{Deserialize, Serialize};

use crate::types::{AdminLevel, UserStatus, UserStatusFilter};

/// Page sizes the list offers; the backend accepts any size from 1 to [`USERS_MAX_PER_PAGE`].
pub const USERS_PAGE_SIZES: [u32; 3] = [25, 50, 100];
pub const USERS_DEFAULT_PER_PAGE: u32 = 25;
pub const USERS_MAX_PER_PAGE: u32 = 100;
/// Most users one bulk status change may include.
pub const BULK_STATUS_MAX_USERS: usize = 10_000;

/// Column the users list is sorted by. Ties are broken by id, in the same direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    /// Username, without regard to case.
    #[default]
    Username,
    /// First name, a space and last name, without regard to case: the name as shown.
    Name,
    /// Email, without regard to case.
    Email,
    /// Administration level by its label: Account Admin before Basic User.
    Level,
    /// Status by its label: Active, Deactivated, Invited.
    Status,
    /// When the user was created.
    Created,
    /// When the user last signed in; users who never did come last in both directions.
    LastSignIn,
}

impl UserSort {
    pub const ALL: [UserSort; 7] = [
        UserSort::Username,
        UserSort::Name,
        UserSort::Email,
        UserSort::Level,
        UserSort::Status,
        UserSort::Created,
        UserSort::LastSignIn,
    ];

    /// Value in a query.
    pub fn as_str(self) -> &'static str {
        match self {
            UserSort::Username => "username",
            UserSort::Name => "name",
            UserSort::Email => "email",
            UserSort::Level => "level",
            UserSort::Status => "status",
            UserSort::Created => "created",
            UserSort::LastSignIn => "last_sign_in",
        }
    }

    pub fn parse(value: &str) -> Option<UserSort> {
        UserSort::ALL
            .into_iter()
            .find(|sort| sort.as_str() == value)
    }

    /// Heading of the column shown to people.
    pub fn label(self) -> &'static str {
        match self {
            UserSort::Username => "Username",
            UserSort::Name => "Name",
            UserSort::Email => "Email",
            UserSort::Level => "Administration level",
            UserSort::Status => "Status",
            UserSort::Created => "Created",
            UserSort::LastSignIn => "Last sign-in",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl SortDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            SortDirection::Asc => "asc",
            SortDirection::Desc => "desc",
        }
    }

    pub fn parse(value: &str) -> Option<SortDirection> {
        match value {
            "asc" => Some(SortDirection::Asc),
            "desc" => Some(SortDirection::Desc),
            _ => None,
        }
    }

    pub fn reversed(self) -> SortDirection {
        match self {
            SortDirection::Asc => SortDirection::Desc,
            SortDirection::Desc => SortDirection::Asc,
        }
    }
}

/// The filter of the users list: the search and every filter. The list, the CSV export and
/// a bulk change of all matching users use the same filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFilter {
    /// Search text (`q`); empty matches everyone. docs/api.md describes what it matches.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: UserStatusFilter,
    /// Administration level (`level`); `None` for every level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AdminLevel>,
    /// Id of a role the user has (`role`); `None` for any roles, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Id of an account the user has (`account`); `None` for any accounts, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<i64>,
}

/// Every setting of the users list. Its query form is [`UserListQuery::to_pairs`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserListQuery {
    pub filter: UserFilter,
    pub sort: UserSort,
    pub direction: SortDirection,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
}

impl Default for UserListQuery {
    fn default() -> Self {
        UserListQuery {
            filter: UserFilter::default(),
            sort: UserSort::default(),
            direction: SortDirection::default(),
            page: 1,
            per_page: USERS_DEFAULT_PER_PAGE,
        }
    }
}

impl UserListQuery {
    /// Returns the query parameters that differ from the defaults, in a fixed order:
    /// `q`, `status`, `level`, `role`, `account`, `sort`, `dir`, `page`, `per_page`.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let defaults = UserListQuery::default();
        let mut pairs = Vec::new();
        if !self.filter.q.is_empty() {
            pairs.push(("q", self.filter.q.clone()));
        }
        if self.filter.status != UserStatusFilter::All {
            pairs.push(("status", self.filter.status.as_str().to_owned()));
        }
        if let Some(level) = self.filter.level {
            pairs.push(("level", level.as_str().to_owned()));
        }
        if let Some(role) = &self.filter.role {
            pairs.push(("role", role.clone()));
        }
        if let Some(account) = self.filter.account {
            pairs.push(("account", account.to_string()));
        }
        if self.sort != defaults.sort {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.direction != defaults.direction {
            pairs.push(("dir", self.direction.as_str().to_owned()));
        }
        if self.page != defaults.page {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != defaults.per_page {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
    }

    /// Reads settings from query pairs such as the app's address bar. A missing value, or one
    /// that can't be read, keeps its default, so any link opens some view of the list;
    /// unknown names are ignored. A page size must be one of [`USERS_PAGE_SIZES`].
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> UserListQuery {
        let mut query = UserListQuery::default();
        for (name, value) in pairs {
            let value = value.trim();
            match name {
                "q" => query.filter.q = value.to_owned(),
                "status" => {
                    query.filter.status = UserStatusFilter::parse(value).unwrap_or_default();
                }
                "level" => query.filter.level = AdminLevel::parse(value),
                "role" => query.filter.role = Some(value.to_owned()).filter(|r| !r.is_empty()),
                "account" => query.filter.account = value.parse().ok().filter(|id| *id >= 1),
                "sort" => query.sort = UserSort::parse(value).unwrap_or_default(),
                "dir" => query.direction = SortDirection::parse(value).unwrap_or_default(),
                "page" => query.page = value.parse().ok().filter(|page| *page >= 1).unwrap_or(1),
                "per_page" => {
                    query.per_page = value
                        .parse()
                        .ok()
                        .filter(|size| USERS_PAGE_SIZES.contains(size))
                        .unwrap_or(USERS_DEFAULT_PER_PAGE);
                }
                _ => {}
            }
        }
        query
    }
}

/// The change of a bulk status change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusAction {
    Deactivate,
    Reactivate,
}

impl StatusAction {
    /// Verb shown to people, such as in "Deactivate 3 users".
    pub fn label(self) -> &'static str {
        match self {
            StatusAction::Deactivate => "Deactivate",
            StatusAction::Reactivate => "Reactivate",
        }
    }
}

/// The users a bulk change is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BulkSelection {
    /// `{"ids": [3, 5]}`: these users.
    Ids(Vec<i64>),
    /// `{"matching": {"q": "lind", "status": "active"}}`: every user the filter matches when
    /// the request runs.
    Matching(UserFilter),
}

/// Body of `POST /users/bulk-status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkStatusRequest {
    pub action: StatusAction,
    pub selection: BulkSelection,
    /// `true` previews: the response describes what would happen, and nothing changes.
    #[serde(default)]
    pub dry_run: bool,
}

/// The outcome of a bulk change, done or previewed, for one user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    /// Changed, or in a preview, will change.
    Changed,
    /// Skipped: already deactivated, or for a reactivation, not deactivated.
    AlreadyInState,
    /// Skipped: the admin who sent the request.
    Yourself,
    /// Skipped: the last active account admin.
    LastAccountAdmin,
    /// Skipped: no user has this id.
    NotFound,
}

impl BulkOutcome {
    pub fn is_skipped(self) -> bool {
        self != BulkOutcome::Changed
    }
}

/// One user's line of a bulk change's response. `user` is `None` only for
/// [`BulkOutcome::NotFound`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkUserResult {
    pub id: i64,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The user's status after the change (or, in a preview, now); `None` when not found.
    pub status: Option<UserStatus>,
    pub outcome: BulkOutcome,
    /// The reason the user is skipped, or the result, worded for people, such as
    /// "Already deactivated." or "Invitation email sent.".
    pub message: String,
}

/// Answer of `POST /users/bulk-status`: a line per selected user, in the list's default order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkStatusResult {
    pub action: StatusAction,
    pub dry_run: bool,
    pub results: Vec<BulkUserResult>,
    /// Lines with [`BulkOutcome::Changed`].
    pub changed: u64,
    /// All other lines.
    pub skipped: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_round_trip() {
        let query = UserListQuery {
            filter: UserFilter {
                q: "lind qvist".into(),
                status: UserStatusFilter::Deactivated,
                level: Some(AdminLevel::AccountAdmin),
                role: Some("porting".into()),
                account: Some(42),
            },
            sort: UserSort::LastSignIn,
            direction: SortDirection::Desc,
            page: 3,
            per_page: 50,
        };
        let pairs = query.to_pairs();
        let read =
            UserListQuery::from_pairs(pairs.iter().map(|(name, value)| (*name, value.as_str())));
        assert_eq!(read, query);
        assert!(UserListQuery::default().to_pairs().is_empty());
    }

    #[test]
    fn unreadable_values_keep_defaults() {
        let read = UserListQuery::from_pairs([
            ("status", "gone"),
            ("level", "root"),
            ("account", "-4"),
            ("sort", "password"),
            ("dir", "up"),
            ("page", "0"),
            ("per_page", "30"),
            ("role", " "),
            ("unknown", "x"),
        ]);
        assert_eq!(read, UserListQuery::default());
    }

    #[test]
    fn selection_json_shapes() {
        let ids: BulkSelection = serde_json::from_str(r#"{"ids":[3,5]}"#).unwrap();
        assert_eq!(ids, BulkSelection::Ids(vec![3, 5]));
        let matching: BulkSelection =
            serde_json::from_str(r#"{"matching":{"q":"lind","status":"active"}}"#).unwrap();
        assert_eq!(
            matching,
            BulkSelection::Matching(UserFilter {
                q: "lind".into(),
                status: UserStatusFilter::Active,
                ..UserFilter::default()
            })
        );
    }
}
