//! The overview page of a batch: one row per project, linking to its report or record.

use super::labels::Labels;
use super::{outcome_name, rank};
use crate::decision::Outcome;
use crate::engine::CompiledRubric;
use crate::text::Lang;
use html_escape::encode_text as esc;
use std::fmt::Write;

/// One project on the overview page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewRow {
    /// The project's id.
    pub project: String,
    /// The project's name.
    pub name: String,
    /// The team model, as the field writes it (`ACT`).
    pub team_model: String,
    /// The assessment's date.
    pub date: String,
    /// Who assessed, in the page's language.
    pub assessor: String,
    /// The outcome's title in the page's language.
    pub outcome: String,
    /// Where the outcome stands in its policy: `best`, `middle`, `worst` or `incomplete`.
    pub rank: String,
    /// The overall mean, as the language writes it.
    pub mean: String,
    /// Titles of the items whose gates failed.
    pub failed: Vec<String>,
    /// The project's report or record, relative to the page.
    pub link: String,
}

impl CompiledRubric {
    /// The title of outcome `o` in `lang` (the report's word for `incomplete`).
    pub fn outcome_title(&self, o: &Outcome, lang: Lang) -> String {
        outcome_name(&self.rubric().policy, Labels::of(lang), lang, o)
    }

    /// Where outcome `o` stands in the policy, as the overview colours it: `best`, `middle`,
    /// `worst` or `incomplete`.
    pub fn outcome_rank(&self, o: &Outcome) -> &'static str {
        rank(&self.rubric().policy, o).class()
    }

    /// Who assessed `a`, in `lang`, as reports name the assessor.
    pub fn assessor_words(&self, a: &crate::assessment::Assessor, lang: Lang) -> String {
        let l = Labels::of(lang);
        format!("{}{}", l.assessor_kind(a.kind), a.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())
    }
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2433;line-height:1.4}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d6dae3;vertical-align:top}\
th{background:#f1f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}\
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:700;border:2px solid currentColor}\
.best{color:#14532d;background:#dcfce7}.middle{color:#713f12;background:#fef3c7}.worst{color:#7f1d1d;background:#fee2e2}.incomplete{color:#1f2937;background:#e5e7eb}\
@media print{.badge{background:none}a{color:inherit;text-decoration:none}tr{break-inside:avoid}thead{display:table-header-group}}";

/// The overview page of a batch in `lang`: one row per project (in the order given), its
/// outcome coloured by its place in the policy, the overall mean, failed gates, and a link
/// to its report or record. One self-contained file.
pub fn overview_html(rows: &[OverviewRow], lang: Lang) -> String {
    let l = Labels::of(lang);
    let mut o = String::new();
    o.push_str(&super::page_start(lang, l.overview, &[STYLE]));
    let _ = writeln!(o, "<h1>{}</h1>", esc(l.overview));
    let mut counts: Vec<(&str, &str, usize)> = Vec::new();
    for r in rows {
        match counts.iter_mut().find(|(t, _, _)| *t == r.outcome) {
            Some(c) => c.2 = c.2.saturating_add(1),
            None => counts.push((&r.outcome, &r.rank, 1)),
        }
    }
    let summary: Vec<String> = counts.iter().map(|(t, rank, n)| format!("<span class=\"badge {rank}\">{}</span> {n}", esc(t))).collect();
    let _ = writeln!(o, "<p>{}</p>", summary.join(" &nbsp; "));
    let _ = writeln!(
        o,
        "<table id=\"projects\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        esc(l.project),
        esc(l.team_model),
        esc(l.date),
        esc(l.assessor),
        esc(l.outcome),
        esc(l.mean),
        esc(l.failing)
    );
    for r in rows {
        let _ = writeln!(
            o,
            "<tr><td><a href=\"{}\">{}</a> <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge {}\">{}</span></td><td class=\"num\">{}</td><td>{}</td></tr>",
            html_escape::encode_double_quoted_attribute(&r.link),
            esc(&r.name),
            esc(&r.project),
            esc(&r.team_model),
            esc(&r.date),
            esc(&r.assessor),
            esc(&r.rank),
            esc(&r.outcome),
            esc(&r.mean),
            esc(&r.failed.join(", "))
        );
    }
    o.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_escapes_what_projects_write_and_links_each_row() {
        let row = OverviewRow {
            project: "p-1".into(),
            name: "<script>alert(1)</script>".into(),
            team_model: "ACT".into(),
            date: "2026-01-01".into(),
            assessor: "LAB".into(),
            outcome: "toegekend".into(),
            rank: "best".into(),
            mean: "3,50".into(),
            failed: vec![],
            link: "reports/a\"b.html".into(),
        };
        let page = overview_html(&[row.clone(), row], Lang::Nl);
        assert!(!page.contains("<script>"));
        assert!(page.contains("href=\"reports/a&quot;b.html\""));
        assert!(page.contains("<span class=\"badge best\">toegekend</span> 2"));
        assert!(page.contains("<html lang=\"nl\">"));
    }
}
