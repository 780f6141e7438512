//! Bands: value ranges that turn a measured value into a level.

use super::model::Band;
use crate::decimal::cmp_exact;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt;

/// One end of a band: a value and whether the value itself belongs to the band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

/// A validated band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CBand {
    pub level: u8,
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
}

impl CBand {
    /// Reads the written bounds; `Err` says what is malformed.
    pub fn from_spec(b: &Band) -> Result<CBand, String> {
        let lower = match (b.at_least, b.above) {
            (Some(_), Some(_)) => return Err("a band has both `at_least` and `above`: keep one".into()),
            (Some(v), None) => Some(Bound { value: v, inclusive: true }),
            (None, Some(v)) => Some(Bound { value: v, inclusive: false }),
            (None, None) => None,
        };
        let upper = match (b.at_most, b.below) {
            (Some(_), Some(_)) => return Err("a band has both `at_most` and `below`: keep one".into()),
            (Some(v), None) => Some(Bound { value: v, inclusive: true }),
            (None, Some(v)) => Some(Bound { value: v, inclusive: false }),
            (None, None) => None,
        };
        if let (Some(lo), Some(hi)) = (lower, upper) {
            let empty = lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive));
            if empty {
                return Err("the band's lower bound is above its upper bound: it holds no value".into());
            }
        }
        Ok(CBand { level: b.level, lower, upper })
    }

    /// Whether `v` is not above the band's upper end.
    pub fn admits_below(&self, v: Decimal) -> bool {
        self.upper.is_none_or(|b| {
            let o = cmp_exact(v, b.value);
            o == Ordering::Less || (b.inclusive && o == Ordering::Equal)
        })
    }

    /// Whether `v` falls in the band.
    pub fn contains(&self, v: Decimal) -> bool {
        let above_lower = self.lower.is_none_or(|b| {
            let o = cmp_exact(v, b.value);
            o == Ordering::Greater || (b.inclusive && o == Ordering::Equal)
        });
        let below_upper = self.upper.is_none_or(|b| {
            let o = cmp_exact(v, b.value);
            o == Ordering::Less || (b.inclusive && o == Ordering::Equal)
        });
        above_lower && below_upper
    }

    /// Orders bands by where they start (an open start first).
    pub fn cmp_start(&self, other: &CBand) -> Ordering {
        match (self.lower, other.lower) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.value.cmp(&b.value).then(b.inclusive.cmp(&a.inclusive)),
        }
    }
}

impl CBand {
    /// The band in words in `lang` (`au moins 10 et au plus 15`), numbers as the language
    /// writes them. English is the form decisions and records carry.
    pub fn text(&self, lang: crate::Lang) -> String {
        use crate::Lang;
        // at least, above, at most, below, and, any value
        let [at_least, above, at_most, below, and, any] = match lang {
            Lang::Nl => ["minstens", "meer dan", "hoogstens", "minder dan", "en", "elke waarde"],
            Lang::Fr => ["au moins", "plus de", "au plus", "moins de", "et", "toute valeur"],
            Lang::En | Lang::De => ["at least", "above", "at most", "below", "and", "any value"],
        };
        let n = |d: Decimal| crate::text::decimal_in(d, lang);
        let lo = self.lower.map(|b| format!("{} {}", if b.inclusive { at_least } else { above }, n(b.value)));
        let hi = self.upper.map(|b| format!("{} {}", if b.inclusive { at_most } else { below }, n(b.value)));
        match (lo, hi) {
            (Some(l), Some(h)) => format!("{l} {and} {h}"),
            (Some(l), None) => l,
            (None, Some(h)) => h,
            (None, None) => any.to_owned(),
        }
    }
}

impl fmt::Display for CBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::Lang::En))
    }
}

/// How two consecutive bands (sorted by start) fail to meet, if they do.
pub(crate) fn seam(prev: &CBand, next: &CBand) -> Option<String> {
    let Some(hi) = prev.upper else {
        return Some(format!("band `{prev}` has no upper bound but band `{next}` follows it: they overlap"));
    };
    let Some(lo) = next.lower else {
        return Some(format!("bands `{prev}` and `{next}` overlap"));
    };
    match hi.value.cmp(&lo.value) {
        Ordering::Less => Some(format!("bands `{prev}` and `{next}` leave a gap between {} and {}", hi.value, lo.value)),
        Ordering::Greater => Some(format!("bands `{prev}` and `{next}` overlap")),
        Ordering::Equal => match (hi.inclusive, lo.inclusive) {
            (true, true) => Some(format!("bands `{prev}` and `{next}` both contain {}", hi.value)),
            (false, false) => Some(format!("bands `{prev}` and `{next}` both leave out {}", hi.value)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(level: u8, lo: Option<(i64, bool)>, hi: Option<(i64, bool)>) -> CBand {
        let b = |(v, inclusive): (i64, bool)| Bound { value: Decimal::from(v), inclusive };
        CBand { level, lower: lo.map(b), upper: hi.map(b) }
    }

    #[test]
    fn containment_respects_inclusivity() {
        let b = band(3, Some((10, false)), Some((15, true)));
        assert!(!b.contains(Decimal::from(10)));
        assert!(b.contains(Decimal::new(1001, 2)));
        assert!(b.contains(Decimal::from(15)));
        assert!(!b.contains(Decimal::new(1501, 2)));
        assert_eq!(b.to_string(), "above 10 and at most 15");
        assert_eq!(b.text(crate::Lang::Fr), "plus de 10 et au plus 15");
        assert_eq!(b.text(crate::Lang::Nl), "meer dan 10 en hoogstens 15");
    }

    #[test]
    fn seams_find_gaps_and_overlaps() {
        let a = band(4, None, Some((10, true)));
        assert_eq!(seam(&a, &band(3, Some((10, false)), None)), None);
        assert_eq!(seam(&a, &band(3, Some((10, true)), None)).unwrap(), "bands `at most 10` and `at least 10` both contain 10");
        assert_eq!(
            seam(&a, &band(3, Some((11, true)), None)).unwrap(),
            "bands `at most 10` and `at least 11` leave a gap between 10 and 11"
        );
        assert_eq!(seam(&a, &band(3, Some((9, true)), None)).unwrap(), "bands `at most 10` and `at least 9` overlap");
        let below = band(1, None, Some((7, false)));
        assert_eq!(seam(&below, &band(2, Some((7, false)), None)).unwrap(), "bands `below 7` and `above 7` both leave out 7");
    }
}
