//! The words of each email, as plain text and HTML. Everything a person
//! typed is escaped in the HTML part.

use super::OutgoingEmail;

pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// One message: a greeting, paragraphs, an optional button, a sign-off.
struct Message<'a> {
    to: &'a str,
    name: &'a str,
    subject: String,
    paragraphs: Vec<String>,
    action: Option<(&'a str, &'a str)>,
}

impl Message<'_> {
    fn render(self) -> OutgoingEmail {
        let mut text = format!("Hi {},\n\n", self.name);
        let mut html = format!("<p>Hi {},</p>\n", escape_html(self.name));
        for paragraph in &self.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>\n", escape_html(paragraph)));
        }
        if let Some((label, url)) = self.action {
            text.push_str(&format!("{label}: {url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>\n<p>Or paste this address into your browser: {}</p>\n",
                escape_html(url),
                escape_html(label),
                escape_html(url)
            ));
        }
        text.push_str("— Roster\n");
        html.push_str("<p>— Roster</p>\n");
        OutgoingEmail {
            to: self.to.to_owned(),
            subject: self.subject,
            text,
            html,
        }
    }
}

pub fn account_locked(to: &str, name: &str, recover_url: &str) -> OutgoingEmail {
    Message {
        to,
        name,
        subject: "Your Roster account is locked".into(),
        paragraphs: vec![
            "Someone entered the wrong password for your account ten times in a row, so we locked it to keep it safe.".into(),
            "To unlock it, reset your password. If it wasn't you, resetting also signs out everyone using your account.".into(),
        ],
        action: Some(("Reset your password", recover_url)),
    }
    .render()
}

/// To an Owner or Administrator: one of their users is locked out.
pub fn user_locked_for_admins(
    to: &str,
    admin_name: &str,
    user_name: &str,
    user_email: &str,
    users_url: &str,
) -> OutgoingEmail {
    Message {
        to,
        name: admin_name,
        subject: format!("{user_name}'s Roster account is locked"),
        paragraphs: vec![
            format!("Someone entered the wrong password for {user_name} ({user_email}) ten times in a row, so Roster locked the account."),
            "They have been emailed a way back in: resetting their password unlocks it. You can also send them a reset from Manage > Users. If they did not try to sign in, someone else may be guessing their password.".into(),
        ],
        action: Some(("Open Manage > Users", users_url)),
    }
    .render()
}

pub fn two_factor_codes_refused(to: &str, name: &str, recover_url: &str) -> OutgoingEmail {
    Message {
        to,
        name,
        subject: "Wrong two-factor codes on your Roster account".into(),
        paragraphs: vec![
            "Someone entered your password and then a wrong two-factor code ten times in a row, so Roster refuses codes for your account for 15 minutes (longer with each further wrong code).".into(),
            "If it wasn't you, someone knows your password: reset it now. Resetting also signs out everyone using your account and lets codes through again.".into(),
        ],
        action: Some(("Reset your password", recover_url)),
    }
    .render()
}

pub fn password_reset(to: &str, name: &str, reset_url: &str) -> OutgoingEmail {
    Message {
        to,
        name,
        subject: "Reset your Roster password".into(),
        paragraphs: vec![
            "We received a request to reset the password of your Roster account.".into(),
            "The link works once, for 60 minutes. If you didn't ask for it, you can ignore this email: your password stays as it is.".into(),
        ],
        action: Some(("Reset password", reset_url)),
    }
    .render()
}

pub fn password_changed(to: &str, name: &str, recover_url: &str) -> OutgoingEmail {
    Message {
        to,
        name,
        subject: "Your Roster password was changed".into(),
        paragraphs: vec![
            "The password of your Roster account was just changed, and every session using it was signed out.".into(),
            "If you didn't do this, reset your password now and tell your administrator.".into(),
        ],
        action: Some(("Reset your password", recover_url)),
    }
    .render()
}

/// Who is invited, by whom, to which account, and until when.
pub struct Invitation<'a> {
    pub to: &'a str,
    pub name: &'a str,
    pub account_name: &'a str,
    pub inviter_name: &'a str,
    pub accept_url: &'a str,
    /// Already formatted, e.g. "7 December 2026 at 14:05 UTC".
    pub expires: &'a str,
}

pub fn invitation(invite: &Invitation<'_>) -> OutgoingEmail {
    Message {
        to: invite.to,
        name: invite.name,
        subject: format!(
            "{} invited you to {} on Roster",
            invite.inviter_name, invite.account_name
        ),
        paragraphs: vec![
            format!(
                "{} added you to {} on Roster. Accept the invitation to choose your password and sign in.",
                invite.inviter_name, invite.account_name
            ),
            format!(
                "The link works until {}. After that, ask {} or another administrator to resend your invite email.",
                invite.expires, invite.inviter_name
            ),
        ],
        action: Some(("Accept invitation", invite.accept_url)),
    }
    .render()
}

pub fn two_factor_changed(to: &str, name: &str, enabled: bool) -> OutgoingEmail {
    let (subject, first) = if enabled {
        (
            "Two-factor authentication is on",
            "Two-factor authentication was turned on for your Roster account. Signing in now also asks for a code from your authenticator app.",
        )
    } else {
        (
            "Two-factor authentication is off",
            "Two-factor authentication was turned off for your Roster account. Signing in now asks only for your password.",
        )
    };
    Message {
        to,
        name,
        subject: subject.into(),
        paragraphs: vec![
            first.into(),
            "If you didn't do this, reset your password now and tell your administrator.".into(),
        ],
        action: None,
    }
    .render()
}

/// To the old address after an email change: the account now answers to
/// another address, and what to do if that was not wanted.
pub fn email_changed(
    to: &str,
    name: &str,
    new_email: &str,
    by_admin: Option<&str>,
) -> OutgoingEmail {
    let who = by_admin.map_or_else(
        || "You".to_owned(),
        |admin| format!("{admin}, an administrator,"),
    );
    Message {
        to,
        name,
        subject: "Your Roster email address was changed".into(),
        paragraphs: vec![
            format!("{who} changed the email address of your Roster account to {new_email}. Roster will no longer write to this address, and you sign in with the new one."),
            "If you didn't expect this, contact your Roster administrator right away.".into(),
        ],
        action: None,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_and_kept_in_text() {
        let email = password_reset(
            "a@x.io",
            "<script>alert(1)</script>",
            "https://r.example/reset/abc",
        );
        assert!(email.text.contains("Hi <script>alert(1)</script>,"));
        assert!(email
            .html
            .contains("Hi &lt;script&gt;alert(1)&lt;/script&gt;,"));
        assert!(!email.html.contains("<script>"));
        assert!(email.text.contains("https://r.example/reset/abc"));
    }

    #[test]
    fn an_invitation_names_the_account_the_inviter_and_the_deadline() {
        let email = invitation(&Invitation {
            to: "ada@x.io",
            name: "Ada",
            account_name: "Northwind & Co",
            inviter_name: "Grace",
            accept_url: "https://r.example/invite/abc",
            expires: "7 December 2026 at 14:05 UTC",
        });
        assert_eq!(
            email.subject,
            "Grace invited you to Northwind & Co on Roster"
        );
        assert!(email.text.contains("https://r.example/invite/abc"));
        assert!(email.text.contains("until 7 December 2026 at 14:05 UTC"));
        assert!(email.html.contains("Northwind &amp; Co"));
    }
}
