//! Reading the account's audit events a page at a time.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{AuditEntry, AuditEvents, AuditFilter, AuditLogError, Cursor, PAGE_SIZE};
use crate::{audit::Action, domain::FieldErrors, local_time::LocalTime, session::Viewer};

/// Which of the account's events a filter picks, in the database's terms.
#[derive(Clone, Debug)]
pub struct Scope {
    account_id: Uuid,
    /// Events by or about this user; `None` for everyone's.
    person: Option<Uuid>,
    kind: Option<Action>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    /// The filter names someone the account does not have: nothing matches.
    nobody: bool,
}

/// A filter read for one viewer: what it picks, who it names, and how the
/// viewer reads times.
pub struct Reading {
    pub scope: Scope,
    pub local: LocalTime,
    pub person: Option<String>,
}

/// One stored event with the names of the people in it.
pub struct EventRow {
    pub id: i64,
    pub action: String,
    pub details: serde_json::Value,
    pub ip: String,
    pub request_id: String,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub target_user_id: Option<Uuid>,
    pub target_name: Option<String>,
    pub target_email: Option<String>,
}

impl EventRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            at_micros: self.occurred_at.timestamp_micros(),
            id: self.id,
        }
    }
}

/// Reads `filter` for `viewer`: in their time zone, and with the person it
/// names (a user's id, or an email address of a user of theirs, live or not).
pub async fn read(
    pool: &PgPool,
    viewer: &Viewer,
    filter: &AuditFilter,
) -> Result<Reading, AuditLogError> {
    let kind = match filter.kind.as_str() {
        "" => None,
        name => Some(Action::parse(name).ok_or_else(|| {
            AuditLogError::Invalid(FieldErrors::single(
                "kind",
                "Choose a kind of event from the list.",
            ))
        })?),
    };
    // The viewer's zone comes with their session; the person, when the
    // filter names one, is the one statement read here.
    let local = viewer.local_time();
    let person = if filter.person.is_empty() {
        None
    } else {
        let person_id = Uuid::parse_str(&filter.person).ok();
        let person_email = person_id.is_none().then_some(&filter.person);
        sqlx::query!(
            "SELECT id, name, email FROM users
             WHERE account_id = $1 AND (id = $2 OR lower(email) = lower($3))
             ORDER BY deleted_at IS NOT NULL, deleted_at DESC
             LIMIT 1",
            viewer.account_id,
            person_id,
            person_email,
        )
        .fetch_optional(pool)
        .await
        .context("finding the person the audit log is filtered by")?
    };
    let since = filter.from.map(|day| local.start_of(day));
    let until = filter
        .to
        .and_then(|day| day.succ_opt())
        .map(|day| local.start_of(day));
    Ok(Reading {
        scope: Scope {
            account_id: viewer.account_id,
            person: person.as_ref().map(|person| person.id),
            kind,
            since,
            until,
            nobody: !filter.person.is_empty() && person.is_none(),
        },
        local,
        person: person.map(|person| format!("{} ({})", person.name, person.email)),
    })
}

