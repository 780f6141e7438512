//! A serde serializer that builds Python objects (dict, list, str, int, bool, None) from the
//! engine's types, keeping the field order of the structs.
//!
//! The engine writes decimals as strings (`"3.50"`), so they arrive here as strings. Fields
//! whose name is one of [`DECIMAL_FIELDS`] are turned into `decimal.Decimal` (or `float`,
//! or left as `str`, as the caller asks) by [`Decimals::convert`], read from their text:
//! never through a binary float.

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rust_decimal::Decimal;
use serde::ser::{self, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// The field names under which the engine's records, decisions, assessments and rubrics
/// carry a decimal written as a string.
pub const DECIMAL_FIELDS: &[&str] = &[
    "mean",
    "percent",
    "mean_of_domains",
    "observed",
    "threshold",
    "shortfall",
    "value",
    "min",
    "max",
    "at_least",
    "above",
    "at_most",
    "below",
    "value_above",
    "value_below",
    // The review's figures (`hf_fidelity::review`, `hf_fidelity::agreement`).
    "mean_difference",
    "mean_absolute_difference",
    "exact_share",
    "within_one_share",
    "kappa",
    "1,1",
    "2,1",
    "3,1",
    "1,k",
    "2,k",
    "3,k",
];

/// How decimals are handed to Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMode {
    /// `decimal.Decimal`, exact (the default).
    Decimal,
    /// `float`, on request (for plotting); rounded to the nearest binary float.
    Float,
    /// `str`, the engine's own text.
    Str,
}

impl DecimalMode {
    /// Reads the `decimals=` argument: `"decimal"`, `"float"` or `"str"`.
    pub fn parse(s: &str) -> PyResult<Self> {
        match s {
            "decimal" | "Decimal" => Ok(DecimalMode::Decimal),
            "float" => Ok(DecimalMode::Float),
            "str" => Ok(DecimalMode::Str),
            other => Err(PyValueError::new_err(format!("decimals must be \"decimal\", \"float\" or \"str\", not {other:?}"))),
        }
    }
}

/// Turns engine decimals into Python objects, reusing the object made for a decimal seen
/// before (scores take few distinct values, so a batch makes few `Decimal` objects).
pub struct Decimals<'py> {
    py: Python<'py>,
    mode: DecimalMode,
    /// Keyed by (mantissa, scale): `3.5` and `3.50` stay distinct.
    cache: RefCell<HashMap<(i128, u32), Bound<'py, PyAny>, crate::table::Fast>>,
}

impl<'py> Decimals<'py> {
    /// A converter for `mode`.
    pub fn new(py: Python<'py>, mode: DecimalMode) -> Self {
        Decimals { py, mode, cache: RefCell::new(HashMap::default()) }
    }

    /// The Python object for `d`.
    pub fn to_py(&self, d: Decimal) -> PyResult<Bound<'py, PyAny>> {
        let key = (d.mantissa(), d.scale());
        if let Some(v) = self.cache.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = match self.mode {
            // PyO3's `rust_decimal` conversion builds `decimal.Decimal` from the text.
            DecimalMode::Decimal => d.into_pyobject(self.py)?,
            DecimalMode::Float => {
                let f: f64 = d.to_string().parse().map_err(|_| PyValueError::new_err(format!("cannot read {d} as a float")))?;
                f.into_pyobject(self.py)?.into_any()
            }
            DecimalMode::Str => PyString::new(self.py, &d.to_string()).into_any(),
        };
        self.cache.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    /// The Python object for an optional decimal (`None` when absent).
    pub fn opt(&self, d: Option<Decimal>) -> PyResult<Bound<'py, PyAny>> {
        match d {
            Some(d) => self.to_py(d),
            None => Ok(self.py.None().into_bound(self.py)),
        }
    }

    /// The Python object for a decimal written as text by the engine.
    fn convert(&self, text: &str) -> PyResult<Bound<'py, PyAny>> {
        match Decimal::from_str_exact(text) {
            Ok(d) => self.to_py(d),
            // Not a decimal after all (a field that shares a name): keep the text.
            Err(_) => Ok(PyString::new(self.py, text).into_any()),
        }
    }
}

/// Serialises `value` into Python objects, converting decimal fields as `dec` says.
pub fn to_py<'py, T: Serialize + ?Sized>(dec: &Decimals<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { dec }).map_err(|e| e.0)
}

