//! Writes realistic, varied Housing First self-assessments for the `hfb-label` rubric,
//! for batch measurements (`benches/batch.sh`) and load tests.
//!
//! ```sh
//! cargo run --release --example generate-assessments -- OUT_DIR COUNT [SEED]
//! cargo run --release --example generate-assessments -- network OUT_DIR [SEED]
//! ```
//!
//! `network` writes the example network (`examples/network/`, seed 2026): twenty fictional
//! projects over three yearly rounds. Each project keeps its id, city, organisation and
//! team model (ACT, ICM and FACT in turn); its first round (2024) is a self-assessment and
//! the next two (2025, 2026) are LAB audits; from round to round its answers lean a little
//! further towards full fidelity, staircase projects drop their conditions in the last
//! round, and young projects answer every item from their second round on.
//!
//! The output is deterministic for a seed (default 7). Every file is a valid assessment
//! shaped like the shipped examples (`examples/*.yaml`): project, period, assessor, one
//! answer per item with evidence and comments, measured values for measured items. About
//! four in five are YAML and one in five JSON; ACT and ICM teams are mixed, and so are
//! outcomes: strong projects (granted), middling ones (conditional), staircase ones
//! (refused), young ones with unanswered items (incomplete), and ACT teams that look like
//! ICM (a model-check warning). Each file is read back and decided before it is kept, and
//! the outcome counts are printed at the end.
#![allow(missing_docs, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use hf_fidelity::rubric::model::{Band, EvidenceRule, Indicator, Item, NotApplicable, RuleKind, TeamModel};
use hf_fidelity::{Loader, Outcome, shipped_rubric};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// A level drawn from weights for levels 4, 3, 2, 1.
    fn level(&mut self, w: [u64; 4]) -> u8 {
        let total: u64 = w.iter().sum();
        let mut x = self.below(total);
        for (i, wi) in w.iter().enumerate() {
            if x < *wi {
                return 4 - i as u8;
            }
            x -= wi;
        }
        1
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Profile {
    /// A mature project: mostly full fidelity.
    Strong,
    /// Gaps here and there.
    Middling,
    /// A staircase programme calling itself Housing First: failed gates.
    Staircase,
    /// A young project that cannot answer some items yet.
    Young,
    /// An ACT team without psychiatrist or nurse and with ICM-sized caseloads.
    ActLooksIcm,
}

const ASSESSORS: [&str; 2] = ["self_assessment", "peer"];
const CITIES: &[&str] = &[
    "Antwerpen",
    "Gent",
    "Brugge",
    "Leuven",
    "Mechelen",
    "Hasselt",
    "Kortrijk",
    "Oostende",
    "Aalst",
    "Genk",
    "Brussels",
    "Schaerbeek",
    "Anderlecht",
    "Molenbeek",
    "Ixelles",
    "Liège",
    "Namur",
    "Charleroi",
    "Mons",
    "La Louvière",
    "Verviers",
    "Tournai",
    "Arlon",
    "Seraing",
];
const ORGS: &[&str] =
    &["OCMW", "CPAS", "CAW", "SVK", "Relais Social", "Straatwerk", "Solidarités Nouvelles", "Diogenes", "Samusocial", "De Schakel"];
const DOCS: &[&str] = &[
    "Intake form v{n}, section 'housing wishes'",
    "Participant files ({n} sampled)",
    "Tenant interviews ({n})",
    "Team meeting minutes, {y}",
    "Support agreement model {y}",
    "Lease register, February {y}",
    "Contact records in the client file system, Q{q} {y}",
    "Rehousing procedure (rev. {y})",
    "Training register {y}",
    "Supervision minutes ({n} sessions)",
    "Annual activity report {y}",
    "Partnership agreement with the local mental-health network ({y})",
    "Interview with the team coordinator",
    "Home visits during the audit ({n})",
];
const SENTENCES: &[&str] = &[
    "Tenants choose their dwelling among the offers the team finds with them; refusing an offer has no consequence for support.",
    "The team meets every morning to share the day's visits; the board shows who was seen and who needs a visit.",
    "Two participants lost their home in the period; both kept their support and one has been rehoused.",
    "The lease and the support agreement are separate documents signed with separate parties.",
    "Most contacts happen at home or in the neighbourhood; the office is used for the weekly walk-in.",
    "Rent burden is high for tenants on the private market; the team applies for the rent premium as early as possible.",
    "The psychiatrist works half-time with the team and joins home visits when a participant asks for it.",
    "Harm-reduction material and naloxone are carried on visits; goals about use are the participant's own.",
    "Participants are represented in the steering group since last year; two attended every meeting.",
    "Employment support is brokered through a partner; few participants have used it so far.",
    "Crisis cover outside office hours relies on the general emergency line, which the team wants to improve.",
    "Support plans are written with the participant and reviewed every quarter.",
    "The waiting time is the median over the move-ins of the period, from enrolment to signing a lease.",
    "Nobody was discharged for not engaging; the team keeps visiting and calling.",
];

/// A value inside `band` (and inside the indicator's range), with at most one decimal.
fn value_in(band: &Band, ind: &Indicator, rng: &mut Rng) -> Decimal {
    let lo = band.at_least.or(band.above).or(ind.min);
    let hi = band.at_most.or(band.below).or(ind.max);
    let tenth = Decimal::new(1, 1);
    let candidate = match (lo, hi) {
        (Some(lo), Some(hi)) => {
            let span = hi - lo;
            let steps = (span / tenth).trunc();
            let k = Decimal::from(rng.below(u64::try_from(steps.mantissa()).unwrap_or(1).max(1) + 1));
            lo + k * tenth
        }
        (Some(lo), None) => lo + Decimal::from(1 + rng.below(40)) + Decimal::new(rng.below(10) as i64, 1),
        (None, Some(hi)) => hi - Decimal::from(1 + rng.below(10)),
        (None, None) => Decimal::from(rng.below(100)),
    };
    let contains = |v: Decimal| {
        band.at_least.is_none_or(|b| v >= b)
            && band.above.is_none_or(|b| v > b)
            && band.at_most.is_none_or(|b| v <= b)
            && band.below.is_none_or(|b| v < b)
            && ind.min.is_none_or(|b| v >= b)
            && ind.max.is_none_or(|b| v <= b)
    };
    // Nudge off an excluded end; fall back to an end that belongs to the band.
    [candidate, candidate + tenth, candidate - tenth, lo.unwrap_or_default() + tenth, hi.unwrap_or_default() - tenth]
        .into_iter()
        .chain(lo)
        .chain(hi)
        .find(|v| contains(*v))
        .unwrap_or(candidate)
        .normalize()
}

/// The indicator that measures `item` for `model`, if any.
fn indicator<'a>(item: &'a Item, model: &TeamModel) -> Option<&'a Indicator> {
    item.variants.get(model).and_then(|v| v.indicator.as_ref()).or(item.indicator.as_ref())
}

