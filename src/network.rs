//! The picture of a network of projects: for each project its latest rating (a consensus
//! where there is one), and across them the distribution of every item (with the share at
//! the scale's top, to show ceiling effects), each domain's median and each project's
//! distance from it, outcomes by team model, labels that expire soon, and the items that
//! fail most often.

use crate::assessment::RatingKind;
use crate::decision::{Outcome, Verdict};
use crate::error::Error;
use crate::record::AuditRecord;
use crate::shared::SharedStr;
use crate::{CompiledRubric, Date};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A network's picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Network {
    /// The rubric every project's latest rating was scored with (`id version`).
    pub rubric: String,
    /// The day expiries are counted from.
    pub as_of: Date,
    /// Labels ending within this many months of `as_of` are listed.
    pub expiring_within_months: u32,
    /// Each project's latest rating, by project id.
    pub projects: Vec<ProjectRow>,
    /// Per item, in rubric order: how the projects rated it.
    pub items: Vec<ItemDistribution>,
    /// Per domain, in rubric order: the spread of the projects' means.
    pub domains: Vec<DomainSpread>,
    /// Per team model: how many projects got each outcome.
    pub outcomes_by_team_model: BTreeMap<String, BTreeMap<String, u32>>,
    /// Per region (projects that name one): how many projects got each outcome.
    pub outcomes_by_region: BTreeMap<String, BTreeMap<String, u32>>,
    /// Per outcome indicator of the rubric, in its order: the spread of the values the
    /// projects report (not scored).
    pub outcome_indicators: Vec<IndicatorSpread>,
    /// Labels whose validity ends within `expiring_within_months` of `as_of`, soonest first.
    pub expiring: Vec<Expiry>,
    /// Items named by a failing rule, most often first (ties in rubric order).
    pub failing_items: Vec<Failing>,
}

/// One project's latest rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectRow {
    /// The project's id.
    pub project: String,
    /// Its name.
    pub name: String,
    /// Where the rating came from (a file name).
    pub source: String,
    /// Its date.
    pub date: Date,
    /// A consensus, a reviewer's own rating, or a self-assessment.
    pub rating: RatingKind,
    /// The team model.
    pub team_model: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The last day the outcome holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The overall score the policy uses.
    #[serde(with = "crate::decimal::opt_dec")]
    pub overall: Option<Decimal>,
    /// Each domain's mean minus the network's median for it (absent where either is).
    pub from_median: Vec<Difference>,
    /// The region the project names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The outcome indicators it reports, by id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", serialize_with = "crate::decimal::text_map")]
    pub outcomes: BTreeMap<String, Decimal>,
}

/// The spread of one outcome indicator's values across the projects that report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorSpread {
    /// The indicator.
    pub indicator: String,
    /// How its values spread.
    #[serde(flatten)]
    pub spread: Spread,
}

/// A project's domain mean against the network median.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The domain.
    pub domain: SharedStr,
    /// The project's mean.
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean: Option<Decimal>,
    /// The project's mean minus the median.
    #[serde(with = "crate::decimal::opt_dec")]
    pub difference: Option<Decimal>,
}

/// How the projects rated one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDistribution {
    /// The item.
    pub item: SharedStr,
    /// Projects that rated it, per level (lowest level of the scale first).
    pub levels: Vec<u32>,
    /// Projects that rated it.
    pub rated: u32,
    /// The share of them at the scale's top level, in percent rounded half up to one place.
    #[serde(with = "crate::decimal::opt_dec")]
    pub at_top_percent: Option<Decimal>,
}

/// The spread of one domain's means across the projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainSpread {
    /// The domain.
    pub domain: SharedStr,
    /// How its means spread.
    #[serde(flatten)]
    pub spread: Spread,
}

/// How values spread across the projects that have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// Projects with a value.
    pub projects: u32,
    /// The lowest value.
    #[serde(with = "crate::decimal::opt_dec")]
    pub min: Option<Decimal>,
    /// The median (the mean of the two middle values for an even count).
    #[serde(with = "crate::decimal::opt_dec")]
    pub median: Option<Decimal>,
    /// The highest value.
    #[serde(with = "crate::decimal::opt_dec")]
    pub max: Option<Decimal>,
}

impl Spread {
    /// The spread of `values` (sorted in place).
    fn of(values: &mut [Decimal]) -> Result<Spread, Error> {
        values.sort_unstable();
        Ok(Spread {
            projects: u32::try_from(values.len()).map_err(|_| Error::Overflow("a count of projects"))?,
            min: values.first().copied(),
            median: median(values),
            max: values.last().copied(),
        })
    }
}

/// A label that ends soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// The project.
    pub project: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// The last day it holds.
    pub valid_until: Date,
}

/// An item named by failing rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failing {
    /// The item.
    pub item: SharedStr,
    /// Projects with a failing rule that names it.
    pub projects: u32,
}

