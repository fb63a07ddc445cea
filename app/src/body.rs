//! Reading a request's body within a limit. What is refused is read to its
//! end (and dropped) before the answer, up to a point: a client still
//! sending when the server answers and closes would find its connection
//! reset instead of reading why.

use std::time::Duration;

use axum::body::{Body, BodyDataStream};
use futures_util::StreamExt as _;

/// How much of a refused body is read (and dropped) before answering.
pub const DRAIN_BYTES: usize = 16 * 1024 * 1024;
/// How long a refused body is read for at most.
const DRAIN_FOR: Duration = Duration::from_secs(2);

/// Why a body was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// Over the limit (and drained).
    TooLarge,
    /// The client stopped sending half-way.
    BrokeOff,
}

/// The body, when it is at most `limit` bytes.
pub async fn read_within(body: Body, limit: usize) -> Result<Vec<u8>, Unread> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Unread::BrokeOff)?;
        if bytes.len() + chunk.len() > limit {
            drain(stream, bytes.len() + chunk.len()).await;
            return Err(Unread::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Reads and drops a body refused before reading it (e.g. by its declared
/// length).
pub async fn refuse(body: Body) {
    drain(body.into_data_stream(), 0).await;
}

async fn drain(mut stream: BodyDataStream, mut read: usize) {
    let _ = tokio::time::timeout(DRAIN_FOR, async {
        while read <= DRAIN_BYTES {
            match stream.next().await {
                Some(Ok(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
    })
    .await;
}
