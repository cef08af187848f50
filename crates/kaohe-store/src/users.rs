//! Users (用户), login sessions (登录会话) and API tokens (接口令牌) for the HTTP server.
//!
//! The store keeps only hashes: the server hashes the password (argon2), the session cookie
//! and the API token before they get here, and looks them up by hash. Password hashes, session
//! hashes and token hashes never reach the audit log. Sessions may be deleted (logout, expiry);
//! tokens are revoked, never deleted.

use crate::audit::AuditEntry;
use crate::db::Db;
use crate::error::{is_unique_violation, Error, Result};
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// A user to create (用户).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// 登录名 login, unique.
    pub login: String,
    /// Password hash (argon2 PHC string); None = no password login (token only, or not yet set).
    pub password_hash: Option<String>,
    /// 角色 role, e.g. `admin`, `hr`, `manager`, `employee`.
    pub role: String,
    /// 管辖范围 organisation unit the user may see (None = everything the role allows).
    pub scope_unit_id: Option<i64>,
    /// 工号 of the person this account belongs to, if any.
    pub person_id: Option<String>,
}

/// A stored user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UserRow {
    /// Row id.
    pub id: i64,
    /// 登录名 login.
    pub login: String,
    /// Password hash (never written to the audit log).
    pub password_hash: Option<String>,
    /// 角色 role.
    pub role: String,
    /// 管辖范围 scope unit.
    pub scope_unit_id: Option<i64>,
    /// 工号 person.
    pub person_id: Option<String>,
    /// False once deactivated: no login, no token.
    pub active: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    /// A copy for the audit log: the password hash blanked.
    fn for_audit(&self) -> UserRow {
        UserRow {
            password_hash: None,
            ..self.clone()
        }
    }
}

/// A login session (登录会话), keyed by the hash of the cookie value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SessionRow {
    /// Hash of the session id (the cookie holds the id itself).
    pub id_hash: String,
    /// Whose session.
    pub user_id: i64,
    /// CSRF token of the session.
    pub csrf_token: String,
    /// When created (stored to the microsecond).
    pub created_at: DateTime<Utc>,
    /// When it ends (stored to the microsecond).
    pub expires_at: DateTime<Utc>,
}

/// An API token (接口令牌); the token itself and its hash are not in this row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TokenRow {
    /// Row id.
    pub id: i64,
    /// Whose token.
    pub user_id: i64,
    /// What it is for, e.g. `payroll export`.
    pub label: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When revoked (None = valid).
    pub revoked_at: Option<DateTime<Utc>>,
}

const USER_COLS: &str = "SELECT id, login, password_hash, role, scope_unit_id, person_id, active, \
                         created_at FROM users";
const TOKEN_COLS: &str = "SELECT id, user_id, label, created_at, revoked_at FROM api_tokens";

fn user_not_found(id: i64) -> Error {
    Error::NotFound {
        entity: "user",
        id: id.to_string(),
    }
}

