//! Wide tables through Arrow: any table that offers the Arrow C stream interface (pandas
//! through pyarrow, polars, pyarrow, DuckDB results) comes in as record batches; its
//! columns are read in Rust as typed arrays, every row is summarised by the engine on all
//! cores without the GIL, and the outcomes and scores go back as one Arrow table.
//!
//! Column conventions (documented for users in `hf_fidelity.audit_frame`):
//!
//! - `project_id` (required), `name` (defaults to the id), `team_model` (one of the
//!   rubric's, e.g. `act`/`icm`/`fact`), `date` (`YYYY-MM-DD` text, a date or a timestamp),
//!   `assessor` (`self_assessment`, `lab`, `peer`; default `self_assessment`),
//!   `assessor_name`, `location`, `comment`; `round` and `region` are passed through to the
//!   output as they are.
//! - `outcome:<id>` for each outcome indicator of the rubric a row reports (housing
//!   retention, ...): a number, checked against the indicator's bounds, never scored, and
//!   passed through to the output so that fidelity and outcomes sit side by side.
//! - One column per item, named by the item id: a level, or for an item the rubric
//!   measures for the row's team model, the measured value. Empty (null, NaN, blank text)
//!   means no answer; `not_applicable`, `n/a` or `na` means not applicable.
//!   `<item>:level` gives a measured item's level instead of its value.
//! - `<item>:evidence` (text, pieces separated by `;` or line breaks, or a list of texts),
//!   `<item>:justification` and `<item>:comment` go with the item's answer.
//! - Any other column is an error (a misspelt item id would otherwise go unnoticed), unless
//!   `extra="ignore"`.

use crate::convert::Bad;
use crate::errors::{self, Doc, HfFidelityError};
use crate::objects::{Rubric, par_map_with, worker_panicked};
use arrow_array::builder::{Date32Builder, Decimal128Builder, Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Float32Type, Float64Type, Int64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array, Int64Array, LargeStringArray, ListArray,
    RecordBatch, StringArray, StringViewArray, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use hf_fidelity::assessment::{ASSESSMENT_FORMAT, AssessorKind, Evidence, Response};
use hf_fidelity::decimal::parse_decimal;
use hf_fidelity::{Assessment, Cell, CompiledRubric, DenseAnswer, EvidenceCheck, Summary, SummaryOptions, TeamModel};
use pyo3::prelude::*;
use pyo3_arrow::{PyRecordBatchReader, PyTable};
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::sync::Arc;

/// How scores come out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scores {
    /// float64, the nearest binary float to the exact score (the default: plots, `describe`).
    Float,
    /// decimal128 with the rubric's decimal places: exact.
    Exact,
    /// The engine's own text.
    Text,
}

impl Scores {
    /// Reads the `decimals=` argument.
    pub fn parse(s: &str) -> PyResult<Self> {
        match s {
            "float" => Ok(Scores::Float),
            "exact" | "decimal" => Ok(Scores::Exact),
            "str" => Ok(Scores::Text),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "decimals must be \"float\" (the default), \"exact\" or \"str\", not {other:?}"
            ))),
        }
    }
}

/// The options of an audit of a table.
pub struct Options {
    /// How scores come out.
    pub scores: Scores,
    /// Report bad rows in an `error` column instead of raising.
    pub keep_errors: bool,
    /// Ignore columns that are neither metadata nor items.
    pub ignore_extra: bool,
    /// The team model of every row (the table has no `team_model` column then).
    pub team_model: Option<TeamModel>,
    /// The date of every row.
    pub date: Option<hf_fidelity::Date>,
    /// The assessor kind of every row.
    pub assessor: Option<AssessorKind>,
    /// Add the improvement plan's `plan_target` and `plan_steps` columns.
    pub plan: bool,
    /// Also the long table of every row's items.
    pub items: bool,
    /// Also the long table of every row's rules.
    pub rules: bool,
    /// Whether answers must carry the evidence the rubric asks for (not for research data
    /// without evidence columns; each output row says which).
    pub evidence: EvidenceCheck,
}

const META: &[&str] = &["project_id", "name", "team_model", "date", "assessor", "assessor_name", "location", "comment", "round", "region"];

/// A metadata column, by its position in [`META`].
#[derive(Clone, Copy)]
enum Meta {
    ProjectId,
    Name,
    TeamModel,
    Date,
    Assessor,
    AssessorName,
    Location,
    Comment,
    Round,
    Region,
}

/// What goes with an item's answer.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Evidence,
    Justification,
    Comment,
}

impl Side {
    const ALL: [Side; 3] = [Side::Evidence, Side::Justification, Side::Comment];

    fn suffix(self) -> &'static str {
        match self {
            Side::Evidence => "evidence",
            Side::Justification => "justification",
            Side::Comment => "comment",
        }
    }
}

/// A column, cast once to one of the few types the reader knows.
enum Col {
    Null,
    Bool(BooleanArray),
    Int(Int64Array),
    UInt(UInt64Array),
    F64(Float64Array),
    F32(Float32Array),
    Text(StringArray),
    LargeText(LargeStringArray),
    TextView(StringViewArray),
    Decimal(Decimal128Array, i8),
    Date(Date32Array),
    List(ListArray),
    /// A type no cell of the table may have: an error where a cell is not null.
    Other(ArrayRef),
}

/// One cell.
enum Scalar<'a> {
    Null,
    Bool,
    Int(i64),
    UInt(u64),
    F64(f64),
    F32(f32),
    Text(&'a str),
    Decimal(i128, i8),
    Date(i32),
    List(ArrayRef),
    Other(&'a DataType),
}

impl Scalar<'_> {
    /// What the cell holds, for messages.
    fn kind(&self) -> String {
        match self {
            Scalar::Null => "nothing".into(),
            Scalar::Bool => "a boolean".into(),
            Scalar::Int(_) | Scalar::UInt(_) => "an integer".into(),
            Scalar::F64(_) | Scalar::F32(_) => "a float".into(),
            Scalar::Text(_) => "text".into(),
            Scalar::Decimal(..) => "a decimal".into(),
            Scalar::Date(_) => "a date".into(),
            Scalar::List(_) => "a list".into(),
            Scalar::Other(t) => format!("a value of Arrow type {t}"),
        }
    }
}

fn cast(a: &ArrayRef, to: &DataType) -> Result<ArrayRef, ArrowError> {
    arrow_cast::cast(a, to)
}

impl Col {
    /// The column of `a`, cast to the reader's types (integers to 64 bits, texts and
    /// dictionaries of texts to text, timestamps to dates, lists to lists of texts).
    fn of(a: &ArrayRef) -> Result<Col, ArrowError> {
        use DataType as T;
        let text = || cast(a, &T::Utf8).map(|c| Col::Text(c.as_string::<i32>().clone()));
        Ok(match a.data_type() {
            T::Null => Col::Null,
            T::Boolean => Col::Bool(a.as_boolean().clone()),
            T::Int8 | T::Int16 | T::Int32 | T::Int64 => Col::Int(cast(a, &T::Int64)?.as_primitive::<Int64Type>().clone()),
            T::UInt8 | T::UInt16 | T::UInt32 | T::UInt64 => Col::UInt(cast(a, &T::UInt64)?.as_primitive::<UInt64Type>().clone()),
            T::Float16 | T::Float64 => Col::F64(cast(a, &T::Float64)?.as_primitive::<Float64Type>().clone()),
            T::Float32 => Col::F32(a.as_primitive::<Float32Type>().clone()),
            T::Utf8 => text()?,
            // Read in place: polars and pandas' pyarrow strings come as these.
            T::LargeUtf8 => Col::LargeText(a.as_string::<i64>().clone()),
            T::Utf8View => Col::TextView(a.as_string_view().clone()),
            T::Dictionary(_, v) => return Col::of(&cast(a, v)?),
            T::Decimal128(_, s) => Col::Decimal(a.as_primitive::<Decimal128Type>().clone(), *s),
            T::Decimal32(_, s) | T::Decimal64(_, s) | T::Decimal256(_, s) => {
                Col::Decimal(cast(a, &T::Decimal128(38, *s))?.as_primitive::<Decimal128Type>().clone(), *s)
            }
            T::Date32 | T::Date64 | T::Timestamp(..) => Col::Date(cast(a, &T::Date32)?.as_primitive::<Date32Type>().clone()),
            T::List(_) | T::LargeList(_) | T::ListView(_) | T::LargeListView(_) | T::FixedSizeList(..) => {
                let to = T::List(Arc::new(Field::new_list_field(T::Utf8, true)));
                match cast(a, &to) {
                    Ok(c) => Col::List(c.as_list::<i32>().clone()),
                    Err(_) => Col::Other(a.clone()),
                }
            }
            _ => Col::Other(a.clone()),
        })
    }

