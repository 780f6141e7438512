//! Python values into the engine's types: assessments from plain dicts, exact decimals
//! from `Decimal`, `int`, `str` or `float`.
//!
//! A dict has the shape of the YAML/JSON file (what `yaml.safe_load` gives): the same field
//! names, unknown fields refused, dates as `YYYY-MM-DD` text or `datetime.date`. A failure
//! is a [`Bad`]: the path of the offending field and what is wrong with it.

use hf_fidelity::Date;
use hf_fidelity::assessment::{
    ASSESSMENT_FORMAT, Assessor, AssessorKind, Evidence, OutcomeValue, Period, Project, RatingKind, RatingRef, Response, RubricRef,
    TypedEvidence,
};
use hf_fidelity::decimal::parse_decimal;
use hf_fidelity::target::{Criteria, Duration, Problems};
use hf_fidelity::{Assessment, Outcome, TeamModel};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

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

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// A short description of a Python value's type, for messages.
pub fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".into())
}

/// The `(key, value)` pairs of a mapping, keys as strings; `None` when `v` is no mapping.
fn entries<'py>(v: &Bound<'py, PyAny>, path: &str) -> Result<Vec<(String, Bound<'py, PyAny>)>, Bad> {
    let items: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = if let Ok(d) = v.cast::<PyDict>() {
        d.iter().collect()
    } else if let Ok(m) = v.cast::<PyMapping>() {
        let list = m.items().map_err(|e| bad(path, e.to_string()))?;
        let mut out = Vec::new();
        for pair in list.iter() {
            let t = pair.cast::<PyTuple>().map_err(|_| bad(path, "the mapping's items are not pairs"))?;
            let k = t.get_item(0).map_err(|e| bad(path, e.to_string()))?;
            let val = t.get_item(1).map_err(|e| bad(path, e.to_string()))?;
            out.push((k, val));
        }
        out
    } else {
        return Err(bad(path, format!("expected a mapping (dict), found {}", type_name(v))));
    };
    items
        .into_iter()
        .map(|(k, val)| match k.cast::<PyString>() {
            Ok(s) => Ok((s.to_cow().map_err(|e| bad(path, e.to_string()))?.into_owned(), val)),
            Err(_) => Err(bad(
                path,
                format!("keys must be strings, found {} key {}", type_name(&k), k.repr().map(|r| r.to_string()).unwrap_or_default()),
            )),
        })
        .collect()
}

/// Takes the fields of a mapping one by one, and refuses fields nobody asked for.
struct Fields<'py> {
    path: String,
    map: Vec<(String, Bound<'py, PyAny>)>,
    known: &'static [&'static str],
}

