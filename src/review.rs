//! The review: reviewers' ratings, their consensus, and how ratings compare.
//!
//! A label review runs in four steps: the project rates itself; two or three reviewers
//! each rate every item on their own; they agree one rating per item in a consensus
//! meeting; the label is decided on the consensus. This module supports the steps after
//! the ratings exist:
//!
//! - [`reconcile`] drafts the consensus: the items the reviewers agree on are filled in,
//!   the others are left open with every rater's answer side by side;
//! - [`check_consensus`] checks a consensus against the ratings it names (the chain of
//!   SHA-256 hashes, and a note wherever the consensus departs from a reviewer);
//! - [`compare`] sets two ratings of one project side by side;
//! - [`fn@agreement`] measures how far raters agree, within a project and across a network.

use crate::agreement::{self, Agreement, Icc};
use crate::assessment::{Assessment, Evidence, RatingKind, Response};
use crate::decision::Outcome;
use crate::engine::{CompiledRubric, canonical_sha256};
use crate::error::{Error, Problem, ProblemKind};
use crate::text::{Lang, colon, decimal_in};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A rating with the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Rating {
    /// The rating.
    pub assessment: Assessment,
    /// Where it came from (a file name), for messages.
    pub origin: String,
}

impl Rating {
    /// The SHA-256 a consensus names it by: that of its canonical content (the
    /// `assessment.sha256` of its audit record), whatever its file's format.
    pub fn sha256(&self) -> Result<String, Error> {
        canonical_sha256("assessment", &self.assessment)
    }

    /// Who rated, in words: `lab (An Peeters)`.
    pub fn rater(&self) -> String {
        let a = &self.assessment.assessor;
        match &a.name {
            Some(n) => format!("{} ({n})", a.kind.code()),
            None => a.kind.code().to_owned(),
        }
    }
}

/// A problem with the set of ratings given, as a located problem of the named file.
fn bad(origin: &str, path: &str, message: String) -> Error {
    Error::Invalid {
        doc: crate::DocKind::Assessment,
        origin: origin.to_owned(),
        problems: vec![Problem::at(ProblemKind::Answer, path, message)],
    }
}

/// Checks that `ratings` rate the same project with the same rubric version, each by
/// another rater.
pub fn same_review(ratings: &[&Rating]) -> Result<(), Error> {
    same_project(ratings)?;
    distinct_raters(ratings)
}

/// Checks that each of `ratings` is by another rater.
fn distinct_raters(ratings: &[&Rating]) -> Result<(), Error> {
    let mut raters = BTreeMap::new();
    for r in ratings {
        let key = (r.assessment.assessor.kind, r.assessment.assessor.name.clone(), r.assessment.rating_kind());
        if let Some(other) = raters.insert(key, r.origin.clone()) {
            return Err(bad(
                &r.origin,
                "assessor",
                format!("`{other}` is a rating by the same rater ({}): give each rater's rating once", r.rater()),
            ));
        }
    }
    Ok(())
}

/// Checks that `ratings` rate the same project with the same rubric version and team model.
fn same_project(ratings: &[&Rating]) -> Result<(), Error> {
    let Some(first) = ratings.first() else { return Ok(()) };
    let version = |r: &Rating| r.assessment.rubric.as_ref().map(|x| (x.id.clone(), x.version.clone()));
    for r in ratings {
        if r.assessment.project.id != first.assessment.project.id {
            return Err(bad(
                &r.origin,
                "project.id",
                format!(
                    "this rating is of project `{}`, but `{}` rates project `{}`",
                    r.assessment.project.id, first.origin, first.assessment.project.id
                ),
            ));
        }
        if let (Some(a), Some(b)) = (version(r), version(first)) {
            if a != b {
                let show = |(id, v): &(String, Option<String>)| format!("{id} {}", v.as_deref().unwrap_or("(any version)"));
                return Err(bad(
                    &r.origin,
                    "rubric",
                    format!("this rating is for rubric {}, but `{}` is for {}", show(&a), first.origin, show(&b)),
                ));
            }
        }
        if r.assessment.team_model != first.assessment.team_model {
            return Err(bad(
                &r.origin,
                "team_model",
                format!(
                    "this rating judges a {} team, but `{}` judges a {} team",
                    r.assessment.team_model, first.origin, first.assessment.team_model
                ),
            ));
        }
    }
    Ok(())
}

/// One item of two ratings side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemPair {
    /// The item id.
    pub id: String,
    /// The level in the first rating (stated, or from the measured value's band).
    pub a: Option<u8>,
    /// The level in the second rating.
    pub b: Option<u8>,
}

/// Two ratings of one project side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The project.
    pub project: String,
    /// The first rating's rater, kind and outcome.
    pub a: Side,
    /// The second rating's.
    pub b: Side,
    /// Every item rated in at least one of them, in rubric order.
    pub items: Vec<ItemPair>,
    /// Items rated in both.
    pub compared: usize,
    /// Items whose levels differ by exactly one.
    pub differ_by_one: Vec<String>,
    /// Items whose levels differ by two or more.
    pub differ_by_two_or_more: Vec<String>,
    /// The mean of `a - b` over the items rated in both, rounded to two places: positive
    /// when the first rating is the higher one.
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean_difference: Option<Decimal>,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The file.
    pub origin: String,
    /// Who rated: `lab (An Peeters)`.
    pub rater: String,
    /// Who rated, by kind.
    pub assessor: crate::assessment::Assessor,
    /// What kind of rating.
    pub rating: RatingKind,
    /// The outcome it decides.
    pub outcome: Outcome,
}

