//! The JSON Schemas under `schemas/` are generated from the types; this keeps them current.
//! Set `UPDATE_GOLDEN=1` to rewrite them after an intended change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use hf_fidelity::schema::{SchemaKind, json_schema};

#[test]
fn checked_in_schemas_match_the_types() {
    for kind in SchemaKind::ALL {
        let path = format!("schemas/{}.schema.json", kind.name());
        let generated = json_schema(kind).unwrap();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(on_disk == generated, "{path} is stale: run `UPDATE_GOLDEN=1 cargo test --test schemas`");
    }
}

#[test]
fn shipped_documents_have_the_schema_shape() {
    // Light structural check: every required top-level key of the schema is in the document.
    let rubric: serde_json::Value = serde_json::from_str(&json_schema(SchemaKind::Rubric).unwrap()).unwrap();
    let required: Vec<&str> = rubric["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let text = std::fs::read_to_string("rubrics/hf-pathways.yaml").unwrap();
    for key in required {
        assert!(text.lines().any(|l| l.starts_with(&format!("{key}:"))), "hf-pathways.yaml lacks `{key}`");
    }
}