impl<'py> Fields<'py> {
    fn new(v: &Bound<'py, PyAny>, path: &str, known: &'static [&'static str]) -> Result<Self, Bad> {
        let map = entries(v, path)?;
        for (k, _) in &map {
            if !known.contains(&k.as_str()) {
                let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                return Err(bad(&join(path, k), format!("unknown field `{k}`, expected one of {list}")));
            }
        }
        Ok(Fields { path: path.to_owned(), map, known })
    }

    /// The field's value; `None` when absent or `None`.
    fn opt(&self, key: &str) -> Option<&Bound<'py, PyAny>> {
        debug_assert!(self.known.contains(&key));
        self.map.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !v.is_none())
    }

    fn req(&self, key: &str) -> Result<&Bound<'py, PyAny>, Bad> {
        self.opt(key).ok_or_else(|| bad(&self.path, format!("missing field `{key}`")))
    }

    fn req_str(&self, key: &str) -> Result<String, Bad> {
        text(self.req(key)?, &join(&self.path, key))
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, Bad> {
        self.opt(key).map(|v| text(v, &join(&self.path, key))).transpose()
    }
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

/// An exact decimal from a Python number or text.
///
/// `Decimal`, `int` and `str` are read exactly. A `float` is read from its shortest repr
/// (`0.1` gives 0.1, as written), which is the value the user typed; NaN and infinities are
/// refused. Booleans are refused.
pub fn decimal(v: &Bound<'_, PyAny>, path: &str) -> Result<Decimal, Bad> {
    if v.is_instance_of::<PyBool>() {
        return Err(bad(path, "expected a number, found bool"));
    }
    if v.is_instance_of::<PyInt>() {
        let i: i64 = v.extract().map_err(|_| bad(path, "the integer is too large"))?;
        return Ok(Decimal::from(i));
    }
    let text = if v.is_instance_of::<PyString>() {
        text(v, path)?
    } else if v.is_instance_of::<PyFloat>() || is_decimal(v) {
        v.str().map_err(|e| bad(path, e.to_string()))?.to_string()
    } else if let Ok(i) = v.extract::<i64>() {
        // numpy integers and other `__index__` types.
        return Ok(Decimal::from(i));
    } else {
        return Err(bad(path, format!("expected a number (Decimal, int, str or float), found {}", type_name(v))));
    };
    parse_decimal(&text).or_else(|e| {
        // `Decimal('1E+2')` and `float` reprs such as `1e-05` use exponents: read them exactly.
        let lower = text.to_ascii_lowercase();
        if !lower.contains("nan") && !lower.contains("inf") && lower.contains('e') && !v.is_instance_of::<PyString>() {
            Decimal::from_scientific(&text).map(|d| d.normalize()).map_err(|_| bad(path, e.clone()))
        } else {
            Err(bad(path, e))
        }
    })
}

fn is_decimal(v: &Bound<'_, PyAny>) -> bool {
    v.get_type().name().is_ok_and(|n| n.to_cow().is_ok_and(|n| n == "Decimal"))
}

/// A whole level: an `int`, or an integral `float` / `Decimal` / text (as pandas gives a
/// column of levels with gaps).
pub fn level(v: &Bound<'_, PyAny>, path: &str) -> Result<u8, Bad> {
    if v.is_instance_of::<PyBool>() {
        return Err(bad(path, "expected a level (a whole number), found bool"));
    }
    if v.is_instance_of::<PyInt>() {
        let i: i64 = v.extract().map_err(|_| bad(path, "the level is too large"))?;
        return u8::try_from(i).map_err(|_| bad(path, format!("level {i} is not a level of the scale")));
    }
    let d = decimal(v, path).map_err(|b| Bad { message: format!("expected a level: {}", b.message), ..b })?;
    if d.fract() != Decimal::ZERO {
        return Err(bad(path, format!("level {d} is not a whole number")));
    }
    d.normalize().to_string().parse::<u8>().map_err(|_| bad(path, format!("level {d} is not a level of the scale")))
}

fn boolean(v: &Bound<'_, PyAny>, path: &str) -> Result<bool, Bad> {
    v.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| bad(path, format!("expected true or false, found {}", type_name(v))))
}

fn list<'py>(v: &Bound<'py, PyAny>, path: &str, what: &str) -> Result<Vec<Bound<'py, PyAny>>, Bad> {
    if v.is_instance_of::<PyString>() {
        return Err(bad(path, format!("expected a list of {what}, found a string")));
    }
    if let Ok(l) = v.cast::<PyList>() {
        Ok(l.iter().collect())
    } else if let Ok(t) = v.cast::<PyTuple>() {
        Ok(t.iter().collect())
    } else {
        Err(bad(path, format!("expected a list of {what}, found {}", type_name(v))))
    }
}

const EVIDENCE: &[&str] = &["kind", "count", "role", "note"];

/// Evidence: a string, or a mapping with its `kind` (and `count`, `role`, `note`).
fn evidence(v: &Bound<'_, PyAny>, path: &str) -> Result<Vec<Evidence>, Bad> {
    let mut out = Vec::new();
    for (i, e) in list(v, path, "evidence")?.iter().enumerate() {
        let path = format!("{path}[{i}]");
        if e.is_instance_of::<PyString>() {
            out.push(Evidence::Text(text(e, &path)?));
            continue;
        }
        let f = Fields::new(e, &path, EVIDENCE)?;
        let count = match f.opt("count") {
            None => None,
            Some(c) => Some(
                c.extract::<u32>()
                    .map_err(|_| bad(&join(&path, "count"), format!("expected a whole number of at least 0, found {}", type_name(c))))?,
            ),
        };
        out.push(Evidence::Typed(TypedEvidence {
            kind: code(
                f.req("kind")?,
                &join(&path, "kind"),
                "kind of evidence (document, chart_review, interview, focus_group, observation, data_extract)",
            )?,
            count,
            role: f.opt_str("role")?,
            note: f.opt_str("note")?,
        }));
    }
    Ok(out)
}

