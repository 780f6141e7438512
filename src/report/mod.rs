//! Human-readable renderings of an audit record: plain text, Markdown and HTML, in
//! English, Dutch or French.
//!
//! Every renderer reads the same view of a record (the private `View`), so the formats cannot disagree.

mod certificate;
mod history;
mod html;
pub(crate) mod labels;
mod markdown;
mod network;
mod overview;
mod text;

pub use certificate::certificate;
pub use html::{html, html_with};
pub use markdown::{markdown, markdown_with};
pub use overview::{OverviewRow, overview_html};
pub use text::{text, text_styled, text_with};

use crate::decision::{Outcome, RuleResult};
use crate::engine::CompiledRubric;
use crate::record::AuditRecord;
use crate::shared::SharedStr;
use crate::text::Lang;
use labels::Labels;
use rust_decimal::Decimal;

/// One score row: a domain or a principle.
pub(crate) struct ScoreRow {
    /// The domain's or principle's id.
    pub id: String,
    pub title: String,
    pub rated: u32,
    pub total: usize,
    pub mean: String,
    pub exact: String,
    pub percent: String,
    pub mean_value: Option<Decimal>,
}

/// One evaluated rule, with its numbers as text.
pub(crate) struct RuleRow<'a> {
    pub rule: &'a RuleResult,
    pub outcome: String,
    pub verdict: &'static str,
    pub observed: String,
    /// The threshold, or `-` for a rule without one.
    pub threshold: String,
    /// How far the observation misses the threshold, or empty.
    pub shortfall: String,
    /// What fails the rule, by title (items, domains, principles; for `assessed_by`, who
    /// assessed).
    pub failing: String,
    /// The unanswered items the rule covers, by title.
    pub unanswered: String,
    pub message: &'a str,
}

/// One raise of the improvement plan.
pub(crate) struct RaiseRow {
    pub item: SharedStr,
    pub title: String,
    pub from: u8,
    pub to: u8,
    /// The band to reach, in the report's language.
    pub band: Option<String>,
}

/// One answer's evidence and comment.
/// One item of the report's item section: the answer as the decision read it.
pub(crate) struct ItemRow {
    /// The title of the item's domain, on the first item of each domain.
    pub domain: Option<String>,
    pub item: SharedStr,
    pub title: String,
    /// The level, or what stands for it (not applicable, not answered).
    pub level: String,
    /// The measured value with its unit and the band it falls in, for a measured item.
    pub measured: Option<String>,
    pub evidence: Vec<String>,
    pub comment: Option<String>,
}

/// Everything a report shows, in the report's language.
pub(crate) struct View<'a> {
    pub l: &'static Labels,
    /// The report's language.
    pub lang: Lang,
    /// What the report is called, from the rubric's policy.
    pub heading: &'a str,
    pub rubric_title: &'a str,
    pub assessor: String,
    /// Where the outcome stands in the policy, for colours.
    pub rank: Rank,
    pub outcome_name: String,
    pub message: &'a str,
    pub reaudit: Option<String>,
    /// The last day the outcome holds, where the policy gives it a validity period.
    pub valid_until: Option<String>,
    pub expected_note: Option<String>,
    pub scale: (u8, u8),
    pub items_mean: String,
    pub items_exact: String,
    pub items_percent: String,
    /// The heading of the percentage column, after the rubric's convention.
    pub percent_head: &'static str,
    pub domains_mean: String,
    /// The name of the overall mean the policy judges (mean of items or of domains).
    pub overall_title: &'static str,
    pub domains: Vec<ScoreRow>,
    pub principles: Vec<ScoreRow>,
    pub rules: Vec<RuleRow<'a>>,
    /// `Some(heading)` when there is a plan to show.
    pub plan_heading: String,
    pub raises: Vec<RaiseRow>,
    pub answer: Vec<SharedStr>,
    pub warnings: Vec<(SharedStr, &'a str, String)>,
    /// Every item that applies to the team model, in rubric order.
    pub items: Vec<ItemRow>,
    /// The review period and the project's location, as the heading shows them.
    pub period: Option<String>,
    pub location: Option<String>,
    /// The `min_domain` thresholds of the policy, best outcome first.
    pub domain_thresholds: Vec<(String, Decimal)>,
    /// The colon after a label, as the language writes it.
    pub colon: &'static str,
    /// The items to answer first, by title.
    pub answer_titles: Vec<String>,
    /// The project's self-assessment beside this rating, when the report was asked for one.
    pub own: Option<OwnView>,
    /// The project's admission criteria against the minimum target public: the sentence,
    /// then each finding.
    pub target_public: Option<(&'static str, Vec<String>)>,
    /// The outcome indicators the project reports: title, value with its unit, comment.
    pub outcomes: Vec<(String, String, Option<String>)>,
}

/// The project's self-assessment beside the rating reported on: where the two differ.
pub(crate) struct OwnView {
    /// The self-assessment's outcome, named as the policy names it.
    pub outcome: String,
    /// "Mean difference ... over N items": the label, filled in.
    pub mean_label: String,
    /// The mean difference, in the report's language.
    pub mean: String,
    /// Items whose levels differ: title, id, self-assessed level, this rating's level.
    pub rows: Vec<(String, String, String, String)>,
}

/// What a report may show besides the record.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportExtras<'a> {
    /// The project's self-assessment compared with the rating reported on (`compare(self,
    /// rating)`): the report then shows the project where its view and the reviewers' differ.
    pub self_comparison: Option<&'a crate::review::Comparison>,
}

