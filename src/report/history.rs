//! A project's history as text, as Markdown and as one HTML page with trend charts: the
//! overall score per round against the policy's thresholds, a small chart per domain, and
//! the label's validity over time, so a lapse shows as a gap.
//!
//! The three formats say the same things from one set of words ([`Words`]); only the
//! layout differs.

use super::labels::{HistoryLabels, Labels};
use crate::decision::Outcome;
use crate::history::{Comparison, History, HistoryWarning, ItemLevel, Move, Reshaped, Round};
use crate::rubric::model::RuleKind;
use crate::text::{Lang, capitalised, colon, date_in, decimal_in};
use crate::{CompiledRubric, Date};
use html_escape::encode_text as esc;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// What every format says, in one language: the names of outcomes, items and domains (from
/// the latest round's rubric when known, else their ids), and the sentences of moves and
/// warnings.
struct Words<'a> {
    l: &'static HistoryLabels,
    r: &'static Labels,
    lang: Lang,
    c: &'static str,
    rubric: Option<&'a CompiledRubric>,
}

/// One line of a move: the item's name (with its earlier id when renamed), the levels
/// before and after, and the change.
struct MoveWords {
    item: String,
    before: String,
    after: String,
    change: String,
}

impl<'a> Words<'a> {
    fn new(lang: Lang, rubric: Option<&'a CompiledRubric>) -> Self {
        Words { l: HistoryLabels::of(lang), r: Labels::of(lang), lang, c: colon(lang), rubric }
    }

    fn outcome(&self, o: &Outcome) -> String {
        match self.rubric {
            Some(r) => r.outcome_title(o, self.lang),
            None => o.code().to_owned(),
        }
    }

    /// The outcome's place in the policy (`best`, `middle`, `worst`, `incomplete`), for the
    /// badge colour; `none` where no rubric says.
    fn rank(&self, o: &Outcome) -> &'static str {
        self.rubric.map_or("none", |r| r.outcome_rank(o))
    }

    fn item(&self, id: &str) -> String {
        self.rubric.map_or_else(|| id.to_owned(), |r| r.item_title(id, self.lang))
    }

    fn domain(&self, id: &str) -> String {
        self.rubric.map_or_else(|| id.to_owned(), |r| r.domain_title(id, self.lang))
    }

    fn number(&self, d: Option<Decimal>) -> String {
        d.map_or_else(|| "-".to_owned(), |d| decimal_in(d, self.lang))
    }

    fn date(&self, d: Date) -> String {
        date_in(d, self.lang)
    }

    fn level(x: Option<u8>) -> String {
        x.map_or_else(|| "-".to_owned(), |x| x.to_string())
    }

    fn round_head(&self, r: &Round) -> String {
        format!("{} ({}, {} {})", self.date(r.date), self.r.assessor_kind(r.assessor), r.rubric.0, r.rubric.1)
    }

    fn moved(&self, m: &Move) -> MoveWords {
        let was = m.was.as_ref().map(|w| format!(" ({} {w})", self.l.was)).unwrap_or_default();
        MoveWords {
            item: format!("{}{was}", self.item(&m.item)),
            before: Self::level(m.before),
            after: Self::level(m.after),
            change: m.delta().map(|d| format!("{d:+}")).unwrap_or_default(),
        }
    }

    /// What a mapping made of some items, and the items with their levels on each side.
    fn reshaped(&self, r: &Reshaped) -> (&'static str, String) {
        let items = |list: &[ItemLevel]| {
            list.iter().map(|i| format!("{} ({})", self.item(&i.id), Self::level(i.level))).collect::<Vec<_>>().join(", ")
        };
        let both = match (r.before.is_empty(), r.after.is_empty()) {
            (false, false) => format!("{} -> {}", items(&r.before), items(&r.after)),
            (true, _) => items(&r.after),
            (false, true) => items(&r.before),
        };
        (self.l.reshape(r.kind), both)
    }

    fn not_comparable(&self, before: &str, after: &str) -> String {
        self.l.not_comparable.replacen("{}", before, 1).replacen("{}", after, 1)
    }

    fn mapped(&self, from: &str) -> String {
        self.l.mapped.replacen("{}", from, 1)
    }

    fn warning(&self, w: &HistoryWarning) -> String {
        match w {
            HistoryWarning::Lapsed { round, outcome, valid_until, next: Some(n) } => self
                .l
                .lapsed_before
                .replacen("{}", &self.outcome(outcome), 1)
                .replacen("{}", &self.date(*round), 1)
                .replacen("{}", &self.date(*valid_until), 1)
                .replacen("{}", &self.date(*n), 1),
            HistoryWarning::Lapsed { round, outcome, valid_until, next: None } => self
                .l
                .lapsed
                .replacen("{}", &self.outcome(outcome), 1)
                .replacen("{}", &self.date(*round), 1)
                .replacen("{}", &self.date(*valid_until), 1),
            HistoryWarning::ReauditOverdue { round, due } => {
                self.l.overdue.replacen("{}", &self.date(*round), 1).replacen("{}", &self.date(*due), 1)
            }
        }
    }

    fn warnings_head(&self, h: &History) -> String {
        format!("{} ({} {})", self.l.warnings, self.l.as_of, self.date(h.as_of))
    }

    /// The domains of any round, in the order they first appear.
    fn domain_ids(h: &History) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for g in h.rounds.iter().flat_map(|r| &r.domains) {
            if !ids.contains(&g.id.as_ref()) {
                ids.push(&g.id);
            }
        }
        ids
    }

    /// The outcome indicators any round reports, in the rubric's order (then any other by
    /// id), with their titles.
    fn indicators(&self, h: &History) -> Vec<(String, String)> {
        let defined = self.rubric.map(|r| r.rubric().outcome_indicators.as_slice()).unwrap_or_default();
        let reported = |id: &str| h.rounds.iter().any(|r| r.outcomes.contains_key(id));
        let mut out: Vec<(String, String)> =
            defined.iter().filter(|o| reported(&o.id)).map(|o| (o.id.clone(), o.title.get(self.lang).to_owned())).collect();
        let mut others: Vec<&String> =
            h.rounds.iter().flat_map(|r| r.outcomes.keys()).filter(|id| !defined.iter().any(|o| o.id == **id)).collect();
        others.sort();
        others.dedup();
        out.extend(others.into_iter().map(|id| (id.clone(), id.clone())));
        out
    }

    /// A round's figure for indicator `id`, with its unit, or `-`.
    fn indicator_value(&self, r: &Round, id: &str) -> String {
        let Some(v) = r.outcomes.get(id) else { return "-".to_owned() };
        let unit = self.rubric.map(|x| super::indicator_words(x, id, self.lang).1).unwrap_or_default();
        format!("{}{unit}", decimal_in(*v, self.lang))
    }
}