/// Up to `limit` events of `scope` older than `before`, newest first.
///
/// Each branch of the union walks one index from the cursor and stops at
/// `limit`: the account's for everyone's events, the account's by kind when
/// one is picked, the actor's and the target's for one person's. A branch
/// the filter rules out is switched off by a condition on the parameters
/// alone, which PostgreSQL checks once before it runs the branch, so the
/// statement stays prepared and every filter reads only what it shows.
pub async fn events(
    pool: &PgPool,
    scope: &Scope,
    before: Option<Cursor>,
    limit: i64,
) -> anyhow::Result<Vec<EventRow>> {
    if scope.nobody {
        return Ok(Vec::new());
    }
    // One upper bound, the lower of the page's start and the filter's end
    // ((end, 0) lies before every event at `end`): an index scan starts from
    // one bound, and a second would be checked row by row from the newest.
    let start = before.and_then(|cursor| {
        DateTime::from_timestamp_micros(cursor.at_micros).map(|at| (at, cursor.id))
    });
    let end = scope.until.map(|until| (until, 0));
    let upper = match (start, end) {
        (Some(start), Some(end)) => Some(start.min(end)),
        (start, end) => start.or(end),
    };
    sqlx::query_as!(
        EventRow,
        r#"WITH picked AS (
               (SELECT id, occurred_at FROM audit_events
                WHERE $2::uuid IS NULL AND $3::text IS NULL AND account_id = $1
                  AND occurred_at >= coalesce($4::timestamptz, '-infinity')
                  AND (occurred_at, id) < (coalesce($5::timestamptz, 'infinity'), coalesce($6::bigint, 0))
                ORDER BY occurred_at DESC, id DESC LIMIT $7)
               UNION
               (SELECT id, occurred_at FROM audit_events
                WHERE $2::uuid IS NULL AND account_id = $1 AND action = $3
                  AND occurred_at >= coalesce($4::timestamptz, '-infinity')
                  AND (occurred_at, id) < (coalesce($5::timestamptz, 'infinity'), coalesce($6::bigint, 0))
                ORDER BY occurred_at DESC, id DESC LIMIT $7)
               UNION
               (SELECT id, occurred_at FROM audit_events
                WHERE actor_user_id = $2 AND ($3::text IS NULL OR action = $3)
                  AND occurred_at >= coalesce($4::timestamptz, '-infinity')
                  AND (occurred_at, id) < (coalesce($5::timestamptz, 'infinity'), coalesce($6::bigint, 0))
                ORDER BY occurred_at DESC, id DESC LIMIT $7)
               UNION
               (SELECT id, occurred_at FROM audit_events
                WHERE target_user_id = $2 AND ($3::text IS NULL OR action = $3)
                  AND occurred_at >= coalesce($4::timestamptz, '-infinity')
                  AND (occurred_at, id) < (coalesce($5::timestamptz, 'infinity'), coalesce($6::bigint, 0))
                ORDER BY occurred_at DESC, id DESC LIMIT $7)
           )
           SELECT e.id, e.action, e.details, e.ip, e.request_id, e.occurred_at,
                  e.actor_user_id, a.name AS "actor_name?", a.email AS "actor_email?",
                  e.target_user_id, t.name AS "target_name?", t.email AS "target_email?"
           FROM picked p
           JOIN audit_events e ON e.id = p.id
           LEFT JOIN users a ON a.id = e.actor_user_id
           LEFT JOIN users t ON t.id = e.target_user_id
           WHERE e.account_id = $1
           ORDER BY p.occurred_at DESC, p.id DESC
           LIMIT $7"#,
        scope.account_id,
        scope.person,
        scope.kind.map(Action::as_str),
        scope.since,
        upper.map(|(at, _)| at),
        upper.map(|(_, id)| id),
        limit,
    )
    .fetch_all(pool)
    .await
    .context("reading a page of audit events")
}

/// A page of the log for `viewer`, worded and in their time zone.
pub async fn page(
    pool: &PgPool,
    viewer: &Viewer,
    filter: &AuditFilter,
) -> Result<AuditEvents, AuditLogError> {
    let reading = read(pool, viewer, filter).await?;
    let mut rows = events(pool, &reading.scope, filter.before, PAGE_SIZE + 1).await?;
    let older = (rows.len() as i64 > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(EventRow::cursor)
    });
    Ok(AuditEvents {
        entries: rows.iter().map(|row| entry(row, &reading.local)).collect(),
        older: older.flatten(),
        kinds: kinds(),
        person: reading.person,
        zone: reading.local.zone_name().to_owned(),
        errors: FieldErrors::new(),
    })
}

/// The page for a filter that cannot be read: its errors, and nothing listed.
pub fn refused(errors: FieldErrors) -> AuditEvents {
    AuditEvents {
        entries: Vec::new(),
        older: None,
        kinds: kinds(),
        person: None,
        zone: String::new(),
        errors,
    }
}

/// Every kind of event, by its words, for the filter.
fn kinds() -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = Action::ALL
        .iter()
        .map(|action| (action.as_str().to_owned(), action.label().to_owned()))
        .collect();
    kinds.sort_by(|a, b| a.1.cmp(&b.1));
    kinds
}

fn entry(row: &EventRow, local: &LocalTime) -> AuditEntry {
    let words = super::wording::Words::of(row);
    AuditEntry {
        id: row.id,
        sentence: words.sentence(),
        actor: words.actor().to_owned(),
        target: words.target().to_owned(),
        when: local.format(row.occurred_at),
        when_iso: row
            .occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ip: row.ip.clone(),
    }
}
