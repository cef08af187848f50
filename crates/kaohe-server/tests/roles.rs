//! The role × endpoint matrix (角色权限矩阵): every endpoint of the route table against every
//! role, on SQLite and PostgreSQL. A role outside an endpoint's list gets 403 before anything
//! runs; a role inside it never gets 401/403 for its role (it may get 400, 404, 409 or 415 for
//! the empty request); every non-public endpoint answers 401 without a session; a state change
//! with a session cookie but no CSRF token is refused.

use kaohe_process::role::Role;
use kaohe_server::both;
use kaohe_server::routes::{Access, ROUTES};
use kaohe_server::testing::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn matrix(s: &Server) {
    let (admin, org) = setup(s).await;
    let bh = s.login("bh", "password-123").await;
    let p = bh
        .must(
            "/api/periods",
            json!({ "policy_version_id": org.policy, "label": "2025-03", "unit_id": org.hz }),
        )
        .await;
    let period = p["id"].as_i64().expect("id");
    step(&bh, period, json!({ "action": "start_collecting" })).await;
    assert_eq!(
        bh.upload(
            &format!("/api/periods/{period}/roster?file=r.csv"),
            hz_roster()
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        bh.upload(
            &format!("/api/periods/{period}/facts?file=f.csv"),
            hz_facts()
        )
        .await
        .0,
        StatusCode::OK
    );
    employees(&admin).await;
    step(&bh, period, json!({ "action": "compute" })).await;
    step(&bh, period, json!({ "action": "publish" })).await;
    let hz07 = s.login("hz07", "password-123").await;
    let appeal = hz07
        .must(
            &format!("/api/periods/{period}/appeals"),
            json!({ "reason": "复核" }),
        )
        .await["id"]
        .as_i64()
        .expect("appeal");

    let accounts = [
        (Role::Admin, "admin", ADMIN_PW),
        (Role::HqHr, "hr", "password-123"),
        (Role::GmOffice, "gm", "password-123"),
        (Role::RegionalHead, "rh", "password-123"),
        (Role::BranchHead, "bh", "password-123"),
        (Role::DepartmentHead, "dh", "password-123"),
        (Role::SalesManager, "sm", "password-123"),
        (Role::Rater, "rater", "password-123"),
        (Role::Employee, "hz01", "password-123"),
    ];
    let anonymous = s.anonymous();
    let mut checked = 0;
    for route in ROUTES.iter().filter(|r| r.path != "/api/logout") {
        let path = fill(route.path, org.policy, period, appeal, 999_999);
        let method = Method::from_bytes(route.method.as_bytes()).expect("method");
        let (st, body) = anonymous.call(method.clone(), &path, None).await;
        match route.access {
            Access::Public => assert_ne!(
                st,
                StatusCode::UNAUTHORIZED,
                "{} {path}: {body}",
                route.method
            ),
            _ => assert_eq!(
                st,
                StatusCode::UNAUTHORIZED,
                "anonymous {} {path}: {body}",
                route.method
            ),
        }
        for (role, login, pw) in accounts {
            let c = s.login(login, pw).await;
            let (st, body) = c.call(method.clone(), &path, None).await;
            let allowed = match route.access {
                Access::Public | Access::SignedIn => true,
                Access::Roles(list) => list.contains(&role),
            };
            if allowed {
                assert!(
                    st != StatusCode::UNAUTHORIZED
                        && !(st == StatusCode::FORBIDDEN
                            && body["error"]["zh"]
                                .as_str()
                                .unwrap_or("")
                                .contains("您的角色")),
                    "{role:?} should be allowed {} {path}, got {st}: {body}",
                    route.method
                );
            } else {
                assert_eq!(
                    st,
                    StatusCode::FORBIDDEN,
                    "{role:?} must be denied {} {path}: {body}",
                    route.method
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 9 * 40, "checked {checked} pairs");

    // CSRF: a cookie session without the token cannot change anything.
    let mut no_csrf = s.login("bh", "password-123").await;
    no_csrf.csrf = None;
    let (st, body) = no_csrf
        .post(
            &format!("/api/periods/{period}/transition"),
            json!({ "action": { "action": "compute" }, "expected_version": 1 }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    // A cross-site Origin is refused even with the token.
    let c = s.login("bh", "password-123").await;
    let resp = c
        .http
        .post(format!("{}/api/periods/{period}/ties", s.base))
        .header("X-CSRF-Token", c.csrf.clone().unwrap_or_default())
        .header("Origin", "http://evil.example")
        .json(&json!({ "group": "x", "chosen": [], "reason": "x" }))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    // API tokens work without CSRF; a revoked or wrong one does not.
    let t = admin
        .must("/api/tokens", json!({ "label": "automation" }))
        .await;
    let mut bot = s.anonymous();
    bot.bearer = t["token"].as_str().map(str::to_string);
    assert_eq!(bot.get("/api/users").await.0, StatusCode::OK);
    bot.bearer = Some("wrong".into());
    assert_eq!(bot.get("/api/users").await.0, StatusCode::UNAUTHORIZED);

    // Logout ends the session.
    let c = s.login("gm", "password-123").await;
    assert_eq!(c.post("/api/logout", json!({})).await.0, StatusCode::OK);
    assert_eq!(c.get("/api/me").await.0, StatusCode::UNAUTHORIZED);

    // Sign-in throttle: after 5 wrong passwords even the right one waits (429).
    let x = s.anonymous();
    for _ in 0..5 {
        let (st, _) = x
            .post(
                "/api/login",
                json!({ "login": "sm", "password": "wrong-password" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let (st, body) = x
        .post(
            "/api/login",
            json!({ "login": "sm", "password": "password-123" }),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{body}");

    // An employee reads nothing of HZ07 through any GET endpoint.
    let hz01 = s.login("hz01", "password-123").await;
    employee_crawl(&hz01, org.policy, &[period], appeal, &[]).await;
}

both!(matrix);

#[tokio::test]
async fn openapi_lists_every_route() {
    let spec = kaohe_server::routes::openapi();
    for r in ROUTES {
        assert!(
            spec["paths"][r.path][r.method.to_lowercase()].is_object(),
            "{} {} missing from OpenAPI",
            r.method,
            r.path
        );
    }
}
