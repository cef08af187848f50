//! The built `kaohe` binary on hostile inputs (helper X's break session): each must exit
//! non-zero, never panic, and name the row and column (or line and column) of the problem.
//! Files are written to a fresh temporary folder; the shipped P8 policy is used as is.

use std::path::{Path, PathBuf};
use std::process::Command;

const P8: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../policies/p8-amber-bay.toml"
);
const ROSTER: &str = "工号,姓名,项目,岗位,入职日期,状态\n\
A1,张三,甲,置业顾问,2020-01-01,转正\n\
A2,李四,甲,置业顾问,2020-01-01,转正\n\
A3,王五,甲,置业顾问,2020-01-01,转正\n";
const HEAD: &str = "工号,月份,销售额,销售任务,回款,工作量完成率\n";

/// A fresh folder for one test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kaohe-break-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

/// Run kaohe; returns (exit code, stdout, stderr).
fn kaohe(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run P8 on a facts file; assert failure without panic and that stderr has every `needles`.
fn refused(name: &str, facts: &str, needles: &[&str]) {
    let d = dir(name);
    let roster = write(&d, "roster.csv", ROSTER);
    let facts = write(&d, "facts.csv", facts);
    let out = d.join("out.json");
    let s = |p: &Path| p.display().to_string();
    let (code, _, err) = kaohe(&[
        "run",
        "--policy",
        P8,
        "--roster",
        &s(&roster),
        "--facts",
        &s(&facts),
        "--format",
        "json",
        "-o",
        &s(&out),
    ]);
    assert_eq!(code, 1, "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: `{n}` not in: {err}");
    }
    assert!(!out.exists(), "{name}: output written despite the error");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn chinese_numeral_in_a_number_cell() {
    refused(
        "shi",
        &format!("{HEAD}A1,2025-03,十,200,50,80%\nA2,2025-03,150,100,60,80%\n"),
        &[
            "第2行 C列",
            "row 2 column C",
            "\"十\"",
            "expected a decimal",
        ],
    );
}

#[test]
fn na_dash_and_overflow_are_errors_not_zero() {
    refused(
        "na",
        &format!(
            "{HEAD}A1,2025-03,N/A,200,50,80%\nA2,2025-03,—,100,60,80%\nA3,2025-03,1e400,100,60,80%\n"
        ),
        &["row 2 column C", "row 3 column C", "row 4 column C", "\"N/A\"", "\"—\"", "\"1e400\""],
    );
}

#[test]
fn negative_amount_names_the_bound() {
    refused(
        "neg",
        &format!("{HEAD}A1,2025-03,100,200,-5,80%\n"),
        &["row 2 column E", "\"-5\"", "expected ≥ 0"],
    );
}

#[test]
fn unquoted_thousands_comma_shifts_nothing() {
    refused(
        "comma",
        &format!("{HEAD}A1,2025-03,1,234,200,50,80%\n"),
        &["row 2 column G", "7 fields"],
    );
}

#[test]
fn missing_required_value_and_unknown_person() {
    refused(
        "missing",
        &format!("{HEAD}A1,2025-03,,200,50,80%\nZ9,2025-03,1,1,1,1\n"),
        &[
            "row 2 column C",
            "missing required value",
            "row 3 column A",
            "\"Z9\"",
        ],
    );
}

#[test]
fn same_person_twice_in_a_month() {
    refused(
        "dup",
        &format!("{HEAD}A1,2025-03,100,200,50,80%\nA1,2025-03,100,200,50,80%\n"),
        &["row 3 column A", "already at row 2"],
    );
}

#[test]
fn binary_garbage_named_csv() {
    let d = dir("garbage");
    let roster = write(&d, "roster.csv", ROSTER);
    let facts = d.join("facts.csv");
    // A zip that is no workbook, named .csv: recognised by its first bytes.
    std::fs::write(&facts, b"PK\x03\x04\x14\x00garbage").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = kaohe(&[
        "run",
        "--policy",
        P8,
        "--roster",
        &roster.display().to_string(),
        "--facts",
        &facts.display().to_string(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("facts.csv") && err.contains("not a valid Excel workbook"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_policies_name_line_column_and_hint() {
    let d = dir("policy");
    let base = std::fs::read_to_string(P8).unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        // (file, edit from, edit to, expected text)
        (
            "blank.toml",
            "bottom = 2",
            "bottom = \"\"",
            "required parameter left blank",
        ),
        (
            "typo.toml",
            "bottom = 2",
            "bottom = 2\nflor = 3",
            "unknown key `flor`",
        ),
        (
            "incompetence.toml",
            "legal_path = \"improvement\"",
            "legal_path = \"incompetence\"",
            "no termination reason",
        ),
    ];
    for (file, from, to, want) in cases {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{file}: edit did not apply");
        let p = write(&d, file, &text);
        let (code, _, err) = kaohe(&["policy", "check", &p.display().to_string()]);
        assert_eq!(code, 1, "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert!(err.contains(want), "{file}: {err}");
        // file:line:column: … then the hint on its own line.
        assert!(err.contains(&format!("{file}:")), "{file}: {err}");
        assert!(err.contains("hint:"), "{file}: no hint: {err}");
    }
    // A TOML bomb: deeply nested arrays.
    let bomb = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let p = write(&d, "bomb.toml", &bomb);
    let (code, _, err) = kaohe(&["policy", "check", &p.display().to_string()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        !err.contains("panicked") && err.contains("bomb.toml:1:"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}
