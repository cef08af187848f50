//! The hash chain of the append-only audit table (审计哈希链, issue 3 item 7).
//!
//! Each row stores its entry, the previous row's hash and its own hash:
//! `hash = hex(SHA-256(prev_hash ‖ "\n" ‖ canonical_json(entry)))`, with
//! [`GENESIS`] (64 zeros) before row 1. `canonical_json` is serde_json's rendering of the
//! entry with every object's keys sorted (recursively, independent of serde_json's
//! `preserve_order` feature), no whitespace, numbers and strings as serde_json writes them.
//! Fields in order: seq, at, actor, action, entity, before, after, reason.
//!
//! [`verify`] walks the rows in the order given and reports the first break:
//! - a missing sequence number → [`BreakKind::Deleted`] at that number;
//! - a sequence number that turns up later → [`BreakKind::Reordered`] at the expected number;
//! - a row whose hash does not match its content → [`BreakKind::Edited`] at that row;
//! - a row whose stored previous hash is not the previous row's hash (that row was edited and
//!   re-hashed) → [`BreakKind::Edited`] at the previous row.
//!
//! Limit: deleting the newest rows, or rewriting the whole chain, is only visible against a
//! head (`seq`, `hash`) kept elsewhere — pass it to [`verify_head`].

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The previous hash of row 1.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change (审计记录): who, when, what, before, after, why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number, 1, 2, 3… with no gaps.
    pub seq: u64,
    /// When, RFC 3339 with offset, e.g. `2026-02-26T09:00:00+08:00`.
    pub at: String,
    /// Who (account id).
    pub actor: String,
    /// What was done, e.g. `cycle.publish`.
    pub action: String,
    /// What it was done to, e.g. `cycle/p4/2026-01/branch-sz`.
    pub entity: String,
    /// Value before (null when created).
    pub before: Value,
    /// Value after (null when deleted).
    pub after: Value,
    /// Why (may be empty when the action needs none).
    pub reason: String,
}

/// A stored row of the chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    /// The entry.
    pub entry: AuditEntry,
    /// The previous row's hash ([`GENESIS`] for row 1).
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// How the chain is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// A row's content was changed (被篡改).
    Edited,
    /// A row is missing (被删除).
    Deleted,
    /// Rows are out of order (顺序被打乱).
    Reordered,
}

/// Where the chain breaks (审计链断裂).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("审计链在第{seq}条处断裂（{}） / audit chain broken at entry {seq} ({})", kind_zh(*.kind), kind_en(*.kind))]
pub struct AuditBreak {
    /// Sequence number of the row concerned.
    pub seq: u64,
    /// What happened.
    pub kind: BreakKind,
}

fn kind_zh(k: BreakKind) -> &'static str {
    match k {
        BreakKind::Edited => "记录被修改",
        BreakKind::Deleted => "记录被删除",
        BreakKind::Reordered => "记录顺序被打乱",
    }
}

fn kind_en(k: BreakKind) -> &'static str {
    match k {
        BreakKind::Edited => "a row was edited",
        BreakKind::Deleted => "a row was deleted",
        BreakKind::Reordered => "rows were reordered",
    }
}

