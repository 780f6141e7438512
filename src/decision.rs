//! The decision: scores, every rule's verdict with its numbers, an improvement plan.

use crate::decimal::{DecimalText, dec, opt_dec};
pub use crate::ratio::{BadFraction, Fraction};
use crate::rubric::model::{OverallMeasure, RuleKind, TeamModel};
use crate::shared::SharedStr;
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The outcome of a label decision: the id of one of the policy's outcomes (`granted`,
/// `conditional`, `ready_for_review`, `high`, ...), or `incomplete`, the engine's own outcome
/// while required answers are missing (never the same as the policy's worst outcome).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Outcome(pub SharedStr);

impl Outcome {
    /// The id of the outcome for missing answers.
    pub const INCOMPLETE: &'static str = "incomplete";

    /// The outcome for missing answers.
    pub fn incomplete() -> Self {
        Outcome(SharedStr::from(Self::INCOMPLETE))
    }

    /// Whether this is the outcome for missing answers.
    pub fn is_incomplete(&self) -> bool {
        &*self.0 == Self::INCOMPLETE
    }

    /// The outcome's id as written in files.
    pub fn code(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Outcome {
    fn from(s: &str) -> Self {
        Outcome(SharedStr::from(s))
    }
}

impl PartialEq<str> for Outcome {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<String> for Outcome {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<&str> for Outcome {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A label decision with everything that led to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The outcome.
    pub outcome: Outcome,
    /// What the outcome means for the project.
    pub message: Text,
    /// Months until the next audit, where the outcome sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaudit_months: Option<u32>,
    /// The last day the outcome holds, where the policy gives it a validity period
    /// (`valid_months` after the assessment date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<crate::Date>,
    /// The team model the project was judged as.
    pub team_model: TeamModel,
    /// Overall, domain and principle scores.
    pub scores: Scores,
    /// Every item of the rubric, in rubric order, with how its level was reached.
    pub items: Vec<ItemResult>,
    /// Required items with no answer, in rubric order.
    pub missing: Vec<SharedStr>,
    /// Items answered not-applicable (excluded from every score), in rubric order.
    pub not_applicable: Vec<SharedStr>,
    /// Every rule of every outcome that could be awarded, in policy order.
    pub rules: Vec<RuleResult>,
    /// What it would take to reach the next better outcome.
    pub plan: Plan,
    /// Warnings beside the outcome, such as a team-model mismatch (a warning whose check
    /// withholds the outcome leaves it `incomplete`).
    pub warnings: Vec<Warning>,
    /// The project's own admission criteria against the rubric's minimum target public,
    /// for a rubric that states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_public: Option<crate::target::TargetPublicCheck>,
}

/// A score over a set of items: sum, count, mean and share of the maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Items rated.
    pub rated: u32,
    /// Sum of their levels.
    pub sum: u32,
    /// The highest possible sum for those items.
    pub max: u32,
    /// Mean level, rounded as the rubric says; absent when no item is rated.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub mean: Option<Decimal>,
    /// The exact mean as a fraction, e.g. `133/38`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<Fraction>,
    /// The sum as a percentage of the maximum, rounded as the rubric says.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub percent: Option<Decimal>,
}

/// The overall and per-group scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// Which overall measure the policy uses by default.
    pub overall_measure: OverallMeasure,
    /// All rated items together.
    pub items: Score,
    /// The mean of the domain means (domains with no rated item left out).
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub mean_of_domains: Option<Decimal>,
    /// The exact mean of domain means as a reduced fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_of_domains_exact: Option<Fraction>,
    /// Per domain, in rubric order.
    pub domains: Vec<GroupScore>,
    /// Per principle tag, in rubric order.
    pub principles: Vec<GroupScore>,
}

impl Scores {
    /// The overall score the policy uses (mean of items or mean of domains), rounded.
    pub fn overall(&self) -> Option<Decimal> {
        match self.overall_measure {
            OverallMeasure::MeanOfItems => self.items.mean,
            OverallMeasure::MeanOfDomains => self.mean_of_domains,
        }
    }

    /// The same, exact.
    pub fn overall_exact(&self) -> Option<Fraction> {
        match self.overall_measure {
            OverallMeasure::MeanOfItems => self.items.exact,
            OverallMeasure::MeanOfDomains => self.mean_of_domains_exact,
        }
    }
}

/// The score of one domain or principle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupScore {
    /// The domain or principle id.
    pub id: SharedStr,
    /// Its score.
    pub score: Score,
}

/// How an item was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// A level was stated.
    Stated,
    /// A measured value was given and the level follows from a band.
    Measured,
    /// Answered not-applicable.
    NotApplicable,
    /// No answer.
    Missing,
    /// The item does not apply to the project's team model.
    OtherModel,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// The item id.
    pub id: SharedStr,
    /// Its domain's id.
    pub domain: SharedStr,
    /// How it was answered.
    pub status: ItemStatus,
    /// The level that counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// For a measured item: the value, its unit and the band it fell in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Measured>,
}

