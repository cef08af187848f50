//! What every page needs (页面上下文): the signed-in user, the language (zh by default, a
//! cookie switches to en), the CSRF token for forms, and HTML errors in words a user
//! understands.
//!
//! Forms carry the session's CSRF token in a hidden `_csrf` field (htmx requests send it as
//! the `X-CSRF-Token` header, set once on `<body hx-headers>`); [`Web::check_csrf`] compares it
//! and the request's origin before anything changes.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaohe_server::auth::{self, Caller};
use kaohe_server::error::ApiError;
use kaohe_server::AppState;

/// The language cookie.
pub const LANG_COOKIE: &str = "kaohe_lang";

/// Page language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// From the request's cookie.
    pub fn of(headers: &HeaderMap) -> Lang {
        let en = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|kv| kv.trim() == format!("{LANG_COOKIE}=en"));
        if en {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// `zh-CN` or `en`.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The export crate's language.
    pub fn export(self) -> kaohe_export::Lang {
        match self {
            Lang::Zh => kaohe_export::Lang::Zh,
            Lang::En => kaohe_export::Lang::En,
        }
    }
}

/// A signed-in user on a page (pages redirect to /login without one).
#[derive(Clone, Debug)]
pub struct Web {
    /// The caller, as the API knows them.
    pub caller: Caller,
    /// The session's CSRF token (for forms).
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
}

/// The shared page frame: title, language, user and CSRF token.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Page title (already in the page's language).
    pub title: String,
    /// Language.
    pub lang: Lang,
    /// Login shown in the header, if signed in.
    pub login: Option<String>,
    /// Role name shown in the header.
    pub role: String,
    /// Role code (for the menu).
    pub role_code: String,
    /// CSRF token for forms.
    pub csrf: String,
}

impl Frame {
    /// Pick the text in the page's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Whether the menu shows management pages.
    pub fn manages(&self) -> bool {
        !matches!(self.role_code.as_str(), "employee" | "rater")
    }

    /// Whether the role is one of `roles` (the lists the API handlers check).
    fn role_in(&self, roles: &[kaohe_process::role::Role]) -> bool {
        roles.iter().any(|r| r.code() == self.role_code)
    }

    /// The menu offers 导入 Import: the roles that run a cycle's steps.
    pub fn imports(&self) -> bool {
        self.role_in(kaohe_server::api::periods::OPERATORS)
    }

    /// The menu offers 申诉复核 Appeals: the roles that review appeals.
    pub fn reviews(&self) -> bool {
        self.role_in(kaohe_server::api::personal::REVIEWERS)
    }
}

impl Web {
    /// The frame of a page titled `zh` / `en`.
    pub fn frame(&self, zh: &str, en: &str) -> Frame {
        Frame {
            title: match self.lang {
                Lang::Zh => zh.to_string(),
                Lang::En => en.to_string(),
            },
            lang: self.lang,
            login: Some(self.caller.user.login.clone()),
            role: match self.lang {
                Lang::Zh => self.caller.role.zh().to_string(),
                Lang::En => self.caller.role.en().to_string(),
            },
            role_code: self.caller.role.code().to_string(),
            csrf: self.csrf.clone(),
        }
    }

    /// Refuse a state change whose form (or `X-CSRF-Token` header) does not carry the
    /// session's token, or that comes from another site.
    pub fn check_csrf(
        &self,
        headers: &HeaderMap,
        form_token: Option<&str>,
    ) -> Result<(), PageError> {
        let header_token = headers.get(auth::CSRF_HEADER).and_then(|v| v.to_str().ok());
        let sent = form_token.or(header_token);
        if sent == Some(self.csrf.as_str()) && auth::is_same_origin(headers) {
            Ok(())
        } else {
            Err(PageError::from_api(
                ApiError::forbidden(
                    "页面已过期或请求来自其他网站，请刷新后重试",
                    "the page has expired or the request came from another site; reload and retry",
                ),
                self.lang,
            ))
        }
    }
}

impl FromRequestParts<AppState> for Web {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Web, Response> {
        let lang = Lang::of(&parts.headers);
        match auth::session_caller(state, &parts.headers).await {
            Ok(Some((caller, csrf))) => Ok(Web { caller, csrf, lang }),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!("/login?next={}", encode(next));
                Err(Redirect::to(&target).into_response())
            }
            Err(e) => Err(PageError::from_api(e, lang).into_response()),
        }
    }
}

/// Percent-encode a path for a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    status: u16,
    message: String,
    other: String,
}

/// An error shown as a page, in the user's language first.
#[derive(Debug)]
pub struct PageError {
    /// HTTP status.
    pub status: StatusCode,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
    /// Language.
    pub lang: Lang,
}

