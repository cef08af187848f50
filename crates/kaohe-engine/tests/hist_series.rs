//! End to end through `Engine::evaluate_series`: history rules (P8.6) on the shipped P8
//! policy, block aggregates (P2.7) on the shipped P2 policy, and the escalation ladder
//! (P7.8/P7.9), month by month with each month recorded before the next.

mod core_support;
use core_support::{d, facts, find, n, person, policy};
use kaohe_engine::data::{Mark, Period, PeriodInput};
use kaohe_engine::result::PeriodResult;
use kaohe_engine::{Engine, History, Policy};

fn shipped(name: &str) -> Policy {
    let path = format!("{}/../../policies/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    kaohe_policy::load_str(&text, name).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn ids_where(
    r: &PeriodResult,
    f: impl Fn(&kaohe_engine::result::PersonResult) -> bool,
) -> Vec<String> {
    let mut v: Vec<String> = r
        .people
        .iter()
        .filter(|p| f(p))
        .map(|p| p.id.clone())
        .collect();
    v.sort();
    v
}

/// P8 month: `(id, sales, target)`; people of the roster missing here are absent that month.
fn p8_month(m: u32, rows: &[(&str, &str, Option<&str>)]) -> PeriodInput {
    let people = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|id| {
            let mut p = person(id, "x");
            p.project = Some("琥珀湾".into());
            p.post = Some("置业顾问".into());
            p
        })
        .collect();
    let f = rows
        .iter()
        .map(|(id, s, t)| {
            // Collected differs per person so that no P8.4 tie arises.
            let mut v = vec![("sales", n(s)), ("collected", n(&format!("1{s}")))];
            if let Some(t) = t {
                v.push(("target", n(t)));
            }
            (id.to_string(), facts(&v))
        })
        .collect();
    PeriodInput {
        period: Some(Period::month(2025, m)),
        people,
        facts: f,
        decisions: Vec::new(),
    }
}

#[test]
fn p8_6_six_months_on_the_shipped_policy() {
    let p = shipped("p8-amber-bay.toml");
    let engine = Engine::new(&p).unwrap_or_else(|e| panic!("{e}"));
    let t = Some("100");
    let months = vec![
        // Jan, no targets: bottom two by sales d 60, e 50.
        p8_month(
            1,
            &[
                ("a", "150", None),
                ("b", "140", None),
                ("c", "130", None),
                ("d", "60", None),
                ("e", "50", None),
            ],
        ),
        // Feb: c 70, e 50 → e 2nd in a row → list.
        p8_month(
            2,
            &[
                ("a", "150", None),
                ("b", "140", None),
                ("c", "70", None),
                ("d", "130", None),
                ("e", "50", None),
            ],
        ),
        // Mar, target 100: e met (exempt); c and d missed (2 of 5 = 40 % < 50 %) → line c, d.
        // c: Feb, Mar → 2 in a row → list. d: Jan, Mar → run 1, window 2 → no.
        p8_month(
            3,
            &[
                ("a", "150", t),
                ("b", "120", t),
                ("c", "90", t),
                ("d", "80", t),
                ("e", "110", t),
            ],
        ),
        // Apr: d 55, e 60. d: Mar, Apr → list. e: Mar exempt broke the run → 1, but window
        // Nov..Apr holds Jan, Feb, Apr = 3 → list.
        p8_month(
            4,
            &[
                ("a", "150", None),
                ("b", "140", None),
                ("c", "130", None),
                ("d", "55", None),
                ("e", "60", None),
            ],
        ),
        // May, d absent: c 65, e 60. e: Apr, May → list. c: Feb, Mar, May → 3 in Dec..May → list.
        p8_month(
            5,
            &[
                ("a", "150", None),
                ("b", "140", None),
                ("c", "65", None),
                ("e", "60", None),
            ],
        ),
        // Jun: d 50, c 130. c: May, Jun → list. d: May absent breaks → run 1; window Jan..Jun
        // holds Jan, Mar, Apr, Jun = 4 → list.
        p8_month(
            6,
            &[
                ("a", "150", None),
                ("b", "140", None),
                ("c", "130", None),
                ("d", "50", None),
                ("e", "135", None),
            ],
        ),
    ];
    let (results, history) = engine.evaluate_series(&months, History::default());
    let line: Vec<Vec<String>> = results
        .iter()
        .map(|r| ids_where(r, |p| p.mark == Mark::Line))
        .collect();
    assert_eq!(
        line,
        [
            ["d", "e"],
            ["c", "e"],
            ["c", "d"],
            ["d", "e"],
            ["c", "e"],
            ["c", "d"]
        ]
    );
    let listed: Vec<Vec<String>> = results
        .iter()
        .map(|r| ids_where(r, |p| p.history.iter().any(|h| h.fired)))
        .collect();
    let want: [&[&str]; 6] = [&[], &["e"], &["c"], &["d", "e"], &["c", "e"], &["c", "d"]];
    assert_eq!(listed, want);
    // Texts and counts as a person reads them.
    let e_apr = &find(&results[3], "e").history[0];
    assert_eq!((e_apr.consecutive, e_apr.in_window), (1, 3));
    assert!(
        e_apr
            .zh
            .starts_with("本月进入末位线；近6个月内第3次；触发「列入淘汰名单」（P8.6）"),
        "{}",
        e_apr.zh
    );
    let d_mar = &find(&results[2], "d").history[0];
    assert_eq!(
        (d_mar.fired, d_mar.consecutive, d_mar.in_window),
        (false, 1, 2)
    );
    let d_jun = &find(&results[5], "d").history[0];
    assert_eq!((d_jun.consecutive, d_jun.in_window), (1, 4));
    assert_eq!(find(&results[4], "d").mark, Mark::Absent);
    // Outcomes: a line entry gets the warning letter (improvement); the list asks to resign on
    // the mutual-agreement path, confirmed by the project team, never a termination.
    let e_feb = &find(&results[1], "e").outcomes;
    let got: Vec<(&str, &str)> = e_feb
        .iter()
        .map(|o| (o.id.as_str(), o.because.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("warning_observation", "line"),
            ("ask_to_resign", "history:elimination_list")
        ]
    );
    assert!(!e_feb[0].needs_confirmation && e_feb[1].needs_confirmation);
    let codes: Vec<&str> = e_feb[1].requires.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes[0], "not_termination_ground");
    assert!(codes.contains(&"mutual_agreement_refusable"));
    // The history holds every month of every roster person, absent months included.
    assert_eq!(history.of("d").len(), 6);
    assert_eq!(history.of("d")[4].mark, Mark::Absent);
}