impl History {
    /// The history as text in `lang` (outcome, item and domain titles from `rubric`, the
    /// latest round's, when given; ids otherwise).
    pub fn to_text(&self, lang: Lang, rubric: Option<&CompiledRubric>) -> String {
        let w = Words::new(lang, rubric);
        let (l, c) = (w.l, w.c);
        let mut s = String::new();
        let _ = writeln!(s, "{} {} ({}){c} {} {}", l.heading, self.name, self.project, self.rounds.len(), l.rounds);
        let indicators = w.indicators(self);
        for r in &self.rounds {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}", w.round_head(r));
            let _ = writeln!(s, "  {}{c} {}", l.outcome, w.outcome(&r.outcome));
            if let Some(u) = r.valid_until {
                let _ = writeln!(s, "  {}{c} {}", l.valid_until, w.date(u));
            }
            if let Some(d) = r.reaudit_by {
                let _ = writeln!(s, "  {}{c} {}", l.reaudit_by, w.date(d));
            }
            let _ = writeln!(s, "  {}{c} {}", l.overall, w.number(r.overall));
            let _ = writeln!(s, "  {}{c}", l.domains);
            for g in &r.domains {
                let _ = writeln!(s, "    {}{c} {}", w.domain(&g.id), w.number(g.mean));
            }
            let reported: Vec<&(String, String)> = indicators.iter().filter(|(id, _)| r.outcomes.contains_key(id)).collect();
            if !reported.is_empty() {
                let _ = writeln!(s, "  {}{c}", w.r.outcome_indicators);
                for (id, title) in reported {
                    let _ = writeln!(s, "    {title}{c} {}", w.indicator_value(r, id));
                }
            }
            let line = |m: &Move| {
                let m = w.moved(m);
                let change = if m.change.is_empty() { String::new() } else { format!(" ({})", m.change) };
                format!("{} {} -> {}{change}", m.item, m.before, m.after)
            };
            match &r.since_previous {
                None => {}
                Some(Comparison::Compared { mapped_from, moved, corrected, reshaped }) => {
                    if let Some(v) = mapped_from {
                        let _ = writeln!(s, "  {}", w.mapped(v));
                    }
                    if moved.is_empty() {
                        let _ = writeln!(s, "  {}", l.none_moved);
                    } else {
                        let _ = writeln!(s, "  {}{c}", l.moved);
                        for m in moved {
                            let _ = writeln!(s, "    {}", line(m));
                        }
                    }
                    if !corrected.is_empty() {
                        let _ = writeln!(s, "  {}{c}", l.corrected);
                        for m in corrected {
                            let _ = writeln!(s, "    {}{c} {}", line(m), m.correction.as_deref().unwrap_or_default());
                        }
                    }
                    if !reshaped.is_empty() {
                        let _ = writeln!(s, "  {}{c}", l.reshaped);
                        for x in reshaped {
                            let (kind, items) = w.reshaped(x);
                            let _ = writeln!(s, "    {kind}{c} {items}");
                        }
                    }
                }
                Some(Comparison::NotComparable { before, after }) => {
                    let _ = writeln!(s, "  {}", w.not_comparable(before, after));
                }
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}{c}", w.warnings_head(self));
            for x in &self.warnings {
                let _ = writeln!(s, "- {}", w.warning(x));
            }
        }
        s
    }

    /// The history as Markdown in `lang`: the rounds, the domain means and outcome
    /// indicators round by round, what moved in each round, and the warnings.
    pub fn to_markdown(&self, lang: Lang, rubric: Option<&CompiledRubric>) -> String {
        use super::markdown::cell;
        let w = Words::new(lang, rubric);
        let (l, r, c) = (w.l, w.r, w.c);
        let mut s = String::new();
        let _ = writeln!(s, "# {} {} (`{}`){c} {} {}\n", l.heading, cell(&self.name), self.project, self.rounds.len(), l.rounds);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.date, r.assessor, r.rubric, l.outcome, l.valid_until, l.reaudit_by, l.overall
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---:|");
        for x in &self.rounds {
            let opt = |d: Option<Date>| d.map_or_else(|| "-".to_owned(), |d| w.date(d));
            let _ = writeln!(
                s,
                "| {} | {} | {} {} | **{}** | {} | {} | {} |",
                w.date(x.date),
                r.assessor_kind(x.assessor),
                x.rubric.0,
                x.rubric.1,
                cell(&w.outcome(&x.outcome)),
                opt(x.valid_until),
                opt(x.reaudit_by),
                w.number(x.overall)
            );
        }
        let dates: Vec<String> = self.rounds.iter().map(|x| w.date(x.date)).collect();
        let header = |first: &str| format!("| {first} | {} |\n|---|{}\n", dates.join(" | "), "---:|".repeat(dates.len()));
        let _ = writeln!(s, "\n## {}\n", l.domains);
        s.push_str(&header(l.domain));
        for id in Words::domain_ids(self) {
            let means: Vec<String> =
                self.rounds.iter().map(|x| w.number(x.domains.iter().find(|g| g.id.as_ref() == id).and_then(|g| g.mean))).collect();
            let _ = writeln!(s, "| {} | {} |", cell(&w.domain(id)), means.join(" | "));
        }
        let indicators = w.indicators(self);
        if !indicators.is_empty() {
            let _ = writeln!(s, "\n## {}\n", r.outcome_indicators);
            s.push_str(&header(l.indicator));
            for (id, title) in &indicators {
                let values: Vec<String> = self.rounds.iter().map(|x| w.indicator_value(x, id)).collect();
                let _ = writeln!(s, "| {} | {} |", cell(title), values.join(" | "));
            }
        }
        for x in &self.rounds {
            let Some(since) = &x.since_previous else { continue };
            let _ = writeln!(s, "\n## {}\n", cell(&w.round_head(x)));
            match since {
                Comparison::Compared { mapped_from, moved, corrected, reshaped } => {
                    if let Some(v) = mapped_from {
                        let _ = writeln!(s, "{}\n", w.mapped(v));
                    }
                    if moved.is_empty() {
                        let _ = writeln!(s, "{}", l.none_moved);
                    } else {
                        let _ = writeln!(s, "{}{c}\n", l.moved);
                        let _ = writeln!(
                            s,
                            "| {} | {} | {} | {} |\n|---|---:|---:|---:|",
                            r.item,
                            capitalised(r.from),
                            capitalised(r.to),
                            l.change
                        );
                        for m in moved.iter().map(|m| w.moved(m)) {
                            let _ = writeln!(s, "| {} | {} | {} | {} |", cell(&m.item), m.before, m.after, m.change);
                        }
                    }
                    if !corrected.is_empty() {
                        let _ = writeln!(s, "\n{}{c}\n", l.corrected);
                        let _ = writeln!(
                            s,
                            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---|",
                            r.item,
                            capitalised(r.from),
                            capitalised(r.to),
                            l.change,
                            l.why
                        );
                        for m in corrected {
                            let why = m.correction.as_deref().unwrap_or_default();
                            let m = w.moved(m);
                            let _ = writeln!(s, "| {} | {} | {} | {} | {} |", cell(&m.item), m.before, m.after, m.change, cell(why));
                        }
                    }
                    if !reshaped.is_empty() {
                        let _ = writeln!(s, "\n{}{c}\n", l.reshaped);
                        for y in reshaped {
                            let (kind, items) = w.reshaped(y);
                            let _ = writeln!(s, "- **{kind}**{c} {}", cell(&items));
                        }
                    }
                }
                Comparison::NotComparable { before, after } => {
                    let _ = writeln!(s, "{}", w.not_comparable(before, after));
                }
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s, "\n## {}\n", w.warnings_head(self));
            for x in &self.warnings {
                let _ = writeln!(s, "- {}", cell(&w.warning(x)));
            }
        }
        s
    }

    /// The history as one self-contained HTML page in `lang`: the overall score's trend
    /// against the policy's `min_overall` thresholds (each point coloured by its outcome),
    /// a small chart per domain against the `min_domain` thresholds, the label's validity
    /// over time up to the day of the warnings, and the tables and moves of
    /// [`to_markdown`](Self::to_markdown).
    pub fn to_html(&self, lang: Lang, rubric: Option<&CompiledRubric>) -> String {
        let w = Words::new(lang, rubric);
        let (l, r, c) = (w.l, w.r, w.c);
        let title = format!("{} {}", l.heading, self.name);
        let mut s = String::new();
        s.push_str(&super::page_start(lang, &title, &[super::html::STYLE, CHARTS]));
        let _ = writeln!(s, "<h1>{}</h1>", esc(&title));
        let _ = writeln!(s, "<p class=\"meta\"><code>{}</code> · {} {}</p>", esc(&self.project), self.rounds.len(), esc(l.rounds));
        if !self.warnings.is_empty() {
            let _ = writeln!(s, "<div class=\"warnings\" id=\"warnings\"><h2>{}</h2>\n<ul>", esc(&w.warnings_head(self)));
            for x in &self.warnings {
                let _ = writeln!(s, "<li>{}</li>", esc(&w.warning(x)));
            }
            let _ = writeln!(s, "</ul></div>");
        }
        let axis = Axis::of(self, w.rubric);
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.overall));
        let overall: Vec<(Date, Option<Decimal>, &'static str, String)> = self
            .rounds
            .iter()
            .map(|x| (x.date, x.overall, w.rank(&x.outcome), format!("{}{c} {}", w.date(x.date), w.outcome(&x.outcome))))
            .collect();
        let thresholds = w.thresholds(RuleKind::MinOverall, None);
        s.push_str(&line_chart(&w, &axis, &overall, &thresholds, "overall-chart", Size::LARGE, l.overall));
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.validity));
        s.push_str(&validity_chart(&w, &axis, self));
        let _ = writeln!(s, "<h2>{}</h2>\n<div class=\"small-multiples\">", esc(l.domains));
        for id in Words::domain_ids(self) {
            let name = w.domain(id);
            let points: Vec<(Date, Option<Decimal>, &'static str, String)> = self
                .rounds
                .iter()
                .map(|x| {
                    let mean = x.domains.iter().find(|g| g.id.as_ref() == id).and_then(|g| g.mean);
                    (x.date, mean, "domain", format!("{}{c} {}", w.date(x.date), w.number(mean)))
                })
                .collect();
            let thresholds = w.thresholds(RuleKind::MinDomain, Some(id));
            let _ = writeln!(s, "<figure><figcaption>{}</figcaption>", esc(&name));
            s.push_str(&line_chart(&w, &axis, &points, &thresholds, &format!("domain-{id}"), Size::SMALL, &name));
            let _ = writeln!(s, "</figure>");
        }
        let _ = writeln!(s, "</div>");
        // The tables: the charts' figures, readable without them.
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.rounds_heading));
        let _ = writeln!(
            s,
            "<table id=\"rounds\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(r.date),
            esc(r.assessor),
            esc(r.rubric),
            esc(l.outcome),
            esc(l.valid_until),
            esc(l.reaudit_by),
            esc(l.overall)
        );
        for x in &self.rounds {
            let opt = |d: Option<Date>| d.map_or_else(|| "-".to_owned(), |d| w.date(d));
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{} {}<br><code>{}</code></td><td><span class=\"badge {}\">{}</span></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&w.date(x.date)),
                esc(r.assessor_kind(x.assessor)),
                esc(&x.rubric.0),
                esc(&x.rubric.1),
                esc(&x.source),
                w.rank(&x.outcome),
                esc(&w.outcome(&x.outcome)),
                esc(&opt(x.valid_until)),
                esc(&opt(x.reaudit_by)),
                esc(&w.number(x.overall))
            );
        }
        let _ = writeln!(s, "</tbody></table>");
        let dates: String = self.rounds.iter().map(|x| format!("<th class=\"num\">{}</th>", esc(&w.date(x.date)))).collect();
        let _ = writeln!(s, "<table id=\"domain-means\"><thead><tr><th>{}</th>{dates}</tr></thead><tbody>", esc(l.domain));
        for id in Words::domain_ids(self) {
            let means: String = self
                .rounds
                .iter()
                .map(|x| {
                    format!(
                        "<td class=\"num\">{}</td>",
                        esc(&w.number(x.domains.iter().find(|g| g.id.as_ref() == id).and_then(|g| g.mean)))
                    )
                })
                .collect();
            let _ = writeln!(s, "<tr><td>{}</td>{means}</tr>", esc(&w.domain(id)));
        }
        let _ = writeln!(s, "</tbody></table>");
        let indicators = w.indicators(self);
        if !indicators.is_empty() {
            let _ = writeln!(s, "<h2>{}</h2>", esc(r.outcome_indicators));
            let _ = writeln!(s, "<table id=\"outcome-indicators\"><thead><tr><th>{}</th>{dates}</tr></thead><tbody>", esc(l.indicator));
            for (id, title) in &indicators {
                let values: String =
                    self.rounds.iter().map(|x| format!("<td class=\"num\">{}</td>", esc(&w.indicator_value(x, id)))).collect();
                let _ = writeln!(s, "<tr><td>{}</td>{values}</tr>", esc(title));
            }
            let _ = writeln!(s, "</tbody></table>");
        }
        for x in &self.rounds {
            let Some(since) = &x.since_previous else { continue };
            let _ = writeln!(s, "<h2>{}</h2>", esc(&w.round_head(x)));
            let moves = |s: &mut String, list: &[Move], why: bool| {
                let why_head = if why { format!("<th>{}</th>", esc(l.why)) } else { String::new() };
                let _ = writeln!(
                    s,
                    "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>{why_head}</tr></thead><tbody>",
                    esc(r.item),
                    esc(&capitalised(r.from)),
                    esc(&capitalised(r.to)),
                    esc(l.change)
                );
                for m in list {
                    let reason = if why { format!("<td>{}</td>", esc(m.correction.as_deref().unwrap_or_default())) } else { String::new() };
                    let m = w.moved(m);
                    let _ = writeln!(
                        s,
                        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{reason}</tr>",
                        esc(&m.item),
                        m.before,
                        m.after,
                        m.change
                    );
                }
                let _ = writeln!(s, "</tbody></table>");
            };
            match since {
                Comparison::Compared { mapped_from, moved, corrected, reshaped } => {
                    if let Some(v) = mapped_from {
                        let _ = writeln!(s, "<p>{}</p>", esc(&w.mapped(v)));
                    }
                    if moved.is_empty() {
                        let _ = writeln!(s, "<p>{}</p>", esc(l.none_moved));
                    } else {
                        let _ = writeln!(s, "<h3>{}</h3>", esc(l.moved));
                        moves(&mut s, moved, false);
                    }
                    if !corrected.is_empty() {
                        let _ = writeln!(s, "<h3>{}</h3>", esc(l.corrected));
                        moves(&mut s, corrected, true);
                    }
                    if !reshaped.is_empty() {
                        let _ = writeln!(s, "<h3>{}</h3>\n<ul>", esc(l.reshaped));
                        for y in reshaped {
                            let (kind, items) = w.reshaped(y);
                            let _ = writeln!(s, "<li><strong>{}</strong>{c} {}</li>", esc(kind), esc(&items));
                        }
                        let _ = writeln!(s, "</ul>");
                    }
                }
                Comparison::NotComparable { before, after } => {
                    let _ = writeln!(s, "<p class=\"not-comparable\">{}</p>", esc(&w.not_comparable(before, after)));
                }
            }
        }
        let _ = writeln!(s, "</body>\n</html>");
        s
    }
}

