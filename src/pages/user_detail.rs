//! The user page (`/users/:id`): every field of one user, their status, creation and latest
//! sign-in. Account admins also get the edit form, Resend invitation, and Deactivate or
//! Reactivate; basic users see the same user read-only.

use domain::{Account, Role, User};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::account_picker::account_label;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::edit_user_form::EditUserForm;
use crate::components::error_view::ErrorView;
use crate::components::user_actions::UserActions;
use crate::components::user_fields::RolesResource;
use crate::components::user_table::status_badge_class;
use crate::contexts::session::use_session;
use crate::format::format_timestamp;
use crate::page_title::set_page_title;
use crate::pages::not_found::NotFoundPage;

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();

    let user_id = move || params.with(|params| params.get("id")?.parse::<i64>().ok());

    move || match user_id() {
        Some(id) => view! { <UserLoader id /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

/// Loads the user of `id`, then shows them; an unknown id shows the not-found page.
#[component]
fn UserLoader(id: i64) -> impl IntoView {
    let user_resource = LocalResource::new(move || api::user(id));

    set_page_title("User");

    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading user…"</p> }>
            {move || Suspend::new(async move {
                match user_resource.await {
                    Ok(user) => view! { <UserDetail user /> }.into_any(),
                    Err(error) if error.status() == Some(404) => {
                        leptos::logging::log!("no user {id}: {error}");
                        view! { <NotFoundPage /> }.into_any()
                    }
                    Err(error) => view! {
                        <ErrorView error on_retry=move || user_resource.refetch() />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserDetail(user: User) -> impl IntoView {
    let session = use_session();

    set_page_title(&user.full_name());
    let user = RwSignal::new(user);
    let status_message = RwSignal::new(None::<String>);

    let roles_resource: RolesResource = LocalResource::new(api::roles);

    // After a save finds the session ended, the form stays until the sign-in page replaces it.
    let is_admin = move || session.is_account_admin() || session.current_user.with(Option::is_none);

    view! {
        <section class="page-section user-detail">
            <Breadcrumb crumbs=vec![
                Crumb { label: "Account", href: None },
                Crumb { label: "Users", href: Some("/users") },
                Crumb { label: "User details", href: None },
            ] />
            <h1>{move || user.with(User::full_name)}</h1>
            <p class="status-message" role="status" aria-live="polite">
                {move || status_message.get()}
            </p>
            <UserSummary user />
            <Show when=is_admin>
                <UserActions user status_message />
            </Show>
            <Show
                when=is_admin
                fallback=move || view! { <UserProfile user roles_resource /> }
            >
                <EditUserForm user status_message roles_resource />
            </Show>
        </section>
    }
}

/// Username, status, creation and latest sign-in, which no form changes.
#[component]
fn UserSummary(user: RwSignal<User>) -> impl IntoView {
    let status = move || user.with(|user| user.status);
    let last_sign_in = move || {
        user.with(|user| match &user.last_sign_in_at {
            Some(timestamp) => format_timestamp(timestamp),
            None => "Never".to_owned(),
        })
    };

    view! {
        <dl class="detail-list user-summary">
            <dt>"Username"</dt>
            <dd class="detail-username">{move || user.with(|user| user.username.clone())}</dd>
            <dt>"Status"</dt>
            <dd>
                <span class=move || status_badge_class(status())>{move || status().label()}</span>
            </dd>
            <dt>"Created"</dt>
            <dd class="detail-created">{move || user.with(|user| format_timestamp(&user.created_at))}</dd>
            <dt>"Last sign-in"</dt>
            <dd class="detail-last-sign-in">{last_sign_in}</dd>
        </dl>
    }
}

/// The changeable fields, read-only, with roles and accounts by name.
#[component]
fn UserProfile(user: RwSignal<User>, roles_resource: RolesResource) -> impl IntoView {
    let accounts_resource = LocalResource::new(move || {
        let ids = user.with(|user| user.account_ids.clone());
        async move { api::accounts_by_id(&ids).await }
    });

    let text = move |read: fn(&User) -> String| move || user.with(read);

    view! {
        <dl class="detail-list user-profile">
            <dt>"First name"</dt>
            <dd>{text(|user| user.first_name.clone())}</dd>
            <dt>"Last name"</dt>
            <dd>{text(|user| user.last_name.clone())}</dd>
            <dt>"Email"</dt>
            <dd>{text(|user| user.email.clone())}</dd>
            <dt>"Work phone"</dt>
            <dd>{text(|user| user.work_phone.clone().unwrap_or_else(|| "None".to_owned()))}</dd>
            <dt>"Administration level"</dt>
            <dd>{text(|user| user.admin_level.label().to_owned())}</dd>
            <dt>"Roles"</dt>
            <dd class="detail-roles">
                {move || match roles_resource.get() {
                    None => "Loading roles…".into_any(),
                    Some(Ok(roles)) => user.with(|user| role_names(user, &roles)).into_any(),
                    Some(Err(error)) => view! { <ErrorView error /> }.into_any(),
                }}
            </dd>
            <dt>"Accounts"</dt>
            <dd class="detail-accounts">
                {move || match accounts_resource.get() {
                    None => "Loading accounts…".into_any(),
                    Some(Ok(accounts)) => account_names(&accounts).into_any(),
                    Some(Err(error)) => view! {
                        <ErrorView error on_retry=move || accounts_resource.refetch() />
                    }
                    .into_any(),
                }}
            </dd>
        </dl>
    }
}

/// Names of the user's roles, or the read access left without any.
fn role_names(user: &User, roles: &[Role]) -> String {
    if user.roles.is_empty() {
        return format!(
            "No roles. This user can still read {}.",
            domain::NO_ROLE_READ_ACCESS
        );
    }
    roles
        .iter()
        .filter(|role| user.roles.contains(&role.id))
        .map(|role| role.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn account_names(accounts: &[Account]) -> String {
    accounts
        .iter()
        .map(account_label)
        .collect::<Vec<_>>()
        .join(", ")
}
