//! `kaohe serve`, `kaohe backup`, `kaohe restore` and `kaohe audit verify` (服务与数据库):
//! the server on the embedded SQLite database by default (a file created with its schema on
//! first run, no set-up) or on PostgreSQL given a `postgres://` URL.

use crate::args::{BackupArgs, DbArg, DemoArgs, RestoreArgs, ServeArgs};
use crate::Problems;
use std::path::{Path, PathBuf};

/// The default database: `kaohe-data/kaohe.db` in the current folder.
pub const DEFAULT_DB: &str = "sqlite://kaohe-data/kaohe.db?mode=rwc";

fn runtime() -> Result<tokio::runtime::Runtime, Problems> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Problems::one(format!("无法启动运行时 / cannot start the runtime: {e}")))
}

/// The SQLite file a `sqlite://` URL names, if any.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

/// The database URL: the flag, else `KAOHE_DB`, else the default file; makes the folder of a
/// SQLite file.
fn db_url(arg: &DbArg) -> Result<String, Problems> {
    let url = arg
        .db
        .clone()
        .or_else(|| std::env::var("KAOHE_DB").ok())
        .unwrap_or_else(|| DEFAULT_DB.to_string());
    if let Some(path) = sqlite_path(&url) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Problems::one(format!(
                    "无法创建数据目录 {} / cannot create the data folder: {e}",
                    dir.display()
                ))
            })?;
        }
    }
    Ok(url)
}

fn fail(e: impl std::fmt::Display) -> Problems {
    Problems::one(e.to_string())
}

/// `kaohe serve`.
pub fn serve(a: &ServeArgs) -> Result<(), Problems> {
    let url = db_url(&a.db)?;
    runtime()?.block_on(async {
        let state = kaohe_server::state(kaohe_server::Config {
            database_url: url.clone(),
            test_clock: a.test_clock,
            secure_cookies: a.secure_cookies,
        })
        .await
        .map_err(fail)?;
        let pw = kaohe_server::bootstrap_admin(&state, std::env::var("KAOHE_ADMIN_PASSWORD").ok())
            .await
            .map_err(fail)?;
        let listener = tokio::net::TcpListener::bind(&a.addr).await.map_err(|e| {
            Problems::one(format!("无法监听 {} / cannot listen on {}: {e}", a.addr, a.addr))
        })?;
        let addr = listener.local_addr().map_err(fail)?;
        println!("kaohe 考核服务已启动 / kaohe server running: http://{addr}/");
        println!("数据库 database: {}", redact(&url));
        println!("接口说明 API: http://{addr}/api/openapi.json");
        if let Some(pw) = pw {
            println!("首次运行，已创建管理员 / first run, admin account created: login admin, password {pw}");
        }
        kaohe_server::serve_router(kaohe_web::app(state), listener)
            .await
            .map_err(fail)
    })
}

/// The demo's database folder (recreated by every `kaohe demo` run without `--db`).
pub const DEMO_DIR: &str = "kaohe-demo";

/// `kaohe demo`: a fresh demo database (or the one given, seeded once), the test clock on,
/// the API and pages served, the address and the logins printed.
pub fn demo(a: &DemoArgs) -> Result<(), Problems> {
    let url = match &a.db {
        Some(url) => db_url(&DbArg {
            db: Some(url.clone()),
        })?,
        None => {
            let dir = Path::new(DEMO_DIR);
            if dir.exists() {
                std::fs::remove_dir_all(dir).map_err(|e| {
                    Problems::one(format!(
                        "无法清空演示目录 {DEMO_DIR} / cannot recreate the demo folder: {e}"
                    ))
                })?;
            }
            db_url(&DbArg {
                db: Some(format!("sqlite://{DEMO_DIR}/kaohe.db?mode=rwc")),
            })?
        }
    };
    runtime()?.block_on(async {
        let state = kaohe_server::state(kaohe_server::Config {
            database_url: url.clone(),
            test_clock: true,
            secure_cookies: false,
        })
        .await
        .map_err(fail)?;
        let listener = tokio::net::TcpListener::bind(&a.addr).await.map_err(|e| {
            Problems::one(format!(
                "无法监听 {} / cannot listen on {}: {e}（可用 --addr 127.0.0.1:8081 换一个端口 / try another port with --addr）",
                a.addr, a.addr
            ))
        })?;
        println!("正在准备演示数据… / seeding the demo data…");
        let seeded = kaohe_server::demo::seed(&state).await.map_err(Problems::one)?;
        kaohe_server::demo::set_active(true);
        let addr = listener.local_addr().map_err(fail)?;
        print_demo(&addr.to_string(), &url, &seeded);
        kaohe_server::serve_router(kaohe_web::app(state), listener)
            .await
            .map_err(fail)
    })
}

