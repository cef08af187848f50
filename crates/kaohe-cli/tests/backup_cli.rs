//! `kaohe backup`, `kaohe restore` and `kaohe audit verify` through the real binary: a backup
//! taken from a live database restores to an identical, verifiable one; a tampered backup is
//! refused; an existing database is not replaced without --force.

use std::process::Command;

fn kaohe(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .env("KAOHE_ADMIN_PASSWORD", "backup-test-pw")
        .output()
        .expect("run kaohe");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test]
async fn backup_restore_and_verify() {
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("live.db");
    let url = format!("sqlite://{}?mode=rwc", db_path.display());
    // A database with some history: units and a policy, each on the audit log.
    let db = kaohe_store::Db::connect(&url).await.expect("db");
    let g = db
        .add_unit(None, kaohe_store::UnitKind::Group, "集团", "admin")
        .await
        .expect("unit");
    db.add_unit(Some(g.id), kaohe_store::UnitKind::Region, "浙江区", "admin")
        .await
        .expect("unit");
    db.close().await;

    let (ok, text) = kaohe(&["audit", "verify", "--db", &url]);
    assert!(ok && text.contains("审计日志完整"), "{text}");

    let backup = dir.path().join("backup.db");
    let (ok, text) = kaohe(&["backup", "--db", &url, backup.to_str().expect("path")]);
    assert!(ok, "{text}");
    // A second backup to the same file is refused (never overwrite a backup).
    let (ok, text) = kaohe(&["backup", "--db", &url, backup.to_str().expect("path")]);
    assert!(!ok && text.contains("已存在"), "{text}");

    // Restoring over an existing database needs --force.
    let (ok, text) = kaohe(&["restore", backup.to_str().expect("path"), "--db", &url]);
    assert!(!ok && text.contains("--force"), "{text}");
    // Into a new place it restores, and the copy verifies.
    let restored = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("restored.db").display()
    );
    let (ok, text) = kaohe(&["restore", backup.to_str().expect("path"), "--db", &restored]);
    assert!(ok, "{text}");
    let (ok, text) = kaohe(&["audit", "verify", "--db", &restored]);
    assert!(ok, "{text}");
    let db = kaohe_store::Db::connect(&restored).await.expect("restored");
    assert_eq!(db.units().await.expect("units").len(), 2);
    db.close().await;

    // A backup whose audit log was edited is refused.
    let tampered = dir.path().join("tampered.db");
    std::fs::copy(&backup, &tampered).expect("copy");
    {
        let t = format!("sqlite://{}?mode=rw", tampered.display());
        let db = kaohe_store::Db::connect(&t).await.expect("tampered");
        if let kaohe_store::Db::Sqlite(pool) = &db {
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(pool)
                .await
                .expect("drop trigger");
            sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
                .execute(pool)
                .await
                .expect("edit");
        }
        db.close().await;
    }
    let elsewhere = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("other.db").display()
    );
    let (ok, text) = kaohe(&[
        "restore",
        tampered.to_str().expect("path"),
        "--db",
        &elsewhere,
    ]);
    assert!(!ok && text.contains("审计日志已损坏"), "{text}");
    let (ok, text) = kaohe(&[
        "audit",
        "verify",
        "--db",
        &format!("sqlite://{}?mode=rw", tampered.display()),
    ]);
    assert!(!ok && text.contains("审计日志被改动"), "{text}");
}
