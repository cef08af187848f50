//! One test per validation error: each asserts the line and column reported and that the
//! message names the offending thing. The base policy `fixtures/base.toml` is valid; each test
//! changes one thing in it. Expected positions are those of the changed text in the file
//! (found with `at`, counted from 1 like an editor does).

use kaohe_policy::{load_str, PolicyError};

const BASE: &str = include_str!("fixtures/base.toml");

/// 1-based (line, column) of the first occurrence of `needle` in `text`.
fn at(text: &str, needle: &str) -> (usize, usize) {
    // Needles starting with `outcome = ` name tables appended at the end: take the last one,
    // and point at the value after `outcome = `.
    let (off, skip) = match needle.strip_prefix("outcome = ") {
        Some(_) => (text.rfind(needle), "outcome = ".len()),
        None => (text.find(needle), 0),
    };
    let off = off.unwrap_or_else(|| panic!("`{needle}` not in text")) + skip;
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

fn errors(text: &str) -> Vec<PolicyError> {
    match load_str(text, "t.toml") {
        Ok(_) => panic!("expected errors, the policy loaded"),
        Err(e) => e,
    }
}

/// Exactly one error, at the position of `needle`, whose messages contain `named`.
fn one_at(text: &str, needle: &str, named: &str) -> PolicyError {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = errs.into_iter().next().unwrap_or_else(|| unreachable!());
    assert_eq!((e.line, e.column), at(text, needle), "position of {e:#?}");
    assert!(
        e.zh.contains(named) && e.en.contains(named),
        "{e:#?} should name `{named}`"
    );
    assert_eq!(e.file, "t.toml");
    e
}

fn replace(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "`{from}` not in base");
    BASE.replacen(from, to, 1)
}

#[test]
fn base_is_valid() {
    let p = load_str(BASE, "t.toml").unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(p.indicators.len(), 4);
}

#[test]
fn syntax_error_has_position() {
    let t = replace("bottom = 1", "bottom = = 1");
    let e = errors(&t);
    assert_eq!(e[0].line, at(&t, "bottom = =").0);
    assert!(e[0].en.contains("TOML syntax error"));
}

#[test]
fn unknown_key_is_named() {
    let t = replace("per = 2 }", "per = 2, flor = 0 }");
    let e = one_at(&t, "flor", "flor");
    assert!(e.zh.contains("未知的键"), "{e:#?}");
    assert!(
        e.hint.unwrap_or_default().contains("floor"),
        "hint lists allowed keys"
    );
}

#[test]
fn missing_key_is_named() {
    let t = replace("every = 3\n", "");
    let e = errors(&t);
    assert_eq!(e.len(), 1);
    assert!(e[0].en.contains("`every`"), "{e:#?}");
    assert_eq!(
        e[0].line,
        at(&t, "[[aggregate]]").0,
        "points at the aggregate table"
    );
}

#[test]
fn blank_required_number() {
    // P4.7 "超过 %": the number is missing in the source text.
    let t = replace("per = 2 }", "per = \"\" }");
    let e = one_at(&t, "\"\" }", "");
    assert!(
        e.zh.contains("必填参数为空") && e.en.contains("left blank"),
        "{e:#?}"
    );
}

#[test]
fn indicator_needs_exactly_one_block() {
    let t = replace(
        "deduct = { input = \"violations\", start = 10, per = 2 }",
        "deduct = { input = \"violations\", start = 10, per = 2 }\nvalue = { input = \"violations\" }",
    );
    let e = one_at(&t, "[[indicator]]\nid = \"attendance\"", "attendance");
    assert!(e.en.contains("deduct") && e.en.contains("value"));
    let t = replace(
        "deduct = { input = \"violations\", start = 10, per = 2 }",
        "",
    );
    one_at(&t, "[[indicator]]\nid = \"attendance\"", "attendance");
}

#[test]
fn undeclared_input() {
    let t = replace("input = \"violations\"", "input = \"violation\"");
    one_at(&t, "\"violation\"", "violation");
}

#[test]
fn undeclared_indicator_in_sum() {
    let t = replace("\"attendance\", \"sales\"]", "\"attendence\", \"sales\"]");
    one_at(&t, "\"attendence\"", "attendence");
}

#[test]
fn undeclared_outcome() {
    let t = replace("outcome = \"observe\"", "outcome = \"observ\"");
    one_at(&t, "\"observ\"", "observ");
}

#[test]
fn ranking_by_undeclared() {
    let t = replace("by = \"total\"", "by = \"totl\"");
    one_at(&t, "\"totl\"", "totl");
}

#[test]
fn duplicate_id() {
    let t = format!("{BASE}\n[[input]]\nid = \"units\"\nname = \"又一个\"\ntype = \"integer\"\n");
    let e = one_at(&t, "\"units\"\nname = \"又一个\"", "units");
    assert!(e.en.contains("duplicate"));
}

