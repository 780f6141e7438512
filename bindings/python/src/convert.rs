//! Python values into what the engine reads: a dict shaped like an assessment file is
//! written as the JSON text that file would hold ([`json`]) and read by the engine's one
//! reader of documents, under the limits of a file; the keyword values of the table
//! functions (`team_model=`, `date=`, `assessor=`) are read as the files write them.
//!
//! A failure is a [`Bad`]: the path of the offending value and what is wrong with it.

use hf_fidelity::assessment::AssessorKind;
use hf_fidelity::{Date, TeamModel};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use rust_decimal::Decimal;

/// A value that does not fit: where (path inside the document) and why.
#[derive(Debug, Clone)]
pub struct Bad {
    /// The path, e.g. `responses.privacy.level`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn bad(path: &str, message: impl Into<String>) -> Bad {
    Bad { path: path.to_owned(), message: message.into() }
}

/// `b`, found inside `segment` (a key, or `[i]`), with its path from the enclosing value.
fn under(segment: &str, mut b: Bad) -> Bad {
    b.path = if b.path.is_empty() {
        segment.to_owned()
    } else if b.path.starts_with('[') {
        format!("{segment}{}", b.path)
    } else {
        format!("{segment}.{}", b.path)
    };
    b
}

/// A short description of a Python value's type, for messages.
pub fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".into())
}

/// Writes a Python value as JSON text for the one reader of documents: what `json.dumps`
/// writes of what `yaml.safe_load` or `json.load` give, and also `Decimal`, tuples,
/// read-only mappings, numpy scalars and dates (anything with `strftime`, as `YYYY-MM-DD`).
///
/// Numbers are written as exact text: an `int` in full; a `Decimal` with the digits it
/// holds (`Decimal('1E+2')` as `100`); a `float` from its shortest repr (`0.1` as `0.1`, not
/// the binary fraction it stands for), and a float that is a whole number as a whole number
/// (`3.0` as `3`: a float holds no count of decimal places, and a pandas column of levels
/// with gaps holds floats). NaN and infinities, keys that are not strings, values of other
/// types and nesting deeper than `max_depth` are refused, naming the path.
pub fn json(v: &Bound<'_, PyAny>, max_depth: usize) -> Result<Vec<u8>, Bad> {
    let mut w = Writer { out: Vec::with_capacity(4096), max_depth };
    w.value(v, max_depth)?;
    Ok(w.out)
}

struct Writer {
    out: Vec<u8>,
    max_depth: usize,
}

impl Writer {
    fn value(&mut self, v: &Bound<'_, PyAny>, depth: usize) -> Result<(), Bad> {
        if v.is_none() {
            self.out.extend_from_slice(b"null");
        } else if let Ok(s) = v.cast::<PyString>() {
            let s = s.to_cow().map_err(|e| bad("", e.to_string()))?;
            self.string(&s)?;
        } else if let Ok(b) = v.cast::<PyBool>() {
            self.out.extend_from_slice(if b.is_true() { b"true" } else { b"false" });
        } else if let Ok(f) = v.cast::<PyFloat>() {
            self.float(f.value())?;
        } else if v.is_instance_of::<PyInt>() {
            self.int(v)?;
        } else if let Ok(d) = v.cast::<PyDict>() {
            // Collected first: nothing a value's conversion runs can change what is written.
            let entries: Vec<_> = d.iter().collect();
            self.object(entries, depth)?;
        } else if let Ok(l) = v.cast::<PyList>() {
            let items: Vec<_> = l.iter().collect();
            self.array(&items, depth)?;
        } else if let Ok(t) = v.cast::<PyTuple>() {
            let items: Vec<_> = t.iter().collect();
            self.array(&items, depth)?;
        } else if is_decimal(v) {
            self.decimal(v)?;
        } else if let Ok(m) = v.cast::<PyMapping>() {
            let mut entries = Vec::new();
            for pair in m.items().map_err(|e| bad("", e.to_string()))?.iter() {
                let t = pair.cast::<PyTuple>().map_err(|_| bad("", "the mapping's items are not pairs"))?;
                entries.push((t.get_item(0).map_err(|e| bad("", e.to_string()))?, t.get_item(1).map_err(|e| bad("", e.to_string()))?));
            }
            self.object(entries, depth)?;
        } else if v.hasattr("strftime").unwrap_or(false) {
            let s = v.call_method1("strftime", ("%Y-%m-%d",)).map_err(|e| bad("", e.to_string()))?;
            let s =
                s.cast::<PyString>().map_err(|_| bad("", "`strftime` did not give text"))?.to_cow().map_err(|e| bad("", e.to_string()))?;
            self.string(&s)?;
        } else if v.hasattr("__index__").unwrap_or(false) {
            // numpy integers and other integer types.
            let i = v.call_method0("__index__").map_err(|e| bad("", e.to_string()))?;
            self.int(&i)?;
        } else {
            return Err(bad(
                "",
                format!(
                    "expected what a YAML or JSON file holds (a mapping, list, text, number, true/false, date or None), found {}",
                    type_name(v)
                ),
            ));
        }
        Ok(())
    }

    fn deeper(&self, depth: usize) -> Result<usize, Bad> {
        depth.checked_sub(1).ok_or_else(|| bad("", format!("mappings and lists nest deeper than the limit of {} levels", self.max_depth)))
    }

