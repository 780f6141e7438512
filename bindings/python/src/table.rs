//! Wide tables: one row per project and round, one column per item; out come columns of
//! outcomes and scores, one row per input row, same order.
//!
//! Column conventions (documented for users in `hf_fidelity.audit_frame`):
//!
//! - `project_id` (required), `name` (defaults to the id), `team_model` (one of the rubric's, e.g. `act`/`icm`),
//!   `date` (`YYYY-MM-DD` or a date), `assessor` (`self_assessment`, `lab`, `peer`;
//!   default `self_assessment`), `assessor_name`, `location`, `comment`, `round`
//!   (passed through to the output).
//! - One column per item, named by the item id: a level, or for an item the rubric
//!   measures for the row's team model, the measured value. Empty (`None`, NaN, `""`)
//!   means no answer; `"not_applicable"`, `"n/a"` or `"na"` means not applicable.
//! - `<item>:evidence` (text, pieces separated by `;` or line breaks, or a list),
//!   `<item>:justification` and `<item>:comment` columns go with the item's answer.
//! - Any other column is an error (a misspelt item id would otherwise go unnoticed), unless
//!   `extra="ignore"`.

use crate::convert::{self, Bad};
use crate::errors::{self, Doc};
use crate::objects::{Rubric, par_map_with, worker_panicked};
use crate::ser::{DecimalMode, Decimals};
use hf_fidelity::Outcome;
use hf_fidelity::assessment::{ASSESSMENT_FORMAT, Assessor, AssessorKind, Project, Response};
use hf_fidelity::decimal::parse_decimal;
use hf_fidelity::{Assessment, Cell, CompiledRubric, DenseAnswer, Summary, TeamModel};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// The options of `_audit_columns`.
pub struct Options<'a, 'py> {
    /// How decimals come out.
    pub decimals: DecimalMode,
    /// Report bad rows in an `error` column instead of raising.
    pub keep_errors: bool,
    /// Ignore columns that are neither metadata nor items.
    pub ignore_extra: bool,
    /// The team model of rows without a `team_model` column.
    pub team_model: Option<&'a Bound<'py, PyAny>>,
    /// The date of rows without a `date` column.
    pub date: Option<&'a Bound<'py, PyAny>>,
    /// The assessor kind of rows without an `assessor` column.
    pub assessor: Option<&'a Bound<'py, PyAny>>,
    /// Add the improvement plan's `plan_target` and `plan_steps` columns.
    pub plan: bool,
    /// Columns with few distinct values as codes, float scores as bytes (see [`output`]).
    pub encode: bool,
}

const META: &[&str] = &["project_id", "name", "team_model", "date", "assessor", "assessor_name", "location", "comment", "round"];

/// What identifies a row in the output.
pub struct Meta {
    /// The project id.
    pub project_id: String,
    /// The project name.
    pub name: String,
    /// The team model.
    pub team_model: String,
    /// The date.
    pub date: String,
}

impl Meta {
    /// The metadata of an assessment.
    pub fn of(a: &Assessment) -> Self {
        Meta {
            project_id: a.project.id.clone(),
            name: a.project.name.clone(),
            team_model: a.team_model.code().to_owned(),
            date: a.date.to_string(),
        }
    }
}

/// Evidence cells: a list of strings, or text with one piece of evidence per line or
/// separated by `;`.
fn evidence(v: &Bound<'_, PyAny>, path: &str) -> Result<Vec<String>, Bad> {
    if let Ok(l) = v.cast::<PyList>() {
        return l.iter().enumerate().map(|(i, s)| label(&s, &format!("{path}[{i}]"))).collect();
    }
    let text = label(v, path)?;
    Ok(text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

/// Whether a cell holds no answer.
fn empty(v: &Bound<'_, PyAny>) -> bool {
    if v.is_none() {
        return true;
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_cow().is_ok_and(|s| s.trim().is_empty());
    }
    false
}

fn is_na(v: &Bound<'_, PyAny>) -> bool {
    v.cast::<PyString>().is_ok_and(|s| {
        s.to_cow().is_ok_and(|s| matches!(s.trim().to_ascii_lowercase().as_str(), "not_applicable" | "not applicable" | "n/a" | "na"))
    })
}

/// A cell's answer; `None` for no answer.
fn response(v: &Bound<'_, PyAny>, measured: bool, path: &str) -> Result<Option<Response>, Bad> {
    if empty(v) {
        return Ok(None);
    }
    if is_na(v) {
        return Ok(Some(Response { not_applicable: true, ..Response::default() }));
    }
    let mut r = Response::default();
    if measured {
        r.value = Some(convert::decimal(v, path)?);
    } else {
        r.level = Some(convert::level(v, path)?);
    }
    Ok(Some(r))
}

/// An id or name cell: text, or a number written as text.
fn label(v: &Bound<'_, PyAny>, path: &str) -> Result<String, Bad> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_cow().map_err(|e| Bad { path: path.into(), message: e.to_string() })?.into_owned());
    }
    if v.extract::<i64>().is_ok() {
        return Ok(v.str().map_err(|e| Bad { path: path.into(), message: e.to_string() })?.to_string());
    }
    Err(Bad { path: path.into(), message: format!("expected text, found {}", convert::type_name(v)) })
}

/// A column's values as `_frame.py` sends them, without the Python objects: what the
/// workers read with the GIL released.
enum Data {
    /// One Python object per row (a list).
    Objects,
    /// One float per row (NaN: no answer), from `("f64", bytes)`.
    F64(Vec<f64>),
    /// One integer per row, from `("i64", bytes)`.
    I64(Vec<i64>),
    /// Per row, the index of its value among the distinct values (-1: no value), from
    /// `("codes", bytes, values)`: each distinct value is read once.
    Codes(Vec<i64>),
}

/// A column: its values, and the Python objects (per row for a list, the distinct values
/// for codes).
struct Col<'py> {
    data: Data,
    objects: Vec<Bound<'py, PyAny>>,
}

