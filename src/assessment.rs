//! Self-assessments and audits: what a project states, item by item.

use crate::date::Date;
use crate::decimal::{DecimalText, opt_dec};
use crate::rubric::model::TeamModel;
use crate::source::{opt_text, text, unique_map};
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
    /// What kind of rating this is: a self-assessment, one reviewer's rating, or the
    /// consensus of the reviewers. Absent: a self-assessment when the project assessed
    /// itself, a reviewer's rating otherwise (see [`Assessment::rating_kind`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingKind>,
    /// For a consensus: the ratings it reconciles, each by the SHA-256 of its file and its
    /// rater. Empty for any other rating.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconciles: Vec<RatingRef>,
    /// The outcome the submitter expects (shown beside the decision; the example tests use it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_outcome: Option<crate::decision::Outcome>,
    /// A general comment.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The project's own admission criteria, checked against the rubric's minimum target
    /// public (only for a rubric that states one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_public: Option<crate::target::Criteria>,
    /// The answers, keyed by item id.
    #[serde(deserialize_with = "unique_map")]
    pub responses: BTreeMap<String, Response>,
    /// Outcome indicators the project reports for the period (not scored), keyed by the
    /// rubric's indicator ids.
    #[serde(default, deserialize_with = "unique_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<String, OutcomeValue>,
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
    /// The region it belongs to (`flanders`, `wallonia`, `brussels`, ...), for a network's
    /// outcomes by region.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One outcome indicator as a project reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeValue {
    /// The figure, in the indicator's unit.
    #[serde(with = "crate::decimal::dec")]
    #[schemars(with = "crate::decimal::DecimalText")]
    pub value: Decimal,
    /// Where it comes from or what it covers.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
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

/// The kind of a rating.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RatingKind {
    /// The project rates itself.
    SelfAssessment,
    /// One reviewer's own rating, made before the consensus meeting.
    Review,
    /// The reviewers' agreed rating: the one a label is decided on.
    Consensus,
}

impl RatingKind {
    /// The kind of a rating that does not say: a self-assessment when the project assessed
    /// itself, a reviewer's rating otherwise.
    pub fn unstated(assessor: AssessorKind) -> RatingKind {
        match assessor {
            AssessorKind::SelfAssessment => RatingKind::SelfAssessment,
            AssessorKind::Lab | AssessorKind::Peer => RatingKind::Review,
        }
    }

    /// The kind's code as written in files.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A rating a consensus reconciles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRef {
    /// The SHA-256 of the rating's file, in lowercase hex.
    #[serde(deserialize_with = "text")]
    pub sha256: String,
    /// Who made it.
    pub assessor: Assessor,
}

impl Assessment {
    /// The kind of rating: as stated, or, when not stated, a self-assessment when the
    /// project assessed itself and a reviewer's rating otherwise.
    pub fn rating_kind(&self) -> RatingKind {
        self.rating.unwrap_or(RatingKind::unstated(self.assessor.kind))
    }
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
    /// Evidence: free text (document names, links, file references) or evidence of a
    /// known kind (`{kind: chart_review, count: 12}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// A comment.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// In a consensus: why the agreed level differs from a reviewer's or from the
    /// self-assessment.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why this level corrects the project's previous rating of the item: the earlier
    /// round rated it wrongly, and the practice did not change. A history shows such a
    /// change apart from real change.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

/// One piece of evidence for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Evidence {
    /// Free text: a document name, a link, a file reference.
    Text(String),
    /// Evidence of a known kind.
    Typed(TypedEvidence),
}

impl Evidence {
    /// Whether it says anything (free text that is not blank, or any typed evidence).
    pub fn is_given(&self) -> bool {
        match self {
            Evidence::Text(t) => !t.trim().is_empty(),
            Evidence::Typed(_) => true,
        }
    }

    /// Its kind, when typed.
    pub fn kind(&self) -> Option<EvidenceKind> {
        match self {
            Evidence::Text(_) => None,
            Evidence::Typed(t) => Some(t.kind),
        }
    }
}

impl From<&str> for Evidence {
    fn from(text: &str) -> Self {
        Evidence::Text(text.to_owned())
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Evidence;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text, or a mapping with the evidence's `kind`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Evidence, E> {
                Ok(Evidence::Text(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Evidence, E> {
                Ok(Evidence::Text(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Evidence, A::Error> {
                TypedEvidence::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Evidence::Typed)
            }
        }
        d.deserialize_any(V)
    }
}

/// Evidence of a known kind, as fidelity reviews collect it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypedEvidence {
    /// What kind of source.
    pub kind: EvidenceKind,
    /// How many: files reviewed, people interviewed, participants in the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Whose view: for an interview, the role of the people interviewed (`participant`,
    /// `team member`, `landlord`, ...).
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// What it is or showed.
    #[serde(default, deserialize_with = "opt_text", skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kinds of evidence a fidelity review collects.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EvidenceKind {
    /// Policy or programme documents.
    Document,
    /// A review of participants' files (`count`: how many).
    ChartReview,
    /// Interviews (`role`: whose; `count`: how many people).
    Interview,
    /// A participants' focus group (`count`: how many took part).
    FocusGroup,
    /// Observation of a team meeting or of practice.
    Observation,
    /// An extract from the project's data (waiting lists, tenancies, caseloads).
    DataExtract,
}

impl EvidenceKind {
    /// The kind's code as written in files.
    pub fn code(self) -> &'static str {
        self.into()
    }
}
