//! Guard of the pages that need a signed-in user: sends everyone else to sign-in, with a way
//! back to the page they asked for.

use crate::base_path;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::app_path::with_query;
use crate::components::error_view::ErrorView;
use crate::contexts::session::use_session;
use crate::pages::sign_in::sign_in_path;

/// Renders `children` once the session is known to belong to a signed-in user.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();

    let session_resource = LocalResource::new(move || async move {
        if let Some(user) = session.current_user.get_untracked() {
            return Ok(Some(user));
        }
        let result = api::current_user().await;
        if let Ok(Some(user)) = &result {
            session.current_user.set(Some(user.clone()));
        }
        result
    });

    Effect::new(move || {
        let is_signed_out = session_resource
            .get()
            .is_some_and(|result| matches!(result, Ok(None)));
        if is_signed_out {
            let return_to = with_query(
                base_path::strip(&location.pathname.get_untracked()),
                &location.search.get_untracked(),
            );
            navigate(
                &sign_in_path(&return_to),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Checking your session…"</p> }>
            {move || Suspend::new(async move {
                match session_resource.await {
                    Ok(Some(_)) => children.read_value()().into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! {
                        <ErrorView error on_retry=move || session_resource.refetch() />
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
