use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_query_map},
};

use super::{list_audit_events, AuditEntry, AuditEvents, AuditFilter, AuditLogError};
use crate::components::StatusPage;

/// `/manage/audit-log`: the filter lives in the address, so every view of
/// the log can be bookmarked, shared and exported.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let address = Memo::new(move |_| {
        let params = params.read();
        ["person", "kind", "from", "to", "before"].map(|name| params.get(name).unwrap_or_default())
    });
    let events = Resource::new(
        move || address.get(),
        |[person, kind, from, to, before]| list_audit_events(person, kind, from, to, before),
    );
    let location = use_location();
    view! {
        <Title text="Audit log"/>
        <Transition fallback=|| view! { <p class="loading">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(events) => {
                        let [person, kind, from, to, before] = address.get_untracked();
                        let filter = AuditFilter::parse(&person, &kind, &from, &to, &before)
                            .unwrap_or_default();
                        let typed = [person, kind, from, to];
                        view! { <AuditLogView events filter typed/> }.into_any()
                    }
                    Err(AuditLogError::SignInRequired) => {
                        let here = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/sign-in?next={here}")/> }.into_any()
                    }
                    Err(AuditLogError::Forbidden) => view! {
                        <StatusPage status=403 title="You can't see the audit log">
                            <p>"Only the Account Owner and Administrators can see the audit log."</p>
                        </StatusPage>
                    }
                    .into_any(),
                    Err(other) => view! {
                        <StatusPage status=500 title="The audit log could not be loaded">
                            <p>{other.to_string()}</p>
                        </StatusPage>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// The filter form, what it found, the events and the links onwards.
/// `typed` is the filter as the address has it, shown back in the form
/// even when it cannot be read.
#[component]
fn AuditLogView(events: AuditEvents, filter: AuditFilter, typed: [String; 4]) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if !events.errors.is_empty() {
        crate::error::set_page_status(400);
    }
    let [person, kind, from, to] = typed;
    let error = |field: &str| events.errors.get(field).map(str::to_owned);
    let found = match (&events.person, filter.person.is_empty()) {
        (_, true) => None,
        (Some(person), false) => Some(format!("Events by or about {person}.")),
        (None, false) => Some(format!(
            "No user of this account has the email address “{}”.",
            filter.person
        )),
    };
    let empty = events.entries.is_empty() && events.errors.is_empty();
    // A filter that could not be read narrows the log too: it can be cleared.
    let narrowed = filter.is_narrowed() || !events.errors.is_empty();
    let newest = filter.before.is_some().then(|| filter.href());
    let older = events.older.map(|last| filter.older_href(last));
    let kinds = events.kinds.clone();
    let export = filter.export_href();
    let zone = events.zone.clone();
    view! {
        <section class="page">
            <header class="page-header">
                <h1>"Audit log"</h1>
                <a class="button" href=export download="audit-log.csv">"Export CSV"</a>
            </header>
            <form method="get" action="/manage/audit-log" class="filters" aria-label="Filter events">
                <FilterField label="Person" name="person" kind="text" value=person hint="Email address" error=error("person")/>
                <div class="filter-field">
                    <label for="filter-kind">"Kind of event"</label>
                    <select id="filter-kind" name="kind" aria-invalid=error("kind").is_some().then_some("true") aria-describedby=error("kind").map(|_| "filter-kind-error")>
                        <option value="">"Every kind"</option>
                        {kinds.into_iter().map(|(name, label)| {
                            let selected = name == kind;
                            view! { <option value=name selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                    {error("kind").map(|message| view! { <p class="field-error" id="filter-kind-error">{message}</p> })}
                </div>
                <FilterField label="From" name="from" kind="date" value=from hint="" error=error("from")/>
                <FilterField label="To" name="to" kind="date" value=to hint="" error=error("to")/>
                <button type="submit" class="button">"Filter"</button>
                {narrowed.then(|| view! { <a href="/manage/audit-log">"Clear filters"</a> })}
            </form>
            {error("before").map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            {found.map(|text| view! { <p role="status">{text}</p> })}
            {(!zone.is_empty()).then(|| view! {
                <p class="muted">{format!("Times are in {zone}, your profile's time zone.")}</p>
            })}
            {if empty {
                view! { <p class="muted">"No events match."</p> }.into_any()
            } else {
                view! { <div class="table-scroll" inner_html=table_markup(events.entries)></div> }.into_any()
            }}
            <nav class="pagination" aria-label="Pages of events">
                {newest.map(|href| view! { <a href=href>"Newest events"</a> })}
                {older.map(|href| view! { <a href=href>"Older events"</a> })}
            </nav>
        </section>
    }
}

/// A labelled input of the filter form, with its error beside it.
#[component]
fn FilterField(
    label: &'static str,
    name: &'static str,
    kind: &'static str,
    value: String,
    hint: &'static str,
    error: Option<String>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="filter-field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                name=name
                value=value
                placeholder=(!hint.is_empty()).then_some(hint)
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=error.is_some().then(|| error_id.clone())
            />
            {error.map(|message| view! { <p class="field-error" id=error_id>{message}</p> })}
        </div>
    }
}

/// The events as HTML, rendered on its own rather than as part of the
/// page's asynchronous rendering (see `users::user_table`).
fn table_markup(entries: Vec<AuditEntry>) -> Arc<str> {
    Arc::from(view! { <EventTable entries/> }.to_html())
}

#[component]
fn EventTable(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <table class="user-table audit-table">
            <caption class="visually-hidden">"Events, newest first"</caption>
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"About"</th>
                    <th scope="col">"IP address"</th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| view! {
                    <tr>
                        <td data-label="When"><time datetime=entry.when_iso>{entry.when}</time></td>
                        <td class="audit-sentence" data-label="Event">{entry.sentence}</td>
                        <td data-label="By">{entry.actor}</td>
                        <td data-label="About">{entry.target}</td>
                        <td data-label="IP address">{entry.ip}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
