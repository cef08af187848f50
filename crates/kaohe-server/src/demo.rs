//! The demo (演示): `kaohe demo` seeds a database with a demo group (演示集团) built from the
//! shipped examples, so that a new user can sign in and walk a month without preparing data.
//!
//! What the seed holds: every shipped policy (P1…P8, the files compiled into the binary);
//! regions, branches and departments taken from the example rosters; each example's periods
//! imported through the same parsers as the upload endpoints (`kaohe_import`; a facts file
//! holding several months is split per period); twelve months of P8 (琥珀湾) and P2 (锦绣华庭)
//! history; every earlier month computed and set to `closed` directly in the store (audit
//! reason [`SEED_REASON`]); the last month of each other example computed and published when
//! the cycle allows it; and ONE month left to walk: P4 2025-03 for 杭州分公司, in `collecting`
//! with its roster imported and its figures left for the user to import ([`walk_figures`]);
//! and a rating task for the demo rater (P7, [`RATER_LABEL`], collecting). Accounts for every
//! role share [`PASSWORD`].
//!
//! The demo clock: the server runs with the test clock, set at seeding to
//! [`DEMO_NOW`] (China time), the first working morning after the walkable month, so that its
//! deadlines (P4.9, P4.10, P4.11) lie ahead; the `/demo` page moves it forward.

use crate::api::{admin, data, periods};
use crate::auth::Caller;
use crate::compute::TIE_DECISION;
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use kaohe_engine::data::{Period, Person};
use kaohe_process::role::Role;
use kaohe_store::{NewDecision, NewUser, UnitKind};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};

/// The one password of every demo account (printed by `kaohe demo`).
pub const PASSWORD: &str = "kaohe-demo";
/// The demo group's name.
pub const GROUP: &str = "演示集团";
/// Audit reason of every state the seed sets directly.
pub const SEED_REASON: &str = "演示数据 demo seed";
/// The demo clock at seeding: 2025-04-01 09:00 in China (the first working day after March).
pub const DEMO_NOW: &str = "2025-04-01T09:00:00";
/// The walkable month.
pub const WALK_LABEL: &str = "2025-03";
/// The walkable month's branch.
pub const WALK_BRANCH: &str = "杭州分公司";
/// The walkable month's policy.
pub const WALK_POLICY: &str = "p4-group-sales";

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Mark this process as serving the demo (pages show the demo banner and the `/demo` page).
pub fn set_active(on: bool) {
    ACTIVE.store(on, Ordering::SeqCst);
}

/// Whether this process serves the demo.
pub fn active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// One shipped example, compiled in.
struct Example {
    /// Folder name under examples/.
    key: &'static str,
    /// The policy file text.
    policy: &'static str,
    /// Roster bytes (XLSX).
    roster: &'static [u8],
    /// Facts bytes (XLSX).
    facts: &'static [u8],
    /// Rater sheet (P7).
    ratings: Option<&'static [u8]>,
    /// Tie decisions (P8).
    decisions: Option<&'static [u8]>,
    /// The period used when the file names none (the manifest's, or a one-off round's label).
    period: &'static str,
    /// One period per branch (P4.9: each branch ranks and publishes its own month).
    per_branch: bool,
}

macro_rules! ex {
    ($key:literal, $policy:literal) => {
        (
            include_str!(concat!("../../../policies/", $policy, ".toml")),
            include_bytes!(concat!("../../../examples/", $key, "/roster.xlsx")).as_slice(),
            include_bytes!(concat!("../../../examples/", $key, "/facts.xlsx")).as_slice(),
        )
    };
}

