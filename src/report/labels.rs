//! The words of the reports, in English, Dutch and French.

use crate::assessment::{Evidence, EvidenceKind};
use crate::decision::Verdict;
use crate::text::Lang;

/// Every fixed word a report prints.
#[derive(Debug)]
pub(crate) struct Labels {
    pub rubric: &'static str,
    pub team_model: &'static str,
    pub date: &'static str,
    pub assessor: &'static str,
    pub outcome: &'static str,
    pub incomplete: &'static str,
    pub reaudit: &'static str,
    pub valid_until: &'static str,
    pub expected: &'static str,
    pub scores: &'static str,
    pub scale: &'static str,
    pub mean: &'static str,
    pub exact: &'static str,
    pub percent_of_max: &'static str,
    pub percent_of_range: &'static str,
    pub mean_of_items: &'static str,
    pub mean_of_domains: &'static str,
    pub rated: &'static str,
    pub principles: &'static str,
    pub rules: &'static str,
    pub rule: &'static str,
    pub verdict: &'static str,
    pub observed: &'static str,
    pub threshold: &'static str,
    pub short_by: &'static str,
    pub failing: &'static str,
    pub unanswered: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub not_applicable: &'static str,
    pub rule_incomplete: &'static str,
    pub plan: &'static str,
    pub plan_to: &'static str,
    pub steps: &'static str,
    pub plan_none: &'static str,
    pub plan_unreachable: &'static str,
    pub answer_first: &'static str,
    /// The plan's heading when a model check withholds the decision.
    pub plan_withheld: &'static str,
    pub item: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub value_band: &'static str,
    pub warnings: &'static str,
    /// The target-public section: its heading, the project's criteria not declared, within
    /// the minimum, outside it (followed by the findings).
    pub target_public: &'static str,
    /// Outcome indicators reported beside fidelity, not scored.
    pub outcome_indicators: &'static str,
    pub tp_undeclared: &'static str,
    pub tp_within: &'static str,
    pub tp_outside: &'static str,
    /// Findings: ETHOS categories `{}`; a duration in months within a window, or in total;
    /// a combination of problems `{}` (or none at all).
    pub tp_ethos: &'static str,
    pub tp_window: &'static str,
    pub tp_last: &'static str,
    pub tp_total: &'static str,
    pub tp_problems: &'static str,
    pub tp_no_problem: &'static str,
    pub evidence: &'static str,
    /// The kinds of evidence: document, chart review, interview, focus group, observation,
    /// data extract.
    pub evidence_kinds: [&'static str; 6],
    pub comment: &'static str,
    pub level: &'static str,
    /// The section listing every item with its answer.
    pub items_heading: &'static str,
    /// The column of measured values.
    pub measured: &'static str,
    /// In the measured column of a measured item answered with a level instead of a value.
    pub level_stated: &'static str,
    /// The review period and the project's location, in the heading.
    pub period: &'static str,
    pub location: &'static str,
    /// Units of measured values: percent, days, participants per FTE, meetings per week.
    /// The overview page of a batch, and its project column.
    pub overview: &'static str,
    pub project: &'static str,
    pub provenance: &'static str,
    pub engine: &'static str,
    pub assessment_hash: &'static str,
    pub rubric_hash: &'static str,
    /// Who assessed: the project itself, the LAB, a peer review.
    pub assessor_kinds: [&'static str; 3],
    /// A reviewer's own rating and a consensus, where a rule asks for one of them.
    pub rating_kinds: [&'static str; 2],
    /// The section that sets the project's self-assessment beside the rating reported on.
    pub self_heading: &'static str,
    pub self_column: &'static str,
    pub this_column: &'static str,
    pub self_mean: &'static str,
    pub self_same: &'static str,
    pub self_outcome: &'static str,
}

const EN: Labels = Labels {
    rubric: "Rubric",
    team_model: "Team model",
    date: "Date",
    assessor: "Assessor",
    outcome: "Outcome",
    incomplete: "incomplete",
    reaudit: "Re-audit within {} months.",
    valid_until: "Valid until {}.",
    expected: "Note: the assessment expected `{}`.",
    scores: "Scores",
    scale: "scale",
    mean: "mean",
    exact: "exact",
    percent_of_max: "% of max",
    percent_of_range: "% of range",
    mean_of_items: "Overall: mean of items",
    mean_of_domains: "Overall: mean of domains",
    rated: "rated",
    principles: "Principles",
    rules: "Rules",
    rule: "Rule",
    verdict: "Verdict",
    observed: "observed",
    threshold: "threshold",
    short_by: "short by",
    failing: "failing",
    unanswered: "not answered",
    pass: "pass",
    fail: "FAIL",
    not_applicable: "n/a",
    rule_incomplete: "incomplete",
    plan: "Improvement plan",
    plan_to: "Improvement plan to reach \u{201c}{}\u{201d}",
    steps: "level step(s)",
    plan_none: "Improvement plan: none needed, the best outcome is reached.",
    plan_unreachable: "raising levels is not enough on its own: see the failing rules",
    answer_first: "To decide, answer {} item(s)",
    plan_withheld: "To decide, settle the team model first: see the warnings",
    item: "Item",
    from: "from",
    to: "to",
    value_band: "value",
    warnings: "Warnings",
    target_public: "Target public",
    outcome_indicators: "Outcome indicators (reported beside fidelity, not scored)",
    tp_undeclared: "The project's own admission criteria are not declared, so they were not checked against the rubric's minimum target public.",
    tp_within: "The project's own admission criteria are within the rubric's minimum target public.",
    tp_outside: "The project's own admission criteria admit people outside the rubric's minimum target public:",
    tp_ethos: "ETHOS categories the minimum does not count: {}",
    tp_window: "homeless for {m} month(s) within the last {w} month(s) meets none of the minimum's durations",
    tp_last: "homeless for at least the last {m} month(s) meets none of the minimum's durations",
    tp_total: "homeless for {m} month(s) in total meets none of the minimum's durations",
    tp_problems: "a combination of problems the minimum does not accept: {}",
    tp_no_problem: "someone with none of the problems the minimum names",
    evidence: "Evidence",
    evidence_kinds: ["Document", "Chart review", "Interview", "Focus group", "Observation", "Data extract"],
    comment: "Comment",
    level: "Level",
    items_heading: "Items, answers and evidence",
    measured: "Measured",
    level_stated: "not measured: level stated",
    period: "Period",
    location: "Location",
    overview: "Housing First label audits: overview",
    project: "Project",
    provenance: "Provenance",
    engine: "engine",
    assessment_hash: "assessment sha256",
    rubric_hash: "rubric sha256",
    assessor_kinds: ["self-assessment", "LAB", "peer review"],
    rating_kinds: ["a reviewer's own rating", "consensus"],
    self_heading: "Your self-assessment and the reviewers' rating",
    self_column: "Self-assessment",
    this_column: "Reviewers",
    self_mean: "Mean difference (self-assessment minus reviewers) over {} items rated in both",
    self_same: "Your self-assessment gives the same level as the reviewers on every item rated in both.",
    self_outcome: "Outcome of the self-assessment",
};

const NL: Labels = Labels {
    rubric: "Beoordelingsrooster",
    team_model: "Teammodel",
    date: "Datum",
    assessor: "Beoordelaar",
    outcome: "Resultaat",
    incomplete: "onvolledig",
    reaudit: "Nieuwe audit binnen {} maanden.",
    valid_until: "Geldig tot en met {}.",
    expected: "Opmerking: de beoordeling verwachtte `{}`.",
    scores: "Scores",
    scale: "schaal",
    mean: "gem.",
    exact: "exact",
    percent_of_max: "% van max.",
    percent_of_range: "% van bereik",
    mean_of_items: "Totaal: gemiddelde van de items",
    mean_of_domains: "Totaal: gemiddelde van de domeinen",
    rated: "gescoord",
    principles: "Principes",
    rules: "Regels",
    rule: "Regel",
    verdict: "Oordeel",
    observed: "vastgesteld",
    threshold: "drempel",
    short_by: "tekort",
    failing: "niet voldaan",
    unanswered: "niet beantwoord",
    pass: "voldaan",
    fail: "NIET VOLDAAN",
    not_applicable: "n.v.t.",
    rule_incomplete: "onvolledig",
    plan: "Verbeterplan",
    plan_to: "Verbeterplan om \u{2018}{}\u{2019} te bereiken",
    steps: "niveaustap(pen)",
    plan_none: "Verbeterplan: niet nodig, het beste resultaat is bereikt.",
    plan_unreachable: "hogere niveaus alleen volstaan niet: zie de regels waaraan niet voldaan is",
    answer_first: "Beantwoord nog {} item(s) om te kunnen beslissen",
    plan_withheld: "Om te kunnen beslissen, moet eerst het teammodel vaststaan: zie de waarschuwingen",
    item: "Item",
    from: "van",
    to: "naar",
    value_band: "waarde",
    warnings: "Waarschuwingen",
    target_public: "Doelgroep",
    outcome_indicators: "Uitkomstindicatoren (naast de modelgetrouwheid gerapporteerd, niet gescoord)",
    tp_undeclared: "De eigen instroomcriteria van het project zijn niet opgegeven en werden dus niet getoetst aan de minimale doelgroep van het beoordelingsrooster.",
    tp_within: "De eigen instroomcriteria van het project vallen binnen de minimale doelgroep van het beoordelingsrooster.",
    tp_outside: "De eigen instroomcriteria van het project laten mensen instromen die buiten de minimale doelgroep van het beoordelingsrooster vallen:",
    tp_ethos: "ETHOS-categorieën die het minimum niet meetelt: {}",
    tp_window: "{m} maand(en) dakloos binnen de laatste {w} maand(en) voldoet aan geen van de duurvereisten van het minimum",
    tp_last: "minstens de laatste {m} maand(en) dakloos voldoet aan geen van de duurvereisten van het minimum",
    tp_total: "in totaal {m} maand(en) dakloos voldoet aan geen van de duurvereisten van het minimum",
    tp_problems: "een combinatie van problemen die het minimum niet aanvaardt: {}",
    tp_no_problem: "iemand met geen van de problemen die het minimum noemt",
    evidence: "Bewijsstukken",
    evidence_kinds: ["Document", "Dossieranalyse", "Interview", "Focusgroep", "Observatie", "Gegevensextract"],
    comment: "Opmerking",
    level: "Niveau",
    items_heading: "Items, antwoorden en bewijsstukken",
    measured: "Gemeten waarde",
    level_stated: "niet gemeten: niveau opgegeven",
    period: "Periode",
    location: "Locatie",
    overview: "Housing First-labelaudits: overzicht",
    project: "Project",
    provenance: "Herkomst",
    engine: "rekenmodule",
    assessment_hash: "sha256 beoordeling",
    rubric_hash: "sha256 beoordelingsrooster",
    assessor_kinds: ["zelfevaluatie", "LAB", "collegiale toetsing"],
    rating_kinds: ["score van één beoordelaar", "consensus"],
    self_heading: "Uw zelfevaluatie en de score van de beoordelaars",
    self_column: "Zelfevaluatie",
    this_column: "Beoordelaars",
    self_mean: "Gemiddeld verschil (zelfevaluatie min beoordelaars) over {} items die in beide gescoord zijn",
    self_same: "Uw zelfevaluatie geeft op elk item dat in beide gescoord is hetzelfde niveau als de beoordelaars.",
    self_outcome: "Resultaat van de zelfevaluatie",
};

const FR: Labels = Labels {
    rubric: "Grille",
    team_model: "Modèle d'équipe",
    date: "Date",
    assessor: "Évaluateur",
    outcome: "Résultat",
    incomplete: "incomplet",
    reaudit: "Nouvel audit dans les {} mois.",
    valid_until: "Valable jusqu'au {} inclus.",
    expected: "Remarque : l'évaluation attendait `{}`.",
    scores: "Scores",
    scale: "échelle",
    mean: "moy.",
    exact: "exact",
    percent_of_max: "% du max.",
    percent_of_range: "% de l'étendue",
    mean_of_items: "Global : moyenne des items",
    mean_of_domains: "Global : moyenne des domaines",
    rated: "notés",
    principles: "Principes",
    rules: "Règles",
    rule: "Règle",
    verdict: "Verdict",
    observed: "observé",
    threshold: "seuil",
    short_by: "écart",
    failing: "en défaut",
    unanswered: "sans réponse",
    pass: "respectée",
    fail: "NON RESPECTÉE",
    not_applicable: "s.o.",
    rule_incomplete: "incomplet",
    plan: "Plan d'amélioration",
    plan_to: "Plan d'amélioration pour atteindre \u{ab}\u{a0}{}\u{a0}\u{bb}",
    steps: "palier(s)",
    plan_none: "Plan d'amélioration : aucun, le meilleur résultat est atteint.",
    plan_unreachable: "relever les niveaux ne suffit pas à lui seul : voir les règles non respectées",
    answer_first: "Pour pouvoir décider, répondez encore à {} item(s)",
    plan_withheld: "Pour pouvoir décider, il faut d'abord établir le modèle d'équipe : voir les avertissements",
    item: "Item",
    from: "de",
    to: "à",
    value_band: "valeur",
    warnings: "Avertissements",
    target_public: "Public cible",
    outcome_indicators: "Indicateurs d'effets (présentés en complément de la fidélité, non cotés)",
    tp_undeclared: "Les critères d'admission propres au projet ne sont pas déclarés : ils n'ont donc pas été confrontés au public cible minimal de la grille.",
    tp_within: "Les critères d'admission propres au projet restent dans les limites du public cible minimal de la grille.",
    tp_outside: "Les critères d'admission propres au projet admettent des personnes hors du public cible minimal de la grille :",
    tp_ethos: "catégories ETHOS que le minimum ne retient pas : {}",
    tp_window: "{m} mois sans abri sur les {w} derniers mois ne correspond à aucune des durées du minimum",
    tp_last: "être sans abri depuis au moins {m} mois ne correspond à aucune des durées du minimum",
    tp_total: "{m} mois sans abri au total ne correspond à aucune des durées du minimum",
    tp_problems: "une combinaison de problématiques que le minimum n'accepte pas : {}",
    tp_no_problem: "une personne sans aucune des problématiques que le minimum cite",
    evidence: "Pièces justificatives",
    evidence_kinds: ["Document", "Revue de dossiers", "Entretien", "Groupe de discussion", "Observation", "Extraction de données"],
    comment: "Commentaire",
    level: "Niveau",
    items_heading: "Items, réponses et pièces justificatives",
    measured: "Valeur mesurée",
    level_stated: "non mesuré : niveau déclaré",
    period: "Période",
    location: "Lieu",
    overview: "Audits du label Housing First : vue d'ensemble",
    project: "Projet",
    provenance: "Provenance",
    engine: "moteur",
    assessment_hash: "sha256 de l'évaluation",
    rubric_hash: "sha256 de la grille",
    assessor_kinds: ["autoévaluation", "LAB", "examen par les pairs"],
    rating_kinds: ["cotation d'un seul évaluateur", "consensus"],
    self_heading: "Votre autoévaluation et la cotation des évaluateurs",
    self_column: "Autoévaluation",
    this_column: "Évaluateurs",
    self_mean: "Écart moyen (autoévaluation moins évaluateurs) sur {} items cotés dans les deux",
    self_same: "Votre autoévaluation donne le même niveau que les évaluateurs à chaque item coté dans les deux.",
    self_outcome: "Résultat de l'autoévaluation",
};

impl Labels {
    /// The labels of `lang` (German falls back to English).
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::Nl => &NL,
            Lang::Fr => &FR,
            Lang::En | Lang::De => &EN,
        }
    }

    /// A kind of evidence in words.
    pub fn evidence_kind(&self, kind: EvidenceKind) -> &'static str {
        let [document, chart_review, interview, focus_group, observation, data_extract] = self.evidence_kinds;
        match kind {
            EvidenceKind::Document => document,
            EvidenceKind::ChartReview => chart_review,
            EvidenceKind::Interview => interview,
            EvidenceKind::FocusGroup => focus_group,
            EvidenceKind::Observation => observation,
            EvidenceKind::DataExtract => data_extract,
        }
    }

