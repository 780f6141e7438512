//! Exact decimals read from the text of a document, never through `f64`.
//!
//! A decimal in a rubric or an assessment is written as a plain YAML scalar (`3.5`) or a
//! string (`"3.5"`): optional minus sign, digits, optional fraction. Exponents, `.nan`,
//! `.inf`, hexadecimal and more than 28 significant digits are rejected with a message
//! that says which.

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::borrow::Cow;
use std::fmt;

/// Parses a decimal from its text, exactly.
///
/// ```
/// use hf_fidelity::decimal::parse_decimal;
/// assert_eq!(parse_decimal("3.50").unwrap().to_string(), "3.50");
/// assert!(parse_decimal("1e3").is_err());
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if matches!(lower.trim_start_matches(['+', '-']), ".nan" | ".inf" | "nan" | "inf" | "infinity") {
        return Err(format!("`{t}` is not a finite number"));
    }
    let body = t.strip_prefix('-').unwrap_or(t);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = digits(int) && frac.is_none_or(digits);
    if !well_formed {
        if t.bytes().any(|b| b == b'e' || b == b'E') && t.bytes().any(|b| b.is_ascii_digit()) {
            return Err(format!("`{t}` uses an exponent: write the number out in full"));
        }
        return Err(format!("`{t}` is not a decimal number"));
    }
    Decimal::from_str_exact(t).map_err(|_| format!("`{t}` has more digits than a decimal can hold exactly (28)"))
}

/// Compares two decimals exactly, as `Ord` does; 64-bit whole-number arithmetic when both
/// mantissas are small (measured values and bounds: `Decimal`'s own comparison and
/// 128-bit multiplication are many times slower).
#[inline]
pub(crate) fn cmp_decimal(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    /// `10^k` for the scale differences met in practice.
    fn pow10(k: u32) -> Option<i64> {
        10i64.checked_pow(k).filter(|_| k <= 18)
    }
    let (sa, sb) = (a.scale(), b.scale());
    let small = |d: Decimal| i64::try_from(d.mantissa()).ok();
    let fast = match (small(a), small(b)) {
        (Some(x), Some(y)) if sa == sb => Some(x.cmp(&y)),
        (Some(x), Some(y)) if sa < sb => sb.checked_sub(sa).and_then(pow10).and_then(|p| x.checked_mul(p)).map(|x| x.cmp(&y)),
        (Some(x), Some(y)) => sa.checked_sub(sb).and_then(pow10).and_then(|p| y.checked_mul(p)).map(|y| x.cmp(&y)),
        _ => None,
    };
    fast.unwrap_or_else(|| a.cmp(&b))
}

/// The JSON Schema of a decimal: a number or a string of digits.
pub struct DecimalText;

impl JsonSchema for DecimalText {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal: a number, or a string such as \"3.50\". No exponent.",
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
            ]
        })
    }
}

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(format!("`{v}` arrived as a binary float; decimals must be read from their text")))
    }
}

/// Serde adapter for a [`Decimal`] field: reads the text, writes a string.
pub mod dec {
    use super::*;

    /// Writes the decimal as a string, keeping its scale (`3.50` stays `3.50`).
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    /// Reads the decimal from the scalar's text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_str(DecVisitor)
    }
}

/// Serde adapter for an `Option<Decimal>` field (use with `#[serde(default)]`).
pub mod opt_dec {
    use super::*;

    /// Writes the decimal as a string, or nothing.
    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// Reads the decimal from the scalar's text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_str(DecVisitor).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_comparison_is_the_exact_one() {
        let mantissas = [0i128, 1, -1, 5, 15, 50, 499, 500, 501, -7_500, 99_999, i64::MAX as i128, i64::MIN as i128, 1 << 70, -(1 << 90)];
        let mut values = Vec::new();
        for m in mantissas {
            for scale in [0, 1, 2, 3, 6, 18, 19, 28] {
                values.push(Decimal::from_i128_with_scale(m, scale));
            }
        }
        values.push(Decimal::MAX);
        values.push(Decimal::MIN);
        values.push(-Decimal::ZERO);
        for a in &values {
            for b in &values {
                assert_eq!(cmp_decimal(*a, *b), a.cmp(b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn keeps_the_written_scale() {
        assert_eq!(parse_decimal("3.50").map(|d| d.to_string()), Ok("3.50".into()));
        assert_eq!(parse_decimal("-0.1").map(|d| d.to_string()), Ok("-0.1".into()));
    }

    #[test]
    fn rejects_what_is_not_plain_decimal_text() {
        assert_eq!(parse_decimal("1e3"), Err("`1e3` uses an exponent: write the number out in full".into()));
        assert_eq!(parse_decimal(".nan"), Err("`.nan` is not a finite number".into()));
        assert_eq!(parse_decimal("-.inf"), Err("`-.inf` is not a finite number".into()));
        assert_eq!(parse_decimal("0x1F"), Err("`0x1F` is not a decimal number".into()));
        assert_eq!(parse_decimal("three"), Err("`three` is not a decimal number".into()));
        assert_eq!(parse_decimal("1."), Err("`1.` is not a decimal number".into()));
        assert_eq!(parse_decimal(""), Err("`` is not a decimal number".into()));
        assert!(parse_decimal("123456789012345678901234567890").is_err());
    }

    #[test]
    fn reads_yaml_scalars_from_their_text() {
        #[derive(serde::Deserialize)]
        struct T {
            #[serde(with = "dec")]
            v: Decimal,
        }
        // 0.1 has no exact binary form: a float on the way would show here.
        let t: T = serde_yaml::from_str("v: 0.1000000000000000000000000001").unwrap();
        assert_eq!(t.v.to_string(), "0.1000000000000000000000000001");
        let t: T = serde_yaml::from_str("v: \"0.30\"").unwrap();
        assert_eq!(t.v.to_string(), "0.30");
        let e = serde_yaml::from_str::<T>("v: 1e3").err().unwrap();
        assert!(e.to_string().contains("uses an exponent"), "{e}");
    }
}