/// The charts' own rules, added to the report's style.
const CHARTS: &str = ".small-multiples{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem}.small-multiples figure{margin:0;flex:1 1 280px;max-width:340px}\
td .badge{font-size:.85rem;padding:.1rem .45rem;white-space:nowrap}figcaption{font-size:.9rem;font-weight:600;margin-bottom:.2rem}.warnings{border-left:4px solid #b3261e;padding-left:.8rem}.none{background:#5a6270}\
@media print{.small-multiples figure{break-inside:avoid}}";

/// The time and score axes every chart of one history shares: from the first round to the
/// latest of the last round, the end of the last validity and the day of the warnings; and
/// the rubric's scale (or the figures' whole range where no rubric is known).
struct Axis {
    first: Date,
    days: i64,
    lo: Decimal,
    hi: Decimal,
}

impl Axis {
    fn of(h: &History, rubric: Option<&CompiledRubric>) -> Axis {
        let first = h.rounds.first().map_or(h.as_of, |r| r.date);
        let last = h.rounds.iter().flat_map(|r| [Some(r.date), r.valid_until]).flatten().chain([h.as_of]).max().unwrap_or(first);
        let (lo, hi) = match rubric {
            Some(r) => (Decimal::from(r.rubric().scale.min), Decimal::from(r.rubric().scale.max)),
            None => {
                let all = || h.rounds.iter().flat_map(|r| r.domains.iter().map(|g| g.mean).chain([r.overall])).flatten();
                (all().min().unwrap_or(Decimal::ZERO).floor(), all().max().unwrap_or(Decimal::ONE).ceil())
            }
        };
        Axis { first, days: days_between(first, last).unwrap_or(0), lo, hi }
    }

