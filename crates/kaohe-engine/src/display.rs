//! Display rounding (显示取整): the one rounding rule of kaohe (X2).
//!
//! Values are exact everywhere; they are rounded only when shown or written, half away from
//! zero (as Excel's ROUND), to the policy's decimal places (default 2): 90.585 → 90.59.
//! rust_decimal's own default is banker's rounding (90.585 → 90.58), which the spec forbids.

use rust_decimal::{Decimal, RoundingStrategy};

/// Round for display, half away from zero, and print with exactly `dp` decimals.
pub fn show(value: Decimal, dp: u32) -> String {
    let r = round(value, dp);
    format!("{:.*}", dp as usize, r)
}

/// Round half away from zero to `dp` places (for display and written files only).
pub fn round(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn x2_half_up_not_bankers() {
        // X2: 90.585 shows as 90.59 (banker's rounding would give 90.58).
        assert_eq!(show(Decimal::from_str("90.585").unwrap(), 2), "90.59");
        assert_eq!(show(Decimal::from_str("-4").unwrap(), 2), "-4.00");
        assert_eq!(show(Decimal::from_str("2.5").unwrap(), 0), "3");
        assert_eq!(show(Decimal::from_str("-2.5").unwrap(), 0), "-3");
    }
}
