use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::{
    get_csv_file, CheckedFile, CheckedRow, CreateCsvUsers, CHECK_PATH, PAGE_PATH, TEMPLATE_PATH,
};
use crate::{
    components::{FormAlert, FormErrors, StatusPage},
    domain::grouped,
    error::{FormError as _, HttpError},
    users::UsersError,
};

/// `/manage/users/invite-from-csv`, and `?file=…` for an uploaded file's check.
#[component]
pub fn InviteFromCsvPage() -> impl IntoView {
    let params = use_query_map();
    let create = ServerAction::<CreateCsvUsers>::new();
    let file = Memo::new(move |_| params.read().get("file").unwrap_or_default());
    let checked = Resource::new(
        move || (file.get(), create.version().get()),
        |(file, _)| get_csv_file(file),
    );
    let upload_error = upload_error();
    let failed = upload_error
        .clone()
        .or_else(|| create.value().get_untracked().and_then(Result::err));
    if let Some(error) = failed {
        crate::error::set_page_status(error.status());
    }
    view! {
        <Title text="Invite from CSV"/>
        <section class="page">
            <header class="page-header">
                <h1>"Invite from CSV"</h1>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let upload_error = upload_error.clone();
                    Suspend::new(async move {
                        match checked.await {
                            Ok(file) => view! {
                                <UploadForm error=upload_error/>
                                {file.map(|file| view! { <CheckedFileView file create/> })}
                            }.into_any(),
                            Err(UsersError::SignInRequired) => {
                                view! { <Redirect path=format!("/sign-in?next={PAGE_PATH}")/> }.into_any()
                            }
                            Err(error @ UsersError::FileNotFound) => view! {
                                <UploadForm error=Some(error)/>
                            }.into_any(),
                            Err(error) => view! {
                                <StatusPage status=error.status() title="Invite from CSV can't be opened">
                                    <p>{error.to_string()}</p>
                                </StatusPage>
                            }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The error of the last upload, which comes back in the address: the
/// upload is a plain form post (it carries a file), not a `ServerAction`.
fn upload_error() -> Option<UsersError> {
    use leptos::{server::ServerActionError, server_fn::error::ServerFnUrlError};

    use_context::<ServerActionError>()
        .filter(|error| error.path() == CHECK_PATH)
        .map(|error| ServerFnUrlError::<UsersError>::decode_err(error.err()))
}

/// What the file holds, and the file field.
#[component]
fn UploadForm(error: Option<UsersError>) -> impl IntoView {
    let message = error.map(|e| e.field("file").unwrap_or_else(|| e.to_string()));
    let invalid = message.is_some();
    view! {
        <p class="lead">
            "Invite up to 1,000 people at once from a spreadsheet saved as CSV: one row per person, under a header naming the columns "
            <code>"name"</code>", "<code>"email"</code>", "<code>"role"</code>" and "<code>"inboxes"</code>
            ". Role is Administrator, User or Light User (left empty: User); inboxes are inbox names, separated by commas. Commas or semicolons separate the columns."
        </p>
        <p><a href=TEMPLATE_PATH download="roster-invite-template.csv">"Download the template CSV"</a></p>
        <form method="post" action=CHECK_PATH enctype="multipart/form-data" class="stack narrow-form">
            <div class="field" class:field-invalid=invalid>
                <label for="field-file">"CSV file"</label>
                <p class="field-hint" id="field-file-hint">"UTF-8 text, up to 1 MB. Nothing is created until you check the file and press Create."</p>
                <input type="file" id="field-file" name="file" accept=".csv,text/csv"
                    aria-describedby=if invalid { "field-file-hint field-file-error" } else { "field-file-hint" }
                    aria-invalid=invalid.then_some("true")/>
                <p class="field-error" id="field-file-error" aria-live="polite">{message}</p>
            </div>
            <button type="submit" class="button">"Check file"</button>
        </form>
    }
}

/// The dry run of an uploaded file, with Create; or, once created, what
/// Create did.
#[component]
fn CheckedFileView(file: CheckedFile, create: ServerAction<CreateCsvUsers>) -> impl IntoView {
    let error = FormErrors::of(create, &[]).form();
    let total = file.rows.len();
    let heading = format!("Check of {}", display_name(&file.file_name));
    let summary = match &file.finished {
        Some(finished) => format!(
            "Created {} and sent their invite emails ({}). {} left out.",
            people(i64::from(finished.created)),
            finished.at,
            rows(i64::from(finished.left_out)),
        ),
        None if file.ready == total => format!("All {} are ready to invite.", rows(total as i64)),
        None => format!(
            "{} of {} are ready to invite. Rows with problems are left out: fix them in the file and check it again, or create the others now.",
            grouped(file.ready as i64),
            rows(total as i64)
        ),
    };
    let finished = file.finished.is_some();
    let ready = file.ready;
    let id = file.id.to_string();
    view! {
        <h2>{heading}</h2>
        <p role="status" class="notice">{summary}</p>
        <FormAlert message=error/>
        {(!finished && ready > 0).then(|| view! {
            <ActionForm action=create>
                <input type="hidden" name="file" value=id/>
                <button type="submit" class="button primary">{format!("Create {}", people(ready as i64))}</button>
            </ActionForm>
        })}
        {finished.then(|| view! { <p><a href="/manage/users">"Back to Manage > Users"</a></p> })}
        <div class="table-scroll">
            <table class="user-table csv-check">
                <caption class="visually-hidden">"Each row of the file"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="numeric">"Line"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Inboxes"</th>
                        <th scope="col">"Result"</th>
                    </tr>
                </thead>
                <tbody>
                    {file.rows.into_iter().map(|row| view! { <CheckedRowView row finished/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CheckedRowView(row: CheckedRow, finished: bool) -> impl IntoView {
    let ok = row.problems.is_empty();
    let result = match (ok, finished) {
        (true, true) => view! { <span>"Invited"</span> }.into_any(),
        (true, false) => view! { <span>"OK"</span> }.into_any(),
        (false, _) => view! {
            <ul class="row-problems">
                {row.problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <tr class:row-invalid={!ok}>
            <td class="numeric" data-label="Line">{row.line}</td>
            <th scope="row" data-label="Name">{row.name}</th>
            <td data-label="Email">{row.email}</td>
            <td data-label="Role">{row.role}</td>
            <td data-label="Inboxes">{row.inboxes}</td>
            <td data-label="Result">{result}</td>
        </tr>
    }
}

fn display_name(file_name: &str) -> String {
    if file_name.trim().is_empty() {
        "the file".to_owned()
    } else {
        format!("“{file_name}”")
    }
}

/// "1 user", "1,000 users".
fn people(n: i64) -> String {
    format!("{} {}", grouped(n), if n == 1 { "user" } else { "users" })
}

/// "1 row", "12 rows".
fn rows(n: i64) -> String {
    format!("{} {}", grouped(n), if n == 1 { "row" } else { "rows" })
}
