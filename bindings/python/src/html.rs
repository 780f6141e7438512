//! The compact HTML tables a `Decision` and a `Rubric` show in Jupyter (`_repr_html_`).

use hf_fidelity::AuditRecord;
use hf_fidelity::decision::Verdict;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values (quotes too).
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "&ndash;".into(), |v| esc(&v.to_string()).into_owned())
}

fn colour(outcome: &str) -> &'static str {
    match outcome {
        "granted" => "#1a7f37",
        "conditional" => "#9a6700",
        "refused" => "#cf222e",
        _ => "#57606a",
    }
}

/// The decision of `record` as an HTML fragment: a heading line, the scores, every rule
/// with its observed value, threshold and verdict, and the improvement plan.
pub fn decision(record: &AuditRecord) -> String {
    let d = &record.decision;
    let a = &record.assessment;
    let mut h = String::new();
    let o = d.outcome.code();
    let _ = write!(
        h,
        "<div class=\"hf-fidelity-decision\"><p><b>{}</b> ({}) &middot; {} &middot; {} &middot; rubric {} {}<br>\
         <span style=\"font-weight:bold;color:{}\">{}</span> &mdash; {}</p>",
        esc(&a.name),
        esc(&a.project),
        esc(d.team_model.code()),
        a.date,
        esc(&record.rubric.id),
        esc(&record.rubric.version),
        colour(o),
        esc(&o.to_uppercase()),
        esc(&d.message.en)
    );
    h.push_str("<table><thead><tr><th>score</th><th>mean</th><th>exact</th><th>rated</th></tr></thead><tbody>");
    let s = &d.scores;
    let _ = write!(
        h,
        "<tr><td>all items</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        opt(s.items.mean),
        opt(s.items.exact.as_ref()),
        s.items.rated
    );
    let _ = write!(
        h,
        "<tr><td>mean of domains</td><td>{}</td><td>{}</td><td></td></tr>",
        opt(s.mean_of_domains),
        opt(s.mean_of_domains_exact.as_ref())
    );
    for g in &s.domains {
        let _ = write!(
            h,
            "<tr><td>domain <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.id),
            opt(g.score.mean),
            opt(g.score.exact.as_ref()),
            g.score.rated
        );
    }
    h.push_str("</tbody></table>");
    h.push_str("<table><thead><tr><th>outcome</th><th>rule</th><th>verdict</th><th>observed</th><th>threshold</th><th>short by</th><th>failing</th></tr></thead><tbody>");
    for r in &d.rules {
        let verdict = match r.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "<b style=\"color:#cf222e\">FAIL</b>",
            Verdict::NotApplicable => "n/a",
            Verdict::Incomplete => "incomplete",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(r.outcome.code()),
            esc(&r.id),
            verdict,
            opt(r.observed),
            opt(r.threshold),
            opt(r.shortfall),
            esc(&r.failing.join(", "))
        );
    }
    h.push_str("</tbody></table>");
    if !d.missing.is_empty() {
        let _ = write!(h, "<p>Missing answers: {}</p>", esc(&d.missing.join(", ")));
    }
    if let Some(t) = &d.plan.target {
        let _ = write!(h, "<p>Plan to reach <b>{}</b>: {} level step(s)", esc(t.code()), d.plan.total_steps);
        if !d.plan.raises.is_empty() {
            h.push_str("</p><ul>");
            for r in &d.plan.raises {
                let _ = write!(h, "<li><code>{}</code> {} &rarr; {}</li>", esc(&r.item), r.from, r.to);
            }
            h.push_str("</ul>");
        } else {
            h.push_str("</p>");
        }
    }
    for w in &d.warnings {
        let _ = write!(h, "<p>&#9888; {}</p>", esc(&w.message.en));
    }
    h.push_str("</div>");
    h
}

/// A rubric at a glance: title, id and version, team models, outcomes, then each domain
/// with its items (id, title, the models it applies to when not all).
pub fn rubric(r: &hf_fidelity::CompiledRubric) -> String {
    let spec = r.rubric();
    let lang = hf_fidelity::Lang::En;
    let mut o = String::new();
    let _ = write!(o, "<div class=\"hf-rubric\"><strong>{}</strong> ({} {})", esc(spec.title.get(lang)), esc(&spec.id), esc(&spec.version));
    let models: Vec<String> = spec.team_models.iter().map(ToString::to_string).collect();
    let outcomes: Vec<&str> = spec.policy.outcomes.iter().map(|x| x.outcome.as_str()).collect();
    let _ = write!(o, "<br>team models: {}; outcomes: {}", esc(&models.join(", ")), esc(&outcomes.join(", ")));
    o.push_str("<table><thead><tr><th>domain</th><th>item</th><th>title</th><th>team models</th></tr></thead><tbody>");
    let mut ix = 0usize;
    for d in &spec.domains {
        for (k, item) in d.items.iter().enumerate() {
            let here = ix;
            ix = ix.saturating_add(1);
            let applies: Vec<String> = spec.team_models.iter().filter(|tm| r.item_applies(here, tm)).map(ToString::to_string).collect();
            let which = if applies.len() == spec.team_models.len() { String::new() } else { applies.join(", ") };
            let domain = if k == 0 { esc(d.title.get(lang)).into_owned() } else { String::new() };
            let _ = write!(
                o,
                "<tr><td>{domain}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&item.id),
                esc(item.title.get(lang)),
                esc(&which)
            );
        }
    }
    o.push_str("</tbody></table></div>");
    o
}
