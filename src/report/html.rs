//! The HTML report: one self-contained page with an outcome badge, an inline SVG chart of
//! domain scores against the policy's thresholds, the reasons, the plan and the evidence.

use super::{ReportExtras, View};
use crate::decision::Verdict;
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::text::Lang;
use html_escape::encode_text as esc;
use rust_decimal::Decimal;
use std::fmt::Write;

pub(crate) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2433;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d5dae3;padding-bottom:.2rem}\
.meta{color:#4a5568;margin:.2rem 0}.badge{display:inline-block;font-weight:700;font-size:1.3rem;padding:.35rem .9rem;border-radius:.4rem;color:#fff;letter-spacing:.04em}\
.best{background:#1f7a3f}.middle{background:#b26a00}.worst{background:#b3261e}.incomplete{background:#5a6270}\
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #d5dae3;padding:.3rem .45rem;text-align:left;vertical-align:top}\
th{background:#f1f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#1f7a3f;font-weight:600}.fail{color:#b3261e;font-weight:700}\
.na,.incomplete-v{color:#5a6270}code{font-size:.85em;overflow-wrap:anywhere}footer{margin-top:2rem;color:#5a6270;font-size:.85rem;word-break:break-all}\
td,th{overflow-wrap:anywhere}svg{display:block}\
@media (max-width:600px){body{margin:1rem auto;padding:0 .5rem}table{font-size:.8rem}th,td{padding:.2rem .25rem}.badge{font-size:1.1rem}}\
@page{size:A4;margin:12mm}\
@media print{body{max-width:none;margin:0;color:#000;font-size:9pt;line-height:1.3}h1{font-size:15pt}h2{font-size:11.5pt;margin-top:1rem}\
table{font-size:8pt;margin:.3rem 0}th,td{padding:.1rem .25rem}ul{margin:0;padding-left:1rem}svg{max-width:150mm!important}.badge{color:#000!important;background:none!important;border:3px solid #000}\
h1,h2,h3{break-after:avoid}tr,li{break-inside:avoid}thead{display:table-header-group}svg{break-inside:avoid}a{color:inherit}}";

/// A column or row heading: the report's word with its first letter in capitals, escaped.
fn head(word: &str) -> String {
    esc(&crate::text::capitalised(word)).into_owned()
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::NotApplicable => "na",
        Verdict::Incomplete => "incomplete-v",
    }
}

/// A horizontal bar chart of domain means on the rubric's scale, with a dashed line for
/// each `min_domain` threshold of the policy. Each domain's title sits above its bar (whole,
/// however long), its mean in a column to the right of the scale (clear of the threshold
/// lines), and its bar is coloured by the domain rules it meets: all (green), some (amber),
/// none (red). The drawing scales to the page's width.
fn chart(v: &View) -> String {
    use crate::rubric::model::RuleKind;
    let (lo, hi) = (Decimal::from(v.scale.0), Decimal::from(v.scale.1));
    let (bar_w, row_h, width) = (620i64, 40i64, 700i64);
    // The overall mean the policy judges, first, against its own thresholds.
    let overall_rules: Vec<_> =
        v.rules.iter().filter(|r| r.rule.kind == RuleKind::MinOverall && r.rule.verdict != Verdict::NotApplicable).collect();
    let overall = overall_rules.first().and_then(|r| r.rule.observed);
    let top = i64::from(overall.is_some());
    let rows = i64::try_from(v.domains.len()).unwrap_or(0).saturating_add(top);
    let marks = i64::try_from(v.domain_thresholds.len().saturating_add(overall_rules.len())).unwrap_or(0);
    let height = rows.saturating_mul(row_h).saturating_add(40).saturating_add(marks.saturating_mul(14));
    let x_of = |d: Decimal| -> i64 {
        let span = hi.checked_sub(lo).unwrap_or(Decimal::ONE);
        let frac = d.checked_sub(lo).and_then(|x| x.checked_div(span)).unwrap_or(Decimal::ZERO).clamp(Decimal::ZERO, Decimal::ONE);
        let px = frac.checked_mul(Decimal::from(bar_w)).unwrap_or(Decimal::ZERO).round();
        i64::try_from(px).unwrap_or(0)
    };
    // The domain rules that apply, and for each domain how many of them it fails.
    let domain_rules: Vec<_> =
        v.rules.iter().filter(|r| r.rule.kind == RuleKind::MinDomain && r.rule.verdict != Verdict::NotApplicable).collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" width="100%" viewBox="0 0 {width} {height}" style="max-width:{width}px;height:auto" font-size="13" font-family="sans-serif">"#,
        html_escape::encode_double_quoted_attribute(v.l.scores)
    );
    if let Some(m) = overall {
        let _ = write!(s, r#"<text x="0" y="17" font-weight="700">{}</text>"#, esc(v.overall_title));
        let _ = write!(s, r##"<rect x="0" y="22" width="{bar_w}" height="16" fill="#eef1f5"/>"##);
        let fails = overall_rules.iter().filter(|r| r.rule.verdict == Verdict::Fail).count();
        let fill = match fails {
            0 => "#1f7a3f",
            n if n < overall_rules.len() => "#b26a00",
            _ => "#b3261e",
        };
        let _ = write!(s, r#"<rect id="overall-bar" x="0" y="22" width="{}" height="16" fill="{fill}"/>"#, x_of(m));
        let _ = write!(
            s,
            r#"<text x="{}" y="35" font-weight="700">{}</text>"#,
            bar_w.saturating_add(12),
            esc(&crate::text::decimal_in(m, v.lang))
        );
        for (k, r) in overall_rules.iter().enumerate() {
            let Some(t) = r.rule.threshold else { continue };
            let colour = if k == 0 { "#1f7a3f" } else { "#b26a00" };
            let x = x_of(t);
            let _ = write!(s, r#"<line x1="{x}" y1="18" x2="{x}" y2="42" stroke="{colour}" stroke-width="3"/>"#);
        }
    }
    for (k, d) in v.domains.iter().enumerate() {
        let y = i64::try_from(k).unwrap_or(0).saturating_add(top).saturating_mul(row_h).saturating_add(4);
        let _ = write!(s, r#"<text x="0" y="{}">{}</text>"#, y.saturating_add(13), esc(&d.title));
        let _ = write!(s, r##"<rect x="0" y="{}" width="{bar_w}" height="16" fill="#eef1f5"/>"##, y.saturating_add(18));
        let fails = domain_rules.iter().filter(|r| r.rule.failing.iter().any(|f| f.as_str() == d.id)).count();
        let (fill, class) = match fails {
            0 => ("#1f7a3f", "meets"),
            n if n < domain_rules.len() => ("#b26a00", "meets-some"),
            _ => ("#b3261e", "meets-none"),
        };
        if let Some(m) = d.mean_value {
            let _ =
                write!(s, r#"<rect class="{class}" x="0" y="{}" width="{}" height="16" fill="{fill}"/>"#, y.saturating_add(18), x_of(m));
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-weight="700">{}</text>"#,
                bar_w.saturating_add(12),
                y.saturating_add(31),
                esc(&d.mean)
            );
        }
    }
    let bottom = rows.saturating_mul(row_h).saturating_add(8);
    let domains_top = top.saturating_mul(row_h).saturating_add(18);
    // The overall mean's thresholds, named below the scale before the domains'.
    for (k, r) in overall_rules.iter().enumerate() {
        let Some(t) = r.rule.threshold else { continue };
        let colour = if k == 0 { "#1f7a3f" } else { "#b26a00" };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" fill="{colour}" text-anchor="end">{} ≥ {} ({})</text>"#,
            bar_w,
            bottom.saturating_add(28).saturating_add(i64::try_from(k).unwrap_or(0).saturating_mul(14)),
            esc(&r.outcome),
            esc(&crate::text::decimal_in(t, v.lang)),
            esc(v.overall_title)
        );
    }
    let shift = i64::try_from(overall_rules.len()).unwrap_or(0).saturating_mul(14);
    for (k, (outcome, t)) in v.domain_thresholds.iter().enumerate() {
        let x = x_of(*t);
        let colour = if k == 0 { "#1f7a3f" } else { "#b26a00" };
        let _ = write!(
            s,
            r#"<line x1="{x}" y1="{domains_top}" x2="{x}" y2="{bottom}" stroke="{colour}" stroke-width="2" stroke-dasharray="5,4"/>"#
        );
        // Labels near the right edge end at their line rather than run off the drawing.
        let anchor = if x > bar_w.saturating_sub(120) { "end" } else { "middle" };
        let _ = write!(
            s,
            r#"<text x="{x}" y="{}" fill="{colour}" text-anchor="{anchor}">{} ≥ {}</text>"#,
            bottom.saturating_add(28).saturating_add(shift).saturating_add(i64::try_from(k).unwrap_or(0).saturating_mul(14)),
            esc(outcome),
            esc(&crate::text::decimal_in(*t, v.lang))
        );
    }
    for level in v.scale.0..=v.scale.1 {
        let x = x_of(Decimal::from(level));
        let anchor = if level == v.scale.0 {
            "start"
        } else if level == v.scale.1 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(s, r##"<text x="{x}" y="{}" fill="#5a6270" text-anchor="{anchor}">{level}</text>"##, bottom.saturating_add(12));
    }
    s.push_str("</svg>");
    s
}

/// The record as one self-contained HTML page.
pub fn html(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> String {
    html_with(record, rubric, lang, ReportExtras::default())
}

/// As [`html`], with what `extras` adds (the project's self-assessment beside the rating).
pub fn html_with(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang, extras: ReportExtras<'_>) -> String {
    let v = View::new(record, rubric, lang, extras);
    let l = v.l;
    let a = &record.assessment;
    let mut o = String::new();
    let c = v.colon;
    o.push_str(&super::page_start(lang, &format!("{}{c} {}", v.heading, a.name), &[STYLE]));
    let _ = writeln!(o, "<h1>{}</h1>", esc(&a.name));
    let _ = writeln!(o, "<p class=\"meta\">{} · <code>{}</code></p>", esc(v.heading), esc(&a.project));
    let _ = writeln!(
        o,
        "<p class=\"meta\">{}{c} {} {} ({}) · {}{c} {} · {}{c} {} · {}{c} {}</p>",
        esc(l.rubric),
        esc(&record.rubric.id),
        esc(&record.rubric.version),
        esc(v.rubric_title),
        esc(l.team_model),
        record.decision.team_model,
        esc(l.date),
        a.date,
        esc(l.assessor),
        esc(&v.assessor)
    );
    let place: Vec<String> = [(l.period, &v.period), (l.location, &v.location)]
        .iter()
        .filter_map(|(label, x)| x.as_ref().map(|x| format!("{}{c} {}", esc(label), esc(x))))
        .collect();
    if !place.is_empty() {
        let _ = writeln!(o, "<p class=\"meta\">{}</p>", place.join(" · "));
    }
    let _ = writeln!(o, "<p><span class=\"badge {}\" id=\"outcome\">{}</span></p>", v.rank.class(), esc(&v.outcome_name.to_uppercase()));
    let _ = writeln!(o, "<p>{}</p>", esc(v.message));
    for note in v.reaudit.iter().chain(&v.valid_until).chain(&v.expected_note) {
        let _ = writeln!(o, "<p><em>{}</em></p>", esc(note));
    }
    // Warnings stand beside the outcome: they may put it in doubt.
    if !v.warnings.is_empty() {
        let _ = writeln!(o, "<div class=\"warnings\" id=\"warnings\"><h2>{}</h2>\n<ul>", esc(l.warnings));
        for (_, message, items) in &v.warnings {
            let _ = writeln!(o, "<li>{} ({})</li>", esc(message), esc(items));
        }
        o.push_str("</ul></div>\n");
    }
    if let Some((sentence, findings)) = &v.target_public {
        let _ = writeln!(o, "<div class=\"target\" id=\"target-public\"><h2>{}</h2>\n<p>{}</p>", esc(l.target_public), esc(sentence));
        if !findings.is_empty() {
            o.push_str("<ul>\n");
            for f in findings {
                let _ = writeln!(o, "<li>{}</li>", esc(f));
            }
            o.push_str("</ul>\n");
        }
        o.push_str("</div>\n");
    }
    if !v.outcomes.is_empty() {
        let _ = writeln!(o, "<div class=\"outcomes\" id=\"outcome-indicators\"><h2>{}</h2>\n<dl>", esc(l.outcome_indicators));
        for (title, value, comment) in &v.outcomes {
            let comment = comment.as_ref().map(|x| format!(" <small>({})</small>", esc(x))).unwrap_or_default();
            let _ = writeln!(o, "<dt>{}</dt><dd>{}{comment}</dd>", esc(title), esc(value));
        }
        o.push_str("</dl></div>\n");
    }
    let _ = writeln!(o, "<h2>{} ({} {}-{})</h2>", esc(l.scores), esc(l.scale), v.scale.0, v.scale.1);
    o.push_str(&chart(&v));
    let _ = writeln!(
        o,
        "\n<table>\n<thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        head(l.rated),
        head(l.mean),
        head(l.exact),
        head(v.percent_head)
    );
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td></td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        head(l.mean_of_items),
        v.items_mean,
        v.items_exact,
        v.items_percent
    );
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td></td><td class=\"num\"><b>{}</b></td><td></td><td></td></tr>",
        head(l.mean_of_domains),
        v.domains_mean
    );
    for d in &v.domains {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&d.title),
            d.rated,
            d.total,
            d.mean,
            d.exact,
            d.percent
        );
    }
    let _ = writeln!(
        o,
        "</table>\n<h2>{}</h2>\n<table>\n<thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(l.principles),
        head(l.rated),
        head(l.mean),
        head(l.exact)
    );
    for p in &v.principles {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&p.title),
            p.rated,
            p.mean,
            p.exact
        );
    }
    let _ = writeln!(
        o,
        "</table>\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(l.rules),
        head(l.outcome),
        head(l.rule),
        head(l.verdict),
        head(l.observed),
        head(l.threshold),
        head(l.short_by),
        head(l.failing)
    );
    for r in &v.rules {
        let mut failing = r.failing.clone();
        if !r.unanswered.is_empty() {
            failing.push_str(&format!(" ({}{} {})", l.unanswered, v.colon, r.unanswered));
        }
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&r.outcome),
            esc(r.message),
            verdict_class(r.rule.verdict),
            esc(r.verdict),
            esc(&r.observed),
            esc(&r.threshold),
            esc(&r.shortfall),
            esc(&failing)
        );
    }
    let _ = writeln!(o, "</table>\n<h2>{}</h2>\n<p>{}</p>", esc(l.plan), esc(&v.plan_heading));
    if !v.answer.is_empty() {
        o.push_str("<ul>");
        for (id, title) in v.answer.iter().zip(&v.answer_titles) {
            let _ = write!(o, "<li>{} <code>{}</code></li>", esc(title), esc(id));
        }
        o.push_str("</ul>\n");
    }
    if !v.raises.is_empty() {
        let _ = writeln!(
            o,
            "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            head(l.item),
            head(l.from),
            head(l.to),
            head(l.value_band)
        );
        for x in &v.raises {
            let _ = writeln!(
                o,
                "<tr><td>{} <code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&x.title),
                esc(&x.item),
                x.from,
                x.to,
                esc(x.band.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</table>\n");
    }
    if let Some(own) = &v.own {
        let _ = writeln!(o, "<h2>{}</h2>", esc(l.self_heading));
        let _ = writeln!(o, "<p>{}{} {}</p>", esc(l.self_outcome), v.colon, esc(&own.outcome));
        if own.rows.is_empty() {
            let _ = writeln!(o, "<p>{}</p>", esc(l.self_same));
        } else {
            let _ = writeln!(
                o,
                "<table class=\"own\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                head(l.item),
                head(l.self_column),
                head(l.this_column)
            );
            for (title, id, own_level, level) in &own.rows {
                let _ = writeln!(
                    o,
                    "<tr><td>{} <code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(title),
                    esc(id),
                    esc(own_level),
                    esc(level)
                );
            }
            o.push_str("</table>\n");
        }
        let _ = writeln!(o, "<p>{}{} {}</p>", esc(&own.mean_label), v.colon, esc(&own.mean));
    }
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table id=\"items\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(l.items_heading),
        head(l.item),
        head(l.level),
        head(l.measured),
        head(l.evidence),
        head(l.comment)
    );
    for it in &v.items {
        if let Some(d) = &it.domain {
            let _ = writeln!(o, "<tr class=\"domain\"><th colspan=\"5\">{}</th></tr>", esc(d));
        }
        let list: Vec<String> = it.evidence.iter().map(|x| format!("<li>{}</li>", esc(x))).collect();
        let _ = writeln!(
            o,
            "<tr><td>{} <code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td><ul>{}</ul></td><td>{}</td></tr>",
            esc(&it.title),
            esc(&it.item),
            esc(&it.level),
            esc(it.measured.as_deref().unwrap_or("")),
            list.concat(),
            esc(it.comment.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table>\n");
    let _ = writeln!(
        o,
        "<footer><h2>{}</h2><p>{}{c} {} {}<br>{} {} {}{c} <code>{}</code><br>{}{c} <code>{}</code></p></footer>\n</body>\n</html>",
        esc(l.provenance),
        esc(l.engine),
        esc(&record.engine.name),
        esc(&record.engine.version),
        esc(l.rubric),
        esc(&record.rubric.id),
        esc(l.rubric_hash),
        esc(&record.rubric.sha256),
        esc(l.assessment_hash),
        esc(&a.sha256)
    );
    o
}
