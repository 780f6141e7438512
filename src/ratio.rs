//! Exact fractions of whole numbers, for means that compare exactly against thresholds.

use crate::error::Error;
use crate::rubric::model::{Rounding, RoundingMode};
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
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        return u128::from(gcd64(x, y));
    }
    while b != 0 {
        let r = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = r;
    }
    a
}

/// [`gcd`] in 64-bit arithmetic: scoring's fractions are small, and 128-bit division is a
/// slow library call.
fn gcd64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let r = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = r;
    }
    a
}

/// `a / b` (`None` when `b` is zero), in 64-bit arithmetic when both fit.
fn div(a: u128, b: u128) -> Option<u128> {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(x), Ok(y)) => x.checked_div(y).map(u128::from),
        _ => a.checked_div(b),
    }
}

const OVERFLOW: Error = Error::Overflow("an exact mean");

/// [`OVERFLOW`], made only when it is returned (an `Error` has drop glue).
fn overflow() -> Error {
    OVERFLOW
}

impl Ratio {
    /// `num/den`, or `None` when `den` is zero.
    pub fn new(num: u128, den: u128) -> Option<Ratio> {
        (den != 0).then_some(Ratio { num, den })
    }

    /// The fraction in lowest terms.
    pub fn reduced(self) -> Ratio {
        let g = gcd(self.num, self.den).max(1);
        Ratio { num: div(self.num, g).unwrap_or(self.num), den: div(self.den, g).unwrap_or(self.den) }
    }

    /// The mean of `fractions`, in lowest terms; `None` when there are none. The sum is
    /// kept over the product of the denominators and brought to lowest terms once (and on
    /// the way only when the denominator outgrows 64 bits), which gives the same fraction as
    /// adding in lowest terms at every step.
    pub fn mean_of(fractions: impl Iterator<Item = Ratio>) -> Result<Option<Ratio>, Error> {
        let mut acc: Option<Ratio> = None;
        let mut k: u128 = 0;
        for f in fractions {
            acc = Some(match acc {
                None => f,
                Some(a) => {
                    let num = a.num.checked_mul(f.den).and_then(|x| x.checked_add(f.num.checked_mul(a.den)?)).ok_or_else(overflow)?;
                    let sum = Ratio { num, den: a.den.checked_mul(f.den).ok_or_else(overflow)? };
                    if u64::try_from(sum.den).is_ok() { sum } else { sum.reduced() }
                }
            });
            k = k.checked_add(1).ok_or_else(overflow)?;
        }
        acc.map(|a| a.checked_div_int(k)).transpose()
    }

    /// This fraction divided by a whole number.
    pub fn checked_div_int(self, k: u128) -> Result<Ratio, Error> {
        if k == 0 {
            return Err(OVERFLOW);
        }
        Ok(Ratio { num: self.num, den: self.den.checked_mul(k).ok_or_else(overflow)? }.reduced())
    }

    /// Compares with another fraction exactly (an error, never a guess, when the cross
    /// products overflow).
    pub fn cmp_ratio(self, other: Ratio) -> Result<Ordering, Error> {
        let lhs = self.num.checked_mul(other.den).ok_or_else(overflow)?;
        let rhs = other.num.checked_mul(self.den).ok_or_else(overflow)?;
        Ok(lhs.cmp(&rhs))
    }

    /// Compares with a non-negative decimal exactly.
    pub fn cmp_decimal(self, t: Decimal) -> Result<Ordering, Error> {
        // Scores and thresholds are small: 64-bit factors, one widening product each.
        if let (Ok(num), Ok(den), Ok(m), Some(p)) =
            (u64::try_from(self.num), u64::try_from(self.den), u64::try_from(t.mantissa()), crate::decimal::pow10(t.scale()))
        {
            let lhs = u128::from(num).checked_mul(u128::from(p)).ok_or_else(overflow)?;
            let rhs = u128::from(m).checked_mul(u128::from(den)).ok_or_else(overflow)?;
            return Ok(lhs.cmp(&rhs));
        }
        let m = u128::try_from(t.mantissa()).map_err(|_| OVERFLOW)?;
        let p = 10u128.checked_pow(t.scale()).ok_or_else(overflow)?;
        let lhs = self.num.checked_mul(p).ok_or_else(overflow)?;
        let rhs = m.checked_mul(self.den).ok_or_else(overflow)?;
        Ok(lhs.cmp(&rhs))
    }

