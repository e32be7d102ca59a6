//! Views used by several pages, or big enough to need their own file.

pub mod account_menu;
pub mod account_picker;
pub mod app_header;
pub mod breadcrumb;
pub mod confirm_dialog;
pub mod connection_banner;
pub mod edit_user_form;
pub mod error_summary;
pub mod error_view;
pub mod form_draft;
pub mod navigation_focus;
pub mod pagination;
pub mod password_checklist;
pub mod password_field;
pub mod require_sign_in;
pub mod role_picker;
pub mod save_progress;
pub mod status_change;
pub mod submit_result;
pub mod text_field;
pub mod unsaved_changes;
pub mod user_actions;
pub mod user_fields;
pub mod user_form;
pub mod user_table;
pub mod username_field;
