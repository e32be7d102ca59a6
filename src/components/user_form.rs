//! State shared by the add-user and edit-user forms: the draft of typed values, and the field
//! errors with the summary above the form.

use domain::{AdminLevel, FieldErrors, NewUser, User, UserUpdate, field};
use leptos::html::Div;
use leptos::prelude::*;

use crate::components::error_summary::SummaryEntry;
use crate::components::text_field::field_id;

/// Fields in the order the forms show them, which is also the order of the error summary.
const FIELD_ORDER: [&str; 8] = [
    field::ADMIN_LEVEL,
    field::USERNAME,
    field::FIRST_NAME,
    field::LAST_NAME,
    field::EMAIL,
    field::WORK_PHONE,
    field::ROLES,
    field::ACCOUNT_IDS,
];

/// Values the admin has typed and ticked so far.
#[derive(Clone, Copy)]
pub struct UserDraft {
    pub admin_level: RwSignal<AdminLevel>,
    pub username: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub work_phone: RwSignal<String>,
    pub roles: RwSignal<Vec<String>>,
    pub account_ids: RwSignal<Vec<i64>>,
}

impl UserDraft {
    /// Starts an empty draft of a basic user.
    pub fn new() -> Self {
        Self {
            admin_level: RwSignal::new(AdminLevel::BasicUser),
            username: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            work_phone: RwSignal::new(String::new()),
            roles: RwSignal::new(Vec::new()),
            account_ids: RwSignal::new(Vec::new()),
        }
    }

    /// Returns whether the admin has typed into a text field or changed the administration
    /// level. Roles and accounts are left out, because their defaults load after the form.
    pub fn has_entries(&self) -> bool {
        let text_fields = [
            self.username,
            self.first_name,
            self.last_name,
            self.email,
            self.work_phone,
        ];
        text_fields
            .iter()
            .any(|field| field.with(|value| !value.trim().is_empty()))
            || self.admin_level.get() != AdminLevel::BasicUser
    }

    /// Starts a draft holding the stored values of `user`.
    pub fn from_user(user: &User) -> Self {
        let draft = Self::new();
        draft.reset_to(user);
        draft
    }

    /// Replaces every value with the stored value of `user`.
    pub fn reset_to(&self, user: &User) {
        self.admin_level.set(user.admin_level);
        self.username.set(user.username.clone());
        self.first_name.set(user.first_name.clone());
        self.last_name.set(user.last_name.clone());
        self.email.set(user.email.clone());
        self.work_phone
            .set(user.work_phone.clone().unwrap_or_default());
        self.roles.set(user.roles.clone());
        self.account_ids.set(user.account_ids.clone());
    }

    /// Builds the create request from the values as typed, because the backend trims and
    /// normalises them.
    pub fn to_new_user(self) -> NewUser {
        NewUser {
            username: self.username.get_untracked(),
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            email: self.email.get_untracked(),
            work_phone: self.work_phone_value(),
            admin_level: self.admin_level.get_untracked(),
            roles: self.roles.get_untracked(),
            account_ids: self.account_ids.get_untracked(),
        }
    }

    /// Builds the edit request from the values as typed, without the username.
    pub fn to_update(self) -> UserUpdate {
        UserUpdate {
            username: None,
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            email: self.email.get_untracked(),
            work_phone: self.work_phone_value(),
            admin_level: self.admin_level.get_untracked(),
            roles: self.roles.get_untracked(),
            account_ids: self.account_ids.get_untracked(),
        }
    }

    /// Returns whether any value differs from the stored `user`; tracks every value.
    pub fn differs_from(&self, user: &User) -> bool {
        let sorted = |mut ids: Vec<String>| {
            ids.sort();
            ids
        };
        let mut account_ids = self.account_ids.get();
        account_ids.sort_unstable();
        self.admin_level.get() != user.admin_level
            || self.first_name.get() != user.first_name
            || self.last_name.get() != user.last_name
            || self.email.get() != user.email
            || self.work_phone.get() != user.work_phone.clone().unwrap_or_default()
            || sorted(self.roles.get()) != user.roles
            || account_ids != user.account_ids
    }