    /// How far this fraction falls below the non-negative decimal `t`, in lowest terms;
    /// `None` when it does not fall below.
    pub fn gap_below(self, t: Decimal) -> Result<Option<Ratio>, Error> {
        if self.cmp_decimal(t)? != Ordering::Less {
            return Ok(None);
        }
        let m = u128::try_from(t.mantissa()).map_err(|_| OVERFLOW)?;
        let p = 10u128.checked_pow(t.scale()).ok_or_else(overflow)?;
        let lhs = m.checked_mul(self.den).ok_or_else(overflow)?;
        let rhs = self.num.checked_mul(p).ok_or_else(overflow)?;
        let num = lhs.checked_sub(rhs).ok_or_else(overflow)?;
        Ok(Some(Ratio { num, den: p.checked_mul(self.den).ok_or_else(overflow)? }.reduced()))
    }

    /// The value to 28 significant digits (exact when the fraction terminates).
    pub fn to_decimal_28(self) -> Result<Decimal, Error> {
        let n = Decimal::from_i128_with_scale(i128::try_from(self.num).map_err(|_| OVERFLOW)?, 0);
        let d = Decimal::from_i128_with_scale(i128::try_from(self.den).map_err(|_| OVERFLOW)?, 0);
        n.checked_div(d).ok_or_else(overflow)
    }

    /// The value rounded as `r` says.
    pub fn to_decimal(self, r: Rounding) -> Result<Decimal, Error> {
        match self.round_small(r) {
            Some(d) => Ok(d),
            None => Ok(r.apply(self.to_decimal_28()?)),
        }
    }

    /// [`Ratio::to_decimal`] in whole-number arithmetic, for the fractions scoring makes
    /// (small numerators and denominators); `None` sends larger ones the decimal way.
    ///
    /// It gives the same value and scale as dividing to 28 digits and then rounding: with
    /// `den <= 10^12` and at most 10 places, a fraction that is not itself on a rounding
    /// boundary lies at least `1/(2 * 10^places * den) >= 5e-23` from the nearest one, far
    /// more than the division's error (below `1e-24` for values under `10^4`), and one that
    /// is on a boundary terminates within 11 places and divides exactly.
    fn round_small(self, r: Rounding) -> Option<Decimal> {
        const MAX_DEN: u128 = 1_000_000_000_000;
        const MAX_NUM: u128 = 10_000 * MAX_DEN;
        if self.den == 0 || self.den > MAX_DEN || self.num > MAX_NUM || r.places > 10 {
            return None;
        }
        let p = crate::decimal::pow10(r.places)?;
        // Scores fit 64 bits, where multiplying and dividing are many times cheaper than at 128.
        let small = u64::try_from(self.num).ok().and_then(|n| n.checked_mul(p)).zip(u64::try_from(self.den).ok());
        let (q, rem) = match small {
            Some((s, d)) => (u128::from(s.checked_div(d)?), u128::from(s.checked_rem(d)?)),
            None => {
                let scaled = self.num.checked_mul(u128::from(p))?;
                (scaled.checked_div(self.den)?, scaled.checked_rem(self.den)?)
            }
        };
        let twice = rem.checked_mul(2)?;
        let up = match r.mode {
            RoundingMode::Down => false,
            RoundingMode::Up => rem != 0,
            RoundingMode::HalfUp => twice >= self.den,
            RoundingMode::HalfEven => twice > self.den || (twice == self.den && q & 1 == 1),
        };
        let q = if up { q.checked_add(1)? } else { q };
        match i64::try_from(q) {
            Ok(q) => Some(Decimal::new(q, r.places)),
            Err(_) => Decimal::try_from_i128_with_scale(i128::try_from(q).ok()?, r.places).ok(),
        }
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Digits by `itoa`: decisions show a score's fraction for every domain and
        // principle, and the formatting machinery is slow for so little.
        f.write_str(itoa::Buffer::new().format(self.num))?;
        f.write_str("/")?;
        f.write_str(itoa::Buffer::new().format(self.den))
    }
}