/// Where a cell's value is.
enum At<'a, 'py> {
    Empty,
    F64(f64),
    I64(i64),
    /// A Python object, with the index of its distinct value when the column is coded.
    Obj(&'a Bound<'py, PyAny>, Option<usize>),
}

/// Where a cell's value is, without Python.
#[derive(Clone, Copy)]
enum PureAt {
    Empty,
    F64(f64),
    I64(i64),
    Code(usize),
    /// A Python object: read with the GIL.
    Object,
}

fn words(bytes: &[u8], rows: usize) -> Option<impl Iterator<Item = [u8; 8]> + '_> {
    (bytes.len() == rows.checked_mul(8)?).then(|| bytes.chunks_exact(8).map(|c| <[u8; 8]>::try_from(c).unwrap_or_default()))
}

impl Data {
    fn at(&self, row: usize) -> PureAt {
        match self {
            Data::Objects => PureAt::Object,
            Data::F64(v) => v.get(row).map_or(PureAt::Empty, |f| PureAt::F64(*f)),
            Data::I64(v) => v.get(row).map_or(PureAt::Empty, |i| PureAt::I64(*i)),
            Data::Codes(codes) => codes.get(row).and_then(|c| usize::try_from(*c).ok()).map_or(PureAt::Empty, PureAt::Code),
        }
    }
}

impl<'py> Col<'py> {
    /// Reads a column as `_frame.py` sends it; a list is coded by identity when `code`.
    fn read(py: Python<'py>, name: &str, v: &Bound<'py, PyAny>, rows: usize, code: bool) -> PyResult<Self> {
        let fail = |msg: String| errors::assessment_problem(py, "<table>", name, msg);
        if let Ok(list) = v.cast::<PyList>() {
            if list.len() != rows {
                return Err(fail(format!("the column has {} cells, not {rows}", list.len())));
            }
            if !code {
                return Ok(Col { data: Data::Objects, objects: list.iter().collect() });
            }
            // Coded by identity: a cell that is the very object of an earlier cell reads the
            // same, so each distinct object is read once (text columns repeat a few objects).
            let mut seen: HashMap<usize, i64, Fast> = HashMap::default();
            let mut objects = Vec::new();
            let mut codes = Vec::with_capacity(rows);
            for o in list.iter() {
                let next = i64::try_from(objects.len()).unwrap_or(i64::MAX);
                let c = *seen.entry(o.as_ptr() as usize).or_insert(next);
                if c == next {
                    objects.push(o);
                }
                codes.push(c);
            }
            return Ok(Col { data: Data::Codes(codes), objects });
        }
        let t = v.cast::<PyTuple>().map_err(|_| fail("a column must be a list".into()))?;
        let kind: String = t.get_item(0)?.extract()?;
        let data = t.get_item(1)?;
        let bytes = data.cast::<PyBytes>().map_err(|_| fail("an encoded column must hold bytes".into()))?.as_bytes();
        let wrong = || fail(format!("the column has {} bytes, not 8 per row for {rows} rows", bytes.len()));
        match kind.as_str() {
            "f64" => {
                Ok(Col { data: Data::F64(words(bytes, rows).ok_or_else(wrong)?.map(f64::from_le_bytes).collect()), objects: Vec::new() })
            }
            "i64" => {
                Ok(Col { data: Data::I64(words(bytes, rows).ok_or_else(wrong)?.map(i64::from_le_bytes).collect()), objects: Vec::new() })
            }
            "codes" => {
                let codes: Vec<i64> = words(bytes, rows).ok_or_else(wrong)?.map(i64::from_le_bytes).collect();
                let values: Vec<Bound<'py, PyAny>> =
                    t.get_item(2)?.cast::<PyList>().map_err(|_| fail("expected a list of values".into()))?.iter().collect();
                if codes.iter().any(|c| *c >= 0 && usize::try_from(*c).map_or(true, |c| c >= values.len())) {
                    return Err(fail("a code is out of range".into()));
                }
                Ok(Col { data: Data::Codes(codes), objects: values })
            }
            other => Err(fail(format!("unknown column encoding `{other}`"))),
        }
    }

    fn at(&self, row: usize) -> At<'_, 'py> {
        match self.data.at(row) {
            PureAt::Empty => At::Empty,
            PureAt::F64(f) => At::F64(f),
            PureAt::I64(i) => At::I64(i),
            PureAt::Code(c) => self.objects.get(c).map_or(At::Empty, |o| At::Obj(o, Some(c))),
            PureAt::Object => self.objects.get(row).map_or(At::Empty, |o| At::Obj(o, None)),
        }
    }