const TOP: &[&str] = &[
    "format",
    "project",
    "rubric",
    "team_model",
    "date",
    "period",
    "assessor",
    "rating",
    "reconciles",
    "expected_outcome",
    "comment",
    "target_public",
    "responses",
    "outcomes",
];
const RATING_REF: &[&str] = &["sha256", "assessor"];
const PROJECT: &[&str] = &["id", "name", "location", "region"];
const OUTCOME_VALUE: &[&str] = &["value", "comment"];
const RUBRIC: &[&str] = &["id", "version"];
const PERIOD: &[&str] = &["from", "to"];
const ASSESSOR: &[&str] = &["kind", "name"];
const RESPONSE: &[&str] = &["level", "value", "not_applicable", "justification", "evidence", "comment", "note", "correction"];

const CRITERIA: &[&str] = &["ethos", "homeless_for", "problems"];
const DURATION: &[&str] = &["months", "within_months"];
const PROBLEMS: &[&str] = &["required", "at_least"];

/// A whole number of at least 0 (a bool is not one).
fn whole<T: TryFrom<u64>>(v: &Bound<'_, PyAny>, path: &str) -> Result<T, Bad> {
    if v.is_instance_of::<PyBool>() {
        return Err(bad(path, "expected a whole number, found bool"));
    }
    let n: u64 = v.extract().map_err(|_| bad(path, format!("expected a whole number of at least 0, found {}", type_name(v))))?;
    T::try_from(n).map_err(|_| bad(path, format!("{n} is too large")))
}

/// The project's own admission criteria, shaped as in the YAML/JSON file; what they may
/// hold is checked with the rest of the assessment, against the rubric.
fn criteria(v: &Bound<'_, PyAny>) -> Result<Criteria, Bad> {
    let path = "target_public";
    let f = Fields::new(v, path, CRITERIA)?;
    let ethos = list(f.req("ethos")?, &join(path, "ethos"), "ETHOS categories")?
        .iter()
        .enumerate()
        .map(|(i, e)| whole(e, &format!("{path}.ethos[{i}]")))
        .collect::<Result<_, _>>()?;
    let mut homeless_for = Vec::new();
    for (i, d) in list(f.req("homeless_for")?, &join(path, "homeless_for"), "durations")?.iter().enumerate() {
        let dpath = format!("{path}.homeless_for[{i}]");
        let d = Fields::new(d, &dpath, DURATION)?;
        let within_months = d.opt("within_months").map(|w| whole(w, &join(&dpath, "within_months"))).transpose()?;
        homeless_for.push(Duration { months: whole(d.req("months")?, &join(&dpath, "months"))?, within_months });
    }
    let ppath = join(path, "problems");
    let p = Fields::new(f.req("problems")?, &ppath, PROBLEMS)?;
    let required = match p.opt("required") {
        None => Vec::new(),
        Some(r) => list(r, &join(&ppath, "required"), "kinds of problems")?
            .iter()
            .enumerate()
            .map(|(i, k)| text(k, &format!("{ppath}.required[{i}]")))
            .collect::<Result<_, _>>()?,
    };
    Ok(Criteria { ethos, homeless_for, problems: Problems { required, at_least: whole(p.req("at_least")?, &join(&ppath, "at_least"))? } })
}

