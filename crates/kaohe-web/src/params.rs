//! The what-if's parameters (模拟参数): the numbers of a policy file an HR officer would try
//! changing — an indicator's weight, cap or threshold, the line's bottom N or share, a history
//! trigger's count — found in the TOML text and changed in place (comments and layout kept, with
//! `toml_edit`), so the what-if runs on exactly the stored text with one number changed.
//!
//! Pure text in, text out: no policy semantics here; the changed text is loaded and validated by
//! `kaohe_policy` as any uploaded policy is, so a number the policy does not allow is refused
//! there with its line.

use toml_edit::{DocumentMut, Item, Value};

/// Tables whose numbers are parameters of the ranking (not metadata, inputs or deadlines).
const SECTIONS: &[&str] = &[
    "indicator",
    "line",
    "history",
    "ladder",
    "gate",
    "levels",
    "aggregate",
];

/// One number of the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Where it is, e.g. `indicator[1].ratio.zero_below` (the form field after `param:`).
    pub path: String,
    /// The table it belongs to as a person reads it: the indicator's or rule's name, or the
    /// section (末位线 for `line`).
    pub owner: String,
    /// The rule id of that table, when it has one (e.g. P4.5).
    pub rule: String,
    /// The key, e.g. `ratio.zero_below`.
    pub key: String,
    /// The value as written in the file.
    pub value: String,
}

/// Every parameter of the policy text, in file order; empty when the text does not parse.
pub fn list(text: &str) -> Vec<Param> {
    let Ok(doc) = text.parse::<DocumentMut>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, item) in doc.as_table().iter() {
        if !SECTIONS.contains(&name) {
            continue;
        }
        match item {
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    let owner = owner_of(t, name);
                    let rule = str_of(t, "rule");
                    walk_table(t, &format!("{name}[{i}]"), "", &owner, &rule, &mut out);
                }
            }
            Item::Table(t) => {
                let owner = owner_of(t, name);
                let rule = str_of(t, "rule");
                walk_table(t, name, "", &owner, &rule, &mut out);
            }
            _ => {}
        }
    }
    out
}

fn str_of(t: &toml_edit::Table, key: &str) -> String {
    t.get(key)
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_string()
}

fn owner_of(t: &toml_edit::Table, section: &str) -> String {
    let name = str_of(t, "name");
    if !name.is_empty() {
        return name;
    }
    match section {
        "line" => "末位线 line".into(),
        "ladder" => "处理阶梯 ladder".into(),
        "levels" => "职级 levels".into(),
        other => other.to_string(),
    }
}

fn walk_table(
    t: &toml_edit::Table,
    path: &str,
    key: &str,
    owner: &str,
    rule: &str,
    out: &mut Vec<Param>,
) {
    for (k, item) in t.iter() {
        let p = format!("{path}.{k}");
        let kk = join(key, k);
        match item {
            Item::Value(v) => walk_value(v, &p, &kk, owner, rule, out),
            // A sub-table keeps the owner (e.g. [line.fallback] of the line).
            Item::Table(sub) => walk_table(sub, &p, &kk, owner, rule, out),
            Item::ArrayOfTables(a) => {
                for (i, sub) in a.iter().enumerate() {
                    let o = owner_of(sub, owner);
                    let r = match str_of(sub, "rule") {
                        r if r.is_empty() => rule.to_string(),
                        r => r,
                    };
                    walk_table(
                        sub,
                        &format!("{p}[{i}]"),
                        &format!("{kk}[{i}]"),
                        &o,
                        &r,
                        out,
                    );
                }
            }
            Item::None => {}
        }
    }
}