impl PageError {
    /// From an API error.
    pub fn from_api(e: ApiError, lang: Lang) -> PageError {
        PageError {
            status: e.status,
            zh: e.zh,
            en: e.en,
            lang,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (message, other) = match self.lang {
            Lang::Zh => (self.zh, self.en),
            Lang::En => (self.en, self.zh),
        };
        let page = ErrorPage {
            frame: Frame {
                title: match self.lang {
                    Lang::Zh => "出错了".into(),
                    Lang::En => "Something went wrong".into(),
                },
                lang: self.lang,
                login: None,
                role: String::new(),
                role_code: String::new(),
                csrf: String::new(),
            },
            status: self.status.as_u16(),
            message,
            other,
        };
        (self.status, render(&page)).into_response()
    }
}

/// Render a template; a template error (a bug) becomes a plain 500 page.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            eprintln!("kaohe-web: template error: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "页面渲染出错 / page rendering failed",
            )
                .into_response()
        }
    }
}

/// Result of a page handler.
pub type PageResult = Result<Response, PageError>;

/// Map an API result into a page result.
pub trait OrPage<T> {
    /// Attach the page language to an API error.
    fn page(self, lang: Lang) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, ApiError> {
    fn page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::from_api(e, lang))
    }
}

/// Dates as people write them: 2024年5月 (zh) / May 2024 (en) for a period label `2024-05`,
/// 2025年第1季度 / Q1 2025 for `2025-Q1`; other labels as they are.
pub fn period_text(label: &str, lang: Lang) -> String {
    if let Some((y, q)) = label.split_once("-Q") {
        if let (Ok(y), Ok(q @ 1..=4)) = (y.parse::<i32>(), q.parse::<u32>()) {
            return match lang {
                Lang::Zh => format!("{y}年第{q}季度"),
                Lang::En => format!("Q{q} {y}"),
            };
        }
    }
    let mut parts = label.split('-');
    match (
        parts.next().and_then(|y| y.parse::<i32>().ok()),
        parts.next().and_then(|m| m.parse::<u32>().ok()),
    ) {
        (Some(y), Some(m)) if (1..=12).contains(&m) && label.len() == 7 => match lang {
            Lang::Zh => format!("{y}年{m}月"),
            Lang::En => {
                const M: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                format!("{} {y}", M[(m - 1) as usize])
            }
        },
        _ => label.to_string(),
    }
}

