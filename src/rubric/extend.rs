//! Rubrics that extend another: a label rubric that adds domains and its own policy on top
//! of a fidelity scale, without copying the scale.

use super::model::*;
use crate::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The first look at a rubric file: does it extend another?
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Head {
    #[serde(default)]
    pub extends: Option<String>,
}

/// A rubric written as an extension of a base rubric (`extends: <id or path>`).
///
/// The result has the base's scale and team models; its own id, version, title and
/// description; the base's principles, domains and model checks followed by its own; its
/// own rounding and policy where given, the base's otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricExtension {
    /// Always `hf-fidelity/rubric/v1`.
    pub format: String,
    /// Stable identifier of the extended rubric.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Earlier versions of the extension whose assessments it still audits unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatible_versions: Vec<String>,
    /// How the items of earlier versions of the extension became this version's (the
    /// base's own mappings are about the base's versions, and are not inherited).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_mappings: Vec<ItemMapping>,
    /// The base: a shipped rubric id, or a path relative to this file.
    pub extends: String,
    /// Title.
    pub title: Text,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Rounding, if it differs from the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// Principle tags added to the base's.
    #[serde(default)]
    pub principles: Vec<Principle>,
    /// Domains added after the base's.
    #[serde(default)]
    pub domains: Vec<Domain>,
    /// Model checks added to the base's.
    #[serde(default)]
    pub model_checks: Vec<ModelCheck>,
    /// Units added to the base's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<crate::rubric::model::Unit>,
    /// Outcome indicators added to the base's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome_indicators: Vec<OutcomeIndicator>,
    /// The minimum target public, replacing the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_public: Option<crate::target::TargetPublic>,
    /// The policy, replacing the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
}

/// How many entries the base contributed, to translate merged paths back to the file.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Offsets {
    pub principles: usize,
    pub domains: usize,
    pub model_checks: usize,
}

/// Merges `ext` onto `base`.
pub(crate) fn merge(base: Rubric, ext: RubricExtension) -> (Rubric, Offsets) {
    let offsets = Offsets { principles: base.principles.len(), domains: base.domains.len(), model_checks: base.model_checks.len() };
    let mut principles = base.principles;
    principles.extend(ext.principles);
    let mut domains = base.domains;
    domains.extend(ext.domains);
    let mut model_checks = base.model_checks;
    model_checks.extend(ext.model_checks);
    let rubric = Rubric {
        format: ext.format,
        id: ext.id,
        version: ext.version,
        compatible_versions: ext.compatible_versions,
        item_mappings: ext.item_mappings,
        title: ext.title,
        description: ext.description,
        scale: base.scale,
        rounding: ext.rounding.unwrap_or(base.rounding),
        team_models: base.team_models,
        principles,
        domains,
        units: base.units.into_iter().chain(ext.units).collect(),
        outcome_indicators: base.outcome_indicators.into_iter().chain(ext.outcome_indicators).collect(),
        target_public: ext.target_public.or(base.target_public),
        model_checks,
        policy: ext.policy.unwrap_or(base.policy),
    };
    (rubric, offsets)
}

/// Rewrites a path of the merged rubric to the extension file's own path, or `None` when
/// it points into the base.
pub(crate) fn local_path(path: &str, o: Offsets) -> Option<String> {
    for (field, offset) in [("principles", o.principles), ("domains", o.domains), ("model_checks", o.model_checks)] {
        let Some(rest) = path.strip_prefix(field).and_then(|r| r.strip_prefix('[')) else { continue };
        let (num, tail) = rest.split_once(']')?;
        let k: usize = num.parse().ok()?;
        return k.checked_sub(offset).map(|local| format!("{field}[{local}]{tail}"));
    }
    Some(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_back_to_the_extension() {
        let o = Offsets { principles: 9, domains: 5, model_checks: 1 };
        assert_eq!(local_path("domains[6].items[2].id", o).as_deref(), Some("domains[1].items[2].id"));
        assert_eq!(local_path("domains[2].items[2].id", o), None);
        assert_eq!(local_path("policy.outcomes[0]", o).as_deref(), Some("policy.outcomes[0]"));
        assert_eq!(local_path("model_checks[1].id", o).as_deref(), Some("model_checks[0].id"));
    }
}