/// Where an outcome stands in its policy: the colour a report gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rank {
    /// The policy's best outcome.
    Best,
    /// Between the best and the worst.
    Middle,
    /// The policy's worst outcome.
    Worst,
    /// No decision: answers are missing.
    Incomplete,
}

impl Rank {
    /// The CSS class and colour name of the rank.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Rank::Best => "best",
            Rank::Middle => "middle",
            Rank::Worst => "worst",
            Rank::Incomplete => "incomplete",
        }
    }
}

/// The name of outcome `o` in `lang`: the policy's title for it, or the report's word for
/// `incomplete`; an id the policy does not have (a record of another rubric) shows as is.
pub(crate) fn outcome_name(policy: &crate::rubric::model::Policy, l: &Labels, lang: Lang, o: &Outcome) -> String {
    if o.is_incomplete() {
        return l.incomplete.to_owned();
    }
    policy.outcomes.iter().find(|x| x.outcome == o.code()).map_or_else(|| o.code().to_owned(), |x| x.title.get(lang).to_owned())
}

pub(crate) fn rank(policy: &crate::rubric::model::Policy, o: &Outcome) -> Rank {
    let last = policy.outcomes.len().saturating_sub(1);
    match policy.outcomes.iter().position(|x| x.outcome == o.code()) {
        _ if o.is_incomplete() => Rank::Incomplete,
        Some(0) => Rank::Best,
        Some(i) if i == last => Rank::Worst,
        Some(_) => Rank::Middle,
        None => Rank::Incomplete,
    }
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_owned(), |x| x.to_string())
}

/// An optional decimal as `lang` writes it, `-` when absent.
fn num(v: Option<Decimal>, lang: Lang) -> String {
    v.map_or_else(|| "-".to_owned(), |x| crate::text::decimal_in(x, lang))
}