    /// A piece of evidence in words: free text as written; typed evidence as its kind, how
    /// many, whose and what (`Chart review (12): files of 2025`).
    pub fn evidence_text(&self, e: &Evidence) -> String {
        match e {
            Evidence::Text(t) => t.clone(),
            Evidence::Typed(t) => {
                let mut out = self.evidence_kind(t.kind).to_owned();
                let detail: Vec<String> = t.count.map(|c| c.to_string()).into_iter().chain(t.role.clone()).collect();
                if !detail.is_empty() {
                    out.push_str(&format!(" ({})", detail.join(", ")));
                }
                if let Some(note) = &t.note {
                    out.push_str(&format!(": {note}"));
                }
                out
            }
        }
    }

    /// Who assessed, in words.
    pub fn assessor_kind(&self, kind: crate::assessment::AssessorKind) -> &'static str {
        let [own, lab, peer] = self.assessor_kinds;
        match kind {
            crate::assessment::AssessorKind::SelfAssessment => own,
            crate::assessment::AssessorKind::Lab => lab,
            crate::assessment::AssessorKind::Peer => peer,
        }
    }

    /// What an `assessed_by` rule names as failing (a kind of assessor or of rating), in
    /// words; a code it does not know as written.
    pub fn rater_code(&self, code: &str) -> String {
        use crate::assessment::{AssessorKind, RatingKind};
        use strum::VariantArray;
        let [review, consensus] = self.rating_kinds;
        if let Some(k) = AssessorKind::VARIANTS.iter().find(|k| k.code() == code) {
            return self.assessor_kind(*k).to_owned();
        }
        match RatingKind::VARIANTS.iter().find(|k| k.code() == code) {
            Some(RatingKind::Review) => review.to_owned(),
            Some(RatingKind::Consensus) => consensus.to_owned(),
            Some(RatingKind::SelfAssessment) => self.assessor_kind(AssessorKind::SelfAssessment).to_owned(),
            None => code.to_owned(),
        }
    }

    /// The name of a verdict.
    pub fn verdict_name(&self, v: Verdict) -> &'static str {
        match v {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::NotApplicable => self.not_applicable,
            Verdict::Incomplete => self.rule_incomplete,
        }
    }
}

