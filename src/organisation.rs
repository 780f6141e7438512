//! An organisation of several teams rated as one: each team's rating that stands for it (a
//! consensus first), and across the teams the mean of every item, of every domain's mean
//! and of the overall scores, as exact fractions and rounded as the rubric says: the
//! tables studies publish when they report team-level fidelity averaged over teams.

use crate::decision::{Fraction, Outcome};
use crate::error::Error;
use crate::ratio::Ratio;
use crate::record::AuditRecord;
use crate::rubric::model::Rounding;
use crate::shared::SharedStr;
use crate::text::{Lang, colon, decimal_in};
use crate::{CompiledRubric, Date};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;

/// An organisation's rating made of its teams' ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// The organisation's name.
    pub name: String,
    /// The rubric the teams were scored with (`id version`).
    pub rubric: String,
    /// The teams, by project id.
    pub teams: Vec<Team>,
    /// Per item, in rubric order: the mean level over the teams that rated it.
    pub items: Vec<Mean>,
    /// Per domain, in rubric order: the mean of the teams' domain means.
    pub domains: Vec<Mean>,
    /// The mean of the teams' overall scores.
    pub total: Mean,
}

/// One team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    /// Its project id.
    pub project: String,
    /// Its name.
    pub name: String,
    /// Its team model.
    pub team_model: String,
    /// The date of its rating.
    pub date: Date,
    /// Its outcome.
    pub outcome: Outcome,
    /// Its overall score as the policy measures it.
    #[serde(with = "crate::decimal::opt_dec")]
    pub overall: Option<Decimal>,
}

/// A mean over the teams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mean {
    /// What it is the mean of (an item or domain id; `total` for the overall scores).
    pub id: SharedStr,
    /// The teams it is over.
    pub teams: u32,
    /// The exact mean, in lowest terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<Fraction>,
    /// The mean rounded as the rubric rounds scores.
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean: Option<Decimal>,
}

fn mean_of(id: SharedStr, values: &[Ratio], rounding: Rounding) -> Result<Mean, Error> {
    let exact = Ratio::mean_of(values.iter().copied())?;
    Ok(Mean {
        id,
        teams: u32::try_from(values.len()).map_err(|_| Error::Overflow("a count of teams"))?,
        exact: exact.map(Fraction::from),
        mean: exact.map(|x| x.to_decimal(rounding)).transpose()?,
    })
}

fn ratio(f: Fraction) -> Result<Ratio, Error> {
    Ratio::new(f.numer(), f.denom()).ok_or(Error::Internal("a fraction with a zero denominator"))
}

/// The organisation `name` made of the teams of `records` (`(source, record)`; per team its
/// rating that stands for it), with means rounded by `rubric`'s rounding. The teams must be
/// scored with `rubric`; at least two teams make an organisation.
pub fn organisation(name: &str, records: Vec<(String, AuditRecord)>, rubric: &CompiledRubric) -> Result<Organisation, Error> {
    let r = rubric.rubric();
    let latest = crate::network::latest_by_project(records);
    if latest.len() < 2 {
        return Err(Error::Records(format!(
            "an organisation is made of two or more teams; the ratings are of {} project(s)",
            latest.len()
        )));
    }
    if let Some((source, other)) = latest.values().find(|(_, x)| x.rubric.id != r.id || x.rubric.version != r.version) {
        return Err(Error::Records(format!(
            "`{source}` was scored with {} {}, not {} {}: an organisation's teams are compared on one rubric version",
            other.rubric.id, other.rubric.version, r.id, r.version
        )));
    }
    let item_ids: Vec<SharedStr> = rubric.item_ids().map(SharedStr::from).collect();
    let domain_ids: Vec<SharedStr> = r.domains.iter().map(|d| SharedStr::from(d.id.as_str())).collect();
    let mut items = Vec::with_capacity(item_ids.len());
    for id in &item_ids {
        let levels: Vec<Ratio> = latest
            .values()
            .filter_map(|(_, x)| x.decision.items.iter().find(|i| i.id == *id)?.level)
            .filter_map(|l| Ratio::new(u128::from(l), 1))
            .collect();
        items.push(mean_of(id.clone(), &levels, r.rounding)?);
    }
    let mut domains = Vec::with_capacity(domain_ids.len());
    for id in &domain_ids {
        let means: Vec<Ratio> = latest
            .values()
            .filter_map(|(_, x)| x.decision.scores.domains.iter().find(|g| g.id == *id)?.score.exact)
            .map(ratio)
            .collect::<Result<_, _>>()?;
        domains.push(mean_of(id.clone(), &means, r.rounding)?);
    }
    let totals: Vec<Ratio> = latest.values().filter_map(|(_, x)| x.decision.scores.overall_exact()).map(ratio).collect::<Result<_, _>>()?;
    let total = mean_of(SharedStr::from("total"), &totals, r.rounding)?;
    let teams = latest
        .into_values()
        .map(|(_, x)| Team {
            project: x.input.project.id.clone(),
            name: x.input.project.name.clone(),
            team_model: x.input.team_model.code().to_owned(),
            date: x.input.date,
            outcome: x.decision.outcome.clone(),
            overall: x.decision.scores.overall(),
        })
        .collect();
    Ok(Organisation { name: name.to_owned(), rubric: format!("{} {}", r.id, r.version), teams, items, domains, total })
}

impl Organisation {
    /// The organisation as text in `lang`, titles from `rubric`.
    pub fn to_text(&self, lang: Lang, rubric: &CompiledRubric) -> String {
        let l = crate::report::labels::OrganisationLabels::of(lang);
        let c = colon(lang);
        let num = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| decimal_in(d, lang));
        let exact = |f: Option<Fraction>| f.map(|f| format!(" ({f})")).unwrap_or_default();
        let mut s = String::new();
        let _ = writeln!(s, "{} {} ({}){c} {} {}", l.heading, self.name, self.rubric, self.teams.len(), l.teams);
        for t in &self.teams {
            let _ = writeln!(
                s,
                "  {} ({}, {}){c} {}",
                t.project,
                t.team_model.to_uppercase(),
                rubric.outcome_title(&t.outcome, lang),
                num(t.overall)
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c} {}{}", l.total, num(self.total.mean), exact(self.total.exact));
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.domains);
        for d in &self.domains {
            let title = rubric.domain_title(&d.id, lang);
            let _ = writeln!(s, "  {title}{c} {}{} [{}{c} {}]", num(d.mean), exact(d.exact), l.teams, d.teams);
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{}{c}", l.items);
        for i in &self.items {
            let _ = writeln!(s, "  {}{c} {}{} [{}{c} {}]", i.id, num(i.mean), exact(i.exact), l.teams, i.teams);
        }
        s
    }
}
