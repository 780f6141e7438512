//! The `hf-fidelity` binary: outputs and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

#[path = "common/cli.rs"]
mod cli_run;

use cli_run::{run, stderr, stdout};
use std::path::Path;
use std::process::Command;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("hf-fidelity-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn audit_prints_the_golden_text_report() {
    let o = run(&["audit", "examples/conditional-improving.yaml", "--format", "text"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), std::fs::read_to_string("tests/golden/conditional-improving.txt").unwrap());
}

#[test]
fn audit_json_is_the_golden_record_and_yaml_parses_back_to_it() {
    let o = run(&["audit", "examples/staircase-refused.yaml", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    // The CLI names the file as given; the golden file was written with the same path.
    assert_eq!(stdout(&o), std::fs::read_to_string("tests/golden/staircase-refused.record.json").unwrap());
    let y = run(&["audit", "examples/staircase-refused.yaml", "--format", "yaml"]);
    let from_yaml = hf_fidelity::AuditRecord::from_str(&stdout(&y), "y").unwrap();
    let from_json = hf_fidelity::AuditRecord::from_str(&stdout(&o), "j").unwrap();
    assert_eq!(from_yaml, from_json);
}

#[test]
fn text_output_speaks_dutch_and_french() {
    let nl = stdout(&run(&["audit", "examples/staircase-refused.yaml", "--format", "text", "--lang", "nl"]));
    assert!(nl.contains("Het Housing First-label wordt geweigerd."), "{nl}");
    let fr = stdout(&run(&["audit", "examples/staircase-refused.yaml", "--format", "markdown", "--lang", "fr"]));
    assert!(fr.contains("Le label Housing First est refusé."), "{fr}");
}

#[test]
fn fail_on_gives_exit_code_3_only_when_the_outcome_reaches_it() {
    assert_eq!(run(&["audit", "examples/staircase-refused.yaml", "--fail-on", "refused"]).status.code(), Some(3));
    assert_eq!(run(&["audit", "examples/conditional-improving.yaml", "--fail-on", "refused"]).status.code(), Some(0));
    assert_eq!(run(&["audit", "examples/conditional-improving.yaml", "--fail-on", "conditional"]).status.code(), Some(3));
    assert_eq!(run(&["audit", "examples/act-city-granted.yaml", "--fail-on", "conditional"]).status.code(), Some(0));
    assert_eq!(run(&["audit", "examples/young-project-incomplete.yaml", "--fail-on", "refused"]).status.code(), Some(3));
}

#[test]
fn invalid_input_is_exit_code_2_with_every_problem_on_stderr() {
    let dir = temp_dir("invalid");
    let bad = dir.join("bad.yaml");
    let text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap();
    let text = text.replacen("    level: 4\n", "    level: 7\n", 1).replacen("value: 92.3", "value: -92.3", 1);
    std::fs::write(&bad, text).unwrap();
    for cmd in ["audit", "check"] {
        let o = run(&[cmd, bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = stderr(&o);
        assert!(err.contains("(2 problems)"), "{err}");
        assert!(
            err.contains("at `responses.housing_availability.value`: value -92.3 is outside the indicator's range (from 0 to 100)"),
            "{err}"
        );
        assert!(err.contains("at `responses.housing_choice.level`: level 7 is outside the scale 1-4"), "{err}");
        assert!(stdout(&o).is_empty());
    }
    let o = run(&["audit", "no/such/file.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: cannot read `no/such/file.yaml`"), "{}", stderr(&o));
    let o = run(&["audit", "examples/act-city-granted.yaml", "--rubric", "no-such-rubric"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: no shipped rubric has the id `no-such-rubric`: run `hf-fidelity rubrics` to list them\n");
}

#[test]
fn check_accepts_rubrics_and_assessments() {
    let o = run(&["check", "rubrics/hf-pathways.yaml"]);
    assert_eq!(stdout(&o), "rubrics/hf-pathways.yaml: valid rubric `hf-pathways` 1.2.0 (5 domains, 38 items)\n");
    let o = run(&["check", "rubrics/hfb-label.yaml"]);
    assert_eq!(stdout(&o), "rubrics/hfb-label.yaml: valid rubric `hfb-label` 2.3.0 (6 domains, 43 items)\n");
    let o = run(&["check", "examples/icm-brussels-ready-for-review.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).ends_with("for rubric `hfb-label`\n"));
}

#[test]
fn verify_holds_for_a_fresh_record_and_catches_every_kind_of_change() {
    let dir = temp_dir("verify");
    let record = dir.join("record.json");
    let json = stdout(&run(&["audit", "examples/act-city-granted.yaml", "--format", "json"]));
    std::fs::write(&record, &json).unwrap();
    let o = run(&["verify", record.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("the record holds"));

    // An edited record.
    std::fs::write(&record, json.replacen("\"outcome\": \"granted\"", "\"outcome\": \"refused\"", 1)).unwrap();
    let o = run(&["verify", record.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).contains("`decision.outcome` differs: the record says \"refused\", re-running gives \"granted\""), "{}", stdout(&o));

    // A changed assessment.
    std::fs::write(&record, &json).unwrap();
    let changed = dir.join("changed.yaml");
    let text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap().replacen("value: 92.3", "value: 92.4", 1);
    std::fs::write(&changed, text).unwrap();
    let o = run(&["verify", record.to_str().unwrap(), "--assessment", changed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).contains("assessment changed"), "{}", stdout(&o));

    // A changed rubric: the same rubric with one threshold moved.
    let rubric = dir.join("rubric.yaml");
    let text = std::fs::read_to_string("rubrics/hfb-label.yaml").unwrap().replacen("threshold: 3.5", "threshold: 3.6", 1);
    std::fs::write(&rubric, text).unwrap();
    let o = run(&["verify", record.to_str().unwrap(), "--rubric", rubric.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    let report = stdout(&o);
    assert!(report.contains("rubric changed"), "{report}");
    assert!(report.contains("`decision.rules[1].threshold` differs: the record says \"3.5\", re-running gives \"3.6\""), "{report}");
}

#[test]
fn schema_and_rubrics_list() {
    let o = run(&["schema", "record"]);
    assert_eq!(stdout(&o), std::fs::read_to_string("schemas/record.schema.json").unwrap());
    let o = run(&["rubrics"]);
    let listing = stdout(&o);
    assert!(listing.starts_with("hf-pathways    1.2.0    Housing First fidelity scale (ACT, ICM and FACT)\n"), "{listing}");
    assert!(listing.contains("hfb-label      2.3.0    Housing First Belgium label\n"), "{listing}");
}

#[test]
fn help_documents_exit_codes() {
    let h = stdout(&run(&["--help"]));
    assert!(h.contains("2  invalid input"), "{h}");
    // Every code --help documents is in the README's table too, with the same first words.
    let readme = std::fs::read_to_string("README.md").unwrap();
    let codes: Vec<(&str, &str)> =
        h.lines().filter_map(|l| l.strip_prefix("  ")?.split_once("  ")).filter(|(c, _)| c.parse::<u8>().is_ok()).collect();
    assert_eq!(codes.iter().map(|(c, _)| *c).collect::<Vec<_>>(), ["0", "1", "2", "3", "4"], "{h}");
    for (code, meaning) in codes {
        let first_words: String = meaning.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let row = format!("| {code} | ");
        let line = readme.lines().find(|l| l.starts_with(&row)).unwrap_or_else(|| panic!("README has no row for exit code {code}"));
        assert!(line.contains(first_words.trim_end_matches(':')), "README row `{line}` does not say `{first_words}`");
    }
}

#[test]
fn without_a_terminal_audit_prints_the_json_record() {
    let o = run(&["audit", "examples/act-city-granted.yaml"]);
    assert_eq!(stdout(&o), std::fs::read_to_string("tests/golden/act-city-granted.record.json").unwrap());
}

#[test]
fn out_writes_atomically_and_never_overwrites_without_force() {
    let dir = temp_dir("out");
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&["audit", "examples/act-city-granted.yaml", "--format", "html", "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = dir.join("act-city-granted.html");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), std::fs::read_to_string("tests/golden/act-city-granted.html").unwrap());
    assert!(stdout(&o).is_empty());
    std::fs::write(&path, "the auditor's own edits").unwrap();
    let o = run(&["audit", "examples/act-city-granted.yaml", "--format", "html", "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists: not overwritten (use --force to replace it)"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the auditor's own edits");
    let o = run(&["audit", "examples/act-city-granted.yaml", "--format", "html", "--out", dir.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("<!doctype html>"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".hf-fidelity-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn batch_writes_every_good_record_and_reports_bad_files() {
    let input = temp_dir("batch-in");
    let out_dir = temp_dir("batch-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    for e in std::fs::read_dir("examples").unwrap() {
        let p = e.unwrap().path();
        // The single-project examples; `examples/review/` is one project's review.
        if p.is_file() {
            std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(input.join("broken.yaml"), "format: hf-fidelity/assessment/v1\nproject: [\n").unwrap();
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--report", "markdown", "--jobs", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("8 audited (2 conditional, 1 granted, 1 incomplete, 2 ready_for_review, 2 refused), 1 failed"), "{err}");
    assert!(err.contains("broken.yaml: invalid assessment"), "{err}");
    let records = std::fs::read_dir(out_dir.join("records")).unwrap().count();
    let reports = std::fs::read_dir(out_dir.join("reports")).unwrap().count();
    assert_eq!((records, reports), (8, 8));
    let csv = std::fs::read_to_string(out_dir.join("summary.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 10, "{csv}");
    assert!(lines[0].starts_with(
        "file,project,name,team_model,date,rubric,assessor,rating,outcome,expected_outcome,missing,mean_of_items,mean_of_domains,domain:housing,domain:separation,"
    ));
    assert!(lines[0].ends_with(",failed_gates,warnings,record,report,error"), "{}", lines[0]);
    assert!(lines.iter().any(|l| l.contains("staircase-refused.yaml")
        && l.contains(",lab,review,refused,refused,0,")
        && l.contains("no_housing_readiness no_tenancy_conditions")
        && l.contains(",records/staircase-refused.record.json,reports/staircase-refused.md,")));
    assert!(lines.iter().any(|l| l.contains("young-project-incomplete.yaml") && l.contains(",incomplete,incomplete,4,")), "{csv}");
    // The overview page links every project to its report.
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert_eq!(index.matches("<a href=\"reports/").count(), 8, "{index}");
    assert!(index.contains("<span class=\"badge worst\">refused</span>"), "{index}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 8);
    assert_eq!(json["failures"][0]["file"].as_str().unwrap(), input.join("broken.yaml").to_str().unwrap());
    // A second run into the same folder refuses to overwrite, unless forced.
    std::fs::remove_file(input.join("broken.yaml")).unwrap();
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists: not overwritten"), "{}", stderr(&o));
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--force", "--fail-on", "refused"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // For a spreadsheet in a Dutch or French locale: a byte-order mark, `;` and decimal commas;
    // the overview in the batch's language.
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--force", "--csv", "excel-eu", "--lang", "nl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out_dir.join("summary.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}file;project;name;"), "{csv}");
    assert!(csv.lines().any(|l| l.contains(";refused;refused;0;3,22;")), "{csv}");
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(index.contains("<html lang=\"nl\">") && index.contains(">geweigerd</span>"), "{index}");
}

#[test]
fn check_lists_the_problems_of_every_file() {
    let dir = temp_dir("check");
    let bad = dir.join("two.yaml");
    std::fs::write(&bad, "format: hf-fidelity/assessment/v1\nproject: {id: x, name: X}\nteam_model: act\ndate: 2026-01-01\nassessor: {kind: lab}\nresponses:\n  privacy: {level: 9}\n  nope: {level: 2}\n").unwrap();
    let o = run(&["check", "examples/act-city-granted.yaml", bad.to_str().unwrap(), "rubrics/hfb-label.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("examples/act-city-granted.yaml: valid assessment"), "{out}");
    assert!(out.contains("rubrics/hfb-label.yaml: valid rubric"), "{out}");
    let err = stderr(&o);
    assert!(err.contains("7:20: at `responses.privacy.level`: level 9 is outside the scale 1-4"), "{err}");
    assert!(err.contains("8:9: at `responses.nope`: rubric `hfb-label` has no item `nope`"), "{err}");
}

#[test]
fn explain_shows_the_arithmetic() {
    let o = run(&["explain", "examples/act-mismatch-self-assessment.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), std::fs::read_to_string("tests/golden/act-mismatch-self-assessment.explain.txt").unwrap());
    let o = run(&["explain", "examples/act-mismatch-self-assessment.yaml", "--item", "staff_ratio"]);
    let s = stdout(&o);
    assert!(s.contains("staff_ratio                                measured 18 participants_per_fte falls in the band `above 15 and at most 20` -> level 2"), "{s}");
    // One item also shows its domain's mean and the rule its domain fails, and nothing else.
    assert!(s.contains("  team             (3 + 2 + 2 + 2 + 3 + 3) / 6 = 15/6 = 2.50"), "{s}");
    assert!(s.contains("granted/domain_means: lowest domain mean 20/8 = 2.50 >= 3.0: does NOT hold"), "{s}");
    assert!(!s.contains("housing_choice") && !s.contains("granted/overall_mean") && !s.contains("  services  "), "{s}");
}

#[test]
fn diff_compares_two_rounds() {
    let dir = temp_dir("diff");
    let later = dir.join("later.yaml");
    let text = std::fs::read_to_string("examples/conditional-improving.yaml").unwrap();
    // The two practice gates it fails: harm reduction and more contact on request.
    let mut text = text;
    for item in ["harm_reduction", "contact_on_request"] {
        let from = format!("  {item}:\n    level: 2");
        let at = text.find(&from).unwrap_or_else(|| panic!("the example rates {item} 2"));
        text.replace_range(at..at + from.len(), &format!("  {item}:\n    level: 3"));
    }
    std::fs::write(&later, text).unwrap();
    let o = run(&["diff", "examples/conditional-improving.yaml", later.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("outcome: conditional -> conditional (unchanged)"), "{s}");
    assert!(s.contains("  harm_reduction                           2 -> 3"), "{s}");
    assert!(s.contains("  granted/practice_gates                   fail -> pass"), "{s}");
    let j = run(&["diff", "examples/conditional-improving.yaml", later.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert_eq!(v["items"][0]["id"], "harm_reduction");
}

#[test]
fn output_that_cannot_be_written_is_exit_code_1() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
        .args(["audit", "examples/act-city-granted.yaml", "--format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("internal error: cannot write output"), "{}", stderr(&o));
}

#[test]
fn records_are_read_under_the_limits_with_their_own_errors() {
    let dir = temp_dir("record-limits");
    let bad = dir.join("bad.record.json");
    std::fs::write(&bad, b"{\"format\": \"hf-fidelity/record/v1\", \"engine\": \"\xff\"}").unwrap();
    let o = run(&["verify", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid record `"), "{}", stderr(&o));
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));
    let big = dir.join("big.record.json");
    std::fs::write(&big, vec![b' '; 5 * 1024 * 1024]).unwrap();
    let o = run(&["verify", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("larger than the limit of 4194304 bytes"), "{}", stderr(&o));
}

#[test]
fn batch_parse_only_reads_everything_and_writes_nothing() {
    let out = temp_dir("parse-only").join("out");
    let o = run(&["batch", "examples", "--out", out.to_str().unwrap(), "--parse-only"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("8 file(s) read and parsed, 0 failed; nothing audited or written"), "{}", stderr(&o));
    assert!(!out.join("summary.csv").exists() && !out.join("records").exists());
    // The flag is for measurements: it stays out of the help.
    assert!(!stdout(&run(&["batch", "--help"])).contains("parse-only"));
}

#[test]
fn check_takes_folders_and_says_what_a_valid_assessment_leaves_unanswered() {
    let o = run(&["check", "examples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // One line per file of the folder, in name order.
    assert_eq!(
        out.lines().count(),
        std::fs::read_dir("examples").unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "yaml")).count()
    );
    let young = out.lines().find(|l| l.contains("young-project-incomplete")).unwrap();
    assert!(young.contains("required item(s) unanswered, so the outcome would be incomplete: "), "{young}");
    let granted = out.lines().find(|l| l.contains("act-city-granted")).unwrap();
    assert!(!granted.contains("unanswered"), "{granted}");
}

#[test]
fn explain_refuses_unknown_ids_and_edited_records() {
    let o = run(&["explain", "examples/act-city-granted.yaml", "--item", "staf_ratio"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`staf_ratio` is no item, domain or rule of `hfb-label`: did you mean `staff_ratio`?"), "{}", stderr(&o));
    // A record whose outcome was edited is not explained as if it held.
    let dir = temp_dir("explain");
    let record = stdout(&run(&["audit", "examples/staircase-refused.yaml", "--format", "json"]));
    let edited = record.replacen("\"outcome\": \"refused\"", "\"outcome\": \"granted\"", 1);
    assert_ne!(record, edited);
    let path = dir.join("edited.json");
    std::fs::write(&path, edited).unwrap();
    let o = run(&["explain", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("the record does not hold"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Output files are created as any file the user makes: with the permissions the umask
/// gives, not the private mode of a temporary file.
#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("umask");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("plain");
    std::fs::File::create(&plain).unwrap();
    let expected = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
    let o = run(&["audit", "examples/act-city-granted.yaml", "--format", "json", "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::metadata(dir.join("act-city-granted.record.json")).unwrap().permissions().mode() & 0o777;
    assert_eq!(written, expected, "mode {written:o}, a plain new file gets {expected:o}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--force` replaces the previous run: its records of projects no longer in the batch go,
/// and files the batch did not write stay.
#[test]
fn a_forced_batch_replaces_the_previous_run() {
    let input = temp_dir("force-in");
    let out_dir = temp_dir("force-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    for name in ["act-city-granted.yaml", "staircase-refused.yaml"] {
        std::fs::copy(format!("examples/{name}"), input.join(name)).unwrap();
    }
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(out_dir.join("records").join("notes.txt"), "the auditor's notes").unwrap();
    std::fs::remove_file(input.join("staircase-refused.yaml")).unwrap();
    let o = run(&["batch", input.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut records: Vec<String> =
        std::fs::read_dir(out_dir.join("records")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    records.sort();
    assert_eq!(records, ["act-city-granted.record.json", "notes.txt"]);
    let _ = std::fs::remove_dir_all(&out_dir);
    let _ = std::fs::remove_dir_all(&input);
}

#[test]
fn report_renders_an_archived_record_exactly_as_the_audit_did_in_every_language() {
    let mut compared = 0;
    for entry in std::fs::read_dir("tests/golden").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(example) = name.strip_suffix(".record.json") else { continue };
        for (suffix, format, lang) in [
            ("txt", "text", "en"),
            ("md", "markdown", "en"),
            ("html", "html", "en"),
            ("fr.txt", "text", "fr"),
            ("nl.txt", "text", "nl"),
            ("fr.html", "html", "fr"),
            ("nl.html", "html", "nl"),
        ] {
            let golden = format!("tests/golden/{example}.{suffix}");
            let Ok(want) = std::fs::read_to_string(&golden) else { continue };
            let o = run(&["report", path.to_str().unwrap(), "--format", format, "--lang", lang]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(String::from_utf8(o.stdout).unwrap() == want, "report of {name} differs from {golden}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "only {compared} reports compared");
}

#[test]
fn report_writes_a_file_named_by_language_and_refuses_what_is_no_holding_record() {
    let dir = std::env::temp_dir().join(format!("hf-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let record = "tests/golden/conditional-improving.record.json";
    let o = run(&["report", record, "--format", "html", "--lang", "nl", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read_to_string(dir.join("conditional-improving.nl.html")).unwrap();
    assert_eq!(written, std::fs::read_to_string("tests/golden/conditional-improving.nl.html").unwrap());
    let again = run(&["report", record, "--format", "html", "--lang", "nl", "--out", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "an existing report is not replaced without --force");
    // An assessment is no record, and a forged record is not reported on.
    let o = run(&["report", "examples/act-city-granted.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not an audit record"));
    let forged = dir.join("forged.record.json");
    let text = std::fs::read_to_string(record).unwrap().replacen("\"outcome\": \"conditional\"", "\"outcome\": \"granted\"", 1);
    std::fs::write(&forged, text).unwrap();
    let o = run(&["report", forged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the record does not hold"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_certificate_only_for_a_label_and_as_the_golden_one() {
    let o = run(&["audit", "examples/act-city-granted.yaml", "--format", "certificate", "--lang", "nl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = "tests/golden/act-city-granted.nl.certificate.html";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &o.stdout).unwrap();
    }
    assert_eq!(stdout(&o), std::fs::read_to_string(path).unwrap());
    // The same from the archived record.
    let again = run(&["report", "tests/golden/act-city-granted.record.json", "--format", "certificate", "--lang", "nl"]);
    assert_eq!(stdout(&again), stdout(&o));
    // No label, no certificate: refused, a self-assessment's "ready for review", incomplete;
    // and a research scale has no label at all.
    for example in ["staircase-refused", "icm-brussels-ready-for-review", "young-project-incomplete"] {
        let o = run(&["audit", &format!("examples/{example}.yaml"), "--format", "certificate"]);
        assert_eq!(o.status.code(), Some(2), "{example}");
        assert!(stderr(&o).contains("is no label"), "{example}: {}", stderr(&o));
    }
    // A batch writes certificates for the projects that got a label, and no others.
    let out = temp_dir("certificates");
    let o = run(&["batch", "examples", "--out", out.to_str().unwrap(), "--report", "certificate", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut written: Vec<String> =
        std::fs::read_dir(out.join("reports")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(
        written,
        ["act-city-granted.certificate.html", "conditional-improving.certificate.html", "fact-flanders-conditional.certificate.html"]
    );
}