/// Fills the one `{}` of a label.
pub(crate) fn fill(label: &str, value: impl std::fmt::Display) -> String {
    label.replacen("{}", &value.to_string(), 1)
}

/// The words of a project's history (`hf-fidelity history`).
#[derive(Debug)]
pub(crate) struct HistoryLabels {
    pub heading: &'static str,
    pub rounds: &'static str,
    pub outcome: &'static str,
    pub valid_until: &'static str,
    pub reaudit_by: &'static str,
    pub overall: &'static str,
    pub domains: &'static str,
    pub moved: &'static str,
    pub none_moved: &'static str,
    /// The earlier round's rubric `{}`, this round's `{}`.
    pub not_comparable: &'static str,
    /// Compared through the item mapping from version `{}`.
    pub mapped: &'static str,
    /// Before an item's earlier id, when renamed.
    pub was: &'static str,
    pub corrected: &'static str,
    pub reshaped: &'static str,
    /// Split, merged, changed, new, dropped.
    pub reshapes: [&'static str; 5],
    pub warnings: &'static str,
    pub as_of: &'static str,
    /// Outcome `{}` of the round of `{}` valid until `{}`, the next round on `{}`.
    pub lapsed_before: &'static str,
    /// Outcome `{}` of the round of `{}` valid until `{}`, no later round.
    pub lapsed: &'static str,
    /// The round of `{}` asked for a re-audit by `{}`.
    pub overdue: &'static str,
    /// Column heading: a domain.
    pub domain: &'static str,
    /// Column heading: an outcome indicator.
    pub indicator: &'static str,
    /// Column heading: levels gained or lost.
    pub change: &'static str,
    /// Column heading: why a rating was corrected.
    pub why: &'static str,
    /// Heading of the validity chart.
    pub validity: &'static str,
    /// Heading of the table of rounds.
    pub rounds_heading: &'static str,
}

const HISTORY_EN: HistoryLabels = HistoryLabels {
    heading: "History of",
    rounds: "rounds",
    outcome: "Outcome",
    valid_until: "Valid until",
    reaudit_by: "Re-audit due by",
    overall: "Overall score",
    domains: "Domain means",
    moved: "Items that moved since the previous round",
    none_moved: "No item moved since the previous round.",
    not_comparable: "Not compared with the previous round: it was scored with {} and this one with {}, which declares no item mapping for it.",
    mapped: "Compared with the previous round through this rubric's item mapping from version {}.",
    was: "was",
    corrected: "Corrections of the previous round's rating (not a change in practice)",
    reshaped: "Items not compared level for level",
    reshapes: ["split", "merged", "changed in meaning", "new", "dropped"],
    warnings: "Warnings",
    as_of: "as of",
    lapsed_before: "The outcome \u{201c}{}\u{201d} of {} was valid until {}, and the next round came only on {}: the label lapsed in between.",
    lapsed: "The outcome \u{201c}{}\u{201d} of {} was valid until {}: it has lapsed, and no later round followed.",
    overdue: "The round of {} asked for a re-audit by {}: none followed by then.",
    domain: "Domain",
    indicator: "Indicator",
    change: "Change",
    why: "Why",
    validity: "Validity of the outcome over time",
    rounds_heading: "Rounds",
};

const HISTORY_NL: HistoryLabels = HistoryLabels {
    heading: "Historiek van",
    rounds: "rondes",
    outcome: "Resultaat",
    valid_until: "Geldig tot en met",
    reaudit_by: "Uiterste datum nieuwe audit",
    overall: "Totaalscore",
    domains: "Gemiddelden per domein",
    moved: "Items die van niveau veranderd zijn sinds de vorige ronde",
    none_moved: "Geen enkel item is van niveau veranderd sinds de vorige ronde.",
    not_comparable: "Niet vergeleken met de vorige ronde: die werd gescoord met het beoordelingsrooster {} en deze met het beoordelingsrooster {}, dat geen koppeling van zijn items met het vorige rooster bevat.",
    mapped: "Vergeleken met de vorige ronde via de koppeling van de items van dit beoordelingsrooster met versie {}.",
    was: "voorheen",
    corrected: "Correcties op de score van de vorige ronde (geen verandering in de werking van het project)",
    reshaped: "Items die niet niveau per niveau vergeleken worden",
    reshapes: ["opgesplitst", "samengevoegd", "inhoudelijk gewijzigd", "nieuw", "geschrapt"],
    warnings: "Waarschuwingen",
    as_of: "op",
    lapsed_before: "Het resultaat \u{2018}{}\u{2019} van {} was geldig tot en met {}, en de volgende ronde vond pas plaats op {}: het label was in de tussentijd verlopen.",
    lapsed: "Het resultaat \u{2018}{}\u{2019} van {} was geldig tot en met {}: het is verlopen, en er volgde geen nieuwe ronde.",
    overdue: "De ronde van {} vroeg om een nieuwe audit uiterlijk op {}: die heeft tegen die datum niet plaatsgevonden.",
    domain: "Domein",
    indicator: "Indicator",
    change: "Verschil",
    why: "Reden",
    validity: "Geldigheid van het resultaat in de tijd",
    rounds_heading: "Rondes",
};

const HISTORY_FR: HistoryLabels = HistoryLabels {
    heading: "Historique de",
    rounds: "évaluations",
    outcome: "Résultat",
    valid_until: "Fin de validité",
    reaudit_by: "Échéance du nouvel audit",
    overall: "Score global",
    domains: "Moyennes par domaine",
    moved: "Items qui ont changé de niveau depuis l'évaluation précédente",
    none_moved: "Aucun item n'a changé de niveau depuis l'évaluation précédente.",
    not_comparable: "Pas de comparaison avec l'évaluation précédente : elle a été cotée avec la grille {} et celle-ci avec la grille {}, qui ne prévoit aucune correspondance entre ses items et ceux de la grille précédente.",
    mapped: "Comparaison avec l'évaluation précédente au moyen de la correspondance que cette grille établit entre ses items et ceux de la version {}.",
    was: "anciennement",
    corrected: "Corrections apportées à la cotation de l'évaluation précédente (et non un changement dans les pratiques du projet)",
    reshaped: "Items qui ne sont pas comparés niveau par niveau",
    reshapes: ["scindé", "fusionné", "modifié sur le fond", "nouveau", "supprimé"],
    warnings: "Avertissements",
    as_of: "au",
    lapsed_before: "Le résultat \u{ab}\u{a0}{}\u{a0}\u{bb} du {} était valable jusqu'au {} inclus, et l'évaluation suivante n'a eu lieu que le {} : le label a expiré entre-temps.",
    lapsed: "Le résultat \u{ab}\u{a0}{}\u{a0}\u{bb} du {} était valable jusqu'au {} inclus : il a expiré, et aucune évaluation n'a suivi.",
    overdue: "L'évaluation du {} demandait un nouvel audit au plus tard le {} : aucun n'a eu lieu dans ce délai.",
    domain: "Domaine",
    indicator: "Indicateur",
    change: "Écart",
    why: "Motif",
    validity: "Validité du résultat dans le temps",
    rounds_heading: "Évaluations",
};

impl HistoryLabels {
    /// The word for what a mapping made of an item.
    pub fn reshape(&self, k: crate::history::Reshape) -> &'static str {
        use crate::history::Reshape;
        let [split, merged, changed, new, dropped] = self.reshapes;
        match k {
            Reshape::Split => split,
            Reshape::Merged => merged,
            Reshape::Changed => changed,
            Reshape::New => new,
            Reshape::Dropped => dropped,
        }
    }