/// P2 month in 2016: `(id, daily_work, violations, units, shared)`.
fn p2_month(m: u32, rows: &[(&str, &str, &str, &str, &str)]) -> PeriodInput {
    let people = rows
        .iter()
        .map(|(id, ..)| {
            let mut p = person(id, "销售部");
            p.post = Some("置业顾问".into());
            p
        })
        .collect();
    let f = rows
        .iter()
        .map(|(id, w, v, u, s)| {
            let vals = [
                ("daily_work", n(w)),
                ("attendance_violations", n(v)),
                ("units_sold", n(u)),
                ("shared_deals", n(s)),
            ];
            (id.to_string(), facts(&vals))
        })
        .collect();
    PeriodInput {
        period: Some(Period::month(2016, m)),
        people,
        facts: f,
        decisions: Vec::new(),
    }
}

fn p2_quarter(c_june_daily_work: &str) -> Vec<PeriodResult> {
    let p = shipped("p2-sales-consultant.toml");
    let engine = Engine::new(&p).unwrap_or_else(|e| panic!("{e}"));
    // Totals = daily work + (10 − 2 × violations, no floor) + 10 × units + 5 × shared (P2.2–P2.5).
    let months = vec![
        // Apr: a 8+10+20 = 38; b 7+8+10+5 = 30; c 9+10 = 19; d 6+(10−14)+10 = 12.
        p2_month(
            4,
            &[
                ("a", "8", "0", "2", "0"),
                ("b", "7", "1", "1", "1"),
                ("c", "9", "0", "0", "0"),
                ("d", "6", "7", "1", "0"),
            ],
        ),
        // May: a 28; b 27; c 9+8+10 = 27; d 8+10+20 = 38.
        p2_month(
            5,
            &[
                ("a", "8", "0", "1", "0"),
                ("b", "7", "0", "1", "0"),
                ("c", "9", "1", "1", "0"),
                ("d", "8", "0", "2", "0"),
            ],
        ),
        // Jun: a 28; b 7+10+5 = 22; c w+10; d 5+8 = 13.
        p2_month(
            6,
            &[
                ("a", "8", "0", "1", "0"),
                ("b", "7", "0", "0", "1"),
                ("c", c_june_daily_work, "0", "0", "0"),
                ("d", "5", "1", "0", "0"),
            ],
        ),
    ];
    engine.evaluate_series(&months, History::default()).0
}