#[test]
fn id_shadows_roster_field() {
    let t = format!("{BASE}\n[[input]]\nid = \"branch\"\nname = \"分公司\"\ntype = \"text\"\n");
    let e = one_at(&t, "\"branch\"\nname", "branch");
    assert!(e.en.contains("shadows"));
}

#[test]
fn cycle_between_indicators_reports_path() {
    // total = work + attendance + sales; make work a formula over total: work → total → work.
    let t = replace(
        "rated = { input = \"daily\", min = 0, max = 10 }",
        "formula = { expr = \"total * 0.5\" }",
    );
    let e = one_at(&t, "[[indicator]]\nid = \"work\"", "work → total → work");
    assert!(e.en.contains("cycle"));
}

#[test]
fn weights_not_100_rejected_unless_normalised() {
    // P7.3: 30 + 40 + 40 = 110.
    let extra = "\n[[input]]\nid = \"ratings\"\nname = \"评分\"\ntype = \"ratings\"\n\n[[indicator]]\nid = \"rated_total\"\nname = \"评分\"\nraters = { input = \"ratings\", groups = [{ group = \"同事\", weight = 30, order = 1 }, { group = \"部门负责人\", weight = 40, order = 2 }, { group = \"副总\", weight = 40, order = 3 }] }\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "{ input = \"ratings\"", "110");
    assert!(e.hint.unwrap_or_default().contains("normalise = true"));
    let ok = t.replace("order = 3 }] }", "order = 3 }], normalise = true }");
    assert!(load_str(&ok, "t.toml").is_ok());
}

#[test]
fn weighted_weights_not_100() {
    let t = replace(
        "sum = { parts = [\"work\", \"attendance\", \"sales\"] }",
        "weighted = { parts = [{ indicator = \"work\", weight = 40 }, { indicator = \"sales\", weight = 50 }] }",
    );
    one_at(&t, "{ parts = [{ indicator", "90");
}

#[test]
fn raters_input_must_be_ratings() {
    let extra = "\n[[indicator]]\nid = \"r\"\nname = \"评分\"\nraters = { input = \"daily\", groups = [{ group = \"同事\", weight = 100, order = 1 }] }\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "\"daily\", groups", "daily");
    assert!(e.en.contains("ratings"));
}

#[test]
fn count_below_input_must_be_series() {
    let extra = "\n[[indicator]]\nid = \"low_days\"\nname = \"未达标天数\"\ncount_below = { input = \"units\", below = 10 }\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "\"units\", below", "units");
    assert!(e.en.contains("series"));
}

#[test]
fn percent_quota_needs_rounding() {
    let t = replace("bottom = 1\n", "bottom_percent = 10\n");
    let e = one_at(&t, "10\noutcome", "rounding");
    assert!(e.hint.unwrap_or_default().contains("nearest"));
}

#[test]
fn percent_quota_out_of_range() {
    let t = replace("bottom = 1\n", "bottom_percent = 120\nrounding = \"up\"\n");
    one_at(&t, "120", "120");
}

#[test]
fn bottom_and_percent_both() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\nbottom_percent = 10\nrounding = \"up\"\n",
    );
    one_at(&t, "10\nrounding", "bottom_percent");
}

#[test]
fn line_without_quota() {
    let t = replace("bottom = 1\n", "");
    one_at(&t, "[line]", "bottom");
}

#[test]
fn bottom_zero() {
    let t = replace("bottom = 1\n", "bottom = 0\n");
    one_at(&t, "0\noutcome", "bottom");
}

const HISTORY: &str =
    "\n[[history]]\nid = \"h\"\nname = \"连续\"\ntriggers = [TRIGGER]\noutcome = \"observe\"\n";

#[test]
fn history_k_greater_than_n() {
    // P8.6 written as 7 times within 6 months: impossible.
    let t = format!(
        "{BASE}{}",
        HISTORY.replace("TRIGGER", "{ times = 7, within = 6 }")
    );
    let e = one_at(&t, "7, within", "7");
    assert!(e.en.contains("within 6"));
}

#[test]
fn history_trigger_one_form() {
    let t = format!(
        "{BASE}{}",
        HISTORY.replace("TRIGGER", "{ consecutive = 2, times = 3, within = 6 }")
    );
    let e = errors(&t);
    assert!(
        e.iter().all(|e| e.line == at(&t, "{ consecutive").0),
        "{e:#?}"
    );
    assert!(e.iter().any(|e| e.en.contains("exactly one form")));
}

