//! Agreement between raters: how far a network can trust its ratings.
//!
//! Given a matrix of levels (targets in rows: the items of one project, or projects; raters
//! in columns), [`icc`] gives the six intraclass correlations of Shrout & Fleiss (1979),
//! [`weighted_kappa`] Cohen's (1968) kappa with quadratic weights for a pair of raters, and
//! [`agreement`] the share of targets on which the raters agree exactly and within one
//! level. Every figure is exact (integer sums, one division at the end) and rounded once,
//! half away from zero, to the places asked for; each says how many targets and raters it
//! rests on.

use crate::error::Error;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// An exact fraction `num / den` (`den > 0`), as the statistics are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    /// Numerator.
    pub num: i128,
    /// Denominator, positive.
    pub den: i128,
}

impl Exact {
    fn new(num: i128, den: i128) -> Option<Exact> {
        match den {
            0 => None,
            d if d < 0 => Some(Exact { num: num.checked_neg()?, den: d.checked_neg()? }),
            _ => Some(Exact { num, den }),
        }
    }

    /// The value rounded half away from zero to `places` decimal places.
    pub fn round(self, places: u32) -> Result<Decimal, Error> {
        let overflow = || Error::Overflow("an agreement statistic");
        let scale = 10i128.checked_pow(places).ok_or_else(overflow)?;
        let scaled = self.num.checked_mul(scale).ok_or_else(overflow)?;
        let (q, r) = (scaled.checked_div(self.den).ok_or_else(overflow)?, scaled.checked_rem(self.den).ok_or_else(overflow)?);
        // |r| / den >= 1/2  <=>  2|r| >= den.
        let twice = r.checked_abs().and_then(|a| a.checked_mul(2)).ok_or_else(overflow)?;
        let rounded = if twice >= self.den { q.checked_add(scaled.signum()).ok_or_else(overflow)? } else { q };
        Decimal::try_from_i128_with_scale(rounded, places).map_err(|_| overflow())
    }
}

/// The six intraclass correlations of Shrout & Fleiss (1979), for `n` targets rated by the
/// same `k` raters. `None` where a form is undefined (no variance to compare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Icc {
    /// Targets rated by every rater (rows of the matrix).
    pub targets: usize,
    /// Raters (columns).
    pub raters: usize,
    /// The six forms, keyed `"1,1"`, `"2,1"`, `"3,1"`, `"1,k"`, `"2,k"`, `"3,k"`: one-way
    /// random, two-way random and two-way mixed; a single rater's rating or the mean of the
    /// `k` raters.
    #[serde(serialize_with = "decimals")]
    pub icc: BTreeMap<&'static str, Option<Decimal>>,
}

/// Writes each figure as its decimal text (`"0.29"`), or null where undefined.
fn decimals<S: serde::Serializer>(map: &BTreeMap<&'static str, Option<Decimal>>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k, v.map(|d| d.to_string()))))
}

/// Checked integer arithmetic on `i128`, stopping at the first overflow.
macro_rules! checked {
    ($e:expr) => {
        $e.ok_or(Error::Overflow("an agreement statistic"))?
    };
}