impl Db {
    /// Create a user. A login already taken is refused with [`Error::Invalid`].
    pub async fn create_user(&self, u: &NewUser, actor: &str) -> Result<UserRow> {
        let login = u.login.trim();
        if login.is_empty() || u.role.trim().is_empty() {
            return Err(Error::Invalid(
                "登录名或角色为空 / empty login or role".into(),
            ));
        }
        Ok(write_tx!(self, |c| {
            let mut row = UserRow {
                id: 0,
                login: login.to_string(),
                password_hash: u.password_hash.clone(),
                role: u.role.clone(),
                scope_unit_id: u.scope_unit_id,
                person_id: u.person_id.clone(),
                active: true,
                created_at: crate::db::now(),
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO users (login, password_hash, role, scope_unit_id, person_id, active, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&row.login)
            .bind(&row.password_hash)
            .bind(&row.role)
            .bind(row.scope_unit_id)
            .bind(&row.person_id)
            .bind(row.active)
            .bind(row.created_at)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    Error::Invalid(format!(
                        "登录名 {login} 已被使用 / the login {login} is already taken"
                    ))
                } else {
                    Error::Db(e)
                }
            })?;
            let e = AuditEntry::new(actor, "user.create", format!("user:{}", row.id))
                .after(row.for_audit())?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// One user.
    pub async fn user(&self, id: i64) -> Result<UserRow> {
        let sql = format!("{USER_COLS} WHERE id = $1");
        let row: Option<UserRow> =
            read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        row.ok_or_else(|| user_not_found(id))
    }

    /// A user by login (exact match), active or not.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRow>> {
        let sql = format!("{USER_COLS} WHERE login = $1");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(login)
        .fetch_optional(p)
        .await?))
    }

    /// Every user, by id.
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("{USER_COLS} ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .fetch_all(p)
        .await?))
    }

    /// Replace a user's password hash (the audit row says that it changed, not to what).
    pub async fn set_password(&self, id: i64, hash: &str, actor: &str) -> Result<()> {
        if hash.is_empty() {
            return Err(Error::Invalid("密码哈希为空 / empty password hash".into()));
        }
        write_tx!(self, |c| {
            let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id)
                .execute(&mut *c)
                .await?;
            if done.rows_affected() != 1 {
                return Err(user_not_found(id));
            }
            let e = AuditEntry::new(actor, "user.password", format!("user:{id}"))
                .after(serde_json::json!({ "password_changed": true }))?;
            append_audit!(&mut *c, &e);
        });
        Ok(())
    }

    /// Activate or deactivate a user. Deactivating also ends the user's sessions (their tokens
    /// stop working through [`Db::user_by_token`]). Setting the value it already has writes
    /// nothing.
    pub async fn set_user_active(&self, id: i64, active: bool, actor: &str) -> Result<()> {
        let select = format!("{USER_COLS} WHERE id = $1");
        write_tx!(self, |c| {
            let before: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(before) = before else {
                return Err(user_not_found(id));
            };
            if before.active != active {
                sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
                    .bind(active)
                    .bind(id)
                    .execute(&mut *c)
                    .await?;
                let mut ended = 0;
                if !active {
                    ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(id)
                        .execute(&mut *c)
                        .await?
                        .rows_affected();
                }
                let after = UserRow {
                    active,
                    ..before.clone()
                };
                let mut after_json = serde_json::to_value(after.for_audit())?;
                after_json["sessions_ended"] = serde_json::json!(ended);
                let e = AuditEntry::new(actor, "user.active", format!("user:{id}"))
                    .before(before.for_audit())?
                    .after(after_json)?;
                append_audit!(&mut *c, &e);
            }
        });
        Ok(())
    }

    /// Store a new session (times kept to the microsecond). The audit row (`session.login`,
    /// by the user's login) names the user, never the session hash.
    pub async fn create_session(&self, s: &SessionRow) -> Result<()> {
        if s.id_hash.is_empty() || s.csrf_token.is_empty() {
            return Err(Error::Invalid(
                "会话标识或 CSRF 令牌为空 / empty session id or CSRF token".into(),
            ));
        }
        write_tx!(self, |c| {
            let login: Option<String> = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                .bind(s.user_id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(login) = login else {
                return Err(user_not_found(s.user_id));
            };
            sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&s.id_hash)
            .bind(s.user_id)
            .bind(&s.csrf_token)
            .bind(s.created_at.trunc_subsecs(6))
            .bind(s.expires_at.trunc_subsecs(6))
            .execute(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    Error::Invalid("会话已存在 / the session already exists".into())
                } else {
                    Error::Db(e)
                }
            })?;
            let e = AuditEntry::new(&login, "session.login", format!("user:{}", s.user_id)).after(
                serde_json::json!({
                    "user_id": s.user_id,
                    "expires_at": s.expires_at.trunc_subsecs(6),
                }),
            )?;
            append_audit!(&mut *c, &e);
        });
        Ok(())
    }

    /// A session by the hash of its id, expired or not (the caller compares `expires_at`),
    /// with its user, in one query (every signed-in request asks this).
    pub async fn session_user(&self, id_hash: &str) -> Result<Option<(SessionRow, UserRow)>> {
        let sql = "SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, \
                   u.id, u.login, u.password_hash, u.role, u.scope_unit_id, u.person_id, \
                   u.active, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id \
                   WHERE s.id_hash = $1";
        type Joined = (
            String,
            i64,
            String,
            DateTime<Utc>,
            DateTime<Utc>,
            i64,
            String,
            Option<String>,
            String,
            Option<i64>,
            Option<String>,
            bool,
            DateTime<Utc>,
        );
        let row: Option<Joined> = read!(self, |p| sqlx::query_as(sql)
            .bind(id_hash)
            .fetch_optional(p)
            .await?);
        Ok(row.map(|r| {
            (
                SessionRow {
                    id_hash: r.0,
                    user_id: r.1,
                    csrf_token: r.2,
                    created_at: r.3,
                    expires_at: r.4,
                },
                UserRow {
                    id: r.5,
                    login: r.6,
                    password_hash: r.7,
                    role: r.8,
                    scope_unit_id: r.9,
                    person_id: r.10,
                    active: r.11,
                    created_at: r.12,
                },
            )
        }))
    }

    /// End a session (logout); audited as `session.logout` by the user's login. An unknown
    /// hash is not an error and writes nothing.
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        write_tx!(self, |c| {
            let who: Option<(i64, String)> = sqlx::query_as(
                "SELECT s.user_id, u.login FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.id_hash = $1",
            )
            .bind(id_hash)
            .fetch_optional(&mut *c)
            .await?;
            if let Some((user_id, login)) = who {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(&mut *c)
                    .await?;
                let e = AuditEntry::new(&login, "session.logout", format!("user:{user_id}"))
                    .after(serde_json::json!({ "user_id": user_id }))?;
                append_audit!(&mut *c, &e);
            }
        });
        Ok(())
    }

    /// Delete every session with `expires_at <= now`; returns how many. One audit row
    /// (`session.expire`, actor `system`) when any were deleted.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        Ok(write_tx!(self, |c| {
            let n = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now.trunc_subsecs(6))
                .execute(&mut *c)
                .await?
                .rows_affected();
            if n > 0 {
                let e = AuditEntry::new("system", "session.expire", "sessions")
                    .after(serde_json::json!({ "deleted": n, "now": now.trunc_subsecs(6) }))?;
                append_audit!(&mut *c, &e);
            }
            n
        }))
    }

    /// Store a new API token for a user (only its hash is kept).
    pub async fn create_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        actor: &str,
    ) -> Result<TokenRow> {
        if token_hash.is_empty() {
            return Err(Error::Invalid("令牌哈希为空 / empty token hash".into()));
        }
        Ok(write_tx!(self, |c| {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *c)
                .await?;
            if exists.is_none() {
                return Err(user_not_found(user_id));
            }
            let mut row = TokenRow {
                id: 0,
                user_id,
                label: label.to_string(),
                created_at: crate::db::now(),
                revoked_at: None,
            };
            row.id = sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, token_hash, label, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(token_hash)
            .bind(label)
            .bind(row.created_at)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    Error::Invalid("令牌已存在 / the token already exists".into())
                } else {
                    Error::Db(e)
                }
            })?;
            let e =
                AuditEntry::new(actor, "token.create", format!("token:{}", row.id)).after(&row)?;
            append_audit!(&mut *c, &e);
            row
        }))
    }

    /// The user a token belongs to, if the token is not revoked and the user is active.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<UserRow>> {
        let sql = "SELECT u.id, u.login, u.password_hash, u.role, u.scope_unit_id, u.person_id, \
                   u.active, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active";
        Ok(read!(self, |p| sqlx::query_as(sql)
            .bind(token_hash)
            .fetch_optional(p)
            .await?))
    }

    /// Revoke a token. Revoking a revoked token writes nothing.
    pub async fn revoke_token(&self, id: i64, actor: &str) -> Result<()> {
        let select = format!("{TOKEN_COLS} WHERE id = $1");
        write_tx!(self, |c| {
            let before: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(select.clone()))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(before) = before else {
                return Err(Error::NotFound {
                    entity: "token",
                    id: id.to_string(),
                });
            };
            if before.revoked_at.is_none() {
                let at = crate::db::now();
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                )
                .bind(at)
                .bind(id)
                .execute(&mut *c)
                .await?;
                let after = TokenRow {
                    revoked_at: Some(at),
                    ..before.clone()
                };
                let e = AuditEntry::new(actor, "token.revoke", format!("token:{id}"))
                    .before(&before)?
                    .after(&after)?;
                append_audit!(&mut *c, &e);
            }
        });
        Ok(())
    }

    /// A user's tokens, revoked ones included, by id.
    pub async fn tokens(&self, user_id: i64) -> Result<Vec<TokenRow>> {
        let sql = format!("{TOKEN_COLS} WHERE user_id = $1 ORDER BY id");
        Ok(read!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(user_id)
        .fetch_all(p)
        .await?))
    }
}
