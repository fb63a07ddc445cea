//! A session's last activity recorded by one request at a time: the
//! requests that find a session due while one of them records it leave it
//! to that one. At thousands of requests a second, each would otherwise
//! queue an update of the same two rows, holding a database connection
//! while it waited for their lock, and the requests behind them would wait
//! for connections (a stall of about a quarter of a second, once a minute,
//! at 50 connections).

use std::{
    collections::HashSet,
    sync::{LazyLock, Mutex, MutexGuard},
};

use uuid::Uuid;

/// The sessions being recorded now, in this process.
static RECORDING: LazyLock<Mutex<HashSet<Uuid>>> = LazyLock::new(Mutex::default);

/// The right to record one session's last activity, until dropped.
pub struct Recording(Uuid);

impl Recording {
    /// `None` while another request records `session_id`.
    pub fn start(session_id: Uuid) -> Option<Self> {
        let started = recording().insert(session_id);
        // Made only when started: dropped, it ends the recording.
        started.then(|| Self(session_id))
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        recording().remove(&self.0);
    }
}

fn recording() -> MutexGuard<'static, HashSet<Uuid>> {
    RECORDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_records_a_session_at_a_time() {
        let (session, other) = (Uuid::new_v4(), Uuid::new_v4());
        let first = Recording::start(session).expect("nobody was recording it");
        assert!(Recording::start(session).is_none());
        let _other = Recording::start(other).expect("another session is its own");
        drop(first);
        assert!(Recording::start(session).is_some());
    }
}