#[test]
fn history_zero_window() {
    let t = format!(
        "{BASE}{}",
        HISTORY.replace("TRIGGER", "{ consecutive = 0 }")
    );
    one_at(&t, "0 }]", "consecutive");
}

#[test]
fn ladder_steps_increase_from_one() {
    let t = format!("{BASE}\n[ladder]\nsteps = [{{ at = 1, outcome = \"observe\" }}, {{ at = 1, outcome = \"observe\" }}]\n");
    let e = errors(&t);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].en.contains("strictly increase"));
    assert_eq!(e[0].line, at(&t, "[ladder]").0 + 1);
    assert_eq!(e[0].column, 50, "the second step's `at` value: {e:#?}");
}

const GRADE: &str =
    "\n[[indicator]]\nid = \"g\"\nname = \"等级\"\ngrade = { of = \"total\", bands = [BANDS] }\n";

#[test]
fn grade_bands_gap() {
    let t = format!(
        "{BASE}{}",
        GRADE.replace(
            "BANDS",
            "{ to = 60, label = \"差\" }, { from = 70, label = \"好\" }"
        )
    );
    let e = one_at(&t, "70, label", "60");
    assert!(e.en.contains("gap") && e.en.contains("70"));
}

#[test]
fn grade_bands_overlap() {
    let t = format!(
        "{BASE}{}",
        GRADE.replace(
            "BANDS",
            "{ to = 60, label = \"差\" }, { from = 50, label = \"好\" }"
        )
    );
    let e = one_at(&t, "50, label", "50");
    assert!(e.en.contains("overlap"));
}

#[test]
fn grade_open_end_in_middle() {
    let t = format!(
        "{BASE}{}",
        GRADE.replace("BANDS", "{ to = 60, label = \"差\" }, { from = 60, label = \"中\" }, { from = 80, label = \"好\" }")
    );
    let e = one_at(&t, "{ from = 60, label = \"中\" }", "to");
    assert!(e.en.contains("only the last band"));
}

#[test]
fn input_min_greater_than_max() {
    let t = replace("min = 0\nmax = 10", "min = 10\nmax = 0");
    one_at(&t, "10\nmax", "10");
}

#[test]
fn rated_min_greater_than_max() {
    let t = replace("min = 0, max = 10 }", "min = 10, max = 0 }");
    one_at(&t, "10, max", "10");
}

#[test]
fn ratio_zero_below_out_of_range() {
    // P4.5 writes 60 %: as a ratio that is 0.6, not 60.
    let extra = "\n[[input]]\nid = \"target\"\nname = \"任务\"\ntype = \"integer\"\n\n[[indicator]]\nid = \"done\"\nname = \"完成率\"\nratio = { actual = \"units\", target = \"target\", weight = 15, zero_below = 60 }\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "60 }", "zero_below");
    assert!(e.hint.unwrap_or_default().contains("0.6"));
}

#[test]
fn period_must_fit_cycle() {
    let t = replace("start = \"2016-04\"", "start = \"2016-4\"");
    one_at(&t, "\"2016-4\"", "2016-4");
    let t = replace("anchor = \"2016-04\"", "anchor = \"2016-13\"");
    one_at(&t, "\"2016-13\"", "2016-13");
}

#[test]
fn condition_one_form() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\ncandidates = { var = \"units\", op = \"<\", value = 1, all = [] }\n",
    );
    let e = errors(&t);
    assert!(
        e.iter().any(|e| e.en.contains("exactly one form")),
        "{e:#?}"
    );
    assert!(e.iter().all(|e| e.line == at(&t, "candidates").0));
}

#[test]
fn comparison_needs_value() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\ncandidates = { var = \"units\", op = \"<\" }\n",
    );
    let e = one_at(&t, "{ var = \"units\"", "<");
    assert!(e.en.contains("value"));
}

#[test]
fn membership_needs_values() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\ncandidates = { var = \"status\", op = \"in\" }\n",
    );
    one_at(&t, "{ var = \"status\"", "values");
}

#[test]
fn condition_undeclared_var() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\ncandidates = { var = \"unit\", op = \"<\", value = 1 }\n",
    );
    one_at(&t, "\"unit\"", "unit");
}

#[test]
fn k_of_n_impossible() {
    let t = replace(
        "bottom = 1\n",
        "bottom = 1\ncandidates = { at_least = 3, of = [{ var = \"units\", op = \"<\", value = 1 }] }\n",
    );
    one_at(&t, "3, of", "3");
}

#[test]
fn formula_unknown_variable() {
    let t = replace(
        "rated = { input = \"daily\", min = 0, max = 10 }",
        "formula = { expr = \"daily * 0.4 + speach * 0.6\" }",
    );
    let e = one_at(&t, "\"daily * 0.4", "speach");
    assert!(e.en.contains("offset 14"), "{e:#?}");
}

