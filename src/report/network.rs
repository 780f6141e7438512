//! A network's picture as Markdown and as one HTML page with charts: every project's domain
//! means on the rubric's scale against the network median and the policy's thresholds, and
//! every item's distribution over the levels (the share at the top shows ceiling effects).

use super::labels::{Labels, NetworkLabels};
use crate::CompiledRubric;
use crate::decision::Outcome;
use crate::network::{ItemDistribution, Network};
use crate::rubric::model::RuleKind;
use crate::text::{Lang, capitalised, colon, date_in, decimal_in};
use html_escape::encode_text as esc;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The words and names every format uses, in one language.
struct Words<'a> {
    l: &'static NetworkLabels,
    r: &'static Labels,
    lang: Lang,
    c: &'static str,
    rubric: &'a CompiledRubric,
}

impl<'a> Words<'a> {
    fn new(lang: Lang, rubric: &'a CompiledRubric) -> Self {
        Words { l: NetworkLabels::of(lang), r: Labels::of(lang), lang, c: colon(lang), rubric }
    }

    fn outcome(&self, code: &str) -> String {
        self.rubric.outcome_title(&Outcome::from(code), self.lang)
    }

    fn rank(&self, code: &str) -> &'static str {
        self.rubric.outcome_rank(&Outcome::from(code))
    }

    fn number(&self, d: Option<Decimal>) -> String {
        d.map_or_else(|| "-".to_owned(), |d| decimal_in(d, self.lang))
    }

    /// A difference from the median, with its sign (`+0.25`, `-0.50`, `0.00`).
    fn signed(&self, d: Option<Decimal>) -> String {
        match d {
            Some(d) if d.is_sign_positive() && !d.is_zero() => format!("+{}", decimal_in(d, self.lang)),
            other => self.number(other),
        }
    }

    fn percent(&self, d: Option<Decimal>) -> String {
        let sign = if self.lang == Lang::Fr || self.lang == Lang::Nl { "\u{a0}%" } else { "%" };
        d.map_or_else(|| "-".to_owned(), |d| format!("{}{sign}", decimal_in(d, self.lang)))
    }

    /// The policy's outcomes in its order, then any other an outcome count names.
    fn outcome_order(&self, n: &Network) -> Vec<String> {
        let mut order: Vec<String> = self.rubric.rubric().policy.outcomes.iter().map(|o| o.outcome.clone()).collect();
        order.push(Outcome::INCOMPLETE.to_owned());
        for code in n.outcomes_by_team_model.values().chain(n.outcomes_by_region.values()).flat_map(|m| m.keys()) {
            if !order.contains(code) {
                order.push(code.clone());
            }
        }
        order.retain(|o| n.outcomes_by_team_model.values().chain(n.outcomes_by_region.values()).any(|m| m.contains_key(o)));
        order
    }

    /// Outcome indicators some project reports: title, unit suffix, spread.
    fn indicators<'n>(&self, n: &'n Network) -> Vec<(String, String, &'n crate::network::Spread)> {
        n.outcome_indicators
            .iter()
            .filter(|o| o.spread.projects > 0)
            .map(|o| {
                let (title, unit) = super::indicator_words(self.rubric, &o.indicator, self.lang);
                (title, unit, &o.spread)
            })
            .collect()
    }

    fn heading(&self, n: &Network) -> String {
        format!("{} ({}){} {} {}", self.l.heading, n.rubric, self.c, n.projects.len(), self.l.projects)
    }

    fn expiring_heading(&self, n: &Network) -> String {
        format!("{} ({} {}, {} {})", self.l.expiring, self.l.from, date_in(n.as_of, self.lang), n.expiring_within_months, self.l.months)
    }

    /// The items rated by some project, most often at the top level first (ties in rubric
    /// order).
    fn ceiling(n: &Network) -> Vec<&ItemDistribution> {
        let mut top: Vec<&ItemDistribution> = n.items.iter().filter(|i| i.rated > 0).collect();
        top.sort_by_key(|i| std::cmp::Reverse(i.at_top_percent));
        top
    }
}

