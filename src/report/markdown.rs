//! The Markdown report, for files and e-mails.

use super::{ReportExtras, View};
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::text::Lang;
use std::fmt::Write;

/// Makes text safe inside a Markdown table cell.
pub(crate) fn cell(s: &str) -> String {
    // `<` would let a project's text carry raw HTML (`<script>`) into a rendered report.
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The record as Markdown: outcome, scores, rules, plan, warnings, evidence, provenance.
pub fn markdown(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> String {
    markdown_with(record, rubric, lang, ReportExtras::default())
}

/// As [`markdown`], with what `extras` adds (the project's self-assessment beside the rating).
pub fn markdown_with(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang, extras: ReportExtras<'_>) -> String {
    let v = View::new(record, rubric, lang, extras);
    let l = v.l;
    let a = &record.assessment;
    let mut o = String::new();
    let c = v.colon;
    let _ = writeln!(o, "# {}{c} {}\n", v.heading, cell(&a.name));
    let _ = writeln!(o, "- **{}**{c} {} {} ({})", l.rubric, record.rubric.id, record.rubric.version, cell(v.rubric_title));
    let _ = writeln!(o, "- **{}**{c} {}", l.team_model, record.decision.team_model);
    let _ = writeln!(o, "- **{}**{c} {}", l.date, a.date);
    let _ = writeln!(o, "- **{}**{c} {}", l.assessor, cell(&v.assessor));
    for (label, x) in [(l.period, &v.period), (l.location, &v.location)] {
        if let Some(x) = x {
            let _ = writeln!(o, "- **{label}**{c} {}", cell(x));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## {}: **{}**\n", l.outcome, v.outcome_name.to_uppercase());
    let _ = writeln!(o, "{}", v.message);
    for note in v.reaudit.iter().chain(&v.valid_until).chain(&v.expected_note) {
        let _ = writeln!(o, "\n{note}");
    }
    // Warnings stand beside the outcome: they may put it in doubt.
    if !v.warnings.is_empty() {
        let _ = writeln!(o, "\n### {}\n", l.warnings);
        for (_, message, items) in &v.warnings {
            let _ = writeln!(o, "- {} ({})", cell(message), cell(items));
        }
    }
    if let Some((sentence, findings)) = &v.target_public {
        let _ = writeln!(o, "\n### {}\n\n{}", l.target_public, cell(sentence));
        if !findings.is_empty() {
            let _ = writeln!(o);
        }
        for f in findings {
            let _ = writeln!(o, "- {}", cell(f));
        }
    }
    if !v.outcomes.is_empty() {
        let _ = writeln!(o, "\n### {}\n", l.outcome_indicators);
        for (title, value, comment) in &v.outcomes {
            let comment = comment.as_ref().map(|x| format!(" ({})", cell(x))).unwrap_or_default();
            let _ = writeln!(o, "- {}{c} {}{comment}", cell(title), cell(value));
        }
    }
    let _ = writeln!(o, "\n## {} ({} {}-{})\n", l.scores, l.scale, v.scale.0, v.scale.1);
    let _ = writeln!(o, "| | {} | {} | {} | {} |", l.rated, l.mean, l.exact, v.percent_head);
    let _ = writeln!(o, "|---|---:|---:|---:|---:|");
    let _ = writeln!(o, "| **{}** | | **{}** | {} | {} |", l.mean_of_items, v.items_mean, v.items_exact, v.items_percent);
    let _ = writeln!(o, "| **{}** | | **{}** | | |", l.mean_of_domains, v.domains_mean);
    for d in &v.domains {
        let _ = writeln!(o, "| {} | {}/{} | {} | {} | {} |", cell(&d.title), d.rated, d.total, d.mean, d.exact, d.percent);
    }
    let _ = writeln!(o, "\n### {}\n", l.principles);
    let _ = writeln!(o, "| | {} | {} | {} |", l.rated, l.mean, l.exact);
    let _ = writeln!(o, "|---|---:|---:|---:|");
    for p in &v.principles {
        let _ = writeln!(o, "| {} | {} | {} | {} |", cell(&p.title), p.rated, p.mean, p.exact);
    }
    let _ = writeln!(o, "\n## {}\n", l.rules);
    let _ =
        writeln!(o, "| {} | {} | {} | {} | {} | {} | {} |", l.outcome, l.rule, l.verdict, l.observed, l.threshold, l.short_by, l.failing);
    let _ = writeln!(o, "|---|---|---|---:|---:|---:|---|");
    for r in &v.rules {
        let mut failing = r.failing.clone();
        if !r.unanswered.is_empty() {
            failing.push_str(&format!(" ({}{} {})", l.unanswered, v.colon, r.unanswered));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.outcome,
            cell(r.message),
            r.verdict,
            r.observed,
            r.threshold,
            r.shortfall,
            cell(&failing)
        );
    }
    let _ = writeln!(o, "\n## {}\n", l.plan);
    let _ = writeln!(o, "{}", v.plan_heading);
    if !v.answer.is_empty() {
        let _ = writeln!(o);
        for (id, title) in v.answer.iter().zip(&v.answer_titles) {
            let _ = writeln!(o, "- {} (`{id}`)", cell(title));
        }
    }
    if !v.raises.is_empty() {
        let _ = writeln!(o, "\n| {} | {} | {} | {} |", l.item, l.from, l.to, l.value_band);
        let _ = writeln!(o, "|---|---:|---:|---|");
        for x in &v.raises {
            let _ = writeln!(o, "| {} (`{}`) | {} | {} | {} |", cell(&x.title), x.item, x.from, x.to, x.band.as_deref().unwrap_or(""));
        }
    }
    if let Some(own) = &v.own {
        let _ = writeln!(o, "\n## {}\n", l.self_heading);
        let _ = writeln!(o, "{}{} {}\n", l.self_outcome, v.colon, own.outcome);
        if own.rows.is_empty() {
            let _ = writeln!(o, "{}\n", l.self_same);
        } else {
            let _ = writeln!(o, "| {} | {} | {} |", l.item, l.self_column, l.this_column);
            let _ = writeln!(o, "|---|---:|---:|");
            for (title, id, own_level, level) in &own.rows {
                let _ = writeln!(o, "| {} (`{id}`) | {own_level} | {level} |", cell(title));
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o, "{}{} {}", own.mean_label, v.colon, own.mean);
    }
    let _ = writeln!(o, "\n## {}\n", l.items_heading);
    let _ = writeln!(o, "| {} | {} | {} | {} | {} |", l.item, l.level, l.measured, l.evidence, l.comment);
    let _ = writeln!(o, "|---|---:|---|---|---|");
    for it in &v.items {
        if let Some(d) = &it.domain {
            let _ = writeln!(o, "| **{}** | | | | |", cell(d));
        }
        let _ = writeln!(
            o,
            "| {} (`{}`) | {} | {} | {} | {} |",
            cell(&it.title),
            it.item,
            it.level,
            cell(it.measured.as_deref().unwrap_or("")),
            cell(&it.evidence.join("; ")),
            cell(it.comment.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(o, "\n## {}\n", l.provenance);
    let _ = writeln!(o, "- {}{c} {} {}", l.engine, record.engine.name, record.engine.version);
    let _ = writeln!(o, "- {}{c} `{}`", l.rubric_hash, record.rubric.sha256);
    let _ = writeln!(o, "- {}{c} `{}`", l.assessment_hash, a.sha256);
    o
}