struct Answer {
    level: Option<u8>,
    value: Option<Decimal>,
    not_applicable: bool,
    justification: Option<String>,
    evidence: Vec<String>,
    comment: Option<String>,
}

fn evidence(rng: &mut Rng, year: u32) -> Vec<String> {
    let n = 1 + rng.below(3) as usize;
    (0..n)
        .map(|_| {
            rng.pick(DOCS)
                .replace("{n}", &(2 + rng.below(14)).to_string())
                .replace("{y}", &(year - rng.below(3) as u32).to_string())
                .replace("{q}", &(1 + rng.below(4)).to_string())
        })
        .collect()
}

fn comment(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3) as usize;
    (0..n).map(|_| *rng.pick(SENTENCES)).collect::<Vec<_>>().join(" ")
}

/// A YAML double-quoted string (the texts here need no escapes but quotes and backslashes).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

struct Doc {
    id: String,
    name: String,
    location: String,
    /// The region, where the generated project names one.
    region: Option<&'static str>,
    model: TeamModel,
    date: String,
    from: String,
    to: String,
    assessor: &'static str,
    assessor_name: String,
    comment: String,
    answers: Vec<(String, String, Answer)>,
    /// Outcome indicators reported (id, value), if any.
    outcomes: Vec<(&'static str, String)>,
}

fn yaml(d: &Doc) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Generated by examples/generate-assessments.rs (fictional project).");
    s.push_str("format: hf-fidelity/assessment/v1\n");
    let _ = writeln!(s, "project:\n  id: {}\n  name: {}\n  location: {}", d.id, quoted(&d.name), quoted(&d.location));
    if let Some(r) = d.region {
        let _ = writeln!(s, "  region: {r}");
    }
    s.push_str("rubric: {id: hfb-label, version: 2.0.0}\n");
    let _ = writeln!(s, "team_model: {}\ndate: {}\nperiod: {{from: {}, to: {}}}", d.model.code(), d.date, d.from, d.to);
    let _ = writeln!(s, "assessor: {{kind: {}, name: {}}}", d.assessor, quoted(&d.assessor_name));
    let _ = writeln!(s, "comment: {}", quoted(&d.comment));
    s.push_str("responses:\n");
    let mut domain = "";
    for (dom, id, a) in &d.answers {
        if dom != domain {
            let _ = writeln!(s, "  # --- {dom} ---");
            domain = dom;
        }
        let _ = writeln!(s, "  {id}:");
        if a.not_applicable {
            s.push_str("    not_applicable: true\n");
        }
        if let Some(j) = &a.justification {
            let _ = writeln!(s, "    justification: {}", quoted(j));
        }
        if let Some(l) = a.level {
            let _ = writeln!(s, "    level: {l}");
        }
        if let Some(v) = a.value {
            let _ = writeln!(s, "    value: {v}");
        }
        if !a.evidence.is_empty() {
            let list: Vec<String> = a.evidence.iter().map(|e| quoted(e)).collect();
            let _ = writeln!(s, "    evidence: [{}]", list.join(", "));
        }
        if let Some(c) = &a.comment {
            let _ = writeln!(s, "    comment: {}", quoted(c));
        }
    }
    if !d.outcomes.is_empty() {
        s.push_str("outcomes:\n");
        for (id, v) in &d.outcomes {
            let _ = writeln!(s, "  {id}: {{value: {v}}}");
        }
    }
    s
}

