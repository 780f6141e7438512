//! Python bindings of `hf_fidelity`: load Housing First fidelity rubrics and
//! self-assessments, audit them, and get exact, auditable label decisions in Python.
//!
//! The native module is `hf_fidelity._native`; the Python package `hf_fidelity`
//! (`python/hf_fidelity/__init__.py`) re-exports it and adds the pandas helpers. All
//! scoring runs in the Rust engine with the GIL released; batches use every core.
//!
//! Decimals cross the boundary as text (`decimal.Decimal` <-> `rust_decimal::Decimal`),
//! never through a binary float, unless the caller asks for floats.

mod arrow;
mod convert;
mod dicts;
mod errors;
mod html;
mod objects;
mod ser;
mod table;

use pyo3::prelude::*;

/// The engine's version (the `hf-fidelity` crate this module was built with).
#[pyfunction]
fn engine_version() -> &'static str {
    hf_fidelity::record::ENGINE_VERSION
}

/// hf-fidelity's native module: rubrics, assessments, decisions, audit records.
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::engine_version;
    #[pymodule_export]
    use crate::errors::{AssessmentError, HfFidelityError, Problem, RecordError, RubricError};
    #[pymodule_export]
    use crate::objects::{_history_json, _network_json, Assessment, AuditRecord, Decision, Rubric, Verification, shipped_rubrics, verify};
}
