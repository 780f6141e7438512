//! Exact fractions of whole numbers, for means that compare exactly against thresholds.

use crate::error::Error;
use crate::rubric::model::Rounding;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt;

/// A non-negative fraction `num/den` with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub num: u128,
    pub den: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let r = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = r;
    }
    a
}

const OVERFLOW: Error = Error::Overflow("an exact mean");

impl Ratio {
    /// `num/den`, or `None` when `den` is zero.
    pub fn new(num: u128, den: u128) -> Option<Ratio> {
        (den != 0).then_some(Ratio { num, den })
    }

    /// The fraction in lowest terms.
    pub fn reduced(self) -> Ratio {
        let g = gcd(self.num, self.den).max(1);
        Ratio { num: self.num.checked_div(g).unwrap_or(self.num), den: self.den.checked_div(g).unwrap_or(self.den) }
    }

    /// The exact sum.
    pub fn checked_add(self, o: Ratio) -> Result<Ratio, Error> {
        let den = self.den.checked_mul(o.den).ok_or(OVERFLOW)?;
        let a = self.num.checked_mul(o.den).ok_or(OVERFLOW)?;
        let b = o.num.checked_mul(self.den).ok_or(OVERFLOW)?;
        Ok(Ratio { num: a.checked_add(b).ok_or(OVERFLOW)?, den }.reduced())
    }

    /// This fraction divided by a whole number.
    pub fn checked_div_int(self, k: u128) -> Result<Ratio, Error> {
        if k == 0 {
            return Err(OVERFLOW);
        }
        Ok(Ratio { num: self.num, den: self.den.checked_mul(k).ok_or(OVERFLOW)? }.reduced())
    }

    /// Compares with a non-negative decimal exactly.
    pub fn cmp_decimal(self, t: Decimal) -> Result<Ordering, Error> {
        let m = u128::try_from(t.mantissa()).map_err(|_| OVERFLOW)?;
        let p = 10u128.checked_pow(t.scale()).ok_or(OVERFLOW)?;
        let lhs = self.num.checked_mul(p).ok_or(OVERFLOW)?;
        let rhs = m.checked_mul(self.den).ok_or(OVERFLOW)?;
        Ok(lhs.cmp(&rhs))
    }

    /// The value to 28 significant digits (exact when the fraction terminates).
    pub fn to_decimal_28(self) -> Result<Decimal, Error> {
        let n = Decimal::from_i128_with_scale(i128::try_from(self.num).map_err(|_| OVERFLOW)?, 0);
        let d = Decimal::from_i128_with_scale(i128::try_from(self.den).map_err(|_| OVERFLOW)?, 0);
        n.checked_div(d).ok_or(OVERFLOW)
    }

    /// The value rounded as `r` says.
    pub fn to_decimal(self, r: Rounding) -> Result<Decimal, Error> {
        Ok(r.apply(self.to_decimal_28()?))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::model::RoundingMode;

    #[test]
    fn compares_exactly_where_decimals_would_round() {
        let third = Ratio::new(10, 3).unwrap();
        assert_eq!(third.cmp_decimal(Decimal::new(333_333, 5)).unwrap(), Ordering::Greater);
        let half = Ratio::new(133, 38).unwrap();
        assert_eq!(half.cmp_decimal(Decimal::new(35, 1)).unwrap(), Ordering::Equal);
    }

    #[test]
    fn sums_reduce() {
        let s = Ratio::new(1, 3).unwrap().checked_add(Ratio::new(1, 6).unwrap()).unwrap();
        assert_eq!(s.to_string(), "1/2");
        assert_eq!(s.checked_div_int(2).unwrap().to_string(), "1/4");
    }

    #[test]
    fn rounds_as_told() {
        let r = Ratio::new(3125, 1000).unwrap();
        let up = Rounding { places: 2, mode: RoundingMode::HalfUp };
        let even = Rounding { places: 2, mode: RoundingMode::HalfEven };
        assert_eq!(r.to_decimal(up).unwrap().to_string(), "3.13");
        assert_eq!(r.to_decimal(even).unwrap().to_string(), "3.12");
    }
}
