//! Test harness (feature `testing`, for this crate's and kaohe-web's tests): a real server on a
//! loopback port over a fresh database — a SQLite file, or a fresh PostgreSQL schema at
//! postgres://postgres@127.0.0.1:5432/test (`KAOHE_TEST_PG_URL`). PostgreSQL tests fail when it
//! is unreachable, unless `KAOHE_SKIP_PG=1`. Fixtures: the P4 example's 杭州分公司 (hand-worked
//! in examples/p4-group-sales/README.md), an organisation with an account for every role.
#![allow(missing_docs, clippy::missing_panics_doc)]

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};

pub const ADMIN_PW: &str = "admin-test-pw";
const PG_BASE: &str = "postgres://postgres@127.0.0.1:5432/test";
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server.
pub struct Server {
    pub base: String,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
    task: tokio::task::JoinHandle<()>,
}

fn pg_base() -> String {
    std::env::var("KAOHE_TEST_PG_URL").unwrap_or_else(|_| PG_BASE.to_string())
}

impl Server {
    /// Start a test server (test clock on) with an `admin` account; `None` when PostgreSQL is
    /// skipped.
    pub async fn start(backend: Backend) -> Option<Server> {
        Server::start_with(backend, crate::routes::router).await
    }

    /// The same, serving the router `build` makes (e.g. the API with the web pages).
    pub async fn start_with(
        backend: Backend,
        build: fn(crate::AppState) -> axum::Router,
    ) -> Option<Server> {
        let (url, dir, schema) =
            match backend {
                Backend::Sqlite => {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let url = format!(
                        "sqlite://{}?mode=rwc",
                        dir.path().join("kaohe.db").display()
                    );
                    (url, Some(dir), None)
                }
                Backend::Postgres => {
                    if std::env::var("KAOHE_SKIP_PG").as_deref() == Ok("1") {
                        return None;
                    }
                    let base = pg_base();
                    let schema = format!(
                        "kaohe_s_{}_{}_{}",
                        std::process::id(),
                        COUNTER.fetch_add(1, Ordering::SeqCst),
                        chrono::Utc::now().timestamp_micros() % 1_000_000_000
                    );
                    use sqlx::Connection;
                    let mut c = sqlx::PgConnection::connect(&base).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL not reachable at {base} ({e}); set KAOHE_SKIP_PG=1 to skip")
                });
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                        .execute(&mut c)
                        .await
                        .expect("create schema");
                    let sep = if base.contains('?') { '&' } else { '?' };
                    (
                        format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                        None,
                        Some(schema),
                    )
                }
            };
        let state = crate::state(crate::Config {
            database_url: url.clone(),
            test_clock: true,
            secure_cookies: false,
        })
        .await
        .expect("server state");
        crate::bootstrap_admin(&state, Some(ADMIN_PW.into()))
            .await
            .expect("admin");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let _ = crate::serve_router(build(state), listener).await;
        });
        Some(Server {
            base: format!("http://{addr}"),
            url,
            _dir: dir,
            schema,
            task,
        })
    }

    /// A client with its own cookie jar, signed in.
    pub async fn login(&self, login: &str, password: &str) -> Client {
        let c = Client::new(&self.base);
        let (s, body) = c
            .call(
                Method::POST,
                "/api/login",
                Some(json!({ "login": login, "password": password })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "login {login}: {body}");
        Client {
            csrf: body["csrf_token"].as_str().map(str::to_string),
            ..c
        }
    }

    pub fn anonymous(&self) -> Client {
        Client::new(&self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        if let Some(schema) = self.schema.take() {
            let base = pg_base();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("rt");
                rt.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA {schema} CASCADE"
                        )))
                        .execute(&mut c)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

/// An HTTP client with a cookie jar and the CSRF token of its session.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
            csrf: None,
            bearer: None,
        }
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.csrf {
            r = r.header("X-CSRF-Token", t);
        }
        if let Some(b) = &self.bearer {
            r = r.bearer_auth(b);
        }
        r
    }

    /// JSON call; returns the status and the JSON body (Null when not JSON).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self.request(method, path);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.expect("send");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    /// `GET` that must succeed.
    pub async fn ok(&self, path: &str) -> Value {
        let (s, b) = self.get(path).await;
        assert_eq!(s, StatusCode::OK, "GET {path}: {b}");
        b
    }

    /// `POST` that must succeed.
    pub async fn must(&self, path: &str, body: Value) -> Value {
        let (s, b) = self.post(path, body).await;
        assert_eq!(s, StatusCode::OK, "POST {path}: {b}");
        b
    }

    /// Upload raw bytes.
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let resp = self
            .request(Method::POST, path)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("send");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Raw bytes of a download.
    pub async fn bytes(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let resp = self.request(Method::GET, path).send().await.expect("send");
        let s = resp.status();
        (
            s,
            resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        )
    }
}

