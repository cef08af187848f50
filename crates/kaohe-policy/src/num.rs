//! Exact numbers in policy files (精确数值).
//!
//! A policy number is written as a TOML integer (`70`), a TOML float (`0.6`) or a string
//! (`"0.6"`, `"60%"`). Floats are converted through their shortest decimal text, so `0.6`
//! becomes exactly `0.6`, never `0.59999…`. An empty string is a required parameter left
//! blank (必填参数为空) and is rejected at load with its position (the source text of P4.7 has
//! "超过 %" with the number missing).

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An exact decimal read from a policy file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Num(pub Decimal);

impl Num {
    /// The exact value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Num {
    fn from(d: Decimal) -> Self {
        Num(d)
    }
}

impl From<i64> for Num {
    fn from(i: i64) -> Self {
        Num(Decimal::from(i))
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

/// Parse a number as written by a person: `12`, `-4`, `0.6`, `60%`, full-width digits.
pub fn parse_decimal_text(text: &str) -> Result<Decimal, String> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            '％' => '%',
            '，' | ',' => '\u{0}',
            other => other,
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    if t.is_empty() {
        return Err("required parameter left blank (必填参数为空)".into());
    }
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b.trim(), true),
        None => (t.as_str(), false),
    };
    let d = Decimal::from_str(body)
        .or_else(|_| Decimal::from_scientific(body))
        .map_err(|_| format!("`{text}` is not a number (不是数字)"))?;
    Ok(if percent { d / Decimal::ONE_HUNDRED } else { d })
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number such as 70, 0.6 or \"60%\" (数值)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                if !v.is_finite() {
                    return Err(E::custom("a finite number is required (须为有限数值)"));
                }
                // Shortest round-trip text: 0.6 -> "0.6", exactly as typed.
                parse_decimal_text(&format!("{v}"))
                    .map(Num)
                    .map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                parse_decimal_text(v).map(Num).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Read a date written either as a TOML date (`adopted = 2016-03-01`) or as text
/// (`adopted = "2016-03-01"`).
pub fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
    let v = toml::Value::deserialize(d)?;
    let text = match &v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(date), None) => date.to_string(),
            _ => {
                return Err(de::Error::custom(
                    "expected a date like 2016-03-01 without a time (应为日期，如 2016-03-01)",
                ))
            }
        },
        _ => {
            return Err(de::Error::custom(
                "expected a date like 2016-03-01 (应为日期，如 2016-03-01)",
            ))
        }
    };
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            de::Error::custom(format!(
                "`{text}` is not a date like 2016-03-01 (不是有效日期)"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_exact() {
        let n: Num =
            toml::from_str::<std::collections::BTreeMap<String, Num>>("a = 0.6").unwrap()["a"];
        assert_eq!(n.0, Decimal::from_str("0.6").unwrap());
    }

    #[test]
    fn dates_bare_or_quoted() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "de_date")]
            a: Option<chrono::NaiveDate>,
            #[serde(deserialize_with = "de_date")]
            b: Option<chrono::NaiveDate>,
        }
        let t: T = toml::from_str("a = 2016-03-01\nb = \"2016-04-01\"").unwrap();
        assert_eq!(t.a.unwrap().to_string(), "2016-03-01");
        assert_eq!(t.b.unwrap().to_string(), "2016-04-01");
        assert!(toml::from_str::<T>("a = \"2016-13-01\"\nb = 2016-01-01").is_err());
    }

    #[test]
    fn percent_and_fullwidth() {
        assert_eq!(
            parse_decimal_text("８５%").unwrap(),
            Decimal::from_str("0.85").unwrap()
        );
        assert_eq!(
            parse_decimal_text("1,234.5").unwrap(),
            Decimal::from_str("1234.5").unwrap()
        );
        assert!(parse_decimal_text("").is_err());
        assert!(parse_decimal_text("abc").is_err());
    }
}
