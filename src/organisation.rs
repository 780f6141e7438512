//! An organisation of several teams rated as one: each team's rating that stands for it (a
//! consensus first), and across the teams the mean of every item, of every domain's mean
//! and of the overall scores, as exact fractions and rounded as the rubric says: the
//! tables studies publish when they report team-level fidelity averaged over teams.
//!
//! Where the rubric's policy has organisation rules (`policy.organisation`), the
//! organisation also gets an outcome: the first of those outcomes whose rules all hold,
//! with every rule's verdict, and valid until the first of its teams' outcomes ends.

use crate::decision::{Fraction, Outcome, Verdict};
use crate::error::Error;
use crate::ratio::Ratio;
use crate::record::AuditRecord;
use crate::rubric::model::{OrganisationRuleKind, Rounding};
use crate::shared::SharedStr;
use crate::text::{Lang, Text, colon, date_in, decimal_in};
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
    /// The organisation's outcome, where the rubric's policy has organisation rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<OrganisationDecision>,
}

/// An organisation's outcome under the rubric's organisation rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationDecision {
    /// The first outcome whose rules all hold (`incomplete` while a team's is).
    pub outcome: Outcome,
    /// The last day it holds: the first last day of its teams' outcomes (an organisation's
    /// outcome rests on all of them), where the policy gives the outcome a validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// When the next audit is due: the first date any team's outcome sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reaudit_by: Option<Date>,
    /// Every rule of every outcome, in the policy's order.
    pub rules: Vec<OrganisationRuleResult>,
}

/// One organisation rule's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationRuleResult {
    /// The outcome the rule belongs to.
    pub outcome: Outcome,
    /// The rule's id.
    pub id: SharedStr,
    /// What it checks.
    pub kind: OrganisationRuleKind,
    /// Its message.
    pub message: Text,
    /// The verdict (`incomplete` where a team's outcome or score is not decided).
    pub verdict: Verdict,
    /// The least outcome every team must reach (`every_team`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Outcome>,
    /// The mean observed (`min_overall`), or the lowest domain mean (`min_domain`), rounded
    /// as the rubric rounds scores.
    #[serde(with = "crate::decimal::opt_dec", skip_serializing_if = "Option::is_none")]
    pub observed: Option<Decimal>,
    /// The same, exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_exact: Option<Fraction>,
    /// The threshold (`min_overall`, `min_domain`).
    #[serde(with = "crate::decimal::opt_dec", skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Decimal>,
    /// What fails it: the teams (project ids) below the required outcome, or the domains
    /// below the threshold.
    pub failing: Vec<SharedStr>,
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
    /// The last day its outcome holds, where the policy gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// When its next audit is due, where its outcome sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reaudit_by: Option<Date>,
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
    let mut teams = Vec::with_capacity(latest.len());
    for (_, x) in latest.into_values() {
        let reaudit_by = x.decision.reaudit_months.map(|m| x.input.date.plus_months(m)).transpose()?;
        teams.push(Team {
            project: x.input.project.id.clone(),
            name: x.input.project.name.clone(),
            team_model: x.input.team_model.code().to_owned(),
            date: x.input.date,
            outcome: x.decision.outcome.clone(),
            overall: x.decision.scores.overall(),
            valid_until: x.decision.valid_until,
            reaudit_by,
        });
    }
    let decision = decide(rubric, &teams, &domains, &total)?;
    Ok(Organisation { name: name.to_owned(), rubric: format!("{} {}", r.id, r.version), teams, items, domains, total, decision })
}

