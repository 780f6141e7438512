//! The plain-text report, for a terminal.

use super::{ReportExtras, View};
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::text::Lang;
use std::fmt::Write;

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The record as plain text: outcome, scores, rules, plan, warnings, provenance.
pub fn text(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> String {
    text_styled(record, rubric, lang, false)
}

const BOLD_GREEN: &str = "\x1b[1;32m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// As [`text`], with ANSI colours for the outcome and failed rules when `colour` is set
/// (for a terminal).
pub fn text_styled(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang, colour: bool) -> String {
    text_with(record, rubric, lang, colour, ReportExtras::default())
}

/// As [`text_styled`], with what `extras` adds (the project's self-assessment beside the
/// rating).
pub fn text_with(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang, colour: bool, extras: ReportExtras<'_>) -> String {
    let paint = |style: &str, s: &str| if colour { format!("{style}{s}{RESET}") } else { s.to_owned() };
    let v = View::new(record, rubric, lang, extras);
    let l = v.l;
    let a = &record.assessment;
    let mut o = String::new();
    let c = v.colon;
    let _ = writeln!(o, "{}{c} {} ({})", v.heading, a.name, a.project);
    let _ = writeln!(o, "{}{c} {} {} - {}", l.rubric, record.rubric.id, record.rubric.version, v.rubric_title);
    let _ = writeln!(o, "{}{c} {}   {}{c} {}   {}{c} {}", l.team_model, record.decision.team_model, l.date, a.date, l.assessor, v.assessor);
    let place: Vec<String> = [(l.period, &v.period), (l.location, &v.location)]
        .iter()
        .filter_map(|(label, x)| x.as_ref().map(|x| format!("{label}{c} {x}")))
        .collect();
    if !place.is_empty() {
        let _ = writeln!(o, "{}", place.join("   "));
    }
    let _ = writeln!(o);
    let style = match v.rank {
        super::Rank::Best => BOLD_GREEN,
        super::Rank::Middle => BOLD_YELLOW,
        super::Rank::Worst => BOLD_RED,
        super::Rank::Incomplete => BOLD,
    };
    let _ = writeln!(o, "{}{c} {}", l.outcome.to_uppercase(), paint(style, &v.outcome_name.to_uppercase()));
    let _ = writeln!(o, "  {}", v.message);
    for note in v.reaudit.iter().chain(&v.valid_until).chain(&v.expected_note) {
        let _ = writeln!(o, "  {note}");
    }
    // Warnings stand beside the outcome: they may put it in doubt.
    if !v.warnings.is_empty() {
        let _ = writeln!(o, "  {}{c}", l.warnings.to_uppercase());
        for (_, message, items) in &v.warnings {
            let _ = writeln!(o, "    {message} [{items}]");
        }
    }
    if let Some((sentence, findings)) = &v.target_public {
        let _ = writeln!(o, "  {}{c}", l.target_public.to_uppercase());
        let _ = writeln!(o, "    {sentence}");
        for f in findings {
            let _ = writeln!(o, "    - {f}");
        }
    }
    if !v.outcomes.is_empty() {
        let _ = writeln!(o, "  {}{c}", l.outcome_indicators.to_uppercase());
        for (title, value, comment) in &v.outcomes {
            let comment = comment.as_ref().map(|x| format!(" ({x})")).unwrap_or_default();
            let _ = writeln!(o, "    {title}{c} {value}{comment}");
        }
    }
    let _ = writeln!(o);
    let head = format!("{} ({} {}-{})", l.scores, l.scale, v.scale.0, v.scale.1);
    let _ = writeln!(o, "{head:<56} {:>5}   {:<9} {}", l.mean, l.exact, v.percent_head);
    let _ = writeln!(o, "  {:<54} {:>5}   {:<9} {}", l.mean_of_items, v.items_mean, v.items_exact, v.items_percent);
    let _ = writeln!(o, "  {:<54} {:>5}", l.mean_of_domains, v.domains_mean);
    for d in &v.domains {
        let name = format!("{} ({}/{} {})", truncate(&d.title, 36), d.rated, d.total, l.rated);
        let _ = writeln!(o, "  {name:<54} {:>5}   {:<9} {}", d.mean, d.exact, d.percent);
    }
    let _ = writeln!(o, "{}", l.principles);
    for p in &v.principles {
        let _ = writeln!(o, "  {:<54} {:>5}   {}", truncate(&p.title, 54), p.mean, p.exact);
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l.rules);
    for r in &v.rules {
        let tag = if r.rule.verdict == crate::decision::Verdict::Fail { paint(BOLD_RED, r.verdict) } else { r.verdict.to_owned() };
        let _ = write!(o, "  [{tag}] {}{c} {} {}, {} {}", r.outcome, l.observed, r.observed, l.threshold, r.threshold);
        if !r.shortfall.is_empty() {
            let _ = write!(o, ", {} {}", l.short_by, r.shortfall);
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "         {}", r.message);
        if !r.rule.failing.is_empty() && r.rule.verdict == crate::decision::Verdict::Fail {
            let _ = writeln!(o, "         {}{c} {}", l.failing, r.failing);
        }
        if !r.unanswered.is_empty() {
            let _ = writeln!(o, "         {}{c} {}", l.unanswered, r.unanswered);
        }
    }
    let _ = writeln!(o);
    if v.answer.is_empty() {
        let _ = writeln!(o, "{}", v.plan_heading);
    } else {
        let _ = writeln!(o, "{}{c} {}", v.plan_heading, v.answer_titles.join(", "));
    }
    for x in &v.raises {
        let band = x.band.as_ref().map(|b| format!("  ({} {b})", l.value_band)).unwrap_or_default();
        let _ = writeln!(o, "  {:<40} {} -> {}{band}", truncate(&x.title, 40), x.from, x.to);
    }
    if let Some(own) = &v.own {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", l.self_heading);
        let _ = writeln!(o, "  {}{} {}", l.self_outcome, v.colon, own.outcome);
        if own.rows.is_empty() {
            let _ = writeln!(o, "  {}", l.self_same);
        } else {
            let width = own.rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0).max(l.item.chars().count());
            let _ = writeln!(o, "  {:<width$}  {}  {}", l.item, l.self_column, l.this_column);
            for (_, id, own_level, level) in &own.rows {
                let _ = writeln!(
                    o,
                    "  {id:<width$}  {own_level:>w1$}  {level:>w2$}",
                    w1 = l.self_column.chars().count(),
                    w2 = l.this_column.chars().count()
                );
            }
        }
        let _ = writeln!(o, "  {}{} {}", own.mean_label, v.colon, own.mean);
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", l.items_heading);
    for it in &v.items {
        if let Some(d) = &it.domain {
            let _ = writeln!(o, "  {d}");
        }
        let measured = it.measured.as_ref().map(|m| format!("  {m}")).unwrap_or_default();
        let _ = writeln!(o, "    {:<40} {:>4}{measured}", truncate(&it.title, 40), it.level);
        if !it.evidence.is_empty() {
            let _ = writeln!(o, "      {}{c} {}", l.evidence, it.evidence.join("; "));
        }
        if let Some(comment) = &it.comment {
            let _ = writeln!(o, "      {}{c} {}", l.comment, comment.replace(['\n', '\r'], " "));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}{c} {} {} {}; {} {}; {} {}",
        l.provenance, l.engine, record.engine.name, record.engine.version, l.rubric_hash, record.rubric.sha256, l.assessment_hash, a.sha256
    );
    o
}