    /// Calls `f` with each row of `rows` and its cell, as [`Col::get`] reads it, with the
    /// column's type matched once rather than for every cell (the usual number columns).
    fn each(&self, rows: std::ops::Range<usize>, mut f: impl FnMut(usize, Scalar<'_>)) {
        fn valid<A: Array>(a: &A, row: usize) -> bool {
            row < a.len() && a.is_valid(row)
        }
        match self {
            Col::F64(a) => rows.for_each(|row| f(row, if valid(a, row) { Scalar::F64(a.value(row)) } else { Scalar::Null })),
            Col::Int(a) => rows.for_each(|row| f(row, if valid(a, row) { Scalar::Int(a.value(row)) } else { Scalar::Null })),
            Col::LargeText(a) => rows.for_each(|row| f(row, if valid(a, row) { Scalar::Text(a.value(row)) } else { Scalar::Null })),
            Col::TextView(a) => rows.for_each(|row| f(row, if valid(a, row) { Scalar::Text(a.value(row)) } else { Scalar::Null })),
            _ => {
                for row in rows {
                    f(row, self.get(row));
                }
            }
        }
    }

    fn get(&self, row: usize) -> Scalar<'_> {
        let valid = |a: &dyn Array| row < a.len() && a.is_valid(row);
        match self {
            Col::Null => Scalar::Null,
            Col::Bool(a) if valid(a) => Scalar::Bool,
            Col::Int(a) if valid(a) => Scalar::Int(a.value(row)),
            Col::UInt(a) if valid(a) => Scalar::UInt(a.value(row)),
            Col::F64(a) if valid(a) => Scalar::F64(a.value(row)),
            Col::F32(a) if valid(a) => Scalar::F32(a.value(row)),
            Col::Text(a) if valid(a) => Scalar::Text(a.value(row)),
            Col::LargeText(a) if valid(a) => Scalar::Text(a.value(row)),
            Col::TextView(a) if valid(a) => Scalar::Text(a.value(row)),
            Col::Decimal(a, s) if valid(a) => Scalar::Decimal(a.value(row), *s),
            Col::Date(a) if valid(a) => Scalar::Date(a.value(row)),
            Col::List(a) if valid(a) => Scalar::List(a.value(row)),
            Col::Other(a) if valid(a.as_ref()) => Scalar::Other(a.data_type()),
            _ => Scalar::Null,
        }
    }
}

fn bad(path: &str, message: impl Into<String>) -> Bad {
    Bad { path: path.to_owned(), message: message.into() }
}

