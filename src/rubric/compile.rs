//! Validation of a [`Rubric`] and its compilation into the index the scorer uses.
//!
//! Everything that can be worked out once per rubric is worked out here: item order,
//! domain and principle membership, bands sorted per team model, rule selections
//! resolved to item indices. Scoring an assessment then only walks vectors.

use super::band::{CBand, seam};
use super::model::*;
use crate::error::{Problem, ProblemKind};
use crate::shared::SharedStr;
use crate::text::Text;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Thresholds may have at most this many decimal places, so that comparisons stay exact.
pub const MAX_THRESHOLD_PLACES: u32 = 6;

/// The rubric's team models in the order of its `team_models`: per-model data (which
/// items and rules apply, each item's indicator) is indexed by position in this list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Models(Vec<TeamModel>);

impl Models {
    /// The position of `m`; `None` when the rubric does not cover it.
    pub fn ix(&self, m: &TeamModel) -> Option<usize> {
        self.0.iter().position(|x| x == m)
    }

    /// How many models the rubric covers.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A set of team models, by position in [`Models`]: one bit each (a rubric covers at most
/// [`ModelSet::MAX`] models, which compiling checks), so that whether an item or a rule
/// applies is one test, not a look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ModelSet(u64);

impl ModelSet {
    /// The most team models a rubric may cover.
    pub const MAX: usize = 64;

    /// The first `n` models (every model of a rubric covering `n`).
    fn first(n: usize) -> Self {
        ModelSet(if n >= Self::MAX { u64::MAX } else { (1u64 << n).wrapping_sub(1) })
    }

    /// Adds model `m`; `false` when `m` is past [`ModelSet::MAX`].
    fn insert(&mut self, m: usize) -> bool {
        match u32::try_from(m).ok().and_then(|m| 1u64.checked_shl(m)) {
            Some(bit) if m < Self::MAX => {
                self.0 |= bit;
                true
            }
            _ => false,
        }
    }

    /// Whether model `m` is in the set.
    pub fn contains(self, m: usize) -> bool {
        m < Self::MAX && u32::try_from(m).is_ok_and(|m| self.0 >> m & 1 == 1)
    }
}

/// A validated indicator: bands sorted by value.
#[derive(Debug, Clone)]
pub(crate) struct CIndicator {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub bands: Vec<CBand>,
    /// Each band as written in decisions (`above 10 and at most 15`), parallel to `bands`:
    /// rendered once here rather than for every measured answer.
    pub labels: Vec<SharedStr>,
    /// The indicator's unit, as written in decisions.
    pub unit: SharedStr,
    /// The band ends as whole numbers at one scale, where they fit: a value is then placed
    /// with integer comparisons.
    pub fixed: Option<Fixed>,
}

/// Band ends scaled by `10^scale` to whole numbers, parallel to the bands.
#[derive(Debug, Clone)]
pub(crate) struct Fixed {
    scale: u32,
    /// Per band: its lower end (value, inclusive), if any.
    lower: Vec<Option<(i128, bool)>>,
    /// Per band: its upper end (value, inclusive), if any.
    upper: Vec<Option<(i128, bool)>>,
}

impl Fixed {
    /// Every band end at the largest scale among them; `None` when one does not fit.
    fn of(bands: &[CBand]) -> Option<Fixed> {
        let ends = || bands.iter().flat_map(|b| [b.lower, b.upper]).flatten();
        let scale = ends().map(|e| e.value.scale()).max().unwrap_or(0);
        let at = |e: Option<super::band::Bound>| -> Option<Option<(i128, bool)>> {
            match e {
                None => Some(None),
                Some(e) => Some(Some((Fixed::scaled(e.value, scale)?, e.inclusive))),
            }
        };
        let lower = bands.iter().map(|b| at(b.lower)).collect::<Option<Vec<_>>>()?;
        let upper = bands.iter().map(|b| at(b.upper)).collect::<Option<Vec<_>>>()?;
        Some(Fixed { scale, lower, upper })
    }

    /// A band end: `v * 10^scale` as a whole number, when it is one and fits.
    fn scaled(v: Decimal, scale: u32) -> Option<i128> {
        match Fixed::floor(v, scale)? {
            (x, false) => Some(x),
            (_, true) => None,
        }
    }

    /// `floor(v * 10^scale)`, and whether that dropped a fraction; `None` if it does not fit.
    fn floor(v: Decimal, scale: u32) -> Option<(i128, bool)> {
        let m = i128::from(i64::try_from(v.mantissa()).ok()?);
        if v.scale() <= scale {
            let p = i128::from(crate::decimal::pow10(scale.saturating_sub(v.scale()))?);
            return m.checked_mul(p).map(|x| (x, false));
        }
        let p = i128::from(crate::decimal::pow10(v.scale().saturating_sub(scale))?);
        Some((m.checked_div_euclid(p)?, m.checked_rem_euclid(p)? != 0))
    }

    /// The band holding `v`; `None` when none does (or `v` does not fit: see [`CIndicator::band_ix_for`]).
    fn band_of(&self, v: Decimal) -> Option<Option<usize>> {
        // With a fraction dropped, `x < v < x + 1` in units of the scale: `v` never equals
        // a band end, is below an end `u` exactly when `x < u`, above an end `l` when `x >= l`.
        let (x, frac) = Fixed::floor(v, self.scale)?;
        let below = |end: &Option<(i128, bool)>| end.is_none_or(|(u, incl)| x < u || (incl && !frac && x == u));
        let above = |end: &Option<(i128, bool)>| end.is_none_or(|(l, incl)| x > l || (x == l && (incl || frac)));
        let Some(ix) = self.upper.iter().position(below) else { return Some(None) };
        Some(self.lower.get(ix).filter(|l| above(l)).map(|_| ix))
    }
}

impl CIndicator {
    /// The index of the band a value falls in (bands cover every admissible value exactly once).
    pub fn band_ix_for(&self, v: Decimal) -> Option<usize> {
        if let Some(found) = self.fixed.as_ref().and_then(|fx| fx.band_of(v)) {
            return found;
        }
        // Bands are sorted and do not overlap: the first whose upper end admits `v` is the
        // only one that can hold it. One comparison per band, then one to confirm.
        let ix = self.bands.iter().position(|b| b.admits_below(v))?;
        self.bands.get(ix).filter(|b| b.contains(v)).map(|_| ix)
    }