/// The canonical JSON of an entry (sorted keys, no whitespace).
pub fn canonical_json(entry: &AuditEntry) -> String {
    let v = serde_json::json!({
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
    });
    let mut out = String::new();
    write_canonical(&v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(x) = map.get(*k) {
                    write_canonical(x, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The hash of a row: SHA-256 hex of `prev_hash`, a newline and the canonical entry.
pub fn chain_hash(prev_hash: &str, entry: &AuditEntry) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical_json(entry).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry after `prev` (or as row 1), computing both hashes.
pub fn append(prev: Option<&AuditRow>, entry: AuditEntry) -> AuditRow {
    let prev_hash = prev.map_or(GENESIS.to_string(), |p| p.hash.clone());
    let hash = chain_hash(&prev_hash, &entry);
    AuditRow {
        entry,
        prev_hash,
        hash,
    }
}

/// Checks the whole chain from row 1 (see the module doc for what is reported).
pub fn verify(rows: &[AuditRow]) -> Result<(), AuditBreak> {
    let mut prev = GENESIS;
    for (i, row) in rows.iter().enumerate() {
        let expected = i as u64 + 1;
        let seq = row.entry.seq;
        if seq != expected {
            let later = rows[i..].iter().any(|r| r.entry.seq == expected);
            let kind = if later {
                BreakKind::Reordered
            } else {
                BreakKind::Deleted
            };
            return Err(AuditBreak {
                seq: expected,
                kind,
            });
        }
        if chain_hash(&row.prev_hash, &row.entry) != row.hash {
            return Err(AuditBreak {
                seq,
                kind: BreakKind::Edited,
            });
        }
        if row.prev_hash != prev {
            return Err(AuditBreak {
                seq: seq.saturating_sub(1).max(1),
                kind: BreakKind::Edited,
            });
        }
        prev = &row.hash;
    }
    Ok(())
}

/// [`verify`], then checks the newest row against a head kept elsewhere (`head_seq`,
/// `head_hash`): fewer rows → [`BreakKind::Deleted`] at the first missing number; another
/// hash → [`BreakKind::Edited`] at `head_seq`.
pub fn verify_head(rows: &[AuditRow], head_seq: u64, head_hash: &str) -> Result<(), AuditBreak> {
    verify(rows)?;
    let n = rows.len() as u64;
    if n < head_seq {
        return Err(AuditBreak {
            seq: n + 1,
            kind: BreakKind::Deleted,
        });
    }
    match rows.get((head_seq as usize).wrapping_sub(1)) {
        Some(r) if r.hash == head_hash => Ok(()),
        _ => Err(AuditBreak {
            seq: head_seq,
            kind: BreakKind::Edited,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: u64) -> Vec<AuditRow> {
        let mut rows: Vec<AuditRow> = Vec::new();
        for seq in 1..=n {
            let e = AuditEntry {
                seq,
                at: format!("2026-02-26T09:00:{seq:02}+08:00"),
                actor: "hr01".into(),
                action: "fact.update".into(),
                entity: format!("fact/p4/2026-01/E{seq:03}"),
                before: json!({"回款": "100.00", "b": 1}),
                after: json!({"回款": format!("{seq}00.00"), "b": 1}),
                reason: "申诉更正".into(),
            };
            let row = append(rows.last(), e);
            rows.push(row);
        }
        rows
    }

    #[test]
    fn intact_chain_verifies() {
        let rows = chain(5);
        assert_eq!(verify(&rows), Ok(()));
        assert_eq!(verify(&[]), Ok(()));
        assert_eq!(rows[0].prev_hash, GENESIS);
        assert_eq!(rows[1].prev_hash, rows[0].hash);
        assert_eq!(rows[0].hash.len(), 64);
        assert_eq!(verify_head(&rows, 5, &rows[4].hash), Ok(()));
    }

    #[test]
    fn known_hash_of_a_fixed_entry() {
        // The canonical form is fixed: keys sorted, no spaces. Hash computed independently
        // with `printf '%s\n%s' $GENESIS '<json>' | sha256sum`.
        let e = AuditEntry {
            seq: 1,
            at: "2026-02-26T09:00:00+08:00".into(),
            actor: "a".into(),
            action: "x".into(),
            entity: "e".into(),
            before: Value::Null,
            after: json!({"z": 1, "a": [true, "回"]}),
            reason: String::new(),
        };
        assert_eq!(
            canonical_json(&e),
            r#"{"action":"x","actor":"a","after":{"a":[true,"回"],"z":1},"at":"2026-02-26T09:00:00+08:00","before":null,"entity":"e","reason":"","seq":1}"#
        );
        assert_eq!(chain_hash(GENESIS, &e), KNOWN);
    }

    const KNOWN: &str = "727038fa20186f0f89d1228f78d8cf20f094cc1e55293cda0d633c13b48fea18";

    #[test]
    fn edited_row_is_found_at_its_seq() {
        let mut rows = chain(5);
        rows[2].entry.after = json!({"回款": "999999.00", "b": 1});
        assert_eq!(
            verify(&rows),
            Err(AuditBreak {
                seq: 3,
                kind: BreakKind::Edited
            })
        );
        // Edited and re-hashed: row 3 looks fine, row 4's link exposes it.
        let mut rows = chain(5);
        rows[2].entry.reason = "改".into();
        rows[2].hash = chain_hash(&rows[2].prev_hash, &rows[2].entry);
        assert_eq!(
            verify(&rows),
            Err(AuditBreak {
                seq: 3,
                kind: BreakKind::Edited
            })
        );
    }

    #[test]
    fn deleted_row_is_found_at_its_seq() {
        let mut rows = chain(5);
        rows.remove(3);
        assert_eq!(
            verify(&rows),
            Err(AuditBreak {
                seq: 4,
                kind: BreakKind::Deleted
            })
        );
        let mut rows = chain(3);
        rows.remove(0);
        assert_eq!(
            verify(&rows),
            Err(AuditBreak {
                seq: 1,
                kind: BreakKind::Deleted
            })
        );
        // The newest row deleted: only the head shows it.
        let rows = chain(5);
        let head = rows[4].hash.clone();
        assert_eq!(verify(&rows[..4]), Ok(()));
        assert_eq!(
            verify_head(&rows[..4], 5, &head),
            Err(AuditBreak {
                seq: 5,
                kind: BreakKind::Deleted
            })
        );
    }

    #[test]
    fn swapped_rows_are_found() {
        let mut rows = chain(5);
        rows.swap(1, 2);
        assert_eq!(
            verify(&rows),
            Err(AuditBreak {
                seq: 2,
                kind: BreakKind::Reordered
            })
        );
        let msg = AuditBreak {
            seq: 2,
            kind: BreakKind::Reordered,
        }
        .to_string();
        assert!(msg.contains("第2条") && msg.contains("entry 2") && msg.contains("reordered"));
    }
}
