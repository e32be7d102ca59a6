//! Sentences about the loaded list for people and screen readers: how many users the search
//! and filters found, or that none match them.

use domain::{UserListQuery, UserPage, UserStatusFilter};

use crate::components::pagination::shown_range;
use crate::format::format_count;

/// Shown in place of the list while the backend rejects its role or account filter, whose
/// own message shows at that filter.
pub const INVALID_FILTER: &str =
    "No users are shown because a filter is invalid. Change it, or clear the filters.";

/// Describes the filters of `query` other than the status, each starting with a space, such
/// as " with role Porting in the chosen account". `role_name` is the name of the role
/// filtered by, when known. Without it, the role's id is shown.
fn filter_phrases(query: &UserListQuery, role_name: Option<&str>) -> String {
    let filter = &query.filter;
    let mut phrases = String::new();
    if let Some(level) = filter.level {
        phrases.push_str(&format!(" with administration level {}", level.label()));
    }
    if let Some(role) = &filter.role {
        phrases.push_str(&format!(" with role {}", role_name.unwrap_or(role)));
    }
    if filter.account.is_some() {
        phrases.push_str(" in the chosen account");
    }
    phrases
}

/// Says that no users match `query`, such as "No deactivated users with role Porting match
/// “lind”." or, with no filter at all, "No users yet.".
pub fn empty_message(query: &UserListQuery, role_name: Option<&str>) -> String {
    let users = users_noun(query.filter.status, 0);
    let phrases = filter_phrases(query, role_name);
    match (query.filter.q.is_empty(), phrases.is_empty()) {
        (true, true) => format!("No {users} yet."),
        (true, false) => format!("No {users}{phrases}."),
        (false, _) => format!("No {users}{phrases} match “{}”.", query.filter.q),
    }
}

/// Sums up a loaded page for screen readers, such as "43 users found with role Porting,
/// showing 26–43."
pub fn results_summary(page: &UserPage, query: &UserListQuery, role_name: Option<&str>) -> String {
    if page.users.is_empty() {
        return if page.total == 0 {
            empty_message(query, role_name)
        } else {
            past_end_message(page, query)
        };
    }
    let users = users_noun(query.filter.status, page.total);
    let mut phrases = filter_phrases(query, role_name);
    if !query.filter.q.is_empty() {
        phrases.push_str(&format!(" matching “{}”", query.filter.q));
    }
    let (first, last) = shown_range(page);
    if first == 1 && last == page.total {
        format!("{} {users} found{phrases}.", page.total)
    } else {
        format!(
            "{} {users} found{phrases}, showing {first}–{last}.",
            page.total
        )
    }
}

/// Says that the page asked for, as by an old link, comes after the last page.
pub fn past_end_message(page: &UserPage, query: &UserListQuery) -> String {
    let users = users_noun(query.filter.status, page.total);
    let page_count = page.page_count();
    let pages = if page_count == 1 { "page" } else { "pages" };
    format!(
        "Page {} is past the end of the list, which has {} {users} on {} {pages}.",
        format_count(u64::from(page.page)),
        format_count(page.total),
        format_count(u64::from(page_count)),
    )
}

/// Names the users that `status` lets through, in the singular when `count` is 1.
pub fn users_noun(status: UserStatusFilter, count: u64) -> String {
    let kind = match status {
        UserStatusFilter::All => "",
        UserStatusFilter::Active => "active ",
        UserStatusFilter::Invited => "invited ",
        UserStatusFilter::Deactivated => "deactivated ",
    };
    let noun = if count == 1 { "user" } else { "users" };
    format!("{kind}{noun}")
}
