//! The pages, one module each with its own routes and templates.

pub mod admin;
pub mod appeals;
pub mod auth;
pub mod dashboard;
pub mod demo;
pub mod entry;
pub mod import;
pub mod onboarding;
pub mod period;
pub mod person;
pub mod policy;
pub mod promotion;
pub mod raters;
pub mod table;

use axum::Router;
use kaohe_server::AppState;

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(period::routes())
        .merge(person::routes())
        .merge(appeals::routes())
        .merge(import::routes())
        .merge(entry::routes())
        .merge(policy::routes())
        .merge(promotion::routes())
        .merge(raters::routes())
        .merge(onboarding::routes())
        .merge(admin::routes())
        .merge(demo::routes())
        .merge(table::routes())
}