fn walk_value(v: &Value, path: &str, key: &str, owner: &str, rule: &str, out: &mut Vec<Param>) {
    match v {
        Value::Integer(_) | Value::Float(_) => out.push(Param {
            path: path.to_string(),
            owner: owner.to_string(),
            rule: rule.to_string(),
            key: key.to_string(),
            value: v.to_string().trim().to_string(),
        }),
        Value::InlineTable(t) => {
            for (k, x) in t.iter() {
                walk_value(x, &format!("{path}.{k}"), &join(key, k), owner, rule, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk_value(
                    x,
                    &format!("{path}[{i}]"),
                    &format!("{key}[{i}]"),
                    owner,
                    rule,
                    out,
                );
            }
        }
        _ => {}
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// A parameter that could not be changed, with why (Chinese, English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's path.
    pub path: String,
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The text with the given parameters changed (path → new value as typed). Values equal to the
/// current ones are left alone, so an unchanged form gives back the text unchanged.
pub fn apply(text: &str, changes: &[(String, String)]) -> Result<String, Vec<ParamError>> {
    let current = list(text);
    let mut todo = Vec::new();
    let mut errors = Vec::new();
    for (path, typed) in changes {
        let typed = typed.trim();
        let Some(p) = current.iter().find(|p| &p.path == path) else {
            errors.push(ParamError {
                path: path.clone(),
                zh: format!("制度中没有参数 {path}"),
                en: format!("the policy has no parameter {path}"),
            });
            continue;
        };
        if typed == p.value {
            continue;
        }
        match typed.parse::<Value>() {
            Ok(v @ (Value::Integer(_) | Value::Float(_))) => todo.push((path.clone(), v)),
            _ => errors.push(ParamError {
                path: path.clone(),
                zh: format!(
                    "{}（{}）：“{typed}”不是数字，应为如 1、0.6、15 的数",
                    p.owner, p.key
                ),
                en: format!(
                    "{} ({}): \"{typed}\" is not a number; expected e.g. 1, 0.6, 15",
                    p.owner, p.key
                ),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if todo.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc = text.parse::<DocumentMut>().map_err(|e| {
        vec![ParamError {
            path: String::new(),
            zh: format!("制度文本无法解析：{e}"),
            en: format!("the policy text does not parse: {e}"),
        }]
    })?;
    for (path, v) in todo {
        match slot(doc.as_item_mut(), &segments(&path)) {
            Some(target) => {
                let decor = target.decor().clone();
                *target = v;
                *target.decor_mut() = decor;
            }
            None => {
                return Err(vec![ParamError {
                    zh: format!("制度中没有参数 {path}"),
                    en: format!("the policy has no parameter {path}"),
                    path,
                }])
            }
        }
    }
    Ok(doc.to_string())
}

/// `indicator[1].ratio.zero_below` → [Key(indicator), Index(1), Key(ratio), Key(zero_below)].
enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Seg::Key(rest[..i].to_string()));
            rest = &rest[i..];
            while let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']').unwrap_or(r.len());
                out.push(Seg::Index(r[..end].parse().unwrap_or(usize::MAX)));
                rest = r.get(end + 1..).unwrap_or("");
            }
        } else {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

fn slot<'a>(item: &'a mut Item, segs: &[Seg]) -> Option<&'a mut Value> {
    let Some((first, rest)) = segs.split_first() else {
        return item.as_value_mut();
    };
    match (item, first) {
        (Item::Table(t), Seg::Key(k)) => slot(t.get_mut(k)?, rest),
        (Item::ArrayOfTables(a), Seg::Index(i)) => {
            let t = a.get_mut(*i)?;
            let (k, rest2) = match rest.split_first() {
                Some((Seg::Key(k), r)) => (k, r),
                _ => return None,
            };
            slot(t.get_mut(k)?, rest2)
        }
        (Item::Value(v), _) => value_slot(v, segs),
        _ => None,
    }
}

fn value_slot<'a>(v: &'a mut Value, segs: &[Seg]) -> Option<&'a mut Value> {
    let Some((first, rest)) = segs.split_first() else {
        return Some(v);
    };
    match (v, first) {
        (Value::InlineTable(t), Seg::Key(k)) => value_slot(t.get_mut(k)?, rest),
        (Value::Array(a), Seg::Index(i)) => value_slot(a.get_mut(*i)?, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P4: &str = include_str!("../../../policies/p4-group-sales.toml");

    #[test]
    fn the_p4_line_and_thresholds_are_parameters() {
        let ps = list(P4);
        let bottom = ps.iter().find(|p| p.path == "line.bottom").expect("bottom");
        assert_eq!(
            (bottom.value.as_str(), bottom.rule.as_str()),
            ("1", "P4.12")
        );
        let zb = ps
            .iter()
            .find(|p| p.key == "ratio.zero_below")
            .expect("zero_below");
        assert_eq!(zb.value, "0.6");
        assert_eq!(zb.owner, "日常工作得分");
        assert_eq!(zb.rule, "P4.5");
        assert!(ps.iter().any(|p| p.key == "triggers[0].consecutive"));
        // Metadata, inputs and deadlines are not what-if parameters.
        assert!(!ps.iter().any(|p| p.path.starts_with("input")));
        assert!(!ps.iter().any(|p| p.path.starts_with("process")));
    }

    #[test]
    fn changing_one_number_keeps_everything_else() {
        let out = apply(P4, &[("line.bottom".into(), "2".into())]).expect("apply");
        assert_eq!(out, P4.replace("bottom = 1\n", "bottom = 2\n"));
        let zb = list(P4)
            .into_iter()
            .find(|p| p.key == "ratio.zero_below")
            .expect("zero_below");
        let out = apply(P4, &[(zb.path.clone(), "0.5".into())]).expect("apply");
        assert!(out.contains("zero_below = 0.5 }"), "{out}");
        assert_eq!(out.lines().count(), P4.lines().count());
    }

    #[test]
    fn unchanged_values_give_the_text_back_and_words_are_refused() {
        assert_eq!(
            apply(P4, &[("line.bottom".into(), " 1 ".into())]),
            Ok(P4.into())
        );
        let e = apply(P4, &[("line.bottom".into(), "两".into())]).expect_err("text");
        assert!(e[0].zh.contains("不是数字") && e[0].en.contains("not a number"));
        let e = apply(P4, &[("line.nothing".into(), "1".into())]).expect_err("unknown");
        assert!(e[0].en.contains("no parameter"));
        assert!(list("not = [toml").is_empty());
    }
}