    /// Where day `d` falls on a `len`-pixel time axis (the middle when all is one day).
    fn x(&self, d: Date, len: i64) -> i64 {
        match days_between(self.first, d) {
            Some(n) if self.days > 0 => n.saturating_mul(len).checked_div(self.days).unwrap_or(0).clamp(0, len),
            _ => len.checked_div(2).unwrap_or(0),
        }
    }

    /// How far up a `len`-pixel score axis `v` is (clamped to the scale).
    fn y(&self, v: Decimal, len: i64) -> i64 {
        let frac = self
            .hi
            .checked_sub(self.lo)
            .filter(|span| !span.is_zero())
            .and_then(|span| v.checked_sub(self.lo)?.checked_div(span))
            .unwrap_or(Decimal::ZERO)
            .clamp(Decimal::ZERO, Decimal::ONE);
        i64::try_from(frac.checked_mul(Decimal::from(len)).unwrap_or(Decimal::ZERO).round()).unwrap_or(0)
    }
}

/// Days from `a` to `b` (negative before), where the calendar can count them.
fn days_between(a: Date, b: Date) -> Option<i64> {
    a.civil().until(b.civil()).ok().map(|span| i64::from(span.get_days()))
}

/// A chart's size: its drawing width and height and the margins for the axes' labels.
#[derive(Clone, Copy)]
struct Size {
    width: i64,
    height: i64,
    left: i64,
    bottom: i64,
    font: i64,
}