/// An exact score as a fraction of whole numbers, written `133/38`.
///
/// A score's fraction is its sum of levels over the items rated, as counted (`154/44`,
/// not reduced), so that it shows where the mean comes from; a mean of means is in lowest
/// terms. It is written and read as that text in every format.
///
/// ```
/// use hf_fidelity::decision::Fraction;
/// let f: Fraction = "133/38".parse()?;
/// assert_eq!((f.numer(), f.denom()), (133, 38));
/// assert_eq!(f.to_string(), "133/38");
/// assert!("3/0".parse::<Fraction>().is_err());
/// # Ok::<(), hf_fidelity::decision::BadFraction>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    num: u128,
    den: u128,
}

impl Fraction {
    /// `num/den` as given (not reduced); `None` when `den` is zero.
    pub fn new(num: u128, den: u128) -> Option<Fraction> {
        (den != 0).then_some(Fraction { num, den })
    }

    /// The numerator.
    pub fn numer(self) -> u128 {
        self.num
    }

    /// The denominator, never zero.
    pub fn denom(self) -> u128 {
        self.den
    }
}

impl From<Ratio> for Fraction {
    fn from(r: Ratio) -> Self {
        Fraction { num: r.num, den: r.den }
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Ratio { num: self.num, den: self.den }, f)
    }
}

/// The error for text that is not a fraction written `numerator/denominator`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fraction written as two whole numbers `n/d` with `d` above zero")]
pub struct BadFraction(pub String);

impl std::str::FromStr for Fraction {
    type Err = BadFraction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadFraction(s.to_owned());
        let (n, d) = s.split_once('/').ok_or_else(bad)?;
        let whole = |t: &str| -> Result<u128, BadFraction> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        Fraction::new(whole(n)?, whole(d)?).ok_or_else(bad)
    }
}

