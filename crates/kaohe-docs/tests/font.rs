//! The embedded font covers the characters Chinese names are written with: every hanzi of
//! GB 2312 and of GBK (GB 18030's two-byte part), and the rare name characters of the tests.

use kaohe_docs::pdf::missing_glyphs;

/// Every hanzi of the two-byte GBK range (lead 0x81–0xFE, trail 0x40–0xFE except 0x7F)
/// whose lead byte is in `leads`.
fn gbk_hanzi(leads: std::ops::RangeInclusive<u8>, trails: std::ops::RangeInclusive<u8>) -> String {
    let mut out = String::new();
    for lead in leads {
        for trail in trails.clone() {
            if trail == 0x7F {
                continue;
            }
            let bytes = [lead, trail];
            let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
            if bad {
                continue;
            }
            out.extend(
                text.chars()
                    .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)),
            );
        }
    }
    out
}

#[test]
fn covers_gb2312_hanzi() {
    // GB 2312 hanzi: rows 0xB0–0xF7, cells 0xA1–0xFE: 6,763 characters.
    let hanzi = gbk_hanzi(0xB0..=0xF7, 0xA1..=0xFE);
    assert_eq!(hanzi.chars().count(), 6763);
    assert_eq!(missing_glyphs(&hanzi), Vec::<char>::new());
}

#[test]
fn covers_gbk_hanzi() {
    let hanzi = gbk_hanzi(0x81..=0xFE, 0x40..=0xFE);
    assert!(hanzi.chars().count() > 20_000, "{}", hanzi.chars().count());
    assert_eq!(missing_glyphs(&hanzi), Vec::<char>::new());
}

#[test]
fn covers_rare_name_characters() {
    assert_eq!(
        missing_glyphs("李喆王堃张赟刘珺陈昇吴玥周㛃"),
        Vec::<char>::new()
    );
}
