//! The lean path for tables: answers in a dense form (one slot per item, in rubric order)
//! in, only what a table row needs out. Validation, levels, tallies, means, rule verdicts,
//! the outcome and warnings are worked out by the same functions [`CompiledRubric::decide`]
//! uses; only the parts of a [`crate::Decision`] a table does not show (texts, per-item
//! results, each rule's numbers) are left out.

use super::{AnswerView, CompiledRubric, Levels, Tally};
use crate::assessment::Assessment;
use crate::decimal::cmp_exact;
use crate::decision::{Outcome, Verdict};
use crate::error::{DocKind, Error, Problem};
use crate::ratio::Ratio;
use crate::rubric::compile::model_ix;
use crate::rubric::compile::{CRule, Check};
use crate::rubric::model::{EvidenceRule, NotApplicable};
use crate::rubric::model::{OverallMeasure, TeamModel};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// One answer in dense form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A stated level.
    Level(u8),
    /// A measured value (the level follows from the indicator's bands).
    Value(Decimal),
    /// Answered not-applicable.
    NotApplicable,
}

/// A dense answer: the cell, and whether the evidence and justification that go with it
/// hold anything but blanks (all validation needs to know of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DenseAnswer {
    /// The answer.
    pub cell: Cell,
    /// At least one piece of evidence that is not blank.
    pub evidence: bool,
    /// A justification that is not blank.
    pub justification: bool,
}

impl DenseAnswer {
    /// An answer with no evidence and no justification.
    pub fn bare(cell: Cell) -> Self {
        DenseAnswer { cell, evidence: false, justification: false }
    }
}

/// What a table shows of a decision: the outcome and the scores, rounded exactly as the
/// full [`crate::Decision`] rounds them, with failed rules, missing items and warnings by
/// index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The outcome.
    pub outcome: Outcome,
    /// The overall score the policy uses (mean of items or mean of domains).
    pub overall: Option<Decimal>,
    /// The mean of all rated items.
    pub mean_of_items: Option<Decimal>,
    /// The mean of the domain means.
    pub mean_of_domains: Option<Decimal>,
    /// Each domain's mean, in rubric order.
    pub domains: Vec<Option<Decimal>>,
    /// Each principle's mean, in rubric order.
    pub principles: Vec<Option<Decimal>>,
    /// Rules with verdict `fail`, as (outcome index in the policy, rule index in that outcome).
    pub failed_rules: Vec<(usize, usize)>,
    /// Required items with no answer, by item index (rubric order).
    pub missing: Vec<usize>,
    /// Model checks that raised a warning, by index in the rubric's `model_checks`.
    pub warnings: Vec<usize>,
    /// The improvement plan's target and total steps, when asked for.
    pub plan: Option<(Option<Outcome>, u32)>,
}