/// Run one async test body on both backends.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        $crate::both!($name, $crate::routes::router);
    };
    ($name:ident, $build:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                if let Some(s) =
                    $crate::testing::Server::start_with($crate::testing::Backend::Sqlite, $build)
                        .await
                {
                    super::$name(&s).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(s) =
                    $crate::testing::Server::start_with($crate::testing::Backend::Postgres, $build)
                        .await
                {
                    super::$name(&s).await;
                }
            }
        }
    };
}

/// The P4 example's 杭州分公司, as hand-worked in examples/p4-group-sales/README.md:
/// (工号, 姓名, 销售业绩, 有效拜访量, 大额消费占比). Targets: 100 and 60.
pub const HZ: &[(&str, &str, &str, u32, &str)] = &[
    ("HZ01", "钱思远", "120", 66, "5%"),
    ("HZ02", "卢佳琪", "95", 60, "8%"),
    ("HZ03", "蒋文轩", "88", 54, "12%"),
    ("HZ04", "沈若彤", "80", 36, "9%"),
    ("HZ05", "韦浩宇", "102", 58, "20%"),
    ("HZ06", "苏晓雯", "70", 50, "10%"),
    ("HZ07", "潘俊熙", "60", 35, "6%"),
    ("HZ08", "杜欣怡", "75", 62, "35%"),
    ("HZ09", "戴明轩", "90", 45, "15%"),
    ("HZ10", "夏雨萱", "85", 48, "4%"),
];

/// Roster CSV of 杭州分公司.
pub fn hz_roster() -> Vec<u8> {
    let mut s = String::from("工号,姓名,分公司,岗位,入职日期\n");
    for (id, name, ..) in HZ {
        s.push_str(&format!("{id},{name},杭州分公司,销售人员,2023-06-01\n"));
    }
    s.into_bytes()
}

/// Facts CSV of 杭州分公司 for one month.
pub fn hz_facts() -> Vec<u8> {
    let mut s = String::from(
        "工号,姓名,销售业绩,销售指标,有效拜访量,要求拜访量,大额消费占比,虚报拜访,套现套票\n",
    );
    for (id, name, sales, visits, large) in HZ {
        s.push_str(&format!(
            "{id},{name},{sales},100,{visits},60,{large},否,否\n"
        ));
    }
    s.into_bytes()
}

/// The shipped P4 policy text.
pub fn p4_policy() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/p4-group-sales.toml"
    ))
    .expect("policy")
}

/// An organisation (集团 → 浙江区 → 杭州分公司, 宁波分公司), the P4 policy and accounts for every
/// role; returns the ids.
pub struct Org {
    pub group: i64,
    pub region: i64,
    pub hz: i64,
    pub nb: i64,
    pub policy: i64,
}

pub async fn setup(s: &Server) -> (Client, Org) {
    let admin = s.login("admin", ADMIN_PW).await;
    let unit = |parent: Option<i64>, kind: &str, name: &str| json!({ "parent_id": parent, "kind": kind, "name": name });
    let group = admin
        .must("/api/org/units", unit(None, "group", "华东集团"))
        .await["id"]
        .as_i64()
        .expect("id");
    let region = admin
        .must("/api/org/units", unit(Some(group), "region", "浙江区"))
        .await["id"]
        .as_i64()
        .expect("id");
    let hz = admin
        .must("/api/org/units", unit(Some(region), "branch", "杭州分公司"))
        .await["id"]
        .as_i64()
        .expect("id");
    let nb = admin
        .must("/api/org/units", unit(Some(region), "branch", "宁波分公司"))
        .await["id"]
        .as_i64()
        .expect("id");
    let (st, p) = admin.upload("/api/policies", p4_policy()).await;
    assert_eq!(st, StatusCode::OK, "policy: {p}");
    let policy = p["id"].as_i64().expect("policy id");
    let user = |login: &str, role: &str, scope: Option<i64>, person: Option<&str>| json!({ "login": login, "password": "password-123", "role": role, "scope_unit_id": scope, "person_id": person });
    for (login, role, scope) in [
        ("hr", "hq_hr", None),
        ("gm", "gm_office", None),
        ("rh", "regional_head", Some(region)),
        ("bh", "branch_head", Some(hz)),
        ("nbh", "branch_head", Some(nb)),
        ("dh", "department_head", Some(hz)),
        ("sm", "sales_manager", Some(hz)),
        ("rater", "rater", None),
    ] {
        admin
            .must("/api/users", user(login, role, scope, None))
            .await;
    }
    (
        admin,
        Org {
            group,
            region,
            hz,
            nb,
            policy,
        },
    )
}

