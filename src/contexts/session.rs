//! The signed-in user, known after sign-in or after the session check on a protected page.

use domain::CurrentUser;
use leptos::prelude::*;

/// The signed-in user, or `None` until a sign-in or session check succeeds.
#[derive(Clone, Copy)]
pub struct Session {
    pub current_user: RwSignal<Option<CurrentUser>>,
}

impl Session {
    /// Returns whether the signed-in user may create and change users.
    pub fn is_account_admin(&self) -> bool {
        self.current_user
            .with(|user| user.as_ref().is_some_and(CurrentUser::is_account_admin))
    }
}

pub fn provide_session() {
    provide_context(Session {
        current_user: RwSignal::new(None),
    });
}

/// Returns the session provided by the app.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