fn print_demo(addr: &str, url: &str, s: &kaohe_server::demo::Seeded) {
    use kaohe_server::demo::{PASSWORD, WALK_BRANCH, WALK_LABEL};
    println!();
    println!("kaohe 考核演示已启动 / kaohe demo running:  http://{addr}/");
    println!(
        "数据库 database: {}（{} 个考核期间 periods）",
        redact(url),
        s.periods
    );
    println!("所有演示账号的密码 password of every demo login:  {PASSWORD}");
    println!();
    println!(
        "{:<16} {:<7} 可以试试 what to try",
        "角色 role", "登录 login"
    );
    for l in &s.logins {
        println!("{:<16} {:<7} {}", l.role, l.login, l.zh);
        println!("{:<16} {:<7} {}", "", "", l.en);
    }
    println!();
    println!("走完一个月 walk a month ({WALK_BRANCH} {WALK_LABEL}, P4):");
    println!("  1. 用 bh 登录，下载本月数据 http://{addr}/demo/figures.xlsx ，在「导入」页上传并确认 / sign in as bh, download the figures and import them on the Import page");
    println!("  2. 打开 {WALK_LABEL} 期间：计算、公示 / open the period: compute, publish");
    println!(
        "  3. 用 hz07 登录：签字、申诉；用 bh 复核申诉 / as hz07: sign, appeal; as bh: review"
    );
    println!("  4. 其余员工签字：admin 或 bh 在 http://{addr}/demo 点「其余员工签字（演示）」（P4.9）/ the other employees sign: the demo page's button");
    println!("  5. 用 admin 打开 http://{addr}/demo 将时钟前移，越过3个工作日申诉期（P4.10）/ as admin, move the clock past the 3-working-day window");
    println!("  6. bh 定稿、处理措施、提交审批；bh → rh → hr 依次审批（P4.11）；生成警告函 / finalize, measures, approvals, letters");
    println!();
    println!("按 Ctrl+C 停止 / press Ctrl+C to stop");
}

/// A URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `kaohe backup`.
pub fn backup(a: &BackupArgs) -> Result<(), Problems> {
    let url = db_url(&a.db)?;
    runtime()?.block_on(async {
        let db = kaohe_store::Db::connect(&url).await.map_err(fail)?;
        db.backup(&a.file, &url).await.map_err(fail)?;
        println!("已备份到 backed up to {}", a.file.display());
        Ok(())
    })
}

/// `kaohe restore`: checks the backup's audit chain, then replaces the database (the server
/// must be stopped).
pub fn restore(a: &RestoreArgs) -> Result<(), Problems> {
    let url = db_url(&a.db)?;
    if !a.file.exists() {
        return Err(Problems::one(format!(
            "备份文件不存在 / backup file not found: {}",
            a.file.display()
        )));
    }
    match sqlite_path(&url) {
        Some(target) => restore_sqlite(&a.file, &target, a.force),
        None => {
            let out = std::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--dbname"])
                .arg(&url)
                .arg(&a.file)
                .output()
                .map_err(|e| {
                    Problems::one(format!("无法运行 pg_restore / cannot run pg_restore: {e}"))
                })?;
            if !out.status.success() {
                return Err(Problems::one(format!(
                    "pg_restore 失败 / pg_restore failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
            println!("已恢复 restored {}", a.file.display());
            Ok(())
        }
    }
}

fn restore_sqlite(file: &Path, target: &Path, force: bool) -> Result<(), Problems> {
    if target.exists() && !force {
        return Err(Problems::one(format!(
            "数据库 {} 已存在；请先停止服务，并加 --force 覆盖 / database {} exists; stop the server and pass --force to replace it",
            target.display(),
            target.display()
        )));
    }
    // Copy beside the target, check that copy (it opens, its audit chain is intact), and only
    // then move it into place: the database is replaced whole or not at all.
    let tmp = target.with_extension("restore-tmp");
    std::fs::copy(file, &tmp).map_err(fail)?;
    let check = format!("sqlite://{}?mode=rw", tmp.display());
    let verdict = runtime()?.block_on(async {
        let db = kaohe_store::Db::connect_without_migrating(&check)
            .await
            .map_err(fail)?;
        let report = db.verify_audit().await.map_err(fail);
        db.close().await;
        let report = report?;
        if report.ok() {
            Ok(())
        } else {
            Err(Problems::one(format!(
                "备份的审计日志已损坏，拒绝恢复 / the backup's audit chain is broken; not restored ({} problem(s))",
                report.problems.len()
            )))
        }
    });
    if let Err(e) = verdict {
        for ext in ["restore-tmp", "restore-tmp-wal", "restore-tmp-shm"] {
            let _ = std::fs::remove_file(target.with_extension(ext));
        }
        return Err(e);
    }
    for ext in ["db-wal", "db-shm", "restore-tmp-wal", "restore-tmp-shm"] {
        let _ = std::fs::remove_file(target.with_extension(ext));
    }
    std::fs::rename(&tmp, target).map_err(fail)?;
    println!("已恢复 restored {} → {}", file.display(), target.display());
    Ok(())
}

/// `kaohe audit verify`.
pub fn audit_verify(a: &DbArg) -> Result<(), Problems> {
    let url = db_url(a)?;
    runtime()?.block_on(async {
        let db = kaohe_store::Db::connect(&url).await.map_err(fail)?;
        let r = db.verify_audit().await.map_err(fail)?;
        if r.ok() {
            println!(
                "审计日志完整 / audit log intact: {} rows, head {}",
                r.rows, r.head
            );
            Ok(())
        } else {
            Err(Problems(
                std::iter::once(format!(
                    "审计日志被改动 / audit log tampered with: {} problem(s) in {} rows",
                    r.problems.len(),
                    r.rows
                ))
                .chain(r.problems.iter().map(|p| p.to_string()))
                .collect(),
            ))
        }
    })
}