    /// The label of band `ix`; an index outside the bands is an internal error.
    pub fn label(&self, ix: usize) -> Result<SharedStr, crate::Error> {
        self.labels.get(ix).cloned().ok_or_else(|| crate::error::internal("a band index outside the indicator"))
    }
}

/// A validated item.
#[derive(Debug, Clone)]
pub(crate) struct CItem {
    pub domain: usize,
    pub models: ModelSet,
    /// Per team model (by position in [`Models`]): the indicator that measures the item.
    pub indicator: Vec<Option<CIndicator>>,
    pub principles: Vec<usize>,
    /// What validating an answer asks of the item, copied here from the model so that
    /// checking an answer stays in the index.
    pub required: bool,
    pub evidence: EvidenceRule,
    pub evidence_kinds: Vec<crate::assessment::EvidenceKind>,
    pub not_applicable: NotApplicable,
    pub value_required: bool,
}

/// A validated domain: its items are the contiguous range `first..end` of the flat list.
#[derive(Debug, Clone)]
pub(crate) struct CDomain {
    pub first: usize,
    pub end: usize,
}

/// A rule resolved against the rubric.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    MinOverall {
        threshold: Decimal,
        measure: OverallMeasure,
    },
    MinDomain {
        threshold: Decimal,
        domains: Vec<usize>,
    },
    MinPrinciple {
        threshold: Decimal,
        principles: Vec<usize>,
    },
    MinLevel {
        level: u8,
        items: Vec<usize>,
    },
    MaxBelow {
        level: u8,
        count: u32,
        items: Vec<usize>,
    },
    /// Who may reach the outcome: one of `kinds` of assessor and, when `ratings` is not
    /// empty, one of those kinds of rating.
    AssessedBy {
        kinds: Vec<crate::assessment::AssessorKind>,
        ratings: Vec<crate::assessment::RatingKind>,
    },
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub check: Check,
    pub models: ModelSet,
}

/// A compiled signal of a model check.
#[derive(Debug, Clone)]
pub(crate) struct CSignal {
    pub item: usize,
    pub value_above: Option<Decimal>,
    pub value_below: Option<Decimal>,
    pub level_below: Option<u8>,
}

/// The compiled index of a rubric.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    /// The team models, in the rubric's order.
    pub models: Models,
    pub items: Vec<CItem>,
    /// Item id and index, in id order: merged against an assessment's answers (a map in id
    /// order too).
    pub sorted_ids: Vec<(String, usize)>,
    pub domains: Vec<CDomain>,
    /// Per principle: its items, in order.
    pub principle_items: Vec<Vec<usize>>,
    /// Per outcome: its rules.
    pub rules: Vec<Vec<CRule>>,
    /// Per model check: its signals.
    pub signals: Vec<Vec<CSignal>>,
    /// Per model check: the outcomes (by index in the policy) it withholds.
    pub withholds: Vec<Vec<usize>>,
    /// The ids and texts decisions repeat, shared rather than copied per decision.
    pub names: Names,
}

/// The ids and texts a decision names, by index, as shared strings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Per item (flat index): its id.
    pub items: Vec<SharedStr>,
    /// Per item (flat index): its domain's id.
    pub item_domains: Vec<SharedStr>,
    /// Per domain: its id.
    pub domains: Vec<SharedStr>,
    /// Per principle: its id.
    pub principles: Vec<SharedStr>,
    /// Per outcome: its id.
    pub outcomes: Vec<crate::decision::Outcome>,
    /// Per outcome, per rule: its id.
    pub rules: Vec<Vec<SharedStr>>,
    /// Per model check: its id.
    pub checks: Vec<SharedStr>,
}

impl Names {
    fn of(r: &Rubric) -> Names {
        let id = |s: &String| SharedStr::from(s.as_str());
        let domains: Vec<SharedStr> = r.domains.iter().map(|d| id(&d.id)).collect();
        let mut items = Vec::new();
        let mut item_domains = Vec::new();
        for (d, shared) in r.domains.iter().zip(&domains) {
            for item in &d.items {
                items.push(id(&item.id));
                item_domains.push(shared.clone());
            }
        }
        Names {
            items,
            item_domains,
            domains,
            principles: r.principles.iter().map(|p| id(&p.id)).collect(),
            outcomes: r.policy.outcomes.iter().map(|o| crate::decision::Outcome::from(o.outcome.as_str())).collect(),
            rules: r.policy.outcomes.iter().map(|o| o.rules.iter().map(|rule| id(&rule.id)).collect()).collect(),
            checks: r.model_checks.iter().map(|c| id(&c.id)).collect(),
        }
    }

    /// Item `ix`'s id. An index outside the rubric is an internal error, never an empty name.
    pub fn item(&self, ix: usize) -> Result<SharedStr, crate::Error> {
        self.items.get(ix).cloned().ok_or_else(|| crate::error::internal("an item index outside the compiled rubric"))
    }

    /// Item `ix`'s domain id. An index outside the rubric is an internal error, never an empty name.
    pub fn item_domain(&self, ix: usize) -> Result<SharedStr, crate::Error> {
        self.item_domains.get(ix).cloned().ok_or_else(|| crate::error::internal("an item index outside the compiled rubric"))
    }

    /// Domain `d`'s id. An index outside the rubric is an internal error, never an empty name.
    pub fn domain(&self, d: usize) -> Result<SharedStr, crate::Error> {
        self.domains.get(d).cloned().ok_or_else(|| crate::error::internal("a domain index outside the compiled rubric"))
    }

    /// Principle `p`'s id. An index outside the rubric is an internal error, never an empty name.
    pub fn principle(&self, p: usize) -> Result<SharedStr, crate::Error> {
        self.principles.get(p).cloned().ok_or_else(|| crate::error::internal("a principle index outside the compiled rubric"))
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::at(kind, path, message));
    }

    /// Checks that `t` has every required language. The path is only written out when it
    /// does not: a rubric has hundreds of texts, and formatting paths that were never used
    /// was a third of the work of compiling one.
    fn text(&mut self, t: &Text, path: impl fmt::Display) {
        let missing = t.missing();
        if !missing.is_empty() {
            let langs: Vec<String> = missing.iter().map(|l| format!("`{l}`")).collect();
            self.push(ProblemKind::MissingText, path.to_string(), format!("the text has no {}", langs.join(", ")));
        }
    }

    /// Checks that `id` follows the id syntax ([`crate::id`]).
    fn id(&mut self, id: &str, path: impl fmt::Display) {
        if let Err(message) = crate::id::check_id(id) {
            self.push(ProblemKind::Shape, path.to_string(), message);
        }
    }

    fn opt_text(&mut self, t: &Option<Text>, path: impl fmt::Display) {
        if let Some(t) = t {
            self.text(t, path);
        }
    }
}