/// The intraclass correlations of a complete matrix (`rows[target][rater]`), rounded to
/// `places`. Needs at least two targets and two raters, every row as long as the first.
///
/// The mean squares of the two-way analysis of variance, each scaled by the same positive
/// factor so that they are whole numbers (the factor cancels in every ratio):
/// `B` between targets, `W` within targets, `J` between raters, `E` residual.
pub fn icc(rows: &[Vec<u8>], places: u32) -> Result<Option<Icc>, Error> {
    let n = rows.len();
    let k = rows.first().map_or(0, Vec::len);
    if n < 2 || k < 2 || rows.iter().any(|r| r.len() != k) {
        return Ok(None);
    }
    let (ni, ki) = (checked!(i128::try_from(n).ok()), checked!(i128::try_from(k).ok()));
    let big_n = checked!(ni.checked_mul(ki));
    let (mut s, mut q, mut rr) = (0i128, 0i128, 0i128);
    let mut cols = vec![0i128; k];
    for row in rows {
        let mut row_sum = 0i128;
        for (x, col) in row.iter().zip(cols.iter_mut()) {
            let x = i128::from(*x);
            row_sum = checked!(row_sum.checked_add(x));
            *col = checked!(col.checked_add(x));
            q = checked!(q.checked_add(checked!(x.checked_mul(x))));
        }
        s = checked!(s.checked_add(row_sum));
        rr = checked!(rr.checked_add(checked!(row_sum.checked_mul(row_sum))));
    }
    let cc = cols.iter().try_fold(0i128, |acc, c| c.checked_mul(*c).and_then(|sq| acc.checked_add(sq)));
    let cc = checked!(cc);
    let s2 = checked!(s.checked_mul(s));
    // Sums of squares times N = n k: total, between targets, between raters.
    let total = checked!(checked!(big_n.checked_mul(q)).checked_sub(s2));
    let between = checked!(checked!(ni.checked_mul(rr)).checked_sub(s2));
    let raters = checked!(checked!(ki.checked_mul(cc)).checked_sub(s2));
    let within = checked!(total.checked_sub(between));
    let residual = checked!(within.checked_sub(raters));
    // Mean squares times N n (n-1) (k-1).
    let (n1, k1) = (checked!(ni.checked_sub(1)), checked!(ki.checked_sub(1)));
    let b = checked!(between.checked_mul(checked!(ni.checked_mul(k1))));
    let w = checked!(within.checked_mul(n1));
    let j = checked!(raters.checked_mul(checked!(ni.checked_mul(n1))));
    let e = checked!(residual.checked_mul(ni));
    let ratio = |num: Option<i128>, den: Option<i128>| -> Result<Option<Decimal>, Error> {
        let (num, den) = (checked!(num), checked!(den));
        Exact::new(num, den).map(|x| x.round(places)).transpose()
    };
    let k1w = k1.checked_mul(w);
    let k1e = k1.checked_mul(e);
    let b_e = b.checked_sub(e);
    let mut out = BTreeMap::new();
    out.insert("1,1", ratio(b.checked_sub(w), k1w.and_then(|x| b.checked_add(x)))?);
    // (2,1) and (2,k) carry a factor n in numerator and denominator.
    let nb = ni.checked_mul(b);
    let j_e = j.checked_sub(e);
    let den21 = nb
        .zip(k1e.and_then(|x| x.checked_mul(ni)))
        .and_then(|(x, y)| x.checked_add(y))
        .zip(j_e.and_then(|x| x.checked_mul(ki)))
        .and_then(|(x, y)| x.checked_add(y));
    out.insert("2,1", ratio(b_e.and_then(|x| x.checked_mul(ni)), den21)?);
    out.insert("3,1", ratio(b_e, k1e.and_then(|x| b.checked_add(x)))?);
    out.insert("1,k", ratio(b.checked_sub(w), Some(b))?);
    out.insert("2,k", ratio(b_e.and_then(|x| x.checked_mul(ni)), nb.zip(j_e).and_then(|(x, y)| x.checked_add(y)))?);
    out.insert("3,k", ratio(b_e, Some(b))?);
    Ok(Some(Icc { targets: n, raters: k, icc: out }))
}

/// Cohen's kappa with quadratic weights for two raters' levels of the same targets
/// (`pairs`), rounded to `places`; `None` when it is undefined (fewer than two targets, or
/// no spread to compare against).
///
/// With quadratic weights the observed disagreement is the sum of squared differences and
/// the disagreement expected by chance is that of every level of one rater against every
/// level of the other: `kappa = 1 - m * sum (x - y)^2 / sum_i sum_j (x_i - y_j)^2`.
pub fn weighted_kappa(pairs: &[(u8, u8)], places: u32) -> Result<Option<Decimal>, Error> {
    if pairs.len() < 2 {
        return Ok(None);
    }
    let m = checked!(i128::try_from(pairs.len()).ok());
    let (mut sx, mut sy, mut sxx, mut syy, mut observed) = (0i128, 0i128, 0i128, 0i128, 0i128);
    for (x, y) in pairs {
        let (x, y) = (i128::from(*x), i128::from(*y));
        sx = checked!(sx.checked_add(x));
        sy = checked!(sy.checked_add(y));
        sxx = checked!(sxx.checked_add(checked!(x.checked_mul(x))));
        syy = checked!(syy.checked_add(checked!(y.checked_mul(y))));
        let d = checked!(x.checked_sub(y));
        observed = checked!(observed.checked_add(checked!(d.checked_mul(d))));
    }
    // sum_i sum_j (x_i - y_j)^2 = m sxx + m syy - 2 sx sy.
    let expected = checked!(checked!(m.checked_mul(sxx)).checked_add(checked!(m.checked_mul(syy))));
    let expected = checked!(expected.checked_sub(checked!(checked!(sx.checked_mul(sy)).checked_mul(2))));
    let num = checked!(expected.checked_sub(checked!(m.checked_mul(observed))));
    Exact::new(num, expected).map(|x| x.round(places)).transpose()
}

