//! Shared server state (服务状态): the database, the clock, the working-day calendar and the
//! sign-in throttle, cloned cheaply into every handler.

use crate::auth::LoginLimiter;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use kaohe_process::calendar::Calendar;
use kaohe_store::Db;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

/// How the server is configured.
#[derive(Clone, Debug)]
pub struct Config {
    /// Database URL (`sqlite://…?mode=rwc` or `postgres://…`).
    pub database_url: String,
    /// Whether the test clock may be moved through the API (`--test-clock`; never in
    /// production: it exists so that tests can pass an appeal window without waiting days).
    pub test_clock: bool,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

/// The clock (时钟): real time plus an offset that only a test server may change.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// Now, UTC.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::SeqCst))
    }

    /// Now in China (UTC+8, no daylight saving), as the cycle's deadlines are dates in China.
    pub fn china_now(&self) -> NaiveDateTime {
        (self.now() + Duration::hours(8)).naive_utc()
    }

    /// How far the clock has been moved, in seconds (0 on a real server).
    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// Move the clock by `seconds` (test servers only).
    pub fn advance(&self, seconds: i64) {
        self.try_advance(seconds);
    }

    /// Move the clock by `seconds` unless the offset would leave ±100 years (then nothing
    /// moves and the answer is `false`), so that `now` can never overflow.
    pub fn try_advance(&self, seconds: i64) -> bool {
        const LIMIT: i64 = 100 * 366 * 86_400;
        self.offset_seconds
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                o.checked_add(seconds).filter(|n| n.abs() <= LIMIT)
            })
            .is_ok()
    }
}

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Configuration.
    pub config: Arc<Config>,
    /// The clock.
    pub clock: Clock,
    /// Working-day calendar: the shipped years plus years an admin added.
    pub calendar: Arc<RwLock<Calendar>>,
    /// Sign-in throttle.
    pub limiter: Arc<LoginLimiter>,
    /// Parsed results of recent runs (runs are immutable, so a run id is a perfect key).
    pub runs: Arc<RunCache>,
    /// One lock per period, held through a cycle step (see [`PeriodLocks`]).
    pub period_locks: Arc<PeriodLocks>,
}

/// Cycle steps of one period run one at a time (期间锁). A step checks the period's version,
/// writes its side effect (a run, a publication, an approval) and then moves the state; without
/// this lock, two requests carrying the same version could both pass the check and both write
/// their side effect before one of them loses at the state change (a 409 that still left a
/// run or an approval behind). Within one server process the lock makes the check and the
/// writes one step; the state change itself stays version-checked in the database.
#[derive(Debug, Default)]
pub struct PeriodLocks {
    map: std::sync::Mutex<std::collections::HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl PeriodLocks {
    /// Wait for the period's lock.
    pub async fn lock(&self, period: i64) -> tokio::sync::OwnedMutexGuard<()> {
        let m = {
            let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            // Forget the locks no one holds or waits for, so the map stays small.
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry(period).or_default().clone()
        };
        m.lock_owned().await
    }
}

/// A computed run, parsed once (运行结果缓存).
#[derive(Debug)]
pub struct CachedRun {
    /// The stored run (its `result_json` emptied: see `json`).
    pub run: kaohe_store::RunRow,
    /// The result.
    pub result: kaohe_engine::PeriodResult,
    /// The result as stored JSON text.
    pub json: String,
    /// The ranking view of the result (`kaohe_export::ranking`) as JSON text, made once.
    pub ranking_json: String,
}

/// The most recent runs, by id, at most [`RunCache::CAPACITY`].
#[derive(Debug, Default)]
pub struct RunCache {
    map: std::sync::Mutex<std::collections::BTreeMap<i64, Arc<CachedRun>>>,
}

impl RunCache {
    /// Runs kept.
    pub const CAPACITY: usize = 64;

    /// A cached run.
    pub fn get(&self, id: i64) -> Option<Arc<CachedRun>> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned()
    }

    /// Keep a run (the oldest ids go first when full).
    pub fn put(&self, id: i64, run: Arc<CachedRun>) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        m.insert(id, run);
        while m.len() > RunCache::CAPACITY {
            m.pop_first();
        }
    }
}

impl AppState {
    /// A copy of the calendar (cheap enough: a few years of dates).
    pub fn calendar(&self) -> Calendar {
        match self.calendar.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}