fn json(d: &Doc) -> String {
    let q = |x: &str| serde_json::to_string(x).expect("a string serialises");
    let mut s = String::from("{\n  \"format\": \"hf-fidelity/assessment/v1\",\n");
    let _ = writeln!(s, "  \"project\": {{\"id\": {}, \"name\": {}, \"location\": {}}},", q(&d.id), q(&d.name), q(&d.location));
    s.push_str("  \"rubric\": {\"id\": \"hfb-label\", \"version\": \"2.0.0\"},\n");
    let _ = writeln!(s, "  \"team_model\": \"{}\",\n  \"date\": \"{}\",", d.model.code(), d.date);
    let _ = writeln!(s, "  \"period\": {{\"from\": \"{}\", \"to\": \"{}\"}},", d.from, d.to);
    let _ = writeln!(s, "  \"assessor\": {{\"kind\": \"{}\", \"name\": {}}},", d.assessor, q(&d.assessor_name));
    let _ = writeln!(s, "  \"comment\": {},", q(&d.comment));
    s.push_str("  \"responses\": {\n");
    for (k, (_, id, a)) in d.answers.iter().enumerate() {
        let mut fields = Vec::new();
        if a.not_applicable {
            fields.push("\"not_applicable\": true".to_owned());
        }
        if let Some(j) = &a.justification {
            fields.push(format!("\"justification\": {}", q(j)));
        }
        if let Some(l) = a.level {
            fields.push(format!("\"level\": {l}"));
        }
        if let Some(v) = a.value {
            fields.push(format!("\"value\": {v}"));
        }
        if !a.evidence.is_empty() {
            let list: Vec<String> = a.evidence.iter().map(|e| q(e)).collect();
            fields.push(format!("\"evidence\": [{}]", list.join(", ")));
        }
        if let Some(c) = &a.comment {
            fields.push(format!("\"comment\": {}", q(c)));
        }
        let comma = if k + 1 == d.answers.len() { "" } else { "," };
        let _ = writeln!(s, "    {}: {{\n      {}\n    }}{comma}", q(id), fields.join(",\n      "));
    }
    s.push_str("  }\n}\n");
    s
}

