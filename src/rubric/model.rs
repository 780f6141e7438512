//! The rubric as written in YAML: plain, documented data.
//!
//! These types mirror the file one to one; [`crate::CompiledRubric`] is what the engine
//! builds from them after validation.

use crate::decimal::{DecimalText, opt_dec};
use crate::shared::SharedStr;
use crate::text::Text;
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format tag every rubric file starts with.
pub const RUBRIC_FORMAT: &str = "hf-fidelity/rubric/v1";

/// A fidelity rubric: domains of items rated on a scale, principle tags, and a label policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Always `hf-fidelity/rubric/v1`.
    pub format: String,
    /// Stable identifier, e.g. `hf-pathways`.
    pub id: String,
    /// The rubric's own version, e.g. `1.0.0`.
    pub version: String,
    /// Earlier versions whose assessments this version still audits unchanged (their items
    /// and scales are the same). An assessment that names any other version is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatible_versions: Vec<String>,
    /// How the items of earlier versions became this version's (renamed, split, merged,
    /// new, dropped or changed in meaning), so that a project's history compares rounds
    /// scored with either, item by item where an item kept its meaning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_mappings: Vec<ItemMapping>,
    /// Title.
    pub title: Text,
    /// What the rubric is for and where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The rating scale of every item.
    pub scale: Scale,
    /// How scores are rounded for display and, when the policy says so, for comparison.
    pub rounding: Rounding,
    /// The team models the rubric covers (`act`, `icm`).
    pub team_models: Vec<TeamModel>,
    /// The principle tags items may carry, with their titles.
    pub principles: Vec<Principle>,
    /// The domains, in order.
    pub domains: Vec<Domain>,
    /// The units measured items are counted in, with their names (what follows a value in
    /// reports and forms). Every indicator's unit is one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Unit>,
    /// Outcome indicators a project reports beside its fidelity (housing retention, returns
    /// to homelessness, satisfaction, ...): defined here, never scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome_indicators: Vec<OutcomeIndicator>,
    /// The minimum target public, as parameters a project's own admission criteria are
    /// checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_public: Option<crate::target::TargetPublic>,
    /// Checks that warn when a project's facts do not fit its declared team model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub model_checks: Vec<ModelCheck>,
    /// The label policy.
    pub policy: Policy,
}

/// How the items of an earlier version of the rubric became this version's.
///
/// An item this version has under the same id as the earlier version, and that no list
/// names, kept its meaning: its levels are compared across the two versions as they are.
/// The left of each entry is an earlier item, the right this version's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemMapping {
    /// The earlier version, e.g. `1.0.0`.
    pub from_version: String,
    /// Items renamed, meaning kept: earlier id -> this version's id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed: BTreeMap<String, String>,
    /// Items split in several: earlier id -> this version's ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub split: BTreeMap<String, Vec<String>>,
    /// Items merged into one: this version's id -> the earlier ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub merged: BTreeMap<String, Vec<String>>,
    /// Items kept under their id whose anchors or bands now read differently: a level of
    /// the earlier version does not mean the same, so it is not compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    /// Items new in this version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new: Vec<String>,
    /// Earlier items this version no longer has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
}

/// The rating scale: whole levels from `min` to `max`, higher is more faithful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest level (usually 1).
    pub min: u8,
    /// Highest level, full fidelity (4 for the Pathways scale, 5 for DACTS).
    pub max: u8,
    /// What "% of maximum" means for this scale: studies differ, so the rubric says.
    pub percent: PercentOf,
}

/// How a score is given as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PercentOf {
    /// The sum over the highest possible sum: 136.6 of 152 is 90 %.
    Max,
    /// The sum above the lowest possible sum over the scale's range: (136.6 - 38) /
    /// (152 - 38) is 87 %, as the Pathways studies report it.
    Range,
}

/// How a score is rounded: decimal places and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimal places kept (0 to 10).
    pub places: u32,
    /// Rounding mode.
    pub mode: RoundingMode,
}

