//! The scorer: a validated rubric compiled once, then applied to any number of assessments.

use crate::assessment::{ASSESSMENT_FORMAT, Assessment, AssessorKind, Evidence, EvidenceKind, RatingKind, Response};
use crate::decimal::cmp_exact;
use crate::decision::*;
use crate::error::{DocKind, Error, Problem, ProblemKind, internal};
use crate::ratio::Ratio;
use crate::rubric::compile::{CRule, Check, Index, compile};
use crate::rubric::model::{Compare, OverallMeasure, PercentOf, Rubric, TeamModel};
use crate::shared::SharedStr;
use crate::target::TargetPublicCheck;
use crate::text::Text;
use rust_decimal::Decimal;
use std::cmp::Ordering;

mod dense;
pub use dense::{Cell, DenseAnswer, EvidenceCheck, Summary, SummaryOptions};

/// A rubric that passed validation, with the index the scorer uses and its content hash.
///
/// Build it once and audit as many assessments as needed: nothing is recomputed per
/// assessment that depends on the rubric alone.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    rubric: Rubric,
    index: Index,
    sha256: String,
}

/// SHA-256 of bytes, as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of a value's canonical JSON form (fields in declaration order, maps sorted).
pub(crate) fn canonical_sha256<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String, Error> {
    let bytes = serde_json::to_vec(value).map_err(|e| Error::Serialise(what, e.to_string()))?;
    Ok(sha256_hex(&bytes))
}

/// Levels per item (by index) as an assessment answers them; `None` when not rated.
type Levels = Vec<Option<u8>>;

/// The levels and tallies with every missing answer at the bottom and at the top of the
/// scale (see [`CompiledRubric::settle`]).
type Ends = [Option<(Levels, Tally)>; 2];

/// Sums per group: (sum of levels, items rated).
#[derive(Debug, Clone, Default)]
struct Tally {
    all: (u32, u32),
    domains: Vec<(u32, u32)>,
    principles: Vec<(u32, u32)>,
}

fn add(acc: &mut (u32, u32), level: u8) {
    acc.0 = acc.0.saturating_add(u32::from(level));
    acc.1 = acc.1.saturating_add(1);
}

/// The key of an item the improvement plan cannot raise: unrated, or at the top of the scale.
const NOT_RAISABLE: u8 = u8::MAX;

/// The levels the improvement plan raises, with what it needs kept in step with them.
struct Raised {
    lv: Vec<Option<u8>>,
    /// Per item: its level while it can be raised, else [`NOT_RAISABLE`]; the lowest
    /// raisable item of a group is then a scan for the least key.
    keys: Vec<u8>,
    tally: Tally,
}

/// One response of an assessment, matched to the rubric's item index, as validation and
/// the evaluation see it.
struct Answer<'a> {
    id: &'a str,
    ix: Option<usize>,
    view: AnswerView,
}

/// What validation looks at in one answer, whichever form it came in.
pub(crate) struct AnswerView {
    pub not_applicable: bool,
    pub level: Option<u8>,
    pub value: Option<Decimal>,
    /// A justification that is not blank.
    pub justified: bool,
    /// At least one piece of evidence that is not blank.
    pub evidenced: bool,
    /// The kinds of the typed evidence (a dense cell has none).
    pub kinds: EvidenceKinds,
}

impl AnswerView {
    /// What validation sees of a full response.
    fn of(r: &Response) -> Self {
        AnswerView {
            not_applicable: r.not_applicable,
            level: r.level,
            value: r.value,
            justified: r.justification.as_deref().is_some_and(not_blank),
            evidenced: r.evidence.iter().any(Evidence::is_given),
            kinds: r.evidence.iter().filter_map(Evidence::kind).fold(EvidenceKinds::default(), EvidenceKinds::with),
        }
    }

    /// The answer as a dense cell, for a valid answer (validation refuses the combinations
    /// a cell cannot hold: rated and not-applicable, level and value); `None` when it holds
    /// no answer.
    fn dense(&self) -> Option<DenseAnswer> {
        let cell = if self.not_applicable {
            Cell::NotApplicable
        } else if let Some(l) = self.level {
            Cell::Level(l)
        } else {
            Cell::Value(self.value?)
        };
        Some(DenseAnswer { cell, evidence: self.evidenced, justification: self.justified })
    }
}

impl From<DenseAnswer> for AnswerView {
    /// What validation sees of a dense answer.
    fn from(a: DenseAnswer) -> Self {
        let (not_applicable, level, value) = match a.cell {
            Cell::Level(l) => (false, Some(l), None),
            Cell::Value(v) => (false, None, Some(v)),
            Cell::NotApplicable => (true, None, None),
        };
        AnswerView { not_applicable, level, value, justified: a.justification, evidenced: a.evidence, kinds: EvidenceKinds::default() }
    }
}

/// A set of kinds of evidence, one bit per kind: what validation asks of an answer's typed
/// evidence, without a list per answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct EvidenceKinds(u8);

impl EvidenceKinds {
    /// The bit of `k` (six kinds, in declaration order).
    fn bit(k: EvidenceKind) -> u8 {
        match k {
            EvidenceKind::Document => 1,
            EvidenceKind::ChartReview => 1 << 1,
            EvidenceKind::Interview => 1 << 2,
            EvidenceKind::FocusGroup => 1 << 3,
            EvidenceKind::Observation => 1 << 4,
            EvidenceKind::DataExtract => 1 << 5,
        }
    }

    /// The set with `k` added.
    pub fn with(self, k: EvidenceKind) -> Self {
        EvidenceKinds(self.0 | Self::bit(k))
    }

    /// Whether `k` is in the set.
    pub fn contains(self, k: EvidenceKind) -> bool {
        self.0 & Self::bit(k) != 0
    }
}

/// Who rated, as the policy's `assessed_by` rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Who {
    pub assessor: AssessorKind,
    pub rating: RatingKind,
}

impl Who {
    /// Who made `a`.
    pub(crate) fn of(a: &Assessment) -> Who {
        Who { assessor: a.assessor.kind, rating: a.rating_kind() }
    }
}

/// How much of a rule's evaluation to work out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Verdict, observed value, exact fraction, shortfall, failing: for the decision.
    Full,
    /// Verdict and failing only: for the improvement plan's steps.
    Verdict,
}

/// A rule's evaluation, before ids are attached.
struct Eval {
    verdict: Verdict,
    observed: Option<Decimal>,
    observed_exact: Option<Fraction>,
    threshold: Option<Decimal>,
    shortfall: Option<Decimal>,
    /// The exact gap of a failing mean rule.
    shortfall_exact: Option<Fraction>,
    /// Failing items, domains or principles, by index.
    failing: Vec<usize>,
    /// Required items in the rule's scope with no answer, by index ([`Detail::Full`] only).
    unanswered: Vec<usize>,
}

impl Eval {
    /// A verdict with no observation: what a rule reports when it does not apply, when
    /// only its verdict is asked for, or when it observes no score.
    fn bare(verdict: Verdict, threshold: Option<Decimal>, failing: Vec<usize>) -> Self {
        Eval {
            verdict,
            observed: None,
            observed_exact: None,
            threshold,
            shortfall: None,
            shortfall_exact: None,
            failing,
            unanswered: Vec::new(),
        }
    }
}

/// The one evaluation of a set of answers (see [`CompiledRubric::evaluate`]).
pub(crate) struct Evaluation {
    /// Each item's level, by index; `None` when not rated.
    levels: Levels,
    /// Required items with no answer, by index (rubric order).
    missing: Vec<usize>,
    /// Sums per group.
    tally: Tally,
    /// Every rule's verdict, in policy order.
    verdicts: Vec<Verdict>,
    /// Every rule's numbers and reasons, in policy order ([`Detail::Full`] only; empty
    /// otherwise).
    details: Vec<Eval>,
    /// The outcome awarded, by index in the policy; `None` while answers are missing or a
    /// model check withholds it.
    award: Option<usize>,
    /// The improvement plan, when asked for and decidable.
    plan: Option<Plan>,
    /// The model checks that fire, with the items that show their signals. When one
    /// withholds the outcome the rules award, `award` is `None` with no answer missing.
    warnings: Vec<(usize, Vec<usize>)>,
}