/// The walkable month's figures (P4 2025-03 of 杭州分公司) as rows of cells: the example's
/// sheet (title row, header, the people) without the other branches' rows, for the user to
/// download and import through the wizard. The rows are the example file's own cells, so the
/// import checks them exactly as it checks any upload.
pub fn walk_figures() -> Result<Vec<Vec<kaohe_import::Cell>>, String> {
    let (_, roster, facts) = ex!("p4-group-sales", "p4-group-sales");
    let people: BTreeSet<String> = kaohe_import::parse_roster(roster, "roster.xlsx")
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|p| p.branch.as_deref() == Some(WALK_BRANCH))
        .map(|p| p.id)
        .collect();
    let sheets = kaohe_import::load_sheets(facts, "facts.xlsx").map_err(|e| e.to_string())?;
    let sheet = sheets
        .into_iter()
        .next()
        .ok_or("示例数据为空 / the example holds no sheet")?;
    let is_person = |row: &[kaohe_import::Cell]| {
        row.iter()
            .any(|c| matches!(c, kaohe_import::Cell::Text(t) if people.contains(t)))
    };
    let first = sheet
        .rows
        .iter()
        .position(|r| is_person(r))
        .ok_or("示例数据中没有杭州分公司的人员 / no 杭州分公司 rows in the example")?;
    let mut rows: Vec<Vec<kaohe_import::Cell>> = sheet.rows[..first].to_vec();
    rows.extend(sheet.rows[first..].iter().filter(|r| is_person(r)).cloned());
    Ok(rows)
}