    /// The words of `lang` (German falls back to English).
    pub fn of(lang: Lang) -> &'static HistoryLabels {
        match lang {
            Lang::Nl => &HISTORY_NL,
            Lang::Fr => &HISTORY_FR,
            Lang::En | Lang::De => &HISTORY_EN,
        }
    }
}

/// The words of a network's picture (`hf-fidelity network`).
#[derive(Debug)]
pub(crate) struct NetworkLabels {
    pub heading: &'static str,
    pub projects: &'static str,
    pub outcomes: &'static str,
    pub by_region: &'static str,
    pub indicators: &'static str,
    pub domains: &'static str,
    pub median: &'static str,
    pub min: &'static str,
    pub max: &'static str,
    /// The items most often at the scale's top (ceiling effects).
    pub ceiling: &'static str,
    pub rated: &'static str,
    pub failing: &'static str,
    /// Each project's overall score and its domain means against the network's medians.
    pub positions: &'static str,
    pub overall: &'static str,
    pub expiring: &'static str,
    pub from: &'static str,
    pub months: &'static str,
    pub none: &'static str,
    /// Every item's distribution over the levels.
    pub distribution: &'static str,
    /// Column heading: the share at the top level.
    pub at_top: &'static str,
    /// Column headings.
    pub domain: &'static str,
    pub indicator: &'static str,
    pub region: &'static str,
    /// Before the day the picture is of.
    pub as_of: &'static str,
}