/// The organisation's outcome under `rubric`'s organisation rules (none without them).
fn decide(rubric: &CompiledRubric, teams: &[Team], domains: &[Mean], total: &Mean) -> Result<Option<OrganisationDecision>, Error> {
    let r = rubric.rubric();
    let Some(org) = &r.policy.organisation else { return Ok(None) };
    // A team's place in the policy, best first (`None`: incomplete).
    let place = |t: &Team| -> Result<Option<usize>, Error> {
        if t.outcome.is_incomplete() {
            return Ok(None);
        }
        r.policy.outcomes.iter().position(|o| o.outcome == t.outcome.code()).map(Some).ok_or_else(|| {
            Error::Records(format!("team `{}` has outcome `{}`, which {} {} does not have", t.project, t.outcome.code(), r.id, r.version))
        })
    };
    let places: Vec<Option<usize>> = teams.iter().map(place).collect::<Result<_, _>>()?;
    let mut rules = Vec::new();
    let mut reached: Option<Outcome> = None;
    for o in &org.outcomes {
        let mut all = Verdict::Pass;
        for rule in &o.rules {
            let mut res = OrganisationRuleResult {
                outcome: Outcome::from(o.outcome.as_str()),
                id: SharedStr::from(rule.id.as_str()),
                kind: rule.kind,
                message: rule.message.clone(),
                verdict: Verdict::Pass,
                required: None,
                observed: None,
                observed_exact: None,
                threshold: rule.threshold,
                failing: Vec::new(),
            };
            match rule.kind {
                OrganisationRuleKind::EveryTeam => {
                    let Some(req) = rule.outcome.as_deref() else {
                        return Err(Error::Internal("an every_team rule without an outcome passed the rubric check"));
                    };
                    let Some(limit) = r.policy.outcomes.iter().position(|x| x.outcome == req) else {
                        return Err(Error::Internal("an every_team rule naming no outcome of the policy passed the rubric check"));
                    };
                    res.required = Some(Outcome::from(req));
                    for (t, p) in teams.iter().zip(&places) {
                        match p {
                            Some(p) if *p > limit => res.failing.push(SharedStr::from(t.project.as_str())),
                            Some(_) => {}
                            None => res.verdict = Verdict::Incomplete,
                        }
                    }
                }
                OrganisationRuleKind::MinOverall => {
                    let t = threshold(rule.threshold)?;
                    match total.exact {
                        // Every team's overall score is in the mean: one missing leaves it open.
                        Some(f) if total.teams as usize == teams.len() => {
                            res.observed = total.mean;
                            res.observed_exact = Some(f);
                            if !rubric.reaches(ratio(f)?, t)? {
                                res.failing.push(SharedStr::from("total"));
                            }
                        }
                        _ => res.verdict = Verdict::Incomplete,
                    }
                }
                OrganisationRuleKind::MinDomain => {
                    let t = threshold(rule.threshold)?;
                    let mut lowest: Option<&Mean> = None;
                    for d in domains.iter().filter(|d| rule.domains.is_empty() || rule.domains.iter().any(|x| *x == *d.id)) {
                        let Some(f) = d.exact else { continue };
                        if !rubric.reaches(ratio(f)?, t)? {
                            res.failing.push(d.id.clone());
                        }
                        let lower = match lowest.and_then(|l| l.exact) {
                            None => true,
                            Some(l) => ratio(f)?.cmp_ratio(ratio(l)?)? == std::cmp::Ordering::Less,
                        };
                        if lower {
                            lowest = Some(d);
                        }
                    }
                    res.observed = lowest.and_then(|l| l.mean);
                    res.observed_exact = lowest.and_then(|l| l.exact);
                }
            }
            if !res.failing.is_empty() {
                res.verdict = Verdict::Fail;
            }
            all = match (all, res.verdict) {
                (Verdict::Fail, _) | (_, Verdict::Fail) => Verdict::Fail,
                (Verdict::Incomplete, _) | (_, Verdict::Incomplete) => Verdict::Incomplete,
                _ => Verdict::Pass,
            };
            rules.push(res);
        }
        if reached.is_none() && all == Verdict::Pass {
            reached = Some(Outcome::from(o.outcome.as_str()));
        }
    }
    // While a team's outcome is undecided, so is the organisation's.
    let outcome = match reached {
        _ if places.iter().any(Option::is_none) => Outcome::incomplete(),
        Some(o) => o,
        None => return Err(Error::Internal("the organisation policy's last outcome has rules, which the rubric check refuses")),
    };
    let spec = r.policy.outcomes.iter().find(|o| o.outcome == outcome.code());
    let valid_until = spec.and_then(|s| s.valid_months).and_then(|_| teams.iter().filter_map(|t| t.valid_until).min());
    let reaudit_by = teams.iter().filter_map(|t| t.reaudit_by).min();
    Ok(Some(OrganisationDecision { outcome, valid_until, reaudit_by, rules }))
}

