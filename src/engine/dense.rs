//! The lean path for tables: answers in a dense form (one slot per item, in rubric order)
//! in, only what a table row needs out. Validation, levels, tallies, means, rule verdicts,
//! the outcome and warnings are worked out by the same functions [`CompiledRubric::decide`]
//! uses; only the parts of a [`crate::Decision`] a table does not show (texts, per-item
//! results, each rule's numbers) are left out.

use super::{AnswerView, CompiledRubric, Detail, Who};
use crate::assessment::{Assessment, AssessorKind, RatingKind};
use crate::decision::{Outcome, Verdict};
use crate::error::{DocKind, Error, Problem, internal};
use crate::rubric::model::{OverallMeasure, TeamModel};
use rust_decimal::Decimal;

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

/// Whether answers must carry the evidence the rubric asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceCheck {
    /// As the rubric says: the evidence an item requires, and for a review the kinds of
    /// evidence it names.
    #[default]
    Required,
    /// Not checked: research data without evidence columns. Such a summary is not a label
    /// audit, and whoever shows it must say so (the Python tables do, in every row).
    NotChecked,
}

/// How to summarise: with the improvement plan's target and steps or not, and whether
/// evidence is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SummaryOptions {
    /// Work out the improvement plan's target and total steps.
    pub plan: bool,
    /// Whether answers must carry their evidence.
    pub evidence: EvidenceCheck,
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
    pub fn is_measured(&self, ix: usize, team_model: &TeamModel) -> bool {
        self.index.models.ix(team_model).is_some_and(|m| self.indicator(ix, m).is_some())
    }

    /// Whether item `ix` applies to `team_model`.
    pub fn item_applies(&self, ix: usize, team_model: &TeamModel) -> bool {
        self.index.models.ix(team_model).is_some_and(|m| self.applies(ix, m))
    }

    /// A policy rule's id, by (outcome index, rule index) as in [`Summary::failed_rules`],
    /// with its outcome.
    pub fn rule_ref(&self, (o, k): (usize, usize)) -> Option<(Outcome, &str)> {
        let outcome = self.rubric.policy.outcomes.get(o)?;
        Some((self.outcome_id(o).ok()?, outcome.rules.get(k)?.id.as_str()))
    }

    /// Validates dense answers (`cells[ix]` answers item `ix` in rubric order; `None`: no
    /// answer) for a `team_model` team and summarises the decision [`CompiledRubric::decide`]
    /// would make. Fails exactly when `decide` would fail on the same answers (with a valid
    /// project, date and format, which this does not see), with the same problems.
    pub fn summarise(&self, team_model: &TeamModel, assessor: AssessorKind, cells: &[Option<DenseAnswer>]) -> Result<Summary, Error> {
        let mut problems = Vec::new();
        self.check_team_model(team_model, &mut problems);
        self.summarise_checked(
            team_model,
            (assessor, RatingKind::unstated(assessor)),
            cells,
            problems,
            "<memory>",
            SummaryOptions::default(),
        )
    }

    /// As [`CompiledRubric::summarise`], also checking everything but the responses of
    /// `head` (its `responses` are ignored: the cells stand for them), naming `origin` in
    /// errors, with the improvement plan's target and steps when `how.plan`, and without
    /// the evidence checks when `how.evidence` says so.
    pub fn summarise_with(
        &self,
        head: &Assessment,
        cells: &[Option<DenseAnswer>],
        origin: &str,
        how: SummaryOptions,
    ) -> Result<Summary, Error> {
        let mut problems = Vec::new();
        self.check_head(head, &mut problems);
        self.summarise_checked(&head.team_model, (head.assessor.kind, head.rating_kind()), cells, problems, origin, how)
    }

    /// The summary of a full assessment: the same as `decide_named` then keeping what a
    /// table shows, without building the decision.
    pub fn summarise_assessment(&self, a: &Assessment, origin: &str, plan: bool) -> Result<Summary, Error> {
        let answers = self.matched(a);
        let problems = self.check_matched(a, &answers);
        if !problems.is_empty() {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        }
        let cells = self.cells(&answers);
        self.summary_valid(&a.team_model, Who::of(a), &cells, plan)
    }

    fn summarise_checked(
        &self,
        team_model: &TeamModel,
        (assessor, rating): (AssessorKind, RatingKind),
        cells: &[Option<DenseAnswer>],
        mut problems: Vec<Problem>,
        origin: &str,
        how: SummaryOptions,
    ) -> Result<Summary, Error> {
        // A model the rubric does not cover is the one problem (from the head check).
        let Some(m) = self.index.models.ix(team_model) else {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        };
        // Responses are checked in item id order, as the full path reads them from a map,
        // by the one answer check every front door uses.
        for &(ref id, ix) in &self.index.sorted_ids {
            let Some(answer) = cells.get(ix).copied().flatten() else { continue };
            self.check_answer(id, Some(ix), &AnswerView::from(answer), (team_model, m), (rating, how.evidence), &mut problems);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        }
        self.summary_valid(team_model, Who { assessor, rating }, cells, how.plan)
    }

    /// The summary of answers that passed validation: a projection of the one evaluation.
    fn summary_valid(&self, team_model: &TeamModel, who: Who, cells: &[Option<DenseAnswer>], plan: bool) -> Result<Summary, Error> {
        let ev = self.evaluate(team_model, who, cells, Detail::Verdict, plan)?;
        let mean_of_items = self.mean(ev.tally.all)?;
        let mean_of_domains = self.mean_of_domains(&ev.tally)?.map(|x| x.to_decimal(self.rubric.rounding)).transpose()?;
        let means = |groups: &[(u32, u32)]| {
            let mut out = Vec::with_capacity(groups.len());
            for t in groups {
                out.push(self.mean(*t)?);
            }
            Ok::<_, Error>(out)
        };
        let domains = means(&ev.tally.domains)?;
        let principles = means(&ev.tally.principles)?;
        let mut failed_rules = Vec::with_capacity(ev.verdicts.iter().filter(|v| **v == Verdict::Fail).count());
        let mut verdicts = ev.verdicts.iter();
        for (o, compiled) in self.index.rules.iter().enumerate() {
            for k in 0..compiled.len() {
                let verdict = verdicts.next().ok_or_else(|| internal("the evaluation has fewer rules than the policy"))?;
                if *verdict == Verdict::Fail {
                    failed_rules.push((o, k));
                }
            }
        }
        let outcome = match ev.award {
            Some(o) => self.outcome_id(o)?,
            None => Outcome::incomplete(),
        };
        let plan = match (plan, &ev.plan) {
            (false, _) => None,
            (true, Some(p)) => Some((p.target.clone(), p.total_steps)),
            (true, None) => Some((None, 0)),
        };
        let overall = match self.rubric.policy.overall {
            OverallMeasure::MeanOfItems => mean_of_items,
            OverallMeasure::MeanOfDomains => mean_of_domains,
        };
        let warnings = ev.warnings.into_iter().map(|(c, _)| c).collect();
        Ok(Summary {
            outcome,
            overall,
            mean_of_items,
            mean_of_domains,
            domains,
            principles,
            failed_rules,
            missing: ev.missing,
            warnings,
            plan,
        })
    }
}