#[test]
fn p2_7_quarter_from_2016_04_on_the_shipped_policy() {
    // c's June daily work 5 → June total 15. Sums: a 94, b 79, c 19+27+15 = 61, d 12+38+13 = 63.
    let r = p2_quarter("5");
    assert!(r[0].aggregates.is_empty() && r[1].aggregates.is_empty());
    let q = &r[2].aggregates[0];
    assert_eq!(q.periods, ["2016-04", "2016-05", "2016-06"]);
    assert_eq!(q.proposed, ["c"]);
    assert_eq!(q.sums[0], ("c".to_string(), d("61")));
    assert_eq!(q.sums[1], ("d".to_string(), d("63")));
    let o = &find(&r[2], "c").outcomes;
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].because, "aggregate:quarterly_proposal");
    assert!(o[0].needs_confirmation);
    // c's June daily work 7 → c 63 = d 63: an exact tie at the boundary → a person decides.
    let r = p2_quarter("7");
    let q = &r[2].aggregates[0];
    assert!(q.proposed.is_empty());
    assert_eq!(q.tied, ["c", "d"]);
    assert!(find(&r[2], "c").outcomes.is_empty());
}

#[test]
fn p7_8_ladder_and_p7_9_recovery_through_the_engine() {
    // Bottom 1 by sales; x is last in Jan–Apr, clear in May (w is last), last again in Jun.
    // Counts 1, 2, 3, 4 (step 3 is the top), May resets with recovery, Jun starts at 1.
    let p = policy(
        r#"
[[input]]
id = "s"
name = "销售额"
type = "decimal"
[[indicator]]
id = "score"
name = "得分"
value = { input = "s" }
[ranking]
by = "score"
[line]
bottom = 1
[ladder]
rule = "P7.8"
steps = [{ at = 1, outcome = "observation" }, { at = 2, outcome = "pay_cut" }, { at = 3, outcome = "transfer" }]
recovery_outcome = "restore"
[outcome.observation]
name = "留岗察看"
measure = "observation"
legal_path = "improvement"
[outcome.pay_cut]
name = "岗位工资减半"
measure = "pay_change"
legal_path = "adjustment"
pay_change_percent = -50
[outcome.transfer]
name = "调岗"
measure = "transfer"
legal_path = "adjustment"
[outcome.restore]
name = "恢复原岗原薪"
measure = "restore"
legal_path = "adjustment"
"#,
    );
    let engine = Engine::new(&p).unwrap_or_else(|e| panic!("{e}"));
    let months: Vec<PeriodInput> = (1..=6)
        .map(|m| {
            let (x, w) = if m == 5 { ("90", "10") } else { ("10", "90") };
            let vals = [("v", "50"), ("w", w), ("x", x)];
            PeriodInput {
                period: Some(Period::month(2024, m)),
                people: vals.iter().map(|(id, _)| person(id, "一部")).collect(),
                facts: vals
                    .iter()
                    .map(|(id, s)| (id.to_string(), facts(&[("s", n(s))])))
                    .collect(),
                decisions: Vec::new(),
            }
        })
        .collect();
    let (results, history) = engine.evaluate_series(&months, History::default());
    let x: Vec<(u32, Option<u32>, bool, Vec<String>)> = results
        .iter()
        .map(|r| {
            let me = find(r, "x");
            let (c, s, rec) = me
                .ladder
                .as_ref()
                .map_or((0, None, false), |l| (l.count, l.step, l.recovered));
            (
                c,
                s,
                rec,
                me.outcomes.iter().map(|o| o.id.clone()).collect(),
            )
        })
        .collect();
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        x,
        [
            (1, Some(1), false, v(&["observation"])),
            (2, Some(2), false, v(&["pay_cut"])),
            (3, Some(3), false, v(&["transfer"])),
            (4, Some(3), false, v(&["transfer"])),
            (0, None, true, v(&["restore"])),
            (1, Some(1), false, v(&["observation"])),
        ]
    );
    // The records keep the count for audit.
    let counts: Vec<u32> = history.of("x").iter().map(|r| r.ladder_count).collect();
    assert_eq!(counts, [1, 2, 3, 4, 0, 1]);
}