/// How often raters give the same level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Targets rated by at least two raters.
    pub targets: usize,
    /// Targets on which every rater gave the same level.
    pub exact: usize,
    /// Targets on which the levels span at most one step.
    pub within_one: usize,
    /// `exact / targets`, rounded; `None` without targets.
    #[serde(with = "crate::decimal::opt_dec")]
    pub exact_share: Option<Decimal>,
    /// `within_one / targets`, rounded; `None` without targets.
    #[serde(with = "crate::decimal::opt_dec")]
    pub within_one_share: Option<Decimal>,
}

/// Exact and within-one agreement over `rows` (the levels the raters gave each target;
/// targets with fewer than two levels are left out).
pub fn agreement(rows: &[Vec<u8>], places: u32) -> Result<Agreement, Error> {
    let (mut targets, mut exact, mut within_one) = (0usize, 0usize, 0usize);
    for row in rows.iter().filter(|r| r.len() >= 2) {
        let (Some(lo), Some(hi)) = (row.iter().min(), row.iter().max()) else { continue };
        targets = checked!(targets.checked_add(1));
        if lo == hi {
            exact = checked!(exact.checked_add(1));
        }
        if hi.abs_diff(*lo) <= 1 {
            within_one = checked!(within_one.checked_add(1));
        }
    }
    let share = |count: usize| -> Result<Option<Decimal>, Error> {
        let (c, t) = (checked!(i128::try_from(count).ok()), checked!(i128::try_from(targets).ok()));
        Exact::new(c, t).map(|x| x.round(places)).transpose()
    };
    Ok(Agreement { targets, exact, within_one, exact_share: share(exact)?, within_one_share: share(within_one)? })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects, reason = "tests on fixed data")]
mod tests {
    use super::*;