const NETWORK_EN: NetworkLabels = NetworkLabels {
    heading: "Network",
    projects: "projects",
    outcomes: "Outcomes by team model",
    by_region: "Outcomes by region",
    indicators: "Outcome indicators reported (beside fidelity, not scored)",
    domains: "Domain means across the projects",
    median: "median",
    min: "lowest",
    max: "highest",
    ceiling: "Items most often at the top level (ceiling effects)",
    rated: "rated",
    failing: "Items named most often by a failing rule",
    positions: "Each project's overall score, and its domain means against the network median",
    overall: "overall",
    expiring: "Labels that expire soon",
    from: "from",
    months: "months",
    none: "None.",
    distribution: "How the projects rated every item (the share at the top level shows ceiling effects)",
    at_top: "at the top level",
    domain: "Domain",
    indicator: "Indicator",
    region: "Region",
    as_of: "As of",
};

const NETWORK_NL: NetworkLabels = NetworkLabels {
    heading: "Netwerk",
    projects: "projecten",
    outcomes: "Resultaten per teammodel",
    by_region: "Resultaten per gewest",
    indicators: "Gerapporteerde uitkomstindicatoren (naast de modelgetrouwheid, niet gescoord)",
    domains: "Gemiddelden per domein over de projecten",
    median: "mediaan",
    min: "laagste",
    max: "hoogste",
    ceiling: "Items die het vaakst op het hoogste niveau staan (plafondeffecten)",
    rated: "gescoord",
    failing: "Items die het vaakst genoemd worden door een regel waaraan niet voldaan is",
    positions: "Totaalscore van elk project, en zijn gemiddelden per domein ten opzichte van de mediaan van het netwerk",
    overall: "totaal",
    expiring: "Labels die binnenkort verlopen",
    from: "vanaf",
    months: "maanden",
    none: "Geen.",
    distribution: "Hoe de projecten op elk item scoorden (het aandeel op het hoogste niveau toont plafondeffecten)",
    at_top: "op het hoogste niveau",
    domain: "Domein",
    indicator: "Indicator",
    region: "Gewest",
    as_of: "Toestand op",
};

