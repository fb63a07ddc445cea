//! Checking each row of an uploaded CSV as Add User checks its form, in the
//! same words, plus what only a file can get wrong: the same address twice,
//! a role or inbox named in text.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::{file::FileRow, CheckedRow};
use crate::domain::{Email, PersonName, Plan, Role, ValidationError};
use crate::users::{assignable_role, InboxChoice, NewUser};

/// What the rows are checked against.
pub struct Account<'a> {
    pub plan: Plan,
    pub inboxes: &'a [InboxChoice],
    /// Addresses (lower case) that already belong to a user.
    pub taken: &'a HashSet<String>,
}

/// Each row with its problems, and the user it makes when it has none.
pub fn check(rows: &[FileRow], account: &Account<'_>) -> Vec<(CheckedRow, Option<NewUser>)> {
    let mut lines_of: HashMap<String, Vec<u64>> = HashMap::new();
    for row in rows {
        if let Ok(email) = Email::parse(&row.email) {
            lines_of
                .entry(email.as_str().to_lowercase())
                .or_default()
                .push(row.line);
        }
    }
    rows.iter()
        .map(|row| check_row(row, account, &lines_of))
        .collect()
}

fn check_row(
    row: &FileRow,
    account: &Account<'_>,
    lines_of: &HashMap<String, Vec<u64>>,
) -> (CheckedRow, Option<NewUser>) {
    let mut problems = Vec::new();
    let mut note = |column: &str, result: Result<(), ValidationError>| {
        if let Err(error) = result {
            problems.push(format!("{column}: {}", error.0));
        }
    };
    if let Some(malformed) = &row.malformed {
        note("Row", Err(ValidationError::new(malformed.clone())));
    }
    let name = PersonName::parse(&row.name);
    note("Name", name.as_ref().map(|_| ()).map_err(Clone::clone));
    let email = Email::parse(&row.email).and_then(|email| {
        let key = email.as_str().to_lowercase();
        if account.taken.contains(&key) {
            return Err(ValidationError::new(
                crate::users::admin_actions::DUPLICATE_EMAIL,
            ));
        }
        let others: Vec<String> = lines_of
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|line| **line != row.line)
            .map(u64::to_string)
            .collect();
        if others.is_empty() {
            Ok(email)
        } else {
            Err(ValidationError::new(format!(
                "This email address is also on line {} of the file.",
                others.join(", ")
            )))
        }
    });
    note("Email", email.as_ref().map(|_| ()).map_err(Clone::clone));
    let role = role_in_file(&row.role, account.plan);
    note("Role", role.as_ref().map(|_| ()).map_err(Clone::clone));
    let inboxes = inboxes_in_file(&row.inboxes, account.inboxes);
    note(
        "Inboxes",
        inboxes.as_ref().map(|_| ()).map_err(Clone::clone),
    );

    let checked = CheckedRow {
        line: row.line,
        name: row.name.trim().to_owned(),
        email: row.email.trim().to_owned(),
        role: match &role {
            Ok(role) => role.label().to_owned(),
            Err(_) => row.role.trim().to_owned(),
        },
        inboxes: row.inboxes.trim().to_owned(),
        problems,
    };
    let user = match (name, email, role, inboxes) {
        (Ok(name), Ok(email), Ok(role), Ok(inboxes)) if checked.problems.is_empty() => {
            Some(NewUser {
                name,
                email,
                role,
                inboxes,
                send_invite: true,
            })
        }
        _ => None,
    };
    (checked, user)
}

/// A role as a person types it ("Administrator", "light user", "User"),
/// checked as Add User checks its choice; empty means User.
fn role_in_file(raw: &str, plan: Plan) -> Result<Role, ValidationError> {
    let typed = raw.trim().replace(['_', '-'], " ").to_lowercase();
    if typed.is_empty() {
        return Ok(Role::User);
    }
    let named = [
        Role::Owner,
        Role::Administrator,
        Role::User,
        Role::LightUser,
    ]
    .into_iter()
    .find(|role| typed == role.label().to_lowercase() || typed == role.as_str().replace('_', " "));
    match named {
        Some(Role::Owner) => Err(ValidationError::new(
            "The Account Owner can't be invited: an account has one, who hands ownership over from their profile.",
        )),
        Some(role) => assignable_role(role.as_str(), plan),
        None => Err(ValidationError::new(
            "Choose a role from the list: Administrator, User or Light User.",
        )),
    }
}