impl Size {
    const LARGE: Size = Size { width: 700, height: 300, left: 34, bottom: 34, font: 13 };
    const SMALL: Size = Size { width: 320, height: 170, left: 26, bottom: 26, font: 11 };
}

impl Words<'_> {
    /// The thresholds of the policy's `kind` rules (for `domain`, the rules that select it),
    /// each with the outcomes that set it, best first, as `outcome, outcome ≥ 3,5`.
    fn thresholds(&self, kind: RuleKind, domain: Option<&str>) -> Vec<(Decimal, String)> {
        let Some(rubric) = self.rubric else { return Vec::new() };
        let mut out: Vec<(Decimal, Vec<String>)> = Vec::new();
        for o in &rubric.rubric().policy.outcomes {
            for rule in o.rules.iter().filter(|x| x.kind == kind) {
                let selects = domain.is_none_or(|d| rule.domains.is_empty() || rule.domains.iter().any(|x| x == d));
                let Some(t) = rule.threshold.filter(|_| selects) else { continue };
                let title = o.title.get(self.lang).to_owned();
                match out.iter_mut().find(|(x, _)| *x == t) {
                    Some((_, names)) if !names.contains(&title) => names.push(title),
                    Some(_) => {}
                    None => out.push((t, vec![title])),
                }
            }
        }
        out.into_iter().map(|(t, names)| (t, format!("{} ≥ {}", names.join(", "), decimal_in(t, self.lang)))).collect()
    }
}