impl CompiledRubric {
    /// Item ids in rubric order: the order of the cells [`CompiledRubric::summarise`] takes.
    pub fn item_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.rubric.domains.iter().flat_map(|d| d.items.iter().map(|i| i.id.as_str()))
    }

    /// How many items the rubric has (the length of a dense row).
    pub fn item_count(&self) -> usize {
        self.index.items.len()
    }

    /// Whether item `ix` (rubric order) is measured for `team_model`: a number answers it
    /// as a value rather than a level.
    pub fn is_measured(&self, ix: usize, team_model: TeamModel) -> bool {
        self.indicator(ix, model_ix(team_model)).is_some()
    }

    /// Whether item `ix` applies to `team_model`.
    pub fn item_applies(&self, ix: usize, team_model: TeamModel) -> bool {
        self.applies(ix, model_ix(team_model))
    }

    /// A policy rule's id, by (outcome index, rule index) as in [`Summary::failed_rules`],
    /// with its outcome.
    pub fn rule_ref(&self, (o, k): (usize, usize)) -> Option<(Outcome, &str)> {
        let outcome = self.rubric.policy.outcomes.get(o)?;
        Some((outcome.outcome.into(), outcome.rules.get(k)?.id.as_str()))
    }

    /// Validates dense answers (`cells[ix]` answers item `ix` in rubric order; `None`: no
    /// answer) for a `team_model` team and summarises the decision [`CompiledRubric::decide`]
    /// would make. Fails exactly when `decide` would fail on the same answers (with a valid
    /// project, date and format, which this does not see), with the same problems.
    pub fn summarise(&self, team_model: TeamModel, cells: &[Option<DenseAnswer>]) -> Result<Summary, Error> {
        let mut problems = Vec::new();
        self.check_team_model(team_model, &mut problems);
        self.summarise_checked(team_model, cells, problems, "<memory>", false)
    }

    /// As [`CompiledRubric::summarise`], also checking everything but the responses of
    /// `head` (its `responses` are ignored: the cells stand for them), naming `origin` in
    /// errors, and with the improvement plan's target and steps when `plan` is true.
    pub fn summarise_with(&self, head: &Assessment, cells: &[Option<DenseAnswer>], origin: &str, plan: bool) -> Result<Summary, Error> {
        let mut problems = Vec::new();
        self.check_head(head, &mut problems);
        self.summarise_checked(head.team_model, cells, problems, origin, plan)
    }

    /// The summary of a full assessment: the same as `decide_named` then keeping what a
    /// table shows, without building the decision.
    pub fn summarise_assessment(&self, a: &Assessment, origin: &str, plan: bool) -> Result<Summary, Error> {
        let answers = self.matched(a);
        let problems = self.check_matched(a, &answers);
        if !problems.is_empty() {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        }
        let mut cells: Vec<Option<DenseAnswer>> = vec![None; self.item_count()];
        for answer in &answers {
            let r = answer.response;
            let cell = if r.not_applicable {
                Some(Cell::NotApplicable)
            } else if let Some(l) = r.level {
                Some(Cell::Level(l))
            } else {
                r.value.map(Cell::Value)
            };
            if let (Some(slot), Some(cell)) = (answer.ix.and_then(|ix| cells.get_mut(ix)), cell) {
                *slot = Some(DenseAnswer::bare(cell));
            }
        }
        self.summary_valid(a.team_model, &cells, plan)
    }

    fn summarise_checked(
        &self,
        team_model: TeamModel,
        cells: &[Option<DenseAnswer>],
        mut problems: Vec<Problem>,
        origin: &str,
        plan: bool,
    ) -> Result<Summary, Error> {
        let m = model_ix(team_model);
        // Most rows are valid: one pass in rubric order tells, without building a single
        // problem; otherwise every problem is listed exactly as `decide` lists them.
        if problems.is_empty() && self.all_clean(m, cells) {
            return self.summary_valid(team_model, cells, plan);
        }
        // Responses are checked in item id order, as the full path reads them from a map.
        for &(ref id, ix) in &self.index.sorted_ids {
            let Some(answer) = cells.get(ix).copied().flatten() else { continue };
            let (not_applicable, level, value) = match answer.cell {
                Cell::Level(l) => (false, Some(l), None),
                Cell::Value(v) => (false, None, Some(v)),
                Cell::NotApplicable => (true, None, None),
            };
            let view = AnswerView { not_applicable, level, value, justified: answer.justification, evidenced: answer.evidence };
            self.check_answer(id, Some(ix), &view, team_model, m, &mut problems);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        }
        self.summary_valid(team_model, cells, plan)
    }

    /// Whether [`CompiledRubric::check_answer`] finds no problem in any of `cells` (the
    /// answers of items `0..item_count()`; cells past them are not items and not read).
    /// `false` sends the row through the full check, which lists the problems.
    fn all_clean(&self, m: usize, cells: &[Option<DenseAnswer>]) -> bool {
        let scale = self.rubric.scale;
        cells.iter().take(self.item_count()).enumerate().all(|(ix, answer)| {
            let Some(a) = answer else { return true };
            let Some(item) = self.index.items.get(ix) else { return false };
            if !self.applies(ix, m) {
                return false;
            }
            let evidenced = item.evidence != EvidenceRule::Required || a.evidence;
            match a.cell {
                Cell::NotApplicable => match item.not_applicable {
                    NotApplicable::Forbidden => false,
                    NotApplicable::Justified => a.justification,
                    NotApplicable::Allowed => true,
                },
                Cell::Level(l) => evidenced && (scale.min..=scale.max).contains(&l),
                Cell::Value(v) => {
                    evidenced
                        && self.indicator(ix, m).is_some_and(|ind| {
                            ind.min.is_none_or(|min| cmp_exact(v, min) != Ordering::Less)
                                && ind.max.is_none_or(|max| cmp_exact(v, max) != Ordering::Greater)
                        })
                }
            }
        })
    }

    /// A rule's verdict, as [`CompiledRubric::eval`] decides it, without collecting the
    /// failing items or groups; `mod_ratio` is the mean of domains (`mean_of_domains`).
    fn verdict(&self, rule: &CRule, m: usize, levels: &[Option<u8>], tally: &Tally, mod_ratio: Option<Ratio>) -> Result<Verdict, Error> {
        if !rule.models.get(m).copied().unwrap_or(false) {
            return Ok(Verdict::NotApplicable);
        }
        let below = |ix: &usize, level: u8| levels.get(*ix).copied().flatten().is_some_and(|l| l < level);
        let fails = match &rule.check {
            Check::MinOverall { threshold, measure } => {
                let ratio = match measure {
                    OverallMeasure::MeanOfItems => Ratio::new(u128::from(tally.all.0), u128::from(tally.all.1)),
                    OverallMeasure::MeanOfDomains => mod_ratio,
                };
                match ratio {
                    Some(r) => !self.reaches(r, *threshold)?,
                    None => true,
                }
            }
            Check::MinDomain { threshold, domains } => self.any_group_fails(domains, &tally.domains, *threshold)?,
            Check::MinPrinciple { threshold, principles } => self.any_group_fails(principles, &tally.principles, *threshold)?,
            Check::MinLevel { level, items } => items.iter().any(|ix| below(ix, *level)),
            Check::MaxBelow { level, count, items } => {
                u32::try_from(items.iter().filter(|ix| below(ix, *level)).count()).unwrap_or(u32::MAX) > *count
            }
        };
        Ok(if fails { Verdict::Fail } else { Verdict::Pass })
    }

    /// Whether a group's mean falls short of `t`; every group is compared, as
    /// [`CompiledRubric::eval_groups`] does (so an overflow is reported alike).
    fn any_group_fails(&self, groups: &[usize], sums: &[(u32, u32)], t: Decimal) -> Result<bool, Error> {
        let mut fails = false;
        for g in groups {
            let Some((sum, rated)) = sums.get(*g) else { continue };
            let Some(mean) = Ratio::new(u128::from(*sum), u128::from(*rated)) else { continue };
            if !self.reaches(mean, t)? {
                fails = true;
            }
        }
        Ok(fails)
    }

    /// The summary of answers that passed validation; mirrors `decide_valid`.
    fn summary_valid(&self, team_model: TeamModel, cells: &[Option<DenseAnswer>], plan: bool) -> Result<Summary, Error> {
        let m = model_ix(team_model);
        let mut levels: Levels = vec![None; self.index.items.len()];
        let mut missing = Vec::new();
        for (ix, slot) in levels.iter_mut().enumerate() {
            let Some(spec) = self.index.items.get(ix) else { continue };
            if !self.applies(ix, m) {
                continue;
            }
            match cells.get(ix).copied().flatten().map(|a| a.cell) {
                Some(Cell::NotApplicable) => {}
                Some(Cell::Level(l)) => *slot = Some(l),
                Some(Cell::Value(v)) => {
                    if let Some(ind) = self.indicator(ix, m) {
                        *slot = ind.band_ix_for(v).and_then(|b| ind.bands.get(b)).map(|b| b.level);
                    }
                }
                None => {
                    if spec.required {
                        missing.push(ix);
                    }
                }
            }
        }

        let tally = self.tally(&levels);
        let mean_of_items = self.mean(tally.all)?;
        let mod_ratio = self.mean_of_domains(&tally, None)?;
        let mean_of_domains = mod_ratio.map(|x| x.to_decimal(self.rubric.rounding)).transpose()?;
        let domains = tally.domains.iter().map(|t| self.mean(*t)).collect::<Result<Vec<_>, Error>>()?;
        let principles =
            tally.principles.iter().zip(&self.rubric.principles).map(|(t, _)| self.mean(*t)).collect::<Result<Vec<_>, Error>>()?;

        let mut failed_rules = Vec::new();
        let mut award = None;
        for (o, outcome) in self.rubric.policy.outcomes.iter().enumerate() {
            let compiled = self.index.rules.get(o).map(Vec::as_slice).unwrap_or_default();
            let mut all_pass = true;
            for (k, (rule, _)) in compiled.iter().zip(&outcome.rules).enumerate() {
                // `Incomplete` (a pass with unanswered items in scope) never turns into a
                // failure, so the verdict alone decides here.
                if self.verdict(rule, m, &levels, &tally, mod_ratio)? == Verdict::Fail {
                    all_pass = false;
                    failed_rules.push((o, k));
                }
            }
            if all_pass && award.is_none() {
                award = Some(o);
            }
        }

        let (outcome, plan) = if missing.is_empty() {
            let o = award.unwrap_or_else(|| self.rubric.policy.outcomes.len().saturating_sub(1));
            let spec = self.rubric.policy.outcomes.get(o);
            let plan = if plan {
                let p = self.plan(o, m, &levels)?;
                Some((p.target, p.total_steps))
            } else {
                None
            };
            (spec.map_or(Outcome::Refused, |s| s.outcome.into()), plan)
        } else {
            (Outcome::Incomplete, plan.then_some((None, 0)))
        };

        let value_of = |ix: usize| match cells.get(ix).copied().flatten().map(|a| a.cell) {
            Some(Cell::Value(v)) => Some(v),
            _ => None,
        };
        let warnings = self.warning_hits(team_model, m, &levels, value_of).into_iter().map(|(c, _)| c).collect();
        let overall = match self.rubric.policy.overall {
            OverallMeasure::MeanOfItems => mean_of_items,
            OverallMeasure::MeanOfDomains => mean_of_domains,
        };
        Ok(Summary { outcome, overall, mean_of_items, mean_of_domains, domains, principles, failed_rules, missing, warnings, plan })
    }
}
