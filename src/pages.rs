//! One module per route.

pub mod new_user;
pub mod not_found;
pub mod set_password;
pub mod sign_in;
pub mod user_detail;
pub mod users;
