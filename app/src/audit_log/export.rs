//! `GET /manage/audit-log/export?…`: every event the filter picks, as CSV,
//! written a thousand at a time while it downloads, so memory stays flat
//! however long the log is.

use axum::body::Bytes;
use futures_util::{stream, Stream};
use sqlx::PgPool;

use super::{
    store::{self, EventRow, Reading},
    wording::Words,
    AuditFilter, AuditLogError,
};
use crate::{csv_out, session::Viewer};

const BATCH: i64 = 1_000;

/// Reads the filter for `viewer`, then streams its events as CSV.
pub async fn csv(
    pool: PgPool,
    viewer: &Viewer,
    filter: &AuditFilter,
) -> Result<impl Stream<Item = Result<Bytes, anyhow::Error>> + Send + 'static, AuditLogError> {
    let reading = store::read(&pool, viewer, filter).await?;
    let mut header = String::new();
    let local_time = format!("Time ({})", reading.local.zone_name());
    csv_out::record(
        &mut header,
        [
            "Time (UTC)",
            local_time.as_str(),
            "Kind",
            "Event",
            "By",
            "By email",
            "About",
            "About email",
            "IP address",
            "Request ID",
        ],
    );
    let first = Batch::Header(header);
    Ok(stream::try_unfold(
        (first, pool, reading),
        |(batch, pool, reading)| async move {
            let (chunk, next) = match batch {
                Batch::Header(header) => (header, Batch::After(None)),
                Batch::After(cursor) => {
                    let rows = store::events(&pool, &reading.scope, cursor, BATCH).await?;
                    let Some(last) = rows.last() else {
                        return Ok(None);
                    };
                    let next = if (rows.len() as i64) < BATCH {
                        Batch::Done
                    } else {
                        Batch::After(Some(last.cursor()))
                    };
                    (lines(&rows, &reading), next)
                }
                Batch::Done => return Ok(None),
            };
            Ok(Some((Bytes::from(chunk), (next, pool, reading))))
        },
    ))
}

enum Batch {
    Header(String),
    After(Option<super::Cursor>),
    Done,
}

fn lines(rows: &[EventRow], reading: &Reading) -> String {
    let mut out = String::with_capacity(rows.len() * 200);
    for row in rows {
        let words = Words::of(row);
        let utc = row
            .occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let local = reading.local.format(row.occurred_at);
        let sentence = words.sentence();
        csv_out::record(
            &mut out,
            [
                utc.as_str(),
                local.as_str(),
                words.kind(),
                sentence.as_str(),
                words.actor(),
                row.actor_email.as_deref().unwrap_or(""),
                words.target(),
                row.target_email.as_deref().unwrap_or(""),
                row.ip.as_str(),
                row.request_id.as_str(),
            ],
        );
    }
    out
}
