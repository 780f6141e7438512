//! `hf-fidelity`: Housing First label audits from the command line.

mod batch;
mod write;

use clap::{Parser, Subcommand, ValueEnum};
use hf_fidelity::assessment::Assessment;
use hf_fidelity::report::ReportExtras;
use hf_fidelity::review::Rating;
use hf_fidelity::schema::{SchemaKind, json_schema};
use hf_fidelity::{AuditRecord, CompiledRubric, DocKind, Error, Lang, Loader, SHIPPED};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_HELP: &str = "Exit codes:
  0  success
  1  internal error (a bug, or output could not be written)
  2  invalid input: a file is missing, malformed or breaks the rubric, or an output file
     exists (never an outcome)
  3  the outcome reached the level named by --fail-on
  4  verify: the record does not hold";

/// The rubric used when neither `--rubric` nor the assessment names one.
pub const DEFAULT_RUBRIC: &str = "hfb-label";

#[derive(Parser)]
#[command(name = "hf-fidelity", version, about = "Housing First fidelity scoring and label audits", after_help = EXIT_HELP)]
struct Cli {
    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// An output format of `audit`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text (the default on a terminal).
    Text,
    /// The audit record as JSON (the default when output is not a terminal).
    Json,
    /// The audit record as YAML.
    Yaml,
    /// A Markdown report.
    Markdown,
    /// A self-contained HTML report.
    Html,
    /// The label's certificate: one printable HTML page (a label outcome only).
    Certificate,
}

/// A human-readable report format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Report {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// Self-contained HTML.
    Html,
    /// The label's certificate, one printable HTML page (a label outcome only; `batch`
    /// writes one for each project that got a label).
    Certificate,
}

impl Report {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Report::Text => "txt",
            Report::Markdown => "md",
            Report::Html => "html",
            Report::Certificate => "certificate.html",
        }
    }
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "record.json",
            Format::Yaml => "record.yaml",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Certificate => "certificate.html",
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    Rubric,
    RubricExtension,
    Assessment,
    Record,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

/// The formats of `history` and `network`: text, Markdown and HTML to read or send, JSON
/// and CSV to analyse.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ViewFormat {
    /// Text in the language of `--lang`.
    Text,
    /// Everything, as JSON.
    Json,
    /// One row per round (history) or project (network), RFC 4180, decimals with a point.
    Csv,
    /// Markdown in the language of `--lang`.
    Markdown,
    /// One self-contained HTML page with charts, in the language of `--lang`.
    Html,
}

/// The formats of `compare`.
#[derive(Clone, Copy, ValueEnum)]
enum CompareFormat {
    Text,
    Json,
    Markdown,
    Html,
}

