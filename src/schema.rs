//! JSON Schemas of the documents, generated from the types.

use crate::assessment::Assessment;
use crate::record::AuditRecord;
use crate::rubric::extend::RubricExtension;
use crate::rubric::model::Rubric;

/// A document with a published schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// A full rubric.
    Rubric,
    /// A rubric that extends another.
    RubricExtension,
    /// A self-assessment.
    Assessment,
    /// An audit record.
    Record,
}

impl SchemaKind {
    /// Every kind, in a fixed order.
    pub const ALL: [SchemaKind; 4] = [SchemaKind::Rubric, SchemaKind::RubricExtension, SchemaKind::Assessment, SchemaKind::Record];

    /// The kind's name, as the CLI takes it and as the file under `schemas/` is named.
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Rubric => "rubric",
            SchemaKind::RubricExtension => "rubric-extension",
            SchemaKind::Assessment => "assessment",
            SchemaKind::Record => "record",
        }
    }
}

/// The JSON Schema of `kind`, pretty-printed, ending in a newline.
///
/// # Errors
/// [`crate::Error::Internal`] if the schema cannot be written as JSON (a JSON value always
/// can: that would be a bug).
pub fn json_schema(kind: SchemaKind) -> Result<String, crate::Error> {
    let schema = match kind {
        SchemaKind::Rubric => schemars::schema_for!(Rubric),
        SchemaKind::RubricExtension => schemars::schema_for!(RubricExtension),
        SchemaKind::Assessment => schemars::schema_for!(Assessment),
        SchemaKind::Record => schemars::schema_for!(AuditRecord),
    };
    let mut s =
        serde_json::to_string_pretty(&schema).map_err(|_| crate::Error::Internal("a JSON schema that cannot be written as JSON"))?;
    s.push('\n');
    Ok(s)
}
