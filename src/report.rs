//! Human-readable renderings of an audit record.

use crate::decision::{Outcome, Verdict};
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::text::Lang;
use std::fmt::Write;

fn title_of<'a>(rubric: &'a CompiledRubric, id: &'a str, lang: Lang) -> &'a str {
    let r = rubric.rubric();
    r.domains
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.title.get(lang))
        .or_else(|| r.principles.iter().find(|p| p.id == id).map(|p| p.title.get(lang)))
        .or_else(|| r.domains.iter().flat_map(|d| &d.items).find(|i| i.id == id).map(|i| i.title.get(lang)))
        .unwrap_or(id)
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_owned(), |x| x.to_string())
}

/// The record as plain text for a terminal: outcome, scores, rules, plan, warnings, provenance.
pub fn text(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> String {
    let mut o = String::new();
    let d = &record.decision;
    let a = &record.assessment;
    let _ = writeln!(o, "Housing First label audit: {} ({})", a.name, a.project);
    let _ = writeln!(o, "Rubric:     {} {} - {}", record.rubric.id, record.rubric.version, rubric.rubric().title.get(lang));
    let assessor = &record.input.assessor;
    let kind = serde_json::to_value(assessor.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let _ = writeln!(
        o,
        "Team model: {}   Date: {}   Assessor: {}{}",
        d.team_model,
        a.date,
        kind,
        assessor.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "OUTCOME: {}", d.outcome.code().to_uppercase());
    let _ = writeln!(o, "  {}", d.message.get(lang));
    if let Some(m) = d.reaudit_months {
        let _ = writeln!(o, "  Re-audit within {m} months.");
    }
    if let Some(e) = record.input.expected_outcome {
        if e != d.outcome {
            let _ = writeln!(o, "  Note: the assessment expected `{e}`.");
        }
    }
    let _ = writeln!(o);
    let s = &d.scores;
    let max = rubric.rubric().scale.max;
    let min = rubric.rubric().scale.min;
    let head = format!("Scores (scale {min}-{max})");
    let _ = writeln!(o, "{head:<56}  mean   exact     % of max");
    let _ =
        writeln!(o, "  {:<54} {:>5}   {:<9} {}", "Overall: mean of items", opt(&s.items.mean), opt(&s.items.exact), opt(&s.items.percent));
    let _ = writeln!(o, "  {:<54} {:>5}   {}", "Overall: mean of domains", opt(&s.mean_of_domains), opt(&s.mean_of_domains_exact));
    for g in &s.domains {
        let name = format!(
            "{} ({}/{} rated)",
            truncate(title_of(rubric, &g.id, lang), 40),
            g.score.rated,
            rubric.rubric().domains.iter().find(|x| x.id == g.id).map_or(0, |x| x.items.len())
        );
        let _ = writeln!(o, "  {:<54} {:>5}   {:<9} {}", name, opt(&g.score.mean), opt(&g.score.exact), opt(&g.score.percent));
    }
    let _ = writeln!(o, "Principles");
    for g in s.principles.iter().filter(|g| g.score.rated > 0) {
        let _ = writeln!(o, "  {:<54} {:>5}   {}", truncate(title_of(rubric, &g.id, lang), 54), opt(&g.score.mean), opt(&g.score.exact));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "Rules");
    for r in &d.rules {
        let tag = match r.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::NotApplicable => "n/a ",
            Verdict::Incomplete => "incomplete",
        };
        let observed = match (&r.observed, &r.observed_exact) {
            (Some(v), Some(e)) => format!("{v} ({e})"),
            (Some(v), None) => v.to_string(),
            _ => "-".into(),
        };
        let _ = write!(o, "  [{tag}] {}/{}: observed {observed}, threshold {}", r.outcome_code(), r.id, r.threshold);
        if let Some(sf) = r.shortfall {
            let _ = write!(o, ", short by {sf}");
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "         {}", r.message.get(lang));
        if !r.failing.is_empty() && r.verdict == Verdict::Fail {
            let _ = writeln!(o, "         failing: {}", r.failing.join(", "));
        }
        if !r.unanswered.is_empty() {
            let _ = writeln!(o, "         not answered: {}", r.unanswered.join(", "));
        }
    }
    let p = &d.plan;
    let _ = writeln!(o);
    if d.outcome == Outcome::Incomplete {
        let _ = writeln!(o, "To decide, answer {} item(s): {}", p.answer.len(), p.answer.join(", "));
    } else if let Some(t) = p.target {
        let _ = writeln!(
            o,
            "Improvement plan to reach `{t}`: {} level step(s){}",
            p.total_steps,
            if p.reachable { "" } else { " (not enough on its own: see the failing rules)" }
        );
        for r in &p.raises {
            let band = r.target_band.as_ref().map(|b| format!("  (value {b})")).unwrap_or_default();
            let _ = writeln!(o, "  {:<40} {} -> {}{band}", r.item, r.from, r.to);
        }
    } else {
        let _ = writeln!(o, "Improvement plan: none needed, the best outcome is reached.");
    }
    if !d.warnings.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Warnings");
        for w in &d.warnings {
            let _ = writeln!(o, "  {}: {} [{}]", w.id, w.message.get(lang), w.items.join(", "));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Provenance: {} {}; rubric sha256 {}; assessment sha256 {}",
        record.engine.name, record.engine.version, record.rubric.sha256, a.sha256
    );
    o
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

impl crate::decision::RuleResult {
    /// The code of the outcome the rule belongs to.
    pub fn outcome_code(&self) -> &'static str {
        Outcome::from(self.outcome).code()
    }
}