impl CompiledRubric {
    /// Validates `rubric` and compiles it; every problem is listed in the error.
    pub fn new(rubric: Rubric) -> Result<Self, Error> {
        Self::with_origin(rubric, "<memory>")
    }

    /// As [`CompiledRubric::new`], naming the rubric's file in errors.
    pub fn with_origin(rubric: Rubric, origin: &str) -> Result<Self, Error> {
        let index = compile(&rubric).map_err(|problems| Error::Invalid { doc: DocKind::Rubric, origin: origin.to_owned(), problems })?;
        let sha256 = canonical_sha256("rubric", &rubric)?;
        Ok(CompiledRubric { rubric, index, sha256 })
    }

    /// As [`CompiledRubric::with_origin`] for a rubric read from `canonical`, which must be
    /// its canonical JSON form (`serde_json::to_vec(&rubric)`): the hash is taken over those
    /// bytes instead of serialising the rubric again. Validation is the same.
    pub(crate) fn from_canonical(rubric: Rubric, canonical: &[u8], origin: &str) -> Result<Self, Error> {
        let index = compile(&rubric).map_err(|problems| Error::Invalid { doc: DocKind::Rubric, origin: origin.to_owned(), problems })?;
        Ok(CompiledRubric { rubric, index, sha256: sha256_hex(canonical) })
    }

    /// The rubric as written.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// SHA-256 of the rubric's canonical content: unchanged by comments or layout.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Every problem of `a` against this rubric, in document order; empty when valid.
    pub fn check_assessment(&self, a: &Assessment) -> Vec<Problem> {
        self.check_matched(a, &self.matched(a))
    }