/// One answer per item that applies to `model`, drawn with `weights` (levels 4, 3, 2, 1)
/// and shaped by `profile` (staircase gates, ICM-like ACT teams, young projects' gaps).
#[allow(clippy::too_many_arguments)]
fn answers(
    rng: &mut Rng,
    spec: &hf_fidelity::Rubric,
    gates: &[&str],
    profile: Profile,
    model: &TeamModel,
    weights: [u64; 4],
    year: u32,
) -> Vec<(String, String, Answer)> {
    let mut answers = Vec::new();
    let mut unanswered = 0;
    for domain in &spec.domains {
        for item in &domain.items {
            if item.team_models.as_ref().is_some_and(|m| !m.contains(model)) {
                continue;
            }
            let gate = gates.contains(&item.id.as_str());
            let mut level = rng.level(weights);
            if gate && profile == Profile::Staircase {
                level = 1 + rng.below(2) as u8;
            }
            if profile == Profile::ActLooksIcm && (item.id == "psychiatric_services" || item.id == "nursing_medical") {
                level = 1 + rng.below(2) as u8;
            }
            if item.required && profile == Profile::Young && unanswered < 5 && rng.chance(0.12) {
                unanswered += 1;
                continue;
            }
            let mut a =
                Answer { level: None, value: None, not_applicable: false, justification: None, evidence: Vec::new(), comment: None };
            if item.not_applicable != NotApplicable::Forbidden && rng.chance(0.08) {
                a.not_applicable = true;
                a.justification = Some("The project has no participants this item concerns in the period.".to_owned());
            } else {
                match indicator(item, model) {
                    Some(ind) => {
                        let band = if profile == Profile::ActLooksIcm && item.id == "staff_ratio" {
                            ind.bands.iter().find(|b| b.level == 3)
                        } else {
                            ind.bands.iter().find(|b| b.level == level)
                        };
                        let band = band.or(ind.bands.first()).expect("an indicator has bands");
                        a.value = Some(value_in(band, ind, rng));
                    }
                    None => a.level = Some(level),
                }
                if item.evidence == EvidenceRule::Required || rng.chance(0.75) {
                    a.evidence = evidence(rng, year);
                }
            }
            if rng.chance(0.55) {
                a.comment = Some(comment(rng));
            }
            answers.push((domain.id.clone(), item.id.clone(), a));
        }
    }
    answers
}

/// The items the label's rules hold at a minimum level (gates).
fn gates(spec: &hf_fidelity::Rubric) -> Vec<&str> {
    spec.policy
        .outcomes
        .iter()
        .flat_map(|o| &o.rules)
        .filter(|r| r.kind == RuleKind::MinLevel)
        .flat_map(|r| r.items.iter().map(String::as_str))
        .collect()
}

/// Weights for levels 4, 3, 2, 1 moved `steps` times a tenth of the way from the lower
/// levels to the top: a project that improves from one round to the next.
fn improved(w: [u64; 4], steps: u64) -> [u64; 4] {
    let [a, b, c, d] = w;
    let moved_c = c * steps / 10;
    let moved_d = d * steps * 2 / 10;
    let moved_b = b * steps / 10;
    [a + moved_b + moved_c, b - moved_b + moved_d, c - moved_c, d - moved_d]
}