/// A rating's outcome and the level of every item (id, level) in rubric order.
type Decided = (Outcome, Vec<(String, Option<u8>)>);

/// The levels a rating gives, by item id, as the decision reads them.
fn levels(rubric: &CompiledRubric, r: &Rating) -> Result<Decided, Error> {
    let d = rubric.decide_named(&r.assessment, &r.origin)?;
    Ok((d.outcome.clone(), d.items.iter().map(|i| (i.id.to_string(), i.level)).collect()))
}

/// Sets two ratings of one project side by side: both outcomes, item by item, the items
/// that differ by one and by two or more levels, and the mean difference.
pub fn compare(rubric: &CompiledRubric, a: &Rating, b: &Rating) -> Result<Comparison, Error> {
    // Two ratings by the same rater (two rounds of a self-assessment) compare well.
    same_project(&[a, b])?;
    let (oa, la) = levels(rubric, a)?;
    let (ob, lb) = levels(rubric, b)?;
    let mut items = Vec::new();
    let (mut by_one, mut by_two) = (Vec::new(), Vec::new());
    let (mut sum, mut n) = (0i64, 0i64);
    for ((id, x), (_, y)) in la.into_iter().zip(lb) {
        if x.is_none() && y.is_none() {
            continue;
        }
        if let (Some(x), Some(y)) = (x, y) {
            let d = i64::from(x).checked_sub(i64::from(y)).ok_or(Error::Overflow("a difference of levels"))?;
            sum = sum.checked_add(d).ok_or(Error::Overflow("a difference of levels"))?;
            n = n.checked_add(1).ok_or(Error::Overflow("a count of items"))?;
            match d.unsigned_abs() {
                0 => {}
                1 => by_one.push(id.clone()),
                _ => by_two.push(id.clone()),
            }
        }
        items.push(ItemPair { id, a: x, b: y });
    }
    let mean_difference = agreement::Exact { num: i128::from(sum), den: i128::from(n) };
    let mean_difference = if n > 0 { Some(mean_difference.round(2)?) } else { None };
    let side = |r: &Rating, outcome: Outcome| Side {
        origin: r.origin.clone(),
        rater: r.rater(),
        assessor: r.assessment.assessor.clone(),
        rating: r.assessment.rating_kind(),
        outcome,
    };
    Ok(Comparison {
        project: a.assessment.project.id.clone(),
        a: side(a, oa),
        b: side(b, ob),
        items,
        compared: usize::try_from(n).map_err(|_| Error::Overflow("a count of items"))?,
        differ_by_one: by_one,
        differ_by_two_or_more: by_two,
        mean_difference,
    })
}

/// The words of the review's outputs.
struct Words {
    compare_title: &'static str,
    rater_head: &'static str,
    rating_head: &'static str,
    outcome: &'static str,
    item: &'static str,
    compared: &'static str,
    differ_one: &'static str,
    differ_two: &'static str,
    mean_difference: &'static str,
    none: &'static str,
    draft_head: &'static str,
    draft_agree: &'static str,
    draft_open: &'static str,
    draft_fill: &'static str,
    draft_open_count: &'static str,
    draft_date: &'static str,
    self_assessment: &'static str,
    level: &'static str,
    value: &'static str,
    not_applicable: &'static str,
    unanswered: &'static str,
    evidence: &'static str,
    /// Who rated: the project, the LAB, a peer.
    assessors: [&'static str; 3],
    /// The kinds of rating: self-assessment, review, consensus.
    ratings: [&'static str; 3],
}

const EN: Words = Words {
    compare_title: "Ratings compared",
    rater_head: "rater",
    rating_head: "kind of rating",
    outcome: "outcome",
    item: "item",
    compared: "items rated in both",
    differ_one: "differ by one level",
    differ_two: "differ by two levels or more",
    mean_difference: "mean difference (first minus second)",
    none: "none",
    draft_head: "Consensus draft",
    draft_agree: "the reviewers agree",
    draft_open: "OPEN: the reviewers differ. Agree a level (or value) and say why in `note`.",
    draft_fill: "fill in",
    draft_open_count: "open",
    draft_date: "the day of the consensus meeting",
    self_assessment: "self-assessment",
    level: "level",
    value: "value",
    not_applicable: "not applicable",
    unanswered: "no answer",
    evidence: "evidence",
    assessors: ["project", "LAB", "peer reviewer"],
    ratings: ["self-assessment", "reviewer's rating", "consensus"],
};

const NL: Words = Words {
    compare_title: "Vergelijking van scores",
    rater_head: "beoordelaar",
    rating_head: "soort score",
    outcome: "uitkomst",
    item: "item",
    compared: "items die in beide gescoord zijn",
    differ_one: "verschillen één niveau",
    differ_two: "verschillen twee niveaus of meer",
    mean_difference: "gemiddeld verschil (eerste min tweede)",
    none: "geen",
    draft_head: "Ontwerp van consensus",
    draft_agree: "de beoordelaars zijn het eens",
    draft_open: "OPEN: de beoordelaars verschillen. Spreek een niveau (of waarde) af en motiveer in `note`.",
    draft_fill: "in te vullen",
    draft_open_count: "open",
    draft_date: "de dag van het consensusoverleg",
    self_assessment: "zelfevaluatie",
    level: "niveau",
    value: "waarde",
    not_applicable: "niet van toepassing",
    unanswered: "geen antwoord",
    evidence: "bewijsstukken",
    assessors: ["project", "LAB", "peerbeoordelaar"],
    ratings: ["zelfevaluatie", "score van een beoordelaar", "consensus"],
};

const FR: Words = Words {
    compare_title: "Comparaison des cotations",
    rater_head: "évaluateur",
    rating_head: "type de cotation",
    outcome: "résultat",
    item: "item",
    compared: "items cotés dans les deux",
    differ_one: "diffèrent d'un niveau",
    differ_two: "diffèrent de deux niveaux ou plus",
    mean_difference: "écart moyen (première moins seconde)",
    none: "aucun",
    draft_head: "Projet de consensus",
    draft_agree: "les évaluateurs sont d'accord",
    draft_open: "OUVERT : les évaluateurs divergent. Convenez d'un niveau (ou d'une valeur) et justifiez-le dans `note`.",
    draft_fill: "à compléter",
    draft_open_count: "ouverts",
    draft_date: "le jour de la réunion de consensus",
    self_assessment: "autoévaluation",
    level: "niveau",
    value: "valeur",
    not_applicable: "sans objet",
    unanswered: "pas de réponse",
    evidence: "pièces justificatives",
    assessors: ["projet", "LAB", "évaluateur pair"],
    ratings: ["autoévaluation", "cotation d'un évaluateur", "consensus"],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::En | Lang::De => &EN,
    }
}

impl Words {
    /// Who rated, in words: `LAB (An Peeters)`.
    fn rater(&self, a: &crate::assessment::Assessor) -> String {
        match &a.name {
            Some(n) => format!("{} ({n})", self.assessor(a.kind)),
            None => self.assessor(a.kind).to_owned(),
        }
    }