    /// Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater
    /// reliability", Psychological Bulletin 86(2), 420-428: Table 2 (four judges rate six
    /// targets) and Table 4 (the six ICCs of those data, printed to two places).
    const SHROUT_FLEISS: [[u8; 4]; 6] = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];

    fn rows() -> Vec<Vec<u8>> {
        SHROUT_FLEISS.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn the_six_iccs_of_shrout_and_fleiss_table_4() {
        let icc = icc(&rows(), 2).unwrap().unwrap();
        let printed = [("1,1", "0.17"), ("2,1", "0.29"), ("3,1", "0.71"), ("1,k", "0.44"), ("2,k", "0.62"), ("3,k", "0.91")];
        for (form, value) in printed {
            assert_eq!(icc.icc[form].map(|d| d.to_string()).as_deref(), Some(value), "ICC({form})");
        }
        assert_eq!((icc.targets, icc.raters), (6, 4));
    }

    /// An independent computation: the mean squares of the analysis of variance from their
    /// definitions (squared deviations from the means), in floating point, and the six
    /// formulas of Shrout & Fleiss written out in them.
    fn by_anova(rows: &[Vec<u8>]) -> [f64; 6] {
        let n = rows.len() as f64;
        let k = rows[0].len() as f64;
        let grand = rows.iter().flatten().map(|x| f64::from(*x)).sum::<f64>() / (n * k);
        let row_means: Vec<f64> = rows.iter().map(|r| r.iter().map(|x| f64::from(*x)).sum::<f64>() / k).collect();
        let col_means: Vec<f64> = (0..rows[0].len()).map(|j| rows.iter().map(|r| f64::from(r[j])).sum::<f64>() / n).collect();
        let ss_total: f64 = rows.iter().flatten().map(|x| (f64::from(*x) - grand).powi(2)).sum();
        let ss_rows: f64 = k * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
        let ss_cols: f64 = n * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
        let bms = ss_rows / (n - 1.0);
        let wms = (ss_total - ss_rows) / (n * (k - 1.0));
        let jms = ss_cols / (k - 1.0);
        let ems = (ss_total - ss_rows - ss_cols) / ((n - 1.0) * (k - 1.0));
        [
            (bms - wms) / (bms + (k - 1.0) * wms),
            (bms - ems) / (bms + (k - 1.0) * ems + k * (jms - ems) / n),
            (bms - ems) / (bms + (k - 1.0) * ems),
            (bms - wms) / bms,
            (bms - ems) / (bms + (jms - ems) / n),
            (bms - ems) / bms,
        ]
    }

    #[test]
    fn the_iccs_agree_with_the_analysis_of_variance() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            u8::try_from(seed >> 61).unwrap() + 1
        };
        for (n, k) in [(6, 4), (2, 2), (38, 3), (44, 2), (10, 5)] {
            let data: Vec<Vec<u8>> = (0..n).map(|_| (0..k).map(|_| next()).collect()).collect();
            let Some(exact) = icc(&data, 12).unwrap() else { continue };
            let anova = by_anova(&data);
            for (form, want) in ["1,1", "2,1", "3,1", "1,k", "2,k", "3,k"].iter().zip(anova) {
                match exact.icc[form] {
                    Some(got) => {
                        let got: f64 = got.to_string().parse().unwrap();
                        assert!((got - want).abs() < 1e-9, "ICC({form}) of {n}x{k}: {got} vs {want}");
                    }
                    None => assert!(!want.is_finite(), "ICC({form}) of {n}x{k}: undefined vs {want}"),
                }
            }
        }
        assert!(icc(&[vec![1, 2]], 2).unwrap().is_none());
        assert!(icc(&[vec![1, 2], vec![3]], 2).unwrap().is_none());
    }

    /// Cohen (1968) from its definition: the confusion matrix of the two raters over the
    /// scale's levels, quadratic disagreement weights, and the chance matrix from the
    /// margins.
    fn by_confusion_matrix(pairs: &[(u8, u8)]) -> f64 {
        let levels = 0..=10u8;
        let m = pairs.len() as f64;
        let mut observed = 0.0;
        let mut expected = 0.0;
        for i in levels.clone() {
            for j in levels.clone() {
                let w = f64::from(i.abs_diff(j)).powi(2);
                let o = pairs.iter().filter(|(x, y)| *x == i && *y == j).count() as f64 / m;
                let rows = pairs.iter().filter(|(x, _)| *x == i).count() as f64 / m;
                let cols = pairs.iter().filter(|(_, y)| *y == j).count() as f64 / m;
                observed += w * o;
                expected += w * rows * cols;
            }
        }
        1.0 - observed / expected
    }

    /// With two categories the quadratic weights are Cohen's (1960) unweighted kappa. The
    /// worked example of the Wikipedia article "Cohen's kappa": two readers of 50 grant
    /// proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15, kappa = 0.4.
    #[test]
    fn weighted_kappa_of_the_grant_proposals_example() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((2, 2), 20));
        pairs.extend(std::iter::repeat_n((2, 1), 5));
        pairs.extend(std::iter::repeat_n((1, 2), 10));
        pairs.extend(std::iter::repeat_n((1, 1), 15));
        assert_eq!(weighted_kappa(&pairs, 2).unwrap(), Some(Decimal::new(40, 2)));
    }

    #[test]
    fn weighted_kappa_is_cohens_definition() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            u8::try_from(seed >> 62).unwrap() + 1
        };
        for m in [2usize, 5, 38, 44, 200] {
            let pairs: Vec<(u8, u8)> = (0..m).map(|_| (next(), next())).collect();
            let want = by_confusion_matrix(&pairs);
            match weighted_kappa(&pairs, 12).unwrap() {
                Some(got) => assert!((got.to_string().parse::<f64>().unwrap() - want).abs() < 1e-9, "{m}: {got} vs {want}"),
                None => assert!(!want.is_finite()),
            }
        }
        // Perfect agreement is 1; one rater's levels mirrored around the other's is -1.
        assert_eq!(weighted_kappa(&[(1, 1), (2, 2), (4, 4)], 2).unwrap(), Some(Decimal::new(100, 2)));
        assert_eq!(weighted_kappa(&[(1, 4), (4, 1)], 2).unwrap(), Some(Decimal::new(-100, 2)));
        // No spread at all: undefined, not a plausible number.
        assert_eq!(weighted_kappa(&[(3, 3), (3, 3)], 2).unwrap(), None);
    }

    #[test]
    fn exact_and_within_one() {
        let a = agreement(&rows(), 2).unwrap();
        assert_eq!((a.targets, a.exact, a.within_one), (6, 0, 0));
        let a = agreement(&[vec![3, 3], vec![3, 4], vec![1, 4], vec![2]], 3).unwrap();
        assert_eq!((a.targets, a.exact, a.within_one), (3, 1, 2));
        assert_eq!(a.exact_share, Some(Decimal::new(333, 3)));
        assert_eq!(a.within_one_share, Some(Decimal::new(667, 3)));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Exact::new(1, 8).unwrap().round(2).unwrap(), Decimal::new(13, 2));
        assert_eq!(Exact::new(-1, 8).unwrap().round(2).unwrap(), Decimal::new(-13, 2));
        assert_eq!(Exact::new(1, -3).unwrap().round(3).unwrap(), Decimal::new(-333, 3));
    }
}
