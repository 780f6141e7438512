//! The `hf-fidelity` binary: outputs and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hf-fidelity")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("hf-fidelity-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn audit_prints_the_golden_text_report() {
    let o = run(&["audit", "examples/conditional-improving.yaml"]);
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
    let nl = stdout(&run(&["audit", "examples/staircase-refused.yaml", "--lang", "nl"]));
    assert!(nl.contains("Het Housing First-label wordt geweigerd."), "{nl}");
    let fr = stdout(&run(&["audit", "examples/staircase-refused.yaml", "--lang", "fr"]));
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
    let text = text.replacen("    level: 4\n", "    level: 7\n", 1).replacen("value: 34", "value: -34", 1);
    std::fs::write(&bad, text).unwrap();
    for cmd in ["audit", "check"] {
        let o = run(&[cmd, bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = stderr(&o);
        assert!(err.contains("(2 problems)"), "{err}");
        assert!(
            err.contains("at `responses.housing_availability.value`: value -34 is outside the indicator's range (at least 0)"),
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
    assert_eq!(stdout(&o), "rubrics/hf-pathways.yaml: valid rubric `hf-pathways` 1.0.0 (5 domains, 38 items)\n");
    let o = run(&["check", "rubrics/hfb-label.yaml"]);
    assert_eq!(stdout(&o), "rubrics/hfb-label.yaml: valid rubric `hfb-label` 1.0.0 (6 domains, 44 items)\n");
    let o = run(&["check", "examples/icm-brussels-granted.yaml"]);
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
    let text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap().replacen("value: 34", "value: 35", 1);
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
    assert!(report.contains("`decision.rules[0].threshold` differs: the record says \"3.5\", re-running gives \"3.6\""), "{report}");
}

#[test]
fn schema_and_rubrics_list() {
    let o = run(&["schema", "record"]);
    assert_eq!(stdout(&o), std::fs::read_to_string("schemas/record.schema.json").unwrap());
    let o = run(&["rubrics"]);
    let listing = stdout(&o);
    assert!(listing.starts_with("hf-pathways    1.0.0    Housing First fidelity scale (ACT and ICM)\n"), "{listing}");
    assert!(listing.contains("hfb-label      1.0.0    Housing First Belgium label\n"), "{listing}");
}

#[test]
fn help_documents_exit_codes() {
    let h = stdout(&run(&["--help"]));
    assert!(h.contains("2  invalid input"), "{h}");
    assert!(Path::new("README.md").exists());
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("`2` invalid input"));
}
