//! A status message that outlives a navigation, such as "User ann.lee added." shown on the
//! users list after the add-user form.

use std::time::Duration;

use leptos::prelude::*;

/// Pause before a page shows the stored message in its live region. Screen readers announce
/// changes to a live region that is already there, but may skip one that arrives with its
/// text. The length is an estimate: long enough for the browser to add the empty region to
/// the accessibility tree first, and too short for people to notice.
const ANNOUNCE_DELAY: Duration = Duration::from_millis(100);

#[derive(Clone, Copy)]
pub struct Flash {
    message: RwSignal<Option<String>>,
}

impl Flash {
    /// Stores a message for the next page that takes it.
    pub fn set(&self, message: String) {
        self.message.set(Some(message));
    }

    /// Removes the stored message, if any, and puts it into `region` after [`ANNOUNCE_DELAY`].
    /// `region` is the message of a live region that the calling page renders empty at first.
    pub fn take_into(&self, region: WriteSignal<Option<String>>) {
        let Some(message) = self.take() else {
            return;
        };
        set_timeout(
            move || {
                region.try_set(Some(message));
            },
            ANNOUNCE_DELAY,
        );
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