    /// The cell as a Python object; `None` for a coded gap.
    fn object(&self, py: Python<'py>, row: usize) -> Option<Bound<'py, PyAny>> {
        match self.at(row) {
            At::Empty => None,
            At::F64(f) => Some(PyFloat::new(py, f).into_any()),
            At::I64(i) => i.into_pyobject(py).ok().map(Bound::into_any),
            At::Obj(o, _) => Some(o.clone()),
        }
    }

    /// How many distinct values a coded column has (0 otherwise): the size of its memo.
    fn distinct(&self) -> usize {
        match self.data {
            Data::Codes(_) => self.objects.len(),
            _ => 0,
        }
    }
}

/// The dense answer in a response; `None` when it holds neither a level, a value nor
/// not-applicable.
fn dense_cell(r: &Response) -> Option<Cell> {
    if r.not_applicable {
        Some(Cell::NotApplicable)
    } else if let Some(l) = r.level {
        Some(Cell::Level(l))
    } else {
        r.value.map(Cell::Value)
    }
}

/// A measured value from a float, exactly as `convert::decimal` reads the float's shortest
/// repr; `None` where Python would write an exponent and for NaN, infinities and -0.0 (read
/// through Python then).
fn float_value(f: f64) -> Option<Decimal> {
    let fixed = f == 0.0 && f.is_sign_positive() || (1e-4..1e16).contains(&f.abs());
    if !fixed {
        return None;
    }
    // Rust writes the same shortest round-trip digits as Python's repr; Python adds `.0`.
    let mut s = format!("{f}");
    if !s.contains('.') {
        s.push_str(".0");
    }
    parse_decimal(&s).ok()
}

/// Measured values already read from floats, by the float's bits: a column holds few
/// distinct values.
type Floats = HashMap<u64, Option<Decimal>, Fast>;

/// A cell read without Python: `None` when it needs the GIL (a Python object, or a number
/// only Python reads the same way).
fn pure_item_cell(
    at: PureAt,
    measured: bool,
    memo: &Memo<Result<Option<Cell>, Bad>>,
    floats: Option<&mut Floats>,
) -> Option<Result<Option<Cell>, Bad>> {
    match at {
        PureAt::F64(f) if measured && !f.is_nan() => {
            let d = match floats {
                Some(cache) => *cache.entry(f.to_bits()).or_insert_with(|| float_value(f)),
                None => float_value(f),
            };
            d.map(|d| Ok(Some(Cell::Value(d))))
        }
        PureAt::Empty => Some(Ok(None)),
        PureAt::F64(f) if f.is_nan() => Some(Ok(None)),
        PureAt::F64(f) if !measured => {
            // A whole number from 1 to 255 (the cast saturates and sends NaN to 0: neither
            // passes the round trip), without `fract`'s library call.
            let l = f as u8;
            (l >= 1 && f64::from(l) == f).then_some(Ok(Some(Cell::Level(l))))
        }
        PureAt::F64(_) => None,
        PureAt::I64(i) if measured => Some(Ok(Some(Cell::Value(Decimal::from(i))))),
        PureAt::I64(i) => u8::try_from(i).ok().map(|l| Ok(Some(Cell::Level(l)))),
        PureAt::Code(c) => memo.0.get(c).cloned().flatten(),
        PureAt::Object => None,
    }
}

/// A cell of an item column: no answer, or the dense answer (before evidence).
fn item_cell(py: Python<'_>, at: &At<'_, '_>, measured: bool, path: &str) -> Result<Option<Cell>, Bad> {
    let slow = |v: &Bound<'_, PyAny>| response(v, measured, path).map(|r| r.as_ref().and_then(dense_cell));
    match *at {
        At::Empty => Ok(None),
        At::F64(f) => match pure_item_cell(PureAt::F64(f), measured, &Memo(Vec::new()), None) {
            Some(r) => r,
            None => slow(PyFloat::new(py, f).as_any()),
        },
        At::I64(i) => match pure_item_cell(PureAt::I64(i), measured, &Memo(Vec::new()), None) {
            Some(r) => r,
            None => slow(i.into_pyobject(py).map_err(|e| Bad { path: path.into(), message: e.to_string() })?.as_any()),
        },
        At::Obj(v, _) => slow(v),
    }
}

/// What goes with an item's answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Evidence,
    Justification,
    Comment,
}

impl Side {
    fn suffix(self) -> &'static str {
        match self {
            Side::Evidence => "evidence",
            Side::Justification => "justification",
            Side::Comment => "comment",
        }
    }
}

/// A side cell read without Python: `None` when it needs the GIL.
fn pure_side_flag(at: PureAt, memo: &Memo<Result<Option<bool>, Bad>>) -> Option<Result<Option<bool>, Bad>> {
    match at {
        PureAt::Empty => Some(Ok(None)),
        PureAt::F64(f) if f.is_nan() => Some(Ok(None)),
        PureAt::Code(c) => memo.0.get(c).cloned().flatten(),
        _ => None,
    }
}

/// A side cell: `None` when empty, else whether it holds anything but blanks.
fn side_flag(py: Python<'_>, at: &At<'_, '_>, which: Side, path: &str) -> Result<Option<bool>, Bad> {
    let v = match *at {
        At::Empty => return Ok(None),
        At::F64(f) if f.is_nan() => return Ok(None),
        At::F64(f) => PyFloat::new(py, f).into_any(),
        At::I64(i) => i.into_pyobject(py).map_err(|e| Bad { path: path.into(), message: e.to_string() })?.into_any(),
        At::Obj(v, _) => v.clone(),
    };
    if empty(&v) {
        return Ok(None);
    }
    Ok(Some(match which {
        Side::Evidence => evidence(&v, path)?.iter().any(|e| !e.trim().is_empty()),
        Side::Justification => !label(&v, path)?.trim().is_empty(),
        Side::Comment => {
            label(&v, path)?;
            true
        }
    }))
}

/// Results per distinct value of a coded column, worked out once with the GIL.
struct Memo<T>(Vec<Option<T>>);

impl<T: Clone> Memo<T> {
    /// Works out every distinct value of `col` up front.
    fn warm<'py>(col: &Col<'py>, f: impl Fn(&At<'_, 'py>) -> T) -> Self {
        Memo((0..col.distinct()).map(|c| col.objects.get(c).map(|o| f(&At::Obj(o, Some(c))))).collect())
    }

    fn get(&self, at: &At<'_, '_>, f: impl FnOnce() -> T) -> T {
        match at {
            At::Obj(_, Some(c)) => match self.0.get(*c) {
                Some(Some(v)) => v.clone(),
                _ => f(),
            },
            _ => f(),
        }
    }
}

/// An item column, its side columns, and whether a number in it is a measured value, per
/// team model (`[act, icm]`).
struct ItemCol<'py> {
    id: String,
    ix: usize,
    col: Col<'py>,
    /// Per team model of the rubric (in its order): whether the item is measured.
    measured: Vec<bool>,
    sides: Vec<(Side, Col<'py>)>,
}

/// A side column's flag per distinct value.
type SideMemo = Memo<Result<Option<bool>, Bad>>;