/// A rounding mode, named as a spreadsheet user would know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Halves away from zero (3.125 -> 3.13), as spreadsheets round.
    HalfUp,
    /// Halves to the even neighbour (3.125 -> 3.12).
    HalfEven,
    /// Toward zero: truncation (3.129 -> 3.12).
    Down,
    /// Away from zero (3.121 -> 3.13).
    Up,
}

impl Rounding {
    /// Rounds `d` as this rule says, always showing `places` decimals (`3` -> `3.00`).
    pub fn apply(&self, d: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        };
        let mut r = d.round_dp_with_strategy(self.places, strategy);
        r.rescale(self.places);
        r
    }
}

/// A team model that delivers support, by the id a rubric lists in its `team_models`:
/// `act` (Assertive Community Treatment), `icm` (Intensive Case Management), `fact`
/// (Flexible ACT), or any other a rubric defines. Written and read as its id.
///
/// ```
/// use hf_fidelity::TeamModel;
/// let fact = TeamModel::from("fact");
/// assert_eq!(fact.code(), "fact");
/// assert_eq!(fact.to_string(), "FACT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct TeamModel(SharedStr);

impl TeamModel {
    /// The model's id as written in files (`act`, `icm`, `fact`).
    pub fn code(&self) -> &str {
        &self.0
    }
}

impl From<&str> for TeamModel {
    /// The model with this id (the rubric checks that it covers it).
    fn from(id: &str) -> Self {
        TeamModel(SharedStr::from(id))
    }
}

impl PartialEq<str> for TeamModel {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl<'de> Deserialize<'de> for TeamModel {
    /// An id in the id syntax ([`crate::id`]), as text.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Checked inside the visitor, so that the reader stamps the value's position on
        // an error.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TeamModel;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TeamModel, E> {
                crate::id::check_id(v).map_err(E::custom)?;
                Ok(TeamModel(SharedStr::from(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl std::fmt::Display for TeamModel {
    /// The id in capitals, as the field writes team models (`ACT`, `ICM`, `FACT`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_uppercase())
    }
}

/// A principle tag (e.g. `harm_reduction`) with its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    /// The tag items use.
    pub id: String,
    /// Title.
    pub title: Text,
}

/// A domain: a group of items scored together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Stable identifier, e.g. `separation`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// What the domain covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// Whether an item may be answered "not applicable".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicable {
    /// Every project must rate the item.
    #[default]
    Forbidden,
    /// A project may answer not-applicable.
    Allowed,
    /// A project may answer not-applicable, with a justification.
    Justified,
}

/// Whether an answer must cite evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRule {
    /// Evidence is welcome but not required.
    #[default]
    Optional,
    /// Every answer must cite at least one piece of evidence.
    Required,
}

/// One fidelity item, rated on the scale by anchors or derived from a measured value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable identifier, unique in the rubric, e.g. `no_housing_readiness`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// What the item looks at.
    pub description: Text,
    /// Principle tags.
    #[serde(default)]
    pub principles: Vec<String>,
    /// The team models the item applies to; absent means every model of the rubric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_models: Option<Vec<TeamModel>>,
    /// Whether not-applicable is allowed.
    #[serde(default)]
    pub not_applicable: NotApplicable,
    /// Whether evidence is required.
    #[serde(default)]
    pub evidence: EvidenceRule,
    /// The kinds of evidence a review must rest on for this item: a reviewer's rating or a
    /// consensus that rates it needs evidence of at least one of them (a practice item
    /// needs a source beyond policy documents). Self-assessments are not held to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_kinds: Vec<crate::assessment::EvidenceKind>,
    /// Whether an answer is needed for a decision (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    /// The text of every level, keyed by level.
    #[serde(deserialize_with = "crate::source::unique_map")]
    pub anchors: BTreeMap<u8, Text>,
    /// A measured quantity that rates the item through bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
    /// The answer must be the measured value: a stated level is refused wherever the item
    /// is measured for the project's team model (a label rests on figures).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub value_required: bool,
    /// How a team model judges the item differently.
    #[serde(default, deserialize_with = "crate::source::unique_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<TeamModel, Variant>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// How one team model judges an item: a note saying why, and the parts that differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Why this team model is judged differently.
    pub note: Text,
    /// Anchors that replace the item's for this model.
    #[serde(default, deserialize_with = "crate::source::opt_unique_map", skip_serializing_if = "Option::is_none")]
    pub anchors: Option<BTreeMap<u8, Text>>,
    /// An indicator that replaces the item's for this model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
}

