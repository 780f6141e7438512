//! What a project fills in: a blank self-assessment for a rubric and a team model, with
//! every item in order and what it asks in comments ([`template`]), and the rubric's items
//! at a glance ([`overview`]).
//!
//! The template is YAML that [`crate::Loader`] reads back: once the project, the date and
//! the answers are filled in, `hf-fidelity check` and `audit` take it as it is. An item
//! left blank is unanswered (the decision is `incomplete` while a required one is).

use crate::assessment::{ASSESSMENT_FORMAT, Assessment, Response};
use crate::engine::CompiledRubric;
use crate::error::{Error, internal};
use crate::rubric::compile::Check;
use crate::rubric::model::{EvidenceRule, Item, NotApplicable, TeamModel};
use crate::text::{Lang, Text, capitalised, colon};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The template's own words in one language.
struct Words {
    head: &'static str,
    how: [&'static str; 3],
    previous: &'static str,
    project_id: &'static str,
    project_name: &'static str,
    location: &'static str,
    date: &'static str,
    period: &'static str,
    assessor: &'static str,
    levels: &'static str,
    measured: &'static str,
    give_value: &'static str,
    value_or_level: &'static str,
    evidence_required: &'static str,
    evidence_kinds: &'static str,
    na_forbidden: &'static str,
    na_justified: &'static str,
    na_allowed: &'static str,
    optional: &'static str,
    dropped: &'static str,
    minimum: &'static str,
    why: &'static str,
    fill: &'static str,
    target_public: &'static str,
    target_minimum: &'static str,
}

const EN: Words = Words {
    head: "Self-assessment",
    how: [
        "Answer every item below with its `level` (the description of each level is in the comments above it) or, for a measured item, with its measured `value`: the level then follows from the bands.",
        "Add the `evidence` each answer rests on (documents, files, registers) and a `comment` where it helps.",
        "Fill in the project, the date and the period assessed, then run `hf-fidelity check` and `hf-fidelity audit` on this file.",
    ],
    previous: "pre-filled from the previous round",
    project_id: "a short id: lowercase letters, digits, `-`, `_` and `.` (e.g. ghent-act-dampoort)",
    project_name: "the project's name",
    location: "municipality and region",
    date: "the day of the assessment, YYYY-MM-DD",
    period: "the period assessed (optional): period: {from: YYYY-MM-DD, to: YYYY-MM-DD}",
    assessor: "your name or your team's (optional)",
    levels: "Levels",
    measured: "Measured",
    give_value: "give the measured value, not a level",
    value_or_level: "give the measured value (or a level)",
    evidence_required: "Evidence is required.",
    evidence_kinds: "A LAB or peer review needs evidence of kind",
    na_forbidden: "Cannot be answered not applicable.",
    na_justified: "May be answered `not_applicable: true` with a `justification`.",
    na_allowed: "May be answered `not_applicable: true`.",
    optional: "Optional: not needed for a decision.",
    dropped: "Answers of the previous round to items this rubric no longer has (not carried over)",
    fill: "to fill in",
    target_public: "The project's own admission criteria, checked against the rubric's minimum target public: the ETHOS categories it admits (1-13); how long someone must have been homeless, any one of the durations listed (`months`, and `within_months` to count only the last months); the combination of problems it asks (`required` kinds, and `at_least` kinds in all) among: {}.",
    target_minimum: "The rubric's minimum, to be made stricter or kept as it is:",
    minimum: "Minimum level",
    why: "what supports this answer (optional)",
};

const NL: Words = Words {
    head: "Zelfevaluatie",
    how: [
        "Beantwoord elk item hieronder met zijn niveau (`level`; de beschrijving per niveau staat in de commentaar erboven) of, bij een gemeten item, met de gemeten waarde (`value`): het niveau volgt dan uit de klasse waarin de waarde valt.",
        "Vermeld de bewijsstukken (`evidence`) waarop elk antwoord steunt (documenten, dossiers, registers) en waar nodig een opmerking (`comment`).",
        "Vul het project, de datum en de beoordeelde periode in en voer dan `hf-fidelity check` en `hf-fidelity audit` uit op dit bestand.",
    ],
    previous: "vooraf ingevuld op basis van de vorige beoordeling",
    project_id: "een korte id: kleine letters, cijfers, `-`, `_` en `.` (bv. gent-act-dampoort)",
    project_name: "de naam van het project",
    location: "gemeente en gewest",
    date: "de datum van de beoordeling, JJJJ-MM-DD",
    period: "de beoordeelde periode (optioneel): period: {from: JJJJ-MM-DD, to: JJJJ-MM-DD}",
    assessor: "uw naam of die van uw team (optioneel)",
    levels: "Niveaus",
    measured: "Gemeten waarde",
    give_value: "vul de gemeten waarde in, geen niveau",
    value_or_level: "vul de gemeten waarde in (of een niveau)",
    evidence_required: "Bewijsstukken zijn verplicht.",
    evidence_kinds: "Vereiste soorten bewijsstukken voor een audit door het LAB of een collegiale toetsing",
    na_forbidden: "Mag niet met ‘niet van toepassing’ beantwoord worden.",
    na_justified: "Mag als niet van toepassing beantwoord worden (`not_applicable: true`), met een verantwoording (`justification`).",
    na_allowed: "Mag als niet van toepassing beantwoord worden (`not_applicable: true`).",
    optional: "Optioneel: niet nodig voor een beslissing.",
    dropped: "Antwoorden uit de vorige beoordeling op items die niet meer in dit beoordelingsrooster staan (niet overgenomen)",
    fill: "in te vullen",
    target_public: "De eigen instroomcriteria van het project, getoetst aan de minimale doelgroep van het beoordelingsrooster: de ETHOS-categorieën die het project aanvaardt (1-13); hoe lang iemand dakloos moet zijn geweest, een van de opgesomde duren volstaat (`months`, en `within_months` om enkel de laatste maanden te tellen); de combinatie van problemen die het vraagt (`required`: verplichte soorten, `at_least`: minimaal aantal soorten), te kiezen uit: {}.",
    target_minimum: "Het minimum van het beoordelingsrooster, strenger te maken of te behouden:",
    minimum: "Minimumniveau",
    why: "wat dit antwoord onderbouwt (optioneel)",
};

const FR: Words = Words {
    head: "Autoévaluation",
    how: [
        "Répondez à chaque item ci-dessous par son niveau (`level` ; la description de chaque niveau figure dans les commentaires qui le précèdent) ou, pour un item mesuré, par la valeur mesurée (`value`) : le niveau découle alors de la tranche dans laquelle se situe la valeur.",
        "Indiquez les pièces justificatives (`evidence`) sur lesquelles repose chaque réponse (documents, dossiers, registres) et, si utile, un commentaire (`comment`).",
        "Indiquez le projet, la date et la période évaluée, puis lancez `hf-fidelity check` et `hf-fidelity audit` sur ce fichier.",
    ],
    previous: "prérempli à partir de l'évaluation précédente",
    project_id: "un identifiant court : lettres minuscules, chiffres, `-`, `_` et `.` (p. ex. bruxelles-icm-1)",
    project_name: "le nom du projet",
    location: "commune et région",
    date: "la date de l'évaluation, AAAA-MM-JJ",
    period: "la période évaluée (facultatif) : period: {from: AAAA-MM-JJ, to: AAAA-MM-JJ}",
    assessor: "votre nom ou celui de votre équipe (facultatif)",
    levels: "Niveaux",
    measured: "Valeur mesurée",
    give_value: "indiquez la valeur mesurée, pas un niveau",
    value_or_level: "indiquez la valeur mesurée (ou un niveau)",
    evidence_required: "Pièces justificatives obligatoires.",
    evidence_kinds: "Pour un audit du LAB ou un examen par les pairs, types de pièces justificatives requis",
    na_forbidden: "Ne peut pas être déclaré sans objet.",
    na_justified: "Peut être déclaré sans objet (`not_applicable: true`), avec une justification (`justification`).",
    na_allowed: "Peut être déclaré sans objet (`not_applicable: true`).",
    optional: "Facultatif : pas nécessaire pour une décision.",
    dropped: "Réponses de l'évaluation précédente à des items qui ne figurent plus dans cette grille (non reprises)",
    fill: "à compléter",
    target_public: "Les critères d'admission propres au projet, confrontés au public cible minimal de la grille : les catégories ETHOS admises (1-13) ; depuis combien de temps une personne doit être sans abri, une seule des durées énumérées suffit (`months`, et `within_months` pour ne compter que les derniers mois) ; la combinaison de problématiques exigée (`required` : types obligatoires, `at_least` : nombre minimal de types) parmi : {}.",
    target_minimum: "Le minimum de la grille, à rendre plus strict ou à garder tel quel :",
    minimum: "Niveau minimum",
    why: "ce qui étaye cette réponse (facultatif)",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::En | Lang::De => &EN,
    }
}