/// A row's head (or first problem) and the check of its remaining text cells.
type RowHead = (Result<Assessment, Bad>, Result<(), Bad>);

/// What the workers read of an item column: no Python objects.
struct PureItem<'a> {
    ix: usize,
    data: &'a Data,
    measured: Vec<bool>,
    /// Per distinct value read as a level (`[0]`) and as a measured value (`[1]`).
    memo: [Memo<Result<Option<Cell>, Bad>>; 2],
    sides: Vec<(Side, &'a Data, SideMemo)>,
}

/// Why a row could not be read without Python.
enum Unread {
    Bad(Bad),
    NeedsPython,
}

/// Reads the item cells of `row` into `slots` (by item index) without Python; the first
/// problem, in column order, stops it.
fn read_row_pure(
    items: &[PureItem<'_>],
    floats: &mut [Floats],
    row: usize,
    m: usize,
    slots: &mut [Option<DenseAnswer>],
) -> Result<(), Unread> {
    for (c, floats) in items.iter().zip(floats) {
        let measured = c.measured.get(m).copied().unwrap_or(false);
        let memo = c.memo.get(usize::from(measured)).ok_or(Unread::NeedsPython)?;
        let parsed = pure_item_cell(c.data.at(row), measured, memo, Some(floats)).ok_or(Unread::NeedsPython)?;
        let Some(answer) = parsed.map_err(Unread::Bad)? else { continue };
        let mut dense = DenseAnswer::bare(answer);
        for (which, data, memo) in &c.sides {
            let flag = pure_side_flag(data.at(row), memo).ok_or(Unread::NeedsPython)?.map_err(Unread::Bad)?;
            set_side(&mut dense, *which, flag);
        }
        if let Some(slot) = slots.get_mut(c.ix) {
            *slot = Some(dense);
        }
    }
    Ok(())
}

/// Records what a side column says of an answer: evidence given, a justification given
/// (a comment only has to read).
fn set_side(dense: &mut DenseAnswer, which: Side, flag: Option<bool>) {
    match which {
        Side::Evidence => dense.evidence = flag.unwrap_or(false),
        Side::Justification => dense.justification = flag.unwrap_or(false),
        Side::Comment => {}
    }
}

/// As [`read_row_pure`], with the GIL: reads anything.
fn read_row(
    py: Python<'_>,
    items: &[ItemCol<'_>],
    pure: &[PureItem<'_>],
    row: usize,
    m: usize,
    slots: &mut [Option<DenseAnswer>],
) -> Result<(), Bad> {
    for (c, p) in items.iter().zip(pure) {
        let measured = c.measured.get(m).copied().unwrap_or(false);
        let at = c.col.at(row);
        let parsed = match p.memo.get(usize::from(measured)) {
            Some(memo) => memo.get(&at, || item_cell(py, &at, measured, &c.id)),
            None => item_cell(py, &at, measured, &c.id),
        };
        let Some(answer) = parsed? else { continue };
        let mut dense = DenseAnswer::bare(answer);
        for ((which, col), (_, _, memo)) in c.sides.iter().zip(&p.sides) {
            let at = col.at(row);
            let path = || format!("{}:{}", c.id, which.suffix());
            let flag = memo.get(&at, || side_flag(py, &at, *which, &path()))?;
            set_side(&mut dense, *which, flag);
        }
        if let Some(slot) = slots.get_mut(c.ix) {
            *slot = Some(dense);
        }
    }
    Ok(())
}

/// The metadata columns, looked up once.
struct MetaCols<'a, 'py> {
    cols: &'a BTreeMap<String, Col<'py>>,
    project_id: Option<&'a Col<'py>>,
    name: Option<&'a Col<'py>>,
    team_model: Option<&'a Col<'py>>,
    date: Option<&'a Col<'py>>,
    assessor: Option<&'a Col<'py>>,
    /// Per distinct value of coded columns.
    team_models: Memo<Result<TeamModel, Bad>>,
    dates: Memo<Result<hf_fidelity::Date, Bad>>,
    assessors: Memo<Result<AssessorKind, Bad>>,
}

fn nonempty<'py>(py: Python<'py>, col: Option<&Col<'py>>, row: usize) -> Option<Bound<'py, PyAny>> {
    col.and_then(|c| c.object(py, row)).filter(|v| !empty(v))
}

fn cell<'py>(py: Python<'py>, cols: &BTreeMap<String, Col<'py>>, name: &str, row: usize) -> Option<Bound<'py, PyAny>> {
    nonempty(py, cols.get(name), row)
}

impl<'a, 'py> MetaCols<'a, 'py> {
    fn new(cols: &'a BTreeMap<String, Col<'py>>) -> Self {
        let team_model = cols.get("team_model");
        let date = cols.get("date");
        let assessor = cols.get("assessor");
        fn warm<'py, T: Clone>(col: Option<&Col<'py>>, f: impl Fn(&Bound<'py, PyAny>) -> T) -> Memo<T> {
            match col {
                // Empty cells fall back to the call's default: not memoised.
                Some(c) => Memo::warm(c, |at| match at {
                    At::Obj(o, _) if !empty(o) => Some(f(o)),
                    _ => None,
                })
                .flatten(),
                None => Memo(Vec::new()),
            }
        }
        MetaCols {
            cols,
            project_id: cols.get("project_id"),
            name: cols.get("name"),
            team_model,
            date,
            assessor,
            team_models: warm(team_model, |v| convert::team_model(v, "team_model")),
            dates: warm(date, |v| convert::date(v, "date")),
            assessors: warm(assessor, |v| convert::assessor_kind(v, "assessor")),
        }
    }
}

impl<T> Memo<Option<T>> {
    fn flatten(self) -> Memo<T> {
        Memo(self.0.into_iter().map(Option::flatten).collect())
    }
}

/// A metadata cell (or the call's default when it is empty) read with `f`, memoised for
/// coded columns; `None` when there is neither.
fn meta_value<'py, T: Clone>(
    py: Python<'py>,
    col: Option<&Col<'py>>,
    memo: &Memo<Result<T, Bad>>,
    row: usize,
    default: Option<&Bound<'py, PyAny>>,
    f: impl Fn(&Bound<'py, PyAny>) -> Result<T, Bad>,
) -> Result<Option<T>, Bad> {
    if let Some(c) = col {
        if let PureAt::Code(k) = c.data.at(row) {
            if let Some(Some(v)) = memo.0.get(k) {
                return v.clone().map(Some);
            }
        }
    }
    nonempty(py, col, row).or_else(|| default.cloned()).map(|v| f(&v)).transpose()
}

/// The head of one row's assessment (everything but the responses), or the first problem.
fn row_head<'py>(py: Python<'py>, meta: &MetaCols<'_, 'py>, opts: &Options<'_, 'py>, row: usize) -> Result<Assessment, Bad> {
    let need = |name: &str| Bad { path: name.into(), message: format!("no `{name}`: add a `{name}` column or pass {name}=...") };
    // Every row has its own project: there is no keyword for it.
    let no_id = || Bad {
        path: "project_id".into(),
        message: "no `project_id`: add a `project_id` column (every row needs its project's id)".into(),
    };
    let id = label(&nonempty(py, meta.project_id, row).ok_or_else(no_id)?, "project_id")?;
    let name = nonempty(py, meta.name, row).map(|v| label(&v, "name")).transpose()?.unwrap_or_else(|| id.clone());
    let team_model = meta_value(py, meta.team_model, &meta.team_models, row, opts.team_model, |v| convert::team_model(v, "team_model"))?
        .ok_or_else(|| need("team_model"))?;
    let date = meta_value(py, meta.date, &meta.dates, row, opts.date, |v| convert::date(v, "date"))?.ok_or_else(|| need("date"))?;
    let kind = meta_value(py, meta.assessor, &meta.assessors, row, opts.assessor, |v| convert::assessor_kind(v, "assessor"))?
        .unwrap_or(AssessorKind::SelfAssessment);
    Ok(head(ASSESSMENT_FORMAT.to_owned(), id, name, team_model, date, kind))
}

/// An assessment with what a summary row shows of it and no answers: the answers go to
/// the dense cells.
pub fn head(format: String, id: String, name: String, team_model: TeamModel, date: hf_fidelity::Date, kind: AssessorKind) -> Assessment {
    Assessment {
        format,
        project: Project { id, name, location: None },
        rubric: None,
        team_model,
        date,
        period: None,
        assessor: Assessor { kind, name: None },
        rating: None,
        reconciles: Vec::new(),
        expected_outcome: None,
        comment: None,
        target_public: None,
        responses: BTreeMap::new(),
    }
}

/// Rows read and summarised at a time.
const BLOCK: usize = 8192;

/// A row after the parallel pass.
enum RowOut {
    /// Its problem reading the table (reported as is).
    Bad(Bad),
    /// Read with the GIL after the parallel pass.
    NeedsPython,
    /// Its summary, or why the engine rejects it.
    Done(Result<Summary, hf_fidelity::Error>),
    /// Its metadata could not be read.
    Skipped,
}

/// Reads the columns, summarises every row with the GIL released, returns output columns.
pub fn audit_columns<'py>(
    py: Python<'py>,
    rubric: &Rubric,
    columns: &Bound<'py, PyDict>,
    rows: usize,
    opts: &Options<'_, 'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let compiled = &rubric.inner;
    let r = compiled.rubric();
    // A row's team model, by position in the rubric's; one the rubric does not cover has no
    // measured item, and the row's head check refuses it.
    let model_ix = |m: &TeamModel| r.team_models.iter().position(|x| x == m).unwrap_or(usize::MAX);
    let mut meta: BTreeMap<String, Col<'py>> = BTreeMap::new();
    let mut items: Vec<ItemCol<'py>> = Vec::new();
    let mut extra = Vec::new();
    let mut sides: Vec<(String, Side, Col<'py>)> = Vec::new();
    let specs: BTreeMap<&str, (usize, &hf_fidelity::rubric::model::Item)> =
        r.domains.iter().flat_map(|d| d.items.iter()).enumerate().map(|(ix, i)| (i.id.as_str(), (ix, i))).collect();
    for (k, v) in columns.iter() {
        let name: String = k.extract().map_err(|_| {
            errors::assessment_problem(py, "<table>", "", format!("column names must be strings, found {}", convert::type_name(&k)))
        })?;
        // Item, side and coded metadata columns are read through per-value memos.
        let coded = !META.contains(&name.as_str()) || ["team_model", "date", "assessor"].contains(&name.as_str());
        let col = Col::read(py, &name, &v, rows, coded)?;
        if META.contains(&name.as_str()) {
            meta.insert(name, col);
        } else if let Some((ix, item)) = specs.get(name.as_str()) {
            let measured = r.team_models.iter().map(|m| rubric.measured(item, m)).collect();
            items.push(ItemCol { id: name, ix: *ix, col, measured, sides: Vec::new() });
        } else if let Some((id, ix)) = name.strip_suffix(":level").and_then(|id| Some((id, specs.get(id)?.0))) {
            // `<item>:level`: the item's level, for a measured item rated on the scale
            // rather than measured (research data), never read as a measured value.
            items.push(ItemCol { id: id.to_owned(), ix, col, measured: vec![false; r.team_models.len()], sides: Vec::new() });
        } else if let Some((item, which)) = name
            .rsplit_once(':')
            .and_then(|(i, w)| Some((i, [Side::Evidence, Side::Justification, Side::Comment].into_iter().find(|x| x.suffix() == w)?)))
            .filter(|(i, _)| specs.contains_key(i))
        {
            sides.push((item.to_owned(), which, col));
        } else {
            extra.push(name);
        }
    }
    // An item given both as itself and as `<item>:level` would be answered twice.
    let mut ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(twice) = ids.windows(2).find(|w| w.first() == w.get(1)).and_then(|w| w.first()) {
        return Err(errors::assessment_problem(
            py,
            "<table>",
            &format!("{twice}:level"),
            format!("columns `{twice}` and `{twice}:level` both answer item `{twice}`: keep one (the measured value, or the level)"),
        ));
    }
    for (item, which, col) in sides {
        match items.iter_mut().find(|c| c.id == item) {
            Some(c) => c.sides.push((which, col)),
            None => extra.push(format!("{item}:{}", which.suffix())),
        }
    }
    for c in &mut items {
        // Evidence, then justification, then comment: the order cells are checked in.
        c.sides.sort_by_key(|(w, _)| *w as u8);
    }
    if !extra.is_empty() && !opts.ignore_extra {
        return Err(errors::assessment_problem(
            py,
            "<table>",
            extra.first().map_or("", |s| s.as_str()),
            format!(
                "column(s) {} are neither metadata ({}) nor items of rubric `{}`: fix the names, or pass extra=\"ignore\"",
                extra.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "),
                META.join(", "),
                r.id
            ),
        ));
    }
    if !meta.contains_key("project_id") {
        return Err(errors::assessment_problem(py, "<table>", "project_id", "the table has no `project_id` column".into()));
    }

    // Every distinct value of coded columns is read once, here, with the GIL.
    let pure: Vec<PureItem<'_>> = items
        .iter()
        .map(|c| PureItem {
            ix: c.ix,
            data: &c.col.data,
            measured: c.measured.clone(),
            memo: [false, true].map(|measured| Memo::warm(&c.col, |at| item_cell(py, at, measured, &c.id))),
            sides: c
                .sides
                .iter()
                .map(|(which, col)| {
                    let path = format!("{}:{}", c.id, which.suffix());
                    (*which, &col.data, Memo::warm(col, |at| side_flag(py, at, *which, &path)))
                })
                .collect(),
        })
        .collect();
    let meta_cols = MetaCols::new(&meta);

    // Rows are read a block at a time: the metadata with the GIL, the items and the
    // summaries on all cores without it; rows holding cells only Python can read (objects,
    // unusual numbers) are then read with the GIL.
    let width = compiled.item_count().max(1);
    let plan = opts.plan;
    let mut heads: Vec<Result<Assessment, Bad>> = Vec::with_capacity(rows);
    let mut summaries: Vec<Option<Result<Summary, hf_fidelity::Error>>> = Vec::with_capacity(rows);
    let mut start = 0;
    while start < rows {
        // Ctrl-C stops a long audit between blocks.
        py.check_signals()?;
        let end = start.saturating_add(BLOCK).min(rows);
        let mut block: Vec<RowHead> = Vec::with_capacity(end.saturating_sub(start));
        for row in start..end {
            let head = row_head(py, &meta_cols, opts, row);
            // Checked after the items (the order problems are reported in), not used otherwise.
            let text = |n: &str| cell(py, meta_cols.cols, n, row).map(|v| label(&v, n)).transpose().map(|_| ());
            let tail =
                if head.is_ok() { text("location").and_then(|()| text("assessor_name")).and_then(|()| text("comment")) } else { Ok(()) };
            block.push((head, tail));
        }
        let read = |h: &Assessment, tail: &Result<(), Bad>, slots: &[Option<DenseAnswer>]| match tail {
            Err(b) => RowOut::Bad(b.clone()),
            Ok(()) => RowOut::Done(compiled.summarise_with(h, slots, "<table>", plan)),
        };
        let work: Vec<(usize, &RowHead)> = (start..end).zip(block.iter()).collect();
        let scratch = || (vec![None; width], pure.iter().map(|_| Floats::default()).collect::<Vec<_>>());
        let outs: Vec<RowOut> = py
            .detach(|| {
                par_map_with(&work, scratch, |(slots, floats), (row, (head, tail))| {
                    let Ok(h) = head else { return RowOut::Skipped };
                    slots.fill(None);
                    match read_row_pure(&pure, floats, *row, model_ix(&h.team_model), slots) {
                        Err(Unread::Bad(b)) => RowOut::Bad(b),
                        Err(Unread::NeedsPython) => RowOut::NeedsPython,
                        Ok(()) => read(h, tail, slots),
                    }
                })
            })
            .ok_or_else(worker_panicked)?;
        for ((row, (mut head, tail)), out) in (start..end).zip(block).zip(outs) {
            let out = match (out, &head) {
                (RowOut::NeedsPython, Ok(h)) => {
                    let mut slots = vec![None; width];
                    match read_row(py, &items, &pure, row, model_ix(&h.team_model), &mut slots) {
                        Err(b) => RowOut::Bad(b),
                        Ok(()) => read(h, &tail, &slots),
                    }
                }
                (out, _) => out,
            };
            let mut summary = None;
            match out {
                RowOut::Bad(b) => head = Err(b),
                RowOut::Done(s) => summary = Some(s),
                RowOut::NeedsPython | RowOut::Skipped => {}
            }
            if let Err(b) = &head {
                let err = errors::assessment_problem(py, "<table>", &b.path, format!("row {row}: {}", b.message));
                let _ = err.value(py).setattr("row", row);
                if !opts.keep_errors {
                    return Err(err);
                }
                // Kept as the message to show in the `error` column.
                head = Err(Bad { path: String::new(), message: err.value(py).str().map(|s| s.to_string()).unwrap_or_default() });
            }
            heads.push(head);
            summaries.push(summary);
        }
        start = end;
    }

    let mut results = Vec::with_capacity(rows);
    let mut metas = Vec::with_capacity(rows);
    for (row, (s, h)) in summaries.into_iter().zip(heads).enumerate() {
        let failed = h.as_ref().err().map(|b| b.message.clone());
        metas.push(match h {
            // Moved out of the head rather than copied: one allocation less per text.
            Ok(a) => Meta {
                project_id: a.project.id,
                name: a.project.name,
                team_model: a.team_model.code().to_owned(),
                date: a.date.to_string(),
            },
            // Metadata cells for rows that failed early come from the table itself.
            Err(_) => Meta {
                project_id: cell(py, &meta, "project_id", row).and_then(|v| label(&v, "").ok()).unwrap_or_default(),
                name: String::new(),
                team_model: String::new(),
                date: String::new(),
            },
        });
        match s {
            Some(Ok(s)) => results.push(Ok(s)),
            Some(Err(e)) => {
                let err = errors::to_py(py, &e, Doc::Assessment);
                let v = err.value(py);
                let _ = v.setattr("row", row);
                let msg = format!("row {row}: {e}");
                let _ = v.setattr("message", &msg);
                let _ = v.setattr("args", (msg.clone(),));
                if !opts.keep_errors {
                    return Err(err);
                }
                results.push(Err(msg));
            }
            None => results.push(Err(failed.unwrap_or_default())),
        }
    }
    let out = output(py, compiled, &metas, results, opts.decimals, opts.keep_errors, plan, opts.encode)?;
    if let Some(round) = meta.get("round") {
        let cells: Vec<Bound<'py, PyAny>> =
            (0..rows).map(|row| round.object(py, row).unwrap_or_else(|| py.None().into_bound(py))).collect();
        out.set_item("round", PyList::new(py, cells)?)?;
    }
    Ok(out)
}

/// A quick hasher for the small keys of per-call caches (FxHash's mixing); no protection
/// against crafted keys is needed there.
#[derive(Default, Clone, Copy)]
pub struct Fast;

/// The state of [`Fast`].
#[derive(Default)]
pub struct FastHasher(u64);

impl std::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
    fn write_i128(&mut self, n: i128) {
        self.write_u128(n as u128);
    }
}

/// A column's distinct values, each given a code (its position) on first sight, and the
/// code of every row: a table's scores and texts take few distinct values, so each becomes
/// a Python object once.
struct Coder<K> {
    index: HashMap<K, u32, Fast>,
    keys: Vec<K>,
    codes: Vec<u32>,
}

impl<K: std::hash::Hash + Eq + Clone> Coder<K> {
    fn new(rows: usize) -> Self {
        Coder { index: HashMap::default(), keys: Vec::new(), codes: Vec::with_capacity(rows) }
    }

    fn push(&mut self, key: K) {
        let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        let keys = &mut self.keys;
        let code = *self.index.entry(key).or_insert_with_key(|k| {
            keys.push(k.clone());
            next
        });
        self.codes.push(code);
    }

    /// The column: a list of one object per row (`("codes", little-endian u32 codes,
    /// distinct values)` when `encode`), with `value` making each distinct value's object.
    fn finish<'py>(
        self,
        py: Python<'py>,
        encode: bool,
        mut value: impl FnMut(&K) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = self.keys.iter().map(&mut value).collect::<PyResult<Vec<_>>>()?;
        if encode {
            let bytes: Vec<u8> = self.codes.iter().flat_map(|c| c.to_le_bytes()).collect();
            return Ok(("codes", PyBytes::new(py, &bytes), PyList::new(py, values)?).into_pyobject(py)?.into_any());
        }
        let cells = self
            .codes
            .iter()
            .map(|c| usize::try_from(*c).ok().and_then(|c| values.get(c)).cloned().unwrap_or_else(|| py.None().into_bound(py)));
        Ok(PyList::new(py, cells)?.into_any())
    }
}

