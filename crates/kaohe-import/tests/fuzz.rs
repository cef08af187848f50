//! No input makes a reader panic: random bytes and randomly mutated valid CSV and XLSX files
//! are fed to every reader; each must return Ok or Err.

mod common;
use common::*;
use kaohe_engine::data::Period;
use kaohe_import::*;
use kaohe_policy::model::Cycle;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

fn all_readers(bytes: &[u8], name: &str) {
    let (p, r) = (policy(), roster());
    let may = Period::month(2024, 5);
    let _ = parse_roster(bytes, name);
    let _ = parse_facts(bytes, name, &p, &r, Some(&may));
    let _ = parse_facts(bytes, name, &p, &r, None);
    let _ = parse_ratings(bytes, name, &p, &r, Some(&may));
    let _ = parse_history(bytes, name, Cycle::Monthly);
    let _ = parse_decisions(bytes, name, Cycle::Quarterly);
}

const FACTS_CSV: &str =
    "标题\n工号,姓名,月份,日常考勤(10分),销售额,套数,电话量,违纪,完成率,合计,备注\n\
E001,张三,2024-05,8,\"1,234\",2,\"1,2,3,4,5\",否,85%,20,x\n\
合计,,,8,1234,2,,,,20,\n";

fn small_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    merge(ws, 0, 0, 0, 4, "标题");
    write_row(
        ws,
        1,
        &[
            C::S("工号"),
            C::S("日常考勤"),
            C::S("销售额"),
            C::S("套数"),
            C::S("期间"),
        ],
    );
    write_row(
        ws,
        2,
        &[
            C::S("E001"),
            C::N(8.0),
            C::S("1,234"),
            C::N(1.0),
            C::S("2024-05"),
        ],
    );
    save(&mut wb)
}

fn mutate(mut b: Vec<u8>, edits: &[(usize, u8)]) -> Vec<u8> {
    for (i, v) in edits {
        if !b.is_empty() {
            let n = b.len();
            b[i % n] = *v;
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        all_readers(&bytes, "x.csv");
        all_readers(&bytes, "x.xlsx");
    }

    #[test]
    fn mutated_csv(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in any::<usize>()) {
        let b = mutate(FACTS_CSV.as_bytes().to_vec(), &edits);
        let cut = cut % (b.len() + 1);
        all_readers(&b[..cut], "f.csv");
        all_readers(&b, "f.csv");
    }

    #[test]
    fn mutated_xlsx(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6), cut in any::<usize>()) {
        let b = mutate(small_xlsx(), &edits);
        all_readers(&b, "f.xlsx");
        let cut = cut % (b.len() + 1);
        all_readers(&b[..cut], "f.xlsx");
    }
}

#[test]
fn valid_fixtures_load() {
    let may = Period::month(2024, 5);
    let f = parse_facts(FACTS_CSV.as_bytes(), "f.csv", &policy(), &roster(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        f[&may]["E001"].typed_total,
        Some(rust_decimal::Decimal::from(20))
    );
    let f = parse_facts(&small_xlsx(), "f.xlsx", &policy(), &roster(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(f[&may].contains_key("E001"));
}

#[test]
fn empty_and_binary_files_are_errors() {
    let p = policy();
    for bytes in [&b""[..], b"\x00\x01\x02binary", b"PK\x03\x04junk"] {
        assert!(parse_facts(bytes, "x.xlsx", &p, &roster(), None).is_err());
        assert!(parse_roster(bytes, "x.csv").is_err());
    }
}

#[test]
fn huge_declared_range_is_cheap() {
    // One cell far down and far right: the grid must not materialise the empty range.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_row(
        ws,
        0,
        &[C::S("工号"), C::S("日常考勤"), C::S("销售额"), C::S("套数")],
    );
    ws.write_string(1_048_000, 16_000, "x")
        .unwrap_or_else(|e| panic!("{e}"));
    let may = Period::month(2024, 5);
    let r = parse_facts(&save(&mut wb), "big.xlsx", &policy(), &roster(), Some(&may));
    // The stray cell is on a row without a person: an error, not a crash or a hang.
    assert!(r.is_err());
}