    fn work_phone_value(self) -> Option<String> {
        let work_phone = self.work_phone.get_untracked();
        (!work_phone.trim().is_empty()).then_some(work_phone)
    }
}

impl Default for UserDraft {
    fn default() -> Self {
        Self::new()
    }
}

/// Field errors of a form, checked by one validator of the shared rules, and whether the
/// summary above the form is shown (from the first failed submit on).
#[derive(Clone, Copy)]
pub struct FormErrors {
    pub errors: RwSignal<FieldErrors>,
    is_summary_shown: RwSignal<bool>,
    pub summary_ref: NodeRef<Div>,
    validate: Callback<(), FieldErrors>,
}

impl FormErrors {
    /// `validate` runs the shared rules on the whole draft and returns every field's error.
    pub fn new(validate: impl Fn() -> FieldErrors + Send + Sync + 'static) -> Self {
        Self {
            errors: RwSignal::new(FieldErrors::new()),
            is_summary_shown: RwSignal::new(false),
            summary_ref: NodeRef::new(),
            validate: Callback::new(move |()| validate()),
        }
    }

    /// Shows `fields` at their fields and in the summary, then moves focus to the summary.
    pub fn show(&self, fields: FieldErrors) {
        self.errors.set(fields);
        self.is_summary_shown.set(true);
        let summary_ref = self.summary_ref;
        request_animation_frame(move || focus_summary(summary_ref));
    }

    /// Checks the whole draft; shows the errors and returns false when a rule fails.
    pub fn check_all(&self) -> bool {
        let fields = self.validate.run(());
        let is_valid = fields.is_empty();
        if is_valid {
            self.errors.set(fields);
        } else {
            self.show(fields);
        }
        is_valid
    }

    /// Checks the whole draft and keeps only this field's message, so each field is checked
    /// exactly as on submit.
    pub fn check_field(&self, name: &'static str) {
        let message = self.validate.run(()).remove(name);
        self.errors.update(|errors| match message {
            Some(message) => {
                errors.insert(name.to_owned(), message);
            }
            None => {
                errors.remove(name);
            }
        });
    }

    /// While a field shows an error, typing re-checks it so the error goes once it is fixed.
    pub fn recheck_if_invalid(&self, name: &'static str) {
        if self
            .errors
            .with_untracked(|errors| errors.contains_key(name))
        {
            self.check_field(name);
        }
    }

    /// While `name` shows an error, checks it again whenever `value` changes, for fields that
    /// are ticked rather than typed into, such as the accounts.
    pub fn recheck_on_change<T: Send + Sync + 'static>(
        &self,
        name: &'static str,
        value: RwSignal<T>,
    ) {
        let errors = *self;
        Effect::new(move || {
            value.track();
            errors.recheck_if_invalid(name);
        });
    }

    /// Returns whether any field shows an error; tracks the errors.
    pub fn has_any(&self) -> bool {
        self.errors.with(|errors| !errors.is_empty())
    }

    pub fn field_error(&self, name: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|errors| errors.get(name).cloned()))
    }

    /// Entries of the summary: none until the first failed submit.
    pub fn summary(&self) -> Signal<Vec<SummaryEntry>> {
        let (errors, is_summary_shown) = (self.errors, self.is_summary_shown);
        Signal::derive(move || {
            if is_summary_shown.get() {
                errors.with(summary_entries)
            } else {
                Vec::new()
            }
        })
    }
}

fn focus_summary(summary_ref: NodeRef<Div>) {
    match summary_ref.get_untracked() {
        Some(summary) => {
            if let Err(error) = summary.focus() {
                leptos::logging::warn!("could not focus the error summary: {error:?}");
            }
        }
        None => leptos::logging::warn!("the error summary is not mounted"),
    }
}

/// Lists `errors` in form order; fields the form does not know come last.
fn summary_entries(errors: &FieldErrors) -> Vec<SummaryEntry> {
    let known = FIELD_ORDER
        .iter()
        .filter_map(|name| errors.get_key_value(*name));
    let unknown = errors
        .iter()
        .filter(|(name, _)| !FIELD_ORDER.contains(&name.as_str()));
    known
        .chain(unknown)
        .map(|(name, message)| SummaryEntry {
            target_id: field_id(name),
            message: message.clone(),
        })
        .collect()
}
