//! Types exchanged by the console and its backend as JSON, and every validation rule.
//!
//! This crate does no I/O: it compiles for wasm32 (the app) and native (the backend), so both
//! sides run the same rules. The backend enforces them; the app runs them to show errors early.

mod error;
mod invitation;
mod keys;
mod list;
mod password;
mod rules;
mod types;

pub use error::{ApiError, FieldErrors};
pub use invitation::{
    InvitationAccept, InvitationDetails, InvitationLookup, InvitationSent, OutboxMessage,
};
pub use keys::{canonical_email_domain, email_key, fold_key, username_key};
pub use list::{
    BULK_STATUS_MAX_USERS, BulkOutcome, BulkSelection, BulkStatusRequest, BulkStatusResult,
    BulkUserResult, SortDirection, StatusAction, USERS_DEFAULT_PER_PAGE, USERS_MAX_PER_PAGE,
    USERS_PAGE_SIZES, UserFilter, UserListQuery, UserSort,
};
pub use password::{
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS_DEFAULT, PASSWORD_MIN_CHARS_FLOOR,
    PASSWORD_NOT_BLANK_LABEL, PERSONAL_VALUE_MIN_CHARS, PasswordCheck, PasswordContext,
    PasswordRule, check_password, validate_password,
};
pub use rules::{
    EMAIL_MAX_CHARS, NAME_MAX_CHARS, PHONE_MAX_DIGITS, USERNAME_MAX_CHARS, USERNAME_MIN_CHARS,
    ValidNewUser, ValidUserUpdate, normalize_key, normalize_work_phone, validate_email,
    validate_name, validate_new_user, validate_user_update, validate_username,
};
pub use types::{
    ACCOUNTS_DEFAULT_LIMIT, ACCOUNTS_MAX_LIMIT, Account, AccountPage, AdminLevel, CurrentUser,
    NO_ROLE_READ_ACCESS, NewUser, Role, SignIn, User, UserPage, UserStatus, UserStatusFilter,
    UserUpdate, UsernameAvailability, VersionConflict,
};

/// Path prefix of every JSON operation of the backend.
pub const API_PREFIX: &str = "/api/v1";

/// JSON field names, used as keys of [`FieldErrors`] by both sides.
pub mod field {
    pub const USERNAME: &str = "username";
    pub const FIRST_NAME: &str = "first_name";
    pub const LAST_NAME: &str = "last_name";
    pub const EMAIL: &str = "email";
    pub const WORK_PHONE: &str = "work_phone";
    pub const ADMIN_LEVEL: &str = "admin_level";
    pub const ROLES: &str = "roles";
    pub const ACCOUNT_IDS: &str = "account_ids";
    pub const PASSWORD: &str = "password";
    pub const TOKEN: &str = "token";
}
