//! `hf-fidelity`: Housing First label audits from the command line.

use clap::{Parser, Subcommand, ValueEnum};
use hf_fidelity::assessment::Assessment;
use hf_fidelity::schema::{SchemaKind, json_schema};
use hf_fidelity::{AuditRecord, CompiledRubric, Error, Lang, Loader, Outcome, SHIPPED};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_HELP: &str = "Exit codes:
  0  success
  1  internal error (a bug, or output could not be written)
  2  invalid input: a file is missing, malformed or breaks the rubric (never an outcome)
  3  the outcome reached the level named by --fail-on
  4  verify: the record does not hold";

/// The default rubric when neither `--rubric` nor the assessment names one.
const DEFAULT_RUBRIC: &str = "hfb-label";

#[derive(Parser)]
#[command(name = "hf-fidelity", version, about = "Housing First fidelity scoring and label audits", after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Yaml,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Exit 3 when the label is refused (or the assessment incomplete).
    Refused,
    /// Exit 3 when the label is anything but granted.
    Conditional,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    Rubric,
    RubricExtension,
    Assessment,
    Record,
}

#[derive(Subcommand)]
enum Command {
    /// Audit one self-assessment: decide the label and print the audit record.
    #[command(after_help = EXIT_HELP)]
    Audit {
        /// The self-assessment (YAML or JSON).
        assessment: PathBuf,
        /// A shipped rubric id or a rubric file (default: the one the assessment names, else hfb-label).
        #[arg(long)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language of the text output.
        #[arg(long, default_value = "en")]
        lang: Lang,
        /// Exit with code 3 when the outcome is at or below this.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Validate a rubric or a self-assessment and list every problem.
    #[command(after_help = EXIT_HELP)]
    Check {
        /// The file to check.
        file: PathBuf,
        /// The rubric to check an assessment against (default as for `audit`).
        #[arg(long)]
        rubric: Option<String>,
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
    },
    /// Print the JSON Schema of a document.
    Schema {
        /// Which document.
        #[arg(value_enum)]
        kind: SchemaArg,
    },
    /// List the shipped rubrics.
    Rubrics,
}

enum Failure {
    Input(Error),
    Internal(String),
    Gate,
    Mismatch,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Serialise(..) | Error::Overflow(..) => Failure::Internal(e.to_string()),
            other => Failure::Input(other),
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

fn rubric_for(loader: &Loader, flag: Option<&str>, named: Option<&str>) -> Result<CompiledRubric, Error> {
    loader.rubric(flag.or(named).unwrap_or(DEFAULT_RUBRIC))
}

/// An assessment file: its text (to locate problems in) and its parsed form.
fn load_assessment(loader: &Loader, path: &Path) -> Result<(String, Assessment), Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let a = loader.assessment_from_bytes(&bytes, &path.display().to_string())?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), a))
}

fn run(cli: Cli) -> Result<(), Failure> {
    let loader = Loader::default();
    match cli.command {
        Command::Audit { assessment, rubric, format, lang, fail_on } => {
            let (text, a) = load_assessment(&loader, &assessment)?;
            let r = rubric_for(&loader, rubric.as_deref(), a.rubric.as_ref().map(|x| x.id.as_str()))?;
            let record = r.audit_named(&a, &assessment.display().to_string()).map_err(|e| e.locate(&text))?;
            let text = match format {
                Format::Text => hf_fidelity::report::text(&record, &r, lang),
                Format::Json => record.to_json()?,
                Format::Yaml => record.to_yaml()?,
            };
            out(&text)?;
            let o = record.decision.outcome;
            let gate = match fail_on {
                None => false,
                Some(FailOn::Refused) => matches!(o, Outcome::Refused | Outcome::Incomplete),
                Some(FailOn::Conditional) => o != Outcome::Granted,
            };
            if gate { Err(Failure::Gate) } else { Ok(()) }
        }
        Command::Check { file, rubric } => check(&loader, &file, rubric.as_deref()),
        Command::Verify { record, rubric, assessment } => {
            let text = std::fs::read_to_string(&record).map_err(|source| Error::Read { path: record.clone(), source })?;
            let rec = AuditRecord::from_str(&text, &record.display().to_string())?;
            let r = rubric_for(&loader, rubric.as_deref(), Some(&rec.rubric.id))?;
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
        Command::Schema { kind } => {
            let k = match kind {
                SchemaArg::Rubric => SchemaKind::Rubric,
                SchemaArg::RubricExtension => SchemaKind::RubricExtension,
                SchemaArg::Assessment => SchemaKind::Assessment,
                SchemaArg::Record => SchemaKind::Record,
            };
            out(&json_schema(k))
        }
        Command::Rubrics => {
            let mut s = String::new();
            for shipped in SHIPPED {
                let r = loader.rubric(shipped.id)?;
                s.push_str(&format!("{:<14} {:<8} {}\n", shipped.id, r.rubric().version, r.rubric().title.en));
            }
            out(&s)
        }
    }
}

fn check(loader: &Loader, file: &Path, rubric: Option<&str>) -> Result<(), Failure> {
    let bytes = std::fs::read(file).map_err(|source| Error::Read { path: file.to_owned(), source })?;
    let text = String::from_utf8_lossy(&bytes);
    let is_rubric = text.lines().any(|l| l.trim_start().starts_with("format:") && l.contains("hf-fidelity/rubric/"));
    let name = file.display().to_string();
    if is_rubric {
        let r = loader.rubric_from_path(file)?;
        let items: usize = r.rubric().domains.iter().map(|d| d.items.len()).sum();
        return out(&format!(
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
        out(&format!("{name}: valid assessment of `{}` for rubric `{}`\n", a.project.id, r.rubric().id))
    } else {
        Err(Failure::Input(Error::Invalid { doc: hf_fidelity::DocKind::Assessment, origin: name, problems }))
    }
}