const NETWORK_FR: NetworkLabels = NetworkLabels {
    heading: "Réseau",
    projects: "projets",
    outcomes: "Résultats par modèle d'équipe",
    by_region: "Résultats par région",
    indicators: "Indicateurs d'effets communiqués (en complément de la fidélité, non cotés)",
    domains: "Moyennes par domaine sur l'ensemble des projets",
    median: "médiane",
    min: "minimum",
    max: "maximum",
    ceiling: "Items le plus souvent au niveau le plus élevé (effets plafond)",
    rated: "cotés",
    failing: "Items le plus souvent cités par une règle non respectée",
    positions: "Score global de chaque projet, et ses moyennes par domaine par rapport à la médiane du réseau",
    overall: "global",
    expiring: "Labels qui expirent bientôt",
    from: "à partir du",
    months: "mois",
    none: "Aucun.",
    distribution: "Cotation des projets pour chaque item (la part au niveau le plus élevé révèle les effets plafond)",
    at_top: "au niveau le plus élevé",
    domain: "Domaine",
    indicator: "Indicateur",
    region: "Région",
    as_of: "Situation au",
};

impl NetworkLabels {
    /// The words of `lang` (German falls back to English).
    pub fn of(lang: Lang) -> &'static NetworkLabels {
        match lang {
            Lang::Nl => &NETWORK_NL,
            Lang::Fr => &NETWORK_FR,
            Lang::En | Lang::De => &NETWORK_EN,
        }
    }
}

