//! The console's browser app: account admins sign in, list and search their organisation's
//! users, add users, and deactivate or reactivate them.
//!
//! All HTTP goes through [`api`]; validation comes from the shared `domain` crate, so the app
//! shows the same errors the backend would send.

pub mod api;
pub mod app;
pub mod app_path;
pub mod aria;
pub mod base_path;
pub mod classes;
pub mod components;
pub mod contexts;
pub mod csv;
pub mod error;
pub mod format;
pub mod page_title;
pub mod pages;
pub mod performance_marks;
pub mod runtime_config;
