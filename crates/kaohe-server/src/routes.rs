//! The route table (接口表): every endpoint with its method, path, summary and the roles that
//! may call it. One table feeds the router's documentation (OpenAPI, served at
//! `/api/openapi.json`) and the role × endpoint test; the handlers enforce the same rules
//! (roles and organisation scope) themselves.

use crate::api::{admin, data, measures, periods, personal, results, templates};
use crate::auth;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use kaohe_process::role::Role;
use serde_json::{json, Value};

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account; what it returns depends on the caller's scope.
    SignedIn,
    /// Only these roles (and only inside their scope).
    Roles(&'static [Role]),
}

/// One endpoint.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path with `{parameters}`.
    pub path: &'static str,
    /// What it does, Chinese.
    pub zh: &'static str,
    /// What it does, English.
    pub en: &'static str,
    /// Who may call it.
    pub access: Access,
}

use Access::{Public, Roles, SignedIn};

const ADMIN: &[Role] = &[Role::Admin];
const ADMIN_HR: &[Role] = &[Role::Admin, Role::HqHr];
const OPS: &[Role] = periods::OPERATORS;
const TYPISTS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::BranchHead,
    Role::SalesManager,
];
const RATER: &[Role] = &[Role::Rater];
const PROTECTED_READERS: &[Role] = &[
    Role::Admin,
    Role::HqHr,
    Role::BranchHead,
    Role::RegionalHead,
];
const ACK_READERS: &[Role] = &[Role::Admin, Role::HqHr, Role::BranchHead];