/// The example network: twenty projects, three rounds each (see the module docs).
/// The outcome indicators a LAB round of project `p` reports: from their own random stream
/// (so that the answers stay what the seed gave before they existed), better for a more
/// faithful profile, as studies find on average; housing retention at 24 months only from
/// the project's third round.
fn outcome_figures(seed: u64, p: usize, round: u64, profile: Profile) -> Vec<(&'static str, String)> {
    let mut rng = Rng(seed ^ ((p as u64 + 1) << 20) ^ (round << 8));
    let base: u64 = match profile {
        Profile::Strong => 900,
        Profile::Middling | Profile::Young => 840,
        Profile::Staircase | Profile::ActLooksIcm => 760,
    };
    let tenths = |x: u64| format!("{}.{}", x / 10, x % 10);
    let retention_12 = (base + rng.below(80)).min(1000);
    let mut out = vec![("housing_retention_12m", tenths(retention_12))];
    if round >= 2 {
        out.push(("housing_retention_24m", tenths(retention_12.saturating_sub(20 + rng.below(60)))));
    }
    out.push(("returns_to_homelessness", tenths((1000 - retention_12) / 2 + rng.below(30))));
    out.push(("participant_satisfaction", tenths(70 + rng.below(20))));
    out.push(("participants", (15 + rng.below(70)).to_string()));
    out
}