#[derive(Subcommand)]
enum Command {
    /// Audit one self-assessment: decide the label and print or write the record or report.
    #[command(after_help = EXIT_HELP)]
    Audit {
        /// The self-assessment (YAML or JSON).
        assessment: PathBuf,
        /// A shipped rubric id or a rubric file (default: the one the assessment names, else hfb-label).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format (default: text on a terminal, json otherwise).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Language of the human-readable formats.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Write the output into this folder (as <file stem>.<ext>) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
        /// Exit with code 3 when the outcome is this outcome of the rubric's policy or a
        /// worse one (`incomplete` is worse than every outcome).
        #[arg(long, value_name = "OUTCOME")]
        fail_on: Option<String>,
        /// For a consensus: the reviewers' ratings it reconciles. Checked first: each is
        /// named by its SHA-256, and each item where the consensus departs from a reviewer
        /// carries a note.
        #[arg(long, num_args = 1..)]
        ratings: Vec<PathBuf>,
        /// The project's self-assessment: the report shows where it differs from the
        /// rating audited (text, markdown and html).
        #[arg(long = "self", value_name = "SELF_ASSESSMENT")]
        self_assessment: Option<PathBuf>,
    },
    /// Draft the consensus of two or more reviewers' ratings for the consensus meeting
    /// (YAML): agreed items filled in, the others open with every rater's answer.
    #[command(after_help = EXIT_HELP)]
    Reconcile {
        /// The reviewers' ratings of one project (two or more).
        #[arg(required = true, num_args = 2..)]
        ratings: Vec<PathBuf>,
        /// The project's self-assessment, shown beside the reviewers' answers.
        #[arg(long = "self", value_name = "SELF_ASSESSMENT")]
        self_assessment: Option<PathBuf>,
        /// A shipped rubric id or a rubric file (default: the one the ratings name).
        #[arg(long)]
        rubric: Option<String>,
        /// Language of the draft's comments.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Write the draft to this file (never replaces an existing one) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Compare two ratings of one project item by item (a self-assessment and the
    /// consensus, or two reviewers).
    #[command(after_help = EXIT_HELP)]
    Compare {
        /// The first rating.
        a: PathBuf,
        /// The second rating.
        b: PathBuf,
        /// A shipped rubric id or a rubric file (default: the one the ratings name).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: CompareFormat,
        /// Language of the text, Markdown and HTML.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
    /// Agreement between raters of the same projects: exact and within-one agreement, the
    /// six ICCs of Shrout & Fleiss, quadratic-weighted kappa per pair of raters.
    #[command(after_help = EXIT_HELP)]
    Agreement {
        /// Ratings, or folders of .yaml/.yml/.json ratings.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// A shipped rubric id or a rubric file (default: the one the ratings name).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
    },
    /// Audit many self-assessments: a record per project and a summary (CSV and JSON).
    #[command(after_help = EXIT_HELP)]
    Batch {
        /// Files, or folders of .yaml/.yml/.json files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write records/, reports/, summary.csv and summary.json.
        #[arg(long)]
        out: PathBuf,
        /// A shipped rubric id or a rubric file for every assessment (default: each names its own).
        #[arg(long)]
        rubric: Option<String>,
        /// Also write a report per project in this format.
        #[arg(long, value_enum)]
        report: Option<Report>,
        /// Language of the reports.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Replace existing output files.
        #[arg(long)]
        force: bool,
        /// Worker threads (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// Exit with code 3 when any outcome is this outcome of its rubric's policy or a
        /// worse one (`incomplete` is worse than every outcome).
        #[arg(long, value_name = "OUTCOME")]
        fail_on: Option<String>,
        /// How summary.csv is written: `standard` (RFC 4180) or `excel-eu` (UTF-8 with a
        /// byte-order mark, `;` and decimal commas, as spreadsheets in Dutch and French
        /// locales open it).
        #[arg(long, value_enum, default_value = "standard")]
        csv: batch::CsvDialect,
        /// Only read and parse the files, audit and write nothing: the baseline of
        /// `benches/batch.sh`.
        #[arg(long, hide = true)]
        parse_only: bool,
    },
    /// Validate rubrics, assessments or records and list every problem of each; say which
    /// required items a valid assessment still leaves unanswered.
    #[command(after_help = EXIT_HELP)]
    Check {
        /// The files to check, or folders of .yaml/.yml/.json files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The rubric to check assessments against (default as for `audit`).
        #[arg(long)]
        rubric: Option<String>,
    },
    /// Show the arithmetic of a decision: levels from values and bands, means, rule verdicts.
    Explain {
        /// A self-assessment or an audit record.
        file: PathBuf,
        /// A shipped rubric id or a rubric file (default: the one the file names).
        #[arg(long)]
        rubric: Option<String>,
        /// Explain one item, domain or rule only (an unknown id is an error, with the nearest one).
        #[arg(long)]
        item: Option<String>,
    },
    /// Render an archived audit record again, in any format and language (the record is
    /// verified first: one that no longer holds is not reported on).
    #[command(after_help = EXIT_HELP)]
    Report {
        /// The record (JSON or YAML).
        record: PathBuf,
        /// The rubric (default: the shipped rubric the record names).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Report,
        /// Language of the report.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Write the report into this folder as <record stem>.<lang>.<ext> instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// Re-run an audit record and report whether it still holds.
    #[command(after_help = EXIT_HELP)]
    Verify {
        /// The record (JSON or YAML).
        record: PathBuf,
        /// The rubric (default: the shipped rubric the record names).
        #[arg(long)]
        rubric: Option<String>,
        /// The assessment file to compare with the record's input.
        #[arg(long)]
        assessment: Option<PathBuf>,
        /// For the record of a consensus: the ratings it reconciles, checked against the
        /// hashes the consensus names.
        #[arg(long, num_args = 1..)]
        ratings: Vec<PathBuf>,
    },
    /// Compare two self-assessments or records of a project: levels, domains, outcome.
    Diff {
        /// The earlier one (assessment or record).
        before: PathBuf,
        /// The later one (assessment or record).
        after: PathBuf,
        /// The rubric for assessments (default: the one each names).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
    },
    /// A project's path over its rounds: the outcome, the label's validity and the means of
    /// each round, the items that moved since the round before, and warnings when a label
    /// lapsed or a re-audit is overdue.
    #[command(after_help = EXIT_HELP)]
    History {
        /// Audit records or assessments (YAML or JSON) of the project, or folders of them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The project, when the files are of several.
        #[arg(long)]
        project: Option<String>,
        /// The rubric for assessments (default: the one each names).
        #[arg(long)]
        rubric: Option<String>,
        /// The day the warnings are worked out for (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<hf_fidelity::Date>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ViewFormat,
        /// Language of the text.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
    /// A network's picture from its projects' latest ratings (a consensus where there is
    /// one): outcomes by team model, every domain's median and each project against it,
    /// items at the scale's top (ceiling effects), items that fail most often, and labels
    /// that expire soon.
    #[command(after_help = EXIT_HELP)]
    Network {
        /// Audit records or assessments (YAML or JSON) of the projects, or folders of them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The rubric for assessments (default: the one each names).
        #[arg(long)]
        rubric: Option<String>,
        /// The day expiries are counted from (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<hf_fidelity::Date>,
        /// List labels that end within this many months.
        #[arg(long, default_value_t = 6)]
        expiring_within: u32,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ViewFormat,
        /// Language of the text.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
    /// An organisation of several teams rated as one: each team's rating (a consensus
    /// first), and across the teams the mean of every item, of every domain's mean and of the
    /// overall scores, exact and rounded as the rubric says.
    #[command(after_help = EXIT_HELP)]
    Organisation {
        /// The teams' audit records or assessments (YAML or JSON), or folders of them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The organisation's name.
        #[arg(long)]
        name: String,
        /// The rubric for assessments (default: the one each names).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Language of the text.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
    /// Print the JSON Schema of a document; with `--rubric`, the schema of an assessment of
    /// that rubric (its item ids, levels and measured values), for editors.
    #[command(after_help = EXIT_HELP)]
    Schema {
        /// Which document.
        #[arg(value_enum)]
        kind: SchemaArg,
        /// A shipped rubric id or a rubric file (`assessment` only).
        #[arg(long)]
        rubric: Option<String>,
        /// Language of the titles and descriptions (with `--rubric`).
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
    /// Print a blank self-assessment (YAML) to fill in: every item of the rubric for the
    /// team model, in order, with its levels, units and bands in comments.
    #[command(after_help = EXIT_HELP)]
    Template {
        /// A shipped rubric id or a rubric file (default: the one `--from` names, else hfb-label).
        #[arg(long)]
        rubric: Option<String>,
        /// The team model (default: the one `--from` names; required without it).
        #[arg(long, value_name = "MODEL")]
        team_model: Option<String>,
        /// Language of the comments.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Pre-fill a new round from the project's previous assessment.
        #[arg(long, value_name = "ASSESSMENT")]
        from: Option<PathBuf>,
        /// Write the template to this file (never replaces an existing one) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a self-assessment form: one self-contained HTML page a project fills in in any
    /// browser, offline, and saves as an assessment file (YAML or JSON).
    #[command(after_help = EXIT_HELP)]
    Form {
        /// A shipped rubric id or a rubric file (default: hfb-label).
        #[arg(long)]
        rubric: Option<String>,
        /// The team model.
        #[arg(long, value_name = "MODEL")]
        team_model: String,
        /// Language of the form.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
        /// Write the form to this file (never replaces an existing one) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List the shipped rubrics, or show one rubric's items.
    Rubrics {
        #[command(subcommand)]
        action: Option<RubricsAction>,
    },
}

#[derive(Subcommand)]
enum RubricsAction {
    /// The items of a rubric per domain: principles, team models, measured units and
    /// bands, required evidence and the minimum levels the policy asks.
    #[command(after_help = EXIT_HELP)]
    Show {
        /// A shipped rubric id or a rubric file.
        rubric: String,
        /// Language of the titles.
        #[arg(long, default_value = "en", value_parser = report_lang)]
        lang: Lang,
    },
}

enum Failure {
    Input(String),
    Internal(String),
    Gate,
    Mismatch,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Serialise(..) | Error::Overflow(..) | Error::Internal(..) => Failure::Internal(e.to_string()),
            other => Failure::Input(other.to_string()),
        }
    }
}

impl From<write::WriteError> for Failure {
    fn from(e: write::WriteError) -> Self {
        match e {
            write::WriteError::Exists(_) => Failure::Input(e.to_string()),
            write::WriteError::Io(..) => Failure::Internal(e.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(m)) => {
            eprintln!("internal error: {m}");
            ExitCode::from(1)
        }
        Err(Failure::Gate) => ExitCode::from(3),
        Err(Failure::Mismatch) => ExitCode::from(4),
    }
}

fn out(s: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| Failure::Internal(format!("cannot write output: {e}")))
}

/// Writes `rows` (a header first) as RFC 4180 CSV.
fn csv_text(rows: Vec<Vec<String>>) -> Result<String, Failure> {
    let fail = |e: csv::Error| Failure::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Failure::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Failure::Internal(e.to_string()))
}

fn cell<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A history as CSV: one row per round, with every domain mean and every item's level.
fn history_csv(h: &hf_fidelity::history::History) -> Result<String, Failure> {
    if h.rounds.is_empty() {
        return csv_text(Vec::new());
    }
    let mut header: Vec<String> =
        ["project", "round", "date", "rubric", "assessor", "rating", "outcome", "valid_until", "reaudit_by", "overall"]
            .map(String::from)
            .to_vec();
    // Every domain and item of any round, in order of first appearance: a later rubric
    // version may rename, add or drop some.
    let mut domains: Vec<&str> = Vec::new();
    let mut items: Vec<&str> = Vec::new();
    for r in &h.rounds {
        for d in &r.domains {
            if !domains.contains(&d.id.as_str()) {
                domains.push(&d.id);
            }
        }
        for i in &r.items {
            if !items.contains(&i.id.as_str()) {
                items.push(&i.id);
            }
        }
    }
    header.extend(domains.iter().map(|d| format!("domain:{d}")));
    header.extend(items.iter().map(|i| (*i).to_owned()));
    let mut indicators: Vec<&str> = h.rounds.iter().flat_map(|r| r.outcomes.keys().map(String::as_str)).collect();
    indicators.sort_unstable();
    indicators.dedup();
    header.extend(indicators.iter().map(|o| format!("outcome:{o}")));
    let mut rows = vec![header];
    for (k, r) in (1u32..).zip(&h.rounds) {
        let mut row = vec![
            h.project.clone(),
            k.to_string(),
            r.date.to_string(),
            format!("{} {}", r.rubric.0, r.rubric.1),
            r.assessor.code().to_owned(),
            r.rating.code().to_owned(),
            r.outcome.code().to_owned(),
            cell(r.valid_until),
            cell(r.reaudit_by),
            cell(r.overall),
        ];
        row.extend(domains.iter().map(|d| cell(r.domains.iter().find(|x| x.id == *d).and_then(|x| x.mean))));
        row.extend(items.iter().map(|i| cell(r.items.iter().find(|x| x.id == *i).and_then(|x| x.level))));
        row.extend(indicators.iter().map(|o| cell(r.outcomes.get(*o))));
        rows.push(row);
    }
    csv_text(rows)
}

/// A network as CSV: one row per project, with every domain mean and its distance from the
/// network median.
fn network_csv(n: &hf_fidelity::network::Network) -> Result<String, Failure> {
    let mut header: Vec<String> =
        ["project", "name", "region", "team_model", "rating", "date", "outcome", "valid_until", "overall"].map(String::from).to_vec();
    for d in &n.domains {
        header.push(format!("domain:{}", d.domain));
        header.push(format!("domain:{}:from_median", d.domain));
    }
    header.extend(n.outcome_indicators.iter().map(|o| format!("outcome:{}", o.indicator)));
    let mut rows = vec![header];
    for p in &n.projects {
        let mut row = vec![
            p.project.clone(),
            p.name.clone(),
            p.region.clone().unwrap_or_default(),
            p.team_model.clone(),
            p.rating.code().to_owned(),
            p.date.to_string(),
            p.outcome.code().to_owned(),
            cell(p.valid_until),
            cell(p.overall),
        ];
        for d in &p.from_median {
            row.push(cell(d.mean));
            row.push(cell(d.difference));
        }
        row.extend(n.outcome_indicators.iter().map(|o| cell(p.outcomes.get(&o.indicator))));
        rows.push(row);
    }
    csv_text(rows)
}

/// A date given on the command line.
fn parse_date(s: &str) -> Result<hf_fidelity::Date, String> {
    s.parse()
}

fn rubric_for(loader: &Loader, flag: Option<&str>, named: Option<&str>) -> Result<CompiledRubric, Error> {
    loader.rubric(flag.or(named).unwrap_or(DEFAULT_RUBRIC))
}

/// An assessment file: its text (to locate problems in) and its parsed form.
fn load_assessment(loader: &Loader, path: &Path) -> Result<(String, Assessment), Error> {
    let bytes = loader.read_file(path)?;
    let a = loader.assessment_from_bytes(&bytes, &path.display().to_string())?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), a))
}

/// A language the reports are written in: en, nl or fr (rubrics may carry German texts,
/// but no report is written in German).
fn report_lang(s: &str) -> Result<Lang, String> {
    match s.parse::<Lang>() {
        Ok(Lang::De) => Err("reports are written in en, nl or fr; German (de) is only for rubric texts".into()),
        Ok(lang) => Ok(lang),
        Err(e) => Err(e.to_string()),
    }
}

/// Ratings (assessments) from files, named by their paths.
fn load_ratings(loader: &Loader, paths: &[PathBuf]) -> Result<Vec<Rating>, Error> {
    paths
        .iter()
        .map(|p| {
            let (_, a) = load_assessment(loader, p)?;
            Ok(Rating { assessment: a, origin: p.display().to_string() })
        })
        .collect()
}

/// Pretty JSON with a final newline.
fn json_text<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| Failure::Internal(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// A record from a record file, or by auditing an assessment file.
/// Every rating in `inputs` (files or folders) as a record, `(file, record)`, with the
/// rubric the first was scored with: what `network` and `organisation` read.
fn ratings_in(loader: &Loader, inputs: &[PathBuf], rubric: Option<&str>) -> Result<(Vec<(String, AuditRecord)>, CompiledRubric), Failure> {
    let mut records = Vec::new();
    let mut used = None;
    for p in inputs {
        for f in hf_fidelity::load::documents_in(p)? {
            let (rec, r) = record_of(loader, &f, rubric)?;
            records.push((f.display().to_string(), rec));
            used.get_or_insert(r);
        }
    }
    let r = used.ok_or_else(|| Failure::Input("no rating given".into()))?;
    Ok((records, r))
}

fn record_of(loader: &Loader, path: &Path, rubric: Option<&str>) -> Result<(AuditRecord, CompiledRubric), Error> {
    loader.record_of(path, rubric, DEFAULT_RUBRIC)
}

/// An error unless `rec` still holds under `rubric` (the same rubric, the same decision):
/// what `explain` and `report` check before they show a record.
fn holds(rec: &AuditRecord, rubric: &CompiledRubric, file: &Path) -> Result<(), Failure> {
    let v = hf_fidelity::verify(rec, rubric, None)?;
    if v.holds {
        return Ok(());
    }
    let first = v.mismatches.first().map(|m| m.to_string()).unwrap_or_default();
    Err(Failure::Input(format!(
        "{}: the record does not hold ({} difference(s), first: {first}): run `hf-fidelity verify` to see them",
        file.display(),
        v.mismatches.len()
    )))
}

/// Renders a record in a format.
pub fn render(format: Report, record: &AuditRecord, rubric: &CompiledRubric, lang: Lang, colour: bool) -> Result<String, Error> {
    render_with(format, record, rubric, lang, colour, ReportExtras::default())
}

/// As [`render`], with the extras of a review's report.
fn render_with(
    format: Report,
    record: &AuditRecord,
    rubric: &CompiledRubric,
    lang: Lang,
    colour: bool,
    extras: ReportExtras<'_>,
) -> Result<String, Error> {
    Ok(match format {
        Report::Text => hf_fidelity::report::text_with(record, rubric, lang, colour, extras),
        Report::Markdown => hf_fidelity::report::markdown_with(record, rubric, lang, extras),
        Report::Html => hf_fidelity::report::html_with(record, rubric, lang, extras),
        Report::Certificate => hf_fidelity::report::certificate(record, rubric, lang)?,
    })
}

fn colour_ok() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn run(cli: Cli) -> Result<(), Failure> {
    let loader = Loader::default();
    let quiet = cli.quiet;
    let note = |m: &str| {
        if !quiet {
            eprintln!("{m}");
        }
    };
    match cli.command {
        Command::Audit { assessment, rubric, format, lang, out: dir, force, fail_on, ratings, self_assessment } => {
            let (text, a) = load_assessment(&loader, &assessment)?;
            let r = rubric_for(&loader, rubric.as_deref(), a.rubric.as_ref().map(|x| x.id.as_str()))?;
            if !ratings.is_empty() {
                let given = load_ratings(&loader, &ratings)?;
                let consensus = Rating { assessment: a.clone(), origin: assessment.display().to_string() };
                hf_fidelity::review::check_consensus(&r, &consensus, &given).map_err(|e| e.locate(&text))?;
            }
            let record = r.audit_named(&a, &assessment.display().to_string()).map_err(|e| e.locate(&text))?;
            let comparison = match &self_assessment {
                Some(path) => {
                    let own = load_ratings(&loader, std::slice::from_ref(path))?
                        .pop()
                        .ok_or(Failure::Internal("a rating was read as none".into()))?;
                    let this = Rating { assessment: a.clone(), origin: assessment.display().to_string() };
                    Some(hf_fidelity::review::compare(&r, &own, &this)?)
                }
                None => None,
            };
            let extras = ReportExtras { self_comparison: comparison.as_ref() };
            // Checked before anything is written: an unknown outcome is bad input.
            let hit = match &fail_on {
                Some(bar) => r.is_at_or_below(&record.decision.outcome, bar)?,
                None => false,
            };
            let format = format.unwrap_or(if std::io::stdout().is_terminal() { Format::Text } else { Format::Json });
            let colour = dir.is_none() && colour_ok();
            let body = match format {
                Format::Text => render_with(Report::Text, &record, &r, lang, colour, extras)?,
                Format::Markdown => render_with(Report::Markdown, &record, &r, lang, false, extras)?,
                Format::Html => render_with(Report::Html, &record, &r, lang, false, extras)?,
                Format::Certificate => render_with(Report::Certificate, &record, &r, lang, false, extras)?,
                Format::Json => record.to_json()?,
                Format::Yaml => record.to_yaml()?,
            };
            match dir {
                None => out(&body)?,
                Some(dir) => {
                    let stem = assessment.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "assessment".into());
                    let path = dir.join(format!("{stem}.{}", format.extension()));
                    write::write_atomic(&path, body.as_bytes(), force)?;
                    note(&format!("{}: {} -> {}", record.assessment.project, record.decision.outcome, path.display()));
                }
            }
            if hit { Err(Failure::Gate) } else { Ok(()) }
        }
        Command::Batch { inputs, out: dir, rubric, report, lang, force, jobs, fail_on, csv, parse_only } => {
            let files = batch::collect(&inputs)?;
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let progress = !quiet && std::io::stderr().is_terminal();
            let job = batch::BatchJob { files, out: dir.clone(), rubric, report, lang, force, jobs, progress, parse_only, fail_on, csv };
            let summary = batch::run(&job)?;
            if !job.parse_only {
                note(&format!("{}; summary in {}", batch::tally(&summary), dir.join("summary.csv").display()));
            }
            if !summary.failures.is_empty() {
                let mut m = format!("{} file(s) could not be audited:", summary.failures.len());
                for f in &summary.failures {
                    m.push_str(&format!("\n  {}: {}", f.file, f.error));
                }
                return Err(Failure::Input(m));
            }
            let hit = summary.rows.iter().any(|r| r.gate);
            if hit { Err(Failure::Gate) } else { Ok(()) }
        }
        Command::Check { files, rubric } => {
            let files = batch::collect(&files)?;
            let mut failed = Vec::new();
            for file in &files {
                match check(&loader, file, rubric.as_deref()) {
                    Ok(line) => out(&line)?,
                    Err(e) => failed.push(e.to_string()),
                }
            }
            if failed.is_empty() { Ok(()) } else { Err(Failure::Input(failed.join("\nerror: "))) }
        }
        Command::Report { record, rubric, format, lang, out: dir, force } => {
            let bytes = loader.read_file(&record)?;
            let name = record.display().to_string();
            if loader.document_kind(&bytes, &name)? != DocKind::Record {
                return Err(Failure::Input(format!("{name} is not an audit record: `audit` reports on an assessment")));
            }
            let rec = loader.record_from_bytes(&bytes, &name)?;
            let r = rubric_for(&loader, rubric.as_deref(), Some(&rec.rubric.id))?;
            // An edited record, or one of another rubric, is not reported on as if it held.
            holds(&rec, &r, &record)?;
            let body = render(format, &rec, &r, lang, format == Report::Text && dir.is_none() && colour_ok())?;
            match dir {
                None => out(&body),
                Some(dir) => {
                    let file = record.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                    let stem = [".record.json", ".record.yaml", ".json", ".yaml", ".yml"]
                        .iter()
                        .find_map(|ext| file.strip_suffix(ext))
                        .unwrap_or(&file)
                        .to_owned();
                    let path = dir.join(format!("{stem}.{}.{}", lang.code(), format.extension()));
                    write::write_atomic(&path, body.as_bytes(), force)?;
                    note(&format!("{}: {} -> {}", rec.assessment.project, rec.decision.outcome, path.display()));
                    Ok(())
                }
            }
        }
        Command::Explain { file, rubric, item } => {
            let (rec, r) = record_of(&loader, &file, rubric.as_deref())?;
            // An edited record is not explained as if it held.
            holds(&rec, &r, &file)?;
            if let Some(wanted) = item.as_deref() {
                let d = &rec.decision;
                let known: Vec<&str> = d
                    .items
                    .iter()
                    .map(|i| i.id.as_str())
                    .chain(d.scores.domains.iter().map(|g| g.id.as_str()))
                    .chain(d.rules.iter().map(|x| x.id.as_str()))
                    .collect();
                if !known.contains(&wanted) {
                    let nearest = known
                        .iter()
                        .min_by_key(|k| strsim::levenshtein(k, wanted))
                        .map(|k| format!(": did you mean `{k}`?"))
                        .unwrap_or_default();
                    return Err(Failure::Input(format!("`{wanted}` is no item, domain or rule of `{}`{nearest}", rec.rubric.id)));
                }
            }
            out(&hf_fidelity::explain::explain(&rec, &r, item.as_deref()))
        }
        Command::Verify { record, rubric, assessment, ratings } => {
            let bytes = loader.read_file(&record)?;
            let rec = loader.record_from_bytes(&bytes, &record.display().to_string())?;
            let r = rubric_for(&loader, rubric.as_deref(), Some(&rec.rubric.id))?;
            if !ratings.is_empty() {
                let given = load_ratings(&loader, &ratings)?;
                let consensus = Rating { assessment: rec.input.clone(), origin: record.display().to_string() };
                hf_fidelity::review::check_consensus(&r, &consensus, &given)?;
            }
            let given = assessment.as_deref().map(|p| load_assessment(&loader, p)).transpose()?.map(|(_, a)| a);
            let v = hf_fidelity::verify(&rec, &r, given.as_ref())?;
            if v.holds {
                out(&format!(
                    "the record holds: re-running {} against {} {} gives the same record\n",
                    rec.assessment.project, rec.rubric.id, rec.rubric.version
                ))
            } else {
                let mut s = format!("the record does not hold ({} difference(s)):\n", v.mismatches.len());
                for m in &v.mismatches {
                    s.push_str(&format!("  {m}\n"));
                }
                out(&s)?;
                Err(Failure::Mismatch)
            }
        }
        Command::Reconcile { ratings, self_assessment, rubric, lang, out: file } => {
            let reviews = load_ratings(&loader, &ratings)?;
            let own = self_assessment.as_deref().map(|p| load_ratings(&loader, &[p.to_path_buf()])).transpose()?.and_then(|mut v| v.pop());
            let named = reviews.first().and_then(|x| x.assessment.rubric.as_ref()).map(|x| x.id.clone());
            let r = rubric_for(&loader, rubric.as_deref(), named.as_deref())?;
            let draft = hf_fidelity::review::reconcile(&r, &reviews, own.as_ref(), lang)?;
            match file {
                None => out(&draft),
                Some(path) => {
                    write::write_atomic(&path, draft.as_bytes(), false)?;
                    note(&format!("consensus draft -> {}", path.display()));
                    Ok(())
                }
            }
        }
        Command::Compare { a, b, rubric, format, lang } => {
            let mut rs = load_ratings(&loader, &[a, b])?;
            let (Some(b), Some(a)) = (rs.pop(), rs.pop()) else {
                return Err(Failure::Internal("two ratings were read as fewer".into()));
            };
            let named = a.assessment.rubric.as_ref().map(|x| x.id.clone());
            let r = rubric_for(&loader, rubric.as_deref(), named.as_deref())?;
            let c = hf_fidelity::review::compare(&r, &a, &b)?;
            match format {
                CompareFormat::Text => out(&c.to_text(&r, lang)),
                CompareFormat::Json => out(&json_text(&c)?),
                CompareFormat::Markdown => out(&c.to_markdown(&r, lang)),
                CompareFormat::Html => out(&c.to_html(&r, lang)),
            }
        }
        Command::Agreement { inputs, rubric, format } => {
            let files = batch::collect(&inputs)?;
            let ratings = load_ratings(&loader, &files)?;
            let named = ratings.first().and_then(|x| x.assessment.rubric.as_ref()).map(|x| x.id.clone());
            let r = rubric_for(&loader, rubric.as_deref(), named.as_deref())?;
            let report = hf_fidelity::review::agreement(&r, &ratings)?;
            match format {
                DiffFormat::Text => out(&report.to_text()),
                DiffFormat::Json => out(&json_text(&report)?),
            }
        }
        Command::History { inputs, project, rubric, as_of, format, lang } => {
            let mut files = Vec::new();
            for p in &inputs {
                files.extend(hf_fidelity::load::documents_in(p)?);
            }
            let mut records = Vec::with_capacity(files.len());
            let mut rubrics = Vec::with_capacity(files.len());
            for f in &files {
                let (rec, r) = record_of(&loader, f, rubric.as_deref())?;
                records.push((f.display().to_string(), rec));
                rubrics.push(r);
            }
            // The rubric each record was decided with, when it is the one loaded for it.
            let rubric_of = |rec: &AuditRecord| {
                rubrics
                    .iter()
                    .find(|r| r.rubric().id == rec.rubric.id && r.rubric().version == rec.rubric.version && r.sha256() == rec.rubric.sha256)
            };
            let as_of = as_of.unwrap_or_else(hf_fidelity::Date::today);
            let h = hf_fidelity::history::history(records, project.as_deref(), as_of, rubric_of)?;
            match format {
                ViewFormat::Csv => out(&history_csv(&h)?),
                ViewFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&h).map_err(|e| Failure::Internal(e.to_string()))?;
                    s.push('\n');
                    out(&s)
                }
                report => {
                    // Titles from the latest round's rubric, where it was loaded.
                    let last = h
                        .rounds
                        .last()
                        .and_then(|r| rubrics.iter().find(|x| x.rubric().id == r.rubric.0 && x.rubric().version == r.rubric.1));
                    out(&match report {
                        ViewFormat::Markdown => h.to_markdown(lang, last),
                        ViewFormat::Html => h.to_html(lang, last),
                        _ => h.to_text(lang, last),
                    })
                }
            }
        }
        Command::Network { inputs, rubric, as_of, expiring_within, format, lang } => {
            let (records, r) = ratings_in(&loader, &inputs, rubric.as_deref())?;
            let n = hf_fidelity::network::network(records, &r, as_of.unwrap_or_else(hf_fidelity::Date::today), expiring_within)?;
            match format {
                ViewFormat::Csv => out(&network_csv(&n)?),
                ViewFormat::Text => out(&n.to_text(lang, &r)),
                ViewFormat::Markdown => out(&n.to_markdown(lang, &r)),
                ViewFormat::Html => out(&n.to_html(lang, &r)),
                ViewFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&n).map_err(|e| Failure::Internal(e.to_string()))?;
                    s.push('\n');
                    out(&s)
                }
            }
        }
        Command::Organisation { inputs, name, rubric, format, lang } => {
            let (records, r) = ratings_in(&loader, &inputs, rubric.as_deref())?;
            let o = hf_fidelity::organisation::organisation(&name, records, &r)?;
            match format {
                DiffFormat::Text => out(&o.to_text(lang, &r)),
                DiffFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&o).map_err(|e| Failure::Internal(e.to_string()))?;
                    s.push('\n');
                    out(&s)
                }
            }
        }
        Command::Diff { before, after, rubric, format } => {
            let (a, _) = record_of(&loader, &before, rubric.as_deref())?;
            let (b, _) = record_of(&loader, &after, rubric.as_deref())?;
            let d = hf_fidelity::diff::diff(&a, &b);
            match format {
                DiffFormat::Text => out(&d.to_text()),
                DiffFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&d).map_err(|e| Failure::Internal(e.to_string()))?;
                    s.push('\n');
                    out(&s)
                }
            }
        }
        Command::Schema { kind: SchemaArg::Assessment, rubric: Some(rubric), lang } => {
            let r = rubric_for(&loader, Some(&rubric), None)?;
            out(&hf_fidelity::template::schema(&r, lang)?)
        }
        Command::Schema { rubric: Some(_), .. } => {
            Err(Failure::Input("`--rubric` narrows the schema of an assessment: use `schema assessment --rubric ...`".into()))
        }
        Command::Schema { kind, rubric: None, .. } => {
            let k = match kind {
                SchemaArg::Rubric => SchemaKind::Rubric,
                SchemaArg::RubricExtension => SchemaKind::RubricExtension,
                SchemaArg::Assessment => SchemaKind::Assessment,
                SchemaArg::Record => SchemaKind::Record,
            };
            out(&json_schema(k)?)
        }
        Command::Template { rubric, team_model, lang, from, out: file } => {
            let previous = from.as_deref().map(|p| load_assessment(&loader, p)).transpose()?.map(|(_, a)| a);
            let named = previous.as_ref().and_then(|a| a.rubric.as_ref()).map(|x| x.id.clone());
            let r = rubric_for(&loader, rubric.as_deref(), named.as_deref())?;
            let tm = match (team_model, &previous) {
                (Some(m), _) => hf_fidelity::TeamModel::from(m.as_str()),
                (None, Some(a)) => a.team_model.clone(),
                (None, None) => {
                    let known: Vec<&str> = r.rubric().team_models.iter().map(hf_fidelity::TeamModel::code).collect();
                    return Err(Failure::Input(format!("give the team model: --team-model {}", known.join(" | "))));
                }
            };
            let blank = hf_fidelity::template::template(&r, &tm, lang, previous.as_ref())?;
            match file {
                None => out(&blank),
                Some(path) => {
                    write::write_atomic(&path, blank.as_bytes(), false)?;
                    note(&format!("template -> {}", path.display()));
                    Ok(())
                }
            }
        }
        Command::Form { rubric, team_model, lang, out: file } => {
            let r = rubric_for(&loader, rubric.as_deref(), None)?;
            let page = hf_fidelity::template::form(&r, &hf_fidelity::TeamModel::from(team_model.as_str()), lang)?;
            match file {
                None => out(&page),
                Some(path) => {
                    write::write_atomic(&path, page.as_bytes(), false)?;
                    note(&format!("form -> {}", path.display()));
                    Ok(())
                }
            }
        }
        Command::Rubrics { action: Some(RubricsAction::Show { rubric, lang }) } => {
            let r = rubric_for(&loader, Some(&rubric), None)?;
            out(&hf_fidelity::template::overview(&r, lang)?)
        }
        Command::Rubrics { action: None } => {
            let mut s = String::new();
            for shipped in SHIPPED {
                let r = loader.rubric(shipped.id)?;
                s.push_str(&format!("{:<14} {:<8} {}\n", shipped.id, r.rubric().version, r.rubric().title.en));
            }
            out(&s)
        }
    }
}