/// Inboxes by name or address, separated by commas or semicolons.
fn inboxes_in_file(raw: &str, inboxes: &[InboxChoice]) -> Result<Vec<Uuid>, ValidationError> {
    let mut ids = Vec::new();
    for typed in raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let inbox = inboxes.iter().find(|inbox| {
            inbox.name.trim().to_lowercase() == typed.to_lowercase()
                || inbox.email.eq_ignore_ascii_case(typed)
        });
        match inbox {
            Some(inbox) if !ids.contains(&inbox.id) => ids.push(inbox.id),
            Some(_) => {}
            None => {
                return Err(ValidationError::new(format!(
                    "There is no inbox called “{typed}”."
                )))
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, name: &str, email: &str, role: &str, inboxes: &str) -> FileRow {
        FileRow {
            line,
            name: name.into(),
            email: email.into(),
            role: role.into(),
            inboxes: inboxes.into(),
            malformed: None,
        }
    }

    fn inboxes() -> Vec<InboxChoice> {
        vec![
            InboxChoice {
                id: Uuid::from_u128(1),
                name: "Support".into(),
                email: "support@northwind.example".into(),
            },
            InboxChoice {
                id: Uuid::from_u128(2),
                name: "Sales".into(),
                email: "sales@northwind.example".into(),
            },
        ]
    }

    fn checked(rows: &[FileRow], plan: Plan) -> Vec<(CheckedRow, Option<NewUser>)> {
        let inboxes = inboxes();
        let taken = HashSet::from(["grace@example.com".to_owned()]);
        check(
            rows,
            &Account {
                plan,
                inboxes: &inboxes,
                taken: &taken,
            },
        )
    }

    #[test]
    fn a_good_row_makes_a_user_with_their_invite() {
        let result = checked(
            &[row(
                2,
                " Ada Lovelace ",
                "Ada@Example.com",
                "light user",
                "support; SALES@northwind.example, Support",
            )],
            Plan::Plus,
        );
        let (shown, user) = &result[0];
        assert!(shown.problems.is_empty(), "{:?}", shown.problems);
        assert_eq!(shown.role, "Light User");
        let user = user.as_ref().unwrap();
        assert_eq!(user.name.as_str(), "Ada Lovelace");
        assert_eq!(user.role, Role::LightUser);
        assert_eq!(user.inboxes, vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
        assert!(user.send_invite);
        let (shown, _) = &checked(&[row(2, "Ada", "ada@example.com", "", "")], Plan::Standard)[0];
        assert_eq!(shown.role, "User", "an empty role is User");
    }

    #[test]
    fn each_problem_is_named_in_add_users_words() {
        let rows = [
            row(2, "", "not-an-address", "Owner", "Billing"),
            row(3, "Grace", "GRACE@example.com", "Light User", ""),
            row(4, "Kay", "kay@example.com", "root", ""),
            row(5, "Kay Again", "Kay@Example.com", "administrator", ""),
        ];
        let result = checked(&rows, Plan::Standard);
        let problems = |i: usize| result[i].0.problems.join(" | ");
        assert!(result.iter().all(|(_, user)| user.is_none()));
        assert!(problems(0).starts_with("Name: "), "{}", problems(0));
        assert!(problems(0).contains("Email: "));
        assert!(problems(0).contains("Role: The Account Owner can't be invited"));
        assert!(problems(0).contains("Inboxes: There is no inbox called “Billing”."));
        assert!(problems(1).contains("Email: A user with this email address already exists."));
        assert!(problems(1).contains("Role: Light Users are available on the Plus and Pro plans."));
        assert!(problems(2).contains("Role: Choose a role from the list"));
        assert!(problems(2).contains("Email: This email address is also on line 5 of the file."));
        assert!(problems(3).contains("Email: This email address is also on line 4 of the file."));
    }

    #[test]
    fn a_malformed_row_makes_nobody() {
        let mut bad = row(2, "Ada", "ada@example.com", "", "");
        bad.malformed = Some("This row has 5 fields; the header has 4.".into());
        let (shown, user) = &checked(&[bad], Plan::Standard)[0];
        assert_eq!(
            shown.problems,
            vec!["Row: This row has 5 fields; the header has 4."]
        );
        assert!(user.is_none());
    }
}