    /// Each response of `a`, in key order, with the index of its item (`None`: the rubric
    /// has no such item). One merge of two sorted maps instead of a lookup per answer.
    fn matched<'a>(&self, a: &'a Assessment) -> Vec<Answer<'a>> {
        let mut ids = self.index.sorted_ids.iter().peekable();
        a.responses
            .iter()
            .map(|(id, response)| {
                let mut ix = None;
                while let Some((k, i)) = ids.peek() {
                    match k.as_str().cmp(id.as_str()) {
                        Ordering::Less => {
                            ids.next();
                        }
                        Ordering::Equal => {
                            ix = Some(*i);
                            ids.next();
                            break;
                        }
                        Ordering::Greater => break,
                    }
                }
                Answer { id, ix, view: AnswerView::of(response) }
            })
            .collect()
    }

    fn check_matched(&self, a: &Assessment, answers: &[Answer<'_>]) -> Vec<Problem> {
        let mut out = Vec::new();
        self.check_head(a, &mut out);
        // An assessment for a model the rubric does not cover has that one problem (from
        // the head): its answers cannot be judged for no model.
        let Some(m) = self.index.models.ix(&a.team_model) else { return out };
        for Answer { id, ix, view } in answers {
            self.check_answer(id, *ix, view, (&a.team_model, m), (a.rating_kind(), EvidenceCheck::Required), &mut out);
        }
        out
    }

    /// The problems of everything but the responses: format, rubric, project, dates, team model.
    pub(crate) fn check_head(&self, a: &Assessment, out: &mut Vec<Problem>) {
        let mut push = |kind, path: String, msg: String| out.push(Problem::at(kind, path, msg));
        if a.format != ASSESSMENT_FORMAT {
            push(ProblemKind::Format, "format".into(), format!("expected `{ASSESSMENT_FORMAT}`, found `{}`", a.format));
        }
        if let Some(r) = &a.rubric {
            if r.id != self.rubric.id {
                push(
                    ProblemKind::UnknownReference,
                    "rubric.id".into(),
                    format!("the assessment is for rubric `{}`, not `{}`", r.id, self.rubric.id),
                );
            } else if let Some(v) = &r.version {
                let rubric = &self.rubric;
                if *v != rubric.version && !rubric.compatible_versions.contains(v) {
                    push(
                        ProblemKind::Version,
                        "rubric.version".into(),
                        format!(
                            "the assessment was written for version {v} of rubric `{}`, but this is version {}, which does not declare {v} compatible",
                            rubric.id, rubric.version
                        ),
                    );
                }
            }
        }
        if let Err(message) = crate::id::check_id(&a.project.id) {
            push(ProblemKind::Shape, "project.id".into(), message);
        }
        match (a.rating_kind(), a.reconciles.is_empty()) {
            (RatingKind::Consensus, true) => push(
                ProblemKind::Answer,
                "reconciles".into(),
                "a consensus names the ratings it reconciles (`reconciles`: the SHA-256 and the assessor of each)".into(),
            ),
            (RatingKind::SelfAssessment | RatingKind::Review, false) => {
                push(ProblemKind::Answer, "reconciles".into(), "only a consensus (`rating: consensus`) reconciles ratings".into());
            }
            _ => {}
        }
        for (i, r) in a.reconciles.iter().enumerate() {
            if r.sha256.len() != 64 || !r.sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                push(
                    ProblemKind::Shape,
                    format!("reconciles[{i}].sha256"),
                    format!("`{}` is not a SHA-256 in lowercase hex (64 characters)", r.sha256),
                );
            }
        }
        if let Some(p) = &a.period {
            if p.from > p.to {
                push(ProblemKind::OutOfRange, "period".into(), format!("the period ends ({}) before it starts ({})", p.to, p.from));
            }
        }
        self.check_team_model(&a.team_model, out);
        for (id, o) in &a.outcomes {
            let Some(spec) = self.rubric.outcome_indicators.iter().find(|x| x.id == *id) else {
                let known: Vec<&str> = self.rubric.outcome_indicators.iter().map(|x| x.id.as_str()).collect();
                let defines = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
                out.push(Problem::at(
                    ProblemKind::UnknownReference,
                    format!("outcomes.{id}"),
                    format!("unknown outcome indicator `{id}` (rubric `{}` defines: {defines})", self.rubric.id),
                ));
                continue;
            };
            if spec.min.is_some_and(|lo| o.value < lo) || spec.max.is_some_and(|hi| o.value > hi) {
                let bound = |b: Option<Decimal>| b.map_or_else(|| "-".to_owned(), |b| b.to_string());
                out.push(Problem::at(
                    ProblemKind::OutOfRange,
                    format!("outcomes.{id}.value"),
                    format!("{} is outside {}..{}, the range of `{id}`", o.value, bound(spec.min), bound(spec.max)),
                ));
            }
        }
        if let Some(c) = &a.target_public {
            match &self.rubric.target_public {
                Some(spec) => {
                    for (kind, path, message) in crate::target::check_criteria(c, &spec.problem_kinds, "target_public") {
                        out.push(Problem::at(kind, path, message));
                    }
                }
                None => out.push(Problem::at(
                    ProblemKind::UnknownReference,
                    "target_public",
                    format!("rubric `{}` states no target public to check these criteria against", self.rubric.id),
                )),
            }
        }
    }

    /// Item `id`'s title in `lang`, or the id itself where the rubric has no such item (a
    /// record decided by another version of the rubric).
    pub fn item_title(&self, id: &str, lang: crate::Lang) -> String {
        self.rubric
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == id)
            .map_or_else(|| id.to_owned(), |i| i.title.get(lang).to_owned())
    }

    /// Domain `id`'s title in `lang`, or the id itself where the rubric has no such domain.
    pub fn domain_title(&self, id: &str, lang: crate::Lang) -> String {
        self.rubric.domains.iter().find(|d| d.id == id).map_or_else(|| id.to_owned(), |d| d.title.get(lang).to_owned())
    }

    /// `: did you mean `x`?` for the item id nearest to a misspelt `id` (a few edits away),
    /// or nothing.
    fn nearest_item(&self, id: &str) -> String {
        let near = self
            .index
            .sorted_ids
            .iter()
            .map(|(known, _)| (strsim::levenshtein(known, id), known))
            .filter(|(d, _)| *d <= (id.chars().count() / 3).max(2))
            .min();
        near.map(|(_, known)| format!(": did you mean `{known}`?")).unwrap_or_default()
    }

    /// Whether the rubric covers `team_model`.
    pub(crate) fn check_team_model(&self, team_model: &TeamModel, out: &mut Vec<Problem>) {
        if self.index.models.ix(team_model).is_none() {
            let covered: Vec<String> = self.rubric.team_models.iter().map(|m| format!("`{}`", m.code())).collect();
            out.push(Problem::at(
                ProblemKind::UnknownReference,
                "team_model",
                format!("rubric `{}` does not cover team model `{}` (it covers {})", self.rubric.id, team_model.code(), covered.join(", ")),
            ));
        }
    }

    /// The problems of one answer (item `id`, index `ix`; `None`: not an item of the rubric),
    /// whether it comes from a full response or a dense cell.
    pub(crate) fn check_answer(
        &self,
        id: &str,
        ix: Option<usize>,
        r: &AnswerView,
        (team_model, m): (&TeamModel, usize),
        (rating, evidence): (RatingKind, EvidenceCheck),
        out: &mut Vec<Problem>,
    ) {
        let mut push = |kind, path: String, msg: String| out.push(Problem::at(kind, path, msg));
        let scale = self.rubric.scale;
        // The path is only written out when there is a problem to report.
        let path = || format!("responses.{id}");
        let Some((ix, item)) = ix.and_then(|ix| Some((ix, self.index.items.get(ix)?))) else {
            push(ProblemKind::UnknownReference, path(), format!("rubric `{}` has no item `{id}`{}", self.rubric.id, self.nearest_item(id)));
            return;
        };
        let applies = item.models.contains(m);
        if !applies {
            push(ProblemKind::Answer, path(), format!("item `{id}` does not apply to {team_model} teams"));
            return;
        }
        if r.not_applicable {
            if r.level.is_some() || r.value.is_some() {
                push(ProblemKind::Answer, path(), "the answer is both not-applicable and rated: keep one".into());
            }
            match item.not_applicable {
                crate::rubric::model::NotApplicable::Forbidden => {
                    push(
                        ProblemKind::Answer,
                        format!("{}.not_applicable", path()),
                        format!("item `{id}` cannot be answered not-applicable"),
                    );
                }
                crate::rubric::model::NotApplicable::Justified if !r.justified => {
                    push(
                        ProblemKind::Answer,
                        format!("{}.justification", path()),
                        format!("item `{id}` needs a justification when answered not-applicable"),
                    );
                }
                _ => {}
            }
            return;
        }
        if r.level.is_some() && r.value.is_some() {
            push(ProblemKind::Answer, path(), "give either `level` or `value`, not both".into());
        }
        // The indicator is looked up only for an item that must be measured and got a level.
        if let Some(ind) = (r.level.is_some() && item.value_required).then(|| self.indicator(ix, m)).flatten() {
            push(
                ProblemKind::Answer,
                format!("{}.level", path()),
                format!("item `{id}` must be measured: give its `value` ({}), not a level", ind.unit),
            );
        }
        if let Some(l) = r.level {
            if l < scale.min || l > scale.max {
                push(
                    ProblemKind::OutOfRange,
                    format!("{}.level", path()),
                    format!("level {l} is outside the scale {}-{}", scale.min, scale.max),
                );
            }
        }
        if let Some(v) = r.value {
            match self.indicator(ix, m) {
                None => push(
                    ProblemKind::Answer,
                    format!("{}.value", path()),
                    format!("item `{id}` is not measured for {team_model} teams: give a `level`"),
                ),
                Some(ind) => {
                    if ind.min.is_some_and(|min| cmp_exact(v, min).is_lt()) || ind.max.is_some_and(|max| cmp_exact(v, max).is_gt()) {
                        let range = match (ind.min, ind.max) {
                            (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
                            (Some(lo), None) => format!("at least {lo}"),
                            (None, Some(hi)) => format!("at most {hi}"),
                            (None, None) => String::new(),
                        };
                        push(
                            ProblemKind::OutOfRange,
                            format!("{}.value", path()),
                            format!("value {v} is outside the indicator's range ({range})"),
                        );
                    }
                }
            }
        }
        // Evidence is checked for rated answers, unless the caller asked not to (research data).
        let rated = (r.level.is_some() || r.value.is_some()) && evidence == EvidenceCheck::Required;
        if rated && item.evidence == crate::rubric::model::EvidenceRule::Required && !r.evidenced {
            push(ProblemKind::Answer, format!("{}.evidence", path()), format!("item `{id}` needs evidence"));
        }
        let reviewed = rating != RatingKind::SelfAssessment;
        if rated && reviewed && !item.evidence_kinds.is_empty() && !item.evidence_kinds.iter().any(|k| r.kinds.contains(*k)) {
            let kinds: Vec<String> = item.evidence_kinds.iter().map(|k| format!("`{}`", k.code())).collect();
            push(
                ProblemKind::Answer,
                format!("{}.evidence", path()),
                format!("a {} of item `{id}` needs evidence of kind {}", rating.code().replace('_', " "), kinds.join(" or ")),
            );
        }
    }

    /// Whether outcome `o` is `bar` or worse in the policy's order, best first
    /// (`incomplete` comes after every outcome of the policy). `bar` must be one of the
    /// policy's outcomes or `incomplete`.
    ///
    /// ```
    /// use hf_fidelity::{Outcome, shipped_rubric};
    /// let label = shipped_rubric("hfb-label")?;
    /// assert!(label.is_at_or_below(&Outcome::from("refused"), "conditional")?);
    /// assert!(!label.is_at_or_below(&Outcome::from("granted"), "conditional")?);
    /// assert!(label.is_at_or_below(&Outcome::incomplete(), "refused")?);
    /// assert!(label.is_at_or_below(&Outcome::from("granted"), "excellent").is_err());
    /// # Ok::<(), hf_fidelity::Error>(())
    /// ```
    pub fn is_at_or_below(&self, o: &Outcome, bar: &str) -> Result<bool, Error> {
        let ids = &self.index.names.outcomes;
        let position = |code: &str| {
            if code == Outcome::INCOMPLETE { Some(ids.len()) } else { ids.iter().position(|x| x.code() == code) }
        };
        let unknown = |given: &str| Error::UnknownOutcome {
            rubric: self.rubric.id.clone(),
            given: given.to_owned(),
            known: ids.iter().map(|x| x.code().to_owned()).chain([Outcome::INCOMPLETE.to_owned()]).collect(),
        };
        let bar_at = position(bar).ok_or_else(|| unknown(bar))?;
        let at = position(o.code()).ok_or_else(|| unknown(o.code()))?;
        Ok(at >= bar_at)
    }

    /// The id of the policy's outcome `o`.
    pub(crate) fn outcome_id(&self, o: usize) -> Result<Outcome, Error> {
        self.index.names.outcomes.get(o).cloned().ok_or_else(|| internal("an outcome index past the policy"))
    }

    fn item_id(&self, ix: usize) -> Result<SharedStr, Error> {
        self.index.names.item(ix)
    }

    fn domain_id(&self, d: usize) -> Result<SharedStr, Error> {
        self.index.names.domain(d)
    }

    /// The band of item `item` labelled `label` (as decisions write it) for `team_model`, in
    /// `lang`, with the indicator's unit; `None` when the rubric has no such band.
    pub(crate) fn band_text(&self, item: &str, team_model: &TeamModel, label: &str, lang: crate::Lang) -> Option<(String, &str)> {
        let ix = self.index.sorted_ids.iter().find(|(id, _)| id.as_str() == item).map(|(_, ix)| *ix)?;
        let ind = self.indicator(ix, self.index.models.ix(team_model)?)?;
        let b = ind.labels.iter().position(|l| &**l == label)?;
        ind.bands.get(b).map(|band| (band.text(lang), &*ind.unit))
    }

    /// The compiled indicator of item `ix` for team model `tm`, if the item is measured for it.
    pub(crate) fn indicator_for(&self, ix: usize, tm: &TeamModel) -> Option<&crate::rubric::compile::CIndicator> {
        self.indicator(ix, self.index.models.ix(tm)?)
    }

    /// The index of item `id`, if the rubric has it.
    pub(crate) fn item_ix(&self, id: &str) -> Option<usize> {
        let k = self.index.sorted_ids.binary_search_by(|(known, _)| known.as_str().cmp(id)).ok()?;
        self.index.sorted_ids.get(k).map(|(_, ix)| *ix)
    }

    /// The compiled rules, per outcome in policy order.
    pub(crate) fn compiled_rules(&self) -> &[Vec<CRule>] {
        &self.index.rules
    }

    fn indicator(&self, ix: usize, m: usize) -> Option<&crate::rubric::compile::CIndicator> {
        self.index.items.get(ix)?.indicator.get(m)?.as_ref()
    }

    fn applies(&self, ix: usize, m: usize) -> bool {
        self.index.items.get(ix).is_some_and(|c| c.models.contains(m))
    }

    /// Validates `a` and decides: scores, rule verdicts, outcome, plan and warnings.
    pub fn decide(&self, a: &Assessment) -> Result<Decision, Error> {
        self.decide_named(a, "<memory>")
    }

    /// As [`CompiledRubric::decide`], naming the assessment's file in errors.
    pub fn decide_named(&self, a: &Assessment, origin: &str) -> Result<Decision, Error> {
        let answers = self.matched(a);
        let problems = self.check_matched(a, &answers);
        if !problems.is_empty() {
            return Err(Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems });
        }
        self.decide_valid(a, &answers)
    }

    /// The answers of `a`, matched to their items, in dense form: one slot per item in
    /// rubric order. Answers to unknown items are not in it (validation refuses them).
    fn cells(&self, answers: &[Answer<'_>]) -> Vec<Option<DenseAnswer>> {
        let mut cells: Vec<Option<DenseAnswer>> = vec![None; self.index.items.len()];
        for answer in answers {
            if let (Some(slot), Some(cell)) = (answer.ix.and_then(|ix| cells.get_mut(ix)), answer.view.dense()) {
                *slot = Some(cell);
            }
        }
        cells
    }

    /// The one evaluation of validated answers (`cells`, in rubric order) for team model
    /// `m`: levels from answers and bands, tallies, every rule of every outcome, the outcome,
    /// the improvement plan (when `plan`) and the model checks that fire. A decision, a
    /// table's summary and `explain` are projections of it; `detail` says how much of each
    /// rule's numbers to work out.
    pub(crate) fn evaluate(
        &self,
        team_model: &TeamModel,
        who: Who,
        cells: &[Option<DenseAnswer>],
        detail: Detail,
        plan: bool,
    ) -> Result<Evaluation, Error> {
        let m = self.index.models.ix(team_model).ok_or_else(|| internal("a team model the rubric does not cover passed validation"))?;
        let n = self.index.items.len();
        let mut levels: Levels = vec![None; n];
        let mut missing = Vec::new();
        // Levels and their sums in one pass over the items.
        let mut tally = self.empty_tally();
        for (ix, slot) in levels.iter_mut().enumerate() {
            let Some(spec) = self.index.items.get(ix) else { continue };
            if !spec.models.contains(m) {
                continue;
            }
            let level = match cells.get(ix).copied().flatten().map(|a| a.cell) {
                Some(Cell::NotApplicable) => continue,
                Some(Cell::Level(l)) => l,
                Some(Cell::Value(v)) => {
                    let ind = self
                        .indicator(ix, m)
                        .ok_or_else(|| internal("a measured answer passed validation for an item without an indicator"))?;
                    ind.band_ix_for(v)
                        .and_then(|b| ind.bands.get(b))
                        .map(|b| b.level)
                        .ok_or_else(|| internal("a validated value outside every band"))?
                }
                None => {
                    if spec.required {
                        missing.push(ix);
                    }
                    continue;
                }
            };
            *slot = Some(level);
            Self::count(&mut tally, spec, level);
        }
        let total = self.index.rules.iter().map(Vec::len).sum();
        let mut verdicts = Vec::with_capacity(total);
        let mut details = Vec::with_capacity(if detail == Detail::Full { total } else { 0 });
        let mut award = None;
        // The missing answers at the bottom and at the top of the scale: raising a level
        // never makes a rule fail, so a rule's verdict on any answers to them lies between
        // its verdicts on these two (each worked out once, when a rule needs it).
        let mut ends: Ends = [None, None];
        for (o, compiled) in self.index.rules.iter().enumerate() {
            let mut all_pass = true;
            for rule in compiled {
                let verdict = match detail {
                    Detail::Verdict => {
                        let v = self.verdict(rule, m, who, &levels, &tally)?;
                        let open = !missing.is_empty() && self.scope(&rule.check).any(|ix| missing.binary_search(&ix).is_ok());
                        if open { self.settle(rule, m, who, v, &levels, &missing, &mut ends)? } else { v }
                    }
                    Detail::Full => {
                        let mut e = self.eval(rule, m, who, &levels, &tally, detail)?;
                        if e.verdict != Verdict::NotApplicable && !missing.is_empty() {
                            e.unanswered = self.scope(&rule.check).filter(|ix| missing.binary_search(ix).is_ok()).collect();
                        }
                        if !e.unanswered.is_empty() {
                            e.verdict = self.settle(rule, m, who, e.verdict, &levels, &missing, &mut ends)?;
                        }
                        let v = e.verdict;
                        details.push(e);
                        v
                    }
                };
                all_pass &= verdict != Verdict::Fail;
                verdicts.push(verdict);
            }
            if all_pass && award.is_none() {
                award = Some(o);
            }
        }
        let last = self.index.rules.len().checked_sub(1).ok_or_else(|| internal("a compiled policy has no outcome"))?;
        let value_of = |ix: usize| match cells.get(ix).copied().flatten().map(|a| a.cell) {
            Some(Cell::Value(v)) => Some(v),
            _ => None,
        };
        let warnings = self.warning_hits(team_model, m, &levels, value_of);
        let mut award = if missing.is_empty() { Some(award.unwrap_or(last)) } else { None };
        if let Some(o) = award {
            if self.withheld(&warnings, o)? {
                award = None;
            }
        }
        let mut plan = match (award, plan) {
            (Some(o), true) => Some(self.plan_from(o, m, who, &levels, &tally)?),
            _ => None,
        };
        // A target that a firing model check withholds is not reached by raising levels:
        // the team model must be settled first.
        if let Some(p) = plan.as_mut().filter(|p| p.reachable) {
            if let Some(t) = p.target.as_ref().and_then(|t| self.index.names.outcomes.iter().position(|o| o == t)) {
                p.reachable = !self.withheld(&warnings, t)?;
            }
        }
        Ok(Evaluation { levels, missing, tally, verdicts, details, award, plan, warnings })
    }

    /// The verdict of a rule with required items in its scope unanswered: undecided
    /// (incomplete) while their answers could still change `verdict`, that is a pass the
    /// lowest answers would break or a failure the highest would mend (a mean still to be
    /// lifted); otherwise `verdict` (a gate an answered item fails stays failed whatever is
    /// added). Raising a level never makes a rule fail, so a rule's verdict on any answers
    /// to the missing items lies between its verdicts on those two `ends`, each worked out
    /// once per evaluation.
    #[expect(clippy::too_many_arguments, reason = "the evaluation's state, passed rather than bundled for one caller")]
    fn settle(
        &self,
        rule: &CRule,
        m: usize,
        who: Who,
        verdict: Verdict,
        levels: &[Option<u8>],
        missing: &[usize],
        ends: &mut Ends,
    ) -> Result<Verdict, Error> {
        let (end, level) = match verdict {
            Verdict::Pass => (0, self.rubric.scale.min),
            Verdict::Fail => (1, self.rubric.scale.max),
            Verdict::NotApplicable | Verdict::Incomplete => return Ok(verdict),
        };
        let slot = ends.get_mut(end).ok_or_else(|| internal("a third end of the scale"))?;
        let (lv, t) = match slot {
            Some(x) => &*x,
            None => {
                let mut lv = levels.to_vec();
                for ix in missing {
                    if let Some(l) = lv.get_mut(*ix) {
                        *l = Some(level);
                    }
                }
                let t = self.tally(&lv);
                &*slot.insert((lv, t))
            }
        };
        Ok(if self.verdict(rule, m, who, lv, t)? == verdict { verdict } else { Verdict::Incomplete })
    }

    fn decide_valid(&self, a: &Assessment, answers: &[Answer<'_>]) -> Result<Decision, Error> {
        let m = self.index.models.ix(&a.team_model).ok_or_else(|| internal("a team model the rubric does not cover passed validation"))?;
        let cells = self.cells(answers);
        let ev = self.evaluate(&a.team_model, Who::of(a), &cells, Detail::Full, true)?;
        let mut items = Vec::with_capacity(cells.len());
        let mut not_applicable = Vec::new();
        for (ix, (cell, level)) in cells.iter().zip(&ev.levels).enumerate() {
            let id = self.item_id(ix)?;
            let mut result = ItemResult {
                id: id.clone(),
                domain: self.index.names.item_domain(ix)?,
                status: ItemStatus::Missing,
                level: *level,
                measured: None,
            };
            if !self.applies(ix, m) {
                result.status = ItemStatus::OtherModel;
            } else {
                match cell.map(|c| c.cell) {
                    Some(Cell::NotApplicable) => {
                        result.status = ItemStatus::NotApplicable;
                        not_applicable.push(id);
                    }
                    Some(Cell::Level(_)) => result.status = ItemStatus::Stated,
                    Some(Cell::Value(v)) => {
                        let ind = self.indicator(ix, m).ok_or_else(|| internal("a measured item without an indicator"))?;
                        result.status = ItemStatus::Measured;
                        let band = ind.band_ix_for(v).ok_or_else(|| internal("a validated value outside every band"))?;
                        result.measured = Some(Measured { value: v, unit: ind.unit.clone(), band: ind.label(band)? });
                    }
                    None => {}
                }
            }
            items.push(result);
        }
        let missing: Vec<SharedStr> = ev.missing.iter().map(|ix| self.item_id(*ix)).collect::<Result<_, _>>()?;
        let mut rules = Vec::with_capacity(ev.details.len());
        let mut evals = ev.details.into_iter();
        for (o, outcome) in self.rubric.policy.outcomes.iter().enumerate() {
            let compiled = self.index.rules.get(o).ok_or_else(|| internal("an outcome without compiled rules"))?;
            let ids = self.index.names.rules.get(o).ok_or_else(|| internal("an outcome without compiled rule names"))?;
            for ((rule, spec), id) in compiled.iter().zip(&outcome.rules).zip(ids) {
                let e = evals.next().ok_or_else(|| internal("the evaluation has fewer rules than the policy"))?;
                let failing = match &rule.check {
                    // What fails is who assessed.
                    Check::AssessedBy { kinds, .. } if e.verdict == Verdict::Fail && kinds.contains(&a.assessor.kind) => {
                        vec![SharedStr::from(a.rating_kind().code())]
                    }
                    Check::AssessedBy { .. } if e.verdict == Verdict::Fail => vec![SharedStr::from(a.assessor.kind.code())],
                    check => e
                        .failing
                        .iter()
                        .map(|ix| match check {
                            Check::MinDomain { .. } => self.domain_id(*ix),
                            Check::MinPrinciple { .. } => self.index.names.principle(*ix),
                            _ => self.item_id(*ix),
                        })
                        .collect::<Result<_, _>>()?,
                };
                rules.push(RuleResult {
                    outcome: self.outcome_id(o)?,
                    id: id.clone(),
                    kind: spec.kind,
                    message: spec.message.clone(),
                    verdict: e.verdict,
                    observed: e.observed,
                    observed_exact: e.observed_exact,
                    threshold: e.threshold,
                    shortfall: e.shortfall,
                    shortfall_exact: e.shortfall_exact,
                    failing,
                    unanswered: e.unanswered.iter().map(|ix| self.item_id(*ix)).collect::<Result<_, _>>()?,
                });
            }
        }
        let (outcome, message, reaudit_months, valid_until, plan) = match (ev.award, ev.plan) {
            (Some(o), Some(plan)) => {
                let spec = self.rubric.policy.outcomes.get(o).ok_or_else(|| internal("the awarded outcome is not in the policy"))?;
                let valid_until = spec.valid_months.map(|months| a.date.plus_months(months)).transpose()?;
                (self.outcome_id(o)?, spec.message.clone(), spec.reaudit_months, valid_until, plan)
            }
            (None, _) => {
                let plan = Plan { target: None, answer: missing.clone(), raises: Vec::new(), total_steps: 0, reachable: true };
                // Nothing missing and no outcome: a model check withholds it.
                let message = if missing.is_empty() { withheld_message() } else { incomplete_message(missing.len()) };
                (Outcome::incomplete(), message, None, None, plan)
            }
            (Some(_), None) => return Err(Error::Internal("a decision was evaluated without its plan")),
        };
        let warnings = ev
            .warnings
            .into_iter()
            .map(|(c, items)| {
                let check =
                    self.rubric.model_checks.get(c).ok_or_else(|| internal("a warning from a model check the rubric does not have"))?;
                let id = self.index.names.checks.get(c).cloned().ok_or_else(|| internal("a model check without a compiled name"))?;
                Ok(Warning {
                    id,
                    message: check.message.clone(),
                    items: items.into_iter().map(|ix| self.item_id(ix)).collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Decision {
            outcome,
            message,
            reaudit_months,
            valid_until,
            team_model: a.team_model.clone(),
            scores: self.scores(&ev.tally)?,
            items,
            missing,
            not_applicable,
            rules,
            plan,
            warnings,
            target_public: self.rubric.target_public.as_ref().map(|spec| TargetPublicCheck::of(spec, a.target_public.as_ref())),
        })
    }

    /// The items a check looks at, in rubric order.
    fn scope<'a>(&'a self, check: &'a Check) -> Box<dyn Iterator<Item = usize> + 'a> {
        match check {
            Check::MinOverall { .. } => Box::new(0..self.index.items.len()),
            Check::MinDomain { domains, .. } => {
                Box::new(domains.iter().filter_map(|d| self.index.domains.get(*d)).flat_map(|r| r.first..r.end))
            }
            Check::MinPrinciple { principles, .. } => {
                let mut all: Vec<usize> = principles.iter().filter_map(|p| self.index.principle_items.get(*p)).flatten().copied().collect();
                all.sort_unstable();
                all.dedup();
                Box::new(all.into_iter())
            }
            Check::MinLevel { items, .. } | Check::MaxBelow { items, .. } => Box::new(items.iter().copied()),
            Check::AssessedBy { .. } => Box::new(std::iter::empty()),
        }
    }

    /// Sums with nothing counted, one per domain and per principle.
    fn empty_tally(&self) -> Tally {
        Tally { all: (0, 0), domains: vec![(0, 0); self.index.domains.len()], principles: vec![(0, 0); self.index.principle_items.len()] }
    }

    /// Counts `level` of `item` in every sum it belongs to.
    fn count(t: &mut Tally, item: &crate::rubric::compile::CItem, level: u8) {
        Self::each_sum(t, item, |acc| add(acc, level));
    }

    /// Calls `f` on every sum `item` belongs to: all items, its domain, its principles.
    fn each_sum(t: &mut Tally, item: &crate::rubric::compile::CItem, mut f: impl FnMut(&mut (u32, u32))) {
        f(&mut t.all);
        if let Some(d) = t.domains.get_mut(item.domain) {
            f(d);
        }
        for p in &item.principles {
            if let Some(acc) = t.principles.get_mut(*p) {
                f(acc);
            }
        }
    }

    fn tally(&self, levels: &[Option<u8>]) -> Tally {
        let mut t = self.empty_tally();
        for (item, level) in self.index.items.iter().zip(levels) {
            if let Some(level) = *level {
                Self::count(&mut t, item, level);
            }
        }
        t
    }

    fn score(&self, (sum, rated): (u32, u32)) -> Result<Score, Error> {
        let r = self.rubric.rounding;
        let max = rated.saturating_mul(u32::from(self.rubric.scale.max));
        let ratio = Ratio::new(u128::from(sum), u128::from(rated));
        let percent = match self.rubric.scale.percent {
            PercentOf::Max => Ratio::new(u128::from(sum).saturating_mul(100), u128::from(max)),
            PercentOf::Range => {
                let floor = u128::from(rated).saturating_mul(u128::from(self.rubric.scale.min));
                let above = u128::from(sum).checked_sub(floor).ok_or_else(|| internal("a sum of levels below the scale's minimum"))?;
                let span = u128::from(rated).saturating_mul(u128::from(self.rubric.scale.max.saturating_sub(self.rubric.scale.min)));
                Ratio::new(above.saturating_mul(100), span)
            }
        };
        Ok(Score {
            rated,
            sum,
            max,
            mean: self.mean((sum, rated))?,
            exact: ratio.map(Fraction::from),
            percent: percent.map(|x| x.to_decimal(r)).transpose()?,
        })
    }

    /// The mean level of a group, rounded as the rubric says; `None` when nothing is rated.
    fn mean(&self, (sum, rated): (u32, u32)) -> Result<Option<Decimal>, Error> {
        Ratio::new(u128::from(sum), u128::from(rated)).map(|x| x.to_decimal(self.rubric.rounding)).transpose()
    }

    /// The mean of the domain means (domains with nothing rated left out), in lowest terms.
    fn mean_of_domains(&self, tally: &Tally) -> Result<Option<Ratio>, Error> {
        Ratio::mean_of(tally.domains.iter().filter_map(|(sum, rated)| Ratio::new(u128::from(*sum), u128::from(*rated))))
    }

    fn scores(&self, tally: &Tally) -> Result<Scores, Error> {
        let mod_ratio = self.mean_of_domains(tally)?;
        let domains = tally
            .domains
            .iter()
            .enumerate()
            .map(|(d, t)| Ok(GroupScore { id: self.domain_id(d)?, score: self.score(*t)? }))
            .collect::<Result<_, Error>>()?;
        let principles = tally
            .principles
            .iter()
            .enumerate()
            .map(|(p, t)| Ok(GroupScore { id: self.index.names.principle(p)?, score: self.score(*t)? }))
            .collect::<Result<_, Error>>()?;
        Ok(Scores {
            overall_measure: self.rubric.policy.overall,
            items: self.score(tally.all)?,
            mean_of_domains: mod_ratio.map(|x| x.to_decimal(self.rubric.rounding)).transpose()?,
            mean_of_domains_exact: mod_ratio.map(Fraction::from),
            domains,
            principles,
        })
    }

    /// Whether `ratio` reaches `t` under the policy's comparison.
    pub(crate) fn reaches(&self, ratio: Ratio, t: Decimal) -> Result<bool, Error> {
        Ok(match self.rubric.policy.compare {
            Compare::Exact => ratio.cmp_decimal(t)? != Ordering::Less,
            Compare::Rounded => ratio.to_decimal(self.rubric.rounding)? >= t,
        })
    }

    /// How far `ratio` falls short of `t`: the exact gap, and the gap rounded as the
    /// rubric rounds scores.
    /// `None`s when `ratio` is absent or `verdict` is not a failure.
    fn shortfall(&self, verdict: Verdict, ratio: Option<Ratio>, t: Decimal) -> Result<(Option<Decimal>, Option<Fraction>), Error> {
        match ratio.filter(|_| verdict == Verdict::Fail).map(|r| r.gap_below(t)).transpose()? {
            Some(Some(gap)) => Ok((Some(gap.to_decimal(self.rubric.rounding)?), Some(Fraction::from(gap)))),
            Some(None) => Ok((Some(Decimal::ZERO), None)),
            None => Ok((None, None)),
        }
    }

    /// The numbers behind a group rule's `verdict` (domains or principles): the groups
    /// whose mean falls short of `t`, the lowest mean, and by how much it falls short.
    fn eval_groups(&self, verdict: Verdict, groups: &[usize], sums: &[(u32, u32)], t: Decimal, detail: Detail) -> Result<Eval, Error> {
        let mut failing = Vec::new();
        let mut lowest: Option<Ratio> = None;
        for g in groups {
            let Some((sum, rated)) = sums.get(*g) else { continue };
            let Some(mean) = Ratio::new(u128::from(*sum), u128::from(*rated)) else { continue };
            if !self.reaches(mean, t)? {
                failing.push(*g);
            }
            lowest = Some(match lowest {
                Some(l) if l.cmp_ratio(mean)? != Ordering::Greater => l,
                _ => mean,
            });
        }
        if detail == Detail::Verdict {
            return Ok(Eval::bare(verdict, Some(t), failing));
        }
        let (shortfall, shortfall_exact) = self.shortfall(verdict, lowest, t)?;
        Ok(Eval {
            verdict,
            observed: lowest.map(|l| l.to_decimal(self.rubric.rounding)).transpose()?,
            observed_exact: lowest.map(Fraction::from),
            threshold: Some(t),
            shortfall,
            shortfall_exact,
            failing,
            unanswered: Vec::new(),
        })
    }

    /// The mean the policy's overall rule reads; `None` when nothing is rated.
    fn overall_ratio(&self, measure: OverallMeasure, tally: &Tally) -> Result<Option<Ratio>, Error> {
        match measure {
            OverallMeasure::MeanOfItems => Ok(Ratio::new(u128::from(tally.all.0), u128::from(tally.all.1))),
            OverallMeasure::MeanOfDomains => self.mean_of_domains(tally),
        }
    }

    /// The verdict of `rule`, and nothing else: what a table's row needs of each rule and
    /// what the improvement plan asks at each step. [`Self::eval`] takes its verdict from
    /// here and works out the numbers behind it.
    fn verdict(&self, rule: &CRule, m: usize, who: Who, levels: &[Option<u8>], tally: &Tally) -> Result<Verdict, Error> {
        if !rule.models.contains(m) {
            return Ok(Verdict::NotApplicable);
        }
        let below = |ix: &usize, level: u8| levels.get(*ix).copied().flatten().is_some_and(|l| l < level);
        let pass = match &rule.check {
            Check::MinOverall { threshold, measure } => match self.overall_ratio(*measure, tally)? {
                Some(r) => self.reaches(r, *threshold)?,
                None => false,
            },
            Check::MinDomain { threshold, domains } => self.groups_reach(domains, &tally.domains, *threshold)?,
            Check::MinPrinciple { threshold, principles } => self.groups_reach(principles, &tally.principles, *threshold)?,
            Check::MinLevel { level, items } => !items.iter().any(|ix| below(ix, *level)),
            // More items below the level than a `u32` counts is more than `count`.
            Check::MaxBelow { level, count, items } => {
                u32::try_from(items.iter().filter(|ix| below(ix, *level)).count()).is_ok_and(|n| n <= *count)
            }
            Check::AssessedBy { kinds, ratings } => kinds.contains(&who.assessor) && (ratings.is_empty() || ratings.contains(&who.rating)),
        };
        Ok(if pass { Verdict::Pass } else { Verdict::Fail })
    }

    /// Whether every rated group of `groups` reaches `t` (a group with nothing rated is not
    /// judged).
    fn groups_reach(&self, groups: &[usize], sums: &[(u32, u32)], t: Decimal) -> Result<bool, Error> {
        for g in groups {
            let Some((sum, rated)) = sums.get(*g) else { continue };
            let Some(mean) = Ratio::new(u128::from(*sum), u128::from(*rated)) else { continue };
            if !self.reaches(mean, t)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Evaluates `rule`; with [`Detail::Verdict`], only the verdict and the failing groups
    /// or items are worked out (what the improvement plan needs at each step).
    fn eval(&self, rule: &CRule, m: usize, who: Who, levels: &[Option<u8>], tally: &Tally, detail: Detail) -> Result<Eval, Error> {
        let verdict = self.verdict(rule, m, who, levels, tally)?;
        let threshold = match &rule.check {
            Check::MinOverall { threshold, .. } | Check::MinDomain { threshold, .. } | Check::MinPrinciple { threshold, .. } => {
                Some(*threshold)
            }
            Check::MinLevel { level, .. } => Some(Decimal::from(*level)),
            Check::MaxBelow { count, .. } => Some(Decimal::from(*count)),
            Check::AssessedBy { .. } => None,
        };
        if verdict == Verdict::NotApplicable {
            return Ok(Eval::bare(verdict, threshold, Vec::new()));
        }
        let below = |ix: &&usize, level: u8| levels.get(**ix).copied().flatten().is_some_and(|l| l < level);
        match &rule.check {
            Check::MinOverall { threshold, measure } => {
                if detail == Detail::Verdict {
                    return Ok(Eval::bare(verdict, Some(*threshold), Vec::new()));
                }
                let ratio = self.overall_ratio(*measure, tally)?;
                let (shortfall, shortfall_exact) = self.shortfall(verdict, ratio, *threshold)?;
                Ok(Eval {
                    verdict,
                    observed: ratio.map(|r| r.to_decimal(self.rubric.rounding)).transpose()?,
                    observed_exact: ratio.map(Fraction::from),
                    threshold: Some(*threshold),
                    shortfall,
                    shortfall_exact,
                    failing: Vec::new(),
                    unanswered: Vec::new(),
                })
            }
            Check::MinDomain { threshold, domains } => self.eval_groups(verdict, domains, &tally.domains, *threshold, detail),
            Check::MinPrinciple { threshold, principles } => self.eval_groups(verdict, principles, &tally.principles, *threshold, detail),
            Check::MinLevel { level, items } => {
                let failing: Vec<usize> = items.iter().filter(|ix| below(ix, *level)).copied().collect();
                let lowest = items.iter().filter_map(|ix| levels.get(*ix).copied().flatten()).min();
                Ok(Eval {
                    verdict,
                    observed: lowest.map(Decimal::from),
                    observed_exact: None,
                    threshold: Some(Decimal::from(*level)),
                    shortfall: lowest.and_then(|l| level.checked_sub(l)).filter(|gap| *gap > 0).map(Decimal::from),
                    shortfall_exact: None,
                    failing,
                    unanswered: Vec::new(),
                })
            }
            Check::MaxBelow { level, count, items } => {
                let failing: Vec<usize> = items.iter().filter(|ix| below(ix, *level)).copied().collect();
                let below = Decimal::from(failing.len());
                Ok(Eval {
                    verdict,
                    observed: Some(below),
                    observed_exact: None,
                    threshold: Some(Decimal::from(*count)),
                    shortfall: if verdict == Verdict::Fail { below.checked_sub(Decimal::from(*count)) } else { None },
                    shortfall_exact: None,
                    failing,
                    unanswered: Vec::new(),
                })
            }
            Check::AssessedBy { .. } => Ok(Eval::bare(verdict, None, Vec::new())),
        }
    }

    /// The lowest-level raisable item among `candidates` (first in rubric order on ties).
    /// The lowest-level raisable item among the items of `range` (first on ties).
    fn lowest_in_range(keys: &[u8], range: std::ops::Range<usize>) -> Option<usize> {
        let slice = keys.get(range.clone())?;
        let low = slice.iter().copied().min().filter(|k| *k != NOT_RAISABLE)?;
        slice.iter().position(|k| *k == low).map(|pos| range.start.saturating_add(pos))
    }

    /// The lowest-level raisable item among `candidates`, given in rubric order (first on ties).
    fn lowest_in(keys: &[u8], candidates: &[usize]) -> Option<usize> {
        let mut best: Option<(u8, usize)> = None;
        for &ix in candidates {
            let Some(&k) = keys.get(ix) else { continue };
            if k != NOT_RAISABLE && best.is_none_or(|(b, _)| k < b) {
                best = Some((k, ix));
            }
        }
        best.map(|(_, ix)| ix)
    }

    /// Raises levels greedily until the outcome above `current` is reached.
    fn plan_from(&self, current: usize, m: usize, who: Who, levels: &[Option<u8>], tally: &Tally) -> Result<Plan, Error> {
        let Some(next) = current.checked_sub(1) else {
            return Ok(Plan { target: None, answer: Vec::new(), raises: Vec::new(), total_steps: 0, reachable: true });
        };
        // The target is the next better outcome this kind of assessment can reach (a LAB
        // review never aims at "ready for review"); when none can, the next better one,
        // out of reach.
        // Who assessed is no matter of levels: when no better outcome is open to this kind
        // of assessment, the next one is out of reach by raising levels, whatever the raises
        // below achieve.
        let mut open = None;
        for o in (0..current).rev() {
            let rules = self.index.rules.get(o).ok_or_else(|| internal("an outcome without compiled rules"))?;
            let mut admits = true;
            for rule in rules.iter().filter(|r| matches!(r.check, Check::AssessedBy { .. })) {
                admits &= self.verdict(rule, m, who, levels, tally)? != Verdict::Fail;
            }
            if admits {
                open = Some(o);
                break;
            }
        }
        let (target_ix, blocked) = match open {
            Some(o) => (o, false),
            None => (next, true),
        };
        let target = Some(self.outcome_id(target_ix)?);
        let rules = self.index.rules.get(target_ix).ok_or_else(|| internal("an outcome without compiled rules"))?;
        let max = self.rubric.scale.max;
        let mut w = Raised {
            lv: levels.to_vec(),
            keys: levels.iter().map(|l| l.filter(|l| *l < max).unwrap_or(NOT_RAISABLE)).collect(),
            // Kept up to date as levels are raised, rather than recounted at every step.
            tally: tally.clone(),
        };
        let span = usize::from(self.rubric.scale.max.saturating_sub(self.rubric.scale.min));
        let budget = w.lv.len().saturating_mul(span).saturating_add(rules.len()).saturating_add(1);
        let mut reachable = false;
        for _ in 0..budget {
            let mut failing = None;
            for rule in rules.iter().filter(|r| !matches!(r.check, Check::AssessedBy { .. })) {
                if self.verdict(rule, m, who, &w.lv, &w.tally)? == Verdict::Fail {
                    failing = Some((rule, self.eval(rule, m, who, &w.lv, &w.tally, Detail::Verdict)?));
                    break;
                }
            }
            let Some((rule, e)) = failing else {
                reachable = true;
                break;
            };
            let moved = match &rule.check {
                // Left out of the search above: who assessed is no matter of levels.
                Check::AssessedBy { .. } => false,
                Check::MinLevel { level, .. } => {
                    for ix in &e.failing {
                        self.set_level(&mut w, *ix, *level);
                    }
                    !e.failing.is_empty()
                }
                Check::MaxBelow { level, count, .. } => {
                    let excess = e.failing.len().saturating_sub(usize::try_from(*count).unwrap_or(usize::MAX));
                    let mut by_gap: Vec<(u8, usize)> = e
                        .failing
                        .iter()
                        .filter_map(|ix| w.lv.get(*ix).copied().flatten().map(|l| (level.saturating_sub(l), *ix)))
                        .collect();
                    by_gap.sort_unstable();
                    for (_, ix) in by_gap.into_iter().take(excess) {
                        self.set_level(&mut w, ix, *level);
                    }
                    excess > 0
                }
                // Raising a level never makes a rule fail, so the rule found failing stays
                // the first failing one until the group it failed on reaches the threshold:
                // the group is raised step by step up to there, with only its own mean
                // checked between steps (the same steps as re-evaluating every rule).
                Check::MinDomain { threshold, .. } => {
                    let Some(&d) = e.failing.first() else { break };
                    let range = self
                        .index
                        .domains
                        .get(d)
                        .map(|r| r.first..r.end)
                        .ok_or_else(|| internal("a domain index outside the compiled rubric"))?;
                    self.raise_until(&mut w, *threshold, |t| t.domains.get(d).copied(), |keys| Self::lowest_in_range(keys, range.clone()))?
                }
                Check::MinPrinciple { threshold, .. } => {
                    let Some(&p) = e.failing.first() else { break };
                    let list =
                        self.index.principle_items.get(p).ok_or_else(|| internal("a principle index outside the compiled rubric"))?;
                    self.raise_until(&mut w, *threshold, |t| t.principles.get(p).copied(), |keys| Self::lowest_in(keys, list))?
                }
                Check::MinOverall { threshold, measure: OverallMeasure::MeanOfItems } => {
                    self.raise_until(&mut w, *threshold, |t| Some(t.all), |keys| Self::lowest_in_range(keys, 0..keys.len()))?
                }
                Check::MinOverall { measure: OverallMeasure::MeanOfDomains, .. } => {
                    // A step in the smallest domain moves the mean of means the most.
                    let mut order: Vec<usize> = (0..self.index.domains.len()).collect();
                    order.sort_by_key(|d| w.tally.domains.get(*d).map_or(u32::MAX, |t| t.1));
                    let mut moved = false;
                    for d in order {
                        if let Some(r) = self.index.domains.get(d) {
                            if self.bump(Self::lowest_in_range(&w.keys, r.first..r.end), &mut w) {
                                moved = true;
                                break;
                            }
                        }
                    }
                    moved
                }
            };
            if !moved {
                break;
            }
        }
        let raised = levels.iter().zip(&w.lv).filter(|(before, after)| matches!((before, after), (Some(f), Some(t)) if t > f)).count();
        let mut raises: Vec<(u8, usize, Raise)> = Vec::with_capacity(raised);
        let mut total: u32 = 0;
        for (ix, (before, after)) in levels.iter().zip(&w.lv).enumerate() {
            let (Some(from), Some(to)) = (*before, *after) else { continue };
            if to <= from {
                continue;
            }
            let steps = to.saturating_sub(from);
            total = total.saturating_add(u32::from(steps));
            let target_band =
                self.indicator(ix, m).and_then(|ind| ind.bands.iter().position(|b| b.level == to).map(|b| ind.label(b))).transpose()?;
            raises.push((steps, ix, Raise { item: self.item_id(ix)?, domain: self.index.names.item_domain(ix)?, from, to, target_band }));
        }
        raises.sort_by_key(|(steps, ix, _)| (*steps, *ix));
        let reachable = reachable && !blocked;
        Ok(Plan { target, answer: Vec::new(), raises: raises.into_iter().map(|(_, _, r)| r).collect(), total_steps: total, reachable })
    }

    /// Raises the item `pick` chooses, one level at a time, until the group `sums` reads
    /// reaches `t` or nothing can be raised; whether anything was raised.
    fn raise_until(
        &self,
        w: &mut Raised,
        t: Decimal,
        sums: impl Fn(&Tally) -> Option<(u32, u32)>,
        pick: impl Fn(&[u8]) -> Option<usize>,
    ) -> Result<bool, Error> {
        let mut moved = false;
        while self.bump(pick(&w.keys), w) {
            moved = true;
            let reached = match sums(&w.tally).and_then(|(sum, rated)| Ratio::new(u128::from(sum), u128::from(rated))) {
                Some(mean) => self.reaches(mean, t)?,
                None => false,
            };
            if reached {
                break;
            }
        }
        Ok(moved)
    }

    /// Raises item `ix` (the lowest raisable item of a group, if any) by one level.
    fn bump(&self, ix: Option<usize>, w: &mut Raised) -> bool {
        let Some(ix) = ix else { return false };
        match w.lv.get(ix) {
            Some(Some(l)) => {
                self.set_level(w, ix, l.saturating_add(1));
                true
            }
            _ => false,
        }
    }

    /// Sets item `ix` to level `to` and updates `tally` to match, as [`Self::tally`]
    /// would count it afresh.
    fn set_level(&self, w: &mut Raised, ix: usize, to: u8) {
        let Some(slot) = w.lv.get_mut(ix) else { return };
        let from = slot.replace(to);
        if let Some(key) = w.keys.get_mut(ix) {
            *key = if to < self.rubric.scale.max { to } else { NOT_RAISABLE };
        }
        let Some(item) = self.index.items.get(ix) else { return };
        Self::each_sum(&mut w.tally, item, |acc| {
            if let Some(f) = from {
                acc.0 = acc.0.saturating_sub(u32::from(f));
                acc.1 = acc.1.saturating_sub(1);
            }
            add(acc, to);
        });
    }

    /// Whether one of the firing model checks `warnings` withholds outcome `o`.
    fn withheld(&self, warnings: &[(usize, Vec<usize>)], o: usize) -> Result<bool, Error> {
        for (c, _) in warnings {
            if self.index.withholds.get(*c).ok_or_else(|| internal("a model check without its compiled outcomes"))?.contains(&o) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The model checks that fire (by index), each with the items that show its signals.
    fn warning_hits(
        &self,
        team_model: &TeamModel,
        m: usize,
        levels: &[Option<u8>],
        value_of: impl Fn(usize) -> Option<Decimal>,
    ) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        for (c, (check, signals)) in self.rubric.model_checks.iter().zip(&self.index.signals).enumerate() {
            if check.team_model != *team_model {
                continue;
            }
            let mut items = Vec::new();
            for s in signals {
                let value = value_of(s.item);
                let level = levels.get(s.item).copied().flatten();
                let shows = s.value_above.is_some_and(|t| value.is_some_and(|v| cmp_exact(v, t).is_gt()))
                    || s.value_below.is_some_and(|t| value.is_some_and(|v| cmp_exact(v, t).is_lt()))
                    || s.level_below.is_some_and(|t| level.is_some_and(|l| l < t));
                if shows && self.applies(s.item, m) {
                    items.push(s.item);
                }
            }
            if u32::try_from(items.len()).unwrap_or(u32::MAX) >= check.min_signals {
                out.push((c, items));
            }
        }
        out
    }
}

fn incomplete_message(n: usize) -> Text {
    Text {
        en: format!("No decision yet: {n} required answer(s) missing. Answer them and submit again.").into(),
        nl: format!("Nog geen beslissing: {n} verplichte antwoord(en) ontbreken. Vul ze aan en dien opnieuw in.").into(),
        fr: format!("Pas encore de décision : {n} réponse(s) obligatoire(s) manquante(s). Complétez-les et soumettez à nouveau.").into(),
        de: None,
    }
}

fn withheld_message() -> Text {
    Text {
        en: "No decision yet: the declared team model is in doubt (see the warnings). Confirm it, or assess the project against the model it works by, and submit again.".into(),
        nl: "Nog geen beslissing: het opgegeven teammodel staat ter discussie (zie de waarschuwingen). Bevestig het, of beoordeel het project volgens het model waarmee het werkt, en dien opnieuw in.".into(),
        fr: "Pas encore de décision : le modèle d'équipe déclaré est mis en doute (voir les avertissements). Confirmez-le, ou évaluez le projet selon le modèle qu'il applique réellement, puis soumettez à nouveau.".into(),
        de: None,
    }
}

/// Whether `s` has a character that is not white space (as `!s.trim().is_empty()`, but
/// settled by the first byte in the usual case).
fn not_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => true,
        _ => !s.trim().is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::{EvidenceKinds, not_blank};
    use crate::assessment::EvidenceKind;
    use strum::VariantArray;

    #[test]
    fn each_kind_of_evidence_is_in_a_set_alone() {
        for k in EvidenceKind::VARIANTS {
            let one = EvidenceKinds::default().with(*k);
            for other in EvidenceKind::VARIANTS {
                assert_eq!(one.contains(*other), k == other, "{k:?} / {other:?}");
            }
        }
        let all = EvidenceKind::VARIANTS.iter().fold(EvidenceKinds::default(), |s, k| s.with(*k));
        assert!(EvidenceKind::VARIANTS.iter().all(|k| all.contains(*k)));
    }

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        for s in ["", " ", "\t\n", "\u{a0}", "\u{2003} \u{3000}", "x", " x", "\u{a0}x", "é", "\u{2003}é ", "1"] {
            assert_eq!(not_blank(s), !s.trim().is_empty(), "{s:?}");
        }
    }
}