/// Employee accounts (login = 工号 in lower case) once the roster exists.
pub async fn employees(admin: &Client) {
    for (id, ..) in HZ {
        admin
            .must("/api/users", json!({ "login": id.to_lowercase(), "password": "password-123", "role": "employee", "person_id": id }))
            .await;
    }
}

/// Move the period through a transition that must succeed; returns the new period.
pub async fn step(c: &Client, period: i64, action: Value) -> Value {
    let p = c.ok(&format!("/api/periods/{period}")).await;
    let v = p["row_version"].as_i64().expect("version");
    let (s, b) = c
        .post(
            &format!("/api/periods/{period}/transition"),
            json!({ "action": action, "expected_version": v }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "transition {action}: {b}");
    b
}

/// Try a transition; returns the status and body.
pub async fn try_step(c: &Client, period: i64, action: Value) -> (StatusCode, Value) {
    let p = c.ok(&format!("/api/periods/{period}")).await;
    let v = p["row_version"].as_i64().unwrap_or(0);
    c.post(
        &format!("/api/periods/{period}/transition"),
        json!({ "action": action, "expected_version": v }),
    )
    .await
}

/// Fill a route's `{parameters}`.
pub fn fill(path: &str, policy: i64, period: i64, appeal: i64, document: i64) -> String {
    path.replace("/api/policies/{id}", &format!("/api/policies/{policy}"))
        .replace("/api/periods/{id}", &format!("/api/periods/{period}"))
        .replace("/api/appeals/{id}", &format!("/api/appeals/{appeal}"))
        .replace("/api/documents/{id}", &format!("/api/documents/{document}"))
        .replace("{person}", "HZ07")
        .replace("{input}", "visits_done")
        .replace("{run}", "1")
        .replace("{kind}", "warning_letter")
}

/// As `who` (an employee other than HZ07), read every GET endpoint aimed at HZ07 and assert
/// that no answer carries HZ07's score, indicators or explanation.
pub async fn employee_crawl(
    who: &Client,
    policy: i64,
    periods: &[i64],
    appeal: i64,
    documents: &[i64],
) {
    fn walk(v: &Value, path: &str) {
        match v {
            Value::Object(m) => {
                let about_hz07 = m.get("id") == Some(&json!("HZ07"))
                    || m.get("person_id") == Some(&json!("HZ07"));
                if about_hz07 {
                    for k in ["score", "indicators", "explanation", "outcomes", "bytes"] {
                        assert!(
                            !m.contains_key(k),
                            "{path}: HZ07's {k} is visible to another employee: {v}"
                        );
                    }
                }
                for (k, x) in m {
                    walk(x, &format!("{path}.{k}"));
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, path)),
            _ => {}
        }
    }
    let docs: Vec<i64> = if documents.is_empty() {
        vec![999_999]
    } else {
        documents.to_vec()
    };
    for route in crate::routes::ROUTES.iter().filter(|r| r.method == "GET") {
        for period in periods {
            for doc in &docs {
                let path = fill(route.path, policy, *period, appeal, *doc);
                let (status, bytes) = who.bytes(&path).await;
                let text = String::from_utf8_lossy(&bytes);
                for needle in ["66.25", "\"57\"", "潘俊熙（HZ07）", "%PDF"] {
                    assert!(
                        !(status.is_success() && text.contains(needle)),
                        "GET {path} ({status}) shows {needle}: {text}"
                    );
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                    walk(&v, &path);
                }
            }
        }
    }
}
