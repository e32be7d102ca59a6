//! In-memory rate limits: failed sign-ins per username and per client address, and
//! invitation emails per user.
//!
//! NOTE: counts live in the process, so they reset on restart and are not shared between
//! several server processes.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A limit of `max` events per `period`.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub max: usize,
    pub period: Duration,
}

/// Failed sign-ins allowed per username in 15 minutes.
pub const SIGN_IN_PER_USERNAME: Window = Window {
    max: 5,
    period: Duration::from_secs(15 * 60),
};
/// Failed sign-ins allowed per client address in 15 minutes.
pub const SIGN_IN_PER_ADDRESS: Window = Window {
    max: 30,
    period: Duration::from_secs(15 * 60),
};
/// Invitation emails per user: one a minute, and ten a day.
pub const INVITATIONS_PER_USER: [Window; 2] = [
    Window {
        max: 1,
        period: Duration::from_secs(60),
    },
    Window {
        max: 10,
        period: Duration::from_secs(24 * 60 * 60),
    },
];
/// Keys kept before idle ones are first dropped, which bounds memory under many distinct
/// keys. After each pruning the next waits until the keys have doubled, so that keys that
/// are all still in their windows, such as a day of new users, are not walked at every event.
const PRUNE_ABOVE_KEYS: usize = 10_000;

/// Counts events per key in sliding windows. Callers pass the time, so tests can choose it.
pub struct RateLimiter {
    windows: Vec<Window>,
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Key count above which the next event prunes idle keys.
    prune_above: AtomicUsize,
}

impl RateLimiter {
    pub fn new(windows: &[Window]) -> RateLimiter {
        RateLimiter {
            windows: windows.to_vec(),
            events: Mutex::default(),
            prune_above: AtomicUsize::new(PRUNE_ABOVE_KEYS),
        }
    }

    /// Returns how long to wait if `key` has used up any window at `now`, else `None`.
    pub fn retry_after(&self, key: &str, now: Instant) -> Option<Duration> {
        let events = self.lock();
        let times = events.get(key)?;
        self.windows
            .iter()
            .filter_map(|window| {
                let recent: Vec<&Instant> = times
                    .iter()
                    .filter(|&&t| now.duration_since(t) < window.period)
                    .collect();
                if recent.len() < window.max {
                    return None;
                }
                // The window frees a slot when the oldest event that still counts leaves it.
                let oldest = recent[recent.len() - window.max];
                Some(window.period.saturating_sub(now.duration_since(*oldest)))
            })
            .max()
    }

    /// Counts one event of `key` at `now`.
    pub fn record(&self, key: &str, now: Instant) {
        let longest = self
            .windows
            .iter()
            .map(|w| w.period)
            .max()
            .unwrap_or_default();
        let mut events = self.lock();
        // Read and written under the lock of `events`, so relaxed ordering is enough.
        if events.len() > self.prune_above.load(Ordering::Relaxed) {
            events.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|&t| now.duration_since(t) < longest)
            });
            let next = (events.len() * 2).max(PRUNE_ABOVE_KEYS);
            self.prune_above.store(next, Ordering::Relaxed);
        }
        let times = events.entry(key.to_owned()).or_default();
        while times
            .front()
            .is_some_and(|&t| now.duration_since(t) >= longest)
        {
            times.pop_front();
        }
        times.push_back(now);
    }

    /// Counts an event of `key` unless a window is used up, in which case it returns how
    /// long to wait.
    pub fn try_record(&self, key: &str, now: Instant) -> Result<(), Duration> {
        if let Some(wait) = self.retry_after(key, now) {
            return Err(wait);
        }
        self.record(key, now);
        Ok(())
    }

    /// Forgets every event of `key`.
    pub fn reset(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.events
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_and_frees_after_period() {
        let limiter = RateLimiter::new(&[Window {
            max: 2,
            period: Duration::from_secs(60),
        }]);
        let start = Instant::now();
        limiter.record("ann", start);
        limiter.record("ann", start + Duration::from_secs(10));

        let wait = limiter.retry_after("ann", start + Duration::from_secs(20));
        let later = limiter.retry_after("ann", start + Duration::from_secs(61));

        assert_eq!(
            wait,
            Some(Duration::from_secs(40)),
            "wait until the first event leaves"
        );
        assert_eq!(later, None, "the first event left the window");
        assert_eq!(
            limiter.retry_after("bob", start),
            None,
            "keys are counted apart"
        );
    }

    #[test]
    fn longest_wait_of_several_windows_wins() {
        let limiter = RateLimiter::new(&INVITATIONS_PER_USER);
        let start = Instant::now();
        for minute in 0..10 {
            let now = start + Duration::from_secs(minute * 61);
            assert!(
                limiter.try_record("7", now).is_ok(),
                "email {minute} allowed"
            );
        }
        let blocked_minute = limiter.try_record("7", start + Duration::from_secs(10 * 61 + 1));
        let wait = blocked_minute.expect_err("eleventh email in a day is refused");
        assert!(
            wait > Duration::from_secs(23 * 60 * 60),
            "waits most of a day: {wait:?}"
        );
    }

    #[test]
    fn pruning_drops_idle_keys_and_keeps_recent_ones() {
        let limiter = RateLimiter::new(&[Window {
            max: 1,
            period: Duration::from_secs(60),
        }]);
        let start = Instant::now();
        for key in 0..=PRUNE_ABOVE_KEYS {
            limiter.record(&format!("old-{key}"), start);
        }
        let later = start + Duration::from_secs(61);
        limiter.record("new", later);

        assert_eq!(limiter.lock().len(), 1, "idle keys are dropped");
        assert!(
            limiter.retry_after("new", later).is_some(),
            "the recent key is kept"
        );
        assert_eq!(
            limiter.prune_above.load(Ordering::Relaxed),
            PRUNE_ABOVE_KEYS,
            "the next pruning waits for the usual number of keys"
        );
    }

    #[test]
    fn reset_forgets_the_key() {
        let limiter = RateLimiter::new(&[Window {
            max: 1,
            period: Duration::from_secs(60),
        }]);
        let now = Instant::now();
        limiter.record("ann", now);
        limiter.reset("ann");
        assert_eq!(
            limiter.retry_after("ann", now),
            None,
            "reset clears the count"
        );
    }
}