/// A YAML scalar for `s`: a double-quoted string (JSON's quoting is valid YAML).
fn quoted(s: &str) -> Result<String, Error> {
    serde_json::to_string(s).map_err(|e| Error::Serialise("a template's text", e.to_string()))
}

/// Writes `text` as comment lines indented by `indent`, wrapped near 100 columns: the first
/// line of each paragraph starts with `lead`, the others hang under its text, `hang`
/// spaces further.
fn comment(o: &mut String, indent: &str, lead: &str, hang: usize, text: &str) {
    let width = 100usize.saturating_sub(indent.len()).saturating_sub(lead.len()).saturating_sub(hang).max(40);
    let pad = " ".repeat(lead.chars().count().saturating_add(hang));
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut first = true;
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count().saturating_add(word.chars().count()) >= width {
                let _ = writeln!(o, "{indent}# {}{line}", if first { lead } else { pad.as_str() });
                first = false;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let _ = writeln!(o, "{indent}# {}{}", if first { lead } else { pad.as_str() }, line.trim_end());
    }
}

/// How an item is measured for a team model, in words.
struct Measure {
    /// What is measured (the indicator's title).
    title: String,
    /// Each band's level and its range in words, in the order of values.
    bands: Vec<(u8, String)>,
}

/// The anchors of `item` for team model `tm`: a variant's where it replaces them.
fn anchors<'a>(item: &'a Item, tm: &TeamModel) -> &'a BTreeMap<u8, Text> {
    item.variants.get(tm).and_then(|v| v.anchors.as_ref()).unwrap_or(&item.anchors)
}

/// A blank self-assessment of `rubric` for a `team_model` team, with its texts in `lang`:
/// every item that applies to the model, in rubric order, each with its title, what it
/// looks at, the description of every level, and for a measured item its unit and bands
/// (as they are for that model), with whether evidence is required and whether the item
/// may be answered not applicable.
///
/// With `from` (a previous round of the same project), the new round starts from its
/// answers: the project, levels, values, evidence and comments are carried over; the
/// date is left to fill in, the rater is the project itself, and answers to items the
/// rubric no longer has are listed in a comment rather than carried over.
///
/// ```
/// use hf_fidelity::{Lang, Loader, TeamModel, shipped_rubric, template};
/// let rubric = shipped_rubric("hfb-label")?;
/// let blank = template::template(&rubric, &TeamModel::from("icm"), Lang::Fr, None)?;
/// assert!(blank.contains("no_housing_readiness:"));
/// // Filled in, it is an assessment (incomplete until its items are answered).
/// let filled = blank.replace("id: \"\"", "id: \"bruxelles-icm-1\"").replace("date:  #", "date: 2026-05-04  #");
/// let a = Loader::default().assessment_from_str(&filled, "form.yaml")?;
/// assert!(rubric.decide(&a)?.outcome.is_incomplete());
/// # Ok::<(), hf_fidelity::Error>(())
/// ```
pub fn template(rubric: &CompiledRubric, team_model: &TeamModel, lang: Lang, from: Option<&Assessment>) -> Result<String, Error> {
    rubric.require_model(team_model)?;
    let r = rubric.rubric();
    let w = words(lang);
    let c = colon(lang);
    let mut o = String::new();
    let _ = writeln!(o, "# {}{c} {} ({} {}), {team_model}", w.head, r.title.get(lang), r.id, r.version);
    if from.is_some() {
        let _ = writeln!(o, "# ({})", w.previous);
    }
    for line in w.how {
        comment(&mut o, "", "", 0, line);
    }
    let _ = writeln!(o, "format: {ASSESSMENT_FORMAT}");
    let project = from.map(|a| &a.project);
    let _ = writeln!(o, "project:");
    let _ = writeln!(o, "  id: {}  # {}", quoted(project.map_or("", |p| p.id.as_str()))?, w.project_id);
    let _ = writeln!(o, "  name: {}  # {}", quoted(project.map_or("", |p| p.name.as_str()))?, w.project_name);
    match project.and_then(|p| p.location.as_deref()) {
        Some(l) => {
            let _ = writeln!(o, "  location: {}  # {}", quoted(l)?, w.location);
        }
        None => {
            let _ = writeln!(o, "  # location: \"\"  # {}", w.location);
        }
    }
    let _ = writeln!(o, "rubric: {{id: {}, version: {}}}", quoted(&r.id)?, quoted(&r.version)?);
    let _ = writeln!(o, "team_model: {}", team_model.code());
    match from {
        Some(a) => {
            let _ = writeln!(o, "date:  # {} ({}{c} {})", w.date, w.previous, a.date);
        }
        None => {
            let _ = writeln!(o, "date:  # {}", w.date);
        }
    }
    let _ = writeln!(o, "# {}", w.period);
    let _ = writeln!(o, "assessor: {{kind: self_assessment, name: \"\"}}  # {}", w.assessor);
    let _ = writeln!(o, "rating: self_assessment");
    if let Some(t) = &r.target_public {
        target_public(&mut o, t, w, lang, from.and_then(|a| a.target_public.as_ref()))?;
    }
    let _ = writeln!(o, "responses:");
    let mut ix = 0usize;
    for domain in &r.domains {
        let _ = writeln!(o, "\n  # === {} ===", domain.title.get(lang));
        for item in &domain.items {
            let here = ix;
            ix = ix.saturating_add(1);
            if !rubric.item_applies(here, team_model) {
                continue;
            }
            write_item(&mut o, rubric, item, here, team_model, lang, from.and_then(|a| a.responses.get(&item.id)))?;
        }
    }
    if let Some(a) = from {
        let known: Vec<&str> = rubric.item_ids().collect();
        let dropped: Vec<&str> = a.responses.keys().map(String::as_str).filter(|id| !known.contains(id)).collect();
        if !dropped.is_empty() {
            let _ = writeln!(o, "\n  # {}{c} {}", w.dropped, dropped.join(", "));
        }
    }
    Ok(o)
}