/// A score as a float, exactly as parsing its text gives it: one correctly rounded division
/// when the mantissa and the power of ten are exact doubles, the text otherwise.
fn score_float(d: Decimal) -> Option<f64> {
    let m = d.mantissa();
    if (0..1 << 53).contains(&m) && d.scale() <= 22 && !(m == 0 && d.is_sign_negative()) {
        // Both operands are exact; IEEE division rounds the quotient correctly.
        #[allow(clippy::cast_precision_loss)]
        let x = m as f64 / 10f64.powi(i32::try_from(d.scale()).ok()?);
        return Some(x);
    }
    d.to_string().parse().ok()
}

/// A decimal as a key: its exact representation (`3.5` and `3.50` differ), quicker to hash
/// than `Decimal`, whose hash normalises first.
fn score_key(d: Option<Decimal>) -> Option<u128> {
    d.map(|d| u128::from_le_bytes(d.serialize()))
}

fn key_score(k: Option<u128>) -> Option<Decimal> {
    k.map(|k| Decimal::deserialize(k.to_le_bytes()))
}

/// A column of scores: per row, `None` (no score) or the decimal (as [`score_key`]).
fn scores<'py>(py: Python<'py>, col: Coder<Option<u128>>, dec: &Decimals<'py>, encode: bool) -> PyResult<Bound<'py, PyAny>> {
    if encode && dec.mode() == DecimalMode::Float {
        let floats: Vec<f64> = col.keys.iter().map(|k| key_score(*k).and_then(score_float).unwrap_or(f64::NAN)).collect();
        let bytes: Vec<u8> = col
            .codes
            .iter()
            .flat_map(|c| usize::try_from(*c).ok().and_then(|c| floats.get(c)).copied().unwrap_or(f64::NAN).to_le_bytes())
            .collect();
        return Ok(("f64", PyBytes::new(py, &bytes)).into_pyobject(py)?.into_any());
    }
    col.finish(py, encode, |k| dec.opt(key_score(*k)))
}

