//! Self-assessments and audits: what a project states, item by item.

use crate::date::Date;
use crate::decimal::{DecimalText, opt_dec};
use crate::rubric::model::TeamModel;
use crate::source::{opt_text, text, texts, unique_map};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format tag every assessment file starts with.
pub const ASSESSMENT_FORMAT: &str = "hf-fidelity/assessment/v1";

/// A project's answers to a rubric: a self-assessment, or an audit by the LAB or a peer.
///
/// Answers are keyed by item id; a key given twice is an error, never last-wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Always `hf-fidelity/assessment/v1`.
    #[serde(deserialize_with = "text")]
    pub format: String,
    /// The project assessed.
    pub project: Project,
    /// The rubric answered; when present it must match the rubric used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<RubricRef>,
    /// The team model the project uses.
    pub team_model: TeamModel,
    /// The day the assessment was made (`YYYY-MM-DD`).
    pub date: Date,
    /// The period the answers describe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Who assessed.
    pub assessor: Assessor,
    /// The outcome the submitter expects (shown beside the decision; the example tests use it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_outcome: Option<crate::decision::Outcome>,
    /// A general comment.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The answers, keyed by item id.
    #[serde(deserialize_with = "unique_map")]
    pub responses: BTreeMap<String, Response>,
}

/// The project assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// A stable identifier, e.g. `brussels-act-1`.
    #[serde(deserialize_with = "text")]
    pub id: String,
    /// The project's name.
    #[serde(deserialize_with = "text")]
    pub name: String,
    /// Where the project works.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A reference to a rubric by id and, optionally, version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricRef {
    /// The rubric id.
    #[serde(deserialize_with = "text")]
    pub id: String,
    /// The rubric version the answers were written for.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A period, both ends inclusive (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// Who made the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    /// The kind of assessment.
    pub kind: AssessorKind,
    /// The person or body.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Self-assessment, LAB audit, or peer review.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AssessorKind {
    /// The project assessed itself.
    SelfAssessment,
    /// An audit by the LAB.
    Lab,
    /// A review by a peer project.
    Peer,
}

impl AssessorKind {
    /// The kind's code as written in files.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// One answer: a level, a measured value, or not-applicable; with evidence and a comment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The level stated on the rubric's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// The measured value, for a measured item; the level follows from the bands.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub value: Option<Decimal>,
    /// The item does not apply to the project.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_applicable: bool,
    /// Why the item does not apply.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Evidence: document names, links, file references.
    #[serde(default, deserialize_with = "texts", skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// A comment.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
