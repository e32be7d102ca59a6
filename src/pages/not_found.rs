//! The page shown for any path the app has no route for.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::base_path;
use crate::page_title::set_page_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let location = use_location();

    set_page_title("Page not found");

    view! {
        <section class="page-section">
            <h1>"Page not found"</h1>
            <p>
                "There is no page at "
                <code>{move || location.pathname.get()}</code>
                ". Check the address, or go to the list of users."
            </p>
            <p>
                <a href=base_path::href("/users")>"Go to users"</a>
            </p>
        </section>
    }
}
