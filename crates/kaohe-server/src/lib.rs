//! kaohe server (服务端): `kaohe serve` — the JSON API over the store, running the assessment
//! cycle (import → compute → publish → appeals → final → measures → approvals → letters) with
//! roles, organisation scope, the audit log and the labour-law gates.
//!
//! Layers: [`routes`] (the endpoint table and router) → [`api`] handlers (role and scope checks,
//! then one call into `kaohe_process` rules and `kaohe_store` writes) → [`compute`] (stored
//! data ↔ the pure engine). Nothing here computes a score: the engine does.

pub mod api;
pub mod auth;
pub mod compute;
pub mod demo;
pub mod error;
pub mod routes;
pub mod scope;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;

pub use state::{AppState, Clock, Config};

use kaohe_process::calendar::{Calendar, YearData};
use kaohe_store::Db;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

/// What starting the server printed or needs to tell its caller.
#[derive(Debug)]
pub struct Started {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The first admin's password, when this run created the account.
    pub admin_password: Option<String>,
}

/// Build the state: connect (creating and migrating the database), load the calendar.
pub async fn state(config: Config) -> Result<AppState, String> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let mut cal = Calendar::builtin().map_err(|e| e.to_string())?;
    for (year, text) in db.calendar_years().await.map_err(|e| e.to_string())? {
        let y = YearData::parse(&format!("calendar {year}"), &text).map_err(|e| e.to_string())?;
        cal = cal.with_year(y);
    }
    Ok(AppState {
        db,
        config: Arc::new(config),
        clock: Clock::default(),
        calendar: Arc::new(RwLock::new(cal)),
        limiter: Arc::default(),
        runs: Arc::default(),
        period_locks: Arc::default(),
    })
}

/// On first run (no accounts at all), create the `admin` account with `password` or a random
/// one; returns the password when it created the account.
pub async fn bootstrap_admin(
    state: &AppState,
    password: Option<String>,
) -> Result<Option<String>, String> {
    if !state
        .db
        .users()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(None);
    }
    let pw = password.unwrap_or_else(|| auth::random_token()[..16].to_string());
    let p2 = pw.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&p2))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.en)?;
    state
        .db
        .create_user(
            &kaohe_store::NewUser {
                login: "admin".into(),
                password_hash: Some(hash),
                role: "admin".into(),
                scope_unit_id: None,
                person_id: None,
            },
            "system",
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(pw))
}

/// Serve the API on `listener` until the process is stopped.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_router(routes::router(state), listener).await
}

/// Serve any router built on the API's (e.g. the API merged with the web pages).
pub async fn serve_router(
    app: axum::Router,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