fn examples() -> Vec<Example> {
    let mk = |key,
              (policy, roster, facts): (&'static str, &'static [u8], &'static [u8]),
              period,
              per_branch| Example {
        key,
        policy,
        roster,
        facts,
        ratings: None,
        decisions: None,
        period,
        per_branch,
    };
    vec![
        mk(
            "p1-account-manager-ranking",
            ex!("p1-account-manager-ranking", "p1-account-manager-ranking"),
            "2025-06",
            false,
        ),
        mk(
            "p2-sales-consultant",
            ex!("p2-sales-consultant", "p2-sales-consultant"),
            "2016-04",
            false,
        ),
        mk(
            "p3-onboarding",
            ex!("p3-onboarding", "p3-onboarding"),
            "2025年3月第一期岗前培训",
            false,
        ),
        mk(
            "p4-group-sales",
            ex!("p4-group-sales", "p4-group-sales"),
            "2025-03",
            true,
        ),
        mk(
            "p5-promotion",
            ex!("p5-promotion", "p5-promotion"),
            "2025",
            false,
        ),
        mk(
            "p6-marketing-procedure",
            ex!("p6-marketing-procedure", "p6-marketing-procedure"),
            "2025年营销部淘汰评估",
            false,
        ),
        Example {
            ratings: Some(include_bytes!(
                "../../../examples/p7-department-raters/ratings.xlsx"
            )),
            ..mk(
                "p7-department-raters",
                ex!("p7-department-raters", "p7-department-raters"),
                "2025-Q4",
                false,
            )
        },
        Example {
            decisions: Some(include_bytes!(
                "../../../examples/p8-amber-bay/decisions.csv"
            )),
            ..mk(
                "p8-amber-bay",
                ex!("p8-amber-bay", "p8-amber-bay"),
                "2025-12",
                false,
            )
        },
    ]
}

/// Working-day calendars the P2 example's months need (2016-04 … 2017-03); the shipped
/// calendar starts in 2023.
const CALENDAR_2016: &str = r#"# 2016年部分节假日安排 (demo data; re-check against the notice before relying on it)
year = 2016
source = "国办发明电〔2015〕18号"
confidence = "medium"

[[holiday]]
name = "元旦"
name_en = "New Year's Day"
from = "2016-01-01"
to = "2016-01-03"

[[holiday]]
name = "春节"
name_en = "Spring Festival"
from = "2016-02-07"
to = "2016-02-13"
workdays = ["2016-02-06", "2016-02-14"]

[[holiday]]
name = "清明节"
name_en = "Qingming Festival"
from = "2016-04-02"
to = "2016-04-04"

[[holiday]]
name = "劳动节"
name_en = "Labour Day"
from = "2016-04-30"
to = "2016-05-02"

[[holiday]]
name = "端午节"
name_en = "Dragon Boat Festival"
from = "2016-06-09"
to = "2016-06-11"
workdays = ["2016-06-12"]

[[holiday]]
name = "中秋节"
name_en = "Mid-Autumn Festival"
from = "2016-09-15"
to = "2016-09-17"
workdays = ["2016-09-18"]

[[holiday]]
name = "国庆节"
name_en = "National Day"
from = "2016-10-01"
to = "2016-10-07"
workdays = ["2016-10-08", "2016-10-09"]
"#;

const CALENDAR_2017: &str = r#"# 2017年部分节假日安排 (demo data; re-check against the notice before relying on it)
year = 2017
source = "国办发明电〔2016〕17号"
confidence = "medium"

[[holiday]]
name = "元旦"
name_en = "New Year's Day"
from = "2017-01-01"
to = "2017-01-02"

[[holiday]]
name = "春节"
name_en = "Spring Festival"
from = "2017-01-27"
to = "2017-02-02"
workdays = ["2017-01-22", "2017-02-04"]

[[holiday]]
name = "清明节"
name_en = "Qingming Festival"
from = "2017-04-02"
to = "2017-04-04"
workdays = ["2017-04-01"]

[[holiday]]
name = "劳动节"
name_en = "Labour Day"
from = "2017-04-29"
to = "2017-05-01"

[[holiday]]
name = "端午节"
name_en = "Dragon Boat Festival"
from = "2017-05-28"
to = "2017-05-30"
workdays = ["2017-05-27"]

[[holiday]]
name = "国庆节、中秋节"
name_en = "National Day and Mid-Autumn Festival"
from = "2017-10-01"
to = "2017-10-08"
workdays = ["2017-09-30"]
"#;

/// One demo login, as printed.
#[derive(Clone, Debug)]
pub struct Login {
    /// Role code.
    pub role: &'static str,
    /// Login name.
    pub login: String,
    /// What to try, Chinese.
    pub zh: &'static str,
    /// What to try, English.
    pub en: &'static str,
}

/// What the seed made.
#[derive(Clone, Debug)]
pub struct Seeded {
    /// The walkable period (P4 2025-03, 杭州分公司).
    pub walk_period: i64,
    /// Periods created, all policies.
    pub periods: usize,
    /// Every demo account.
    pub logins: Vec<Login>,
    /// False when the database already held the demo (nothing was written).
    pub fresh: bool,
}

fn err(e: ApiError) -> String {
    format!("{} / {}", e.zh, e.en)
}

fn import_err(file: &str, e: &kaohe_import::ImportErrors) -> String {
    format!(
        "演示数据 {file} 无法导入 / demo file {file} does not import: {}",
        e.0.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// The accounts, in the order printed.
pub fn logins() -> Vec<Login> {
    let l = |role, login: &str, zh, en| Login {
        role,
        login: login.to_string(),
        zh,
        en,
    };
    vec![
        l(
            "admin",
            "admin",
            "管理员：文书模板（/admin/templates）；/demo 页面前移演示时钟、代其余员工签字",
            "administrator: document templates (/admin/templates); /demo moves the demo clock and signs for the other employees",
        ),
        l(
            "hq_hr",
            "hr",
            "总部人事：导入、计算、公示；审批最后一步（P4.11）",
            "HQ HR: import, compute, publish; the last approval (P4.11)",
        ),
        l(
            "gm_office",
            "gm",
            "总经办：查看各期结果与月度汇总",
            "GM office: read results and the monthly summary",
        ),
        l(
            "regional_head",
            "rh",
            "浙江区区总：审批第二步",
            "regional head (浙江区): the second approval",
        ),
        l(
            "branch_head",
            "bh",
            "杭州分公司负责人：导入、计算、公示 2025年3月，复核申诉，审批第一步",
            "branch head (杭州分公司): import, compute and publish 2025-03, review appeals, first approval",
        ),
        l(
            "department_head",
            "dh",
            "杭州分公司销售部负责人：查看本部门",
            "department head (杭州 销售部): read the department",
        ),
        l(
            "sales_manager",
            "sm",
            "杭州分公司销售经理：数据收集期间在录入表中录入单项数据（如拜访量）",
            "sales manager (杭州): type single values (e.g. visits) in the entry grid while data is collected",
        ),
        l(
            "rater",
            "rater",
            "评分人：工作台“我的评分任务”里给市场拓展部 2025年第1季度 的三位同事评分（0–100）；只看得到分配给自己的人员",
            "rater: on the dashboard, My ratings: rate three colleagues of 市场拓展部 for 2025 Q1 (0–100); sees only the people assigned to them",
        ),
        l(
            "employee",
            "hz07",
            "潘俊熙：本月末位；公示后签字、申诉，下载警告函",
            "潘俊熙: bottom this month; sign, appeal, download the warning letter",
        ),
        l(
            "employee",
            "hz01",
            "钱思远：本月第一；签字确认",
            "钱思远: top this month; sign",
        ),
        l(
            "employee",
            "hb09",
            "王雨桐（琥珀湾 P8）：查看12个月的结果",
            "王雨桐 (琥珀湾, P8): twelve months of results",
        ),
    ]
}

/// A caller acting as `user` (the seed acts as the demo admin, through the API's handlers).
fn caller(user: kaohe_store::UserRow) -> Caller {
    let role = Role::from_label(&user.role).unwrap_or(Role::Admin);
    Caller {
        user,
        role,
        via_token: false,
    }
}

/// A roster of some people as CSV, in the importer's own column names (to import one
/// branch's share of a multi-branch roster through the roster endpoint).
fn roster_csv(people: &[&Person]) -> Vec<u8> {
    fn cell(s: &str) -> String {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let extras: BTreeSet<&String> = people.iter().flat_map(|p| p.extra.keys()).collect();
    let mut out = String::from("工号,姓名,区域,分公司,部门,项目,岗位,级别,定级日期,入职日期,状态");
    for e in &extras {
        out.push(',');
        out.push_str(&cell(e));
    }
    out.push('\n');
    for p in people {
        let o = |v: &Option<String>| cell(v.as_deref().unwrap_or(""));
        let d = |v: &Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        let mut row = vec![
            cell(&p.id),
            cell(&p.name),
            o(&p.region),
            o(&p.branch),
            o(&p.department),
            o(&p.project),
            o(&p.post),
            o(&p.level),
            d(&p.level_since),
            d(&p.hire_date),
            o(&p.status),
        ];
        for e in &extras {
            row.push(cell(p.extra.get(*e).map(String::as_str).unwrap_or("")));
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// Move a period through one transition as `c`.
async fn step(
    state: &AppState,
    c: &Caller,
    id: i64,
    action: serde_json::Value,
) -> Result<(), ApiError> {
    let row = state.db.period(id).await?;
    let req: periods::TransitionRequest =
        serde_json::from_value(json!({ "action": action, "expected_version": row.row_version }))
            .map_err(ApiError::internal)?;
    let Json(_) = periods::transition(State(state.clone()), c.clone(), Path(id), Json(req)).await?;
    Ok(())
}

/// Open a period for its figures, through the cycle's own step.
async fn start_collecting(state: &AppState, admin: &Caller, id: i64) -> Result<(), String> {
    step(state, admin, id, json!({ "action": "start_collecting" }))
        .await
        .map_err(err)
}

/// Set a period's state directly in the store, with the seed's audit reason.
async fn set_state(state: &AppState, admin: &Caller, id: i64, to: &str) -> Result<(), String> {
    let row = state.db.period(id).await.map_err(|e| e.to_string())?;
    state
        .db
        .update_period_state(id, row.row_version, to, admin.actor(), Some(SEED_REASON))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Seed the demo into the (fresh) database of `state` and set the demo clock. When the
/// database already holds the demo group, nothing is written (`fresh: false`).
pub async fn seed(state: &AppState) -> Result<Seeded, String> {
    // The demo clock first, so that everything seeded is stamped with it (filed, computed,
    // closed), not with the real date.
    set_clock(state);
    kaohe_store::with_clock_offset(state.clock.offset(), seed_on_clock(state)).await
}

async fn seed_on_clock(state: &AppState) -> Result<Seeded, String> {
    let units = state.db.units().await.map_err(|e| e.to_string())?;
    if let Some(group) = units
        .iter()
        .find(|u| u.name == GROUP && u.parent_id.is_none())
    {
        let _ = group;
        let walk = find_walk(state).await?;
        set_clock(state);
        return Ok(Seeded {
            walk_period: walk,
            periods: state
                .db
                .all_periods()
                .await
                .map_err(|e| e.to_string())?
                .len(),
            logins: logins(),
            fresh: false,
        });
    }
    // The admin: created here, or the one bootstrap made (its password reset to the demo's).
    let hash = {
        let pw = PASSWORD.to_string();
        tokio::task::spawn_blocking(move || crate::auth::hash_password(&pw))
            .await
            .map_err(|e| e.to_string())?
            .map_err(err)?
    };
    let admin_row = match state
        .db
        .user_by_login("admin")
        .await
        .map_err(|e| e.to_string())?
    {
        Some(u) => {
            state
                .db
                .set_password(u.id, &hash, "system")
                .await
                .map_err(|e| e.to_string())?;
            u
        }
        None => state
            .db
            .create_user(
                &NewUser {
                    login: "admin".into(),
                    password_hash: Some(hash.clone()),
                    role: "admin".into(),
                    scope_unit_id: None,
                    person_id: None,
                },
                "system",
            )
            .await
            .map_err(|e| e.to_string())?,
    };
    let admin = caller(admin_row);
    set_clock(state);
    for text in [CALENDAR_2016, CALENDAR_2017] {
        let have = state.calendar().years();
        let year: i32 = text
            .lines()
            .find_map(|l| l.strip_prefix("year = "))
            .and_then(|y| y.trim().parse().ok())
            .unwrap_or(0);
        if !have.contains(&year) {
            let Json(_) = admin::add_calendar_year(
                State(state.clone()),
                admin.clone(),
                Bytes::from_static(text.as_bytes()),
            )
            .await
            .map_err(err)?;
        }
    }
    let group = state
        .db
        .add_unit(None, UnitKind::Group, GROUP, admin.actor())
        .await
        .map_err(|e| e.to_string())?
        .id;
    let mut count = 0;
    let mut walk = None;
    for ex in examples() {
        let (n, w) = seed_example(state, &admin, group, &ex)
            .await
            .map_err(|e| format!("{}: {e}", ex.key))?;
        count += n;
        walk = walk.or(w);
    }
    let walk = walk.ok_or("演示月份未创建 / the walkable month was not created")?;
    accounts(state, &admin).await?;
    count += rater_task(state, &admin).await?;
    Ok(Seeded {
        walk_period: walk,
        periods: count,
        logins: logins(),
        fresh: true,
    })
}

/// Set the demo clock to [`DEMO_NOW`] (China time), if the server's test clock allows it
/// and the clock has not been moved past it already.
fn set_clock(state: &AppState) {
    if !state.config.test_clock {
        return;
    }
    let Ok(target) = chrono::NaiveDateTime::parse_from_str(DEMO_NOW, "%Y-%m-%dT%H:%M:%S") else {
        return;
    };
    let now = state.clock.china_now();
    if now > target + chrono::Duration::days(366) || now < target {
        // Only ever set once per process: far from the demo's date means not yet set.
        state.clock.advance((target - now).num_seconds());
    }
}

/// The walkable period of a seeded database.
pub async fn walk_period(state: &AppState) -> Result<i64, String> {
    find_walk(state).await
}

async fn find_walk(state: &AppState) -> Result<i64, String> {
    for p in state.db.all_periods().await.map_err(|e| e.to_string())? {
        if p.label != WALK_LABEL {
            continue;
        }
        let v = state
            .db
            .policy_version(p.policy_version_id)
            .await
            .map_err(|e| e.to_string())?;
        let unit = match p.unit_id {
            Some(u) => state.db.unit(u).await.map_err(|e| e.to_string())?.name,
            None => continue,
        };
        if v.policy_id == WALK_POLICY && unit == WALK_BRANCH {
            return Ok(p.id);
        }
    }
    Err("数据库中没有演示月份 / the database holds no walkable demo month".into())
}

/// A region (under the group) and a branch (under it) by name, created when missing; a
/// branch name already present anywhere is reused (one 杭州分公司 for P4 and P8).
async fn branch_unit(
    state: &AppState,
    admin: &Caller,
    group: i64,
    region: &str,
    branch: &str,
) -> Result<(i64, i64), String> {
    let units = state.db.units().await.map_err(|e| e.to_string())?;
    if let Some(b) = units
        .iter()
        .find(|u| u.name == branch && u.kind == UnitKind::Branch)
    {
        return Ok((b.parent_id.unwrap_or(group), b.id));
    }
    let region_id = match units
        .iter()
        .find(|u| u.name == region && u.kind == UnitKind::Region)
    {
        Some(r) => r.id,
        None => {
            state
                .db
                .add_unit(Some(group), UnitKind::Region, region, admin.actor())
                .await
                .map_err(|e| e.to_string())?
                .id
        }
    };
    let b = state
        .db
        .add_unit(Some(region_id), UnitKind::Branch, branch, admin.actor())
        .await
        .map_err(|e| e.to_string())?;
    Ok((region_id, b.id))
}

/// Seed one example: its policy, units and periods. Returns the periods made and the
/// walkable period if this example holds it.
async fn seed_example(
    state: &AppState,
    admin: &Caller,
    group: i64,
    ex: &Example,
) -> Result<(usize, Option<i64>), String> {
    let Json(v) = admin::upload_policy(
        State(state.clone()),
        admin.clone(),
        Bytes::from_static(ex.policy.as_bytes()),
    )
    .await
    .map_err(err)?;
    let version_id = v["id"].as_i64().ok_or("制度未保存 / policy not stored")?;
    let policy = kaohe_policy::load_str(ex.policy, ex.key).map_err(|e| {
        e.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let cycle = policy.policy.cycle;
    let roster = kaohe_import::parse_roster(ex.roster, "roster.xlsx")
        .map_err(|e| import_err("roster.xlsx", &e))?;
    let default_period = Period::parse(ex.period, cycle).ok_or_else(|| {
        format!(
            "期间 {} 无法识别 / period {} not understood",
            ex.period, ex.period
        )
    })?;
    let mut facts = kaohe_import::parse_facts(
        ex.facts,
        "facts.xlsx",
        &policy,
        &roster,
        Some(&default_period),
    )
    .map_err(|e| import_err("facts.xlsx", &e))?;
    if let Some(bytes) = ex.ratings {
        let ratings = kaohe_import::parse_ratings(
            bytes,
            "ratings.xlsx",
            &policy,
            &roster,
            Some(&default_period),
        )
        .map_err(|e| import_err("ratings.xlsx", &e))?;
        for (period, people) in ratings {
            let slot = facts.entry(period).or_default();
            for (id, f) in people {
                let entry = slot.entry(id).or_default();
                entry.values.extend(f.values);
            }
        }
    }
    let mut ties: BTreeMap<String, Vec<kaohe_engine::data::TieDecision>> = BTreeMap::new();
    if let Some(bytes) = ex.decisions {
        for (period, t) in kaohe_import::parse_decisions(bytes, "decisions.csv", cycle)
            .map_err(|e| import_err("decisions.csv", &e))?
        {
            ties.entry(period.label).or_default().push(t);
        }
    }
    // The units: one per branch the roster names.
    let mut by_branch: BTreeMap<i64, Vec<&Person>> = BTreeMap::new();
    let mut regions = BTreeSet::new();
    for p in &roster {
        let region = p.region.clone().unwrap_or_else(|| "演示区域".into());
        let branch = p.branch.clone().unwrap_or_else(|| "演示分公司".into());
        let (r, b) = branch_unit(state, admin, group, &region, &branch).await?;
        regions.insert(r);
        by_branch.entry(b).or_default().push(p);
    }
    // Where the periods sit: per branch (P4), or the one branch, or the one region.
    let targets: Vec<(i64, Option<Vec<&Person>>)> = if ex.per_branch {
        by_branch
            .iter()
            .map(|(b, people)| (*b, Some(people.clone())))
            .collect()
    } else if by_branch.len() == 1 {
        vec![(*by_branch.keys().next().unwrap_or(&group), None)]
    } else if regions.len() == 1 {
        vec![(*regions.iter().next().unwrap_or(&group), None)]
    } else {
        vec![(group, None)]
    };
    let walk_policy = policy.policy.id == WALK_POLICY;
    let mut made = 0;
    let mut walk = None;
    for (unit, people) in targets {
        let unit_name = state.db.unit(unit).await.map_err(|e| e.to_string())?.name;
        let ids: Option<BTreeSet<&str>> = people
            .as_ref()
            .map(|ps| ps.iter().map(|p| p.id.as_str()).collect());
        let roster_bytes = match &people {
            Some(ps) => roster_csv(ps),
            None => ex.roster.to_vec(),
        };
        let roster_file = if people.is_some() {
            "roster.csv"
        } else {
            "roster.xlsx"
        };
        let labels: Vec<&Period> = facts.keys().collect();
        let last = labels.len().saturating_sub(1);
        for (i, period) in labels.into_iter().enumerate() {
            let Json(row) = periods::create(
                State(state.clone()),
                admin.clone(),
                Json(periods::NewPeriod {
                    policy_version_id: version_id,
                    label: period.label.clone(),
                    unit_id: unit,
                }),
            )
            .await
            .map_err(err)?;
            made += 1;
            let Json(_) = data::roster(
                State(state.clone()),
                admin.clone(),
                Path(row.id),
                Query(data::FileName {
                    file: roster_file.into(),
                }),
                Bytes::from(roster_bytes.clone()),
            )
            .await
            .map_err(err)?;
            let is_walk = walk_policy && period.label == WALK_LABEL && unit_name == WALK_BRANCH;
            let mut month = facts.get(period).cloned().unwrap_or_default();
            if let Some(ids) = &ids {
                month.retain(|id, _| ids.contains(id.as_str()));
            }
            if !is_walk {
                // The walkable month's figures are left for the user to import
                // ([`walk_figures`], offered for download on the demo and import pages).
                data::store_facts(state, row.id, "facts.xlsx", &month, admin.actor())
                    .await
                    .map_err(err)?;
            }
            for t in ties.get(&period.label).into_iter().flatten() {
                state
                    .db
                    .add_decision(
                        &NewDecision {
                            period_id: row.id,
                            kind: TIE_DECISION.into(),
                            subject: Some(t.group.clone()),
                            body_json: serde_json::to_string(t).map_err(|e| e.to_string())?,
                            reason: Some(t.reason.clone()),
                        },
                        admin.actor(),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
            }
            start_collecting(state, admin, row.id).await?;
            if is_walk {
                walk = Some(row.id);
                continue; // left for the user to walk
            }
            step(state, admin, row.id, json!({ "action": "compute" }))
                .await
                .map_err(err)?;
            if i < last {
                set_state(state, admin, row.id, "closed").await?;
            } else {
                // The latest month: published when the cycle allows it (a tie at the line
                // waiting for a decision keeps it computed).
                let _ = step(state, admin, row.id, json!({ "action": "publish" })).await;
            }
        }
    }
    Ok((made, walk))
}

/// The quarter whose ratings the demo rater has to give (P7.2): the one that ended the day
/// before [`DEMO_NOW`].
pub const RATER_LABEL: &str = "2025-Q1";

/// The colleagues (同事, P7.2's first rater group) the demo rater is assigned in
/// [`RATER_LABEL`]: 罗文静, 葛志鹏 and 车晓燕 of 市场拓展部.
pub const RATER_RATEES: [&str; 3] = ["SC01", "SC02", "SC03"];

/// Something for the demo rater to do: P7's department opens [`RATER_LABEL`] with the
/// example's roster, collecting ratings, and the rater account is assigned three colleagues
/// to rate (through the API's assignment rule). Returns the periods made (1).
async fn rater_task(state: &AppState, admin: &Caller) -> Result<usize, String> {
    let ex = examples()
        .into_iter()
        .find(|e| e.key == "p7-department-raters")
        .ok_or("P7 示例缺失 / the P7 example is missing")?;
    let mut p7 = None;
    for p in state.db.all_periods().await.map_err(|e| e.to_string())? {
        let v = state
            .db
            .policy_version(p.policy_version_id)
            .await
            .map_err(|e| e.to_string())?;
        if v.policy_id == ex.key {
            p7 = Some(p);
            break;
        }
    }
    let p7 = p7.ok_or("P7 期间缺失 / the P7 period is missing")?;
    let unit_id = p7
        .unit_id
        .ok_or("P7 期间无组织 / the P7 period has no unit")?;
    let Json(row) = periods::create(
        State(state.clone()),
        admin.clone(),
        Json(periods::NewPeriod {
            policy_version_id: p7.policy_version_id,
            label: RATER_LABEL.into(),
            unit_id,
        }),
    )
    .await
    .map_err(err)?;
    let Json(_) = data::roster(
        State(state.clone()),
        admin.clone(),
        Path(row.id),
        Query(data::FileName {
            file: "roster.xlsx".into(),
        }),
        Bytes::from_static(ex.roster),
    )
    .await
    .map_err(err)?;
    start_collecting(state, admin, row.id).await?;
    for ratee in RATER_RATEES {
        let Json(_) = data::assign(
            State(state.clone()),
            admin.clone(),
            Path(row.id),
            Json(data::Assignment {
                rater: "rater".into(),
                ratee: ratee.into(),
                group: "同事".into(),
            }),
        )
        .await
        .map_err(err)?;
    }
    Ok(1)
}

/// Every demo account.
async fn accounts(state: &AppState, admin: &Caller) -> Result<(), String> {
    let units = state.db.units().await.map_err(|e| e.to_string())?;
    let find = |name: &str, kind: UnitKind, parent: Option<i64>| {
        units
            .iter()
            .find(|u| {
                u.name == name && u.kind == kind && (parent.is_none() || u.parent_id == parent)
            })
            .map(|u| u.id)
    };
    let hz =
        find(WALK_BRANCH, UnitKind::Branch, None).ok_or("杭州分公司缺失 / 杭州分公司 missing")?;
    let region = units
        .iter()
        .find(|u| u.id == hz)
        .and_then(|u| u.parent_id)
        .ok_or("浙江区缺失 / the region is missing")?;
    let dept = find("销售部", UnitKind::Department, Some(hz)).unwrap_or(hz);
    let scope = |login: &str| match login {
        "rh" => Some(region),
        "bh" | "sm" => Some(hz),
        "dh" => Some(dept),
        _ => None,
    };
    for l in logins() {
        if l.login == "admin" {
            continue;
        }
        let person = (l.role == "employee").then(|| l.login.to_uppercase());
        let req: admin::UserRequest = serde_json::from_value(json!({
            "login": l.login, "password": PASSWORD, "role": l.role,
            "scope_unit_id": scope(&l.login), "person_id": person,
        }))
        .map_err(|e| e.to_string())?;
        let Json(_) = admin::create_user(State(state.clone()), admin.clone(), Json(req))
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// Demo only (演示代签): every member of the walkable month who has not signed its published
/// result signs it now, each as themself through the API's signing rules, so that a person
/// walking the demo need not sign in as ten employees before the branch head can finalize
/// (P4.9: everyone signs or a refusal is recorded). The person who appealed keeps their own
/// step. The audit log names the signer `演示代签:<工号>` (a demo signature, not the person's).
/// Returns how many signed.
pub async fn sign_for_colleagues(state: &AppState, except: &[&str]) -> Result<usize, String> {
    let period = find_walk(state).await?;
    let Some((run, result)) = crate::compute::effective_result(state, period)
        .await
        .map_err(err)?
    else {
        return Err("演示月份尚未计算 / the demo month is not computed yet".into());
    };
    let signed = crate::api::personal::signed_people(state, period, &run, &result, "score")
        .await
        .map_err(err)?;
    let appealed: BTreeSet<String> = state
        .db
        .appeals(period)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let mut n = 0;
    for p in &result.people {
        if signed.contains(&p.id) || appealed.contains(&p.id) || except.contains(&p.id.as_str()) {
            continue;
        }
        let who = caller(kaohe_store::UserRow {
            id: 0,
            login: format!("演示代签:{}", p.id),
            password_hash: None,
            role: "employee".into(),
            scope_unit_id: None,
            person_id: Some(p.id.clone()),
            active: true,
            created_at: chrono::Utc::now(),
        });
        let Json(_) = crate::api::personal::sign(
            State(state.clone()),
            who,
            Path(period),
            Json(crate::api::personal::SignRequest {
                person: p.id.clone(),
                subject: "score".into(),
                kind: "signed".into(),
                note: Some(SEED_REASON.into()),
            }),
        )
        .await
        .map_err(err)?;
        n += 1;
    }
    Ok(n)
}