/// An assessment from a mapping shaped like the YAML/JSON file.
pub fn assessment(v: &Bound<'_, PyAny>) -> Result<Assessment, Bad> {
    let f = Fields::new(v, "", TOP)?;
    let project = {
        let p = Fields::new(f.req("project")?, "project", PROJECT)?;
        Project { id: p.req_str("id")?, name: p.req_str("name")?, location: p.opt_str("location")?, region: p.opt_str("region")? }
    };
    let rubric = match f.opt("rubric") {
        None => None,
        Some(r) => {
            let r = Fields::new(r, "rubric", RUBRIC)?;
            let version = match r.opt("version") {
                None => None,
                Some(v) if v.is_instance_of::<PyString>() => Some(text(v, "rubric.version")?),
                Some(v) => Some(v.str().map_err(|e| bad("rubric.version", e.to_string()))?.to_string()),
            };
            Some(RubricRef { id: r.req_str("id")?, version })
        }
    };
    let period = match f.opt("period") {
        None => None,
        Some(p) => {
            let p = Fields::new(p, "period", PERIOD)?;
            Some(Period { from: date(p.req("from")?, "period.from")?, to: date(p.req("to")?, "period.to")? })
        }
    };
    let read_assessor = |v: &Bound<'_, PyAny>, path: &str| -> Result<Assessor, Bad> {
        let a = Fields::new(v, path, ASSESSOR)?;
        Ok(Assessor { kind: assessor_kind(a.req("kind")?, &join(path, "kind"))?, name: a.opt_str("name")? })
    };
    let assessor = read_assessor(f.req("assessor")?, "assessor")?;
    let rating =
        f.opt("rating").map(|v| code::<RatingKind>(v, "rating", "kind of rating (self_assessment, review, consensus)")).transpose()?;
    let mut reconciles = Vec::new();
    if let Some(v) = f.opt("reconciles") {
        for (i, r) in list(v, "reconciles", "ratings")?.iter().enumerate() {
            let path = format!("reconciles[{i}]");
            let r = Fields::new(r, &path, RATING_REF)?;
            reconciles
                .push(RatingRef { sha256: r.req_str("sha256")?, assessor: read_assessor(r.req("assessor")?, &join(&path, "assessor"))? });
        }
    }
    let expected_outcome = f.opt("expected_outcome").map(|v| code::<Outcome>(v, "expected_outcome", "decision outcome")).transpose()?;
    let mut responses = BTreeMap::new();
    for (id, r) in entries(f.req("responses")?, "responses")? {
        let path = format!("responses.{id}");
        let r = Fields::new(&r, &path, RESPONSE)?;
        let response = Response {
            level: r.opt("level").map(|v| level(v, &join(&path, "level"))).transpose()?,
            value: r.opt("value").map(|v| decimal(v, &join(&path, "value"))).transpose()?,
            not_applicable: r.opt("not_applicable").map(|v| boolean(v, &join(&path, "not_applicable"))).transpose()?.unwrap_or(false),
            justification: r.opt_str("justification")?,
            evidence: r.opt("evidence").map(|v| evidence(v, &join(&path, "evidence"))).transpose()?.unwrap_or_default(),
            comment: r.opt_str("comment")?,
            note: r.opt_str("note")?,
            correction: r.opt_str("correction")?,
        };
        responses.insert(id, response);
    }
    let mut outcomes = BTreeMap::new();
    if let Some(v) = f.opt("outcomes") {
        for (id, o) in entries(v, "outcomes")? {
            let path = format!("outcomes.{id}");
            let o = Fields::new(&o, &path, OUTCOME_VALUE)?;
            let value = decimal(o.req("value")?, &join(&path, "value"))?;
            outcomes.insert(id, OutcomeValue { value, comment: o.opt_str("comment")? });
        }
    }
    Ok(Assessment {
        format: f.opt_str("format")?.ok_or_else(|| bad("", format!("missing field `format` (write `format: {ASSESSMENT_FORMAT}`)")))?,
        project,
        rubric,
        team_model: team_model(f.req("team_model")?, "team_model")?,
        date: date(f.req("date")?, "date")?,
        period,
        assessor,
        rating,
        reconciles,
        expected_outcome,
        comment: f.opt_str("comment")?,
        target_public: f.opt("target_public").map(criteria).transpose()?,
        responses,
        outcomes,
    })
}