/// Whether a cell holds no answer: null, NaN or blank text.
#[inline]
fn empty(s: &Scalar<'_>) -> bool {
    match s {
        Scalar::Null => true,
        Scalar::F64(f) => f.is_nan(),
        Scalar::F32(f) => f.is_nan(),
        Scalar::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

#[inline]
fn is_na(s: &Scalar<'_>) -> bool {
    matches!(s, Scalar::Text(t) if matches!(t.trim().to_ascii_lowercase().as_str(), "not_applicable" | "not applicable" | "n/a" | "na"))
}

/// The decimal a float was typed as: its shortest round-trip digits (what Python's `repr`
/// writes), for floats of at most six decimal places below 10^9, without writing text. The
/// first `k` for which `m / 10^k` (one correctly rounded division) gives the float back is
/// its number of decimal places: below 10^9 two decimals of six places are further apart
/// than the float's spacing, so at most one of them reads back as the float. `None`:
/// write its digits instead.
fn typed_float(f: f64) -> Option<Decimal> {
    const POW: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    if !f.is_finite() || f.abs() >= 1e9 || (f == 0.0 && f.is_sign_negative()) {
        return None;
    }
    for (k, p) in (0u32..).zip(POW) {
        let m = (f * p).round();
        if m / p == f {
            #[expect(clippy::cast_possible_truncation, reason = "|m| < 10^15: a whole float that fits an i64 exactly")]
            return Some(Decimal::new(m as i64, k));
        }
    }
    None
}

/// An exact decimal from a number or text: integers and decimals exactly, text as written,
/// a float from its shortest round-trip digits (`12.5` is 12.5, `0.1` is 0.1), which is the
/// value the user typed.
fn decimal(s: &Scalar<'_>, path: &str) -> Result<Decimal, Bad> {
    if let Some(d) = match s {
        Scalar::F64(f) => typed_float(*f),
        Scalar::F32(f) => f.to_string().parse::<f64>().ok().and_then(typed_float),
        _ => None,
    } {
        return Ok(d);
    }
    let written = match s {
        Scalar::Int(i) => return Ok(Decimal::from(*i)),
        Scalar::UInt(u) => return Ok(Decimal::from(*u)),
        Scalar::Decimal(m, scale) => {
            let scale = u32::try_from(*scale).map_err(|_| bad(path, "a decimal with a negative scale"))?;
            return Decimal::try_from_i128_with_scale(*m, scale).map_err(|e| bad(path, format!("the decimal does not fit: {e}")));
        }
        Scalar::F64(f) if f.is_finite() => format!("{f}"),
        Scalar::F32(f) if f.is_finite() => format!("{f}"),
        Scalar::Text(t) => (*t).to_owned(),
        other => return Err(bad(path, format!("expected a number (integer, decimal, float or text), found {}", other.kind()))),
    };
    parse_decimal(&written).map_err(|e| bad(path, e))
}

/// A level of the scale: a whole number.
#[inline]
fn level(s: &Scalar<'_>, path: &str) -> Result<u8, Bad> {
    match *s {
        Scalar::Bool => return Err(bad(path, "expected a level (a whole number), found a boolean")),
        // Whole numbers of a byte, the usual cells, without a decimal.
        Scalar::Int(i) => {
            if let Ok(l) = u8::try_from(i) {
                return Ok(l);
            }
        }
        Scalar::UInt(u) => {
            if let Ok(l) = u8::try_from(u) {
                return Ok(l);
            }
        }
        Scalar::F64(f) if f.fract() == 0.0 && (0.0..=255.0).contains(&f) => {
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a whole number from 0 to 255")]
            return Ok(f as u8);
        }
        _ => {}
    }
    let d = decimal(s, path).map_err(|b| Bad { message: format!("expected a level: {}", b.message), ..b })?;
    if d.fract() != Decimal::ZERO {
        return Err(bad(path, format!("level {d} is not a whole number")));
    }
    u8::try_from(d.normalize().mantissa()).map_err(|_| bad(path, format!("level {} is not a level of the scale", d.normalize())))
}

/// A cell of an item column: no answer, or the answer (before its evidence).
#[inline]
fn item_cell(s: &Scalar<'_>, measured: bool, path: &str) -> Result<Option<Cell>, Bad> {
    if empty(s) {
        return Ok(None);
    }
    if is_na(s) {
        return Ok(Some(Cell::NotApplicable));
    }
    Ok(Some(if measured { Cell::Value(decimal(s, path)?) } else { Cell::Level(level(s, path)?) }))
}

/// A text cell; `None` when empty. Integers are read as their digits (ids such as `17`).
fn text(s: &Scalar<'_>, path: &str) -> Result<Option<String>, Bad> {
    match s {
        _ if empty(s) => Ok(None),
        Scalar::Text(t) => Ok(Some((*t).to_owned())),
        Scalar::Int(i) => Ok(Some(i.to_string())),
        Scalar::UInt(u) => Ok(Some(u.to_string())),
        other => Err(bad(path, format!("expected text, found {}", other.kind()))),
    }
}

/// A side cell: `None` when empty, else whether it holds anything but blanks (evidence:
/// text with pieces separated by `;` or line breaks, or a list of texts).
#[inline]
fn side_flag(s: &Scalar<'_>, which: Side, path: &str) -> Result<Option<bool>, Bad> {
    if empty(s) {
        return Ok(None);
    }
    if let (Side::Evidence, Scalar::List(l)) = (which, s) {
        let texts = l.as_string_opt::<i32>().ok_or_else(|| bad(path, "expected a list of texts"))?;
        return Ok(Some(texts.iter().flatten().any(|t| !t.trim().is_empty())));
    }
    match s {
        Scalar::Text(t) => Ok(Some(match which {
            Side::Evidence => t.split([';', '\n']).any(|p| !p.trim().is_empty()),
            Side::Justification | Side::Comment => true,
        })),
        // A number is text too (an id, a count); it is never blank.
        Scalar::Int(_) | Scalar::UInt(_) => Ok(Some(true)),
        other => Err(bad(path, format!("expected text, found {}", other.kind()))),
    }
}

const EPOCH: jiff::civil::Date = jiff::civil::date(1970, 1, 1);

fn date(s: &Scalar<'_>, path: &str) -> Result<Option<hf_fidelity::Date>, Bad> {
    match s {
        _ if empty(s) => Ok(None),
        Scalar::Date(days) => EPOCH
            .checked_add(jiff::Span::new().days(i64::from(*days)))
            .map(|d| Some(hf_fidelity::Date::from(d)))
            .map_err(|e| bad(path, format!("the date is out of range: {e}"))),
        Scalar::Text(t) => t.trim().parse().map(Some).map_err(|e: String| bad(path, e)),
        other => Err(bad(path, format!("expected a date (`YYYY-MM-DD` or a date), found {}", other.kind()))),
    }
}

/// Days since 1970-01-01: an Arrow date.
fn days(d: hf_fidelity::Date) -> Option<i32> {
    d.civil().since((jiff::Unit::Day, EPOCH)).ok().map(|s| s.get_days())
}

/// An enum written as its code (`act`, `lab`).
fn code<T: serde::de::DeserializeOwned>(s: &Scalar<'_>, path: &str, what: &str) -> Result<Option<T>, Bad> {
    text(s, path)?.map(|t| crate::convert::code_from(&t, path, what)).transpose()
}

/// An item column, with its side columns.
struct ItemCol {
    /// The item id (for `<item>:level`, the item's).
    id: String,
    /// The column's name.
    name: String,
    ix: usize,
    col: usize,
    /// Per team model of the rubric (in its order): whether a number in it is a measured
    /// value (never for `<item>:level`).
    measured: Vec<bool>,
    /// Its side columns: which, the column, and the path named in problems.
    sides: Vec<(Side, usize, String)>,
}

/// Where each column of the table goes, worked out once from the schema.
struct Layout {
    meta: Vec<(&'static str, usize)>,
    /// The column of each metadata column the table has, by [`Meta`].
    meta_cols: Vec<Option<usize>>,
    items: Vec<ItemCol>,
    /// The `outcome:<id>` columns: the indicator's id and the column.
    outcomes: Vec<(String, usize)>,
    /// The table's columns (by position) that are read.
    used: Vec<usize>,
}

impl Layout {
    fn meta(&self, name: &str) -> Option<usize> {
        self.meta.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    fn of(rubric: &CompiledRubric, schema: &Schema, opts: &Options) -> Result<Layout, Bad> {
        let r = rubric.rubric();
        let ids: Vec<&str> = rubric.item_ids().collect();
        let ix = |id: &str| ids.iter().position(|x| *x == id);
        let mut meta = Vec::new();
        let mut items: Vec<ItemCol> = Vec::new();
        let mut sides: Vec<(String, Side, usize)> = Vec::new();
        let mut extra = Vec::new();
        let mut outcomes = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (c, field) in schema.fields().iter().enumerate() {
            let name = field.name().as_str();
            if !seen.insert(name) {
                return Err(bad(name, format!("the table has two columns named `{name}`")));
            }
            if let Some(m) = META.iter().find(|m| **m == name) {
                meta.push((*m, c));
            } else if let Some(id) = name.strip_prefix("outcome:") {
                if !r.outcome_indicators.iter().any(|o| o.id == id) {
                    let known: Vec<String> = r.outcome_indicators.iter().map(|o| format!("`outcome:{}`", o.id)).collect();
                    return Err(bad(
                        name,
                        format!(
                            "`{id}` is not an outcome indicator of rubric `{}`{}",
                            r.id,
                            if known.is_empty() {
                                " (it defines none)".to_owned()
                            } else {
                                format!(": its columns are {}", known.join(", "))
                            }
                        ),
                    ));
                }
                outcomes.push((id.to_owned(), c));
            } else if let Some(i) = ix(name) {
                let measured = r.team_models.iter().map(|m| rubric.is_measured(i, m)).collect();
                items.push(ItemCol { id: name.to_owned(), name: name.to_owned(), ix: i, col: c, measured, sides: Vec::new() });
            } else if let Some((id, i)) = name.strip_suffix(":level").and_then(|id| Some((id, ix(id)?))) {
                // A measured item's level, rated on the scale rather than measured (research
                // data): never read as a measured value.
                let measured = vec![false; r.team_models.len()];
                items.push(ItemCol { id: id.to_owned(), name: name.to_owned(), ix: i, col: c, measured, sides: Vec::new() });
            } else if let Some((id, which)) = name
                .rsplit_once(':')
                .and_then(|(i, w)| Some((i, Side::ALL.into_iter().find(|x| x.suffix() == w)?)))
                .filter(|(i, _)| ix(i).is_some())
            {
                sides.push((id.to_owned(), which, c));
            } else {
                extra.push(name.to_owned());
            }
        }
        let mut answered: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
        answered.sort_unstable();
        if let Some(twice) = answered.windows(2).find(|w| w.first() == w.get(1)).and_then(|w| w.first()) {
            return Err(bad(
                &format!("{twice}:level"),
                format!("columns `{twice}` and `{twice}:level` both answer item `{twice}`: keep one (the measured value, or the level)"),
            ));
        }
        for (id, which, c) in sides {
            match items.iter_mut().find(|i| i.id == id) {
                Some(i) => i.sides.push((which, c, format!("{id}:{}", which.suffix()))),
                None => extra.push(format!("{id}:{}", which.suffix())),
            }
        }
        for i in &mut items {
            // Evidence, then justification, then comment: the order cells are checked in.
            i.sides.sort_by_key(|(w, ..)| *w);
        }
        if !extra.is_empty() && !opts.ignore_extra {
            return Err(bad(
                extra.first().map_or("", String::as_str),
                format!(
                    "column(s) {} are neither metadata ({}) nor items of rubric `{}`: fix the names, or pass extra=\"ignore\"",
                    extra.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "),
                    META.join(", "),
                    r.id
                ),
            ));
        }
        let meta_cols = META.iter().map(|n| meta.iter().find(|(m, _)| m == n).map(|(_, c)| *c)).collect();
        let layout = Layout { used: Vec::new(), meta, meta_cols, items, outcomes };
        if layout.meta("project_id").is_none() {
            return Err(bad("project_id", "the table has no `project_id` column (every row needs its project's id)"));
        }
        // A keyword sets its value for every row: with a column of the same name as well,
        // one of them would be silently ignored.
        for (name, given) in
            [("team_model", opts.team_model.is_some()), ("date", opts.date.is_some()), ("assessor", opts.assessor.is_some())]
        {
            if given && layout.meta(name).is_some() {
                return Err(bad(
                    name,
                    format!("`{name}` is given both as a column and as {name}=...: the keyword sets every row, so drop one of them"),
                ));
            }
        }
        // `round` and `region` are only passed through.
        let mut used: Vec<usize> = layout.meta.iter().filter(|(n, _)| !matches!(*n, "round" | "region")).map(|(_, c)| *c).collect();
        used.extend(layout.outcomes.iter().map(|(_, c)| *c));
        for i in &layout.items {
            used.push(i.col);
            used.extend(i.sides.iter().map(|(_, c, _)| *c));
        }
        Ok(Layout { used, ..layout })
    }

    /// The columns copied to the output as they are: `round`, `region` and the outcome
    /// indicators, by name and position in the table.
    fn passed_through(&self) -> Vec<(String, usize)> {
        let meta = [Meta::Round, Meta::Region].into_iter().filter_map(|m| {
            let c = self.meta_cols.get(m as usize).copied().flatten()?;
            Some((META.get(m as usize)?.to_string(), c))
        });
        meta.chain(self.outcomes.iter().map(|(id, c)| (format!("outcome:{id}"), *c))).collect()
    }
}

/// A batch's columns as the reader's types, by position in the table (`None`: not read).
struct Cols(Vec<Option<Col>>);

impl Cols {
    fn get(&self, c: usize, row: usize) -> Scalar<'_> {
        self.0.get(c).and_then(Option::as_ref).map_or(Scalar::Null, |col| col.get(row))
    }

    /// [`Col::each`] on column `c` (every cell empty when the column is not read).
    fn each(&self, c: usize, rows: std::ops::Range<usize>, mut f: impl FnMut(usize, Scalar<'_>)) {
        match self.0.get(c).and_then(Option::as_ref) {
            Some(col) => col.each(rows, f),
            None => rows.for_each(|row| f(row, Scalar::Null)),
        }
    }

    fn meta(&self, layout: &Layout, name: Meta, row: usize) -> Scalar<'_> {
        layout.meta_cols.get(name as usize).copied().flatten().map_or(Scalar::Null, |c| self.get(c, row))
    }
}

/// One row read and summarised: its head (what the output shows of it) and its summary,
/// or the first problem in the table's cells.
type RowOut = Result<(Assessment, Result<Summary, hf_fidelity::Error>), Bad>;

/// Values read from text before, by their text: a metadata column holds few distinct ones
/// (team models, dates, kinds of assessor), each read once per worker.
struct Seen<T>(Vec<(Box<str>, Read<T>)>);

/// A metadata cell read: its value, none (empty), or its problem.
type Read<T> = Result<Option<T>, Bad>;

impl<T: Clone> Seen<T> {
    fn new() -> Self {
        Seen(Vec::new())
    }

    /// The value of cell `s`, read by `read` unless its text was read before.
    fn read(&mut self, s: &Scalar<'_>, read: impl FnOnce(&Scalar<'_>) -> Result<Option<T>, Bad>) -> Result<Option<T>, Bad> {
        let Scalar::Text(t) = s else { return read(s) };
        if let Some((_, v)) = self.0.iter().find(|(k, _)| **k == **t) {
            return v.clone();
        }
        let v = read(s);
        if self.0.len() < 64 {
            self.0.push(((*t).into(), v.clone()));
        }
        v
    }
}

/// What a worker keeps between rows: the dense answers of the rows being read (row `k` of a
/// chunk at `k * width`) and the metadata read so far.
struct Scratch {
    slots: Vec<Option<DenseAnswer>>,
    team_models: Seen<TeamModel>,
    dates: Seen<hf_fidelity::Date>,
    assessors: Seen<AssessorKind>,
}

/// Keeps a value, or its problem in `bads`.
fn keep<T>(bads: &mut Vec<Bad>, r: Result<T, Bad>) -> Option<T> {
    r.map_err(|b| bads.push(b)).ok()
}

/// The head of a row's assessment (everything but the answers); every problem of its cells
/// goes to `bads`, in column order.
fn row_head(layout: &Layout, cols: &Cols, opts: &Options, row: usize, seen: &mut Scratch, bads: &mut Vec<Bad>) -> Option<Assessment> {
    let need = |name: &str| bad(name, format!("no `{name}`: add a `{name}` column or pass {name}=..."));
    let no_id = || bad("project_id", "no `project_id`: fill the cell, or add a `project_id` column (every row needs its project's id)");
    let id = keep(bads, text(&cols.meta(layout, Meta::ProjectId, row), "project_id").and_then(|v| v.ok_or_else(no_id)));
    let name = keep(bads, text(&cols.meta(layout, Meta::Name, row), "name"));
    let team_model = keep(
        bads,
        match &opts.team_model {
            Some(m) => Ok(m.clone()),
            None => seen
                .team_models
                .read(&cols.meta(layout, Meta::TeamModel, row), |s| code(s, "team_model", "team model id (such as act, icm or fact)"))
                .and_then(|v| v.ok_or_else(|| need("team_model"))),
        },
    );
    let date = keep(
        bads,
        match opts.date {
            Some(d) => Ok(d),
            None => seen.dates.read(&cols.meta(layout, Meta::Date, row), |s| date(s, "date")).and_then(|v| v.ok_or_else(|| need("date"))),
        },
    );
    let kind = keep(
        bads,
        match opts.assessor {
            Some(k) => Ok(k),
            None => seen
                .assessors
                .read(&cols.meta(layout, Meta::Assessor, row), |s| code(s, "assessor", "kind of assessor (self_assessment, lab, peer)"))
                .map(|v| v.unwrap_or(AssessorKind::SelfAssessment)),
        },
    );
    let mut outcomes = std::collections::BTreeMap::new();
    for (ind, c) in &layout.outcomes {
        let cell = cols.get(*c, row);
        if empty(&cell) || is_na(&cell) {
            continue;
        }
        if let Some(value) = keep(bads, decimal(&cell, &format!("outcome:{ind}"))) {
            outcomes.insert(ind.clone(), hf_fidelity::assessment::OutcomeValue { value, comment: None });
        }
    }
    let (id, name, team_model, date, kind) = (id?, name?, team_model?, date?, kind?);
    let name = name.unwrap_or_else(|| id.clone());
    let mut head = crate::table::head(ASSESSMENT_FORMAT.to_owned(), id, name, team_model, date, kind);
    head.outcomes = outcomes;
    Some(head)
}

/// The optional text cells of a row's head (checked, and kept in a full assessment).
fn row_texts(layout: &Layout, cols: &Cols, row: usize, bads: &mut Vec<Bad>) -> [Option<String>; 3] {
    [(Meta::Location, "location"), (Meta::AssessorName, "assessor_name"), (Meta::Comment, "comment")]
        .map(|(m, name)| keep(bads, text(&cols.meta(layout, m, row), name)).flatten())
}

/// The row's team model, by position in the rubric's: its head's, or when the head has a
/// problem elsewhere, its team model cell's (so its items still read as they should).
fn row_model(
    rubric: &CompiledRubric,
    layout: &Layout,
    cols: &Cols,
    opts: &Options,
    row: usize,
    seen: &mut Scratch,
    head: Option<&Assessment>,
) -> Option<usize> {
    let model = match (head, &opts.team_model) {
        (Some(h), _) => Some(h.team_model.clone()),
        (None, Some(m)) => Some(m.clone()),
        (None, None) => {
            seen.team_models.read(&cols.meta(layout, Meta::TeamModel, row), |s| code(s, "team_model", "team model id")).ok().flatten()
        }
    };
    model.and_then(|m| rubric.rubric().team_models.iter().position(|x| *x == m))
}

/// Whether the item's column holds a measured value for team model `m` (position in the
/// rubric's; `None`: a team model the rubric does not cover, which the engine refuses).
fn measured(item: &ItemCol, m: Option<usize>) -> bool {
    m.and_then(|m| item.measured.get(m).copied()).unwrap_or(false)
}

/// Rows read at a time by a worker: their dense answers stay in cache while the item
/// columns are read one after the other.
const CHUNK: usize = 128;

/// A row as read: its head (`None` when a cell of the head has a problem) and the problems
/// of all its cells, in column order.
struct RowRead {
    head: Option<Assessment>,
    bads: Vec<Bad>,
}

/// Reads the rows `rows` of a batch: each row's head, then each item column (with its side
/// columns) over all the rows, its type matched once, then each row's optional texts. Row
/// `k`'s answers go to `scratch.slots[k * width..]`, one per item; a row's problems come in
/// the order reading it alone finds them: its head's, then its items' in column order
/// (a cell, then its evidence, justification and comment), then its texts'.
fn read_rows(
    rubric: &CompiledRubric,
    layout: &Layout,
    cols: &Cols,
    opts: &Options,
    rows: std::ops::Range<usize>,
    scratch: &mut Scratch,
) -> Vec<RowRead> {
    let width = rubric.item_count();
    let start = rows.start;
    let mut read = Vec::with_capacity(rows.len());
    let mut models = Vec::with_capacity(rows.len());
    for row in rows.clone() {
        let mut bads = Vec::new();
        let head = row_head(layout, cols, opts, row, scratch, &mut bads);
        models.push(row_model(rubric, layout, cols, opts, row, scratch, head.as_ref()));
        read.push(RowRead { head, bads });
    }
    let slots = &mut scratch.slots;
    slots.clear();
    slots.resize(rows.len().saturating_mul(width), None);
    // Row `row`'s read, its model and the slot of item `ix`.
    let at = |row: usize, ix: usize| {
        let k = row.saturating_sub(start);
        (k, k.saturating_mul(width).saturating_add(ix))
    };
    for item in &layout.items {
        cols.each(item.col, rows.clone(), |row, cell| {
            let (k, slot) = at(row, item.ix);
            // Without a team model the rubric covers, no item can be read as it should: the
            // team model's problem is the row's.
            let (Some(Some(m)), Some(r)) = (models.get(k), read.get_mut(k)) else { return };
            if let Some(Some(answer)) = keep(&mut r.bads, item_cell(&cell, measured(item, Some(*m)), &item.name)) {
                if let Some(s) = slots.get_mut(slot) {
                    *s = Some(DenseAnswer::bare(answer));
                }
            }
        });
        // The side cells of the answered rows only, as reading row by row does.
        for (which, c, path) in &item.sides {
            cols.each(*c, rows.clone(), |row, cell| {
                let (k, slot) = at(row, item.ix);
                let (Some(Some(dense)), Some(r)) = (slots.get_mut(slot), read.get_mut(k)) else { return };
                let flag = keep(&mut r.bads, side_flag(&cell, *which, path)).flatten().unwrap_or(false);
                match which {
                    Side::Evidence => dense.evidence = flag,
                    Side::Justification => dense.justification = flag,
                    Side::Comment => {}
                }
            });
        }
    }
    for (row, r) in rows.zip(&mut read) {
        row_texts(layout, cols, row, &mut r.bads);
    }
    read
}

/// The first problem of a row that could not be read.
fn first_bad(bads: Vec<Bad>) -> Bad {
    bads.into_iter().next().unwrap_or_else(|| bad("", "the row could not be read"))
}

/// Every problem of one row: its cells', then the engine's on the answers it could read.
fn row_problems(
    rubric: &CompiledRubric,
    layout: &Layout,
    cols: &Cols,
    opts: &Options,
    row: usize,
    scratch: &mut Scratch,
) -> Vec<(String, String, String)> {
    let Some(RowRead { head, bads }) = read_rows(rubric, layout, cols, opts, row..row.saturating_add(1), scratch).pop() else {
        return vec![(String::new(), String::new(), "internal error: a row was not read".to_owned())];
    };
    let mut out: Vec<(String, String, String)> = bads.into_iter().map(|b| (b.path, String::new(), b.message)).collect();
    if let Some(head) = head {
        if let Err(hf_fidelity::Error::Invalid { problems, .. }) =
            rubric.summarise_with(&head, &scratch.slots, "<table>", SummaryOptions { plan: false, evidence: opts.evidence })
        {
            out.extend(problems.into_iter().map(|p| (column_of(layout, &p.path), p.path, p.message)));
        }
    }
    out
}

/// The table column an assessment path points at: `responses.privacy.evidence` is
/// `privacy:evidence`, `responses.staff_ratio.level` the column the answer came from.
fn column_of(layout: &Layout, path: &str) -> String {
    if let Some(rest) = path.strip_prefix("outcomes.") {
        return format!("outcome:{}", rest.split_once('.').map_or(rest, |(id, _)| id));
    }
    let Some(rest) = path.strip_prefix("responses.") else { return path.to_owned() };
    let (id, field) = rest.split_once('.').unwrap_or((rest, ""));
    match field {
        "evidence" | "justification" | "comment" => format!("{id}:{field}"),
        _ => layout.items.iter().find(|i| i.id == id).map_or_else(|| id.to_owned(), |i| i.name.clone()),
    }
}

/// A row as a full assessment: every answer with its evidence, justification and comment as
/// written, for a full decision; or every problem of its cells.
fn row_assessment(
    rubric: &CompiledRubric,
    layout: &Layout,
    cols: &Cols,
    opts: &Options,
    row: usize,
    scratch: &mut Scratch,
) -> Result<Assessment, Vec<Bad>> {
    let mut bads = Vec::new();
    let head = row_head(layout, cols, opts, row, scratch, &mut bads);
    let m = row_model(rubric, layout, cols, opts, row, scratch, head.as_ref());
    let mut responses = std::collections::BTreeMap::new();
    for item in layout.items.iter().filter(|_| m.is_some()) {
        let Some(Some(answer)) = keep(&mut bads, item_cell(&cols.get(item.col, row), measured(item, m), &item.name)) else { continue };
        let mut r = Response::default();
        match answer {
            Cell::Level(l) => r.level = Some(l),
            Cell::Value(v) => r.value = Some(v),
            Cell::NotApplicable => r.not_applicable = true,
        }
        for (which, c, path) in &item.sides {
            let cell = cols.get(*c, row);
            if keep(&mut bads, side_flag(&cell, *which, path)).flatten().is_none() {
                continue;
            }
            let written: Vec<String> = match &cell {
                Scalar::List(l) => l.as_string_opt::<i32>().map(|t| t.iter().flatten().map(str::to_owned).collect()).unwrap_or_default(),
                other => text(other, path).ok().flatten().into_iter().collect(),
            };
            match which {
                Side::Evidence => {
                    r.evidence = written
                        .iter()
                        .flat_map(|t| t.split([';', '\n']))
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(Evidence::from)
                        .collect();
                }
                Side::Justification => r.justification = written.into_iter().next(),
                Side::Comment => r.comment = written.into_iter().next(),
            }
        }
        responses.insert(item.id.clone(), r);
    }
    let [location, assessor_name, comment] = row_texts(layout, cols, row, &mut bads);
    match head {
        Some(mut a) if bads.is_empty() => {
            a.project.location = location;
            a.assessor.name = assessor_name;
            a.comment = comment;
            a.responses = responses;
            Ok(a)
        }
        _ => Err(bads),
    }
}

/// A column of scores being built.
enum ScoreCol {
    Float(Float64Builder),
    Exact(Decimal128Builder, u32),
    Text(StringBuilder),
}

impl ScoreCol {
    fn new(scores: Scores, places: u32, rows: usize) -> PyResult<Self> {
        Ok(match scores {
            Scores::Float => ScoreCol::Float(Float64Builder::with_capacity(rows)),
            Scores::Exact => {
                let scale = i8::try_from(places).map_err(|_| HfFidelityError::new_err("the rubric rounds to too many places"))?;
                let b = Decimal128Builder::with_capacity(rows).with_precision_and_scale(38, scale).map_err(arrow_err)?;
                ScoreCol::Exact(b, places)
            }
            Scores::Text => ScoreCol::Text(StringBuilder::with_capacity(rows, rows.saturating_mul(4))),
        })
    }

    fn push(&mut self, d: Option<Decimal>) {
        match (self, d) {
            (ScoreCol::Float(b), d) => b.append_option(d.and_then(score_float)),
            (ScoreCol::Exact(b, places), Some(mut d)) => {
                d.rescale(*places);
                b.append_value(d.mantissa());
            }
            (ScoreCol::Exact(b, _), None) => b.append_null(),
            (ScoreCol::Text(b), d) => b.append_option(d.map(|d| d.to_string())),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            ScoreCol::Float(mut b) => Arc::new(b.finish()),
            ScoreCol::Exact(mut b, _) => Arc::new(b.finish()),
            ScoreCol::Text(mut b) => Arc::new(b.finish()),
        }
    }
}

/// A score as a float, exactly as parsing its text gives it: one correctly rounded division
/// when the mantissa and the power of ten are exact doubles, the text otherwise.
pub fn score_float(d: Decimal) -> Option<f64> {
    let m = d.mantissa();
    const POW: [f64; 23] =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
    if let (Ok(m), Some(p)) = (i64::try_from(m), usize::try_from(d.scale()).ok().and_then(|s| POW.get(s))) {
        if (0..1 << 53).contains(&m) && !(m == 0 && d.is_sign_negative()) {
            // Both operands are exact doubles (10^22 is the last exact power of ten); IEEE
            // division rounds the quotient correctly.
            #[expect(clippy::cast_precision_loss, reason = "the mantissa is below 2^53, so the conversion is exact")]
            return Some(m as f64 / p);
        }
    }
    d.to_string().parse().ok()
}

fn arrow_err(e: ArrowError) -> PyErr {
    HfFidelityError::new_err(format!("Arrow: {e}"))
}

/// Appends one value to a text column: the items written by `each`, separated by `, `.
fn joined<T>(b: &mut StringBuilder, items: impl Iterator<Item = T>, mut each: impl FnMut(&mut StringBuilder, T) -> std::fmt::Result) {
    for (k, x) in items.enumerate() {
        // Writing to a builder's buffer cannot fail.
        let _ = if k == 0 { Ok(()) } else { b.write_str(", ") }.and_then(|()| each(b, x));
    }
    b.append_value("");
}

/// The output table being built, a row at a time.
struct Out {
    item_ids: Vec<String>,
    /// `outcome/rule`, per outcome and rule of the policy.
    rule_names: Vec<Vec<String>>,
    project_id: StringBuilder,
    name: StringBuilder,
    team_model: StringBuilder,
    date: Date32Builder,
    outcome: StringBuilder,
    overall: ScoreCol,
    mean_of_items: ScoreCol,
    mean_of_domains: ScoreCol,
    domains: Vec<ScoreCol>,
    principles: Vec<ScoreCol>,
    failed_rules: StringBuilder,
    missing: StringBuilder,
    warnings: StringBuilder,
    plan: Option<(StringBuilder, UInt32Builder)>,
    /// Whether the row's evidence was checked (false in research mode).
    evidence_checked: arrow_array::builder::BooleanBuilder,
    checked: bool,
    error: Option<StringBuilder>,
}

impl Out {
    fn new(rubric: &CompiledRubric, opts: &Options) -> PyResult<Self> {
        let r = rubric.rubric();
        let places = r.rounding.places;
        let score = || ScoreCol::new(opts.scores, places, 0);
        Ok(Out {
            item_ids: rubric.item_ids().map(str::to_owned).collect(),
            rule_names: r
                .policy
                .outcomes
                .iter()
                .map(|o| o.rules.iter().map(|rule| format!("{}/{}", o.outcome, rule.id)).collect())
                .collect(),
            project_id: StringBuilder::new(),
            name: StringBuilder::new(),
            team_model: StringBuilder::new(),
            date: Date32Builder::new(),
            outcome: StringBuilder::new(),
            overall: score()?,
            mean_of_items: score()?,
            mean_of_domains: score()?,
            domains: r.domains.iter().map(|_| score()).collect::<PyResult<_>>()?,
            principles: r.principles.iter().map(|_| score()).collect::<PyResult<_>>()?,
            failed_rules: StringBuilder::new(),
            missing: StringBuilder::new(),
            warnings: StringBuilder::new(),
            plan: opts.plan.then(|| (StringBuilder::new(), UInt32Builder::new())),
            evidence_checked: arrow_array::builder::BooleanBuilder::new(),
            checked: opts.evidence == EvidenceCheck::Required,
            error: opts.keep_errors.then(StringBuilder::new),
        })
    }

    fn scores(&mut self) -> impl Iterator<Item = &mut ScoreCol> {
        [&mut self.overall, &mut self.mean_of_items, &mut self.mean_of_domains]
            .into_iter()
            .chain(self.domains.iter_mut())
            .chain(self.principles.iter_mut())
    }

    fn push(&mut self, rubric: &CompiledRubric, head: &Assessment, s: &Summary) {
        let r = rubric.rubric();
        self.project_id.append_value(&head.project.id);
        self.name.append_value(&head.project.name);
        self.team_model.append_value(head.team_model.code());
        self.date.append_option(days(head.date));
        self.outcome.append_value(s.outcome.code());
        self.overall.push(s.overall);
        self.mean_of_items.push(s.mean_of_items);
        self.mean_of_domains.push(s.mean_of_domains);
        for (c, g) in self.domains.iter_mut().zip(&s.domains) {
            c.push(*g);
        }
        for (c, g) in self.principles.iter_mut().zip(&s.principles) {
            c.push(*g);
        }
        // Written straight into the columns' buffers: no text per row.
        joined(&mut self.failed_rules, s.failed_rules.iter().filter_map(|(o, k)| self.rule_names.get(*o)?.get(*k)), |w, name| {
            w.write_str(name)
        });
        joined(&mut self.missing, s.missing.iter().filter_map(|ix| self.item_ids.get(*ix)), |w, id| w.write_str(id));
        joined(&mut self.warnings, s.warnings.iter().filter_map(|c| r.model_checks.get(*c)), |w, c| w.write_str(&c.id));
        if let Some((target, steps)) = &mut self.plan {
            let (t, k) = s.plan.clone().unwrap_or((None, 0));
            target.append_option(t.map(|t| t.code().to_owned()));
            steps.append_value(k);
        }
        self.evidence_checked.append_value(self.checked);
        if let Some(e) = &mut self.error {
            e.append_null();
        }
    }

    fn push_error(&mut self, project_id: Option<String>, message: &str) {
        self.project_id.append_option(project_id);
        self.name.append_null();
        self.team_model.append_null();
        self.date.append_null();
        self.outcome.append_value("error");
        for c in self.scores() {
            c.push(None);
        }
        self.failed_rules.append_null();
        self.missing.append_null();
        self.warnings.append_null();
        if let Some((target, steps)) = &mut self.plan {
            target.append_null();
            steps.append_null();
        }
        self.evidence_checked.append_value(self.checked);
        if let Some(e) = &mut self.error {
            e.append_value(message);
        }
    }

    /// The table of several outputs' rows, in order, as one batch per output (no copy),
    /// with the columns `through` (whole-table arrays) passed through, sliced to each batch:
    /// `round` and `region` after the date, the outcome indicators after the scores' columns.
    fn finish_all(outs: Vec<Out>, rubric: &CompiledRubric, through: &[(String, ArrayRef)]) -> Result<Vec<RecordBatch>, ArrowError> {
        let mut batches = Vec::with_capacity(outs.len());
        let mut start = 0usize;
        for o in outs {
            let part = o.finish(rubric)?;
            let rows = part.num_rows();
            if through.is_empty() {
                batches.push(part);
                continue;
            }
            let mut cols: Vec<(String, ArrayRef)> = Vec::with_capacity(part.num_columns().saturating_add(through.len()));
            let slice = |names: fn(&str) -> bool| {
                through.iter().filter(move |(n, _)| names(n)).map(move |(n, a)| (n.clone(), a.slice(start, rows)))
            };
            for (field, array) in part.schema().fields().iter().zip(part.columns()) {
                if field.name() == "evidence_checked" {
                    cols.extend(slice(|n| n.starts_with("outcome:")));
                }
                cols.push((field.name().clone(), array.clone()));
                if field.name() == "date" {
                    cols.extend(slice(|n| !n.starts_with("outcome:")));
                }
            }
            let schema = Schema::new(cols.iter().map(|(n, a)| Field::new(n, a.data_type().clone(), true)).collect::<Vec<_>>());
            batches.push(RecordBatch::try_new(Arc::new(schema), cols.into_iter().map(|(_, a)| a).collect())?);
            start = start.saturating_add(rows);
        }
        Ok(batches)
    }

    /// This output's table.
    fn finish(mut self, rubric: &CompiledRubric) -> Result<RecordBatch, ArrowError> {
        let r = rubric.rubric();
        let mut cols: Vec<(String, ArrayRef)> = vec![
            ("project_id".into(), Arc::new(self.project_id.finish())),
            ("name".into(), Arc::new(self.name.finish())),
            ("team_model".into(), Arc::new(self.team_model.finish())),
            ("date".into(), Arc::new(self.date.finish())),
        ];
        cols.push(("outcome".into(), Arc::new(self.outcome.finish())));
        cols.push(("overall".into(), self.overall.finish()));
        cols.push(("mean_of_items".into(), self.mean_of_items.finish()));
        cols.push(("mean_of_domains".into(), self.mean_of_domains.finish()));
        for (d, c) in r.domains.iter().zip(self.domains) {
            cols.push((format!("domain:{}", d.id), c.finish()));
        }
        for (p, c) in r.principles.iter().zip(self.principles) {
            cols.push((format!("principle:{}", p.id), c.finish()));
        }
        cols.push(("failed_rules".into(), Arc::new(self.failed_rules.finish())));
        cols.push(("missing".into(), Arc::new(self.missing.finish())));
        cols.push(("warnings".into(), Arc::new(self.warnings.finish())));
        if let Some((mut target, mut steps)) = self.plan {
            cols.push(("plan_target".into(), Arc::new(target.finish())));
            cols.push(("plan_steps".into(), Arc::new(steps.finish())));
        }
        cols.push(("evidence_checked".into(), Arc::new(self.evidence_checked.finish())));
        if let Some(mut e) = self.error {
            cols.push(("error".into(), Arc::new(e.finish())));
        }
        let schema = Schema::new(cols.iter().map(|(n, a)| Field::new(n, a.data_type().clone(), true)).collect::<Vec<_>>());
        RecordBatch::try_new(Arc::new(schema), cols.into_iter().map(|(_, a)| a).collect())
    }
}

/// Rows read and summarised at a time (Ctrl-C is checked between blocks).
const BLOCK: usize = 16384;

/// A table being read: its layout and the batches still to come.
struct Reader {
    layout: Layout,
    schema: SchemaRef,
    batches: Box<dyn arrow_array::RecordBatchReader + Send>,
}

impl Reader {
    fn open(py: Python<'_>, rubric: &CompiledRubric, table: PyRecordBatchReader, opts: &Options) -> PyResult<Self> {
        let batches = table.into_reader()?;
        let schema: SchemaRef = batches.schema();
        let layout = Layout::of(rubric, &schema, opts).map_err(|b| errors::assessment_problem(py, "<table>", &b.path, b.message))?;
        Ok(Reader { layout, schema, batches })
    }

    /// Calls `f` on every block of rows (`offset` of the batch in the table, the batch's
    /// columns, its rows in the block), checking for Ctrl-C between blocks; returns the
    /// columns passed through to the output (`round`, `region`, `outcome:<id>`), whole.
    fn each_block(
        self,
        py: Python<'_>,
        mut f: impl FnMut(&Layout, usize, &Cols, std::ops::Range<usize>) -> PyResult<()>,
    ) -> PyResult<Vec<(String, ArrayRef)>> {
        let Reader { layout, schema, batches } = self;
        let through = layout.passed_through();
        let mut parts: Vec<Vec<ArrayRef>> = vec![Vec::new(); through.len()];
        let mut offset: usize = 0;
        for batch in batches {
            let batch = batch.map_err(arrow_err)?;
            let mut cols = Cols((0..batch.num_columns()).map(|_| None).collect());
            for &c in &layout.used {
                let (Some(a), Some(slot)) = (batch.columns().get(c), cols.0.get_mut(c)) else { continue };
                let name = schema.fields().get(c).map_or("", |f| f.name().as_str());
                *slot = Some(Col::of(a).map_err(|e| {
                    errors::assessment_problem(
                        py,
                        "<table>",
                        name,
                        format!("column `{name}` of type {} cannot be read: {e}", a.data_type()),
                    )
                })?);
            }
            for ((_, c), part) in through.iter().zip(&mut parts) {
                if let Some(a) = batch.columns().get(*c) {
                    part.push(a.clone());
                }
            }
            let rows = batch.num_rows();
            let mut start = 0;
            while start < rows {
                py.check_signals()?;
                let end = start.saturating_add(BLOCK).min(rows);
                f(&layout, offset, &cols, start..end)?;
                start = end;
            }
            offset = offset.saturating_add(rows);
        }
        through
            .into_iter()
            .zip(parts)
            .map(|((name, c), part)| {
                let whole = if part.is_empty() {
                    arrow_array::new_empty_array(schema.fields().get(c).map_or(&DataType::Null, |f| f.data_type()))
                } else {
                    arrow_select::concat::concat(&part.iter().map(|a| a.as_ref()).collect::<Vec<_>>()).map_err(arrow_err)?
                };
                Ok((name, whole))
            })
            .collect()
    }
}

fn scratch(width: usize) -> impl Fn() -> Scratch + Sync {
    move || Scratch { slots: vec![None; width], team_models: Seen::new(), dates: Seen::new(), assessors: Seen::new() }
}

fn table(batch: RecordBatch) -> PyResult<PyTable> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)
}