/// The serializer's error: a Python exception.
#[derive(Debug)]
pub struct SerError(PyErr);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError(e)
    }
}

#[derive(Clone, Copy)]
struct PySer<'a, 'py> {
    dec: &'a Decimals<'py>,
}

type R<'py> = Result<Bound<'py, PyAny>, SerError>;

impl<'a, 'py> PySer<'a, 'py> {
    fn py(self) -> Python<'py> {
        self.dec.py
    }
    fn obj<T: IntoPyObject<'py>>(self, v: T) -> R<'py> {
        v.into_bound_py_any(self.py()).map_err(SerError)
    }
}

/// Builds a list.
struct SeqB<'a, 'py> {
    s: PySer<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
}

/// Builds a list for an enum variant, as `{variant: [...]}`.
struct VariantSeqB<'a, 'py>(SeqB<'a, 'py>, &'static str);

/// Builds a dict; `key` holds a map key until its value arrives; `variant` wraps the
/// result as `{variant: ...}` for enum variants with fields.
struct MapB<'a, 'py> {
    s: PySer<'a, 'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'a, 'py> MapB<'a, 'py> {
    fn new(s: PySer<'a, 'py>, variant: Option<&'static str>) -> Self {
        MapB { s, dict: PyDict::new(s.py()), key: None, variant }
    }
    fn done(self) -> R<'py> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(v) => {
                let outer = PyDict::new(self.s.py());
                outer.set_item(v, self.dict)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'a, 'py> SeqB<'a, 'py> {
    fn done(self, variant: Option<&'static str>) -> R<'py> {
        let list = PyList::new(self.s.py(), self.items)?.into_any();
        match variant {
            None => Ok(list),
            Some(v) => {
                let outer = PyDict::new(self.s.py());
                outer.set_item(v, list)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'a, 'py> ser::Serializer for PySer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = SeqB<'a, 'py>;
    type SerializeTuple = SeqB<'a, 'py>;
    type SerializeTupleStruct = SeqB<'a, 'py>;
    type SerializeTupleVariant = VariantSeqB<'a, 'py>;
    type SerializeMap = MapB<'a, 'py>;
    type SerializeStruct = MapB<'a, 'py>;
    type SerializeStructVariant = MapB<'a, 'py>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        self.obj(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        self.obj(v.to_vec())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py().None().into_bound(self.py()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<'py> {
        self.obj(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, value: &T) -> R<'py> {
        let d = PyDict::new(self.py());
        d.set_item(variant, value.serialize(self)?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqB<'a, 'py>, SerError> {
        Ok(SeqB { s: self, items: Vec::with_capacity(len.unwrap_or(0)) })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqB<'a, 'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqB<'a, 'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, len: usize) -> Result<VariantSeqB<'a, 'py>, SerError> {
        Ok(VariantSeqB(SeqB { s: self, items: Vec::with_capacity(len) }, variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapB<'a, 'py>, SerError> {
        Ok(MapB::new(self, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapB<'a, 'py>, SerError> {
        Ok(MapB::new(self, None))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<MapB<'a, 'py>, SerError> {
        Ok(MapB::new(self, Some(variant)))
    }
}

impl<'py> ser::SerializeSeq for SeqB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.items.push(value.serialize(self.s)?);
        Ok(())
    }
    fn end(self) -> R<'py> {
        self.done(None)
    }
}

impl<'py> ser::SerializeTuple for SeqB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R<'py> {
        self.done(None)
    }
}

impl<'py> ser::SerializeTupleStruct for SeqB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R<'py> {
        self.done(None)
    }
}

impl<'py> ser::SerializeTupleVariant for VariantSeqB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        ser::SerializeSeq::serialize_element(&mut self.0, value)
    }
    fn end(self) -> R<'py> {
        self.0.done(Some(self.1))
    }
}

impl<'py> ser::SerializeMap for MapB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(key.serialize(self.s)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self.key.take().ok_or_else(|| SerError(PyValueError::new_err("a map value came without its key")))?;
        self.dict.set_item(key, value.serialize(self.s)?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStruct for MapB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        let v = value.serialize(self.s)?;
        let v = match v.cast::<PyString>() {
            Ok(s) if DECIMAL_FIELDS.contains(&key) && self.s.dec.mode != DecimalMode::Str => self.s.dec.convert(&s.to_cow()?)?,
            _ => v,
        };
        self.dict.set_item(key, v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStructVariant for MapB<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
