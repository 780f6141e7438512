//! hf-fidelity scores Housing First fidelity self-assessments against rubrics written as
//! data, and decides, auditably, whether a project earns the "Housing First" label.

pub mod assessment;
pub mod decimal;
pub mod decision;
mod engine;
pub mod error;
pub mod load;
mod ratio;
pub mod record;
pub mod report;
pub mod rubric;
pub mod schema;
pub(crate) mod source;
pub mod text;

pub use assessment::Assessment;
pub use decision::{Decision, Outcome};
pub use engine::CompiledRubric;
pub use error::{DocKind, Error, Problem, ProblemKind};
pub use load::{Loader, SHIPPED, assessment_from_str, rubric_from_str, shipped_rubric};
pub use record::{AuditRecord, Verification, verify};
pub use rubric::model::{Rubric, TeamModel};
pub use source::Limits;
pub use text::{Lang, Text};
