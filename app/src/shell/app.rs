use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use super::{home::Home, top_nav::TopNav};
use crate::components::NotFound;
use crate::{
    audit_log::AuditLogPage,
    auth::{RecoverPasswordPage, ResetPasswordPage, SignInPage},
    company::{CompanySettingsPage, PermissionsPage},
    conversations::{InboxPage, InboxesPage},
    deactivation::{DeactivateUserPage, ReactivateUserPage},
    deletion::DeleteUserPage,
    invitations::AcceptInvitePage,
    oauth::AuthorizePage,
    profile::{AdminProfilePage, OwnProfilePage},
    provisioning::ProvisioningPage,
    setup::SetupPage,
    teams::TeamsPage,
    two_factor::{TwoFactorSetUpPage, TwoFactorSignInPage},
    users::{InviteFromCsvPage, ManageUsersPage},
    workflows::WorkflowsPage,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <link rel="stylesheet" href=stylesheet_href(&options)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's address: named after its content when the build hashed
/// the bundle's files (their names are listed beside the binary).
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                let list =
                    std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()?;
                list.lines()
                    .find_map(|line| line.trim().strip_prefix("css:"))
                    .map(|hash| format!(".{}", hash.trim()))
            })
            .flatten()
            .unwrap_or_default();
        format!(
            "/{}/{}{hash}.css",
            options.site_pkg_dir, options.output_name
        )
    })
    .clone()
}

/// The nonce the security-headers middleware put in this response's
/// Content-Security-Policy, so Leptos's inline hydration script may run.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    if let Some(nonce) =
        with_context::<http::request::Parts, _>(|parts| parts.extensions.get::<CspNonce>().cloned())
            .flatten()
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// A per-response nonce for inline scripts, chosen by the server's
/// middleware, which also writes it into the Content-Security-Policy.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=|title: String| format!("{title} · Roster")/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <TopNav/>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/two-factor") view=TwoFactorSignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/two-factor/set-up") view=TwoFactorSetUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/recover") view=RecoverPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view=AcceptInvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users") view=ManageUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users/invite-from-csv") view=InviteFromCsvPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users/:id/delete") view=DeleteUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users/:id/deactivate") view=DeactivateUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users/:id/reactivate") view=ReactivateUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/users/:id/:section") view=AdminProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/profile/:section") view=OwnProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/audit-log") view=AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/manage/teams") view=TeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/permissions") view=PermissionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/inboxes") view=InboxesPage ssr=SsrMode::Async/>
                    <Route path=path!("/inboxes/:id") view=InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/workflows") view=WorkflowsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/company") view=CompanySettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings/provisioning") view=ProvisioningPage ssr=SsrMode::Async/>
                    <Route path=path!("/authentication/authorizeClientApplication") view=AuthorizePage ssr=SsrMode::Async/>
                    <Route path=path!("/oauth2/authorize") view=AuthorizePage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