/// The words of an organisation's rating (`hf-fidelity organisation`).
#[derive(Debug)]
pub(crate) struct OrganisationLabels {
    pub heading: &'static str,
    pub teams: &'static str,
    /// The mean of the teams' overall scores.
    pub total: &'static str,
    /// The mean of the teams' domain means.
    pub domains: &'static str,
    /// Each item's mean level over the teams.
    pub items: &'static str,
    /// The organisation's outcome under the rubric's organisation rules.
    pub outcome: &'static str,
    pub valid_until: &'static str,
    pub reaudit_by: &'static str,
    /// Heading of the organisation rules.
    pub rules: &'static str,
    /// Before the outcome an `every_team` rule requires.
    pub at_least: &'static str,
    /// What fails a `min_overall` rule: the teams' mean.
    pub total_short: &'static str,
    /// The rubric has no organisation rules.
    pub no_rules: &'static str,
}

const ORGANISATION_EN: OrganisationLabels = OrganisationLabels {
    heading: "Organisation",
    teams: "teams",
    total: "Total (mean of the teams' overall scores)",
    domains: "Domains (mean of the teams' domain means)",
    items: "Items (mean level over the teams that rated them)",
    outcome: "ORGANISATION OUTCOME",
    valid_until: "Valid until (the first end of its teams' outcomes)",
    reaudit_by: "Next audit due by (the first date its teams' outcomes set)",
    rules: "Organisation rules",
    at_least: "required of every team",
    total_short: "the mean of the teams' overall scores",
    no_rules: "The rubric's policy has no organisation rules: the means above decide nothing.",
};