/// A date as 2024年5月6日 / 2024-05-06.
pub fn date_text(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A recorded instant (stored in UTC) as the wall-clock time in China (UTC+8, no daylight
/// saving), which is what everyone reading these pages goes by.
fn china(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    (t + chrono::Duration::hours(8)).naive_utc()
}

/// A recorded instant as its day in China: 2025年4月1日 / 2025-04-01.
pub fn day_text(t: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    date_text(china(t).date(), lang)
}

/// A recorded instant as the time in China: 2025年4月1日 09:30 / 2025-04-01 09:30.
pub fn time_text(t: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    let c = china(t);
    format!("{} {}", date_text(c.date(), lang), c.format("%H:%M"))
}

/// An RFC 3339 time from an API answer (e.g. `computed_at`) as [`time_text`]; empty when absent.
pub fn json_time_text(v: &serde_json::Value, lang: Lang) -> String {
    v.as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| time_text(t.with_timezone(&chrono::Utc), lang))
        .unwrap_or_default()
}

/// The deadlines of the steps still ahead in `state`, as `(what, 2025年4月7日)`: compiling
/// and publishing before publication (P4.9), the appeal window while published (P4.10), the
/// approvals from final until closed (P4.11). A step already done shows no deadline.
pub fn deadlines_ahead(
    state: &str,
    d: &kaohe_server::api::periods::DeadlinesView,
    lang: Lang,
) -> Vec<(String, String)> {
    let before_publication = matches!(state, "open" | "collecting" | "computed");
    let steps = [
        (
            d.compile_by
                .filter(|_| matches!(state, "open" | "collecting")),
            ("汇总截止", "compile by"),
        ),
        (
            d.publish_by.filter(|_| before_publication),
            ("公示截止", "publish by"),
        ),
        (
            d.appeal_until.filter(|_| state == "published"),
            ("申诉截止", "appeals until"),
        ),
        (
            d.approvals_by.filter(|_| {
                matches!(state, "final" | "measures") || state.starts_with("approvals")
            }),
            ("审批截止", "approvals by"),
        ),
    ];
    steps
        .into_iter()
        .filter_map(|(date, (zh, en))| {
            let what = match lang {
                Lang::Zh => zh,
                Lang::En => en,
            };
            date.map(|x| (what.to_string(), date_text(x, lang)))
        })
        .collect()
}

/// Cycle state in words, as the cycle's own messages name it (kaohe_process's one vocabulary:
/// 公示中（申诉期）, 审批中（第2级）…); an unknown state as it is stored.
pub fn state_text(state: &str, lang: Lang) -> String {
    match kaohe_server::api::periods::parse_state(state) {
        Ok(s) => {
            let (zh, en) = kaohe_process::cycle::text::state_name(s);
            match lang {
                Lang::Zh => zh,
                Lang::En => en,
            }
        }
        Err(_) => state.to_string(),
    }
}

/// Names for lists (名称): units and policy versions by id, read once per page, so that a list
/// of periods says which branch and which policy ("杭州分公司 · 销售人员末位淘汰制度 第1版")
/// without a query per row. Unknown ids fall back to the stored codes.
#[derive(Debug, Default)]
pub struct Names {
    units: std::collections::HashMap<i64, String>,
    /// Version id → (name, English name, version).
    policies: std::collections::HashMap<i64, (String, String, String)>,
}

impl Names {
    /// Every unit and policy version of the database.
    pub async fn load(state: &AppState) -> Names {
        let mut n = Names::default();
        if let Ok(units) = state.db.units().await {
            n.units = units.into_iter().map(|u| (u.id, u.name)).collect();
        }
        if let Ok(versions) = state.db.all_policy_versions().await {
            for v in versions {
                let (zh, en) = match kaohe_policy::load_str(&v.toml, "policy.toml") {
                    Ok(p) => {
                        let en = p.policy.name_en.clone().unwrap_or(p.policy.name.clone());
                        (p.policy.name, en)
                    }
                    Err(_) => (v.policy_id.clone(), v.policy_id.clone()),
                };
                n.policies.insert(v.id, (zh, en, v.version));
            }
        }
        n
    }

    /// A policy version as people call it: its name and version.
    pub fn policy(&self, version_id: i64, lang: Lang) -> String {
        match (self.policies.get(&version_id), lang) {
            (Some((zh, _, v)), Lang::Zh) => format!("{zh} 第{v}版"),
            (Some((_, en, v)), Lang::En) => format!("{en} v{v}"),
            (None, _) => format!("#{version_id}"),
        }
    }

    /// A policy version's name alone (琥珀湾客户经理淘汰制度), in the page's language.
    pub fn policy_name(&self, version_id: i64, lang: Lang) -> Option<String> {
        self.policies
            .get(&version_id)
            .map(|(zh, en, _)| match lang {
                Lang::Zh => zh.clone(),
                Lang::En => en.clone(),
            })
    }

    /// A unit's name.
    pub fn unit(&self, id: Option<i64>) -> String {
        id.and_then(|i| self.units.get(&i).cloned())
            .unwrap_or_default()
    }

    /// What a period is about besides its month: its unit and its policy.
    pub fn period(&self, row: &kaohe_store::PeriodRow, lang: Lang) -> String {
        let unit = self.unit(row.unit_id);
        let policy = self.policy(row.policy_version_id, lang);
        if unit.is_empty() {
            policy
        } else {
            format!("{unit} · {policy}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 16:30 UTC on 31 March is half past midnight on 1 April in China (UTC+8).
    #[test]
    fn times_are_read_in_china() {
        let t = chrono::DateTime::parse_from_rfc3339("2025-03-31T16:30:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("time");
        assert_eq!(time_text(t, Lang::Zh), "2025年4月1日 00:30");
        assert_eq!(time_text(t, Lang::En), "2025-04-01 00:30");
        assert_eq!(day_text(t, Lang::Zh), "2025年4月1日");
        let v = serde_json::json!("2025-03-31T16:30:00Z");
        assert_eq!(json_time_text(&v, Lang::Zh), "2025年4月1日 00:30");
        assert_eq!(json_time_text(&serde_json::Value::Null, Lang::Zh), "");
    }

    /// Each state shows the deadlines of the steps still ahead only (P4.9–P4.11).
    #[test]
    fn only_deadlines_still_ahead_are_shown() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let d = kaohe_server::api::periods::DeadlinesView {
            compile_by: day("2025-04-15"),
            publish_by: day("2025-04-22"),
            appeal_until: day("2025-04-07"),
            approvals_by: day("2025-04-08"),
        };
        let whats = |state: &str| -> Vec<String> {
            deadlines_ahead(state, &d, Lang::Zh)
                .into_iter()
                .map(|(w, _)| w)
                .collect()
        };
        assert_eq!(whats("collecting"), ["汇总截止", "公示截止"]);
        assert_eq!(whats("computed"), ["公示截止"]);
        assert_eq!(whats("published"), ["申诉截止"]);
        assert_eq!(whats("final"), ["审批截止"]);
        assert_eq!(whats("approvals:1"), ["审批截止"]);
        assert!(whats("closed").is_empty());
        assert_eq!(
            deadlines_ahead("published", &d, Lang::Zh),
            [("申诉截止".to_string(), "2025年4月7日".to_string())]
        );
    }

    #[test]
    fn period_labels_read_as_people_write_them() {
        assert_eq!(period_text("2025-03", Lang::Zh), "2025年3月");
        assert_eq!(period_text("2025-03", Lang::En), "Mar 2025");
        assert_eq!(period_text("2025-Q1", Lang::Zh), "2025年第1季度");
        assert_eq!(period_text("2025-Q4", Lang::En), "Q4 2025");
        assert_eq!(period_text("2025-Q5", Lang::Zh), "2025-Q5");
        assert_eq!(
            period_text("2025年3月第一期岗前培训", Lang::Zh),
            "2025年3月第一期岗前培训"
        );
    }
}