/// The project's own admission criteria: what they are, then the previous round's, or the
/// rubric's minimum as a commented-out starting point (the template reads back without it).
fn target_public(
    o: &mut String,
    t: &crate::target::TargetPublic,
    w: &Words,
    lang: Lang,
    previous: Option<&crate::target::Criteria>,
) -> Result<(), Error> {
    let kinds: Vec<String> = t.problem_kinds.iter().map(|k| format!("{} ({})", k.id, k.title.get(lang))).collect();
    comment(o, "", "", 0, &w.target_public.replacen("{}", &kinds.join(", "), 1));
    let yaml =
        |c: &crate::target::Criteria| serde_yaml::to_string(c).map_err(|_| Error::Internal("admission criteria that YAML cannot write"));
    match previous {
        Some(c) => {
            let _ = writeln!(o, "target_public:");
            for line in yaml(c)?.lines() {
                let _ = writeln!(o, "  {line}");
            }
        }
        None => {
            let _ = writeln!(o, "# {}", w.target_minimum);
            let _ = writeln!(o, "# target_public:");
            for line in yaml(&t.minimum)?.lines() {
                let _ = writeln!(o, "#   {line}");
            }
        }
    }
    Ok(())
}

/// One item of the template: its comments, then its answer (blank, or the previous one).
fn write_item(
    o: &mut String,
    rubric: &CompiledRubric,
    item: &Item,
    ix: usize,
    tm: &TeamModel,
    lang: Lang,
    previous: Option<&Response>,
) -> Result<(), Error> {
    let w = words(lang);
    let c = colon(lang);
    let _ = writeln!(o);
    comment(o, "  ", "", 0, &format!("{} ({})", item.title.get(lang), item.id));
    comment(o, "  ", "", 0, item.description.get(lang));
    if let Some(v) = item.variants.get(tm) {
        comment(o, "  ", "", 0, &format!("{tm}{c} {}", v.note.get(lang)));
    }
    let _ = writeln!(o, "  # {}{c}", w.levels);
    for (level, text) in anchors(item, tm) {
        comment(o, "  ", &format!("  {level}{c} "), 0, text.get(lang));
    }
    let measured = rubric.measured(ix, tm, lang)?;
    if let Some(m) = &measured {
        comment(o, "  ", "", 2, &format!("{}{c} {}", w.measured, m.title));
        for (level, band) in &m.bands {
            let _ = writeln!(o, "  #   {level}{c} {band}");
        }
    }
    if item.evidence == EvidenceRule::Required {
        let _ = writeln!(o, "  # {}", w.evidence_required);
    }
    if !item.evidence_kinds.is_empty() {
        let labels = crate::report::labels::Labels::of(lang);
        let kinds: Vec<&str> = item.evidence_kinds.iter().map(|k| labels.evidence_kind(*k)).collect();
        comment(o, "  ", "", 2, &format!("{}{c} {}.", w.evidence_kinds, kinds.join(", ")));
    }
    let na = match item.not_applicable {
        NotApplicable::Forbidden => w.na_forbidden,
        NotApplicable::Justified => w.na_justified,
        NotApplicable::Allowed => w.na_allowed,
    };
    comment(o, "  ", "", 2, na);
    if !item.required {
        let _ = writeln!(o, "  # {}", w.optional);
    }
    let _ = writeln!(o, "  {}:", item.id);
    match previous {
        Some(p) if p.not_applicable => {
            let _ = writeln!(o, "    not_applicable: true");
            if let Some(j) = &p.justification {
                let _ = writeln!(o, "    justification: {}", quoted(j)?);
            }
        }
        _ => {
            let value = previous.and_then(|p| p.value).map(|v| v.to_string()).unwrap_or_default();
            let level = previous.and_then(|p| p.level).map(|l| l.to_string()).unwrap_or_default();
            let scale = rubric.rubric().scale;
            match &measured {
                Some(_) if item.value_required => {
                    let _ = writeln!(o, "    value: {value}  # {}", w.give_value);
                }
                Some(_) => {
                    let _ = writeln!(o, "    value: {value}  # {}", w.value_or_level);
                    if !level.is_empty() {
                        let _ = writeln!(o, "    level: {level}  # {}-{}", scale.min, scale.max);
                    }
                }
                None => {
                    let _ = writeln!(o, "    level: {level}  # {}-{}", scale.min, scale.max);
                }
            }
        }
    }
    let evidence = previous.map(|p| p.evidence.as_slice()).unwrap_or_default();
    if evidence.is_empty() {
        let _ = writeln!(o, "    evidence: []  # {}", w.fill);
    } else {
        let _ = writeln!(o, "    evidence:");
        for e in evidence {
            let _ = writeln!(o, "      - {}", crate::review::evidence_yaml(e));
        }
    }
    match previous.and_then(|p| p.comment.as_deref()) {
        Some(text) => {
            let _ = writeln!(o, "    comment: {}", quoted(text)?);
        }
        None => {
            let _ = writeln!(o, "    comment:  # {}", w.why);
        }
    }
    Ok(())
}