const ORGANISATION_NL: OrganisationLabels = OrganisationLabels {
    heading: "Organisatie",
    teams: "teams",
    total: "Totaal (gemiddelde van de totaalscores van de teams)",
    domains: "Domeinen (gemiddelde van de domeingemiddelden van de teams)",
    items: "Items (gemiddeld niveau over de teams die ze gescoord hebben)",
    outcome: "RESULTAAT VAN DE ORGANISATIE",
    valid_until: "Geldig tot en met (de eerste einddatum van de resultaten van haar teams)",
    reaudit_by: "Uiterste datum nieuwe audit (de eerste datum die de resultaten van haar teams vastleggen)",
    rules: "Regels voor de organisatie",
    at_least: "vereist van elk team",
    total_short: "het gemiddelde van de totaalscores van de teams",
    no_rules: "Het beleid van het beoordelingsrooster bevat geen regels voor organisaties: de gemiddelden hierboven bepalen niets.",
};

const ORGANISATION_FR: OrganisationLabels = OrganisationLabels {
    heading: "Organisation",
    teams: "équipes",
    total: "Total (moyenne des scores globaux des équipes)",
    domains: "Domaines (moyenne des moyennes par domaine des équipes)",
    items: "Items (niveau moyen sur les équipes qui les ont cotés)",
    outcome: "RÉSULTAT DE L'ORGANISATION",
    valid_until: "Fin de validité (la première échéance des résultats de ses équipes)",
    reaudit_by: "Échéance du nouvel audit (la première date fixée par les résultats de ses équipes)",
    rules: "Règles applicables à l'organisation",
    at_least: "exigé de chaque équipe",
    total_short: "la moyenne des scores globaux des équipes",
    no_rules: "La politique de la grille ne prévoit aucune règle pour les organisations : les moyennes ci-dessus ne décident de rien.",
};

impl OrganisationLabels {
    /// The words of `lang` (German falls back to English).
    pub fn of(lang: Lang) -> &'static OrganisationLabels {
        match lang {
            Lang::Nl => &ORGANISATION_NL,
            Lang::Fr => &ORGANISATION_FR,
            Lang::En | Lang::De => &ORGANISATION_EN,
        }
    }
}
