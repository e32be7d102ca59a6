//! State shared by every page, provided once by the app.

pub mod flash;
pub mod session;