/// A table of several batches of one schema (the first's), without copying them.
fn tables(batches: Vec<RecordBatch>) -> PyResult<PyTable> {
    let schema =
        batches.first().map(RecordBatch::schema).ok_or_else(|| HfFidelityError::new_err("internal error: a table without a batch"))?;
    PyTable::try_new(batches, schema)
}

/// The tables of an audit: one row per input row, and when asked, every item and every rule
/// of every row (long form).
pub struct Audited {
    /// Outcomes and scores.
    pub table: PyTable,
    /// Per row and item: status, level, measured value and band.
    pub items: Option<PyTable>,
    /// Per row and rule: verdict, numbers, failing items.
    pub rules: Option<PyTable>,
}

/// Why a worker stopped before the end of its rows (`on_error="raise"`): the first bad row
/// of its part.
enum Stop {
    /// A cell could not be read.
    Cell { at: usize, bad: Bad },
    /// The engine refused the row's answers.
    Engine { at: usize, message: String, error: hf_fidelity::Error },
    /// A row was summarised but its full decision failed: a bug.
    Internal(String),
}

/// One worker's share of a block of rows: its output rows, in order, and where it stopped.
struct Part {
    out: Out,
    long: Option<Long>,
    stop: Option<Stop>,
}

impl Part {
    fn new(rubric: &CompiledRubric, opts: &Options) -> PyResult<Self> {
        Ok(Part { out: Out::new(rubric, opts)?, long: (opts.items || opts.rules).then(|| Long::new(opts.scores)).transpose()?, stop: None })
    }

