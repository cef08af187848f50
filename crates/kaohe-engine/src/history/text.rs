//! Wording of history hits (历史命中文字) in Chinese and English, per assessment cycle.

use kaohe_policy::model::Cycle;

/// English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Period words for one cycle.
pub(crate) struct Unit {
    /// Counted unit, e.g. `个月` in `连续第2个月`.
    pub zh_count: &'static str,
    /// "This period", e.g. `本月`.
    pub zh_this: &'static str,
    /// English singular, e.g. `month`.
    pub en: &'static str,
    /// English "this period".
    pub en_this: &'static str,
}

/// The words for a cycle.
pub(crate) fn unit(cycle: Cycle) -> Unit {
    match cycle {
        Cycle::Monthly => Unit {
            zh_count: "个月",
            zh_this: "本月",
            en: "month",
            en_this: "this month",
        },
        Cycle::Quarterly => Unit {
            zh_count: "个季度",
            zh_this: "本季度",
            en: "quarter",
            en_this: "this quarter",
        },
        Cycle::Annual => Unit {
            zh_count: "年",
            zh_this: "本年度",
            en: "year",
            en_this: "this year",
        },
        Cycle::Once => Unit {
            zh_count: "期",
            zh_this: "本期",
            en: "period",
            en_this: "this period",
        },
    }
}

/// `n month(s)`.
pub(crate) fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .iter()
            .map(|n| ordinal(*n))
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}
