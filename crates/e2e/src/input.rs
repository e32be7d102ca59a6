//! A person using the console either with the pointer (WebDriver clicks) or with the keyboard
//! alone, so that one story runs both ways. In keyboard mode focus moves only with Tab and
//! Shift+Tab, buttons and links are pressed with Enter or Space, checkboxes with Space, radio
//! groups, selects and the account picker's options with the arrow keys, and text is typed
//! key by key.

use std::ops::Deref;

use crate::keyboard::Key;
use crate::{Browser, Result};

/// How the person reaches and operates the controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputMode {
    Pointer,
    Keyboard,
}

impl InputMode {
    /// Lower-case name, used in artifact folder names and messages.
    pub fn name(self) -> &'static str {
        match self {
            InputMode::Pointer => "pointer",
            InputMode::Keyboard => "keyboard",
        }
    }
}

/// The key a keyboard user presses to activate a button or link. Links respond only to
/// Enter, while buttons respond to both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Enter,
    Space,
}

/// Maximum presses of Tab to reach a control in keyboard mode: enough to cross the whole
/// add-user form, which has a stop for each role and for each selected account's chip. A call that must reach
/// further gives its own limit and states why.
pub const TAB_LIMIT: u32 = 30;

/// The combobox input of the account picker on the user forms.
pub const ACCOUNT_COMBOBOX: &str = "#field-account_ids";
/// Maximum presses of Down to reach an option of the account picker: one loaded page.
const OPTION_PRESS_LIMIT: u32 = 50;

/// A browser session driven in one [`InputMode`]. It dereferences to [`Browser`] for waits
/// and reads, while every interaction goes through its own methods.
pub struct Person {
    browser: Browser,
    mode: InputMode,
}

impl Deref for Person {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Person {
    pub fn new(browser: Browser, mode: InputMode) -> Person {
        Person { browser, mode }
    }

    pub fn is_keyboard(&self) -> bool {
        self.mode == InputMode::Keyboard
    }

    pub fn into_browser(self) -> Browser {
        self.browser
    }

    /// Activates the button or link matching `css`: a click, or Tab to it and Enter.
    pub async fn activate(&self, css: &str) -> Result {
        self.activate_with(css, Activation::Enter, TAB_LIMIT).await
    }

    /// Activates the button or link matching `css`: a click, or Tab (at most `tab_limit`
    /// presses) to it and `key`.
    pub async fn activate_with(&self, css: &str, key: Activation, tab_limit: u32) -> Result {
        match self.mode {
            InputMode::Pointer => self.browser.click(css).await,
            InputMode::Keyboard => {
                self.browser.tab_to(css, tab_limit).await?;
                let key = match key {
                    Activation::Enter => Key::Enter,
                    Activation::Space => Key::Space,
                };
                self.browser.press(key).await
            }
        }
    }

    /// Replaces the text of the input matching `css` with `text`. In keyboard mode it tabs to
    /// the input, selects its text with Control+A, deletes it and types, then checks that the
    /// input shows `text`.
    pub async fn enter_text(&self, css: &str, text: &str) -> Result {
        match self.mode {
            InputMode::Pointer => self.browser.fill(css, text).await,
            InputMode::Keyboard => self.type_into(css, text).await,
        }
    }

    /// Ticks or unticks the checkbox matching `css` when its state differs: a click, or Tab
    /// to it and Space.
    pub async fn set_ticked(&self, css: &str, is_ticked: bool) -> Result {
        match self.mode {
            InputMode::Pointer => self.browser.set_checked(css, is_ticked).await,
            InputMode::Keyboard => self.tick_with_space(css, is_ticked).await,
        }
    }

    /// Selects the radio button of group `name` with `value`: a click, or Tab into the group
    /// (which lands on its selected button) and the Down arrow until it is selected.
    pub async fn choose_radio(&self, name: &str, value: &str) -> Result {
        let radio = format!("input[type=radio][name=\"{name}\"][value=\"{value}\"]");
        match self.mode {
            InputMode::Pointer => self.browser.click(&radio).await,
            InputMode::Keyboard => self.choose_radio_with_arrows(name, &radio).await,
        }
    }

    /// Selects the option with `value` in the select matching `css`: a click on the option,
    /// or Tab to the select and the Up or Down arrow until the option is selected.
    pub async fn choose_option(&self, css: &str, value: &str) -> Result {
        let option = format!("{css} option[value=\"{value}\"]");
        match self.mode {
            InputMode::Pointer => self.browser.click(&option).await,
            InputMode::Keyboard => self.choose_option_with_arrows(css, &option, value).await,
        }
    }