/// A measured value and the band that rated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measured {
    /// The value given.
    #[serde(with = "dec")]
    #[schemars(with = "DecimalText")]
    pub value: Decimal,
    /// Its unit.
    pub unit: SharedStr,
    /// The band, in words, e.g. `above 10 and at most 15`.
    pub band: SharedStr,
}

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The rule holds.
    Pass,
    /// The rule does not hold.
    Fail,
    /// The rule does not apply to the project's team model.
    NotApplicable,
    /// Undecided: items the rule covers are unanswered, and their answers could still change
    /// its verdict (it holds on the answers given, or a mean falls short that the missing
    /// answers could still lift to the threshold).
    Incomplete,
}

/// One rule, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleResult {
    /// The outcome the rule belongs to.
    pub outcome: Outcome,
    /// The rule id.
    pub id: SharedStr,
    /// The rule kind.
    pub kind: RuleKind,
    /// The rule's message.
    pub message: Text,
    /// The verdict.
    pub verdict: Verdict,
    /// What was observed: the lowest mean or level, or the count of items below a level.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub observed: Option<Decimal>,
    /// The observed score as an exact fraction, where it is a mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_exact: Option<Fraction>,
    /// The threshold: the least score or level, or the most items allowed below a level.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub threshold: Option<Decimal>,
    /// How far the observation misses the threshold, when it fails; for a mean, the exact
    /// gap rounded as the rubric rounds scores.
    #[serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DecimalText>")]
    pub shortfall: Option<Decimal>,
    /// The exact gap of a failing mean rule, in lowest terms (as `observed_exact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_exact: Option<Fraction>,
    /// The items, domains or principles that fail the rule, in rubric order.
    pub failing: Vec<SharedStr>,
    /// Required items the rule covers that have no answer, in rubric order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanswered: Vec<SharedStr>,
}

/// What it would take to reach the next better outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The outcome the plan reaches; absent when the project already has the best one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Outcome>,
    /// Items to answer first (an incomplete assessment).
    pub answer: Vec<SharedStr>,
    /// Level raises, cheapest first.
    pub raises: Vec<Raise>,
    /// Total levels raised.
    pub total_steps: u32,
    /// False when raising levels cannot reach the target (e.g. a rule fails on items the
    /// project answered not-applicable).
    pub reachable: bool,
}

/// One item raised from one level to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raise {
    /// The item.
    pub item: SharedStr,
    /// Its domain.
    pub domain: SharedStr,
    /// The level now.
    pub from: u8,
    /// The level to reach.
    pub to: u8,
    /// For a measured item: the band its value must fall in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_band: Option<SharedStr>,
}

/// A warning raised by the rubric's model checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// The check's id.
    pub id: SharedStr,
    /// The warning.
    pub message: Text,
    /// The items whose answers raised it.
    pub items: Vec<SharedStr>,
}
