//! One module per route.

pub mod new_user;
pub mod not_found;
pub mod sign_in;
pub mod users;
