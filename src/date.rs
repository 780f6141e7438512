//! Calendar dates, written `YYYY-MM-DD`: real days of the Gregorian calendar, checked when a
//! document is read (`2026-02-30` and `2025-02-29` are errors, not dates).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A day of the Gregorian calendar, read and written as `YYYY-MM-DD` (years 1 to 9999).
///
/// ```
/// use hf_fidelity::Date;
/// let d: Date = "2024-02-29".parse().unwrap();
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert_eq!("2025-02-29".parse::<Date>().unwrap_err(), "`2025-02-29` is not a day of the calendar: 2025 has no 29 February");
/// assert_eq!("2026-4-1".parse::<Date>().unwrap_err(), "`2026-4-1` is not a date written as YYYY-MM-DD");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// The day as a [`jiff::civil::Date`], for date arithmetic.
    pub fn civil(self) -> jiff::civil::Date {
        self.0
    }

    /// This day `months` calendar months later (the 31st of a shorter month is its last
    /// day): when a validity period or a re-audit runs out.
    pub fn plus_months(self, months: u32) -> Result<Date, crate::Error> {
        let overflow = || crate::Error::Overflow("a period in months");
        let span = jiff::Span::new().try_months(i32::try_from(months).map_err(|_| overflow())?).map_err(|_| overflow())?;
        self.0.checked_add(span).map(Date).map_err(|_| overflow())
    }

    /// Today, in UTC: the default day histories and networks count from.
    pub fn today() -> Date {
        Date(jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date())
    }
}

impl From<jiff::civil::Date> for Date {
    fn from(d: jiff::civil::Date) -> Self {
        Date(d)
    }
}

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

impl FromStr for Date {
    type Err = String;

    /// Reads `YYYY-MM-DD` exactly: four digits, two, two, separated by `-`, naming a real day.
    fn from_str(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        let num = |from: usize, to: usize| -> Option<i16> {
            let digits = b.get(from..to)?;
            digits.iter().all(u8::is_ascii_digit).then(|| s.get(from..to)?.parse().ok())?
        };
        let form = || format!("`{s}` is not a date written as YYYY-MM-DD");
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(form());
        }
        let (Some(y), Some(m), Some(d)) = (num(0, 4), num(5, 7), num(8, 10)) else { return Err(form()) };
        if y == 0 {
            return Err(format!("`{s}` is not a day of the calendar: years start at 0001"));
        }
        if !(1..=12).contains(&m) {
            return Err(format!("`{s}` is not a day of the calendar: there is no month {m}"));
        }
        let (month, day) = (i8::try_from(m).map_err(|_| form())?, i8::try_from(d).map_err(|_| form())?);
        jiff::civil::Date::new(y, month, day).map(Date).map_err(|_| {
            let name = usize::try_from(m).ok().and_then(|m| m.checked_sub(1)).and_then(|i| MONTHS.get(i)).copied().unwrap_or("");
            format!("`{s}` is not a day of the calendar: {y} has no {d} {name}")
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A day of the calendar written as YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn only_real_days_are_dates() {
        for ok in ["2024-02-29", "2026-01-01", "2026-12-31", "0001-01-01", "9999-12-31", "2000-02-29"] {
            assert_eq!(ok.parse::<Date>().map(|d| d.to_string()), Ok(ok.to_owned()));
        }
        let err = |s: &str| s.parse::<Date>().unwrap_err();
        assert_eq!(err("2026-02-30"), "`2026-02-30` is not a day of the calendar: 2026 has no 30 February");
        assert_eq!(err("2025-02-29"), "`2025-02-29` is not a day of the calendar: 2025 has no 29 February");
        assert_eq!(err("1900-02-29"), "`1900-02-29` is not a day of the calendar: 1900 has no 29 February");
        assert_eq!(err("2026-04-31"), "`2026-04-31` is not a day of the calendar: 2026 has no 31 April");
        assert_eq!(err("2026-13-01"), "`2026-13-01` is not a day of the calendar: there is no month 13");
        assert_eq!(err("2026-00-10"), "`2026-00-10` is not a day of the calendar: there is no month 0");
        assert_eq!(err("0000-01-01"), "`0000-01-01` is not a day of the calendar: years start at 0001");
        for bad in ["2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T00:00", "+026-01-01", "2026-0a-01", "", "２０２６-01-01"] {
            assert_eq!(err(bad), format!("`{bad}` is not a date written as YYYY-MM-DD"));
        }
    }

    #[test]
    fn dates_order_by_day() {
        let a: Date = "2025-12-31".parse().unwrap();
        let b: Date = "2026-01-01".parse().unwrap();
        assert!(a < b);
    }
}