/// Validates `r` and builds its index; lists every problem found.
pub(crate) fn compile(r: &Rubric) -> Result<Index, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };
    if r.format != RUBRIC_FORMAT {
        c.push(ProblemKind::Format, "format", format!("expected `{RUBRIC_FORMAT}`, found `{}`", r.format));
    }
    c.id(&r.id, "id");
    c.text(&r.title, "title");
    c.opt_text(&r.description, "description");
    if r.scale.min >= r.scale.max {
        c.push(
            ProblemKind::OutOfRange,
            "scale",
            format!("the scale runs from {} to {}: `min` must be below `max`", r.scale.min, r.scale.max),
        );
    }
    if r.scale.min >= r.scale.max {
        // Every level check depends on the scale: report it alone rather than a cascade.
        return Err(c.problems);
    }
    if r.rounding.places > 10 {
        c.push(ProblemKind::OutOfRange, "rounding.places", format!("{} places is more than the 10 allowed", r.rounding.places));
    }
    if r.team_models.is_empty() {
        c.push(ProblemKind::EmptyList, "team_models", "the rubric names no team model");
    }
    let mut listed: Vec<TeamModel> = Vec::new();
    for (i, m) in r.team_models.iter().enumerate() {
        c.id(m.code(), format_args!("team_models[{i}]"));
        if listed.contains(m) {
            c.push(ProblemKind::DuplicateId, format!("team_models[{i}]"), format!("team model `{}` is listed twice", m.code()));
        } else {
            listed.push(m.clone());
        }
    }
    if listed.len() > ModelSet::MAX {
        c.push(
            ProblemKind::OutOfRange,
            "team_models",
            format!("{} team models is more than the {} a rubric may cover", listed.len(), ModelSet::MAX),
        );
    }
    let models = Models(listed);

    let mut principle_ix: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, p) in r.principles.iter().enumerate() {
        let path = format!("principles[{i}]");
        c.id(&p.id, format_args!("{path}.id"));
        if principle_ix.insert(p.id.as_str(), i).is_some() {
            c.push(ProblemKind::DuplicateId, format!("{path}.id"), format!("duplicate principle `{}`", p.id));
        }
        c.text(&p.title, format_args!("{path}.title"));
    }

    if r.domains.is_empty() {
        c.push(ProblemKind::EmptyList, "domains", "the rubric has no domains");
    }
    let mut items: Vec<CItem> = Vec::new();
    let mut item_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut item_paths: Vec<String> = Vec::new();
    let mut domains = Vec::new();
    let mut domain_ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut principle_items: Vec<Vec<usize>> = vec![Vec::new(); r.principles.len()];
    for (d, domain) in r.domains.iter().enumerate() {
        let dpath = format!("domains[{d}]");
        c.id(&domain.id, format_args!("{dpath}.id"));
        if let Some(first) = domain_ids.insert(domain.id.as_str(), d) {
            c.push(
                ProblemKind::DuplicateId,
                format!("{dpath}.id"),
                format!("duplicate domain id `{}` (first at `domains[{first}]`)", domain.id),
            );
        }
        c.text(&domain.title, format_args!("{dpath}.title"));
        c.opt_text(&domain.description, format_args!("{dpath}.description"));
        if domain.items.is_empty() {
            c.push(ProblemKind::EmptyList, format!("{dpath}.items"), format!("domain `{}` has no items", domain.id));
        }
        let first = items.len();
        for (i, item) in domain.items.iter().enumerate() {
            let ipath = format!("{dpath}.items[{i}]");
            c.id(&item.id, format_args!("{ipath}.id"));
            let index = items.len();
            if item_ids.contains_key(&item.id) {
                let first_path = item_ids.get(&item.id).and_then(|ix| item_paths.get(*ix)).cloned().unwrap_or_default();
                c.push(
                    ProblemKind::DuplicateId,
                    format!("{ipath}.id"),
                    format!("duplicate item id `{}` (first at `{first_path}`)", item.id),
                );
            } else {
                item_ids.insert(item.id.clone(), index);
            }
            let compiled = check_item(&mut c, r, item, &ipath, d, &models, &principle_ix);
            for p in &compiled.principles {
                if let Some(list) = principle_items.get_mut(*p) {
                    list.push(index);
                }
            }
            items.push(compiled);
            item_paths.push(ipath);
        }
        domains.push(CDomain { first, end: items.len() });
    }

    let spec_items: Vec<&Item> = r.domains.iter().flat_map(|d| &d.items).collect();
    let mut signals = Vec::new();
    let mut check_ids = BTreeSet::new();
    for (k, mc) in r.model_checks.iter().enumerate() {
        let path = format!("model_checks[{k}]");
        c.id(&mc.id, format_args!("{path}.id"));
        if !check_ids.insert(mc.id.as_str()) {
            c.push(ProblemKind::DuplicateId, format!("{path}.id"), format!("duplicate model check `{}`", mc.id));
        }
        if models.ix(&mc.team_model).is_none() {
            c.push(
                ProblemKind::UnknownReference,
                format!("{path}.team_model"),
                format!("the rubric does not cover team model `{}`", mc.team_model.code()),
            );
        }
        c.text(&mc.message, format_args!("{path}.message"));
        let n = u32::try_from(mc.signals.len()).unwrap_or(u32::MAX);
        if mc.min_signals == 0 || mc.min_signals > n {
            c.push(
                ProblemKind::OutOfRange,
                format!("{path}.min_signals"),
                format!("`min_signals` is {} but the check has {n} signal{}", mc.min_signals, if n == 1 { "" } else { "s" }),
            );
        }
        let mut compiled = Vec::new();
        for (s, sig) in mc.signals.iter().enumerate() {
            let spath = format!("{path}.signals[{s}]");
            let set = [sig.value_above.is_some(), sig.value_below.is_some(), sig.level_below.is_some()].iter().filter(|b| **b).count();
            if set != 1 {
                c.push(ProblemKind::Shape, spath.clone(), "a signal needs exactly one of `value_above`, `value_below`, `level_below`");
            }
            let Some(&item) = item_ids.get(&sig.item) else {
                c.push(ProblemKind::UnknownReference, format!("{spath}.item"), format!("unknown item `{}`", sig.item));
                continue;
            };
            let measured = spec_items
                .get(item)
                .is_some_and(|it| it.indicator.is_some() || it.variants.get(&mc.team_model).is_some_and(|v| v.indicator.is_some()));
            if (sig.value_above.is_some() || sig.value_below.is_some()) && !measured {
                c.push(
                    ProblemKind::UnknownReference,
                    format!("{spath}.item"),
                    format!("item `{}` has no measured value for {}", sig.item, mc.team_model),
                );
            }
            if let Some(l) = sig.level_below {
                check_level(&mut c, r.scale, l, format_args!("{spath}.level_below"));
            }
            compiled.push(CSignal { item, value_above: sig.value_above, value_below: sig.value_below, level_below: sig.level_below });
        }
        signals.push(compiled);
    }

    let refs = Refs {
        items: &item_ids,
        domains: &domain_ids,
        principles: &principle_ix,
        domain_ranges: &domains,
        principle_items: &principle_items,
        item_count: items.len(),
    };
    let rules = check_policy(&mut c, r, &models, &refs);
    if let Some(org) = &r.policy.organisation {
        check_organisation(&mut c, r, org, &refs);
    }
    check_named(&mut c, r.units.iter().map(|u| (u.id.as_str(), &u.title)), "units", "unit");
    let withholds = check_withholds(&mut c, r);
    check_mappings(&mut c, r, &item_ids);
    check_outcome_indicators(&mut c, r);
    if let Some(t) = &r.target_public {
        check_target_public(&mut c, t);
    }

    if c.problems.is_empty() {
        let sorted_ids = item_ids.into_iter().collect();
        Ok(Index { models, items, sorted_ids, domains, principle_items, rules, signals, withholds, names: Names::of(r) })
    } else {
        Err(c.problems)
    }
}

