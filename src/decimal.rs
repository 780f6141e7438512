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

/// Powers of ten that fit a `u64`, by exponent.
const POW10: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// `10^exp` as a `u64`, where it fits.
pub(crate) fn pow10(exp: u32) -> Option<u64> {
    POW10.get(usize::try_from(exp).ok()?).copied()
}

/// Compares two decimals exactly, as `Decimal::cmp` does, but in a few integer steps when
/// their mantissas line up within 128 bits (always so for the values rubrics hold): band
/// lookups and range checks compare a measured value many times per decision.
pub(crate) fn cmp_exact(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if sa == sb {
        return ma.cmp(&mb);
    }
    // A mantissa under 2^63 times a power of ten under 2^64 stays under 2^127: the
    // product cannot overflow, and a wrapping product needs no overflow check.
    let widen = |m: i128, exp: u32| -> Option<i128> {
        let m = i64::try_from(m).ok()?;
        pow10(exp).map(|p| i128::from(m).wrapping_mul(i128::from(p)))
    };
    let fast = if sa < sb { widen(ma, sb.saturating_sub(sa)).map(|x| (x, mb)) } else { widen(mb, sa.saturating_sub(sb)).map(|y| (ma, y)) };
    if let Some((x, y)) = fast {
        return x.cmp(&y);
    }
    let aligned = if sa == sb {
        Some((ma, mb))
    } else if sa < sb {
        pow10(sb.saturating_sub(sa)).and_then(|p| ma.checked_mul(i128::from(p))).map(|x| (x, mb))
    } else {
        pow10(sa.saturating_sub(sb)).and_then(|p| mb.checked_mul(i128::from(p))).map(|y| (ma, y))
    };
    match aligned {
        Some((x, y)) => x.cmp(&y),
        None => a.cmp(&b),
    }
}

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

    /// Reads the decimal from the scalar's text; a null (`value:` left empty in YAML, `null`
    /// in JSON) is no value, as for any optional field.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptDecVisitor)
    }

    struct OptDecVisitor;

    impl<'de> Visitor<'de> for OptDecVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number or nothing")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Decimal>, D::Error> {
            d.deserialize_str(DecVisitor).map(Some)
        }
    }
}

/// A map of decimals, each written as its text, as everywhere in the engine's JSON.
pub(crate) fn text_map<S: serde::Serializer>(m: &std::collections::BTreeMap<String, Decimal>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap as _;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, &v.to_string())?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    #[test]
    fn powers_of_ten() {
        for e in 0..20u32 {
            assert_eq!(super::pow10(e), Some(10u64.pow(e)));
        }
        assert_eq!(super::pow10(20), None);
    }

    #[test]
    fn exact_comparison_agrees_with_decimal() {
        let texts = [
            "0",
            "-0",
            "0.0",
            "1",
            "1.0",
            "1.00",
            "-1",
            "2.5",
            "2.50",
            "2.499999",
            "3",
            "10",
            "9.999",
            "-7.25",
            "0.000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
            "123456789012345678.9",
        ];
        let values: Vec<rust_decimal::Decimal> = texts.iter().map(|t| super::parse_decimal(t).unwrap()).collect();
        for a in &values {
            for b in &values {
                assert_eq!(super::cmp_exact(*a, *b), a.cmp(b), "{a} vs {b}");
            }
        }
    }

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
                assert_eq!(cmp_exact(*a, *b), a.cmp(b), "{a} vs {b}");
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

#[cfg(test)]
mod optional {
    use super::opt_dec;
    use rust_decimal::Decimal;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Answer {
        #[serde(default, with = "opt_dec")]
        value: Option<Decimal>,
    }

    #[test]
    fn an_empty_or_null_value_is_no_value_and_a_number_keeps_its_text() {
        let yaml = |t: &str| serde_yaml::from_str::<Answer>(t).map(|a| a.value).map_err(|e| e.to_string());
        assert_eq!(yaml("value:"), Ok(None));
        assert_eq!(yaml("value: ~"), Ok(None));
        assert_eq!(yaml("value: null"), Ok(None));
        assert_eq!(yaml("{}"), Ok(None));
        assert_eq!(yaml("value: 92.30").map(|v| v.map(|d| d.to_string())), Ok(Some("92.30".to_owned())));
        assert!(yaml("value: \"\"").is_err(), "an empty string is not a number");
        let json = |t: &str| serde_json::from_str::<Answer>(t).map(|a| a.value).map_err(|e| e.to_string());
        assert_eq!(json(r#"{"value": null}"#), Ok(None));
        assert_eq!(json(r#"{"value": "7.5"}"#).map(|v| v.map(|d| d.to_string())), Ok(Some("7.5".to_owned())));
    }
}