impl Network {
    /// The network as text in `lang`, titles from `rubric`.
    pub fn to_text(&self, lang: Lang, rubric: &CompiledRubric) -> String {
        let w = Words::new(lang, rubric);
        let (l, c) = (w.l, w.c);
        let num = |d: Option<Decimal>| w.number(d);
        let outcome = |o: &str| w.outcome(o);
        let domain = |id: &str| rubric.domain_title(id, lang);
        let mut s = String::new();
        let _ = writeln!(s, "{}", w.heading(self));
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.outcomes);
        for (model, counts) in &self.outcomes_by_team_model {
            let list: Vec<String> = counts.iter().map(|(o, n)| format!("{} {n}", outcome(o))).collect();
            let _ = writeln!(s, "  {}{c} {}", model.to_uppercase(), list.join(", "));
        }
        if !self.outcomes_by_region.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}{c}", l.by_region);
            for (region, counts) in &self.outcomes_by_region {
                let list: Vec<String> = counts.iter().map(|(o, n)| format!("{} {n}", outcome(o))).collect();
                let _ = writeln!(s, "  {region}{c} {}", list.join(", "));
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.domains);
        for d in &self.domains {
            let _ = writeln!(
                s,
                "  {}{c} {} {}, {} {}, {} {} ({} {})",
                domain(&d.domain),
                l.median,
                num(d.spread.median),
                l.min,
                num(d.spread.min),
                l.max,
                num(d.spread.max),
                d.spread.projects,
                l.projects
            );
        }
        let indicators = w.indicators(self);
        if !indicators.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{}{c}", l.indicators);
            for (title, unit, spread) in indicators {
                let _ = writeln!(
                    s,
                    "  {title}{c} {} {}{unit}, {} {}{unit}, {} {}{unit} ({} {})",
                    l.median,
                    num(spread.median),
                    l.min,
                    num(spread.min),
                    l.max,
                    num(spread.max),
                    spread.projects,
                    l.projects
                );
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.ceiling);
        for i in Words::ceiling(self).iter().take(10) {
            // French sets a space before the percent sign.
            let pct = if lang == Lang::Fr { "\u{a0}%" } else { "%" };
            let _ = writeln!(s, "  {} {}{pct} ({} {})", rubric.item_title(&i.item, lang), num(i.at_top_percent), i.rated, l.rated);
        }
        if !self.failing_items.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{} ({}){c}", l.failing, l.projects);
            for f in self.failing_items.iter().take(10) {
                let _ = writeln!(s, "  {}{c} {}", rubric.item_title(&f.item, lang), f.projects);
            }
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.positions);
        let legend: Vec<String> = self.domains.iter().map(|d| d.domain.to_string()).collect();
        let _ = writeln!(s, "  ({} | {})", l.overall, legend.join(" | "));
        for p in &self.projects {
            let diffs: Vec<String> = p.from_median.iter().map(|d| w.signed(d.difference)).collect();
            let _ = writeln!(
                s,
                "  {} ({}, {}){c} {} | {}",
                p.project,
                p.team_model.to_uppercase(),
                outcome(p.outcome.code()),
                num(p.overall),
                diffs.join(" | ")
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", w.expiring_heading(self));
        if self.expiring.is_empty() {
            let _ = writeln!(s, "  {}", l.none);
        }
        for e in &self.expiring {
            let _ = writeln!(s, "  {} ({}){c} {}", e.project, outcome(e.outcome.code()), date_in(e.valid_until, lang));
        }
        s
    }

    /// The network as Markdown in `lang`, titles from `rubric`: outcomes by team model and
    /// region, domain and indicator spreads, every item's distribution over the levels, the
    /// items failing most often, every project against the median, and labels that end soon.
    pub fn to_markdown(&self, lang: Lang, rubric: &CompiledRubric) -> String {
        use super::markdown::cell;
        let w = Words::new(lang, rubric);
        let (l, r, c) = (w.l, w.r, w.c);
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", cell(&w.heading(self)));
        let order = w.outcome_order(self);
        let outcome_head: Vec<String> = order.iter().map(|o| cell(&w.outcome(o))).collect();
        for (title, first, counts) in
            [(l.outcomes, r.team_model, &self.outcomes_by_team_model), (l.by_region, l.region, &self.outcomes_by_region)]
        {
            if counts.is_empty() {
                continue;
            }
            let _ = writeln!(s, "## {title}\n");
            let _ = writeln!(s, "| {first} | {} |\n|---|{}", outcome_head.join(" | "), "---:|".repeat(order.len()));
            for (key, m) in counts {
                let row: Vec<String> = order.iter().map(|o| m.get(o).copied().unwrap_or(0).to_string()).collect();
                let name = if first == r.team_model { key.to_uppercase() } else { cell(key) };
                let _ = writeln!(s, "| {name} | {} |", row.join(" | "));
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "## {}\n", l.domains);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
            l.domain,
            capitalised(l.median),
            capitalised(l.min),
            capitalised(l.max),
            capitalised(l.projects)
        );
        for d in &self.domains {
            let (m, lo, hi) = (w.number(d.spread.median), w.number(d.spread.min), w.number(d.spread.max));
            let _ = writeln!(s, "| {} | {m} | {lo} | {hi} | {} |", cell(&rubric.domain_title(&d.domain, lang)), d.spread.projects);
        }
        let indicators = w.indicators(self);
        if !indicators.is_empty() {
            let _ = writeln!(s, "\n## {}\n", l.indicators);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
                l.indicator,
                capitalised(l.median),
                capitalised(l.min),
                capitalised(l.max),
                capitalised(l.projects)
            );
            for (title, unit, x) in indicators {
                let v = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| format!("{}{unit}", decimal_in(d, lang)));
                let _ = writeln!(s, "| {} | {} | {} | {} | {} |", cell(&title), v(x.median), v(x.min), v(x.max), x.projects);
            }
        }
        let _ = writeln!(s, "\n## {}\n", l.distribution);
        let scale = rubric.rubric().scale;
        let levels: Vec<String> = (scale.min..=scale.max).map(|x| x.to_string()).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|{}---:|---:|",
            r.item,
            levels.join(" | "),
            capitalised(l.at_top),
            capitalised(l.rated),
            "---:|".repeat(levels.len())
        );
        for i in Words::ceiling(self) {
            let counts: Vec<String> = i.levels.iter().map(u32::to_string).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                cell(&rubric.item_title(&i.item, lang)),
                counts.join(" | "),
                w.percent(i.at_top_percent),
                i.rated
            );
        }
        if !self.failing_items.is_empty() {
            let _ = writeln!(s, "\n## {}\n", l.failing);
            let _ = writeln!(s, "| {} | {} |\n|---|---:|", r.item, capitalised(l.projects));
            for f in &self.failing_items {
                let _ = writeln!(s, "| {} | {} |", cell(&rubric.item_title(&f.item, lang)), f.projects);
            }
        }
        let _ = writeln!(s, "\n## {}\n", l.positions);
        let domains: Vec<String> = self.domains.iter().map(|d| cell(&rubric.domain_title(&d.domain, lang))).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---:|{}",
            r.project,
            r.team_model,
            r.outcome,
            capitalised(l.overall),
            domains.join(" | "),
            "---:|".repeat(domains.len())
        );
        for p in &self.projects {
            let diffs: Vec<String> = p.from_median.iter().map(|d| w.signed(d.difference)).collect();
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {} | {} |",
                cell(&p.name),
                p.project,
                p.team_model.to_uppercase(),
                cell(&w.outcome(p.outcome.code())),
                w.number(p.overall),
                diffs.join(" | ")
            );
        }
        let _ = writeln!(s, "\n## {}\n", w.expiring_heading(self));
        if self.expiring.is_empty() {
            let _ = writeln!(s, "{}", l.none);
        }
        for e in &self.expiring {
            let _ = writeln!(s, "- `{}` ({}){c} {}", e.project, cell(&w.outcome(e.outcome.code())), date_in(e.valid_until, lang));
        }
        s
    }

    /// The network as one self-contained HTML page in `lang`: the tables of
    /// [`to_markdown`](Self::to_markdown), with every project's domain means drawn on the
    /// rubric's scale (the median marked, the policy's `min_domain` thresholds dashed, each
    /// project in its outcome's colour) and every item's distribution over the levels as a
    /// stacked bar.
    pub fn to_html(&self, lang: Lang, rubric: &CompiledRubric) -> String {
        let w = Words::new(lang, rubric);
        let (l, r, c) = (w.l, w.r, w.c);
        let title = w.heading(self);
        let mut s = String::new();
        s.push_str(&super::page_start(lang, &title, &[super::html::STYLE, EXTRA]));
        let _ = writeln!(s, "<h1>{}</h1>", esc(&title));
        let _ = writeln!(s, "<p class=\"meta\">{} {}</p>", esc(l.as_of), esc(&date_in(self.as_of, lang)));
        let order = w.outcome_order(self);
        for (id, heading, first, counts) in [
            ("by-team-model", l.outcomes, r.team_model, &self.outcomes_by_team_model),
            ("by-region", l.by_region, l.region, &self.outcomes_by_region),
        ] {
            if counts.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "<h2>{}</h2>\n<div class=\"wide\"><table id=\"{id}\"><thead><tr><th>{}</th>",
                esc(heading),
                esc(&capitalised(first))
            );
            for o in &order {
                let _ = write!(s, "<th class=\"num\"><span class=\"badge {}\">{}</span></th>", w.rank(o), esc(&w.outcome(o)));
            }
            let _ = writeln!(s, "</tr></thead><tbody>");
            for (key, m) in counts {
                let name = if first == r.team_model { key.to_uppercase() } else { key.clone() };
                let cells: String = order.iter().map(|o| format!("<td class=\"num\">{}</td>", m.get(o).copied().unwrap_or(0))).collect();
                let _ = writeln!(s, "<tr><td>{}</td>{cells}</tr>", esc(&name));
            }
            let _ = writeln!(s, "</tbody></table></div>");
        }
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.domains));
        s.push_str(&domain_chart(&w, self));
        let _ = writeln!(
            s,
            "<table id=\"domain-spread\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            esc(l.domain),
            esc(&capitalised(l.median)),
            esc(&capitalised(l.min)),
            esc(&capitalised(l.max)),
            esc(&capitalised(l.projects))
        );
        for d in &self.domains {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&rubric.domain_title(&d.domain, lang)),
                esc(&w.number(d.spread.median)),
                esc(&w.number(d.spread.min)),
                esc(&w.number(d.spread.max)),
                d.spread.projects
            );
        }
        let _ = writeln!(s, "</tbody></table>");
        let indicators = w.indicators(self);
        if !indicators.is_empty() {
            let _ = writeln!(
                s,
                "<h2>{}</h2>\n<table id=\"indicators\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
                esc(l.indicators),
                esc(l.indicator),
                esc(&capitalised(l.median)),
                esc(&capitalised(l.min)),
                esc(&capitalised(l.max)),
                esc(&capitalised(l.projects))
            );
            for (title, unit, x) in indicators {
                let v = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| format!("{}{unit}", decimal_in(d, lang)));
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&title),
                    esc(&v(x.median)),
                    esc(&v(x.min)),
                    esc(&v(x.max)),
                    x.projects
                );
            }
            let _ = writeln!(s, "</tbody></table>");
        }
        let scale = rubric.rubric().scale;
        let _ = writeln!(s, "<h2>{}</h2>\n<p class=\"legend\">", esc(l.distribution));
        for level in scale.min..=scale.max {
            let _ = write!(
                s,
                "<span class=\"swatch\" style=\"background:{}\"></span>{} {level} ",
                level_colour(level, scale.min, scale.max),
                esc(r.level)
            );
        }
        let _ = writeln!(s, "</p>");
        let _ = writeln!(
            s,
            "<table id=\"items\"><thead><tr><th>{}</th><th class=\"bar\"></th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            esc(r.item),
            esc(&capitalised(l.at_top)),
            esc(&capitalised(l.rated))
        );
        for i in Words::ceiling(self) {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"bar\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&rubric.item_title(&i.item, lang)),
                stacked_bar(i, scale.min, scale.max),
                esc(&w.percent(i.at_top_percent)),
                i.rated
            );
        }
        let _ = writeln!(s, "</tbody></table>");
        if !self.failing_items.is_empty() {
            let _ = writeln!(
                s,
                "<h2>{}</h2>\n<table id=\"failing\"><thead><tr><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
                esc(l.failing),
                esc(r.item),
                esc(&capitalised(l.projects))
            );
            for f in &self.failing_items {
                let _ = writeln!(s, "<tr><td>{}</td><td class=\"num\">{}</td></tr>", esc(&rubric.item_title(&f.item, lang)), f.projects);
            }
            let _ = writeln!(s, "</tbody></table>");
        }
        let _ = writeln!(s, "<h2>{}</h2>", esc(l.positions));
        let _ = write!(
            s,
            "<div class=\"wide\"><table id=\"positions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th>",
            esc(r.project),
            esc(r.team_model),
            esc(r.outcome),
            esc(&capitalised(l.overall))
        );
        for d in &self.domains {
            let _ = write!(s, "<th class=\"num\">{}</th>", esc(&rubric.domain_title(&d.domain, lang)));
        }
        let _ = writeln!(s, "</tr></thead><tbody>");
        for p in &self.projects {
            let _ = write!(
                s,
                "<tr><td>{}<br><code>{}</code></td><td>{}</td><td><span class=\"badge {}\">{}</span></td><td class=\"num\">{}</td>",
                esc(&p.name),
                esc(&p.project),
                esc(&p.team_model.to_uppercase()),
                w.rank(p.outcome.code()),
                esc(&w.outcome(p.outcome.code())),
                esc(&w.number(p.overall))
            );
            for d in &p.from_median {
                let class = match d.difference {
                    Some(x) if x.is_sign_negative() && !x.is_zero() => " below",
                    Some(x) if !x.is_zero() => " above",
                    _ => "",
                };
                let _ = write!(s, "<td class=\"num{class}\">{}</td>", esc(&w.signed(d.difference)));
            }
            let _ = writeln!(s, "</tr>");
        }
        let _ = writeln!(s, "</tbody></table></div>");
        let _ = writeln!(s, "<h2>{}</h2>", esc(&w.expiring_heading(self)));
        if self.expiring.is_empty() {
            let _ = writeln!(s, "<p>{}</p>", esc(l.none));
        } else {
            let _ = writeln!(s, "<ul id=\"expiring\">");
            for e in &self.expiring {
                let _ = writeln!(
                    s,
                    "<li><code>{}</code> (<span class=\"badge {}\">{}</span>){c} {}</li>",
                    esc(&e.project),
                    w.rank(e.outcome.code()),
                    esc(&w.outcome(e.outcome.code())),
                    esc(&date_in(e.valid_until, lang))
                );
            }
            let _ = writeln!(s, "</ul>");
        }
        let _ = writeln!(s, "</body>\n</html>");
        s
    }
}

