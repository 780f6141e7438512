//! The audit record: a decision with its provenance, and its verification.

use crate::assessment::Assessment;
use crate::decision::Decision;
use crate::engine::{CompiledRubric, canonical_sha256};
use crate::error::Error;
use crate::rubric::model::TeamModel;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag of audit records.
pub const RECORD_FORMAT: &str = "hf-fidelity/record/v1";

/// The engine's name and version, as written into records.
pub const ENGINE: &str = env!("CARGO_PKG_NAME");
/// The engine's version.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// An audit record: who was judged, by which rubric and engine, on which answers, with
/// which result. Re-running it with the same rubric gives the same record byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// Always `hf-fidelity/record/v1`.
    pub format: String,
    /// The engine that decided.
    pub engine: EngineInfo,
    /// The rubric used.
    pub rubric: RubricInfo,
    /// The assessment judged.
    pub assessment: AssessmentInfo,
    /// The decision.
    pub decision: Decision,
    /// The answers exactly as judged, so the record can be re-run on its own.
    pub input: Assessment,
}

/// The engine that produced a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineInfo {
    /// `hf-fidelity`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The rubric a record was decided by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricInfo {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// SHA-256 of its canonical content.
    pub sha256: String,
}

/// The assessment a record judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInfo {
    /// The project's id.
    pub project: String,
    /// The project's name.
    pub name: String,
    /// Its team model.
    pub team_model: TeamModel,
    /// The assessment date.
    pub date: crate::Date,
    /// SHA-256 of the assessment's canonical content.
    pub sha256: String,
}

impl CompiledRubric {
    /// Validates and decides `a`, and wraps the decision in an audit record.
    pub fn audit(&self, a: &Assessment) -> Result<AuditRecord, Error> {
        self.audit_named(a, "<memory>")
    }

    /// As [`CompiledRubric::audit`], naming the assessment's file in errors.
    pub fn audit_named(&self, a: &Assessment, origin: &str) -> Result<AuditRecord, Error> {
        let decision = self.decide_named(a, origin)?;
        Ok(AuditRecord {
            format: RECORD_FORMAT.to_owned(),
            engine: EngineInfo { name: ENGINE.to_owned(), version: ENGINE_VERSION.to_owned() },
            rubric: RubricInfo { id: self.rubric().id.clone(), version: self.rubric().version.clone(), sha256: self.sha256().to_owned() },
            assessment: AssessmentInfo {
                project: a.project.id.clone(),
                name: a.project.name.clone(),
                team_model: a.team_model.clone(),
                date: a.date,
                sha256: canonical_sha256("assessment", a)?,
            },
            decision,
            input: a.clone(),
        })
    }
}

impl AuditRecord {
    /// The record as pretty JSON, fields in a fixed order, decimals as strings.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| Error::Serialise("record", e.to_string()))
    }

    /// The record as YAML, fields in a fixed order, decimals as strings.
    pub fn to_yaml(&self) -> Result<String, Error> {
        serde_yaml::to_string(self).map_err(|e| Error::Serialise("record", e.to_string()))
    }

    /// Reads a record from JSON or YAML.
    pub fn from_str(text: &str, origin: &str) -> Result<AuditRecord, Error> {
        crate::source::parse_str(text, crate::Limits::default()).map_err(|p| Error::Invalid {
            doc: crate::DocKind::Record,
            origin: origin.to_owned(),
            problems: vec![p],
        })
    }
}

/// What `verify` found different.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Mismatch {
    /// The rubric given is not the one the record names (id, version or content).
    RubricChanged {
        /// What the record says.
        recorded: String,
        /// What the rubric given is.
        given: String,
    },
    /// The assessment given differs from the one the record judged.
    AssessmentChanged {
        /// The record's assessment hash.
        recorded: String,
        /// The given assessment's hash.
        given: String,
    },
    /// The engine version differs: the record was made by another version.
    EngineChanged {
        /// The record's engine version.
        recorded: String,
        /// This engine's version.
        given: String,
    },
    /// A field of the record differs from what re-running gives: the record was edited,
    /// or the rubric or engine changed the result.
    FieldDiffers {
        /// The field, e.g. `decision.outcome`.
        path: String,
        /// In the record.
        recorded: String,
        /// On re-running.
        recomputed: String,
    },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::RubricChanged { recorded, given } => {
                write!(f, "rubric changed: the record names {recorded}, the rubric given is {given}")
            }
            Mismatch::AssessmentChanged { recorded, given } => {
                write!(f, "assessment changed: the record judged sha256 {recorded}, the assessment given has {given}")
            }
            Mismatch::EngineChanged { recorded, given } => {
                write!(f, "engine changed: the record was made by version {recorded}, this is {given}")
            }
            Mismatch::FieldDiffers { path, recorded, recomputed } => {
                write!(f, "`{path}` differs: the record says {recorded}, re-running gives {recomputed}")
            }
        }
    }
}

/// The result of verifying a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// True when re-running reproduces the record exactly.
    pub holds: bool,
    /// Every difference found.
    pub mismatches: Vec<Mismatch>,
}

/// Re-runs `record` against `rubric` and, when given, `assessment` (otherwise the
/// record's own input), and reports every difference.
pub fn verify(record: &AuditRecord, rubric: &CompiledRubric, assessment: Option<&Assessment>) -> Result<Verification, Error> {
    let mut mismatches = Vec::new();
    let given = format!("`{}` {} sha256 {}", rubric.rubric().id, rubric.rubric().version, rubric.sha256());
    let recorded = format!("`{}` {} sha256 {}", record.rubric.id, record.rubric.version, record.rubric.sha256);
    if given != recorded {
        mismatches.push(Mismatch::RubricChanged { recorded, given });
    }
    if record.engine.version != ENGINE_VERSION || record.engine.name != ENGINE {
        mismatches.push(Mismatch::EngineChanged {
            recorded: format!("{} {}", record.engine.name, record.engine.version),
            given: format!("{ENGINE} {ENGINE_VERSION}"),
        });
    }
    let input = assessment.unwrap_or(&record.input);
    let input_sha = canonical_sha256("assessment", input)?;
    if input_sha != record.assessment.sha256 {
        mismatches.push(Mismatch::AssessmentChanged { recorded: record.assessment.sha256.clone(), given: input_sha });
    }
    match rubric.audit(input) {
        Ok(fresh) => {
            let a = serde_json::to_value(record).map_err(|e| Error::Serialise("record", e.to_string()))?;
            let b = serde_json::to_value(&fresh).map_err(|e| Error::Serialise("record", e.to_string()))?;
            diff_values("", &a, &b, &mut mismatches);
        }
        Err(e) => mismatches.push(Mismatch::FieldDiffers {
            path: "decision".into(),
            recorded: record.decision.outcome.to_string(),
            recomputed: format!("an error: {e}"),
        }),
    }
    Ok(Verification { holds: mismatches.is_empty(), mismatches })
}

fn diff_values(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<Mismatch>) {
    use serde_json::Value;
    let join = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = join(k);
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => diff_values(&p, va, vb, out),
                    (va, vb) => out.push(Mismatch::FieldDiffers { path: p, recorded: show(va), recomputed: show(vb) }),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff_values(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(Mismatch::FieldDiffers { path: path.to_owned(), recorded: show(Some(a)), recomputed: show(Some(b)) }),
        _ => {}
    }
}

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "nothing".into(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 120 {
                let cut: String = s.chars().take(117).collect();
                format!("{cut}...")
            } else {
                s
            }
        }
    }
}