/// Every endpoint.
pub const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/api/health",
        zh: "健康检查",
        en: "health check",
        access: Public,
    },
    Route {
        method: "GET",
        path: "/api/openapi.json",
        zh: "接口说明（OpenAPI）",
        en: "this API as OpenAPI",
        access: Public,
    },
    Route {
        method: "POST",
        path: "/api/login",
        zh: "登录",
        en: "sign in",
        access: Public,
    },
    Route {
        method: "POST",
        path: "/api/logout",
        zh: "退出",
        en: "sign out",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/me",
        zh: "当前账号",
        en: "the signed-in account",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/me/periods",
        zh: "我的考核",
        en: "my periods and published results",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/tokens",
        zh: "创建接口令牌",
        en: "create an API token",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/users",
        zh: "账号列表",
        en: "list accounts",
        access: Roles(ADMIN),
    },
    Route {
        method: "POST",
        path: "/api/users",
        zh: "创建账号",
        en: "create an account",
        access: Roles(ADMIN),
    },
    Route {
        method: "GET",
        path: "/api/org/units",
        zh: "组织单位（本人范围内）",
        en: "organisation units in scope",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/org/units",
        zh: "新增组织单位",
        en: "add a unit",
        access: Roles(ADMIN_HR),
    },
    Route {
        method: "GET",
        path: "/api/policies",
        zh: "制度版本列表",
        en: "policy versions",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/policies",
        zh: "上传制度文件（校验后保存）",
        en: "upload a policy file (validated, then stored)",
        access: Roles(ADMIN_HR),
    },
    Route {
        method: "GET",
        path: "/api/policies/{id}",
        zh: "制度版本及其中文说明",
        en: "a policy version and its plain-language text",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/policies/{id}/acknowledgements",
        zh: "确认已知悉制度（劳动合同法第4条）",
        en: "acknowledge a policy version (Art. 4)",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/policies/{id}/acknowledgements",
        zh: "制度确认记录",
        en: "acknowledgement records",
        access: Roles(ACK_READERS),
    },
    Route {
        method: "GET",
        path: "/api/calendar",
        zh: "工作日历年份",
        en: "working-day calendar years",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/calendar",
        zh: "添加日历年份",
        en: "add a calendar year",
        access: Roles(ADMIN),
    },
    Route {
        method: "GET",
        path: "/api/periods",
        zh: "考核期间列表（含期限与逾期）",
        en: "periods with deadlines and overdue steps",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/periods",
        zh: "开启考核期间",
        en: "open a period",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}",
        zh: "考核期间",
        en: "one period",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/transition",
        zh: "流程操作（计算、公示、定稿、审批…）",
        en: "cycle step (compute, publish, finalize, approve…)",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/roster",
        zh: "导入花名册（XLSX/CSV）",
        en: "import the roster (XLSX/CSV)",
        access: Roles(OPS),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/facts",
        zh: "导入考核数据（XLSX/CSV）",
        en: "import facts (XLSX/CSV)",
        access: Roles(OPS),
    },
    Route {
        method: "PUT",
        path: "/api/periods/{id}/facts/{person}/{input}",
        zh: "录入单项数据（如日常工作分）",
        en: "type one value (e.g. a daily-work score)",
        access: Roles(TYPISTS),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/assignments",
        zh: "指定评分人",
        en: "assign a rater",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/assignments",
        zh: "评分人分配情况",
        en: "the raters assigned",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/my-ratees",
        zh: "我要评分的人员",
        en: "the people I rate",
        access: Roles(RATER),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/ratings",
        zh: "评分",
        en: "rate a person",
        access: Roles(RATER),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/results",
        zh: "排名结果（本人范围内；?view=ranking 不含逐项说明）",
        en: "the ranking in scope (?view=ranking: without the explanation texts)",
        access: Roles(results::READERS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/runs",
        zh: "历次计算与更正（原结果保留）",
        en: "every run and amendment (originals kept)",
        access: Roles(results::READERS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/runs/{run}",
        zh: "某次计算的结果",
        en: "one earlier run's result",
        access: Roles(results::READERS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/export.xlsx",
        zh: "下载考核表（XLSX）",
        en: "download the score sheet (XLSX)",
        access: Roles(results::READERS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/people/{person}",
        zh: "个人结果及说明",
        en: "one person's result and explanation",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/publication",
        zh: "公示",
        en: "the publication (公示)",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/signatures",
        zh: "签字确认或记录拒签",
        en: "sign, or record a refusal",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/appeals",
        zh: "提出申诉（公示期内）",
        en: "file an appeal (in the window)",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/appeals",
        zh: "申诉（复核队列或本人申诉）",
        en: "appeals (review queue, or one's own)",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/appeals/{id}/decision",
        zh: "复核申诉（采纳或驳回）",
        en: "decide an appeal (accept or reject)",
        access: Roles(personal::REVIEWERS),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/ties",
        zh: "并列裁决",
        en: "decide a tie at the line",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/measures",
        zh: "处理措施",
        en: "measures per person",
        access: Roles(results::READERS),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/people/{person}/termination-check",
        zh: "解除前的劳动法关口检查",
        en: "labour-law gates of a termination",
        access: Roles(ADMIN_HR),
    },
    Route {
        method: "POST",
        path: "/api/periods/{id}/letters",
        zh: "生成文书（警告函、淘汰名单通知、月度汇总）",
        en: "generate letters and the monthly summary",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/periods/{id}/documents",
        zh: "本期文书",
        en: "documents of a period",
        access: SignedIn,
    },
    Route {
        method: "GET",
        path: "/api/documents/{id}",
        zh: "下载文书",
        en: "download a document",
        access: SignedIn,
    },
    Route {
        method: "POST",
        path: "/api/people/{person}/protected",
        zh: "登记第42条保护情形",
        en: "record an Art. 42 protected status",
        access: Roles(OPS),
    },
    Route {
        method: "GET",
        path: "/api/people/{person}/protected",
        zh: "第42条保护情形",
        en: "Art. 42 protected statuses",
        access: Roles(PROTECTED_READERS),
    },
    Route {
        method: "GET",
        path: "/api/templates",
        zh: "文书模板（各类文书的当前模板与可用变量）",
        en: "document templates: each kind's current text and variables",
        access: Roles(templates::READERS),
    },
    Route {
        method: "GET",
        path: "/api/templates/{kind}",
        zh: "某类文书的当前模板及历史版本",
        en: "one kind's current template and every saved version",
        access: Roles(templates::READERS),
    },
    Route {
        method: "PUT",
        path: "/api/templates/{kind}",
        zh: "修改文书模板（校验并试生成 PDF、DOCX 后保存为新版本）",
        en:
            "change a template (checked and trial-rendered as PDF and DOCX, saved as a new version)",
        access: Roles(templates::EDITORS),
    },
    Route {
        method: "POST",
        path: "/api/templates/{kind}/revert",
        zh: "恢复默认模板（保存为新版本）",
        en: "revert to the default template (a new version)",
        access: Roles(templates::EDITORS),
    },
    Route {
        method: "GET",
        path: "/api/templates/{kind}/preview",
        zh: "用示例数据预览模板（PDF 或 DOCX）",
        en: "preview a template on sample data (PDF or DOCX)",
        access: Roles(templates::READERS),
    },
    Route {
        method: "POST",
        path: "/api/templates/{kind}/preview",
        zh: "预览尚未保存的模板文本",
        en: "preview a template text before saving it",
        access: Roles(templates::EDITORS),
    },
    Route {
        method: "GET",
        path: "/api/audit",
        zh: "审计日志",
        en: "the audit log",
        access: Roles(ADMIN_HR),
    },
    Route {
        method: "GET",
        path: "/api/audit/verify",
        zh: "校验审计日志哈希链",
        en: "verify the audit hash chain",
        access: Roles(ADMIN),
    },
    Route {
        method: "POST",
        path: "/api/test/clock",
        zh: "测试时钟（仅测试服务器）",
        en: "move the test clock (test servers only)",
        access: Roles(ADMIN),
    },
];

/// The router with every endpoint of [`ROUTES`].
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/health", get(|| async { Json(json!({ "ok": true })) }))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/login", post(auth::login))
        .route("/api/logout", post(auth::logout))
        .route("/api/me", get(auth::whoami))
        .route("/api/me/periods", get(personal::my_periods))
        .route("/api/tokens", post(admin::create_token))
        .route(
            "/api/users",
            get(admin::list_users).post(admin::create_user),
        )
        .route(
            "/api/org/units",
            get(admin::list_units).post(admin::create_unit),
        )
        .route(
            "/api/policies",
            get(admin::list_policies).post(admin::upload_policy),
        )
        .route("/api/policies/{id}", get(admin::get_policy))
        .route(
            "/api/policies/{id}/acknowledgements",
            get(admin::acknowledgements).post(admin::acknowledge),
        )
        .route(
            "/api/calendar",
            get(admin::calendar).post(admin::add_calendar_year),
        )
        .route("/api/periods", get(periods::list).post(periods::create))
        .route("/api/periods/{id}", get(periods::get))
        .route("/api/periods/{id}/transition", post(periods::transition))
        .route("/api/periods/{id}/roster", post(data::roster))
        .route("/api/periods/{id}/facts", post(data::facts))
        .route(
            "/api/periods/{id}/facts/{person}/{input}",
            put(data::put_fact),
        )
        .route(
            "/api/periods/{id}/assignments",
            post(data::assign).get(data::assignments),
        )
        .route("/api/periods/{id}/my-ratees", get(data::my_ratees))
        .route("/api/periods/{id}/ratings", post(data::rate))
        .route("/api/periods/{id}/results", get(results::results))
        .route("/api/periods/{id}/runs", get(results::runs))
        .route("/api/periods/{id}/runs/{run}", get(results::run))
        .route("/api/periods/{id}/export.xlsx", get(results::export_xlsx))
        .route("/api/periods/{id}/people/{person}", get(results::person))
        .route("/api/periods/{id}/publication", get(results::publication))
        .route("/api/periods/{id}/signatures", post(personal::sign))
        .route(
            "/api/periods/{id}/appeals",
            get(personal::list_appeals).post(personal::file_appeal),
        )
        .route("/api/appeals/{id}/decision", post(personal::decide_appeal))
        .route("/api/periods/{id}/ties", post(measures::decide_tie))
        .route("/api/periods/{id}/measures", get(measures::measures))
        .route(
            "/api/periods/{id}/people/{person}/termination-check",
            post(measures::termination_check),
        )
        .route("/api/periods/{id}/letters", post(measures::letters))
        .route("/api/periods/{id}/documents", get(measures::list_documents))
        .route("/api/documents/{id}", get(measures::document))
        .route(
            "/api/people/{person}/protected",
            get(measures::list_protected).post(measures::add_protected),
        )
        .route("/api/templates", get(templates::list))
        .route(
            "/api/templates/{kind}",
            get(templates::get).put(templates::save),
        )
        .route("/api/templates/{kind}/revert", post(templates::revert))
        .route(
            "/api/templates/{kind}/preview",
            get(templates::preview).post(templates::preview_text),
        )
        .route("/api/audit", get(admin::audit))
        .route("/api/audit/verify", get(admin::audit_verify))
        .route("/api/test/clock", post(admin::advance_clock))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), gate))
        .layer(DefaultBodyLimit::max(kaohe_import::MAX_FILE_BYTES as usize))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            one_clock,
        ))
        .layer(axum::middleware::from_fn(bilingual_rejections))
        .with_state(state)
}

