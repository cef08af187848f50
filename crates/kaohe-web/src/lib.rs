//! kaohe web pages (网页): server-rendered HTML on the same state as the JSON API — sign-in,
//! dashboard, import, data entry, rankings, the person page, publication, appeals, approvals,
//! policies, the promotion round (P5) and the onboarding board (P3). Chinese first, English by
//! a switch; no front-end build: templates are compiled in (askama) and the one script, htmx 2,
//! is vendored and served from the binary.
//!
//! Every page module owns its routes (`routes()`) and its templates; [`router`] merges them.
//! Pages call the API's handlers or the same library functions, so the rules (roles, scope,
//! cycle, labour-law gates) are enforced in one place.

pub mod charts;
pub mod ctx;
pub mod pages;
pub mod params;

use axum::http::header;
use axum::routing::get;
use axum::Router;
use kaohe_server::AppState;

/// htmx 2.0.8 (0BSD), vendored and pinned: htmx 4 changed attribute inheritance.
const HTMX: &str = include_str!("../static/htmx-2.0.8.min.js");
/// The stylesheet.
const CSS: &str = concat!(
    include_str!("../static/app.css"),
    include_str!("../static/pages-a.css"),
    include_str!("../static/pages-b.css")
);

/// Every page, on the API's state. Merge it with `kaohe_server::routes::router`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/static/htmx.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    HTMX,
                )
            }),
        )
        .route(
            "/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    CSS,
                )
            }),
        )
        .merge(pages::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            kaohe_server::routes::one_clock,
        ))
        .with_state(state)
}

/// The API and the pages together, as `kaohe serve` runs them.
pub fn app(state: AppState) -> Router {
    kaohe_server::routes::router(state.clone()).merge(router(state))
}