/// The page's own rules, added to the report's style.
const EXTRA: &str = "td .badge,th .badge{font-size:.8rem;padding:.05rem .4rem;white-space:nowrap}.none{background:#5a6270}\
td.bar,th.bar{width:45%}td.bar svg{width:100%;height:14px}.legend{font-size:.85rem}\
.swatch{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin:0 .25rem 0 .6rem;border-radius:2px}\
td.below{color:#b3261e}td.above{color:#1f7a3f}.wide{overflow-x:auto}\
@media (max-width:600px){td .badge,th .badge{white-space:normal;font-size:.7rem}td.bar,th.bar{width:35%}}\
@media print{.wide{overflow:visible}}";

/// The colour of a level: red at the scale's bottom through amber to green at its top.
fn level_colour(level: u8, lo: u8, hi: u8) -> &'static str {
    const RAMP: [&str; 5] = ["#b3261e", "#e07b39", "#e3b341", "#7fb36b", "#1f7a3f"];
    let span = usize::from(hi.saturating_sub(lo)).max(1);
    let at = usize::from(level.saturating_sub(lo)).saturating_mul(RAMP.len().saturating_sub(1)).checked_div(span).unwrap_or(0);
    RAMP.get(at).copied().unwrap_or("#5a6270")
}

/// An item's distribution over the levels as one bar of 100 units, a part per level.
fn stacked_bar(i: &ItemDistribution, lo: u8, hi: u8) -> String {
    let mut s = String::from(r#"<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img">"#);
    let total = u64::from(i.rated.max(1));
    let mut x = 0u64;
    for (k, n) in i.levels.iter().enumerate() {
        let level = lo.saturating_add(u8::try_from(k).unwrap_or(u8::MAX));
        let width = u64::from(*n).saturating_mul(100).checked_div(total).unwrap_or(0);
        // The last part takes the rest, so rounding never leaves a gap.
        let width = if level == hi { 100u64.saturating_sub(x) } else { width };
        if *n > 0 {
            let _ = write!(
                s,
                r#"<rect x="{x}" y="0" width="{width}" height="10" fill="{}"><title>{level}: {n}</title></rect>"#,
                level_colour(level, lo, hi)
            );
        }
        x = x.saturating_add(width);
    }
    s.push_str("</svg>");
    s
}

/// Every project's mean per domain on the rubric's scale: a dot per project in its
/// outcome's colour, the range as a line, the median as a bar, the policy's `min_domain`
/// thresholds dashed.
fn domain_chart(w: &Words<'_>, n: &Network) -> String {
    let scale = w.rubric.rubric().scale;
    let (lo, hi) = (Decimal::from(scale.min), Decimal::from(scale.max));
    let (width, left, right, row) = (700i64, 8i64, 52i64, 46i64);
    let track = width.saturating_sub(left).saturating_sub(right);
    let x_of = |d: Decimal| -> i64 {
        let frac = hi
            .checked_sub(lo)
            .filter(|x| !x.is_zero())
            .and_then(|span| d.checked_sub(lo)?.checked_div(span))
            .unwrap_or(Decimal::ZERO)
            .clamp(Decimal::ZERO, Decimal::ONE);
        left.saturating_add(i64::try_from(frac.checked_mul(Decimal::from(track)).unwrap_or(Decimal::ZERO).round()).unwrap_or(0))
    };
    let rows = i64::try_from(n.domains.len()).unwrap_or(0);
    let height = rows.saturating_mul(row).saturating_add(30);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="domain-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" width="100%" viewBox="0 0 {width} {height}" style="max-width:{width}px;height:auto" font-size="13" font-family="sans-serif">"#,
        html_escape::encode_double_quoted_attribute(w.l.domains)
    );
    let bottom = rows.saturating_mul(row).saturating_add(4);
    // The policy's min_domain thresholds, one dashed line each, across every row.
    let mut thresholds: Vec<Decimal> = Vec::new();
    for o in &w.rubric.rubric().policy.outcomes {
        for t in o.rules.iter().filter(|x| x.kind == RuleKind::MinDomain && x.domains.is_empty()).filter_map(|x| x.threshold) {
            if !thresholds.contains(&t) {
                thresholds.push(t);
            }
        }
    }
    for t in &thresholds {
        let x = x_of(*t);
        let _ = write!(
            s,
            r##"<line class="threshold" x1="{x}" y1="0" x2="{x}" y2="{bottom}" stroke="#5a6270" stroke-width="1.2" stroke-dasharray="5,4"/>"##
        );
    }
    for (k, d) in n.domains.iter().enumerate() {
        let y = i64::try_from(k).unwrap_or(0).saturating_mul(row);
        let mid = y.saturating_add(30);
        let _ = write!(
            s,
            r##"<text x="{left}" y="{}" fill="#1d2433">{}</text>"##,
            y.saturating_add(14),
            esc(&w.rubric.domain_title(&d.domain, w.lang))
        );
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{mid}" x2="{}" y2="{mid}" stroke="#e2e6ee" stroke-width="8"/>"##,
            left.saturating_add(track)
        );
        if let (Some(a), Some(b)) = (d.spread.min, d.spread.max) {
            let _ = write!(s, r##"<line x1="{}" y1="{mid}" x2="{}" y2="{mid}" stroke="#9aa3b2" stroke-width="2"/>"##, x_of(a), x_of(b));
        }
        for p in &n.projects {
            let Some(mean) = p.from_median.iter().find(|x| x.domain == d.domain).and_then(|x| x.mean) else { continue };
            let rank = w.rank(p.outcome.code());
            let _ = write!(
                s,
                r#"<circle class="project {rank}" cx="{}" cy="{mid}" r="4.5" fill="{}" fill-opacity="0.75"><title>{}{} {}</title></circle>"#,
                x_of(mean),
                super::rank_colour(rank),
                esc(&p.name),
                w.c,
                esc(&decimal_in(mean, w.lang))
            );
        }
        if let Some(m) = d.spread.median {
            let x = x_of(m);
            let _ = write!(
                s,
                r##"<line class="median" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#1d2433" stroke-width="3"><title>{} {}</title></line>"##,
                mid.saturating_sub(10),
                mid.saturating_add(10),
                esc(w.l.median),
                esc(&decimal_in(m, w.lang))
            );
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-weight="700">{}</text>"##,
                left.saturating_add(track).saturating_add(6),
                mid.saturating_add(5),
                esc(&decimal_in(m, w.lang))
            );
        }
    }
    for level in scale.min..=scale.max {
        let x = x_of(Decimal::from(level));
        let anchor = if level == scale.min {
            "start"
        } else if level == scale.max {
            "end"
        } else {
            "middle"
        };
        let _ = write!(s, r##"<text x="{x}" y="{}" fill="#5a6270" text-anchor="{anchor}">{level}</text>"##, bottom.saturating_add(16));
    }
    s.push_str("</svg>\n");
    s
}