fn network(out: &std::path::Path, seed: u64) {
    const PROJECTS: usize = 20;
    let rubric = shipped_rubric("hfb-label").expect("the shipped rubric loads");
    let spec = rubric.rubric();
    let gates = gates(spec);
    let loader = Loader::default();
    let mut rng = Rng(seed);
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    for p in 0..PROJECTS {
        let profile = match p % 5 {
            0 | 1 => Profile::Middling,
            2 => Profile::Strong,
            3 => Profile::Staircase,
            _ => Profile::Young,
        };
        let model = TeamModel::from(["act", "icm", "fact"][p % 3]);
        let city = CITIES[p % CITIES.len()];
        // CITIES lists ten Flemish cities, then five Brussels municipalities, then Walloon ones.
        let region = match p % CITIES.len() {
            0..10 => "flanders",
            10..15 => "brussels",
            _ => "wallonia",
        };
        let org = *rng.pick(ORGS);
        let id = format!("{}-{}-{p:02}", city.to_lowercase().replace([' ', 'è', 'é'], "-"), model.code());
        let (month, day) = (1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        for round in 0..3u64 {
            let year = 2024 + round as u32;
            // Staircase projects drop their conditions in the last round; young ones answer
            // every item from their second round on.
            let now = match (profile, round) {
                (Profile::Staircase, 2) | (Profile::Young, 1 | 2) => Profile::Middling,
                _ => profile,
            };
            let base = match now {
                Profile::Strong => [70, 25, 5, 0],
                Profile::Middling => [35, 45, 17, 3],
                Profile::Staircase => [35, 35, 20, 10],
                Profile::Young => [30, 50, 17, 3],
                Profile::ActLooksIcm => [45, 40, 13, 2],
            };
            let weights = improved(base, round * 2);
            let answers = answers(&mut rng, spec, &gates, now, &model, weights, year);
            let lab = round > 0;
            let doc = Doc {
                id: id.clone(),
                name: format!("Housing First {city} ({org}), fictional"),
                location: format!("{city}, Belgium"),
                region: Some(region),
                model: model.clone(),
                date: format!("{year}-{month:02}-{day:02}"),
                from: format!("{}-{month:02}-01", year - 1),
                to: format!("{year}-{month:02}-01"),
                assessor: if lab { "lab" } else { "self_assessment" },
                assessor_name: if lab { "Housing First Belgium LAB audit team".to_owned() } else { format!("{org} {city} team") },
                comment: format!(
                    "Fictional project of the example network (generate-assessments network, seed {seed}), round {}.",
                    round + 1
                ),
                answers,
                outcomes: if lab { outcome_figures(seed, p, round, now) } else { Vec::new() },
            };
            let text = yaml(&doc);
            let name = format!("{id}-{year}.yaml");
            let a = loader.assessment_from_str(&text, &name).unwrap_or_else(|e| panic!("generated {name} does not parse: {e}\n{text}"));
            let decision = rubric.decide_named(&a, &name).unwrap_or_else(|e| panic!("generated {name} is not valid: {e}"));
            *outcomes.entry(decision.outcome).or_default() += 1;
            std::fs::write(out.join(&name), &text).expect("the file can be written");
        }
    }
    let mix: Vec<String> = outcomes.iter().map(|(o, n)| format!("{n} {o}")).collect();
    println!("wrote {PROJECTS} projects over 3 rounds to {}: {}", out.display(), mix.join(", "));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("network") {
        let usage = "usage: generate-assessments network OUT_DIR [SEED]";
        let out = PathBuf::from(args.get(1).expect(usage));
        let seed: u64 = args.get(2).map_or(2026, |s| s.parse().expect("SEED is a whole number"));
        std::fs::create_dir_all(&out).expect("the output folder can be created");
        network(&out, seed);
        return;
    }
    let usage = "usage: generate-assessments OUT_DIR COUNT [SEED]";
    let out = PathBuf::from(args.first().expect(usage));
    let count: usize = args.get(1).expect(usage).parse().expect("COUNT is a whole number");
    let seed: u64 = args.get(2).map_or(7, |s| s.parse().expect("SEED is a whole number"));
    std::fs::create_dir_all(&out).expect("the output folder can be created");

    let rubric = shipped_rubric("hfb-label").expect("the shipped rubric loads");
    let spec = rubric.rubric();
    let gates = gates(spec);
    let loader = Loader::default();
    let mut rng = Rng(seed);
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    let (mut yaml_files, mut json_files, mut bytes) = (0usize, 0usize, 0usize);
    for i in 0..count {
        let profile = match rng.below(100) {
            0..35 => Profile::Strong,
            35..60 => Profile::Middling,
            60..78 => Profile::Staircase,
            78..90 => Profile::Young,
            _ => Profile::ActLooksIcm,
        };
        let model = if profile == Profile::ActLooksIcm || rng.chance(0.5) { TeamModel::from("act") } else { TeamModel::from("icm") };
        let weights = match profile {
            Profile::Strong => [80, 18, 2, 0],
            Profile::Middling => [35, 45, 17, 3],
            Profile::Staircase => [35, 35, 20, 10],
            Profile::Young => [30, 50, 17, 3],
            Profile::ActLooksIcm => [45, 40, 13, 2],
        };
        let year = 2024 + rng.below(3) as u32;
        let month = 1 + rng.below(12) as u32;
        let city = *rng.pick(CITIES);
        let org = *rng.pick(ORGS);
        let doc_id = format!("{}-{}-{i:06}", city.to_lowercase().replace([' ', 'è'], "-"), model.code());
        let answers = answers(&mut rng, spec, &gates, profile, &model, weights, year);
        let lab = rng.chance(0.4);
        let doc = Doc {
            id: doc_id.clone(),
            name: format!("Housing First {city} ({org})"),
            location: format!("{city}, Belgium"),
            region: None,
            model,
            date: format!("{year}-{month:02}-{:02}", 1 + rng.below(28)),
            from: format!("{}-{month:02}-01", year - 1),
            to: format!("{year}-{month:02}-01"),
            assessor: if lab { "lab" } else { ASSESSORS[usize::from(rng.chance(0.5))] },
            assessor_name: if lab { "Housing First Belgium LAB audit team".to_owned() } else { format!("{org} {city} team") },
            comment: comment(&mut rng),
            answers,
            outcomes: Vec::new(),
        };
        let as_json = rng.chance(0.2);
        let (text, ext) = if as_json { (json(&doc), "json") } else { (yaml(&doc), "yaml") };
        let name = format!("{i:06}-{doc_id}.{ext}");
        let a = loader.assessment_from_str(&text, &name).unwrap_or_else(|e| panic!("generated {name} does not parse: {e}\n{text}"));
        let decision = rubric.decide_named(&a, &name).unwrap_or_else(|e| panic!("generated {name} is not valid: {e}"));
        *outcomes.entry(decision.outcome).or_default() += 1;
        std::fs::write(out.join(&name), &text).expect("the file can be written");
        if as_json {
            json_files += 1;
        } else {
            yaml_files += 1;
        }
        bytes += text.len();
    }
    let mix: Vec<String> = outcomes.iter().map(|(o, n)| format!("{n} {o}")).collect();
    println!(
        "wrote {count} assessments ({yaml_files} YAML, {json_files} JSON, {} KiB) to {}: {}",
        bytes / 1024,
        out.display(),
        mix.join(", ")
    );
}
