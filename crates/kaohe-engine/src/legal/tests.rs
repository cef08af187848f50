//! Catalogue sanity: unique codes, every text present in both languages.

use super::catalogue;
use std::collections::BTreeSet;

#[test]
fn catalogue_codes_unique_and_texts_present() {
    let codes: Vec<&str> = catalogue::codes().collect();
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), unique.len());
    for c in codes {
        let r = catalogue::get(c).unwrap_or_else(|| panic!("{c}"));
        assert!(
            !r.article.is_empty() && !r.zh.is_empty() && !r.en.is_empty(),
            "{c}"
        );
    }
    assert!(catalogue::get("no_such_code").is_none());
}
