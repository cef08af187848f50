//! API errors (接口错误): every error the server returns is JSON
//! `{"error": {"code", "zh", "en", …}}` with an HTTP status that says what kind of problem it
//! is — 400 bad input, 401 not signed in, 403 not allowed, 404 not found (also for things
//! outside the caller's scope, so that their existence is not revealed), 409 a stale write or
//! a forbidden transition, 429 too many sign-in attempts, 500 a fault of the server.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine code, e.g. `forbidden`, `conflict`.
    pub code: &'static str,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
    /// Extra fields (the current row of a 409, the problems of an import).
    pub extra: Option<Value>,
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A new error.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            zh: zh.into(),
            en: en.into(),
            extra: None,
        }
    }

    /// Attach extra JSON.
    pub fn with(mut self, extra: Value) -> ApiError {
        self.extra = Some(extra);
        self
    }

    /// 400 bad input.
    pub fn bad(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", zh, en)
    }

    /// 401 not signed in.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
            "please sign in",
        )
    }

    /// 403 the caller's role may not do this.
    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en)
    }

    /// 404 not found (or not visible to the caller).
    pub fn not_found(what_zh: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到{what_zh}，或您无权查看"),
            format!("{what_en} not found, or not visible to you"),
        )
    }

    /// 409 conflict.
    pub fn conflict(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", zh, en)
    }

    /// 500 a fault of the server (the details go to the log, not to the client).
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        eprintln!("kaohe: internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，本次操作未写入任何数据",
            "internal server error; nothing was written",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "zh": self.zh, "en": self.en });
        if let (Some(Value::Object(extra)), Value::Object(b)) = (self.extra, &mut body) {
            for (k, v) in extra {
                b.insert(k, v);
            }
        }
        (self.status, Json(json!({ "error": body }))).into_response()
    }
}

impl From<kaohe_store::Error> for ApiError {
    fn from(e: kaohe_store::Error) -> ApiError {
        use kaohe_store::Error as E;
        match e {
            E::Conflict {
                entity,
                id,
                current_version,
                current,
            } => ApiError::conflict(
                format!("{entity} {id} 已被他人修改（当前版本 {current_version}），请刷新后重试"),
                format!(
                    "{entity} {id} was changed by someone else (now version {current_version}); reload and retry"
                ),
            )
            .with(json!({ "current": current, "current_version": current_version })),
            E::NotFound { entity, id } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("未找到 {entity} {id}"),
                format!("{entity} {id} not found"),
            ),
            E::Invalid(msg) => {
                let (zh, en) = split_bilingual(&msg);
                ApiError::bad(zh, en)
            }
            other => ApiError::internal(other),
        }
    }
}

/// Split a "中文 / English" message into its halves (both halves = the whole when there is no
/// separator).
pub fn split_bilingual(msg: &str) -> (String, String) {
    match msg.split_once(" / ") {
        Some((zh, en)) => (zh.trim().to_string(), en.trim().to_string()),
        None => (msg.to_string(), msg.to_string()),
    }
}