    fn assessor(&self, kind: crate::assessment::AssessorKind) -> &'static str {
        let [project, lab, peer] = self.assessors;
        match kind {
            crate::assessment::AssessorKind::SelfAssessment => project,
            crate::assessment::AssessorKind::Lab => lab,
            crate::assessment::AssessorKind::Peer => peer,
        }
    }

    fn rating(&self, kind: RatingKind) -> &'static str {
        let [own, review, consensus] = self.ratings;
        match kind {
            RatingKind::SelfAssessment => own,
            RatingKind::Review => review,
            RatingKind::Consensus => consensus,
        }
    }
}

/// Text for a Markdown table cell.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The style of the comparison page: readable on a phone and on paper.
const COMPARE_STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}td.num{text-align:right}tr.one td{background:#fff6d6}tr.two td{background:#ffe0dc;font-weight:bold}thead{display:table-header-group}@media print{tr{break-inside:avoid}}";

impl Comparison {
    /// The comparison as plain text in `lang`, outcomes named as `rubric`'s policy names them.
    pub fn to_text(&self, rubric: &CompiledRubric, lang: Lang) -> String {
        let w = words(lang);
        let l = crate::report::labels::Labels::of(lang);
        let mut o = String::new();
        let colon = colon(lang);
        let _ = writeln!(o, "{} ({})", w.compare_title, self.project);
        for (mark, s) in [("1", &self.a), ("2", &self.b)] {
            let who = w.rater(&s.assessor);
            let outcome = crate::report::outcome_name(&rubric.rubric().policy, l, lang, &s.outcome);
            let _ = writeln!(o, "  {mark}. {who}, {}{colon} {} = {outcome} ({})", w.rating(s.rating), w.outcome, s.origin);
        }
        let _ = writeln!(o, "{}{colon} {}", w.compared, self.compared);
        let list = |ids: &[String]| if ids.is_empty() { w.none.to_owned() } else { ids.join(", ") };
        let _ = writeln!(o, "{}{colon} {}", w.differ_one, list(&self.differ_by_one));
        let _ = writeln!(o, "{}{colon} {}", w.differ_two, list(&self.differ_by_two_or_more));
        let mean = self.mean_difference.map_or_else(|| "-".to_owned(), |d| decimal_in(d, lang));
        let _ = writeln!(o, "{}{colon} {mean}", w.mean_difference);
        let width = self.items.iter().map(|i| i.id.chars().count()).chain([w.item.chars().count()]).max().unwrap_or(0);
        let _ = writeln!(o, "\n{:<width$} {:>3} {:>3}", w.item, "1", "2");
        for i in &self.items {
            let show = |l: Option<u8>| l.map_or_else(|| "-".to_owned(), |l| l.to_string());
            let flag = match (i.a, i.b) {
                (Some(x), Some(y)) if x.abs_diff(y) >= 2 => "  <<",
                (Some(x), Some(y)) if x != y => "  <",
                _ => "",
            };
            let _ = writeln!(o, "{:<width$} {:>3} {:>3}{flag}", i.id, show(i.a), show(i.b));
        }
        o
    }

    /// The comparison as Markdown in `lang`.
    pub fn to_markdown(&self, rubric: &CompiledRubric, lang: Lang) -> String {
        let w = words(lang);
        let l = crate::report::labels::Labels::of(lang);
        let mut o = String::new();
        let heading_colon = colon(lang);
        let _ = writeln!(o, "# {}{heading_colon} {}\n", w.compare_title, self.project);
        let _ = writeln!(o, "| | {} | {} | {} |", w.rater_head, w.rating_head, w.outcome);
        let _ = writeln!(o, "|---|---|---|---|");
        for (mark, s) in [("1", &self.a), ("2", &self.b)] {
            let outcome = crate::report::outcome_name(&rubric.rubric().policy, l, lang, &s.outcome);
            let _ = writeln!(o, "| {mark} | {} | {} | {outcome} |", md(&w.rater(&s.assessor)), w.rating(s.rating));
        }
        let list = |ids: &[String]| {
            if ids.is_empty() { w.none.to_owned() } else { ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ") }
        };
        let mean = self.mean_difference.map_or_else(|| "-".to_owned(), |d| decimal_in(d, lang));
        let colon = colon(lang);
        let _ = writeln!(o, "\n- {}{colon} {}", w.compared, self.compared);
        let _ = writeln!(o, "- {}{colon} {}", w.differ_one, list(&self.differ_by_one));
        let _ = writeln!(o, "- {}{colon} {}", w.differ_two, list(&self.differ_by_two_or_more));
        let _ = writeln!(o, "- {}{colon} {mean}\n", w.mean_difference);
        let _ = writeln!(o, "| {} | 1 | 2 |", w.item);
        let _ = writeln!(o, "|---|---:|---:|");
        for i in &self.items {
            let show = |l: Option<u8>| l.map_or_else(|| "-".to_owned(), |l| l.to_string());
            let strong = |s: String| if i.a != i.b { format!("**{s}**") } else { s };
            let _ = writeln!(o, "| {} (`{}`) | {} | {} |", md(&rubric.item_title(&i.id, lang)), i.id, strong(show(i.a)), strong(show(i.b)));
        }
        o
    }

    /// The comparison as one self-contained HTML page in `lang`.
    pub fn to_html(&self, rubric: &CompiledRubric, lang: Lang) -> String {
        let w = words(lang);
        let l = crate::report::labels::Labels::of(lang);
        let esc = |s: &str| html_escape::encode_text(s).into_owned();
        let mut o = String::new();
        o.push_str(&crate::report::page_start(lang, &format!("{} - {}", w.compare_title, self.project), &[COMPARE_STYLE]));
        let _ = writeln!(
            o,
            "<h1>{}{} <code>{}</code></h1>",
            esc(w.compare_title),
            if lang == Lang::Fr { "&nbsp;:" } else { ":" },
            esc(&self.project)
        );
        let _ = writeln!(
            o,
            "<table>\n<tr><th></th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(w.rater_head),
            esc(w.rating_head),
            esc(w.outcome)
        );
        for (mark, s) in [("1", &self.a), ("2", &self.b)] {
            let outcome = crate::report::outcome_name(&rubric.rubric().policy, l, lang, &s.outcome);
            let _ = writeln!(
                o,
                "<tr><td>{mark}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&w.rater(&s.assessor)),
                esc(w.rating(s.rating)),
                esc(&outcome)
            );
        }
        o.push_str("</table>\n<ul>\n");
        let list = |ids: &[String]| {
            if ids.is_empty() { esc(w.none) } else { ids.iter().map(|i| format!("<code>{}</code>", esc(i))).collect::<Vec<_>>().join(", ") }
        };
        let mean = self.mean_difference.map_or_else(|| "-".to_owned(), |d| decimal_in(d, lang));
        let colon = if lang == Lang::Fr { "&nbsp;:" } else { ":" };
        let _ = writeln!(o, "<li>{}{colon} {}</li>", esc(w.compared), self.compared);
        let _ = writeln!(o, "<li>{}{colon} {}</li>", esc(w.differ_one), list(&self.differ_by_one));
        let _ = writeln!(o, "<li>{}{colon} {}</li>", esc(w.differ_two), list(&self.differ_by_two_or_more));
        let _ = writeln!(o, "<li>{}{colon} {}</li>\n</ul>", esc(w.mean_difference), esc(&mean));
        let _ = writeln!(o, "<table>\n<tr><th>{}</th><th>1</th><th>2</th></tr>", esc(w.item));
        for i in &self.items {
            let show = |l: Option<u8>| l.map_or_else(|| "-".to_owned(), |l| l.to_string());
            let class = match (i.a, i.b) {
                (Some(x), Some(y)) if x.abs_diff(y) >= 2 => " class=\"two\"",
                (Some(x), Some(y)) if x != y => " class=\"one\"",
                _ => "",
            };
            let _ = writeln!(
                o,
                "<tr{class}><td>{} <code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&rubric.item_title(&i.id, lang)),
                esc(&i.id),
                show(i.a),
                show(i.b)
            );
        }
        o.push_str("</table>\n</body>\n</html>\n");
        o
    }
}

/// Checks a consensus against the ratings it reconciles: every rating it names is given
/// and every rating given is named (by SHA-256), they rate its project with its rubric,
/// and wherever its level departs from a reviewer's the item carries a `note`.
pub fn check_consensus(rubric: &CompiledRubric, consensus: &Rating, ratings: &[Rating]) -> Result<(), Error> {
    let c = &consensus.assessment;
    if c.rating_kind() != RatingKind::Consensus {
        return Err(bad(&consensus.origin, "rating", "this is not a consensus (`rating: consensus`)".into()));
    }
    let mut all: Vec<&Rating> = ratings.iter().collect();
    all.push(consensus);
    same_review(&all)?;
    let mut given = BTreeMap::new();
    for r in ratings {
        given.insert(r.sha256()?, r);
    }
    let mut problems = Vec::new();
    let named: BTreeSet<&str> = c.reconciles.iter().map(|r| r.sha256.as_str()).collect();
    for (i, r) in c.reconciles.iter().enumerate() {
        if !given.contains_key(&r.sha256) {
            problems.push(Problem::at(
                ProblemKind::UnknownReference,
                format!("reconciles[{i}]"),
                format!("the consensus names a rating by {} ({}) that is not given", r.assessor.kind.code(), r.sha256),
            ));
        }
    }
    for (sha, r) in &given {
        if !named.contains(sha.as_str()) {
            problems.push(Problem::at(
                ProblemKind::UnknownReference,
                "reconciles",
                format!("the rating `{}` by {} is given but the consensus does not name it (sha256 {sha})", r.origin, r.rater()),
            ));
        }
    }
    let (_, agreed) = levels(rubric, consensus)?;
    for r in ratings.iter().filter(|r| r.assessment.rating_kind() == RatingKind::Review) {
        let (_, theirs) = levels(rubric, r)?;
        for ((id, mine), (_, their)) in agreed.iter().zip(theirs) {
            let noted = c.responses.get(id).and_then(|x| x.note.as_deref()).is_some_and(|n| !n.trim().is_empty());
            if *mine != their && their.is_some() && !noted {
                problems.push(Problem::at(
                    ProblemKind::Answer,
                    format!("responses.{id}.note"),
                    format!(
                        "the consensus level ({}) differs from {}'s ({}): say why in a `note`",
                        mine.map_or_else(|| "none".to_owned(), |l| l.to_string()),
                        r.rater(),
                        their.map_or_else(|| "none".to_owned(), |l| l.to_string())
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { doc: crate::DocKind::Assessment, origin: consensus.origin.clone(), problems })
    }
}

/// A YAML scalar for `s`: a double-quoted string (JSON's quoting is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// One rater's answer in words, for the side-by-side comments of an open item.
fn answer_words(r: Option<&Response>, level: Option<u8>, w: &Words, lang: Lang) -> String {
    let Some(r) = r else { return w.unanswered.to_owned() };
    if r.not_applicable {
        return w.not_applicable.to_owned();
    }
    let mut out = match (r.value, level) {
        (Some(v), Some(l)) => format!("{} {v} ({} {l})", w.value, w.level),
        (Some(v), None) => format!("{} {v}", w.value),
        (None, Some(l)) => format!("{} {l}", w.level),
        (None, None) => w.unanswered.to_owned(),
    };
    let labels = crate::report::labels::Labels::of(lang);
    let evidence: Vec<String> = r.evidence.iter().map(|e| labels.evidence_text(e)).collect();
    if !evidence.is_empty() {
        let colon = colon(lang);
        out.push_str(&format!("; {}{colon} {}", w.evidence, evidence.join(" | ")));
    }
    if let Some(c) = &r.comment {
        out.push_str(&format!("; \"{c}\""));
    }
    out.replace('\n', " ")
}

/// Writes one piece of evidence as a YAML list entry.
pub(crate) fn evidence_yaml(e: &Evidence) -> String {
    match e {
        Evidence::Text(t) => quoted(t),
        Evidence::Typed(t) => {
            let mut parts = vec![format!("kind: {}", t.kind.code())];
            if let Some(c) = t.count {
                parts.push(format!("count: {c}"));
            }
            if let Some(r) = &t.role {
                parts.push(format!("role: {}", quoted(r)));
            }
            if let Some(n) = &t.note {
                parts.push(format!("note: {}", quoted(n)));
            }
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Drafts the consensus of `reviews` (two or more reviewers' ratings of one project), with
/// the project's self-assessment beside them when given, as YAML with comments in `lang`.
///
/// Items where every reviewer gives the same answer (the same level, the same measured
/// value, or not applicable) are filled in, with their evidence together. Items where they
/// differ are left open, with every rater's answer side by side in comments: nothing is
/// decided for the meeting. The draft names the ratings it reconciles by SHA-256; it reads
/// as an assessment (incomplete until the open items are filled in).
pub fn reconcile(rubric: &CompiledRubric, reviews: &[Rating], self_assessment: Option<&Rating>, lang: Lang) -> Result<String, Error> {
    let w = words(lang);
    let Some(first) = reviews.first() else {
        return Err(Error::Internal("reconcile was called without ratings"));
    };
    for r in reviews {
        if r.assessment.rating_kind() != RatingKind::Review {
            return Err(bad(
                &r.origin,
                "rating",
                format!("a consensus reconciles reviewers' ratings, and this is a {}", r.assessment.rating_kind().code().replace('_', " ")),
            ));
        }
    }
    if reviews.len() < 2 {
        return Err(bad(&first.origin, "", "a consensus reconciles the ratings of two reviewers or more: give at least two".into()));
    }
    let mut all: Vec<&Rating> = reviews.iter().collect();
    if let Some(s) = self_assessment {
        if s.assessment.rating_kind() != RatingKind::SelfAssessment {
            return Err(bad(&s.origin, "rating", "`--self` takes the project's self-assessment".into()));
        }
        all.push(s);
    }
    same_review(&all)?;
    let decided: Vec<Decided> = reviews.iter().map(|r| levels(rubric, r)).collect::<Result<_, _>>()?;
    let own = self_assessment.map(|s| levels(rubric, s)).transpose()?;
    let a = &first.assessment;
    let mut o = String::new();
    let (open_count, total) = {
        let mut open = 0usize;
        let mut total = 0usize;
        for id in rubric.item_ids() {
            let answers: Vec<Option<&Response>> = reviews.iter().map(|r| r.assessment.responses.get(id)).collect();
            if answers.iter().all(Option::is_none) {
                continue;
            }
            total = total.saturating_add(1);
            if !agree(&answers) {
                open = open.saturating_add(1);
            }
        }
        (open, total)
    };
    let _ = writeln!(o, "# {} — {} ({}), {} {}", w.draft_head, a.project.name, a.project.id, rubric.rubric().id, rubric.rubric().version);
    let colon = colon(lang);
    let _ = writeln!(o, "# {}{colon} {}/{total}; {open_count} {}.", w.draft_agree, total.saturating_sub(open_count), w.draft_open_count);
    let _ = writeln!(o, "format: {}", crate::assessment::ASSESSMENT_FORMAT);
    let _ = write!(o, "project: {{id: {}, name: {}", quoted(&a.project.id), quoted(&a.project.name));
    if let Some(l) = &a.project.location {
        let _ = write!(o, ", location: {}", quoted(l));
    }
    let _ = writeln!(o, "}}");
    // The version the ratings name (they all name the same one, or none): the consensus
    // must name it too. It may be an older version the rubric declares compatible.
    let version = a.rubric.as_ref().and_then(|r| r.version.as_deref()).unwrap_or(&rubric.rubric().version);
    let _ = writeln!(o, "rubric: {{id: {}, version: {}}}", quoted(&rubric.rubric().id), quoted(version));
    let _ = writeln!(o, "team_model: {}", a.team_model.code());
    let latest = reviews.iter().map(|r| r.assessment.date).max().unwrap_or(a.date);
    let _ = writeln!(o, "date: {latest}  # {}", w.draft_date);
    if let Some(p) = &a.period {
        let _ = writeln!(o, "period: {{from: {}, to: {}}}", p.from, p.to);
    }
    let names: Vec<String> = reviews.iter().filter_map(|r| r.assessment.assessor.name.clone()).collect();
    let kind = if reviews.iter().any(|r| r.assessment.assessor.kind == crate::assessment::AssessorKind::Lab) { "lab" } else { "peer" };
    let _ = writeln!(o, "assessor: {{kind: {kind}, name: {}}}", quoted(&names.join(", ")));
    let _ = writeln!(o, "rating: consensus");
    let _ = writeln!(o, "reconciles:");
    for r in reviews {
        let _ = write!(o, "  - sha256: {}\n    assessor: {{kind: {}", r.sha256()?, r.assessment.assessor.kind.code());
        if let Some(n) = &r.assessment.assessor.name {
            let _ = write!(o, ", name: {}", quoted(n));
        }
        let _ = writeln!(o, "}}");
    }
    let _ = writeln!(o, "responses:");
    for (ix, id) in rubric.item_ids().enumerate() {
        let answers: Vec<Option<&Response>> = reviews.iter().map(|r| r.assessment.responses.get(id)).collect();
        if answers.iter().all(Option::is_none) {
            continue;
        }
        let _ = writeln!(o, "  {id}:");
        let level_of = |d: &Decided| d.1.get(ix).and_then(|x| x.1);
        if agree(&answers) {
            let Some(Some(r)) = answers.first() else { continue };
            if r.not_applicable {
                let _ = writeln!(o, "    not_applicable: true");
                if let Some(j) = answers.iter().flatten().find_map(|x| x.justification.as_ref()) {
                    let _ = writeln!(o, "    justification: {}", quoted(j));
                }
            } else if let Some(v) = r.value {
                let _ = writeln!(o, "    value: {v}  # {}", w.draft_agree);
            } else if let Some(l) = r.level {
                let _ = writeln!(o, "    level: {l}  # {}", w.draft_agree);
            }
            let mut seen = Vec::new();
            for e in answers.iter().flatten().flat_map(|x| x.evidence.iter()) {
                if !seen.contains(&e) {
                    seen.push(e);
                }
            }
            if !seen.is_empty() {
                let _ = writeln!(o, "    evidence:");
                for e in seen {
                    let _ = writeln!(o, "      - {}", evidence_yaml(e));
                }
            }
        } else {
            let _ = writeln!(o, "    # {}", w.draft_open);
            for ((r, answer), d) in reviews.iter().zip(&answers).zip(&decided) {
                let who = w.rater(&r.assessment.assessor);
                let _ = writeln!(o, "    #   {who}{colon} {}", answer_words(*answer, level_of(d), w, lang));
            }
            if let (Some(s), Some(d)) = (self_assessment, &own) {
                let _ = writeln!(
                    o,
                    "    #   {}{colon} {}",
                    w.self_assessment,
                    answer_words(s.assessment.responses.get(id), level_of(d), w, lang)
                );
            }
            let _ = writeln!(o, "    level:  # {}", w.draft_fill);
            let _ = writeln!(o, "    note: \"\"  # {}", w.draft_fill);
        }
    }
    Ok(o)
}

/// Whether every reviewer gives the same answer: all answered, and the same level, value
/// or not-applicable.
fn agree(answers: &[Option<&Response>]) -> bool {
    let Some(Some(first)) = answers.first() else { return false };
    answers.iter().all(|a| a.is_some_and(|a| a.not_applicable == first.not_applicable && a.level == first.level && a.value == first.value))
}

/// Agreement between the raters of one project, or across a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectAgreement {
    /// The project.
    pub project: String,
    /// The raters, in the order of the ICC's columns.
    pub raters: Vec<String>,
    /// Exact and within-one agreement over the items rated by at least two raters.
    pub agreement: Agreement,
    /// The six ICCs over the items rated by every rater (targets: items; raters: columns).
    pub icc: Option<Icc>,
    /// Quadratic-weighted kappa per pair of raters, over the items both rated.
    pub kappa: Vec<PairKappa>,
}

/// Kappa between two raters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairKappa {
    /// The first rater.
    pub a: String,
    /// The second rater.
    pub b: String,
    /// Items both rated.
    pub items: usize,
    /// Cohen's kappa with quadratic weights, rounded to three places.
    #[serde(with = "crate::decimal::opt_dec")]
    pub kappa: Option<Decimal>,
}

/// Agreement of one item across a network's projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemAgreement {
    /// The item.
    pub item: String,
    /// Exact and within-one agreement over the projects where two raters or more rated it.
    pub agreement: Agreement,
}

/// Agreement across a set of ratings: per project, per item, and pooled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementReport {
    /// Per project with two raters or more.
    pub projects: Vec<ProjectAgreement>,
    /// Per item across projects.
    pub items: Vec<ItemAgreement>,
    /// All (project, item) units together.
    pub overall: Agreement,
    /// The six ICCs over every (project, item) unit rated by the same number of raters as
    /// most projects have (raters in the order given within each project).
    pub network_icc: Option<Icc>,
    /// Self-assessments against the consensus, for the projects that have both.
    pub self_vs_consensus: SelfVsConsensus,
}

/// How projects' own view differs from the reviewers' consensus, across a network: which
/// items projects misjudge most, and which projects to visit first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfVsConsensus {
    /// Per item: in how many projects the two were compared, and in how many they differ.
    pub items: Vec<ItemDifference>,
    /// Per project (its latest self-assessment against its latest consensus), the projects
    /// whose self-assessment is furthest from the consensus first.
    pub projects: Vec<ProjectDifference>,
}

/// How often one item's self-assessed level differs from the consensus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDifference {
    /// The item.
    pub item: String,
    /// Projects where both rate it.
    pub compared: usize,
    /// Projects where the levels differ.
    pub differ: usize,
    /// Projects where the self-assessment is the higher.
    pub self_higher: usize,
}

/// One project's self-assessment against its consensus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectDifference {
    /// The project.
    pub project: String,
    /// The self-assessment's file.
    pub self_assessment: String,
    /// The consensus's file.
    pub consensus: String,
    /// Items rated in both.
    pub compared: usize,
    /// Items whose levels differ.
    pub differ: usize,
    /// The mean of self minus consensus, rounded to two places (positive: the project rates
    /// itself higher).
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean_difference: Option<Decimal>,
    /// The mean absolute difference, rounded to two places: what orders the list.
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean_absolute_difference: Option<Decimal>,
}

/// The latest rating of `kind` for each project, by date (the later file on a tie).
fn latest(ratings: &[Rating], kind: RatingKind) -> BTreeMap<&str, &Rating> {
    let mut out: BTreeMap<&str, &Rating> = BTreeMap::new();
    for r in ratings.iter().filter(|r| r.assessment.rating_kind() == kind) {
        let slot = out.entry(r.assessment.project.id.as_str()).or_insert(r);
        if r.assessment.date >= slot.assessment.date {
            *slot = r;
        }
    }
    out
}

/// Self-assessments against the consensus across the projects that have both.
fn self_vs_consensus(rubric: &CompiledRubric, ratings: &[Rating]) -> Result<SelfVsConsensus, Error> {
    let own = latest(ratings, RatingKind::SelfAssessment);
    let agreed = latest(ratings, RatingKind::Consensus);
    let ids: Vec<&str> = rubric.item_ids().collect();
    let mut items: Vec<ItemDifference> =
        ids.iter().map(|id| ItemDifference { item: (*id).to_owned(), compared: 0, differ: 0, self_higher: 0 }).collect();
    let mut projects = Vec::new();
    let overflow = || Error::Overflow("a count of items");
    for (project, c) in &agreed {
        let Some(s) = own.get(project) else { continue };
        let comparison = compare(rubric, s, c)?;
        let (mut abs_sum, mut differ) = (0i128, 0usize);
        for pair in &comparison.items {
            let (Some(x), Some(y)) = (pair.a, pair.b) else { continue };
            let Some(row) = items.iter_mut().find(|i| i.item == pair.id) else { continue };
            row.compared = row.compared.checked_add(1).ok_or_else(overflow)?;
            if x != y {
                row.differ = row.differ.checked_add(1).ok_or_else(overflow)?;
                differ = differ.checked_add(1).ok_or_else(overflow)?;
            }
            if x > y {
                row.self_higher = row.self_higher.checked_add(1).ok_or_else(overflow)?;
            }
            abs_sum = abs_sum.checked_add(i128::from(x.abs_diff(y))).ok_or_else(overflow)?;
        }
        let n = i128::try_from(comparison.compared).map_err(|_| overflow())?;
        let mean_absolute_difference = if n > 0 { Some(agreement::Exact { num: abs_sum, den: n }.round(2)?) } else { None };
        projects.push(ProjectDifference {
            project: (*project).to_owned(),
            self_assessment: s.origin.clone(),
            consensus: c.origin.clone(),
            compared: comparison.compared,
            differ,
            mean_difference: comparison.mean_difference,
            mean_absolute_difference,
        });
    }
    items.retain(|i| i.compared > 0);
    projects.sort_by(|a, b| b.mean_absolute_difference.cmp(&a.mean_absolute_difference).then_with(|| a.project.cmp(&b.project)));
    Ok(SelfVsConsensus { items, projects })
}

/// Agreement statistics between the reviewers of the same projects (`ratings` of one or
/// several projects). Only reviewers' own ratings count: a consensus is not an independent
/// rater, and a self-assessment is compared with the consensus by [`compare`].
pub fn agreement(rubric: &CompiledRubric, ratings: &[Rating]) -> Result<AgreementReport, Error> {
    let mut by_project: BTreeMap<&str, Vec<&Rating>> = BTreeMap::new();
    for r in ratings.iter().filter(|r| r.assessment.rating_kind() == RatingKind::Review) {
        by_project.entry(r.assessment.project.id.as_str()).or_default().push(r);
    }
    let ids: Vec<&str> = rubric.item_ids().collect();
    let mut projects = Vec::new();
    let mut per_item: Vec<Vec<Vec<u8>>> = vec![Vec::new(); ids.len()];
    let mut pooled: Vec<Vec<u8>> = Vec::new();
    let mut units_by_k: BTreeMap<usize, Vec<Vec<u8>>> = BTreeMap::new();
    for (project, rs) in &by_project {
        same_review(rs)?;
        if rs.len() < 2 {
            continue;
        }
        let decided: Vec<Vec<Option<u8>>> =
            rs.iter().map(|r| levels(rubric, r).map(|(_, l)| l.into_iter().map(|x| x.1).collect())).collect::<Result<_, _>>()?;
        let mut rows = Vec::new();
        let mut complete = Vec::new();
        for (ix, slot) in per_item.iter_mut().enumerate() {
            let row: Vec<u8> = decided.iter().filter_map(|d| d.get(ix).copied().flatten()).collect();
            if row.len() == rs.len() {
                complete.push(row.clone());
            }
            if row.len() >= 2 {
                slot.push(row.clone());
                rows.push(row);
            }
        }
        pooled.extend(rows.iter().cloned());
        units_by_k.entry(rs.len()).or_default().extend(complete.iter().cloned());
        let mut kappa = Vec::new();
        for (i, a) in rs.iter().enumerate() {
            for (j, b) in rs.iter().enumerate().skip(i.saturating_add(1)) {
                let (Some(da), Some(db)) = (decided.get(i), decided.get(j)) else { continue };
                let pairs: Vec<(u8, u8)> = da.iter().zip(db).filter_map(|(x, y)| Some(((*x)?, (*y)?))).collect();
                kappa.push(PairKappa { a: a.rater(), b: b.rater(), items: pairs.len(), kappa: agreement::weighted_kappa(&pairs, 3)? });
            }
        }
        projects.push(ProjectAgreement {
            project: (*project).to_owned(),
            raters: rs.iter().map(|r| r.rater()).collect(),
            agreement: agreement::agreement(&rows, 3)?,
            icc: agreement::icc(&complete, 3)?,
            kappa,
        });
    }
    let items = ids
        .iter()
        .zip(&per_item)
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(id, rows)| Ok(ItemAgreement { item: (*id).to_owned(), agreement: agreement::agreement(rows, 3)? }))
        .collect::<Result<Vec<_>, Error>>()?;
    let network_icc = match units_by_k.iter().max_by_key(|(_, units)| units.len()) {
        Some((_, units)) => agreement::icc(units, 3)?,
        None => None,
    };
    let self_vs_consensus = self_vs_consensus(rubric, ratings)?;
    Ok(AgreementReport { projects, items, overall: agreement::agreement(&pooled, 3)?, network_icc, self_vs_consensus })
}

impl AgreementReport {
    /// The report as plain text (English: the statistics' names are the literature's).
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let share = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
        let icc_line = |icc: &Option<Icc>| match icc {
            None => "ICC: not enough complete ratings (two items or more, rated by every rater)".to_owned(),
            Some(i) => {
                let forms: Vec<String> = i.icc.iter().map(|(k, v)| format!("({k}) {}", share(*v))).collect();
                format!("ICC over {} targets x {} raters: {}", i.targets, i.raters, forms.join("  "))
            }
        };
        let _ = writeln!(
            o,
            "Overall: {} units; exact agreement {} ({}), within one level {} ({})",
            self.overall.targets,
            self.overall.exact,
            share(self.overall.exact_share),
            self.overall.within_one,
            share(self.overall.within_one_share)
        );
        let _ = writeln!(o, "Network {}", icc_line(&self.network_icc));
        for p in &self.projects {
            let _ = writeln!(o, "\n{} ({} raters: {})", p.project, p.raters.len(), p.raters.join(", "));
            let _ = writeln!(
                o,
                "  exact agreement {}/{} ({}), within one {}/{} ({})",
                p.agreement.exact,
                p.agreement.targets,
                share(p.agreement.exact_share),
                p.agreement.within_one,
                p.agreement.targets,
                share(p.agreement.within_one_share)
            );
            let _ = writeln!(o, "  {}", icc_line(&p.icc));
            for k in &p.kappa {
                let _ = writeln!(o, "  weighted kappa {} vs {}: {} over {} items", k.a, k.b, share(k.kappa), k.items);
            }
        }
        let sc = &self.self_vs_consensus;
        if !sc.projects.is_empty() {
            let _ = writeln!(
                o,
                "\nSelf-assessment against consensus, furthest first (mean |self - consensus|, mean self - consensus, items that differ):"
            );
            for p in &sc.projects {
                let _ = writeln!(
                    o,
                    "  {:<28} {}  {}  {}/{}",
                    p.project,
                    share(p.mean_absolute_difference),
                    share(p.mean_difference),
                    p.differ,
                    p.compared
                );
            }
            let _ = writeln!(o, "Items where self-assessment and consensus differ (projects that differ / compared, self higher):");
            for i in sc.items.iter().filter(|i| i.differ > 0) {
                let _ = writeln!(o, "  {:<28} {}/{}, {} higher", i.item, i.differ, i.compared, i.self_higher);
            }
        }
        let _ = writeln!(o, "\nPer item (projects with two raters or more): exact / within one");
        for i in &self.items {
            let _ = writeln!(
                o,
                "  {:<28} {}/{} ({})  {}/{} ({})",
                i.item,
                i.agreement.exact,
                i.agreement.targets,
                share(i.agreement.exact_share),
                i.agreement.within_one,
                i.agreement.targets,
                share(i.agreement.within_one_share)
            );
        }
        o
    }
}