impl<'a> View<'a> {
    pub(crate) fn new(record: &'a AuditRecord, rubric: &'a CompiledRubric, lang: Lang, extras: ReportExtras<'_>) -> View<'a> {
        let l = Labels::of(lang);
        let r = rubric.rubric();
        let d = &record.decision;
        let item_title = |id: &str| rubric.item_title(id, lang);
        let domains = d
            .scores
            .domains
            .iter()
            .map(|g| {
                let spec = r.domains.iter().find(|x| x.id == g.id);
                ScoreRow {
                    id: g.id.to_string(),
                    title: spec.map_or_else(|| g.id.to_string(), |x| x.title.get(lang).to_owned()),
                    rated: g.score.rated,
                    // The items of the domain that apply to the team model judged (an item
                    // for another model is no unrated item of this one).
                    total: d.items.iter().filter(|i| i.domain == g.id && i.status != crate::decision::ItemStatus::OtherModel).count(),
                    mean: num(g.score.mean, lang),
                    exact: opt(&g.score.exact),
                    percent: num(g.score.percent, lang),
                    mean_value: g.score.mean,
                }
            })
            .collect();
        let principles = d
            .scores
            .principles
            .iter()
            .filter(|g| g.score.rated > 0)
            .map(|g| ScoreRow {
                id: g.id.to_string(),
                title: r.principles.iter().find(|p| p.id == g.id).map_or_else(|| g.id.to_string(), |p| p.title.get(lang).to_owned()),
                rated: g.score.rated,
                total: 0,
                mean: num(g.score.mean, lang),
                exact: opt(&g.score.exact),
                percent: num(g.score.percent, lang),
                mean_value: g.score.mean,
            })
            .collect();
        let domain_title = |id: &str| rubric.domain_title(id, lang);
        let principle_title = |id: &str| -> String {
            r.principles.iter().find(|x| x.id == id).map_or_else(|| id.to_owned(), |x| x.title.get(lang).to_owned())
        };
        let colon = crate::text::colon(lang);
        let assessor_words = |kind: crate::assessment::AssessorKind| l.assessor_kind(kind);
        let rules = d
            .rules
            .iter()
            .map(|rule| {
                use crate::rubric::model::RuleKind;
                let failing: Vec<String> = rule
                    .failing
                    .iter()
                    .map(|f| match rule.kind {
                        RuleKind::MinDomain => domain_title(f),
                        RuleKind::MinPrinciple => principle_title(f),
                        RuleKind::AssessedBy => l.rater_code(f),
                        RuleKind::MinOverall | RuleKind::MinLevel | RuleKind::MaxBelow => item_title(f),
                    })
                    .collect();
                let unanswered: Vec<String> = rule.unanswered.iter().map(|x| item_title(x)).collect();
                RuleRow {
                    rule,
                    outcome: outcome_name(&r.policy, l, lang, &rule.outcome),
                    verdict: l.verdict_name(rule.verdict),
                    observed: match (&rule.observed, &rule.observed_exact) {
                        (Some(v), Some(e)) => format!("{} ({e})", crate::text::decimal_in(*v, lang)),
                        (Some(v), None) => crate::text::decimal_in(*v, lang),
                        _ => "-".into(),
                    },
                    threshold: num(rule.threshold, lang),
                    // The gap as the rubric rounds scores; a gap that rounds to nothing
                    // is shown as its exact fraction instead.
                    shortfall: match (rule.shortfall, rule.shortfall_exact) {
                        (Some(x), Some(exact)) if x.is_zero() => exact.to_string(),
                        (Some(x), _) => crate::text::decimal_in(x, lang),
                        (None, _) => String::new(),
                    },
                    failing: failing.join(", "),
                    unanswered: unanswered.join(", "),
                    message: rule.message.get(lang),
                }
            })
            .collect();
        let p = &d.plan;
        let plan_heading = match (&d.outcome, &p.target) {
            // No answer missing: the decision is withheld by a model check (see the warnings).
            (o, _) if o.is_incomplete() && p.answer.is_empty() => l.plan_withheld.to_owned(),
            (o, _) if o.is_incomplete() => labels::fill(l.answer_first, p.answer.len()),
            (_, Some(t)) => {
                let mut h = format!("{}: {} {}", labels::fill(l.plan_to, outcome_name(&r.policy, l, lang, t)), p.total_steps, l.steps);
                if !p.reachable {
                    h.push_str(&format!(" ({})", l.plan_unreachable));
                }
                h
            }
            (_, None) => l.plan_none.to_owned(),
        };
        let raises = p
            .raises
            .iter()
            .map(|x| RaiseRow {
                item: x.item.clone(),
                title: item_title(&x.item),
                from: x.from,
                to: x.to,
                band: x.target_band.as_ref().map(|b| match rubric.band_text(&x.item, &d.team_model, b, lang) {
                    Some((text, unit)) => format!("{text}{}", unit_suffix(rubric, unit, lang)),
                    None => b.to_string(),
                }),
            })
            .collect();
        let warnings = d
            .warnings
            .iter()
            .map(|w| (w.id.clone(), w.message.get(lang), w.items.iter().map(|x| item_title(x)).collect::<Vec<_>>().join(", ")))
            .collect();
        let target_public = d.target_public.as_ref().map(|check| target_view(check, rubric, l, lang));
        let mut last_domain: Option<&str> = None;
        let items = d
            .items
            .iter()
            .filter(|it| it.status != crate::decision::ItemStatus::OtherModel)
            .map(|it| {
                use crate::decision::ItemStatus;
                let resp = record.input.responses.get(it.id.as_str());
                let domain = (last_domain != Some(it.domain.as_str())).then(|| domain_title(&it.domain));
                last_domain = Some(it.domain.as_str());
                let level = match (it.status, it.level) {
                    (ItemStatus::NotApplicable, _) => l.not_applicable.to_owned(),
                    (ItemStatus::Missing, _) => l.unanswered.to_owned(),
                    (_, Some(v)) => v.to_string(),
                    (_, None) => "-".to_owned(),
                };
                let measured = match &it.measured {
                    Some(m) => {
                        let band = match rubric.band_text(&it.id, &d.team_model, &m.band, lang) {
                            Some((text, unit)) => format!("{text}{}", unit_suffix(rubric, unit, lang)),
                            None => m.band.to_string(),
                        };
                        Some(format!("{}{} ({band})", crate::text::decimal_in(m.value, lang), unit_suffix(rubric, &m.unit, lang)))
                    }
                    // A measured item answered with a bare level (where the rubric allows it)
                    // says so, rather than look like an item that measures nothing.
                    None if it.status == ItemStatus::Stated
                        && rubric.item_ix(&it.id).is_some_and(|ix| rubric.is_measured(ix, &d.team_model)) =>
                    {
                        Some(l.level_stated.to_owned())
                    }
                    None => None,
                };
                ItemRow {
                    domain,
                    item: it.id.clone(),
                    title: item_title(&it.id),
                    level,
                    measured,
                    evidence: resp.map(|r| r.evidence.iter().map(|e| l.evidence_text(e)).collect()).unwrap_or_default(),
                    comment: resp.and_then(|r| r.comment.clone()),
                }
            })
            .collect();
        let domain_thresholds = d
            .rules
            .iter()
            .filter(|x| x.kind == crate::rubric::model::RuleKind::MinDomain && x.verdict != crate::decision::Verdict::NotApplicable)
            .filter_map(|x| Some((outcome_name(&r.policy, l, lang, &x.outcome), x.threshold?)))
            .collect();
        let assessor = {
            let a = &record.input.assessor;
            format!("{}{}", assessor_words(a.kind), a.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())
        };
        let answer_titles = p.answer.iter().map(|x| item_title(x)).collect();
        let own = extras.self_comparison.map(|c| {
            let show = |x: Option<u8>| x.map_or_else(|| "-".to_owned(), |x| x.to_string());
            let rows = c.items.iter().filter(|i| i.a != i.b).map(|i| (item_title(&i.id), i.id.clone(), show(i.a), show(i.b))).collect();
            let mean = c.mean_difference.map_or_else(
                || "-".to_owned(),
                |m| match lang {
                    Lang::Nl | Lang::Fr => m.to_string().replace('.', ","),
                    Lang::En | Lang::De => m.to_string(),
                },
            );
            OwnView {
                outcome: outcome_name(&r.policy, l, lang, &c.a.outcome),
                mean_label: labels::fill(l.self_mean, c.compared),
                mean,
                rows,
            }
        });
        View {
            l,
            lang,
            heading: r.policy.heading.get(lang),
            rubric_title: r.title.get(lang),
            assessor,
            rank: rank(&r.policy, &d.outcome),
            outcome_name: outcome_name(&r.policy, l, lang, &d.outcome),
            message: d.message.get(lang),
            reaudit: d.reaudit_months.map(|m| labels::fill(l.reaudit, m)),
            valid_until: d.valid_until.map(|day| labels::fill(l.valid_until, crate::text::date_in(day, lang))),
            expected_note: record
                .input
                .expected_outcome
                .as_ref()
                .filter(|e| **e != d.outcome)
                .map(|e| labels::fill(l.expected, outcome_name(&r.policy, l, lang, e))),
            scale: (r.scale.min, r.scale.max),
            items_mean: num(d.scores.items.mean, lang),
            items_exact: opt(&d.scores.items.exact),
            items_percent: num(d.scores.items.percent, lang),
            percent_head: match r.scale.percent {
                crate::rubric::model::PercentOf::Max => l.percent_of_max,
                crate::rubric::model::PercentOf::Range => l.percent_of_range,
            },
            domains_mean: num(d.scores.mean_of_domains, lang),
            overall_title: match r.policy.overall {
                crate::rubric::model::OverallMeasure::MeanOfItems => l.mean_of_items,
                crate::rubric::model::OverallMeasure::MeanOfDomains => l.mean_of_domains,
            },
            domains,
            principles,
            rules,
            plan_heading,
            raises,
            answer: p.answer.clone(),
            warnings,
            target_public,
            outcomes: outcome_rows(record, rubric, lang),
            items,
            period: record.input.period.as_ref().map(|p| format!("{} – {}", p.from, p.to)),
            location: record.input.project.location.clone(),
            domain_thresholds,
            colon,
            answer_titles,
            own,
        }
    }
}

impl crate::decision::RuleResult {
    /// The code of the outcome the rule belongs to.
    pub fn outcome_code(&self) -> &str {
        self.outcome.code()
    }
}

/// The target-public check in words: whether the criteria were declared and are within the
/// minimum, and each way they are not.
fn target_view(
    check: &crate::target::TargetPublicCheck,
    rubric: &CompiledRubric,
    l: &'static Labels,
    lang: Lang,
) -> (&'static str, Vec<String>) {
    use crate::target::Outside;
    let sentence = match (check.declared, check.outside.is_empty()) {
        (false, _) => l.tp_undeclared,
        (true, true) => l.tp_within,
        (true, false) => l.tp_outside,
    };
    let kind_title = |id: &str| {
        rubric
            .rubric()
            .target_public
            .as_ref()
            .and_then(|t| t.problem_kinds.iter().find(|k| k.id == id))
            .map_or_else(|| id.to_owned(), |k| k.title.get(lang).to_owned())
    };
    let findings = check
        .outside
        .iter()
        .map(|o| match o {
            Outside::Ethos { categories } => labels::fill(l.tp_ethos, categories.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")),
            Outside::Duration { duration } => match duration.within_months {
                Some(w) if w == duration.months => l.tp_last.replace("{m}", &w.to_string()),
                Some(w) => l.tp_window.replace("{m}", &duration.months.to_string()).replace("{w}", &w.to_string()),
                None => l.tp_total.replace("{m}", &duration.months.to_string()),
            },
            Outside::Problems { example } if example.is_empty() => labels::fill(l.tp_problems, l.tp_no_problem),
            Outside::Problems { example } => {
                labels::fill(l.tp_problems, example.iter().map(|k| kind_title(k)).collect::<Vec<_>>().join(" + "))
            }
        })
        .collect();
    (sentence, findings)
}

/// The outcome indicators of `record`'s assessment, in the rubric's order (one the rubric
/// does not define, from a record decided by another version of it, after them by id).
pub(crate) fn outcome_rows(record: &AuditRecord, rubric: &CompiledRubric, lang: Lang) -> Vec<(String, String, Option<String>)> {
    let defined = &rubric.rubric().outcome_indicators;
    let mut ids: Vec<&str> = defined.iter().map(|o| o.id.as_str()).filter(|id| record.input.outcomes.contains_key(*id)).collect();
    ids.extend(record.input.outcomes.keys().map(String::as_str).filter(|id| !defined.iter().any(|o| o.id == *id)));
    ids.into_iter()
        .filter_map(|id| {
            let value = record.input.outcomes.get(id)?;
            let (title, unit) = indicator_words(rubric, id, lang);
            Some((title, format!("{}{unit}", crate::text::decimal_in(value.value, lang)), value.comment.clone()))
        })
        .collect()
}

/// Outcome indicator `id`'s title in `lang` and what follows its figures (its unit), as
/// `rubric` defines it; an indicator it does not define (a record decided by another
/// version of it) is named by its id, without a unit.
pub(crate) fn indicator_words(rubric: &CompiledRubric, id: &str, lang: Lang) -> (String, String) {
    match rubric.rubric().outcome_indicators.iter().find(|o| o.id == id) {
        Some(o) => (o.title.get(lang).to_owned(), unit_suffix(rubric, &o.unit, lang)),
        None => (id.to_owned(), String::new()),
    }
}

/// What follows a number in `unit`, as the rubric names it: `%` right after an English
/// number, ` %` after a Dutch or French one (a space before the sign), ` days`,
/// ` participants per FTE`. A unit the rubric does not declare (a record decided by another
/// version of it) follows as its id.
pub(crate) fn unit_suffix(rubric: &CompiledRubric, unit: &str, lang: Lang) -> String {
    let words = rubric.rubric().units.iter().find(|u| u.id == unit).map_or(unit, |u| u.title.get(lang));
    if words == "%" && matches!(lang, Lang::En | Lang::De) { "%".to_owned() } else { format!(" {words}") }
}

/// The colour of a chart's mark for an outcome's rank (`best`, `middle`, `worst`,
/// `incomplete`; `domain` for a domain chart's points).
pub(crate) fn rank_colour(rank: &str) -> &'static str {
    match rank {
        "best" => "#1f7a3f",
        "middle" => "#b26a00",
        "worst" => "#b3261e",
        "domain" => "#1d2433",
        _ => "#5a6270",
    }
}

/// The start of a self-contained HTML page in `lang`, up to its open `<body>`: the doctype,
/// the character set, the viewport of a phone, the escaped `title`, and `styles` as one
/// style sheet.
pub(crate) fn page_start(lang: Lang, title: &str, styles: &[&str]) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        lang.code(),
        html_escape::encode_text(title),
        styles.concat()
    )
}