/// A unit of measured values: its id (an indicator's `unit`) and its name after a number
/// (`%`, `days`, `participants per FTE`), per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Stable identifier, e.g. `participants_per_fte`.
    pub id: String,
    /// What follows a number in the unit. `%` follows an English number without a space.
    pub title: Text,
}

/// An outcome indicator: a figure a project reports beside its fidelity, with its
/// definition, so that reports and a network show outcomes next to fidelity. It never
/// enters a score or a rule: a label is about how faithfully the model is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeIndicator {
    /// Stable identifier, e.g. `housing_retention_12m`.
    pub id: String,
    /// Title.
    pub title: Text,
    /// How the figure is counted: who is in the denominator, over which period.
    pub definition: Text,
    /// The unit of the figure: one of the rubric's `units`.
    pub unit: String,
    /// The lowest value that can be reported.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub min: Option<Decimal>,
    /// The highest value that can be reported.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub max: Option<Decimal>,
}

/// A measured quantity and the bands that turn its value into a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The unit, e.g. `participants_per_fte`, `percent`, `days`.
    pub unit: String,
    /// What is measured, in words.
    pub title: Text,
    /// The smallest admissible value, if any.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub min: Option<Decimal>,
    /// The largest admissible value, if any.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub max: Option<Decimal>,
    /// Value ranges and their levels: together they cover every admissible value once.
    pub bands: Vec<Band>,
}

/// A range of values and the level it earns.
///
/// A lower bound is `at_least` (inclusive) or `above` (exclusive); an upper bound is
/// `at_most` (inclusive) or `below` (exclusive); a missing bound is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The level earned.
    pub level: u8,
    /// Inclusive lower bound.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub at_least: Option<Decimal>,
    /// Exclusive lower bound.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub above: Option<Decimal>,
    /// Inclusive upper bound.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub at_most: Option<Decimal>,
    /// Exclusive upper bound.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub below: Option<Decimal>,
}

/// A check that a project's facts fit its declared team model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelCheck {
    /// Stable identifier.
    pub id: String,
    /// The declared model the check applies to.
    pub team_model: TeamModel,
    /// How many signals must show before the warning is raised.
    pub min_signals: u32,
    /// The facts that suggest another model.
    pub signals: Vec<Signal>,
    /// The warning.
    pub message: Text,
    /// The outcomes this warning holds back while it stands: a decision that would award
    /// one of them is withheld (`incomplete`, no decision yet) until the team model is
    /// settled. Empty (the default): the warning is shown beside the decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withholds: Vec<String>,
}

/// One fact about one item: its measured value beyond a bound, or its level below one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// The item looked at.
    pub item: String,
    /// The signal shows when the measured value is above this.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub value_above: Option<Decimal>,
    /// The signal shows when the measured value is below this.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub value_below: Option<Decimal>,
    /// The signal shows when the level is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_below: Option<u8>,
}

/// Which overall score the policy's `min_overall` rules use by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverallMeasure {
    /// The mean of all rated items (the Pathways convention).
    #[default]
    MeanOfItems,
    /// The mean of the domain means (every domain weighs the same).
    MeanOfDomains,
}

/// Whether thresholds compare exact scores or scores rounded as the rubric says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// Exact fractions: a mean of 3.4999 does not reach 3.5.
    #[default]
    Exact,
    /// Scores rounded per `rounding` first: 3.495 rounds to 3.50 and reaches 3.5.
    Rounded,
}

/// The label policy: ordered outcomes, the first whose rules all hold is the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The overall score `min_overall` rules use unless they name one.
    #[serde(default)]
    pub overall: OverallMeasure,
    /// Exact or rounded comparison.
    #[serde(default)]
    pub compare: Compare,
    /// What a report of this rubric is called, e.g. "Housing First label audit" or
    /// "Fidelity review".
    pub heading: Text,
    /// Outcomes from best to worst; the last has no rules and catches the rest.
    pub outcomes: Vec<OutcomeSpec>,
    /// The rules that decide an organisation's outcome from its teams' ratings
    /// (`hf-fidelity organisation`); without them an organisation gets means, no outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrganisationPolicy>,
}