/// Checks one file; the line to print when it is valid, every problem when not.
fn check(loader: &Loader, file: &Path, rubric: Option<&str>) -> Result<String, Error> {
    let bytes = loader.read_file(file)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let name = file.display().to_string();
    let kind = loader.document_kind(&bytes, &name)?;
    if kind == DocKind::Record {
        let r = loader.record_from_bytes(&bytes, &name)?;
        return Ok(format!(
            "{name}: a well-formed audit record of `{}` by rubric `{}` {} (`verify` re-runs it)\n",
            r.assessment.project, r.rubric.id, r.rubric.version
        ));
    }
    if kind == DocKind::Rubric {
        let r = loader.rubric_from_path(file)?;
        let items: usize = r.rubric().domains.iter().map(|d| d.items.len()).sum();
        return Ok(format!(
            "{name}: valid rubric `{}` {} ({} domains, {items} items)\n",
            r.rubric().id,
            r.rubric().version,
            r.rubric().domains.len()
        ));
    }
    let a = loader.assessment_from_bytes(&bytes, &name)?;
    let r = rubric_for(loader, rubric, a.rubric.as_ref().map(|x| x.id.as_str()))?;
    let mut problems = r.check_assessment(&a);
    hf_fidelity::error::locate_problems(&text, &mut problems);
    if problems.is_empty() {
        // Valid is not complete: say what a decision would still miss.
        let missing = r.decide_named(&a, &name)?.missing;
        let complete = if missing.is_empty() {
            String::new()
        } else {
            format!("; {} required item(s) unanswered, so the outcome would be incomplete: {}", missing.len(), missing.join(", "))
        };
        Ok(format!("{name}: valid assessment of `{}` for rubric `{}`{complete}\n", a.project.id, r.rubric().id))
    } else {
        Err(Error::Invalid { doc: DocKind::Assessment, origin: name, problems })
    }
}