/// axum answers a request it cannot read (a body that is not JSON or not the expected shape, a
/// wrong content type, a path segment that is not a number) with a line of English text; every
/// API error is JSON in Chinese and English, so such answers are rewritten here, same status.
pub async fn bilingual_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"));
    if !res.status().is_client_error() || !plain {
        return res;
    }
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).trim().to_string();
    crate::error::ApiError::new(
        status,
        "unreadable_request",
        format!("请求无法读取（JSON 格式、字段类型、内容类型或路径参数有误）：{detail}"),
        format!("the request could not be read: {detail}"),
    )
    .into_response()
}

/// Every request runs on the server's clock: what the store records (filed, signed, computed,
/// audited) is stamped with the same clock the deadline checks read, also when a test or demo
/// server has moved it (see `kaohe_store::with_clock_offset`).
pub async fn one_clock(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    kaohe_store::with_clock_offset(state.clock.offset(), next.run(req)).await
}

/// The table entry of a matched route.
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.method == method && r.path == path)
}

/// Enforce the table before any handler runs (and before a request body is read): sign-in
/// for every non-public route, and the role list where there is one. The caller found is
/// passed on to the handler in the request's extensions.
async fn gate(
    axum::extract::State(state): axum::extract::State<AppState>,
    matched: axum::extract::MatchedPath,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(route) = find(req.method().as_str(), matched.as_str()) else {
        return crate::error::ApiError::internal(format!(
            "route {} missing from the table",
            matched.as_str()
        ))
        .into_response();
    };
    if matches!(route.access, Public) {
        return next.run(req).await;
    }
    let caller = match auth::caller_from(&state, req.method(), req.headers()).await {
        Ok(Some(c)) => c,
        Ok(None) => return crate::error::ApiError::unauthenticated().into_response(),
        Err(e) => return e.into_response(),
    };
    if let Roles(roles) = route.access {
        if let Err(e) = caller.require(roles) {
            return e.into_response();
        }
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The API as an OpenAPI 3.1 document, built from [`ROUTES`].
pub fn openapi() -> Value {
    let mut paths = serde_json::Map::new();
    for r in ROUTES {
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        let who = match r.access {
            Public => "公开 public".to_string(),
            SignedIn => "已登录（按组织范围） any signed-in account, within its scope".to_string(),
            Roles(roles) => roles
                .iter()
                .map(|x| format!("{} {}", x.code(), x.zh()))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut op = json!({
            "summary": format!("{} / {}", r.zh, r.en),
            "description": format!("可调用 Who may call: {who}"),
            "parameters": params,
            "responses": {
                "200": { "description": "成功 OK" },
                "400": { "description": "输入无效 bad input ({error: {code, zh, en}})" },
                "401": { "description": "未登录 not signed in" },
                "403": { "description": "无权 not allowed (role), or missing CSRF token" },
                "404": { "description": "不存在或不在范围内 not found or outside scope" },
                "409": { "description": "冲突或流程不允许 stale version or transition refused" }
            }
        });
        if !matches!(r.access, Public) {
            op["security"] = json!([{ "session": [] }, { "token": [] }]);
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kaohe 考核 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "考核、排名、末位线、公示、签字、申诉、审批与文书。每个错误为 {\"error\": {\"code\", \"zh\", \"en\"}}。Cookie 会话的写操作须带 X-CSRF-Token 头（登录时返回）；接口令牌用 Authorization: Bearer。"
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": auth::COOKIE },
                "token": { "type": "http", "scheme": "bearer" }
            }
        },
        "paths": paths,
    })
}
