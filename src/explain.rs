//! The arithmetic behind a decision, step by step, for people who ask "how was this
//! computed?".

use crate::decision::{ItemStatus, Verdict};
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::rubric::model::{Compare, OverallMeasure, RoundingMode, RuleKind};
use std::fmt::Write;

fn mode(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::HalfUp => "half up",
        RoundingMode::HalfEven => "half to even",
        RoundingMode::Down => "down",
        RoundingMode::Up => "up",
    }
}

/// Explains `record` against its rubric: how each level was reached, how each mean was
/// computed, and why each rule passed or failed. With `only`, explains one item or rule.
pub fn explain(record: &AuditRecord, rubric: &CompiledRubric, only: Option<&str>) -> String {
    let r = rubric.rubric();
    let d = &record.decision;
    let mut o = String::new();
    // Explaining one item also shows its domain's mean and the rules its item or domain fails.
    let domain_of_only = only.and_then(|w| d.items.iter().find(|i| i.id == w)).map(|i| i.domain.as_str());
    let wanted = |id: &str| only.is_none_or(|w| w == id) || domain_of_only == Some(id);
    let rounding = format!("rounded {} to {} places", mode(r.rounding.mode), r.rounding.places);
    let _ = writeln!(o, "How `{}` was judged by `{}` {} ({} team)\n", record.assessment.project, r.id, r.version, d.team_model);
    let _ = writeln!(o, "Items (levels {}-{}):", r.scale.min, r.scale.max);
    for it in d.items.iter().filter(|i| wanted(&i.id) || only == Some(i.domain.as_str())) {
        let line = match (it.status, &it.measured, it.level) {
            (ItemStatus::Measured, Some(m), Some(l)) => {
                format!("measured {} {} falls in the band `{}` -> level {l}", m.value, m.unit, m.band)
            }
            (ItemStatus::Stated, _, Some(l)) => format!("stated level {l}"),
            (ItemStatus::NotApplicable, ..) => {
                let why = record.input.responses.get(it.id.as_str()).and_then(|x| x.justification.clone()).unwrap_or_default();
                format!("not applicable, left out of every score ({why})")
            }
            (ItemStatus::Missing, ..) => "no answer: missing".to_owned(),
            (ItemStatus::OtherModel, ..) => format!("does not apply to {} teams", d.team_model),
            _ => "-".to_owned(),
        };
        let _ = writeln!(o, "  {:<42} {line}", it.id);
    }
    let domains: Vec<_> = d.scores.domains.iter().filter(|g| wanted(&g.id)).collect();
    if !domains.is_empty() {
        let _ = writeln!(o, "\nDomains (mean of the rated items, {rounding}):");
    }
    for g in domains {
        let levels: Vec<String> = d.items.iter().filter(|i| i.domain == g.id).filter_map(|i| i.level).map(|l| l.to_string()).collect();
        let mean = g.score.mean.map_or_else(|| "no rated item".to_owned(), |m| m.to_string());
        let _ = writeln!(
            o,
            "  {:<16} ({}) / {} = {} = {mean}",
            g.id,
            levels.join(" + "),
            g.score.rated,
            g.score.exact.map_or_else(|| "-".to_owned(), |f| f.to_string())
        );
    }
    if only.is_none() {
        let s = &d.scores;
        let _ = writeln!(o, "\nOverall:");
        let _ = writeln!(
            o,
            "  mean of items:   {} / {} = {} = {}   ({} of a maximum {} = {}%)",
            s.items.sum,
            s.items.rated,
            s.items.exact.map_or_else(|| "-".to_owned(), |f| f.to_string()),
            s.items.mean.map_or_else(|| "-".to_owned(), |m| m.to_string()),
            s.items.sum,
            s.items.max,
            s.items.percent.map_or_else(|| "-".to_owned(), |m| m.to_string())
        );
        let means: Vec<String> = s.domains.iter().filter_map(|g| g.score.exact.map(|f| f.to_string())).collect();
        let _ = writeln!(
            o,
            "  mean of domains: ({}) / {} = {} = {}",
            means.join(" + "),
            means.len(),
            s.mean_of_domains_exact.map_or_else(|| "-".to_owned(), |f| f.to_string()),
            s.mean_of_domains.map_or_else(|| "-".to_owned(), |m| m.to_string())
        );
        let used = match r.policy.overall {
            OverallMeasure::MeanOfItems => "the mean of items",
            OverallMeasure::MeanOfDomains => "the mean of domains",
        };
        let cmp = match r.policy.compare {
            Compare::Exact => "exact fractions (a mean of 3.4999 does not reach 3.5)",
            Compare::Rounded => "scores rounded as above",
        };
        let _ = writeln!(o, "  the policy uses {used} and compares {cmp}");
    }
    let _ = writeln!(o, "\nRules (the first outcome whose rules all hold is the decision):");
    for rule in d.rules.iter().filter(|x| wanted(&x.id) || x.failing.iter().any(|f| wanted(f))) {
        let verdict = match rule.verdict {
            Verdict::Pass => "holds",
            Verdict::Fail => "does NOT hold",
            Verdict::NotApplicable => "does not apply to this team model",
            Verdict::Incomplete => "undecided: items it covers are unanswered, and their answers could still change it",
        };
        let observed = match (&rule.observed, &rule.observed_exact) {
            (Some(v), Some(e)) => format!("{e} = {v}"),
            (Some(v), None) => v.to_string(),
            _ => "nothing to observe".to_owned(),
        };
        let t = rule.threshold.map_or_else(|| "-".to_owned(), |t| t.to_string());
        let test = match rule.kind {
            RuleKind::MinOverall => format!("overall {observed} >= {t}"),
            RuleKind::MinDomain => format!("lowest domain mean {observed} >= {t}"),
            RuleKind::MinPrinciple => format!("lowest principle mean {observed} >= {t}"),
            RuleKind::MinLevel => format!("lowest level {observed} >= {t}"),
            RuleKind::MaxBelow => format!("{observed} item(s) below the level <= {t} allowed"),
            RuleKind::AssessedBy => {
                let spec = r.policy.outcomes.iter().filter(|x| rule.outcome == x.outcome).flat_map(|x| &x.rules).find(|x| x.id == *rule.id);
                let allowed: Vec<&str> = spec.iter().flat_map(|x| x.assessors.iter().map(|k| k.code())).collect();
                let ratings: Vec<&str> = spec.iter().flat_map(|x| x.ratings.iter().map(|k| k.code())).collect();
                let mut test = format!("assessed by `{}`, one of {}", record.input.assessor.kind.code(), allowed.join(", "));
                if !ratings.is_empty() {
                    test.push_str(&format!("; a `{}`, one of {}", record.input.rating_kind().code(), ratings.join(", ")));
                }
                test
            }
        };
        let _ = writeln!(o, "  {}/{}: {test}: {verdict}", rule.outcome_code(), rule.id);
        if rule.verdict == Verdict::Fail {
            if let Some(sf) = rule.shortfall {
                let _ = writeln!(o, "      short by {sf}");
            }
            if !rule.failing.is_empty() {
                let _ = writeln!(o, "      failing: {}", rule.failing.join(", "));
            }
        }
        if !rule.unanswered.is_empty() {
            let _ = writeln!(o, "      not answered: {}", rule.unanswered.join(", "));
        }
    }
    let _ = writeln!(o, "\nDecision: {}", d.outcome);
    o
}
