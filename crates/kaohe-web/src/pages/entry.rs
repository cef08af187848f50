//! (Page module `entry`: to be written.)

use axum::Router;
use kaohe_server::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
}
