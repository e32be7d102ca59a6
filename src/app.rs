//! The root component: shared contexts, the header, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::base_path;
use crate::components::app_header::AppHeader;
use crate::components::connection_banner::ConnectionBanner;
use crate::components::navigation_focus::{FocusMainOnNavigation, MAIN_ID};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::unsaved_changes::provide_unsaved_changes;
use crate::contexts::flash::provide_flash;
use crate::contexts::session::provide_session;
use crate::pages::new_user::NewUserPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::set_password::SetPasswordPage;
use crate::pages::sign_in::SignInPage;
use crate::pages::user_detail::UserDetailPage;
use crate::pages::users::UsersPage;

/// Routes: `/sign-in`, `/set-password` (no sign-in needed), `/` (redirects to `/users`),
/// `/users`, `/users/new`, `/users/:id`; anything else shows the not-found page.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    provide_flash();
    provide_unsaved_changes();

    view! {
        <Router base=base_path::base()>
            <FocusMainOnNavigation />
            <AppHeader />
            <main class="main" id=MAIN_ID tabindex="-1">
                <ConnectionBanner />
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/set-password") view=SetPasswordPage />
                    <Route path=path!("/") view=|| view! { <Redirect path="/users" /> } />
                    <Route
                        path=path!("/users")
                        view=|| view! { <RequireSignIn><UsersPage /></RequireSignIn> }
                    />
                    <Route
                        path=path!("/users/new")
                        view=|| view! { <RequireSignIn><NewUserPage /></RequireSignIn> }
                    />
                    <Route
                        path=path!("/users/:id")
                        view=|| view! { <RequireSignIn><UserDetailPage /></RequireSignIn> }
                    />
                </Routes>
            </main>
        </Router>
    }
}
