//! The trail of sections above a page's heading, such as "Account / Users".

use crate::base_path;
use leptos::prelude::*;

/// One step of the trail; `href` is `None` for sections without a page of their own.
#[derive(Clone, Debug)]
pub struct Crumb {
    pub label: &'static str,
    pub href: Option<&'static str>,
}

/// Renders `crumbs` in order; the last one is the current page.
#[component]
pub fn Breadcrumb(crumbs: Vec<Crumb>) -> impl IntoView {
    let last = crumbs.len().saturating_sub(1);
    let items = crumbs
        .into_iter()
        .enumerate()
        .map(|(index, crumb)| {
            let is_current = index == last;
            let label = match crumb.href {
                Some(href) if !is_current => {
                    view! { <a href=base_path::href(href)>{crumb.label}</a> }.into_any()
                }
                _ => view! {
                    <span aria-current=is_current.then_some("page")>{crumb.label}</span>
                }
                .into_any(),
            };
            view! { <li class="breadcrumb-item">{label}</li> }
        })
        .collect_view();

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol class="breadcrumb-list">{items}</ol>
        </nav>
    }
}