    fn object(&mut self, entries: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)>, depth: usize) -> Result<(), Bad> {
        let depth = self.deeper(depth)?;
        self.out.push(b'{');
        for (n, (k, v)) in entries.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            let Ok(key) = k.cast::<PyString>() else {
                let repr = k.repr().map(|r| r.to_string()).unwrap_or_default();
                return Err(bad("", format!("keys must be strings, found {} key {repr}", type_name(k))));
            };
            let key = key.to_cow().map_err(|e| bad("", e.to_string()))?;
            self.string(&key)?;
            self.out.push(b':');
            self.value(v, depth).map_err(|b| under(&key, b))?;
        }
        self.out.push(b'}');
        Ok(())
    }

    fn array(&mut self, items: &[Bound<'_, PyAny>], depth: usize) -> Result<(), Bad> {
        let depth = self.deeper(depth)?;
        self.out.push(b'[');
        for (i, v) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.value(v, depth).map_err(|b| under(&format!("[{i}]"), b))?;
        }
        self.out.push(b']');
        Ok(())
    }

    fn string(&mut self, s: &str) -> Result<(), Bad> {
        serde_json::to_writer(&mut self.out, s).map_err(|e| bad("", e.to_string()))
    }

    fn int(&mut self, v: &Bound<'_, PyAny>) -> Result<(), Bad> {
        match v.extract::<i64>() {
            Ok(i) => self.out.extend_from_slice(i.to_string().as_bytes()),
            // Larger than 64 bits: its digits, for the reader to judge.
            Err(_) => self
                .out
                .extend_from_slice(v.str().map_err(|e| bad("", e.to_string()))?.to_cow().map_err(|e| bad("", e.to_string()))?.as_bytes()),
        }
        Ok(())
    }

    fn float(&mut self, x: f64) -> Result<(), Bad> {
        if x.is_nan() {
            return Err(bad("", "expected a number, found `nan`, which is not a number"));
        }
        if x.is_infinite() {
            return Err(bad("", format!("expected a number, found `{x}`, which is not a finite number")));
        }
        // The shortest text that reads back as `x` (Rust's and Python's reprs agree on it).
        let repr = format!("{x:?}");
        let text = if repr.contains('e') { scientific(&repr)? } else { repr.strip_suffix(".0").unwrap_or(&repr).to_owned() };
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn decimal(&mut self, v: &Bound<'_, PyAny>) -> Result<(), Bad> {
        let s = v.str().map_err(|e| bad("", e.to_string()))?;
        let s = s.to_cow().map_err(|e| bad("", e.to_string()))?;
        let lower = s.to_ascii_lowercase();
        if lower.contains("nan") {
            return Err(bad("", format!("expected a number, found `{s}`, which is not a number")));
        }
        if lower.contains("inf") {
            return Err(bad("", format!("expected a number, found `{s}`, which is not a finite number")));
        }
        let text = if lower.contains('e') { scientific(&s)? } else { s.into_owned() };
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// A number written with an exponent (`1e-05`, `1E+2`), in plain digits.
fn scientific(s: &str) -> Result<String, Bad> {
    Decimal::from_scientific(s)
        .map(|d| d.normalize().to_string())
        .map_err(|_| bad("", format!("the number `{s}` is beyond what an exact decimal holds (28 digits)")))
}

fn is_decimal(v: &Bound<'_, PyAny>) -> bool {
    v.get_type().name().is_ok_and(|n| n.to_cow().is_ok_and(|n| n == "Decimal"))
}

/// A string field (numbers are not silently turned into text).
fn text(v: &Bound<'_, PyAny>, path: &str) -> Result<String, Bad> {
    match v.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow().map_err(|e| bad(path, e.to_string()))?.into_owned()),
        Err(_) => Err(bad(path, format!("expected a string, found {}", type_name(v)))),
    }
}

/// A date: `YYYY-MM-DD` text, or anything with `strftime` (`datetime.date`, `datetime`,
/// `pandas.Timestamp`), written as `YYYY-MM-DD`.
pub fn date(v: &Bound<'_, PyAny>, path: &str) -> Result<Date, Bad> {
    let written = if v.is_instance_of::<PyString>() {
        text(v, path)?
    } else if v.hasattr("strftime").unwrap_or(false) {
        let s = v.call_method1("strftime", ("%Y-%m-%d",)).map_err(|e| bad(path, e.to_string()))?;
        text(&s, path)?
    } else {
        return Err(bad(path, format!("expected a date (`YYYY-MM-DD` or datetime.date), found {}", type_name(v))));
    };
    written.parse().map_err(|e: String| bad(path, e))
}

/// An enum written as its snake_case code (`act`, `lab`, `granted`).
fn code<T: serde::de::DeserializeOwned>(v: &Bound<'_, PyAny>, path: &str, what: &str) -> Result<T, Bad> {
    code_from(&text(v, path)?, path, what)
}

/// An enum or id from its code as written in files (`act`, `lab`), read as the files are.
pub fn code_from<T: serde::de::DeserializeOwned>(s: &str, path: &str, what: &str) -> Result<T, Bad> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| bad(path, format!("`{s}` is not a {what}")))
}

/// A team model code.
pub fn team_model(v: &Bound<'_, PyAny>, path: &str) -> Result<TeamModel, Bad> {
    code(v, path, "team model id (such as act, icm or fact)")
}

/// An assessor kind code.
pub fn assessor_kind(v: &Bound<'_, PyAny>, path: &str) -> Result<AssessorKind, Bad> {
    code(v, path, "kind of assessor (self_assessment, lab, peer)")
}