impl serde::Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Fraction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Fraction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fraction".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact fraction of whole numbers, such as \"133/38\".",
            "type": "string",
            "pattern": "^[0-9]+/[0-9]*[1-9][0-9]*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::model::RoundingMode;

    #[test]
    fn two_fractions_compare_exactly_or_not_at_all() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        assert_eq!(r(19, 6).cmp_ratio(r(67, 21)).unwrap(), Ordering::Less);
        assert_eq!(r(2, 4).cmp_ratio(r(1, 2)).unwrap(), Ordering::Equal);
        // Cross products past 128 bits: an error, where the old comparison said "equal".
        assert!(r(u128::MAX, 3).cmp_ratio(r(u128::MAX - 1, 7)).is_err());
    }

    #[test]
    fn the_gap_below_a_threshold_is_exact() {
        // A mean of 5693/1680 = 3.38869... misses 3.4 by 19/1680 = 0.01130..., not by the
        // 0.02 that rounding up to two places made of it.
        let mean = Ratio::new(5693, 1680).unwrap();
        let gap = mean.gap_below(Decimal::new(34, 1)).unwrap().unwrap();
        assert_eq!((gap.num, gap.den), (19, 1680));
        let r = Rounding { places: 2, mode: RoundingMode::HalfUp };
        assert_eq!(gap.to_decimal(r).unwrap(), Decimal::new(1, 2));
        assert_eq!(mean.gap_below(Decimal::new(3, 0)).unwrap(), None);
        assert_eq!(Ratio::new(17, 5).unwrap().gap_below(Decimal::new(34, 1)).unwrap(), None);
        // The gap and the mean add up to the threshold, exactly.
        for (num, den, t) in [(134u128, 41u128, Decimal::new(35, 1)), (1, 3, Decimal::new(5, 1)), (0, 7, Decimal::new(1234, 3))] {
            let m = Ratio::new(num, den).unwrap();
            let g = m.gap_below(t).unwrap().unwrap();
            let num = m.num.checked_mul(g.den).unwrap().checked_add(g.num.checked_mul(m.den).unwrap()).unwrap();
            let sum = Ratio::new(num, m.den.checked_mul(g.den).unwrap()).unwrap();
            assert_eq!(sum.cmp_decimal(t).unwrap(), Ordering::Equal, "{num}/{den} + gap = {t}");
        }
    }

    #[test]
    fn compares_exactly_where_decimals_would_round() {
        let third = Ratio::new(10, 3).unwrap();
        assert_eq!(third.cmp_decimal(Decimal::new(333_333, 5)).unwrap(), Ordering::Greater);
        let half = Ratio::new(133, 38).unwrap();
        assert_eq!(half.cmp_decimal(Decimal::new(35, 1)).unwrap(), Ordering::Equal);
    }

    proptest::proptest! {
        /// The mean of domain means equals adding in lowest terms at every step, then
        /// dividing by the count (the definition, as a fraction in lowest terms).
        #[test]
        #[expect(clippy::arithmetic_side_effects, reason = "fractions of small whole numbers")]
        fn a_mean_of_fractions_is_the_stepwise_sum_over_the_count(parts in proptest::collection::vec((0u32..200, 1u32..60), 1..40)) {
            let fractions: Vec<Ratio> = parts.iter().map(|(n, d)| Ratio::new(u128::from(*n), u128::from(*d)).unwrap()).collect();
            let mut sum = Ratio { num: 0, den: 1 };
            for f in &fractions {
                sum = Ratio { num: sum.num * f.den + f.num * sum.den, den: sum.den * f.den }.reduced();
            }
            let expected = Ratio { num: sum.num, den: sum.den * fractions.len() as u128 }.reduced();
            proptest::prop_assert_eq!(Ratio::mean_of(fractions.into_iter()).unwrap(), Some(expected));
        }
    }

    #[test]
    fn fractions_print_in_full() {
        assert_eq!(Ratio::new(0, 1).unwrap().to_string(), "0/1");
        assert_eq!(Ratio::new(154, 44).unwrap().to_string(), "154/44");
        assert_eq!(Ratio::new(u128::MAX, 10).unwrap().to_string(), format!("{}/10", u128::MAX));
    }

    #[test]
    fn fractions_read_back_what_they_write() {
        for (n, d) in [(0u128, 1u128), (154, 44), (133, 38), (u128::MAX, 7), (7, u128::MAX)] {
            let f = Fraction::new(n, d).unwrap();
            let text = f.to_string();
            assert_eq!(text, format!("{n}/{d}"));
            assert_eq!(text.parse::<Fraction>().unwrap(), f);
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(serde_json::from_str::<Fraction>(&json).unwrap(), f);
        }
        for bad in ["", "3", "3/", "/3", "3/0", "-1/2", "1/-2", "1.5/2", " 1/2", "1/2/3", "+1/2"] {
            assert!(bad.parse::<Fraction>().is_err(), "{bad}");
        }
    }

    #[test]
    fn means_reduce() {
        let m = Ratio::mean_of([Ratio::new(1, 3).unwrap(), Ratio::new(1, 6).unwrap()].into_iter()).unwrap().unwrap();
        assert_eq!(m.to_string(), "1/4");
        assert_eq!(Ratio::mean_of(std::iter::empty()).unwrap(), None);
    }

    #[test]
    fn whole_number_rounding_matches_decimal_division() {
        let modes = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down, RoundingMode::Up];
        for den in 1..=60u128 {
            for num in 0..=den.saturating_mul(4).saturating_add(3) {
                let x = Ratio::new(num, den).unwrap();
                for places in [0, 1, 2, 3, 6, 10] {
                    for mode in modes {
                        let r = Rounding { places, mode };
                        let slow = r.apply(x.to_decimal_28().unwrap());
                        let fast = x.round_small(r).unwrap();
                        assert_eq!((fast, fast.scale(), fast.to_string()), (slow, slow.scale(), slow.to_string()), "{x} {r:?}");
                    }
                }
            }
        }
        for (num, den) in [(199_999_900u128, 7_999_996), (13, 7), (2, 3), (1_000_000, 999_983), (154, 44), (162, 44)] {
            let x = Ratio::new(num, den).unwrap();
            for mode in modes {
                let r = Rounding { places: 2, mode };
                assert_eq!(x.round_small(r).unwrap().to_string(), r.apply(x.to_decimal_28().unwrap()).to_string());
            }
        }
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
