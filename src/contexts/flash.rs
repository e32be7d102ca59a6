//! A status message that outlives a navigation, such as "User ann.lee added." shown on the
//! users list after the add-user form.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Flash {
    message: RwSignal<Option<String>>,
}

impl Flash {
    /// Stores a message for the next page that takes it.
    pub fn set(&self, message: String) {
        self.message.set(Some(message));
    }

    /// Removes and returns the stored message.
    pub fn take(&self) -> Option<String> {
        let message = self.message.get_untracked();
        if message.is_some() {
            self.message.set(None);
        }
        message
    }
}

pub fn provide_flash() {
    provide_context(Flash {
        message: RwSignal::new(None),
    });
}

/// Returns the flash message store provided by the app.
pub fn use_flash() -> Flash {
    expect_context::<Flash>()
}