/// An ordered list of outcomes (at `opath`, one of them): the last catches every `what`
/// the others do not, so it takes no rules; every other needs rules.
fn check_rules_present(c: &mut Checker, opath: &str, is_last: bool, has_rules: bool, what: &str) {
    if is_last && has_rules {
        c.push(
            ProblemKind::Policy,
            format!("{opath}.rules"),
            format!("the last outcome catches every {what} the others do not: it takes no rules"),
        );
    }
    if !is_last && !has_rules {
        c.push(ProblemKind::Policy, format!("{opath}.rules"), "only the last outcome may have no rules");
    }
}

/// A rule's id (its syntax, and once in its outcome: `ids` holds those seen) and message.
fn check_rule_head<'a>(c: &mut Checker, path: &str, id: &'a str, message: &Text, ids: &mut BTreeSet<&'a str>) {
    c.id(id, format_args!("{path}.id"));
    if !ids.insert(id) {
        c.push(ProblemKind::DuplicateId, format!("{path}.id"), format!("duplicate rule id `{id}`"));
    }
    c.text(message, format_args!("{path}.message"));
}

/// The organisation policy: outcomes of the policy, once each and in its order (best to
/// worst), every one but the last with rules and the last without; rule ids once per
/// outcome; each kind with the fields it takes; an `every_team` outcome that is not the
/// policy's last (every team reaches that one, so the rule could never fail).
fn check_organisation(c: &mut Checker, r: &Rubric, org: &OrganisationPolicy, refs: &Refs) {
    let policy: Vec<&str> = r.policy.outcomes.iter().map(|o| o.outcome.as_str()).collect();
    if org.outcomes.is_empty() {
        c.push(ProblemKind::EmptyList, "policy.organisation.outcomes", "the organisation policy has no outcomes");
    }
    let last = org.outcomes.len().saturating_sub(1);
    let mut previous: Option<usize> = None;
    for (o, outcome) in org.outcomes.iter().enumerate() {
        let opath = format!("policy.organisation.outcomes[{o}]");
        match policy.iter().position(|x| *x == outcome.outcome) {
            None => c.push(
                ProblemKind::UnknownReference,
                format!("{opath}.outcome"),
                format!("`{}` is not an outcome of the policy ({})", outcome.outcome, policy.join(", ")),
            ),
            Some(ix) if previous.is_some_and(|p| ix <= p) => c.push(
                ProblemKind::Policy,
                format!("{opath}.outcome"),
                format!("`{}` is listed twice or out of the policy's order (best to worst: {})", outcome.outcome, policy.join(", ")),
            ),
            Some(ix) => previous = Some(ix),
        }
        check_rules_present(c, &opath, o == last, !outcome.rules.is_empty(), "organisation");
        let mut ids = BTreeSet::new();
        for (k, rule) in outcome.rules.iter().enumerate() {
            let path = format!("{opath}.rules[{k}]");
            check_rule_head(c, &path, &rule.id, &rule.message, &mut ids);
            let kind: &str = rule.kind.into();
            let takes: &[&str] = match rule.kind {
                OrganisationRuleKind::EveryTeam => &["outcome"],
                OrganisationRuleKind::MinOverall => &["threshold"],
                OrganisationRuleKind::MinDomain => &["threshold", "domains"],
            };
            for (field, set) in
                [("outcome", rule.outcome.is_some()), ("threshold", rule.threshold.is_some()), ("domains", !rule.domains.is_empty())]
            {
                if set && !takes.contains(&field) {
                    c.push(ProblemKind::Policy, format!("{path}.{field}"), format!("a `{kind}` rule takes no `{field}`"));
                }
            }
            match rule.kind {
                OrganisationRuleKind::EveryTeam => match rule.outcome.as_deref() {
                    None => c.push(ProblemKind::Policy, path, "an `every_team` rule needs the `outcome` every team must reach"),
                    Some(x) => match policy.iter().position(|p| *p == x) {
                        None => c.push(
                            ProblemKind::UnknownReference,
                            format!("{path}.outcome"),
                            format!("`{x}` is not an outcome of the policy ({})", policy.join(", ")),
                        ),
                        Some(ix) if ix.saturating_add(1) == policy.len() => c.push(
                            ProblemKind::Policy,
                            format!("{path}.outcome"),
                            format!("`{x}` is the policy's last outcome: every team reaches it, so the rule could never fail"),
                        ),
                        Some(_) => {}
                    },
                },
                OrganisationRuleKind::MinOverall => {
                    check_threshold(c, r.scale, rule.threshold, &path);
                }
                OrganisationRuleKind::MinDomain => {
                    check_threshold(c, r.scale, rule.threshold, &path);
                    resolve(c, &rule.domains, refs.domains, "domain", &format!("{path}.domains"));
                }
            }
        }
    }
}

/// Outcome indicators: ids once each, texts in every language, a unit of the rubric, and
/// `min` not above `max`.
fn check_outcome_indicators(c: &mut Checker, r: &Rubric) {
    let mut ids = BTreeSet::new();
    for (k, o) in r.outcome_indicators.iter().enumerate() {
        let path = format!("outcome_indicators[{k}]");
        c.id(&o.id, format_args!("{path}.id"));
        if !ids.insert(o.id.as_str()) {
            c.push(ProblemKind::DuplicateId, format!("{path}.id"), format!("duplicate outcome indicator `{}`", o.id));
        }
        c.text(&o.title, format_args!("{path}.title"));
        c.text(&o.definition, format_args!("{path}.definition"));
        if !r.units.iter().any(|u| u.id == o.unit) {
            let known: Vec<&str> = r.units.iter().map(|u| u.id.as_str()).collect();
            c.push(
                ProblemKind::UnknownReference,
                format!("{path}.unit"),
                format!("unknown unit `{}` (the rubric's units: {})", o.unit, known.join(", ")),
            );
        }
        if let (Some(lo), Some(hi)) = (o.min, o.max) {
            if lo > hi {
                c.push(ProblemKind::OutOfRange, format!("{path}.min"), format!("`min` ({lo}) is above `max` ({hi})"));
            }
        }
    }
}