/// How an organisation of several teams is decided: ordered outcomes (the policy's own, best
/// to worst), the first whose rules all hold is the organisation's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPolicy {
    /// Outcomes from best to worst, each one of the policy's outcomes and in its order; the
    /// last has no rules and catches the rest.
    pub outcomes: Vec<OrganisationOutcome>,
}

/// One outcome an organisation can reach, and the rules that must all hold for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationOutcome {
    /// One of the policy's outcomes (its title and message are used).
    #[serde(deserialize_with = "crate::source::text")]
    pub outcome: String,
    /// Rules that must all hold.
    #[serde(default)]
    pub rules: Vec<OrganisationRule>,
}

/// The kind of an organisation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrganisationRuleKind {
    /// Every team's own outcome is `outcome` or a better one of the policy.
    EveryTeam,
    /// The mean of the teams' overall scores is at least `threshold`.
    MinOverall,
    /// Every selected domain's mean over the teams is at least `threshold` (`domains`, or
    /// all; a domain no team rated is passed over, as in a team's decision).
    MinDomain,
}

/// A rule on an organisation, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRule {
    /// Stable identifier, unique in its outcome.
    pub id: String,
    /// What the rule checks.
    pub kind: OrganisationRuleKind,
    /// The message shown with the rule's verdict.
    pub message: Text,
    /// The least outcome every team must reach (`every_team`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The least mean (`min_overall`, `min_domain`).
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub threshold: Option<Decimal>,
    /// Selected domains (`min_domain`; empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
}

/// One outcome of the policy and the rules that must all hold to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSpec {
    /// The outcome's id, e.g. `granted`, `ready_for_review` or `high` (see [`crate::id`]);
    /// `incomplete` is the engine's own outcome for missing answers.
    #[serde(deserialize_with = "crate::source::text")]
    pub outcome: String,
    /// Its name in reports, e.g. "Label granted".
    pub title: Text,
    /// What the outcome means for the project.
    pub message: Text,
    /// Months until the next audit, if the outcome sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaudit_months: Option<u32>,
    /// How long the outcome holds, in months from the assessment date: the decision states
    /// the last day (`valid_until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_months: Option<u32>,
    /// Rules that must all hold.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// The kind of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The overall score is at least `threshold`.
    MinOverall,
    /// Every selected domain's mean is at least `threshold` (`domains`, or all).
    MinDomain,
    /// Every selected principle's mean is at least `threshold` (`principles`, or all).
    MinPrinciple,
    /// Every selected item is at `level` or above (`items`, `principles`, `domains`, or all).
    MinLevel,
    /// At most `count` selected items are below `level`.
    MaxBelow,
    /// The assessment was made by one of `assessors` (e.g. a label only from a LAB or peer
    /// review, never from a self-assessment).
    AssessedBy,
}

/// A rule as written: its kind and the fields that kind takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable identifier, unique in the policy's outcome.
    pub id: String,
    /// What the rule checks.
    pub kind: RuleKind,
    /// The message shown with the rule's verdict.
    pub message: Text,
    /// The score threshold (`min_overall`, `min_domain`, `min_principle`).
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub threshold: Option<Decimal>,
    /// The item level (`min_level`, `max_below`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// How many items may fall below `level` (`max_below`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Which overall score (`min_overall`); default from the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<OverallMeasure>,
    /// Selected items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Selected domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// Selected principle tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principles: Vec<String>,
    /// The kinds of assessment that may reach the outcome (`assessed_by`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessors: Vec<crate::assessment::AssessorKind>,
    /// With `assessed_by`: the kinds of rating that may reach the outcome (e.g. only a
    /// `consensus` of the reviewers); absent means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratings: Vec<crate::assessment::RatingKind>,
    /// The team models the rule applies to; absent means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_models: Option<Vec<TeamModel>>,
}