/// A line chart of `points` (`(date, value, rank, tooltip)`; a missing value breaks the
/// line) on the shared axes, with a dashed line and its words for each threshold.
fn line_chart(
    w: &Words<'_>,
    axis: &Axis,
    points: &[(Date, Option<Decimal>, &'static str, String)],
    thresholds: &[(Decimal, String)],
    id: &str,
    z: Size,
    label: &str,
) -> String {
    let plot_w = z.width.saturating_sub(z.left).saturating_sub(12);
    let plot_h = z.height.saturating_sub(z.bottom).saturating_sub(8);
    let top = 8i64;
    let px = |d: Date| z.left.saturating_add(axis.x(d, plot_w));
    let py = |v: Decimal| top.saturating_add(plot_h).saturating_sub(axis.y(v, plot_h));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" width="100%" viewBox="0 0 {} {}" style="max-width:{}px;height:auto" font-size="{}" font-family="sans-serif">"#,
        html_escape::encode_double_quoted_attribute(id),
        html_escape::encode_double_quoted_attribute(label),
        z.width,
        z.height,
        z.width,
        z.font
    );
    // The scale's whole levels, as grid lines with their numbers.
    let (lo, hi) = (axis.lo.trunc(), axis.hi.trunc());
    let mut level = lo;
    while level <= hi {
        let y = py(level);
        let _ = write!(s, r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#e2e6ee"/>"##, z.left, z.left.saturating_add(plot_w));
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" fill="#5a6270" text-anchor="end">{}</text>"##,
            z.left.saturating_sub(6),
            y.saturating_add(4),
            level
        );
        let Some(next) = level.checked_add(Decimal::ONE) else { break };
        level = next;
    }
    for (t, words) in thresholds {
        let y = py(*t);
        let _ = write!(
            s,
            r##"<line class="threshold" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#5a6270" stroke-width="1.5" stroke-dasharray="6,4"/>"##,
            z.left,
            z.left.saturating_add(plot_w)
        );
        let _ = write!(s, r##"<text x="{}" y="{}" fill="#5a6270">{}</text>"##, z.left.saturating_add(4), y.saturating_sub(4), esc(words));
    }
    // The line, broken where a round has no value.
    let mut path = String::new();
    let mut pen_down = false;
    for (d, v, _, _) in points {
        match v {
            Some(v) => {
                let _ = write!(path, "{}{},{} ", if pen_down { "L" } else { "M" }, px(*d), py(*v));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(s, r##"<path d="{}" fill="none" stroke="#1d2433" stroke-width="2"/>"##, path.trim_end());
    }
    for (d, v, rank, tip) in points {
        let x = px(*d);
        if let Some(v) = v {
            let _ = write!(
                s,
                r##"<circle class="point {rank}" cx="{x}" cy="{}" r="5" fill="{}" stroke="#fff" stroke-width="1.5"><title>{}</title></circle>"##,
                py(*v),
                super::rank_colour(rank),
                esc(tip)
            );
        }
    }
    // The rounds' years under the time axis (a date is too wide for a small chart).
    let base = top.saturating_add(plot_h);
    let _ = write!(s, r##"<line x1="{}" y1="{base}" x2="{}" y2="{base}" stroke="#5a6270"/>"##, z.left, z.left.saturating_add(plot_w));
    let mut last_label: Option<i64> = None;
    for (d, _, _, _) in points {
        let x = px(*d);
        if last_label.is_some_and(|p| x.saturating_sub(p) < z.font.saturating_mul(3)) {
            continue;
        }
        last_label = Some(x);
        // Labels at the ends of the axis stay inside the drawing.
        let anchor = if x < z.left.saturating_add(40) {
            "start"
        } else if x > z.width.saturating_sub(60) {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" fill="#5a6270" text-anchor="{anchor}">{}</text>"##,
            base.saturating_add(z.font).saturating_add(4),
            if z.width > 400 { w.date(*d) } else { d.civil().year().to_string() }
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The label's validity over time: one bar per round from its date to the last day its
/// outcome holds, in the outcome's colour, and a line at the day of the warnings. A gap
/// between bars is a time without a valid label.
fn validity_chart(w: &Words<'_>, axis: &Axis, h: &History) -> String {
    let z = Size::LARGE;
    let plot_w = z.width.saturating_sub(z.left).saturating_sub(12);
    let row = 26i64;
    let rows = i64::try_from(h.rounds.len()).unwrap_or(i64::MAX);
    let height = rows.saturating_mul(row).saturating_add(56);
    let px = |d: Date| z.left.saturating_add(axis.x(d, plot_w));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="validity-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" width="100%" viewBox="0 0 {} {height}" style="max-width:{}px;height:auto" font-size="{}" font-family="sans-serif">"#,
        html_escape::encode_double_quoted_attribute(w.l.validity),
        z.width,
        z.width,
        z.font
    );
    let mut y = 8i64;
    for r in &h.rounds {
        let x0 = px(r.date);
        let rank = w.rank(&r.outcome);
        let tip = format!(
            "{}{} {}{}",
            w.date(r.date),
            w.c,
            w.outcome(&r.outcome),
            r.valid_until.map(|u| format!(" ({} {})", w.l.valid_until.to_lowercase(), w.date(u))).unwrap_or_default()
        );
        match r.valid_until {
            Some(u) => {
                let width = px(u).saturating_sub(x0).max(2);
                let _ = write!(
                    s,
                    r#"<rect class="validity {rank}" x="{x0}" y="{y}" width="{width}" height="16" fill="{}"><title>{}</title></rect>"#,
                    super::rank_colour(rank),
                    esc(&tip)
                );
            }
            // An outcome without validity (refused, incomplete, a self-assessment's): a mark.
            None => {
                let _ = write!(
                    s,
                    r#"<rect class="no-validity {rank}" x="{}" y="{y}" width="4" height="16" fill="{}"><title>{}</title></rect>"#,
                    x0.saturating_sub(2),
                    super::rank_colour(rank),
                    esc(&tip)
                );
            }
        }
        // The outcome's name after the bar, or before it where it would run off the drawing.
        let end = r.valid_until.map_or(x0.saturating_add(2), &px);
        let (tx, anchor) = if end > z.width.saturating_sub(190) { (x0.saturating_sub(6), "end") } else { (end.saturating_add(6), "start") };
        let _ = write!(
            s,
            r##"<text x="{tx}" y="{}" text-anchor="{anchor}" fill="#1d2433">{}</text>"##,
            y.saturating_add(12),
            esc(&w.outcome(&r.outcome))
        );
        y = y.saturating_add(row);
    }
    let base = y.saturating_add(2);
    let _ = write!(s, r##"<line x1="{}" y1="{base}" x2="{}" y2="{base}" stroke="#5a6270"/>"##, z.left, z.left.saturating_add(plot_w));
    let now = px(h.as_of);
    let _ = write!(
        s,
        r##"<line id="as-of" x1="{now}" y1="2" x2="{now}" y2="{base}" stroke="#b3261e" stroke-width="2" stroke-dasharray="4,3"/>"##
    );
    let _ = write!(
        s,
        r##"<text x="{now}" y="{}" fill="#b3261e" text-anchor="end">{} {}</text>"##,
        base.saturating_add(z.font.saturating_mul(2)).saturating_add(10),
        esc(w.l.as_of),
        esc(&w.date(h.as_of))
    );
    for r in &h.rounds {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" fill="#5a6270" text-anchor="start">{}</text>"##,
            px(r.date),
            base.saturating_add(z.font).saturating_add(6),
            r.date.civil().year()
        );
    }
    s.push_str("</svg>\n");
    s
}