#[test]
fn level_change_undeclared_level() {
    let extra = "\n[levels]\norder = [{ id = \"junior\", name = \"初级\" }, { id = \"middle\", name = \"中级\" }]\nchange = [{ from = \"junior\", to = \"senior\", when = { var = \"rank\", op = \"<=\", value = 3 } }]\n";
    let t = format!("{BASE}{extra}");
    one_at(&t, "\"senior\"", "senior");
}

#[test]
fn every_problem_is_reported() {
    let t = replace("input = \"violations\"", "input = \"x1\"");
    let t = t.replace("input = \"units\"", "input = \"x2\"");
    let t = t.replace("by = \"total\"", "by = \"x3\"");
    let e = errors(&t);
    assert_eq!(e.len(), 3, "{e:#?}");
}

// Labour law (LABOUR-LAW.md gates 1 and 7).

#[test]
fn line_outcome_may_not_be_misconduct() {
    let t = replace(
        "name = \"观察\"\nmeasure = \"observation\"\nlegal_path = \"improvement\"",
        "name = \"观察\"\nmeasure = \"observation\"\nlegal_path = \"misconduct\"",
    );
    let e = one_at(&t, "\"observe\"\n\n[[aggregate]]", "observe");
    assert!(e.en.contains("Art. 39"));
}

#[test]
fn line_outcome_may_not_be_incompetence() {
    let t = replace(
        "legal_path = \"improvement\"",
        "legal_path = \"incompetence\"",
    );
    let e = one_at(&t, "\"observe\"\n\n[[aggregate]]", "incompetence");
    assert!(e.hint.unwrap_or_default().contains("[ladder]"));
}

#[test]
fn aggregate_outcome_may_not_be_probation() {
    let t = replace("legal_path = \"decision\"", "legal_path = \"probation\"");
    one_at(&t, "\"propose\"\n\n[outcome", "probation");
}

#[test]
fn history_outcome_may_be_incompetence() {
    let t = format!(
        "{BASE}{}\n[outcome.dismiss]\nname = \"不胜任\"\nmeasure = \"elimination_list\"\nlegal_path = \"incompetence\"\n",
        HISTORY.replace("TRIGGER", "{ consecutive = 2 }").replace("outcome = \"observe\"", "outcome = \"dismiss\"")
    );
    assert!(load_str(&t, "t.toml").is_ok());
}

#[test]
fn veto_must_be_misconduct() {
    let extra = "\n[[input]]\nid = \"fraud\"\nname = \"套现\"\ntype = \"yes_no\"\n\n[[veto]]\nid = \"cashout\"\nname = \"套现\"\nrule = \"P4.8\"\nwhen = { var = \"fraud\", op = \"is_true\" }\noutcome = \"observe\"\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "outcome = \"observe\"\n", "cashout");
    assert!(e.en.contains("misconduct"));
}

#[test]
fn probation_gate_outcome() {
    let extra = "\n[population]\ninclude = { var = \"status\", op = \"in\", values = [\"试用期\"] }\n\n[[gate]]\nid = \"late\"\nname = \"迟到\"\nfails_when = { var = \"violations\", op = \">\", value = 0 }\noutcome = \"propose\"\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "outcome = \"propose\"\n", "late");
    assert!(e.en.contains("Art. 21"));
}

#[test]
fn labour_checks_off_when_jurisdiction_none() {
    let t = replace(
        "legal_path = \"improvement\"",
        "legal_path = \"misconduct\"",
    )
    .replace(
        "cycle = \"monthly\"",
        "cycle = \"monthly\"\njurisdiction = \"none\"",
    );
    assert!(load_str(&t, "t.toml").is_ok());
}

#[test]
fn negative_weights_caps_and_points_are_refused() {
    // A negative weight would make a better figure score lower, silently.
    let extra = "\n[[input]]\nid = \"target\"\nname = \"任务\"\ntype = \"integer\"\n\n[[indicator]]\nid = \"done\"\nname = \"完成率\"\nratio = { actual = \"units\", target = \"target\", weight = -15 }\n";
    let t = format!("{BASE}{extra}");
    let e = one_at(&t, "-15 }", "-15");
    assert!(e.zh.contains("负数") && e.en.contains("negative"));
}

#[test]
fn display_decimals_are_bounded() {
    let t = BASE.to_string();
    let t = if t.contains("decimals = ") {
        t.replacen("decimals = 1\n", "decimals = 255\n", 1)
            .replacen("decimals = 2\n", "decimals = 255\n", 1)
    } else {
        t.replacen("[policy]\n", "[policy]\ndecimals = 255\n", 1)
    };
    let e = one_at(&t, "255", "255");
    assert!(e.en.contains("at most"));
}
