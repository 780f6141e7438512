//! Rubrics: the YAML model, its validation, and the shipped rubrics.

pub(crate) mod band;
pub(crate) mod compile;
pub mod extend;
pub mod model;