/// Each item mapping: an earlier version (not this one, not one declared compatible, not
/// mapped twice); on the right, items of this rubric, each named once per mapping; on the
/// left, earlier ids, each named once, none of them an item this version still has under
/// that id (it would be neither renamed, split, merged nor dropped).
fn check_mappings(c: &mut Checker, r: &Rubric, item_ids: &BTreeMap<String, usize>) {
    let mut versions = BTreeSet::new();
    for (k, m) in r.item_mappings.iter().enumerate() {
        let path = format!("item_mappings[{k}]");
        let v = m.from_version.as_str();
        if v.trim().is_empty() {
            c.push(ProblemKind::Shape, format!("{path}.from_version"), "the earlier version is empty");
        } else if v == r.version {
            c.push(ProblemKind::Shape, format!("{path}.from_version"), format!("`{v}` is this rubric's own version"));
        } else if r.compatible_versions.iter().any(|x| x == v) {
            c.push(
                ProblemKind::Shape,
                format!("{path}.from_version"),
                format!("version `{v}` is declared compatible (the same items), so it cannot also be mapped"),
            );
        } else if !versions.insert(v) {
            c.push(ProblemKind::DuplicateId, format!("{path}.from_version"), format!("version `{v}` is mapped twice"));
        }
        let mut now: BTreeSet<String> = BTreeSet::new();
        let mut earlier: BTreeSet<String> = BTreeSet::new();
        let mut this_version = |c: &mut Checker, id: &str, at: String| {
            c.id(id, &at);
            if !item_ids.contains_key(id) {
                c.push(
                    ProblemKind::UnknownReference,
                    at,
                    format!("unknown item `{id}`: the right of a mapping names this version's items"),
                );
            } else if !now.insert(id.to_owned()) {
                c.push(ProblemKind::DuplicateId, at, format!("item `{id}` is named twice on the right of this mapping"));
            }
        };
        let mut earlier_one = |c: &mut Checker, id: &str, at: String| {
            c.id(id, &at);
            if !earlier.insert(id.to_owned()) {
                c.push(ProblemKind::DuplicateId, at, format!("earlier item `{id}` is named twice in this mapping"));
            }
        };
        for (old, new) in &m.renamed {
            earlier_one(c, old, format!("{path}.renamed.{old}"));
            this_version(c, new, format!("{path}.renamed.{old}"));
        }
        for (old, parts) in &m.split {
            earlier_one(c, old, format!("{path}.split.{old}"));
            if parts.len() < 2 {
                c.push(ProblemKind::Shape, format!("{path}.split.{old}"), "an item split in fewer than two is renamed or changed");
            }
            for (i, new) in parts.iter().enumerate() {
                this_version(c, new, format!("{path}.split.{old}[{i}]"));
            }
        }
        for (new, olds) in &m.merged {
            this_version(c, new, format!("{path}.merged.{new}"));
            if olds.len() < 2 {
                c.push(ProblemKind::Shape, format!("{path}.merged.{new}"), "fewer than two items merged is a rename or a change");
            }
            for (i, old) in olds.iter().enumerate() {
                earlier_one(c, old, format!("{path}.merged.{new}[{i}]"));
            }
        }
        for (i, id) in m.changed.iter().enumerate() {
            this_version(c, id, format!("{path}.changed[{i}]"));
            earlier_one(c, id, format!("{path}.changed[{i}]"));
        }
        for (i, id) in m.new.iter().enumerate() {
            this_version(c, id, format!("{path}.new[{i}]"));
        }
        for (i, id) in m.dropped.iter().enumerate() {
            earlier_one(c, id, format!("{path}.dropped[{i}]"));
        }
        // An earlier id this version still has under the same id, other than a changed
        // item: was it renamed away, or is it the same item?
        for id in earlier.iter().filter(|id| item_ids.contains_key(id.as_str()) && !m.changed.contains(id)) {
            c.push(
                ProblemKind::Shape,
                path.clone(),
                format!(
                    "earlier item `{id}` is still an item of this version: list it under `changed`, or leave it out if it kept its meaning"
                ),
            );
        }
    }
}

/// Per model check: the outcomes it withholds, by index in the policy. Each must be an
/// outcome of the policy, listed once; the policy's last outcome (the one every decision
/// falls back to) cannot be withheld, since a warning must never turn a refusal into "no
/// decision yet".
fn check_withholds(c: &mut Checker, r: &Rubric) -> Vec<Vec<usize>> {
    let outcomes = &r.policy.outcomes;
    let last = outcomes.len().checked_sub(1);
    let mut all = Vec::with_capacity(r.model_checks.len());
    for (k, mc) in r.model_checks.iter().enumerate() {
        let mut ixs = Vec::with_capacity(mc.withholds.len());
        for (w, id) in mc.withholds.iter().enumerate() {
            let path = format!("model_checks[{k}].withholds[{w}]");
            match outcomes.iter().position(|o| o.outcome == *id) {
                None => c.push(ProblemKind::UnknownReference, path, format!("unknown outcome `{id}`")),
                Some(o) if Some(o) == last => c.push(
                    ProblemKind::Policy,
                    path,
                    format!("`{id}` is the policy's last outcome: a warning cannot withhold the outcome every decision falls back to"),
                ),
                Some(o) if ixs.contains(&o) => {
                    c.push(ProblemKind::DuplicateId, path, format!("outcome `{id}` is listed twice"));
                }
                Some(o) => ixs.push(o),
            }
        }
        all.push(ixs);
    }
    all
}

/// A list of named things (units, kinds of problems) at `path`: ids with the id syntax,
/// each listed once, each with its name in every language.
fn check_named<'a>(c: &mut Checker, named: impl Iterator<Item = (&'a str, &'a Text)>, path: &str, what: &str) {
    let mut seen = BTreeSet::new();
    for (k, (id, title)) in named.enumerate() {
        c.id(id, format_args!("{path}[{k}].id"));
        if !seen.insert(id) {
            c.push(ProblemKind::DuplicateId, format!("{path}[{k}].id"), format!("{what} `{id}` is listed twice"));
        }
        c.text(title, format_args!("{path}[{k}].title"));
    }
}

/// The kinds of problems (ids, names, listed once, few enough to try every combination) and
/// the minimum criteria.
fn check_target_public(c: &mut Checker, t: &crate::target::TargetPublic) {
    if t.problem_kinds.is_empty() {
        c.push(ProblemKind::EmptyList, "target_public.problem_kinds", "no kind of problem is listed");
    }
    if t.problem_kinds.len() > crate::target::MAX_PROBLEM_KINDS {
        c.push(
            ProblemKind::OutOfRange,
            "target_public.problem_kinds",
            format!("{} kinds of problems: at most {} are allowed", t.problem_kinds.len(), crate::target::MAX_PROBLEM_KINDS),
        );
    }
    check_named(c, t.problem_kinds.iter().map(|k| (k.id.as_str(), &k.title)), "target_public.problem_kinds", "kind of problem");
    for (kind, path, message) in crate::target::check_criteria(&t.minimum, &t.problem_kinds, "target_public.minimum") {
        c.push(kind, path, message);
    }
}

