//! One at a time per key: the first request to need a costly result (a page
//! read, a view rendered) makes it while the others asking for the same one
//! wait and then find it kept, instead of all making it at once when it
//! expires or changes (a "thundering herd").

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
};

use tokio::sync::{Mutex as Turn, OwnedMutexGuard};

/// The keys being made now, each with its queue.
pub struct SingleFlight<K> {
    making: Mutex<HashMap<K, Arc<Turn<()>>>>,
}

/// The right to make the result for one key, until dropped.
pub struct Making<'a, K: Eq + Hash + Clone> {
    flights: &'a SingleFlight<K>,
    turn: Option<OwnedMutexGuard<()>>,
}

impl<K: Eq + Hash + Clone> SingleFlight<K> {
    pub fn new() -> Self {
        Self {
            making: Mutex::default(),
        }
    }

    /// Waits until nobody else is making `key`'s result; the caller should
    /// then look for it again before making it.
    pub async fn wait_turn(&self, key: &K) -> Making<'_, K> {
        let turn = Arc::clone(
            self.lock()
                .entry(key.clone())
                .or_insert_with(|| Arc::new(Turn::new(()))),
        );
        Making {
            flights: self,
            turn: Some(turn.lock_owned().await),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<Turn<()>>>> {
        self.making
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<K: Eq + Hash + Clone> Default for SingleFlight<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Eq + Hash + Clone> Drop for Making<'_, K> {
    fn drop(&mut self) {
        let mut making = self.flights.lock();
        drop(self.turn.take());
        // Keys nobody holds or waits for any more (a waiter that gave up
        // leaves its key behind until here).
        making.retain(|_, turn| Arc::strong_count(turn) > 1);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_second_request_for_a_key_waits_for_the_first() {
        let flights = Arc::new(SingleFlight::<&str>::new());
        let first = flights.wait_turn(&"page 1").await;
        let waiting = tokio::spawn({
            let flights = Arc::clone(&flights);
            async move {
                let _turn = flights.wait_turn(&"page 1").await;
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the second went ahead of the first");
        drop(first);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the second never had its turn")
            .unwrap();
        assert!(flights.lock().is_empty(), "a key was left behind");
    }

    #[tokio::test]
    async fn other_keys_do_not_wait() {
        let flights = SingleFlight::<&str>::new();
        let _first = flights.wait_turn(&"page 1").await;
        tokio::time::timeout(Duration::from_secs(5), flights.wait_turn(&"page 2"))
            .await
            .expect("page 2 waited for page 1");
    }

    #[tokio::test]
    async fn a_waiter_that_gives_up_leaves_nothing_behind() {
        let flights = SingleFlight::<&str>::new();
        let first = flights.wait_turn(&"page 1").await;
        let gave_up =
            tokio::time::timeout(Duration::from_millis(20), flights.wait_turn(&"page 1")).await;
        assert!(gave_up.is_err());
        drop(first);
        assert!(flights.lock().is_empty());
    }
}