/// How much a rating counts as the project's picture: a consensus before a reviewer's own
/// rating before a self-assessment; then the latest.
fn weight(r: &AuditRecord) -> (u8, Date) {
    let kind = match r.input.rating_kind() {
        RatingKind::Consensus => 2,
        RatingKind::Review => 1,
        RatingKind::SelfAssessment => 0,
    };
    (kind, r.input.date)
}

/// Each project's rating that stands for it (`(source, record)` by project id): a
/// consensus before a reviewer's own rating before a self-assessment, then the latest.
pub(crate) fn latest_by_project(records: Vec<(String, AuditRecord)>) -> BTreeMap<String, (String, AuditRecord)> {
    let mut latest: BTreeMap<String, (String, AuditRecord)> = BTreeMap::new();
    for (source, r) in records {
        let id = r.input.project.id.clone();
        let better = latest.get(&id).is_none_or(|(_, kept)| weight(&r) > weight(kept));
        if better {
            latest.insert(id, (source, r));
        }
    }
    latest
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
fn median(sorted: &[Decimal]) -> Option<Decimal> {
    let n = sorted.len();
    let upper = sorted.get(n.checked_div(2)?)?;
    if n % 2 == 1 {
        return Some(*upper);
    }
    let lower = sorted.get(n.checked_div(2)?.checked_sub(1)?)?;
    lower.checked_add(*upper)?.checked_div(Decimal::TWO).map(tidy)
}

/// A decimal without trailing zeros beyond two places: `3.6550` is `3.655`, `3.0` is `3.00`.
fn tidy(d: Decimal) -> Decimal {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// The network of `records` (`(source, record)`): each project's latest rating (a
/// consensus where there is one), scored with `rubric`; expiries counted from `as_of` over
/// `months`.
pub fn network(records: Vec<(String, AuditRecord)>, rubric: &CompiledRubric, as_of: Date, months: u32) -> Result<Network, Error> {
    let r = rubric.rubric();
    let latest = latest_by_project(records);
    if latest.is_empty() {
        return Err(Error::Records("no record to make a network of".into()));
    }
    if let Some((source, other)) = latest.values().find(|(_, x)| x.rubric.id != r.id || x.rubric.version != r.version) {
        return Err(Error::Records(format!(
            "`{source}` was scored with {} {} and others with {} {}: a network compares ratings of one rubric version",
            other.rubric.id, other.rubric.version, r.id, r.version
        )));
    }
    let item_ids: Vec<SharedStr> = rubric.item_ids().map(SharedStr::from).collect();
    let domain_ids: Vec<SharedStr> = r.domains.iter().map(|d| SharedStr::from(d.id.as_str())).collect();
    let (low, top) = (r.scale.min, r.scale.max);
    let width = usize::from(top.saturating_sub(low)).saturating_add(1);

    let mut items: Vec<ItemDistribution> =
        item_ids.iter().map(|id| ItemDistribution { item: id.clone(), levels: vec![0; width], rated: 0, at_top_percent: None }).collect();
    let mut means: Vec<Vec<Decimal>> = vec![Vec::new(); domain_ids.len()];
    let mut failing: BTreeMap<SharedStr, u32> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let mut by_region: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let mut reported: Vec<Vec<Decimal>> = vec![Vec::new(); r.outcome_indicators.len()];
    let mut expiring = Vec::new();
    let end = as_of.plus_months(months)?;
    for (_, r) in latest.values() {
        for i in &r.decision.items {
            let (Some(level), Some(dist)) = (i.level, items.iter_mut().find(|d| d.item == i.id)) else { continue };
            if let Some(slot) = dist.levels.get_mut(usize::from(level.saturating_sub(low))) {
                *slot = slot.saturating_add(1);
            }
            dist.rated = dist.rated.saturating_add(1);
        }
        for (g, list) in r.decision.scores.domains.iter().zip(means.iter_mut()) {
            list.extend(g.score.mean);
        }
        let mut named: Vec<&SharedStr> = r
            .decision
            .rules
            .iter()
            .filter(|rule| rule.verdict == Verdict::Fail)
            .flat_map(|rule| rule.failing.iter())
            .filter(|id| item_ids.contains(id))
            .collect();
        named.sort_unstable();
        named.dedup();
        for id in named {
            let n = failing.entry(id.clone()).or_insert(0);
            *n = n.saturating_add(1);
        }
        let by_outcome = outcomes.entry(r.input.team_model.code().to_owned()).or_default();
        let n = by_outcome.entry(r.decision.outcome.code().to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        if let Some(region) = &r.input.project.region {
            let n = by_region.entry(region.clone()).or_default().entry(r.decision.outcome.code().to_owned()).or_insert(0);
            *n = n.saturating_add(1);
        }
        for (spec, values) in rubric.rubric().outcome_indicators.iter().zip(reported.iter_mut()) {
            values.extend(r.input.outcomes.get(&spec.id).map(|o| o.value));
        }
        if let Some(until) = r.decision.valid_until.filter(|u| *u >= as_of && *u <= end) {
            expiring.push(Expiry { project: r.input.project.id.clone(), outcome: r.decision.outcome.clone(), valid_until: until });
        }
    }
    let percent = crate::rubric::model::Rounding { places: 1, mode: crate::rubric::model::RoundingMode::HalfUp };
    for d in &mut items {
        let at_top = d.levels.last().copied().unwrap_or(0);
        d.at_top_percent = crate::ratio::Ratio::new(u128::from(at_top).saturating_mul(100), u128::from(d.rated))
            .map(|x| x.to_decimal(percent))
            .transpose()?;
    }
    let mut domains = Vec::with_capacity(domain_ids.len());
    for (id, list) in domain_ids.iter().zip(means.iter_mut()) {
        domains.push(DomainSpread { domain: id.clone(), spread: Spread::of(list)? });
    }
    let mut outcome_indicators = Vec::with_capacity(reported.len());
    for (spec, list) in r.outcome_indicators.iter().zip(reported.iter_mut()) {
        outcome_indicators.push(IndicatorSpread { indicator: spec.id.clone(), spread: Spread::of(list)? });
    }
    let projects = latest
        .into_values()
        .map(|(source, r)| {
            let d = &r.decision;
            let from_median = d
                .scores
                .domains
                .iter()
                .zip(&domains)
                .map(|(g, spread)| Difference {
                    domain: g.id.clone(),
                    mean: g.score.mean,
                    difference: g.score.mean.zip(spread.spread.median).and_then(|(m, med)| m.checked_sub(med)).map(tidy),
                })
                .collect();
            ProjectRow {
                project: r.input.project.id.clone(),
                name: r.input.project.name.clone(),
                source,
                date: r.input.date,
                rating: r.input.rating_kind(),
                team_model: r.input.team_model.code().to_owned(),
                outcome: d.outcome.clone(),
                valid_until: d.valid_until,
                overall: d.scores.overall(),
                from_median,
                region: r.input.project.region.clone(),
                outcomes: r.input.outcomes.iter().map(|(id, o)| (id.clone(), o.value)).collect(),
            }
        })
        .collect();
    expiring.sort_by(|a, b| a.valid_until.cmp(&b.valid_until).then_with(|| a.project.cmp(&b.project)));
    let mut failing_items: Vec<Failing> =
        item_ids.iter().filter_map(|id| failing.get(id).map(|n| Failing { item: id.clone(), projects: *n })).collect();
    failing_items.sort_by_key(|f| std::cmp::Reverse(f.projects));
    Ok(Network {
        rubric: format!("{} {}", r.id, r.version),
        as_of,
        expiring_within_months: months,
        projects,
        items,
        domains,
        outcomes_by_team_model: outcomes,
        outcomes_by_region: by_region,
        outcome_indicators,
        expiring,
        failing_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> AuditRecord {
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let a = crate::assessment_from_str(&std::fs::read_to_string(path).unwrap(), path).unwrap();
        rubric.audit(&a).unwrap()
    }

    #[test]
    fn ratings_of_two_rubric_versions_are_not_set_side_by_side() {
        let a = record("examples/act-city-granted.yaml");
        let mut b = record("examples/staircase-refused.yaml");
        b.rubric.version = "2.0.0".into();
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let e = network(vec![("a.yaml".into(), a), ("b.yaml".into(), b)], &rubric, "2026-11-30".parse().unwrap(), 6).unwrap_err();
        assert!(e.to_string().contains("hfb-label 2.0.0") && e.to_string().contains("one rubric version"), "{e}");
    }

    #[test]
    fn a_consensus_stands_for_the_project_before_a_later_self_assessment() {
        let review = record("examples/review/consensus.yaml");
        let mut own = record("examples/review/self-assessment.yaml");
        own.input.date = "2027-01-10".parse().unwrap();
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let n = network(vec![("own".into(), own), ("consensus".into(), review)], &rubric, "2026-11-30".parse().unwrap(), 6).unwrap();
        assert_eq!(n.projects.len(), 1);
        assert_eq!(n.projects[0].source, "consensus");
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middle_values() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[d("2.50")]), Some(d("2.50")));
        assert_eq!(median(&[d("2.50"), d("3.00"), d("3.75")]), Some(d("3.00")));
        assert_eq!(median(&[d("2.50"), d("3.00"), d("3.25"), d("3.75")]).unwrap().to_string(), "3.125");
        assert_eq!(median(&[d("2.50"), d("3.50")]).unwrap().to_string(), "3.00");
    }
}