fn check_level(c: &mut Checker, scale: Scale, level: u8, path: impl fmt::Display) {
    if level < scale.min || level > scale.max {
        c.push(ProblemKind::OutOfRange, path.to_string(), format!("level {level} is outside the scale {}-{}", scale.min, scale.max));
    }
}

fn check_anchors(c: &mut Checker, scale: Scale, anchors: &BTreeMap<u8, Text>, path: &str) {
    for (level, text) in anchors {
        if *level < scale.min || *level > scale.max {
            c.push(
                ProblemKind::Anchors,
                format!("{path}.{level}"),
                format!("anchor for level {level} is outside the scale {}-{}", scale.min, scale.max),
            );
        } else {
            c.text(text, format_args!("{path}.{level}"));
        }
    }
    let missing: Vec<String> = (scale.min..=scale.max).filter(|l| !anchors.contains_key(l)).map(|l| l.to_string()).collect();
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        c.push(ProblemKind::Anchors, path, format!("no anchor text for level{s} {}", missing.join(", ")));
    }
}

fn check_indicator(c: &mut Checker, scale: Scale, units: &[Unit], ind: &Indicator, path: &str) -> Option<CIndicator> {
    c.text(&ind.title, format_args!("{path}.title"));
    let start = c.problems.len();
    if ind.unit.trim().is_empty() {
        c.push(ProblemKind::EmptyList, format!("{path}.unit"), "the unit is empty");
    } else if !units.iter().any(|u| u.id == ind.unit) {
        let known: Vec<String> = units.iter().map(|u| format!("`{}`", u.id)).collect();
        let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
        c.push(
            ProblemKind::UnknownReference,
            format!("{path}.unit"),
            format!("unknown unit `{}`: declare it under `units` with its name (the rubric declares {known})", ind.unit),
        );
    }
    if let (Some(lo), Some(hi)) = (ind.min, ind.max) {
        if lo >= hi {
            c.push(ProblemKind::OutOfRange, path, format!("`min` {lo} is not below `max` {hi}"));
        }
    }
    if ind.bands.is_empty() {
        c.push(ProblemKind::EmptyList, format!("{path}.bands"), "the indicator has no bands");
    }
    let mut bands = Vec::new();
    for (b, band) in ind.bands.iter().enumerate() {
        let bpath = format!("{path}.bands[{b}]");
        check_level(c, scale, band.level, format_args!("{bpath}.level"));
        match CBand::from_spec(band) {
            Ok(cb) => bands.push(cb),
            Err(m) => c.push(ProblemKind::Bands, bpath, m),
        }
    }
    bands.sort_by(CBand::cmp_start);
    let bands_path = format!("{path}.bands");
    for pair in bands.windows(2) {
        if let [prev, next] = pair {
            if let Some(m) = seam(prev, next) {
                c.push(ProblemKind::Bands, bands_path.clone(), m);
            }
        }
    }
    if let Some(first) = bands.first() {
        match (ind.min, first.lower) {
            (None, Some(lo)) => c.push(
                ProblemKind::Bands,
                bands_path.clone(),
                format!(
                    "no band covers values {} {}: add `min` to the indicator or open the lowest band",
                    if lo.inclusive { "below" } else { "at or below" },
                    lo.value
                ),
            ),
            (Some(min), Some(lo)) if lo.value > min || (lo.value == min && !lo.inclusive) => {
                c.push(
                    ProblemKind::Bands,
                    bands_path.clone(),
                    format!("no band covers values from the indicator's `min` {min} up to {}", lo.value),
                );
            }
            _ => {}
        }
    }
    if let Some(last) = bands.last() {
        match (ind.max, last.upper) {
            (None, Some(hi)) => c.push(
                ProblemKind::Bands,
                bands_path.clone(),
                format!(
                    "no band covers values {} {}: add `max` to the indicator or open the highest band",
                    if hi.inclusive { "above" } else { "at or above" },
                    hi.value
                ),
            ),
            (Some(max), Some(hi)) if hi.value < max || (hi.value == max && !hi.inclusive) => {
                c.push(
                    ProblemKind::Bands,
                    bands_path,
                    format!("no band covers values from {} up to the indicator's `max` {max}", hi.value),
                );
            }
            _ => {}
        }
    }
    (c.problems.len() == start).then(|| {
        let labels = bands.iter().map(|b| SharedStr::from(b.to_string())).collect();
        let fixed = Fixed::of(&bands);
        CIndicator { min: ind.min, max: ind.max, bands, labels, unit: ind.unit.as_str().into(), fixed }
    })
}

fn check_item(
    c: &mut Checker,
    r: &Rubric,
    item: &Item,
    path: &str,
    domain: usize,
    rubric_models: &Models,
    principle_ix: &BTreeMap<&str, usize>,
) -> CItem {
    if item.id.trim().is_empty() {
        c.push(ProblemKind::EmptyList, format!("{path}.id"), "the item id is empty");
    }
    c.text(&item.title, format_args!("{path}.title"));
    c.text(&item.description, format_args!("{path}.description"));
    check_anchors(c, r.scale, &item.anchors, &format!("{path}.anchors"));
    let mut principles = Vec::new();
    for (k, tag) in item.principles.iter().enumerate() {
        match principle_ix.get(tag.as_str()) {
            Some(&p) if principles.contains(&p) => {
                c.push(ProblemKind::DuplicateId, format!("{path}.principles[{k}]"), format!("principle `{tag}` is listed twice"))
            }
            Some(&p) => principles.push(p),
            None => c.push(ProblemKind::UnknownReference, format!("{path}.principles[{k}]"), format!("unknown principle `{tag}`")),
        }
    }
    principles.sort_unstable();
    let models: ModelSet = match &item.team_models {
        None => ModelSet::first(rubric_models.len()),
        Some(list) => {
            if list.is_empty() {
                c.push(ProblemKind::EmptyList, format!("{path}.team_models"), "the item applies to no team model");
            }
            model_set(c, rubric_models, list, &format!("{path}.team_models"))
        }
    };
    let base = item.indicator.as_ref().and_then(|ind| check_indicator(c, r.scale, &r.units, ind, &format!("{path}.indicator")));
    let mut indicator = vec![base; rubric_models.len()];
    for (m, variant) in &item.variants {
        let vpath = format!("{path}.variants.{}", m.code());
        let ix = rubric_models.ix(m);
        if ix.is_none() {
            c.push(ProblemKind::UnknownReference, vpath.clone(), format!("the rubric does not cover team model `{}`", m.code()));
        } else if !ix.is_some_and(|i| models.contains(i)) {
            c.push(ProblemKind::UnknownReference, vpath.clone(), format!("item `{}` does not apply to team model `{}`", item.id, m.code()));
        }
        c.text(&variant.note, format_args!("{vpath}.note"));
        if let Some(a) = &variant.anchors {
            check_anchors(c, r.scale, a, &format!("{vpath}.anchors"));
        }
        if let Some(ind) = &variant.indicator {
            if let Some(slot) = ix.and_then(|i| indicator.get_mut(i)) {
                *slot = check_indicator(c, r.scale, &r.units, ind, &format!("{vpath}.indicator"));
            }
        }
    }
    if item.value_required && indicator.iter().all(Option::is_none) {
        c.push(ProblemKind::Policy, format!("{path}.value_required"), format!("item `{}` has no indicator to measure", item.id));
    }
    CItem {
        domain,
        models,
        indicator,
        principles,
        required: item.required,
        evidence: item.evidence,
        evidence_kinds: item.evidence_kinds.clone(),
        not_applicable: item.not_applicable,
        value_required: item.value_required,
    }
}

