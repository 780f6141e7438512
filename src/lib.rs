//! hf-fidelity scores Housing First fidelity self-assessments against rubrics written as
//! data, and decides, auditably, whether a project earns the "Housing First" label.

pub mod decimal;
pub mod error;
pub mod rubric;
pub(crate) mod source;
pub mod text;

pub use error::{DocKind, Error, Problem, ProblemKind};
pub use source::Limits;
pub use text::{Lang, Text};