/// The output columns: `project_id`, `name`, `team_model`, `date`, `outcome`, `overall`,
/// `mean_of_items`, `mean_of_domains`, `domain:<id>`..., `principle:<id>`...,
/// `failed_rules`, `missing`, `warnings`, with `plan` also `plan_target`, `plan_steps`
/// (and `error` when errors are kept). Each is a list, unless `encode`: then columns with
/// few distinct values come as `("codes", bytes, values)` and float scores as
/// `("f64", bytes)` (NaN: no score), for `_frame.py` to expand with numpy.
#[allow(clippy::too_many_arguments)]
pub fn output<'py>(
    py: Python<'py>,
    rubric: &CompiledRubric,
    metas: &[Meta],
    results: Vec<Result<Summary, String>>,
    decimals: DecimalMode,
    with_errors: bool,
    plan: bool,
    encode: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let dec = Decimals::new(py, decimals);
    let none = || py.None().into_bound(py);
    let r = rubric.rubric();
    let item_ids: Vec<&str> = rubric.item_ids().collect();
    let n = results.len();
    let mut project_id = Vec::with_capacity(n);
    let mut name = Vec::with_capacity(n);
    let mut team_model: Coder<&str> = Coder::new(n);
    let mut date: Coder<&str> = Coder::new(n);
    let mut outcome: Coder<Outcome> = Coder::new(n);
    let score = || Coder::<Option<u128>>::new(n);
    let (mut overall, mut items_mean, mut domains_mean) = (score(), score(), score());
    let mut domains: Vec<Coder<Option<u128>>> = r.domains.iter().map(|_| score()).collect();
    let mut principles: Vec<Coder<Option<u128>>> = r.principles.iter().map(|_| score()).collect();
    let mut failed: Coder<Option<Vec<(usize, usize)>>> = Coder::new(n);
    let mut missing: Coder<Option<Vec<usize>>> = Coder::new(n);
    let mut warnings: Coder<Option<Vec<usize>>> = Coder::new(n);
    let mut target: Coder<Option<Outcome>> = Coder::new(if plan { n } else { 0 });
    let (mut steps, mut error) = (Vec::new(), Vec::new());
    let s = |v: &str| PyString::new(py, v).into_any();
    for (m, res) in metas.iter().zip(results) {
        project_id.push(s(&m.project_id));
        name.push(if m.name.is_empty() { none() } else { s(&m.name) });
        team_model.push(m.team_model.as_str());
        date.push(m.date.as_str());
        match res {
            Ok(d) => {
                outcome.push(d.outcome);
                overall.push(score_key(d.overall));
                items_mean.push(score_key(d.mean_of_items));
                domains_mean.push(score_key(d.mean_of_domains));
                for (c, g) in domains.iter_mut().zip(&d.domains) {
                    c.push(score_key(*g));
                }
                for (c, g) in principles.iter_mut().zip(&d.principles) {
                    c.push(score_key(*g));
                }
                failed.push(Some(d.failed_rules));
                missing.push(Some(d.missing));
                warnings.push(Some(d.warnings));
                if plan {
                    let (t, k) = d.plan.unwrap_or((None, 0));
                    target.push(t);
                    steps.push(k.into_pyobject(py)?.into_any());
                }
                if with_errors {
                    error.push(none());
                }
            }
            Err(msg) => {
                outcome.push(Outcome::from("error"));
                for c in
                    [&mut overall, &mut items_mean, &mut domains_mean].into_iter().chain(domains.iter_mut()).chain(principles.iter_mut())
                {
                    c.push(None);
                }
                failed.push(None);
                missing.push(None);
                warnings.push(None);
                if plan {
                    target.push(None);
                    steps.push(none());
                }
                if with_errors {
                    error.push(s(&msg));
                }
            }
        }
    }
    // Texts: an empty key (a row whose metadata could not be read) is None.
    let text = |t: &str| Ok(if t.is_empty() { none() } else { s(t) });
    let joined = |v: Option<String>| Ok(v.map_or_else(none, |v| s(&v)));
    let out = PyDict::new(py);
    out.set_item("project_id", PyList::new(py, project_id)?)?;
    out.set_item("name", PyList::new(py, name)?)?;
    out.set_item("team_model", team_model.finish(py, encode, |t| text(t))?)?;
    out.set_item("date", date.finish(py, encode, |t| text(t))?)?;
    out.set_item("outcome", outcome.finish(py, encode, |t| text(t.code()))?)?;
    out.set_item("overall", scores(py, overall, &dec, encode)?)?;
    out.set_item("mean_of_items", scores(py, items_mean, &dec, encode)?)?;
    out.set_item("mean_of_domains", scores(py, domains_mean, &dec, encode)?)?;
    for (d, c) in r.domains.iter().zip(domains) {
        out.set_item(format!("domain:{}", d.id), scores(py, c, &dec, encode)?)?;
    }
    for (p, c) in r.principles.iter().zip(principles) {
        out.set_item(format!("principle:{}", p.id), scores(py, c, &dec, encode)?)?;
    }
    out.set_item(
        "failed_rules",
        failed.finish(py, encode, |f| {
            joined(f.as_ref().map(|f| {
                f.iter().filter_map(|k| rubric.rule_ref(*k)).map(|(o, id)| format!("{}/{id}", o.code())).collect::<Vec<_>>().join(", ")
            }))
        })?,
    )?;
    out.set_item(
        "missing",
        missing.finish(py, encode, |m| {
            joined(m.as_ref().map(|m| m.iter().filter_map(|ix| item_ids.get(*ix).copied()).collect::<Vec<_>>().join(", ")))
        })?,
    )?;
    out.set_item(
        "warnings",
        warnings.finish(py, encode, |w| {
            joined(
                w.as_ref().map(|w| w.iter().filter_map(|c| r.model_checks.get(*c)).map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")),
            )
        })?,
    )?;
    if plan {
        out.set_item("plan_target", target.finish(py, encode, |t| Ok(t.as_ref().map_or_else(none, |t| s(t.code()))))?)?;
        out.set_item("plan_steps", PyList::new(py, steps)?)?;
    }
    if with_errors {
        out.set_item("error", PyList::new(py, error)?)?;
    }
    Ok(out)
}