    /// Reads, summarises and writes the rows `rows` of block `b`, [`CHUNK`] rows at a time.
    fn run(&mut self, b: &Block<'_>, rows: std::ops::Range<usize>, scratch: &mut Scratch) {
        let width = b.rubric.item_count();
        let mut start = rows.start;
        while start < rows.end {
            let end = start.saturating_add(CHUNK).min(rows.end);
            let read = read_rows(b.rubric, b.layout, b.cols, b.opts, start..end, scratch);
            // The chunk's answers, taken while a row's full decision (long output) reads it again.
            let slots = std::mem::take(&mut scratch.slots);
            for (k, (row, r)) in (start..end).zip(read).enumerate() {
                let answers = slots.get(k.saturating_mul(width)..k.saturating_add(1).saturating_mul(width)).unwrap_or(&[]);
                if !self.row(b, row, r, answers, scratch) {
                    return;
                }
            }
            scratch.slots = slots;
            start = end;
        }
    }

    /// Summarises and writes row `row` as read (`answers`: its dense answers); `false` when
    /// it stops the audit.
    fn row(&mut self, b: &Block<'_>, row: usize, read: RowRead, answers: &[Option<DenseAnswer>], scratch: &mut Scratch) -> bool {
        let Block { rubric, layout, cols, opts, offset } = *b;
        let at = offset.saturating_add(row);
        let project = || text(&cols.meta(layout, Meta::ProjectId, row), "project_id").ok().flatten();
        let outcome: RowOut = match read {
            RowRead { head: Some(head), bads } if bads.is_empty() => {
                let summary = rubric.summarise_with(&head, answers, "<table>", SummaryOptions { plan: opts.plan, evidence: opts.evidence });
                Ok((head, summary))
            }
            RowRead { bads, .. } => Err(first_bad(bads)),
        };
        let message = match outcome {
            Ok((head, Ok(s))) => {
                self.out.push(rubric, &head, &s);
                if let Some(long) = self.long.as_mut() {
                    // The full decision of the same answers: it cannot fail where the summary held.
                    let decision = row_assessment(rubric, layout, cols, opts, row, scratch)
                        .map_err(|b| b.into_iter().map(|b| b.message).collect::<Vec<_>>().join("; "))
                        .and_then(|a| rubric.decide_named(&a, "<table>").map_err(|e| e.to_string()));
                    match decision {
                        Ok(d) => long.push(at, &head.project.id, &d, opts),
                        Err(e) => {
                            self.stop = Some(Stop::Internal(format!("internal error: row {at} was summarised but not decided: {e}")));
                            return false;
                        }
                    }
                }
                return true;
            }
            Ok((head, Err(e))) => {
                // The table's column the engine's first problem points at.
                let column = match &e {
                    hf_fidelity::Error::Invalid { problems, .. } => {
                        problems.first().map(|p| format!(", column `{}`", column_of(layout, &p.path))).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                let message = format!("row {at} (project `{}`){column}: {e}", head.project.id);
                if !opts.keep_errors {
                    self.stop = Some(Stop::Engine { at, message, error: e });
                    return false;
                }
                message
            }
            Err(b) => {
                let who = project().map(|p| format!(" (project `{p}`)")).unwrap_or_default();
                let message = format!("row {at}{who}, column `{}`: {}", b.path, b.message);
                if !opts.keep_errors {
                    self.stop = Some(Stop::Cell { at, bad: Bad { message, ..b } });
                    return false;
                }
                message
            }
        };
        self.out.push_error(project(), &message);
        true
    }
}

impl Stop {
    /// The exception a stop raises, with the row's position.
    fn error(self, py: Python<'_>) -> PyResult<PyErr> {
        let (err, at) = match self {
            Stop::Internal(message) => return Ok(HfFidelityError::new_err(message)),
            Stop::Engine { at, message, error } => {
                let err = errors::to_py(py, &error, Doc::Assessment);
                let v = err.value(py);
                v.setattr("message", &message)?;
                v.setattr("args", (message.clone(),))?;
                (err, at)
            }
            Stop::Cell { at, bad } => (errors::assessment_problem(py, "<table>", &bad.path, bad.message), at),
        };
        err.value(py).setattr("row", at)?;
        Ok(err)
    }
}

/// A block of rows of a batch: what every share of it reads with.
#[derive(Clone, Copy)]
struct Block<'a> {
    rubric: &'a CompiledRubric,
    layout: &'a Layout,
    cols: &'a Cols,
    opts: &'a Options,
    /// The batch's first row in the table.
    offset: usize,
}

/// Runs each part on its rows of block `b`, each on a thread of its own.
fn run_parts(b: &Block<'_>, work: Vec<(Part, std::ops::Range<usize>)>) -> Option<Vec<Part>> {
    let width = b.rubric.item_count().max(1);
    let run = move |(mut part, rows): (Part, std::ops::Range<usize>)| {
        let mut scratch = scratch(width)();
        part.run(b, rows, &mut scratch);
        part
    };
    if work.len() <= 1 {
        return Some(work.into_iter().map(run).collect());
    }
    let run = &run;
    std::thread::scope(|s| {
        let handles: Vec<_> = work.into_iter().map(|w| s.spawn(move || run(w))).collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    })
}

/// Audits every row of an Arrow table: the output table has one row per input row, in the
/// same order. Each worker writes the output rows of its share of a block; the shares are
/// put together in order at the end.
pub fn audit(py: Python<'_>, rubric: &Rubric, input: PyRecordBatchReader, opts: &Options) -> PyResult<Audited> {
    let compiled: &CompiledRubric = &rubric.inner;
    let reader = Reader::open(py, compiled, input, opts)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut parts: Vec<Part> = Vec::new();
    let through = reader.each_block(py, |layout, offset, cols, rows| {
        // One share per thread, of at least 256 rows.
        let share = rows.len().div_ceil(threads).max(256);
        let mut work = Vec::new();
        let mut start = rows.start;
        while start < rows.end {
            let end = start.saturating_add(share).min(rows.end);
            work.push((Part::new(compiled, opts)?, start..end));
            start = end;
        }
        let block = Block { rubric: compiled, layout, cols, opts, offset };
        let done = py.detach(|| run_parts(&block, work)).ok_or_else(worker_panicked)?;
        for mut part in done {
            if let Some(stop) = part.stop.take() {
                return Err(stop.error(py)?);
            }
            parts.push(part);
        }
        Ok(())
    })?;
    if parts.is_empty() {
        // No rows: one empty share still gives the tables their columns.
        parts.push(Part::new(compiled, opts)?);
    }
    let mut outs = Vec::with_capacity(parts.len());
    let mut longs = Vec::new();
    for p in parts {
        outs.push(p.out);
        longs.extend(p.long);
    }
    let main = tables(Out::finish_all(outs, compiled, &through).map_err(arrow_err)?)?;
    let (items, rules) = if opts.items || opts.rules {
        let mut item_batches = Vec::with_capacity(longs.len());
        let mut rule_batches = Vec::with_capacity(longs.len());
        for l in longs {
            let (i, r) = l.finish().map_err(arrow_err)?;
            item_batches.push(i);
            rule_batches.push(r);
        }
        let whole = |batches: Vec<RecordBatch>| -> PyResult<PyTable> {
            let schema =
                batches.first().map(RecordBatch::schema).ok_or_else(|| HfFidelityError::new_err("internal error: no long table"))?;
            table(arrow_select::concat::concat_batches(&schema, &batches).map_err(arrow_err)?)
        };
        (opts.items.then(|| whole(item_batches)).transpose()?, opts.rules.then(|| whole(rule_batches)).transpose()?)
    } else {
        (None, None)
    };
    Ok(Audited { table: main, items, rules })
}

/// Every problem of every row, as a table: `row`, `project_id`, `column`, `path` (in the
/// assessment the row stands for; empty for a cell that could not be read), `message`.
pub fn validate(py: Python<'_>, rubric: &Rubric, input: PyRecordBatchReader, opts: &Options) -> PyResult<PyTable> {
    let compiled: &CompiledRubric = &rubric.inner;
    let reader = Reader::open(py, compiled, input, opts)?;
    let width = compiled.item_count().max(1);
    let (mut row_col, mut project, mut column, mut path, mut message) = (
        arrow_array::builder::UInt64Builder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    reader.each_block(py, |layout, offset, cols, rows| {
        let work: Vec<usize> = rows.collect();
        let done = py
            .detach(|| par_map_with(&work, scratch(width), |scratch, &row| row_problems(compiled, layout, cols, opts, row, scratch)))
            .ok_or_else(worker_panicked)?;
        for (row, problems) in work.into_iter().zip(done) {
            let id = text(&cols.meta(layout, Meta::ProjectId, row), "project_id").ok().flatten();
            for (c, p, m) in problems {
                row_col.append_value(u64::try_from(offset.saturating_add(row)).unwrap_or(u64::MAX));
                project.append_option(id.as_deref());
                column.append_value(c);
                path.append_value(p);
                message.append_value(m);
            }
        }
        Ok(())
    })?;
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("row", Arc::new(row_col.finish())),
        ("project_id", Arc::new(project.finish())),
        ("column", Arc::new(column.finish())),
        ("path", Arc::new(path.finish())),
        ("message", Arc::new(message.finish())),
    ];
    table(batch_of(cols).map_err(arrow_err)?)
}

/// The full audit record of the first row of a table (`audit_row`).
pub fn audit_row(py: Python<'_>, rubric: &Rubric, input: PyRecordBatchReader, opts: &Options) -> PyResult<hf_fidelity::AuditRecord> {
    let compiled: &CompiledRubric = &rubric.inner;
    let reader = Reader::open(py, compiled, input, opts)?;
    let width = compiled.item_count().max(1);
    let mut first: Option<Result<Assessment, Vec<Bad>>> = None;
    reader.each_block(py, |layout, _, cols, mut rows| {
        if first.is_none() {
            if let Some(row) = rows.next() {
                first = Some(row_assessment(compiled, layout, cols, opts, row, &mut scratch(width)()));
            }
        }
        Ok(())
    })?;
    match first {
        None => Err(errors::assessment_problem(py, "<row>", "", "the row is empty: no cells to audit".into())),
        Some(Err(bads)) => {
            let b = first_bad(bads);
            Err(errors::assessment_problem(py, "<row>", &b.path, format!("column `{}`: {}", b.path, b.message)))
        }
        Some(Ok(a)) => py.detach(|| compiled.audit_named(&a, "<row>")).map_err(|e| errors::to_py(py, &e, Doc::Assessment)),
    }
}

fn batch_of(cols: Vec<(&str, ArrayRef)>) -> Result<RecordBatch, ArrowError> {
    let schema = Schema::new(cols.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect::<Vec<_>>());
    RecordBatch::try_new(Arc::new(schema), cols.into_iter().map(|(_, a)| a).collect())
}

fn code_of<T: serde::Serialize>(x: &T) -> String {
    match serde_json::to_value(x) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The long tables: every item and every rule of every row, from its full decision.
struct Long {
    i_row: UInt64Builder,
    i_project: StringBuilder,
    i_item: StringBuilder,
    i_domain: StringBuilder,
    i_status: StringBuilder,
    i_level: UInt32Builder,
    i_value: ScoreCol,
    i_unit: StringBuilder,
    i_band: StringBuilder,
    r_row: UInt64Builder,
    r_project: StringBuilder,
    r_outcome: StringBuilder,
    r_rule: StringBuilder,
    r_kind: StringBuilder,
    r_verdict: StringBuilder,
    r_observed: ScoreCol,
    r_threshold: ScoreCol,
    r_shortfall: ScoreCol,
    r_failing: StringBuilder,
    r_unanswered: StringBuilder,
}

impl Long {
    fn new(scores: Scores) -> PyResult<Self> {
        // Values and thresholds have scales of their own: exact ones go as text.
        let num = || ScoreCol::new(if scores == Scores::Float { Scores::Float } else { Scores::Text }, 0, 0);
        Ok(Long {
            i_row: UInt64Builder::new(),
            i_project: StringBuilder::new(),
            i_item: StringBuilder::new(),
            i_domain: StringBuilder::new(),
            i_status: StringBuilder::new(),
            i_level: UInt32Builder::new(),
            i_value: num()?,
            i_unit: StringBuilder::new(),
            i_band: StringBuilder::new(),
            r_row: UInt64Builder::new(),
            r_project: StringBuilder::new(),
            r_outcome: StringBuilder::new(),
            r_rule: StringBuilder::new(),
            r_kind: StringBuilder::new(),
            r_verdict: StringBuilder::new(),
            r_observed: num()?,
            r_threshold: num()?,
            r_shortfall: num()?,
            r_failing: StringBuilder::new(),
            r_unanswered: StringBuilder::new(),
        })
    }

    fn push(&mut self, row: usize, project: &str, d: &hf_fidelity::Decision, opts: &Options) {
        let row = u64::try_from(row).unwrap_or(u64::MAX);
        if opts.items {
            // Items of the row's team model: the others are not part of its decision.
            for i in d.items.iter().filter(|i| i.status != hf_fidelity::decision::ItemStatus::OtherModel) {
                self.i_row.append_value(row);
                self.i_project.append_value(project);
                self.i_item.append_value(&i.id);
                self.i_domain.append_value(&i.domain);
                self.i_status.append_value(code_of(&i.status));
                self.i_level.append_option(i.level.map(u32::from));
                self.i_value.push(i.measured.as_ref().map(|m| m.value));
                self.i_unit.append_option(i.measured.as_ref().map(|m| m.unit.as_str()));
                self.i_band.append_option(i.measured.as_ref().map(|m| m.band.as_str()));
            }
        }
        if opts.rules {
            for r in &d.rules {
                self.r_row.append_value(row);
                self.r_project.append_value(project);
                self.r_outcome.append_value(r.outcome.code());
                self.r_rule.append_value(&r.id);
                self.r_kind.append_value(code_of(&r.kind));
                self.r_verdict.append_value(code_of(&r.verdict));
                self.r_observed.push(r.observed);
                self.r_threshold.push(r.threshold);
                self.r_shortfall.push(r.shortfall);
                joined(&mut self.r_failing, r.failing.iter(), |w, x| w.write_str(x));
                joined(&mut self.r_unanswered, r.unanswered.iter(), |w, x| w.write_str(x));
            }
        }
    }

    fn finish(mut self) -> Result<(RecordBatch, RecordBatch), ArrowError> {
        let items = batch_of(vec![
            ("row", Arc::new(self.i_row.finish())),
            ("project_id", Arc::new(self.i_project.finish())),
            ("item", Arc::new(self.i_item.finish())),
            ("domain", Arc::new(self.i_domain.finish())),
            ("status", Arc::new(self.i_status.finish())),
            ("level", Arc::new(self.i_level.finish())),
            ("value", self.i_value.finish()),
            ("unit", Arc::new(self.i_unit.finish())),
            ("band", Arc::new(self.i_band.finish())),
        ])?;
        let rules = batch_of(vec![
            ("row", Arc::new(self.r_row.finish())),
            ("project_id", Arc::new(self.r_project.finish())),
            ("outcome", Arc::new(self.r_outcome.finish())),
            ("rule", Arc::new(self.r_rule.finish())),
            ("kind", Arc::new(self.r_kind.finish())),
            ("verdict", Arc::new(self.r_verdict.finish())),
            ("observed", self.r_observed.finish()),
            ("threshold", self.r_threshold.finish()),
            ("shortfall", self.r_shortfall.finish()),
            ("failing", Arc::new(self.r_failing.finish())),
            ("unanswered", Arc::new(self.r_unanswered.finish())),
        ])?;
        Ok((items, rules))
    }
}