    /// Selects the account `account_id` in the account picker after typing `search` into its
    /// combobox: a click on the account's option, or the Down arrow until the option is
    /// active and Enter. Escape then closes the popup, in both modes.
    pub async fn pick_account(&self, search: &str, account_id: i64) -> Result {
        let option = format!("#account-option-{account_id}");
        self.enter_text(ACCOUNT_COMBOBOX, search).await?;
        self.browser.find(&option).await?;
        match self.mode {
            InputMode::Pointer => self.browser.click(&option).await?,
            InputMode::Keyboard => self.activate_option_with_arrows(account_id).await?,
        }
        let selected = format!("{option}[aria-selected=\"true\"]");
        self.browser.find(&selected).await?;
        self.browser.press(Key::Escape).await
    }

    /// Closes the open modal dialog without confirming: a click on `cancel_button`, or Escape.
    pub async fn dismiss_dialog(&self, cancel_button: &str) -> Result {
        match self.mode {
            InputMode::Pointer => self.browser.click(cancel_button).await,
            InputMode::Keyboard => self.browser.press(Key::Escape).await,
        }
    }

    async fn type_into(&self, css: &str, text: &str) -> Result {
        self.browser.tab_to(css, TAB_LIMIT).await?;
        self.browser.clear_focused_field().await?;
        self.browser.type_text(text).await?;
        let typed_value = self.browser.value(css).await?;
        if typed_value != text {
            let message = format!(
                "expected {css:?} to show {text:?} after typing, but it shows {typed_value:?}"
            );
            return Err(message.into());
        }
        Ok(())
    }

    async fn tick_with_space(&self, css: &str, is_ticked: bool) -> Result {
        self.browser.tab_to(css, TAB_LIMIT).await?;
        if self.browser.find(css).await?.is_selected().await? != is_ticked {
            self.browser.press(Key::Space).await?;
        }
        if self.browser.find(css).await?.is_selected().await? != is_ticked {
            let state = if is_ticked { "ticked" } else { "unticked" };
            return Err(format!("expected {css:?} to be {state} after Space").into());
        }
        Ok(())
    }

    /// Presses Down in the focused combobox until the option of `account_id` is active, then
    /// Enter.
    async fn activate_option_with_arrows(&self, account_id: i64) -> Result {
        let expected = format!("account-option-{account_id}");
        for _ in 0..OPTION_PRESS_LIMIT {
            self.browser.press(Key::Down).await?;
            let combobox = self.browser.find(ACCOUNT_COMBOBOX).await?;
            if combobox.attr("aria-activedescendant").await?.as_deref() == Some(&expected) {
                return self.browser.press(Key::Enter).await;
            }
        }
        Err(format!("{OPTION_PRESS_LIMIT} presses of Down never made {expected} active").into())
    }

    async fn choose_radio_with_arrows(&self, name: &str, radio: &str) -> Result {
        let group = format!("input[type=radio][name=\"{name}\"]");
        let group_size = self
            .browser
            .client
            .find_all(fantoccini::Locator::Css(&group))
            .await?
            .len();
        self.browser
            .tab_to(&format!("{group}:checked"), TAB_LIMIT)
            .await?;
        for _ in 0..group_size {
            if self.browser.find(radio).await?.is_selected().await? {
                return self.browser.expect_visible_focus(radio).await;
            }
            self.browser.press(Key::Down).await?;
        }
        Err(format!("the Down arrow never selected {radio:?} in a group of {group_size}").into())
    }

    async fn choose_option_with_arrows(&self, css: &str, option: &str, value: &str) -> Result {
        self.browser.tab_to(css, TAB_LIMIT).await?;
        let indexes = self
            .browser
            .client
            .execute(
                "const select = document.querySelector(arguments[0]); \
                 const option = document.querySelector(arguments[1]); \
                 return [select.selectedIndex, option ? option.index : -1];",
                vec![serde_json::json!(css), serde_json::json!(option)],
            )
            .await?;
        let current_index = indexes[0].as_i64().unwrap_or(-1);
        let target_index = indexes[1].as_i64().unwrap_or(-1);
        if target_index < 0 {
            return Err(format!("no option matches {option:?}").into());
        }
        let key = if target_index > current_index {
            Key::Down
        } else {
            Key::Up
        };
        for _ in 0..current_index.abs_diff(target_index) {
            self.browser.press(key).await?;
        }
        let selected = self.browser.value(css).await?;
        if selected != value {
            let message = format!(
                "expected {css:?} to have {value:?} selected after the arrow keys, but it has \
                 {selected:?}"
            );
            return Err(message.into());
        }
        Ok(())
    }
}