struct Refs<'a> {
    items: &'a BTreeMap<String, usize>,
    domains: &'a BTreeMap<&'a str, usize>,
    principles: &'a BTreeMap<&'a str, usize>,
    domain_ranges: &'a [CDomain],
    principle_items: &'a [Vec<usize>],
    item_count: usize,
}

fn check_threshold(c: &mut Checker, scale: Scale, t: Option<Decimal>, path: &str) -> Decimal {
    let Some(t) = t else {
        c.push(ProblemKind::Policy, path, "this rule kind needs a `threshold`");
        return Decimal::ZERO;
    };
    if t < Decimal::from(scale.min) || t > Decimal::from(scale.max) {
        c.push(
            ProblemKind::OutOfRange,
            format!("{path}.threshold"),
            format!("threshold {t} is outside the scale {}-{}", scale.min, scale.max),
        );
    }
    if t.scale() > MAX_THRESHOLD_PLACES {
        c.push(
            ProblemKind::OutOfRange,
            format!("{path}.threshold"),
            format!("threshold {t} has more than {MAX_THRESHOLD_PLACES} decimal places"),
        );
    }
    t
}

fn resolve(c: &mut Checker, ids: &[String], table: &BTreeMap<&str, usize>, what: &str, path: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        match table.get(id.as_str()) {
            Some(&ix) if !out.contains(&ix) => out.push(ix),
            Some(_) => c.push(ProblemKind::DuplicateId, format!("{path}[{k}]"), format!("{what} `{id}` is listed twice")),
            None => c.push(ProblemKind::UnknownReference, format!("{path}[{k}]"), format!("unknown {what} `{id}`")),
        }
    }
    out
}

fn select_items(c: &mut Checker, rule: &RuleSpec, refs: &Refs, path: &str) -> Vec<usize> {
    let item_table: BTreeMap<&str, usize> = rule.items.iter().filter_map(|i| refs.items.get(i).map(|ix| (i.as_str(), *ix))).collect();
    let mut chosen = BTreeSet::new();
    for (k, id) in rule.items.iter().enumerate() {
        match item_table.get(id.as_str()) {
            Some(ix) if !chosen.insert(*ix) => {
                c.push(ProblemKind::DuplicateId, format!("{path}.items[{k}]"), format!("item `{id}` is listed twice"))
            }
            Some(_) => {}
            None => c.push(ProblemKind::UnknownReference, format!("{path}.items[{k}]"), format!("unknown item `{id}`")),
        }
    }
    for d in resolve(c, &rule.domains, refs.domains, "domain", &format!("{path}.domains")) {
        if let Some(range) = refs.domain_ranges.get(d) {
            chosen.extend(range.first..range.end);
        }
    }
    for p in resolve(c, &rule.principles, refs.principles, "principle", &format!("{path}.principles")) {
        if let Some(list) = refs.principle_items.get(p) {
            chosen.extend(list.iter().copied());
        }
    }
    if rule.items.is_empty() && rule.domains.is_empty() && rule.principles.is_empty() {
        chosen.extend(0..refs.item_count);
    }
    chosen.into_iter().collect()
}

fn forbid(c: &mut Checker, rule: &RuleSpec, path: &str, allowed: &[&str]) {
    let present = [
        ("threshold", rule.threshold.is_some()),
        ("level", rule.level.is_some()),
        ("count", rule.count.is_some()),
        ("measure", rule.measure.is_some()),
        ("items", !rule.items.is_empty()),
        ("domains", !rule.domains.is_empty()),
        ("principles", !rule.principles.is_empty()),
        ("assessors", !rule.assessors.is_empty()),
        ("ratings", !rule.ratings.is_empty()),
    ];
    for (field, set) in present {
        if set && !allowed.contains(&field) {
            let kind: &str = rule.kind.into();
            c.push(ProblemKind::Policy, format!("{path}.{field}"), format!("a `{kind}` rule takes no `{field}`"));
        }
    }
}

/// The set of the models in `list` (at `path`); a model the rubric does not cover is a
/// problem.
fn model_set(c: &mut Checker, models: &Models, list: &[TeamModel], path: &str) -> ModelSet {
    let mut set = ModelSet::default();
    for (k, m) in list.iter().enumerate() {
        match models.ix(m) {
            // A model past the most a rubric may cover is reported with the rubric's list.
            Some(i) => {
                set.insert(i);
            }
            None => c.push(
                ProblemKind::UnknownReference,
                format!("{path}[{k}]"),
                format!("the rubric does not cover team model `{}`", m.code()),
            ),
        }
    }
    set
}

