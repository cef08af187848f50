//! `kaohe demo`'s seed (演示数据): seeded into a fresh SQLite database, every shipped policy
//! has periods, twelve months of P8 and P2 history are there (earlier months closed with the
//! seed's audit reason), the walkable month (P4 2025-03, 杭州分公司) waits in `collecting` with
//! its roster imported and its figures left for the user to import (offered as a download),
//! and every role has an account that signs in with the printed password.

use kaohe_process::role::Role;
use kaohe_server::demo;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seed_is_complete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let state = kaohe_server::state(kaohe_server::Config {
        database_url: url,
        test_clock: true,
        secure_cookies: false,
    })
    .await
    .expect("state");
    let seeded = demo::seed(&state).await.expect("seed");
    assert!(seeded.fresh);

    // Every shipped policy is stored and has periods.
    let mut by_policy: BTreeMap<String, Vec<kaohe_store::PeriodRow>> = BTreeMap::new();
    for p in state.db.all_periods().await.expect("periods") {
        let v = state
            .db
            .policy_version(p.policy_version_id)
            .await
            .expect("version");
        by_policy.entry(v.policy_id).or_default().push(p);
    }
    let ids: Vec<&str> = by_policy.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "p1-account-manager-ranking",
            "p2-sales-consultant",
            "p3-onboarding",
            "p4-group-sales",
            "p5-promotion",
            "p6-marketing-procedure",
            "p7-department-raters",
            "p8-amber-bay"
        ]
    );
    assert_eq!(
        seeded.periods,
        by_policy.values().map(Vec::len).sum::<usize>()
    );
    // Twelve months of P8 (2025-01 … 2025-12) and P2 (2016-04 … 2017-03); the earlier eleven
    // closed, the last not (published, or computed while a tie waits).
    for (policy, first, last) in [
        ("p8-amber-bay", "2025-01", "2025-12"),
        ("p2-sales-consultant", "2016-04", "2017-03"),
    ] {
        let mut ps = by_policy[policy].clone();
        ps.sort_by_key(|p| p.idx);
        assert_eq!(ps.len(), 12, "{policy}");
        assert_eq!(ps[0].label, first);
        assert_eq!(ps[11].label, last);
        assert!(
            ps[..11].iter().all(|p| p.state == "closed"),
            "{policy}: {ps:?}"
        );
        assert!(
            ["published", "computed"].contains(&ps[11].state.as_str()),
            "{policy}: {}",
            ps[11].state
        );
    }
    // A month whose line waits on a tie decision is not published (P7.6, P8.4): P7's 2025-Q4
    // (车晓燕 and 毛宇辰 exactly equal, README) stays computed; every seeded period that is
    // published has no tie pending. P7's 2025-Q1 collects ratings for the demo rater.
    let p7: Vec<_> = by_policy["p7-department-raters"].clone();
    let q4 = p7
        .iter()
        .find(|p| p.label == "2025-Q4")
        .expect("P7 2025-Q4");
    assert_eq!(q4.state, "computed");
    let q1 = p7
        .iter()
        .find(|p| p.label == demo::RATER_LABEL)
        .expect("P7 2025-Q1");
    assert_eq!(q1.state, "collecting");
    for ps in by_policy.values() {
        for p in ps.iter().filter(|p| p.state == "published") {
            let run = state.db.runs(p.id).await.expect("runs");
            let last = run.last().expect("a run");
            let r: kaohe_engine::PeriodResult =
                serde_json::from_str(&last.result_json).expect("result");
            assert!(
                r.ties.is_empty(),
                "{} published with a tie pending",
                p.label
            );
        }
    }
    // P4: one period per branch (P4.9); 杭州分公司 2025-03 is the walkable month.
    assert_eq!(by_policy["p4-group-sales"].len(), 3);
    let walk = state.db.period(seeded.walk_period).await.expect("walk");
    assert_eq!(walk.state, "collecting");
    assert_eq!(walk.label, "2025-03");
    assert_eq!(
        state
            .db
            .unit(walk.unit_id.expect("unit"))
            .await
            .expect("unit")
            .name,
        "杭州分公司"
    );
    assert_eq!(
        state.db.period_people(walk.id).await.expect("people").len(),
        10
    );
    assert_eq!(
        state.db.fact_count(walk.id).await.expect("facts"),
        0,
        "the walk's figures are left for the user to import"
    );
    // The figures offered for download: the title row, the header and the ten people of
    // 杭州分公司, none of the other branches (examples/p4-group-sales/README.md).
    let rows = demo::walk_figures().expect("figures");
    assert_eq!(rows.len(), 12, "{rows:?}");
    let text = format!("{rows:?}");
    assert!(text.contains("HZ07") && text.contains("潘俊熙") && !text.contains("NB"));
    assert!(
        state.db.runs(walk.id).await.expect("runs").is_empty(),
        "not computed"
    );

    // Every role has an account; each signs in with the printed password.
    let users = state.db.users().await.expect("users");
    for role in Role::ALL {
        assert!(
            users.iter().any(|u| u.role == role.code()),
            "no demo account for {}",
            role.code()
        );
    }
    for l in &seeded.logins {
        let u = users.iter().find(|u| u.login == l.login).expect("account");
        assert_eq!(u.role, l.role);
        let signed =
            kaohe_server::auth::check_credentials(&state, &l.login, demo::PASSWORD, "test")
                .await
                .unwrap_or_else(|e| {
                    panic!("{} signs in with the demo password: {}", l.login, e.en)
                });
        assert_eq!(signed.id, u.id);
    }
    // The closed months carry the seed's reason in the audit log.
    let audit = state.db.audit_rows(0, 100_000).await.expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.reason.as_deref() == Some(demo::SEED_REASON)));

    // Seeding again writes nothing.
    let again = demo::seed(&state).await.expect("seed again");
    assert!(!again.fresh);
    assert_eq!(again.walk_period, seeded.walk_period);
}