fn threshold(t: Option<Decimal>) -> Result<Decimal, Error> {
    t.ok_or(Error::Internal("an organisation rule without the threshold its kind needs passed the rubric check"))
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
            let _ = writeln!(s, "  {}{c} {}{} [{}{c} {}]", rubric.item_title(&i.id, lang), num(i.mean), exact(i.exact), l.teams, i.teams);
        }
        let _ = writeln!(s);
        match &self.decision {
            None => {
                let _ = writeln!(s, "{}", l.no_rules);
            }
            Some(d) => {
                let r = crate::report::labels::Labels::of(lang);
                let _ = writeln!(s, "{}{c} {}", l.outcome, rubric.outcome_title(&d.outcome, lang).to_uppercase());
                if let Some(u) = d.valid_until {
                    let _ = writeln!(s, "  {}{c} {}", l.valid_until, date_in(u, lang));
                }
                if let Some(u) = d.reaudit_by {
                    let _ = writeln!(s, "  {}{c} {}", l.reaudit_by, date_in(u, lang));
                }
                let _ = writeln!(s, "{}", l.rules);
                for x in &d.rules {
                    let figures = match (x.observed, x.threshold) {
                        (Some(o), Some(t)) => {
                            format!("{} {}{}, {} {}", r.observed, num(Some(o)), exact(x.observed_exact), r.threshold, decimal_in(t, lang))
                        }
                        (None, Some(t)) => format!("{} {}", r.threshold, decimal_in(t, lang)),
                        _ => {
                            x.required.as_ref().map(|o| format!("{}{c} {}", l.at_least, rubric.outcome_title(o, lang))).unwrap_or_default()
                        }
                    };
                    let _ = writeln!(s, "  [{}] {}{c} {figures}", r.verdict_name(x.verdict), rubric.outcome_title(&x.outcome, lang));
                    let _ = writeln!(s, "         {}", x.message.get(lang));
                    if !x.failing.is_empty() {
                        let names: Vec<String> = x
                            .failing
                            .iter()
                            .map(|f| match x.kind {
                                OrganisationRuleKind::EveryTeam => {
                                    let team = self.teams.iter().find(|t| *t.project == **f);
                                    team.map_or_else(
                                        || f.to_string(),
                                        |t| format!("{} ({})", t.project, rubric.outcome_title(&t.outcome, lang)),
                                    )
                                }
                                OrganisationRuleKind::MinDomain => rubric.domain_title(f, lang),
                                OrganisationRuleKind::MinOverall => l.total_short.to_owned(),
                            })
                            .collect();
                        let _ = writeln!(s, "         {}{c} {}", r.failing, names.join(", "));
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::model::{OrganisationOutcome, OrganisationPolicy, OrganisationRule};

    fn rule(id: &str, kind: OrganisationRuleKind, threshold: &str) -> OrganisationRule {
        OrganisationRule {
            id: id.into(),
            kind,
            message: Text::same(id),
            outcome: None,
            threshold: Some(threshold.parse().unwrap()),
            domains: Vec::new(),
        }
    }

    /// The label's rubric with organisation rules on the teams' means, as a research
    /// rubric describes an organisation: "granted" at a mean of 3.5 and every domain at
    /// `domain`, "conditional" at a mean of 3.0.
    fn on_means(domain: &str) -> CompiledRubric {
        let mut r = crate::shipped_rubric("hfb-label").unwrap().rubric().clone();
        r.policy.organisation = Some(OrganisationPolicy {
            outcomes: vec![
                OrganisationOutcome {
                    outcome: "granted".into(),
                    rules: vec![
                        rule("mean", OrganisationRuleKind::MinOverall, "3.5"),
                        rule("domains", OrganisationRuleKind::MinDomain, domain),
                    ],
                },
                OrganisationOutcome { outcome: "conditional".into(), rules: vec![rule("mean", OrganisationRuleKind::MinOverall, "3.0")] },
                OrganisationOutcome { outcome: "refused".into(), rules: Vec::new() },
            ],
        });
        CompiledRubric::new(r).unwrap()
    }

    fn teams(rubric: &CompiledRubric) -> Vec<(String, AuditRecord)> {
        ["examples/act-city-granted.yaml", "examples/staircase-refused.yaml", "examples/conditional-improving.yaml"]
            .iter()
            .map(|f| {
                let a = crate::assessment_from_str(&std::fs::read_to_string(f).unwrap(), f).unwrap();
                ((*f).to_owned(), rubric.audit(&a).unwrap())
            })
            .collect()
    }

    /// By hand: the teams' overall scores are 158/41, 132/41 and 124/41, so their mean is
    /// 414/123 = 138/41 = 3.366: below 3.5, at least 3.0. The lowest domain mean is housing
    /// process and structure, (23/6 + 16/6 + 18/6) / 3 = 57/18 = 19/6 = 3.167, then
    /// separation of housing and services, (28/7 + 15/7 + 24/7) / 3 = 67/21 = 3.190: both at
    /// least 3.0, both below 3.2.
    #[test]
    fn rules_on_the_teams_means_decide_by_hand_checked_figures() {
        let rubric = on_means("3.0");
        let o = organisation("x", teams(&rubric), &rubric).unwrap();
        let d = o.decision.unwrap();
        assert_eq!(d.outcome.code(), "conditional");
        let mean = &d.rules[0];
        assert_eq!((mean.verdict, mean.observed_exact.unwrap().to_string()), (Verdict::Fail, "138/41".to_owned()));
        assert_eq!(mean.failing, vec![SharedStr::from("total")]);
        let domains = &d.rules[1];
        assert_eq!((domains.verdict, domains.observed_exact.unwrap().to_string()), (Verdict::Pass, "19/6".to_owned()));
        assert_eq!(d.rules[2].verdict, Verdict::Pass);
        // The conditional team's label ends first.
        assert_eq!(d.valid_until, Some("2027-04-20".parse().unwrap()));

        let rubric = on_means("3.2");
        let d = organisation("x", teams(&rubric), &rubric).unwrap().decision.unwrap();
        let failing: Vec<&str> = d.rules[1].failing.iter().map(|x| x.as_ref()).collect();
        assert_eq!(failing, ["housing", "separation"]);
    }

    #[test]
    fn without_organisation_rules_there_is_no_decision() {
        let mut r = crate::shipped_rubric("hfb-label").unwrap().rubric().clone();
        r.policy.organisation = None;
        let rubric = CompiledRubric::new(r).unwrap();
        assert_eq!(organisation("x", teams(&rubric), &rubric).unwrap().decision, None);
    }
}