/// The rubric at a glance, in `lang`: per domain, each item with its id, title, principles,
/// the team models it applies to, how it is measured per model (bands), whether evidence is
/// required, and the minimum level each outcome of the policy asks of it.
///
/// ```
/// use hf_fidelity::{Lang, shipped_rubric, template};
/// let table = template::overview(&shipped_rubric("hfb-label")?, Lang::En)?;
/// assert!(table.contains("no_housing_readiness"));
/// # Ok::<(), hf_fidelity::Error>(())
/// ```
pub fn overview(rubric: &CompiledRubric, lang: Lang) -> Result<String, Error> {
    let r = rubric.rubric();
    let c = colon(lang);
    let labels = crate::report::labels::Labels::of(lang);
    let w = words(lang);
    let mut o = String::new();
    let _ = writeln!(o, "{} ({} {})", r.title.get(lang), r.id, r.version);
    let models: Vec<String> = r.team_models.iter().map(ToString::to_string).collect();
    let _ = writeln!(o, "{}{c} {}", capitalised(labels.team_model), models.join(", "));
    let _ = writeln!(o, "{}{c} {}-{}", capitalised(labels.scale), r.scale.min, r.scale.max);
    let principle = |id: &str| r.principles.iter().find(|p| p.id == id).map_or(id.to_owned(), |p| p.title.get(lang).to_owned());
    let gates = rubric.gates(lang)?;
    let mut ix = 0usize;
    for domain in &r.domains {
        let _ = writeln!(o, "\n{} ({})", domain.title.get(lang), domain.id);
        for item in &domain.items {
            let here = ix;
            ix = ix.saturating_add(1);
            let _ = writeln!(o, "  {}  {}", item.id, item.title.get(lang));
            let applies: Vec<&TeamModel> = r.team_models.iter().filter(|tm| rubric.item_applies(here, tm)).collect();
            let mut facts = vec![applies.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")];
            if !item.principles.is_empty() {
                let names: Vec<String> = item.principles.iter().map(|p| principle(p)).collect();
                facts.push(format!("{}{c} {}", labels.principles, names.join(", ")));
            }
            if item.evidence == EvidenceRule::Required {
                facts.push(w.evidence_required.trim_end_matches('.').to_owned());
            }
            let _ = writeln!(o, "      {}", facts.join(" · "));
            // Models measured alike are listed together.
            let mut measured: Vec<(Vec<String>, String)> = Vec::new();
            for tm in applies {
                if let Some(m) = rubric.measured(here, tm, lang)? {
                    let bands: Vec<String> = m.bands.iter().map(|(l, b)| format!("{l}{c} {b}")).collect();
                    let sep = if lang == Lang::Fr { " ; " } else { "; " };
                    let line = format!("{}{sep}{}", m.title, bands.join(sep));
                    match measured.iter_mut().find(|(_, l)| *l == line) {
                        Some((models, _)) => models.push(tm.to_string()),
                        None => measured.push((vec![tm.to_string()], line)),
                    }
                }
            }
            for (models, line) in measured {
                let _ = writeln!(o, "      {} ({}){c} {line}", w.measured, models.join(", "));
            }
            let asked: Vec<String> =
                gates.get(here).into_iter().flatten().map(|(outcome, level)| format!("{outcome} >= {level}")).collect();
            if !asked.is_empty() {
                let _ = writeln!(o, "      {}{c} {}", w.minimum, asked.join(", "));
            }
        }
    }
    if let Some(t) = &r.target_public {
        let _ = writeln!(o, "\n{}", criteria_in_words(t, &t.minimum, lang));
    }
    Ok(o)
}

/// Criteria `k` in words, as the rubric's minimum target public: ETHOS categories,
/// durations, problems.
fn criteria_in_words(t: &crate::target::TargetPublic, k: &crate::target::Criteria, lang: Lang) -> String {
    let c = colon(lang);
    let (head, ethos, homeless, or, problems, of, and) = match lang {
        Lang::Nl => ("Minimale doelgroep", "ETHOS-categorieën", "dakloos", "of", "problemen", "minstens {} van", "en"),
        Lang::Fr => ("Public cible minimal", "catégories ETHOS", "sans abri", "ou", "problématiques", "au moins {} parmi", "et"),
        Lang::En | Lang::De => ("Minimum target public", "ETHOS categories", "homeless", "or", "problems", "at least {} of", "and"),
    };
    let duration = |d: &crate::target::Duration| match (lang, d.within_months) {
        (Lang::Nl, Some(w)) if w == d.months => format!("minstens de laatste {w} maanden"),
        (Lang::Nl, Some(w)) => format!("{} maanden binnen de laatste {w}", d.months),
        (Lang::Nl, None) => format!("in totaal {} maanden", d.months),
        (Lang::Fr, Some(w)) if w == d.months => format!("depuis au moins {w} mois"),
        (Lang::Fr, Some(w)) => format!("{} mois sur les {w} derniers", d.months),
        (Lang::Fr, None) => format!("{} mois au total", d.months),
        (_, Some(w)) if w == d.months => format!("at least the last {w} months"),
        (_, Some(w)) => format!("{} months within the last {w}", d.months),
        (_, None) => format!("{} months in total", d.months),
    };
    let title = |id: &str| t.problem_kinds.iter().find(|p| p.id == id).map_or_else(|| id.to_owned(), |p| p.title.get(lang).to_owned());
    let all: Vec<String> = t.problem_kinds.iter().map(|p| p.title.get(lang).to_owned()).collect();
    let mut asked: Vec<String> = k.problems.required.iter().map(|id| title(id)).collect();
    asked.push(format!("{} {}", of.replacen("{}", &k.problems.at_least.to_string(), 1), all.join(", ")));
    let ethos_list: Vec<String> = k.ethos.iter().map(u8::to_string).collect();
    let durations: Vec<String> = k.homeless_for.iter().map(duration).collect();
    let sep = if lang == Lang::Fr { " ; " } else { "; " };
    format!(
        "{head}{c} {ethos} {}{sep}{homeless}{c} {}{sep}{problems}{c} {}",
        ethos_list.join(", "),
        durations.join(&format!(", {or} ")),
        asked.join(&format!(" {and} "))
    )
}

impl CompiledRubric {
    /// An error unless the rubric covers `tm`.
    fn require_model(&self, tm: &TeamModel) -> Result<(), Error> {
        if self.rubric().team_models.contains(tm) {
            return Ok(());
        }
        Err(Error::UnknownTeamModel {
            rubric: self.rubric().id.clone(),
            given: tm.code().to_owned(),
            known: self.rubric().team_models.iter().map(|m| m.code().to_owned()).collect(),
        })
    }

    /// How item `ix` is measured for `tm`, in `lang`; `None` when the item is rated by
    /// level for that model.
    fn measured(&self, ix: usize, tm: &TeamModel, lang: Lang) -> Result<Option<Measure>, Error> {
        let Some(ind) = self.indicator_for(ix, tm) else { return Ok(None) };
        let item =
            self.rubric().domains.iter().flat_map(|d| &d.items).nth(ix).ok_or_else(|| internal("an item index outside the rubric"))?;
        let spec = item
            .variants
            .get(tm)
            .and_then(|v| v.indicator.as_ref())
            .or(item.indicator.as_ref())
            .ok_or_else(|| internal("a compiled indicator without its specification"))?;
        let bands = ind.bands.iter().map(|b| (b.level, b.text(lang))).collect();
        Ok(Some(Measure { title: spec.title.get(lang).to_owned(), bands }))
    }

    /// Per item (rubric order): the outcomes (titles in `lang`) whose `min_level` rules
    /// name it, with the level each asks.
    fn gates(&self, lang: Lang) -> Result<Vec<Vec<(String, u8)>>, Error> {
        let mut out = vec![Vec::new(); self.item_count()];
        let models = &self.rubric().team_models;
        for (rules, spec) in self.compiled_rules().iter().zip(&self.rubric().policy.outcomes) {
            let title = spec.title.get(lang);
            for rule in rules {
                if let Check::MinLevel { level, items } = &rule.check {
                    // A minimum for some team models only says which.
                    let only: Vec<String> =
                        models.iter().enumerate().filter(|(m, _)| rule.models.contains(*m)).map(|(_, x)| x.to_string()).collect();
                    let name = if only.len() == models.len() { title.to_owned() } else { format!("{title} ({})", only.join(", ")) };
                    for ix in items {
                        let slot = out.get_mut(*ix).ok_or_else(|| internal("a rule names an item outside the rubric"))?;
                        slot.push((name.clone(), *level));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The JSON Schema of an assessment of `rubric`, with its texts in `lang`, for YAML and JSON
/// editors to complete and check as a project types: the generic assessment schema
/// ([`crate::schema::SchemaKind::Assessment`]) narrowed to this rubric. `rubric.id` is the
/// rubric's, `rubric.version` one it accepts, `team_model` one it covers, and `responses`
/// has one property per item (no other), titled and described (levels, bands, evidence),
/// with levels on the rubric's scale and a `value` only where the item is measured.
///
/// The schema checks the shape of the answers; the rules that depend on the team model
/// (an item that does not apply, a value where a model asks a level) stay with `check`.
///
/// ```
/// use hf_fidelity::{Lang, shipped_rubric, template};
/// let schema: serde_json::Value = serde_json::from_str(&template::schema(&shipped_rubric("hfb-label")?, Lang::En)?).unwrap();
/// let level = &schema["properties"]["responses"]["properties"]["privacy"]["properties"]["level"];
/// assert_eq!((level["minimum"].as_u64(), level["maximum"].as_u64()), (Some(1), Some(4)));
/// # Ok::<(), hf_fidelity::Error>(())
/// ```
pub fn schema(rubric: &CompiledRubric, lang: Lang) -> Result<String, Error> {
    use serde_json::{Value, json};
    let r = rubric.rubric();
    let c = colon(lang);
    let w = words(lang);
    let labels = crate::report::labels::Labels::of(lang);
    let mut schema: Value = serde_json::from_str(&crate::schema::json_schema(crate::schema::SchemaKind::Assessment)?)
        .map_err(|e| Error::Serialise("the assessment schema", e.to_string()))?;
    let versions: Vec<&str> = std::iter::once(r.version.as_str()).chain(r.compatible_versions.iter().map(String::as_str)).collect();
    let models: Vec<&str> = r.team_models.iter().map(TeamModel::code).collect();
    let mut items = serde_json::Map::new();
    let mut ix = 0usize;
    for domain in &r.domains {
        for item in &domain.items {
            let here = ix;
            ix = ix.saturating_add(1);
            let mut text = vec![item.description.get(lang).to_owned()];
            let mut measured_for = Vec::new();
            for tm in r.team_models.iter().filter(|tm| rubric.item_applies(here, tm)) {
                let levels: Vec<String> = anchors(item, tm).iter().map(|(l, t)| format!("{l}{c} {}", t.get(lang))).collect();
                text.push(format!("{tm} — {}{c}\n{}", w.levels, levels.join("\n")));
                if let Some(m) = rubric.measured(here, tm, lang)? {
                    let bands: Vec<String> = m.bands.iter().map(|(l, b)| format!("{l}{c} {b}")).collect();
                    text.push(format!("{tm} — {}{c} {}\n{}", w.measured, m.title, bands.join("\n")));
                    measured_for.push(tm.code());
                }
            }
            if item.evidence == EvidenceRule::Required {
                text.push(w.evidence_required.to_owned());
            }
            if !item.evidence_kinds.is_empty() {
                let kinds: Vec<&str> = item.evidence_kinds.iter().map(|k| labels.evidence_kind(*k)).collect();
                text.push(format!("{}{c} {}.", w.evidence_kinds, kinds.join(", ")));
            }
            let level = json!({"type": ["integer", "null"], "minimum": r.scale.min, "maximum": r.scale.max});
            let value =
                if measured_for.is_empty() { json!(false) } else { json!({"anyOf": [{"$ref": "#/$defs/Decimal"}, {"type": "null"}]}) };
            let mut properties = serde_json::Map::new();
            properties.insert("level".into(), level);
            properties.insert("value".into(), value);
            if item.not_applicable == NotApplicable::Forbidden {
                properties.insert("not_applicable".into(), json!({"const": false}));
            }
            items.insert(
                item.id.clone(),
                json!({
                    "title": item.title.get(lang),
                    "description": text.join("\n\n"),
                    "allOf": [{"$ref": "#/$defs/Response"}],
                    "properties": properties,
                }),
            );
        }
    }
    let props =
        schema.get_mut("properties").and_then(Value::as_object_mut).ok_or_else(|| internal("the assessment schema has no properties"))?;
    props.insert(
        "responses".into(),
        json!({
            "description": format!("{} ({} {})", r.title.get(lang), r.id, r.version),
            "type": "object",
            "properties": items,
            "additionalProperties": false,
        }),
    );
    props.insert(
        "rubric".into(),
        json!({
            "type": "object",
            "properties": {"id": {"const": r.id}, "version": {"enum": versions}},
            "required": ["id"],
            "additionalProperties": false,
        }),
    );
    props.insert("team_model".into(), json!({"enum": models}));
    if let Some(o) = schema.as_object_mut() {
        o.insert("title".into(), json!(format!("{}{c} {} ({} {})", w.head, r.title.get(lang), r.id, r.version)));
    }
    let mut s = serde_json::to_string_pretty(&schema).map_err(|e| Error::Serialise("the assessment schema", e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// The form's own words in one language.
struct FormWords {
    title: &'static str,
    intro: &'static str,
    project: &'static str,
    project_id: &'static str,
    name: &'static str,
    location: &'static str,
    date: &'static str,
    period_from: &'static str,
    period_to: &'static str,
    assessor: &'static str,
    value: &'static str,
    not_applicable: &'static str,
    justification: &'static str,
    evidence: &'static str,
    evidence_hint: &'static str,
    comment: &'static str,
    save_yaml: &'static str,
    save_json: &'static str,
    load: &'static str,
    unanswered: &'static str,
    invalid: &'static str,
    saved: &'static str,
    tp_legend: &'static str,
    tp_intro: &'static str,
    tp_ethos: &'static str,
    tp_months: &'static str,
    tp_within: &'static str,
    tp_required: &'static str,
    tp_at_least: &'static str,
}

const FORM_EN: FormWords = FormWords {
    title: "Self-assessment",
    intro: "Answer each item with the level that describes the project, or with the measured value where asked. Your answers stay in this page until you save them: save the file and send it to the LAB, or run hf-fidelity audit on it. A file saved as JSON can be loaded again to edit it.",
    project: "Project",
    project_id: "Project id (lowercase letters, digits, - _ .)",
    name: "Project name",
    location: "Municipality and region",
    date: "Date of the assessment",
    period_from: "Period assessed: from",
    period_to: "to",
    assessor: "Your name or your team's",
    value: "Measured value",
    not_applicable: "Not applicable",
    justification: "Why it does not apply",
    evidence: "Evidence (one per line)",
    evidence_hint: "Documents, files, registers this answer rests on",
    comment: "Comment",
    save_yaml: "Save as YAML",
    save_json: "Save as JSON",
    load: "Load a saved JSON file",
    tp_legend: "Admission criteria (target public)",
    tp_intro: "The project's own criteria for admitting people, checked against the rubric's minimum target public: a project may be stricter, not laxer. Leave the ETHOS categories empty if you do not declare them.",
    tp_ethos: "ETHOS categories admitted",
    tp_months: "Homeless for at least (months)",
    tp_within: "within the last (months; empty: in total)",
    tp_required: "Kinds of problems every participant must have",
    tp_at_least: "At least this many kinds of problems",
    unanswered: "Not answered yet",
    invalid: "Fill in the project, its id and the date first.",
    saved: "Saved",
};

const FORM_NL: FormWords = FormWords {
    title: "Zelfevaluatie",
    intro: "Beantwoord elk item met het niveau dat het project het best beschrijft, of met de gemeten waarde waar daarom gevraagd wordt. Uw antwoorden blijven op deze pagina staan tot u ze bewaart: bewaar het bestand en stuur het naar het LAB, of voer hf-fidelity audit uit op dat bestand. Een als JSON bewaard bestand kan opnieuw geladen worden om het aan te passen.",
    project: "Project",
    project_id: "Id van het project (kleine letters, cijfers, - _ .)",
    name: "Naam van het project",
    location: "Gemeente en gewest",
    date: "Datum van de beoordeling",
    period_from: "Beoordeelde periode: van",
    period_to: "tot",
    assessor: "Uw naam of die van uw team",
    value: "Gemeten waarde",
    not_applicable: "Niet van toepassing",
    justification: "Waarom dit item niet van toepassing is",
    evidence: "Bewijsstukken (één per regel)",
    evidence_hint: "Documenten, dossiers, registers waarop dit antwoord steunt",
    comment: "Opmerking",
    save_yaml: "Bewaren als YAML",
    save_json: "Bewaren als JSON",
    load: "Een bewaard JSON-bestand laden",
    tp_legend: "Instroomcriteria (doelgroep)",
    tp_intro: "De eigen criteria waarmee het project mensen laat instromen, getoetst aan de minimale doelgroep van het beoordelingsrooster: een project mag strenger zijn, niet soepeler. Laat de ETHOS-categorieën leeg als u ze niet opgeeft.",
    tp_ethos: "Aanvaarde ETHOS-categorieën",
    tp_months: "Minstens (maanden) dakloos",
    tp_within: "binnen de laatste (maanden; leeg: in totaal)",
    tp_required: "Soorten problemen die elke deelnemer moet hebben",
    tp_at_least: "Minimaal aantal soorten problemen",
    unanswered: "Nog niet beantwoord",
    invalid: "Vul eerst het project, de id en de datum in.",
    saved: "Bewaard",
};

const FORM_FR: FormWords = FormWords {
    title: "Autoévaluation",
    intro: "Répondez à chaque item par le niveau qui décrit le mieux le projet, ou par la valeur mesurée là où elle est demandée. Vos réponses restent sur cette page jusqu'à ce que vous les enregistriez : enregistrez le fichier et envoyez-le au LAB, ou lancez hf-fidelity audit sur ce fichier. Un fichier enregistré en JSON peut être rechargé pour être modifié.",
    project: "Projet",
    project_id: "Identifiant du projet (lettres minuscules, chiffres, - _ .)",
    name: "Nom du projet",
    location: "Commune et région",
    date: "Date de l'évaluation",
    period_from: "Période évaluée : du",
    period_to: "au",
    assessor: "Votre nom ou celui de votre équipe",
    value: "Valeur mesurée",
    not_applicable: "Sans objet",
    justification: "Pourquoi cet item ne s'applique pas",
    evidence: "Pièces justificatives (une par ligne)",
    evidence_hint: "Documents, dossiers, registres sur lesquels repose cette réponse",
    comment: "Commentaire",
    save_yaml: "Enregistrer en YAML",
    save_json: "Enregistrer en JSON",
    load: "Charger un fichier JSON enregistré",
    tp_legend: "Critères d'admission (public cible)",
    tp_intro: "Les critères propres au projet pour admettre des personnes, confrontés au public cible minimal de la grille : un projet peut être plus strict, pas plus souple. Laissez les catégories ETHOS vides si vous ne les déclarez pas.",
    tp_ethos: "Catégories ETHOS admises",
    tp_months: "Sans abri depuis au moins (mois)",
    tp_within: "sur les derniers (mois ; vide : au total)",
    tp_required: "Types de problématiques que chaque participant doit présenter",
    tp_at_least: "Nombre minimal de types de problématiques",
    unanswered: "Pas encore de réponse",
    invalid: "Indiquez d'abord le projet, son identifiant et la date.",
    saved: "Enregistré",
};

const FORM_STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:900px;margin:1.5rem auto;padding:0 1rem;color:#1d2433;line-height:1.45}\
fieldset{border:1px solid #d5dae3;border-radius:.4rem;margin:1rem 0;padding:.6rem 1rem}legend{font-weight:700;padding:0 .3rem}\
h2{margin-top:2rem;border-bottom:1px solid #d5dae3}label{display:block;margin:.25rem 0}.level{display:flex;gap:.5rem;align-items:flex-start}\
.level input{margin-top:.3rem}.desc{color:#4a5568;font-size:.92rem}.bands{font-size:.9rem;color:#4a5568}\
input[type=text],input[type=date],input[type=number],textarea{width:100%;box-sizing:border-box;padding:.3rem;font:inherit}\
.meta{display:grid;grid-template-columns:1fr;gap:.2rem}.bar{position:sticky;bottom:0;background:#fff;border-top:1px solid #d5dae3;padding:.6rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}\
button{font:inherit;padding:.4rem .8rem}.required{color:#b3261e}#status{color:#4a5568}@media print{.bar{display:none}}";

/// The form's script: collects the answers into an assessment (JSON, or YAML written with
/// JSON's quoting, which YAML reads), offers it as a download, and loads a saved JSON file
/// back into the form. `window.hfExport(kind)` returns the text, for tests and scripts.
const FORM_SCRIPT: &str = r#"
(function () {
  const meta = JSON.parse(document.getElementById('hf-meta').textContent);
  const form = document.getElementById('assessment');
  const val = (name) => { const e = form.elements[name]; return e ? e.value.trim() : ''; };
  function collect() {
    const a = { format: meta.format, project: { id: val('project.id'), name: val('project.name') } };
    if (val('project.location')) a.project.location = val('project.location');
    a.rubric = { id: meta.rubric, version: meta.version };
    a.team_model = meta.team_model;
    a.date = val('date');
    if (val('period.from') && val('period.to')) a.period = { from: val('period.from'), to: val('period.to') };
    a.assessor = { kind: 'self_assessment' };
    if (val('assessor.name')) a.assessor.name = val('assessor.name');
    a.rating = 'self_assessment';
    // The project's admission criteria, declared when an ETHOS category is ticked.
    const ticked = (name) => Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map((e) => e.value);
    if (meta.target_public && ticked('tp.ethos').length) {
      const homeless_for = [];
      for (let k = 0; k < meta.durations; k++) {
        if (val('tp.d' + k + '.months') === '') continue;
        const d = { months: Number(val('tp.d' + k + '.months')) };
        if (val('tp.d' + k + '.within') !== '') d.within_months = Number(val('tp.d' + k + '.within'));
        homeless_for.push(d);
      }
      const problems = { at_least: Number(val('tp.at_least') || 0) };
      if (ticked('tp.required').length) problems.required = ticked('tp.required');
      a.target_public = { ethos: ticked('tp.ethos').map(Number), homeless_for: homeless_for, problems: problems };
    }
    a.responses = {};
    for (const id of meta.items) {
      const r = {};
      const na = form.elements[id + ':na'];
      const level = form.querySelector('input[name="' + id + ':level"]:checked');
      if (na && na.checked) {
        r.not_applicable = true;
        if (val(id + ':justification')) r.justification = val(id + ':justification');
      } else if (val(id + ':value') !== '') {
        r.value = val(id + ':value');
      } else if (level) {
        r.level = Number(level.value);
      }
      const evidence = val(id + ':evidence').split('\n').map((x) => x.trim()).filter((x) => x !== '');
      if (evidence.length) r.evidence = evidence;
      if (val(id + ':comment')) r.comment = val(id + ':comment');
      if (Object.keys(r).length) a.responses[id] = r;
    }
    return a;
  }
  const q = (s) => JSON.stringify(s);
  function yaml(a) {
    const project = 'project: {id: ' + q(a.project.id) + ', name: ' + q(a.project.name) + (a.project.location ? ', location: ' + q(a.project.location) : '') + '}';
    const out = ['format: ' + q(a.format), project,
      'rubric: {id: ' + q(a.rubric.id) + ', version: ' + q(a.rubric.version) + '}', 'team_model: ' + q(a.team_model), 'date: ' + a.date];
    if (a.period) out.push('period: {from: ' + a.period.from + ', to: ' + a.period.to + '}');
    out.push('assessor: {kind: self_assessment' + (a.assessor.name ? ', name: ' + q(a.assessor.name) : '') + '}');
    out.push('rating: self_assessment');
    // JSON is YAML: the criteria as one flow mapping.
    if (a.target_public) out.push('target_public: ' + JSON.stringify(a.target_public));
    out.push('responses:' + (Object.keys(a.responses).length ? '' : ' {}'));
    for (const [id, r] of Object.entries(a.responses)) {
      out.push('  ' + id + ':');
      if (r.not_applicable) out.push('    not_applicable: true');
      if (r.justification) out.push('    justification: ' + q(r.justification));
      if (r.level !== undefined) out.push('    level: ' + r.level);
      if (r.value !== undefined) out.push('    value: ' + r.value);
      if (r.evidence) { out.push('    evidence:'); for (const e of r.evidence) out.push('      - ' + q(e)); }
      if (r.comment) out.push('    comment: ' + q(r.comment));
    }
    return out.join('\n') + '\n';
  }
  function unanswered(a) {
    return meta.required.filter((id) => !a.responses[id] || (a.responses[id].level === undefined && a.responses[id].value === undefined && !a.responses[id].not_applicable));
  }
  window.hfExport = function (kind) {
    const a = collect();
    return kind === 'json' ? JSON.stringify(a, null, 2) + '\n' : yaml(a);
  };
  function save(kind) {
    const status = document.getElementById('status');
    if (!form.reportValidity()) { status.textContent = meta.words.invalid; return; }
    const a = collect();
    const text = window.hfExport(kind);
    const blob = new Blob([text], { type: kind === 'json' ? 'application/json' : 'application/yaml' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = (a.project.id || 'assessment') + '-' + (a.date || 'undated') + (kind === 'json' ? '.json' : '.yaml');
    link.click();
    const open = unanswered(a);
    status.textContent = meta.words.saved + '. ' + (open.length ? meta.words.unanswered + ': ' + open.length : '');
  }
  document.getElementById('save-yaml').addEventListener('click', () => save('yaml'));
  document.getElementById('save-json').addEventListener('click', () => save('json'));
  document.getElementById('load').addEventListener('change', (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    file.text().then((text) => window.hfLoad(JSON.parse(text)));
  });
  window.hfLoad = function (a) {
    const set = (name, v) => { if (form.elements[name] && v !== undefined && v !== null) form.elements[name].value = v; };
    set('project.id', a.project && a.project.id); set('project.name', a.project && a.project.name);
    set('project.location', a.project && a.project.location); set('date', a.date);
    if (a.period) { set('period.from', a.period.from); set('period.to', a.period.to); }
    set('assessor.name', a.assessor && a.assessor.name);
    const tp = a.target_public;
    if (tp) {
      for (const e of tp.ethos || []) { const box = form.querySelector('input[name="tp.ethos"][value="' + e + '"]'); if (box) box.checked = true; }
      (tp.homeless_for || []).slice(0, meta.durations).forEach((d, k) => { set('tp.d' + k + '.months', d.months); set('tp.d' + k + '.within', d.within_months); });
      const p = tp.problems || {};
      for (const id of p.required || []) { const box = form.querySelector('input[name="tp.required"][value="' + id + '"]'); if (box) box.checked = true; }
      set('tp.at_least', p.at_least);
    }
    for (const [id, r] of Object.entries(a.responses || {})) {
      if (r.not_applicable && form.elements[id + ':na']) form.elements[id + ':na'].checked = true;
      set(id + ':justification', r.justification);
      if (r.level !== undefined) { const radio = form.querySelector('input[name="' + id + ':level"][value="' + r.level + '"]'); if (radio) radio.checked = true; }
      if (r.value !== undefined) set(id + ':value', String(r.value));
      if (r.evidence) set(id + ':evidence', r.evidence.map((e) => typeof e === 'string' ? e : JSON.stringify(e)).join('\n'));
      set(id + ':comment', r.comment);
    }
  };
})();
"#;

/// Durations a form offers for the project's admission criteria.
const FORM_DURATIONS: usize = 3;

/// The project's admission criteria in a form: the rubric's minimum in words, the ETHOS
/// categories, up to three durations, and the combination of problems.
fn target_fields(o: &mut String, tp: &crate::target::TargetPublic, w: &FormWords, lang: Lang) {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
    let c = colon(lang);
    let _ = writeln!(o, "<fieldset class=\"meta\" id=\"target-public\"><legend>{}</legend>", esc(w.tp_legend));
    let _ =
        writeln!(o, "<p class=\"desc\">{}</p>\n<p class=\"desc\">{}</p>", esc(w.tp_intro), esc(&criteria_in_words(tp, &tp.minimum, lang)));
    let _ = write!(o, "<p>{}{c} ", esc(w.tp_ethos));
    for e in 1..=crate::target::ETHOS_MAX {
        let _ = write!(o, "<label class=\"inline\"><input type=\"checkbox\" name=\"tp.ethos\" value=\"{e}\"> {e}</label> ");
    }
    o.push_str("</p>\n");
    for k in 0..FORM_DURATIONS {
        let _ = writeln!(
            o,
            "<p><label>{}{c} <input type=\"number\" min=\"1\" step=\"1\" name=\"tp.d{k}.months\"></label> <label>{}{c} <input type=\"number\" min=\"1\" step=\"1\" name=\"tp.d{k}.within\"></label></p>",
            esc(w.tp_months),
            esc(w.tp_within)
        );
    }
    let _ = write!(o, "<p>{}{c} ", esc(w.tp_required));
    for kind in &tp.problem_kinds {
        let _ = write!(
            o,
            "<label class=\"inline\"><input type=\"checkbox\" name=\"tp.required\" value=\"{}\"> {}</label> ",
            attr(&kind.id),
            esc(kind.title.get(lang))
        );
    }
    let _ = writeln!(
        o,
        "</p>\n<p><label>{}{c} <input type=\"number\" min=\"0\" max=\"{}\" step=\"1\" name=\"tp.at_least\"></label></p></fieldset>",
        esc(w.tp_at_least),
        tp.problem_kinds.len()
    );
}

/// The self-assessment as one self-contained HTML page a project fills in, in any browser,
/// offline and with no server: the project, the date and the period, then every item that
/// applies to `team_model` in rubric order, with its level descriptions to choose from (or,
/// for a measured item, a field for the value with its bands), evidence and a comment, in
/// `lang`. The page saves the answers as an assessment file (YAML or JSON) that `audit`
/// reads, and loads a saved JSON file back to edit it.
pub fn form(rubric: &CompiledRubric, team_model: &TeamModel, lang: Lang) -> Result<String, Error> {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
    rubric.require_model(team_model)?;
    let r = rubric.rubric();
    let w = match lang {
        Lang::Nl => &FORM_NL,
        Lang::Fr => &FORM_FR,
        Lang::En | Lang::De => &FORM_EN,
    };
    let t = words(lang);
    let c = colon(lang);
    let mut items = Vec::new();
    let mut required = Vec::new();
    let mut body = String::new();
    let mut ix = 0usize;
    for domain in &r.domains {
        let mut section = String::new();
        for item in &domain.items {
            let here = ix;
            ix = ix.saturating_add(1);
            if !rubric.item_applies(here, team_model) {
                continue;
            }
            items.push(item.id.clone());
            if item.required {
                required.push(item.id.clone());
            }
            let id = attr(&item.id);
            let _ = write!(section, "<fieldset id=\"item-{id}\"><legend>{}</legend>", esc(item.title.get(lang)));
            let _ = write!(section, "<p class=\"desc\">{}</p>", esc(item.description.get(lang)));
            if let Some(v) = item.variants.get(team_model) {
                let _ = write!(section, "<p class=\"desc\">{team_model}{c} {}</p>", esc(v.note.get(lang)));
            }
            let measured = rubric.measured(here, team_model, lang)?;
            if let Some(m) = &measured {
                let _ = write!(
                    section,
                    "<label>{} ({}){c} <input type=\"number\" step=\"any\" name=\"{id}:value\"></label>",
                    esc(w.value),
                    esc(&m.title)
                );
                let bands: Vec<String> = m.bands.iter().map(|(l, b)| format!("{l}{c} {}", esc(b))).collect();
                let _ = write!(section, "<p class=\"bands\">{}{c} {}</p>", esc(t.levels), bands.join(" · "));
            }
            // A level to choose, unless the rubric asks for the measured value itself.
            if measured.is_none() || !item.value_required {
                for (level, text) in anchors(item, team_model) {
                    let _ = write!(
                        section,
                        "<label class=\"level\"><input type=\"radio\" name=\"{id}:level\" value=\"{level}\"><span><b>{level}</b> {}</span></label>",
                        esc(text.get(lang))
                    );
                }
            }
            if item.not_applicable != NotApplicable::Forbidden {
                let _ = write!(section, "<label><input type=\"checkbox\" name=\"{id}:na\"> {}</label>", esc(w.not_applicable));
                if item.not_applicable == NotApplicable::Justified {
                    let _ = write!(section, "<label>{}{c} <input type=\"text\" name=\"{id}:justification\"></label>", esc(w.justification));
                }
            }
            let star = if item.evidence == EvidenceRule::Required { " <span class=\"required\">*</span>" } else { "" };
            let _ = write!(
                section,
                "<label>{}{star}{c} <textarea name=\"{id}:evidence\" rows=\"2\" placeholder=\"{}\"></textarea></label>",
                esc(w.evidence),
                attr(w.evidence_hint)
            );
            let _ =
                writeln!(section, "<label>{}{c} <textarea name=\"{id}:comment\" rows=\"2\"></textarea></label></fieldset>", esc(w.comment));
        }
        if !section.is_empty() {
            let _ = write!(body, "<h2>{}</h2>\n{section}", esc(domain.title.get(lang)));
        }
    }
    let meta = serde_json::json!({
        "format": ASSESSMENT_FORMAT,
        "rubric": r.id,
        "version": r.version,
        "team_model": team_model.code(),
        "items": items,
        "required": required,
        "words": {"invalid": w.invalid, "saved": w.saved, "unanswered": w.unanswered},
        "target_public": r.target_public.is_some(),
        "durations": FORM_DURATIONS,
    });
    // Inside a <script> element only `</` could end it early: JSON escapes it as `<\/`.
    let meta = serde_json::to_string(&meta).map_err(|e| Error::Serialise("the form's data", e.to_string()))?.replace("</", "<\\/");
    let mut o = String::new();
    o.push_str(&crate::report::page_start(lang, &format!("{}{c} {} ({team_model})", w.title, r.title.get(lang)), &[FORM_STYLE]));
    let _ = writeln!(o, "<h1>{}{c} {}</h1>", esc(w.title), esc(r.title.get(lang)));
    let _ = writeln!(o, "<p class=\"desc\">{} {} · {team_model}</p>\n<p>{}</p>", esc(&r.id), esc(&r.version), esc(w.intro));
    let _ = writeln!(o, "<form id=\"assessment\" onsubmit=\"return false\">\n<fieldset class=\"meta\"><legend>{}</legend>", esc(w.project));
    let _ = writeln!(
        o,
        "<label>{}{c} <input type=\"text\" name=\"project.name\" required></label>\n<label>{}{c} <input type=\"text\" name=\"project.id\" required pattern=\"[a-z0-9][a-z0-9_.\\-]{{0,63}}\"></label>",
        esc(w.name),
        esc(w.project_id)
    );
    let _ = writeln!(o, "<label>{}{c} <input type=\"text\" name=\"project.location\"></label>", esc(w.location));
    let _ = writeln!(o, "<label>{}{c} <input type=\"date\" name=\"date\" required></label>", esc(w.date));
    let _ = writeln!(
        o,
        "<label>{}{c} <input type=\"date\" name=\"period.from\"></label><label>{}{c} <input type=\"date\" name=\"period.to\"></label>",
        esc(w.period_from),
        esc(w.period_to)
    );
    let _ = writeln!(o, "<label>{}{c} <input type=\"text\" name=\"assessor.name\"></label></fieldset>", esc(w.assessor));
    if let Some(tp) = &r.target_public {
        target_fields(&mut o, tp, w, lang);
    }
    o.push_str(&body);
    let _ = writeln!(
        o,
        "<div class=\"bar\"><button type=\"button\" id=\"save-yaml\">{}</button><button type=\"button\" id=\"save-json\">{}</button>\
         <label>{}{c} <input type=\"file\" id=\"load\" accept=\".json,application/json\"></label><span id=\"status\"></span></div>\n</form>",
        esc(w.save_yaml),
        esc(w.save_json),
        esc(w.load)
    );
    let _ =
        writeln!(o, "<script type=\"application/json\" id=\"hf-meta\">{meta}</script>\n<script>{FORM_SCRIPT}</script>\n</body>\n</html>");
    Ok(o)
}
