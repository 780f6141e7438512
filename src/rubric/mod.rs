//! Rubrics: the YAML model and its validation into a compiled index.

pub mod model;