fn check_policy(c: &mut Checker, r: &Rubric, rubric_models: &Models, refs: &Refs) -> Vec<Vec<CRule>> {
    let p = &r.policy;
    c.text(&p.heading, "policy.heading");
    if p.outcomes.is_empty() {
        c.push(ProblemKind::EmptyList, "policy.outcomes", "the policy has no outcomes");
    }
    let mut compiled = Vec::new();
    let mut outcome_ids = BTreeSet::new();
    let last = p.outcomes.len().saturating_sub(1);
    for (o, outcome) in p.outcomes.iter().enumerate() {
        let opath = format!("policy.outcomes[{o}]");
        c.id(&outcome.outcome, format_args!("{opath}.outcome"));
        if outcome.outcome == crate::decision::Outcome::INCOMPLETE {
            c.push(
                ProblemKind::Policy,
                format!("{opath}.outcome"),
                "`incomplete` is the engine's outcome for missing answers: give this outcome another id",
            );
        } else if !outcome_ids.insert(outcome.outcome.as_str()) {
            c.push(ProblemKind::DuplicateId, format!("{opath}.outcome"), format!("outcome `{}` is listed twice", outcome.outcome));
        }
        c.text(&outcome.title, format_args!("{opath}.title"));
        c.text(&outcome.message, format_args!("{opath}.message"));
        check_rules_present(c, &opath, o == last, !outcome.rules.is_empty(), "project");
        let mut ids = BTreeSet::new();
        let mut rules = Vec::new();
        for (k, rule) in outcome.rules.iter().enumerate() {
            let path = format!("{opath}.rules[{k}]");
            check_rule_head(c, &path, &rule.id, &rule.message, &mut ids);
            let models = match &rule.team_models {
                None => ModelSet::first(rubric_models.len()),
                Some(list) => {
                    if list.is_empty() {
                        // An empty list would silently switch the rule off for every team.
                        c.push(ProblemKind::EmptyList, format!("{path}.team_models"), "the rule applies to no team model");
                    }
                    model_set(c, rubric_models, list, &format!("{path}.team_models"))
                }
            };
            let check = match rule.kind {
                RuleKind::MinOverall => {
                    forbid(c, rule, &path, &["threshold", "measure"]);
                    Check::MinOverall {
                        threshold: check_threshold(c, r.scale, rule.threshold, &path),
                        measure: rule.measure.unwrap_or(p.overall),
                    }
                }
                RuleKind::MinDomain => {
                    forbid(c, rule, &path, &["threshold", "domains"]);
                    let mut domains = resolve(c, &rule.domains, refs.domains, "domain", &format!("{path}.domains"));
                    if rule.domains.is_empty() {
                        domains = (0..refs.domain_ranges.len()).collect();
                    }
                    domains.sort_unstable();
                    Check::MinDomain { threshold: check_threshold(c, r.scale, rule.threshold, &path), domains }
                }
                RuleKind::MinPrinciple => {
                    forbid(c, rule, &path, &["threshold", "principles"]);
                    let mut principles = resolve(c, &rule.principles, refs.principles, "principle", &format!("{path}.principles"));
                    if rule.principles.is_empty() {
                        principles = (0..refs.principle_items.len())
                            .filter(|p| refs.principle_items.get(*p).is_some_and(|l| !l.is_empty()))
                            .collect();
                    }
                    principles.sort_unstable();
                    Check::MinPrinciple { threshold: check_threshold(c, r.scale, rule.threshold, &path), principles }
                }
                RuleKind::MinLevel => {
                    forbid(c, rule, &path, &["level", "items", "domains", "principles"]);
                    let level = rule.level.unwrap_or_else(|| {
                        c.push(ProblemKind::Policy, path.clone(), "a `min_level` rule needs a `level`");
                        r.scale.min
                    });
                    check_level(c, r.scale, level, format_args!("{path}.level"));
                    Check::MinLevel { level, items: select_items(c, rule, refs, &path) }
                }
                RuleKind::MaxBelow => {
                    forbid(c, rule, &path, &["level", "count", "items", "domains", "principles"]);
                    let level = rule.level.unwrap_or_else(|| {
                        c.push(ProblemKind::Policy, path.clone(), "a `max_below` rule needs a `level`");
                        r.scale.min
                    });
                    check_level(c, r.scale, level, format_args!("{path}.level"));
                    let count = rule.count.unwrap_or_else(|| {
                        c.push(ProblemKind::Policy, path.clone(), "a `max_below` rule needs a `count`");
                        0
                    });
                    Check::MaxBelow { level, count, items: select_items(c, rule, refs, &path) }
                }
                RuleKind::AssessedBy => {
                    forbid(c, rule, &path, &["assessors", "ratings"]);
                    if rule.assessors.is_empty() {
                        c.push(
                            ProblemKind::EmptyList,
                            path.clone(),
                            "an `assessed_by` rule needs `assessors`: the kinds of assessment that may reach the outcome",
                        );
                    }
                    let mut kinds = rule.assessors.clone();
                    kinds.sort_unstable();
                    kinds.dedup();
                    let mut ratings = rule.ratings.clone();
                    ratings.sort_unstable();
                    ratings.dedup();
                    Check::AssessedBy { kinds, ratings }
                }
            };
            rules.push(CRule { check, models });
        }
        compiled.push(rules);
    }
    compiled
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    use super::*;
    use crate::rubric::band::Bound;
    use proptest::prelude::*;

    #[test]
    fn a_model_set_holds_the_models_put_in_it_and_no_other() {
        let mut set = ModelSet::default();
        assert!(set.insert(0) && set.insert(5) && set.insert(63));
        assert!(!set.insert(64), "past the most a rubric covers");
        for m in 0..70 {
            assert_eq!(set.contains(m), [0, 5, 63].contains(&m), "{m}");
        }
        assert!((0..3).all(|m| ModelSet::first(3).contains(m)) && !ModelSet::first(3).contains(3));
        assert!((0..64).all(|m| ModelSet::first(64).contains(m)));
        assert_eq!(ModelSet::first(0), ModelSet::default());
    }

    /// Contiguous bands over sorted cut points, each cut inclusive on one side or the other.
    fn indicator(cuts: &[(i64, u32)], upper_inclusive: &[bool]) -> CIndicator {
        let mut ends: Vec<Decimal> = cuts.iter().map(|(m, s)| Decimal::new(*m, *s)).collect();
        ends.sort();
        ends.dedup();
        let mut bands = Vec::new();
        let mut lower: Option<Bound> = None;
        for (k, e) in ends.iter().enumerate() {
            let incl = upper_inclusive.get(k).copied().unwrap_or(true);
            bands.push(CBand { level: 1, lower, upper: Some(Bound { value: *e, inclusive: incl }) });
            lower = Some(Bound { value: *e, inclusive: !incl });
        }
        bands.push(CBand { level: 1, lower, upper: None });
        let fixed = Fixed::of(&bands);
        CIndicator { min: None, max: None, labels: Vec::new(), unit: "x".into(), bands, fixed }
    }

    proptest! {
        #[test]
        fn whole_number_band_lookup_agrees_with_decimal_comparison(
            cuts in proptest::collection::vec((-2000i64..2000, 0u32..4), 0..6),
            incl in proptest::collection::vec(any::<bool>(), 6),
            values in proptest::collection::vec((-3000i64..3000, 0u32..6), 1..40),
        ) {
            let ind = indicator(&cuts, &incl);
            for (m, s) in values {
                let v = Decimal::new(m, s);
                let slow = ind.bands.iter().position(|b| b.contains(v));
                prop_assert_eq!(ind.band_ix_for(v), slow, "{}", v);
            }
            // Every band end itself, at its own and at a longer scale, and just either side.
            for b in &ind.bands {
                for e in [b.lower, b.upper].into_iter().flatten() {
                    let m = e.value.mantissa() as i64 * 1000;
                    let near = |d: i64| Decimal::new(m + d, e.value.scale() + 3);
                    for v in [e.value, e.value.round_dp(0), near(0), near(1), near(-1), near(999), near(-999)] {
                        let slow = ind.bands.iter().position(|b| b.contains(v));
                        prop_assert_eq!(ind.band_ix_for(v), slow, "{}", v);
                    }
                }
            }
        }
    }
}
