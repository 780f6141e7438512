//! The certificate of a label: one printable page a project can show, naming what was
//! decided, by whom, until when, and how anyone can check it.

use super::labels::Labels;
use super::outcome_name;
use crate::assessment::AssessorKind;
use crate::engine::CompiledRubric;
use crate::error::Error;
use crate::record::AuditRecord;
use crate::rubric::compile::Check;
use crate::text::Lang;
use html_escape::encode_text as esc;
use std::fmt::Write;

/// The certificate's own words in one language.
struct Words {
    title: &'static str,
    awarded: &'static str,
    decided: &'static str,
    valid: &'static str,
    reviewers: &'static str,
    rubric: &'static str,
    record: &'static str,
    check: &'static str,
}

const EN: Words = Words {
    title: "Certificate",
    awarded: "Awarded to",
    decided: "Date of the decision",
    valid: "Valid until",
    reviewers: "Reviewed by",
    rubric: "Rubric",
    record: "Assessment (SHA-256)",
    check: "Anyone can check this decision by re-running its audit record: hf-fidelity verify <record>.",
};

const NL: Words = Words {
    title: "Certificaat",
    awarded: "Toegekend aan",
    decided: "Datum van de beslissing",
    valid: "Geldig tot en met",
    reviewers: "Beoordeeld door",
    rubric: "Beoordelingsrooster",
    record: "Beoordeling (SHA-256)",
    check: "Iedereen kan deze beslissing nagaan door de berekening opnieuw uit te voeren vanuit het auditbestand: hf-fidelity verify <auditbestand>.",
};

const FR: Words = Words {
    title: "Certificat",
    awarded: "Décerné à",
    decided: "Date de la décision",
    valid: "Valable jusqu'au (inclus)",
    reviewers: "Évalué par",
    rubric: "Grille",
    record: "Évaluation (SHA-256)",
    check: "Chacun peut vérifier cette décision en relançant le calcul à partir du fichier d'audit : hf-fidelity verify <fichier>.",
};

const STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;color:#111;max-width:720px;margin:2rem auto;padding:0 1rem}\
.frame{border:6px double #1d2433;padding:2rem 2.2rem;text-align:center}h1{font-size:2rem;letter-spacing:.08em;margin:.2rem 0}\
.label{font-size:1.15rem;margin:.2rem 0 1.4rem}.project{font-size:1.7rem;font-weight:700;margin:.3rem 0}.place{color:#333;margin:0 0 1.2rem}\
.outcome{display:inline-block;font-size:1.5rem;font-weight:700;letter-spacing:.05em;border:3px solid #111;padding:.4rem 1.2rem;margin:.6rem 0 1.2rem}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;text-align:left;margin:1rem auto;max-width:560px}dt{font-weight:700}dd{margin:0;overflow-wrap:anywhere}\
.check{font-size:.85rem;color:#333;margin-top:1.4rem}code{font-size:.8rem;overflow-wrap:anywhere}\
@page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}.frame{break-inside:avoid}}";

impl CompiledRubric {
    /// Whether outcome `o` is a label: only an external review can reach it (its rules
    /// include an `assessed_by` rule that leaves self-assessments out).
    pub fn is_label_outcome(&self, o: &crate::decision::Outcome) -> bool {
        let Some(ix) = self.rubric().policy.outcomes.iter().position(|x| x.outcome == o.code()) else { return false };
        self.compiled_rules().get(ix).is_some_and(|rules| {
            rules.iter().any(|r| matches!(&r.check, Check::AssessedBy { kinds, .. } if !kinds.contains(&AssessorKind::SelfAssessment)))
        })
    }
}

/// The certificate of `record`'s label in `lang`: one self-contained, printable page with
/// the project, the outcome, the date of the decision and its validity, the reviewers (for a
/// consensus, every reviewer it reconciles), the rubric's id, version and hash, the
/// assessment's hash, and how to check the decision. An outcome that is no label (one a
/// self-assessment can reach, or `incomplete`) has no certificate: that is an error.
pub fn certificate(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> Result<String, Error> {
    let d = &record.decision;
    let l = Labels::of(lang);
    let r = rubric.rubric();
    let outcome = outcome_name(&r.policy, l, lang, &d.outcome);
    if !rubric.is_label_outcome(&d.outcome) {
        return Err(Error::NotALabel { rubric: r.id.clone(), outcome: d.outcome.code().to_owned() });
    }
    let w = match lang {
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::En | Lang::De => &EN,
    };
    let c = crate::text::colon(lang);
    let a = &record.input;
    let mut reviewers: Vec<String> = a.reconciles.iter().map(|x| rubric.assessor_words(&x.assessor, lang)).collect();
    if reviewers.is_empty() {
        reviewers.push(rubric.assessor_words(&a.assessor, lang));
    }
    let mut o = String::new();
    o.push_str(&super::page_start(lang, &format!("{}{c} {} – {}", w.title, r.title.get(lang), a.project.name), &[STYLE]));
    let _ = writeln!(o, "<div class=\"frame\">");
    let _ = writeln!(o, "<h1>{}</h1>\n<p class=\"label\">{}</p>", esc(&w.title.to_uppercase()), esc(r.title.get(lang)));
    let _ = writeln!(o, "<p>{}</p>\n<p class=\"project\" id=\"project\">{}</p>", esc(w.awarded), esc(&a.project.name));
    let place = match &a.project.location {
        Some(loc) => format!("{} · <code>{}</code>", esc(loc), esc(&a.project.id)),
        None => format!("<code>{}</code>", esc(&a.project.id)),
    };
    let _ = writeln!(o, "<p class=\"place\">{place} · {} {}</p>", esc(l.team_model), d.team_model);
    let _ = writeln!(o, "<p><span class=\"outcome\" id=\"outcome\">{}</span></p>", esc(&outcome.to_uppercase()));
    let _ = writeln!(o, "<p>{}</p>", esc(d.message.get(lang)));
    let _ = writeln!(o, "<dl>");
    let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(w.decided), crate::text::date_in(a.date, lang));
    if let Some(until) = d.valid_until {
        let _ = writeln!(o, "<dt>{}</dt><dd id=\"valid-until\">{}</dd>", esc(w.valid), crate::text::date_in(until, lang));
    }
    let _ = writeln!(
        o,
        "<dt>{}</dt><dd>{}</dd>",
        esc(w.reviewers),
        reviewers.iter().map(|x| esc(x).into_owned()).collect::<Vec<_>>().join("<br>")
    );
    let _ = writeln!(
        o,
        "<dt>{}</dt><dd>{} {}<br><code>{}</code></dd>",
        esc(w.rubric),
        esc(&record.rubric.id),
        esc(&record.rubric.version),
        esc(&record.rubric.sha256)
    );
    let _ = writeln!(o, "<dt>{}</dt><dd><code>{}</code></dd>", esc(w.record), esc(&record.assessment.sha256));
    let _ = writeln!(o, "</dl>");
    let _ = writeln!(o, "<p class=\"check\">{}</p>", esc(w.check));
    let _ = writeln!(o, "</div>\n</body>\n</html>");
    Ok(o)
}
