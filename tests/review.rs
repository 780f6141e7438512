//! The review of `examples/review/` end to end: the self-assessment, two reviewers'
//! ratings, the consensus drafted by `reconcile` and filled in at the meeting, the label on
//! the consensus, and the comparison with the self-assessment; and the bad inputs a review
//! must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "tests")]

use hf_fidelity::review::{Rating, agreement, check_consensus, compare, reconcile};
use hf_fidelity::{CompiledRubric, Lang, Loader, shipped_rubric};
use std::path::Path;
use std::process::Command;

fn rating(path: &str) -> Rating {
    let a = Loader::default().assessment_from_path(Path::new(path)).unwrap();
    Rating { assessment: a, origin: path.to_owned() }
}

fn label() -> CompiledRubric {
    shipped_rubric("hfb-label").unwrap()
}

const LAB: &str = "examples/review/reviewer-lab.yaml";
const PEER: &str = "examples/review/reviewer-peer.yaml";
const OWN: &str = "examples/review/self-assessment.yaml";
const CONSENSUS: &str = "examples/review/consensus.yaml";

#[path = "common/golden.rs"]
mod golden_file;

/// Compares with `tests/golden/review/<name>`, or writes it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, got: &str) {
    golden_file::golden("review", name, got);
}

#[test]
fn the_draft_fills_in_what_the_reviewers_agree_on_and_leaves_the_rest_open() {
    let reviews = [rating(LAB), rating(PEER)];
    for lang in [Lang::En, Lang::Nl, Lang::Fr] {
        let draft = reconcile(&label(), &reviews, Some(&rating(OWN)), lang).unwrap();
        golden(&format!("draft.{}.yaml", lang.code()), &draft);
        // The draft reads as a consensus naming both ratings; its open items have no level,
        // so it decides nothing yet.
        let a = Loader::default().assessment_from_str(&draft, "draft.yaml").unwrap();
        assert_eq!(a.reconciles.len(), 2);
        for open in ["housing_choice", "absence_of_coercion", "employment_education", "participant_representation"] {
            let r = &a.responses[open];
            assert_eq!((r.level, r.value), (None, None), "{open} is open");
        }
        assert_eq!(a.responses["privacy"].level, Some(4));
        let d = label().decide(&a).unwrap();
        assert!(d.outcome.is_incomplete(), "{}", d.outcome);
        // Until every departure from a reviewer is explained, the chain does not hold.
        let draft = Rating { assessment: a, origin: "draft.yaml".into() };
        let e = check_consensus(&label(), &draft, &reviews).unwrap_err();
        assert!(e.problems().iter().all(|p| p.path.ends_with(".note")), "{e}");
    }
}

#[test]
fn the_label_is_decided_on_the_consensus_and_compared_with_the_self_assessment() {
    let reviews = [rating(LAB), rating(PEER)];
    let consensus = rating(CONSENSUS);
    check_consensus(&label(), &consensus, &reviews).unwrap();
    let d = label().decide(&consensus.assessment).unwrap();
    assert_eq!(d.outcome.code(), "granted");
    // The self-assessment alone never earns the label; it rated itself higher.
    let c = compare(&label(), &rating(OWN), &consensus).unwrap();
    assert_eq!((c.a.outcome.code(), c.b.outcome.code()), ("ready_for_review", "granted"));
    assert_eq!(c.differ_by_one, ["motivational_interviewing", "absence_of_coercion", "employment_education", "social_integration"]);
    assert_eq!(c.differ_by_two_or_more, ["participant_representation"]);
    // (1 + 1 + 1 + 1 + 2) / 41, rounded.
    assert_eq!(c.mean_difference.map(|d| d.to_string()).as_deref(), Some("0.15"));
    for lang in [Lang::En, Lang::Nl, Lang::Fr] {
        golden(&format!("compare.{}.txt", lang.code()), &c.to_text(&label(), lang));
        golden(&format!("compare.{}.md", lang.code()), &c.to_markdown(&label(), lang));
        golden(&format!("compare.{}.html", lang.code()), &c.to_html(&label(), lang));
    }
    // No English in the Dutch and French text, apart from item ids and file names.
    for lang in [Lang::Nl, Lang::Fr] {
        let text = [c.to_text(&label(), lang), c.to_markdown(&label(), lang), c.to_html(&label(), lang)]
            .concat()
            .replace(OWN, "")
            .replace(CONSENSUS, "");
        for english in ["outcome", "self-assessment", "granted", "differ", "mean", "rated in both"] {
            assert!(!text.contains(english), "{english} in {lang:?}:\n{text}");
        }
    }
}

#[test]
fn agreement_between_the_two_reviewers() {
    let report = agreement(&label(), &[rating(LAB), rating(PEER), rating(OWN), rating(CONSENSUS)]).unwrap();
    // Only the reviewers' own ratings count.
    let p = &report.projects[0];
    assert_eq!(p.raters, ["lab (An Peeters)", "peer (Jo Claes)"]);
    assert_eq!((p.agreement.targets, p.agreement.exact, p.agreement.within_one), (41, 37, 41));
    let icc = p.icc.as_ref().unwrap();
    assert_eq!((icc.targets, icc.raters), (41, 2));
    let keys: Vec<&str> = icc.icc.keys().copied().collect();
    assert_eq!(keys, ["1,1", "1,k", "2,1", "2,k", "3,1", "3,k"]);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["projects"][0]["icc"]["icc"]["2,1"].is_string());
    assert_eq!(p.kappa.len(), 1);
    // The self-assessment against the consensus: five items apart, all rated higher.
    let sc = &report.self_vs_consensus;
    assert_eq!(sc.projects[0].differ, 5);
    assert_eq!(sc.projects[0].mean_difference.map(|d| d.to_string()).as_deref(), Some("0.15"));
    let participation = sc.items.iter().find(|i| i.item == "participant_representation").unwrap();
    assert_eq!((participation.compared, participation.differ, participation.self_higher), (1, 1, 1));
    // A second project whose self-assessment is further from its consensus comes first.
    let renamed = |r: Rating, id: &str| {
        let mut r = r;
        r.assessment.project.id = id.to_owned();
        r.origin = format!("{id}/{}", r.origin);
        r
    };
    let mut far = renamed(rating(OWN), "far");
    for id in ["housing_choice", "privacy", "harm_reduction"] {
        far.assessment.responses.get_mut(id).unwrap().level = Some(1);
    }
    let report = agreement(&label(), &[rating(OWN), rating(CONSENSUS), far, renamed(rating(CONSENSUS), "far")]).unwrap();
    let order: Vec<&str> = report.self_vs_consensus.projects.iter().map(|p| p.project.as_str()).collect();
    assert_eq!(order, ["far", "ghent-act-dampoort"]);
    // (3 * 3 - 1 - 1 - 1 - 1 - 2) / 41 = 3/41, rounded: the project rated itself lower overall.
    assert_eq!(report.self_vs_consensus.projects[0].mean_difference.map(|d| d.to_string()).as_deref(), Some("-0.07"));
}

#[test]
fn a_review_refuses_ratings_that_do_not_belong_together() {
    let msg = |e: hf_fidelity::Error| e.to_string();
    // A rating of another project.
    let other = rating("examples/conditional-improving.yaml");
    let e = msg(reconcile(&label(), &[rating(LAB), other], None, Lang::En).unwrap_err());
    assert!(
        e.contains(
            "this rating is of project `ghent-icm-thuis-eerst`, but `examples/review/reviewer-lab.yaml` rates project `ghent-act-dampoort`"
        ),
        "{e}"
    );
    // Two ratings by the same rater.
    let mut twice = rating(PEER);
    twice.assessment.assessor = rating(LAB).assessment.assessor;
    twice.origin = "second.yaml".into();
    let e = msg(reconcile(&label(), &[rating(LAB), twice], None, Lang::En).unwrap_err());
    assert!(e.contains("is a rating by the same rater (lab (An Peeters))"), "{e}");
    // Another rubric version.
    let mut old = rating(PEER);
    old.assessment.rubric.as_mut().unwrap().version = Some("1.0.0".into());
    let e = msg(reconcile(&label(), &[rating(LAB), old], None, Lang::En).unwrap_err());
    assert!(e.contains("this rating is for rubric hfb-label 1.0.0, but `examples/review/reviewer-lab.yaml` is for hfb-label 2.0.0"), "{e}");
    // A consensus that names a rating that is not given.
    let e = check_consensus(&label(), &rating(CONSENSUS), &[rating(LAB)]).unwrap_err();
    assert_eq!(e.problems()[0].path, "reconciles[1]");
    assert!(e.to_string().contains("names a rating by peer"), "{e}");
    // A rating given that the consensus does not name.
    let e = check_consensus(&label(), &rating(CONSENSUS), &[rating(LAB), rating(PEER), rating(OWN)]).unwrap_err();
    assert!(e.to_string().contains("is given but the consensus does not name it"), "{e}");
    // A departure from a reviewer without a note.
    let mut silent = rating(CONSENSUS);
    silent.assessment.responses.get_mut("participant_representation").unwrap().note = None;
    let e = check_consensus(&label(), &silent, &[rating(LAB), rating(PEER)]).unwrap_err();
    assert_eq!(e.problems()[0].path, "responses.participant_representation.note");
    assert!(e.to_string().contains("the consensus level (2) differs from lab (An Peeters)'s (3)"), "{e}");
    // A reviewer's rating edited after the consensus was made: its hash no longer matches.
    let mut edited = rating(PEER);
    edited.assessment.comment = Some("edited".into());
    let e = check_consensus(&label(), &rating(CONSENSUS), &[rating(LAB), edited]).unwrap_err();
    assert!(e.to_string().contains("not given"), "{e}");
    // A consensus must name its ratings; a review must not.
    let mut bare = rating(CONSENSUS);
    bare.assessment.reconciles.clear();
    let problems = label().check_assessment(&bare.assessment);
    assert_eq!(problems[0].path, "reconciles");
}

#[test]
fn the_command_line_runs_the_review() {
    let bin = env!("CARGO_BIN_EXE_hf-fidelity");
    let dir = std::env::temp_dir().join(format!("hf-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draft = dir.join("draft.yaml");
    let run = |args: &[&str]| Command::new(bin).args(args).output().unwrap();
    let o = run(&["reconcile", LAB, PEER, "--self", OWN, "--out", draft.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Never overwritten.
    let o = run(&["reconcile", LAB, PEER, "--out", draft.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // The label on the consensus, with the chain checked.
    let o = run(&["audit", CONSENSUS, "--ratings", LAB, PEER, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let record = dir.join("consensus.json");
    std::fs::write(&record, &o.stdout).unwrap();
    let o = run(&["verify", record.to_str().unwrap(), "--ratings", LAB, PEER]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["verify", record.to_str().unwrap(), "--ratings", LAB]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    // A draft is not a consensus yet.
    let o = run(&["audit", draft.to_str().unwrap(), "--ratings", LAB, PEER]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["compare", OWN, CONSENSUS, "--format", "json"]);
    let c: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["mean_difference"], "0.15");
    let o = run(&["agreement", "examples/review", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(a["overall"]["exact"], 37);
    let o = run(&["reconcile", LAB, "examples/conditional-improving.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_policy_can_require_the_label_on_a_consensus() {
    // hfb-label with its `granted` outcome open only to a consensus of the reviewers.
    let text = include_str!("../rubrics/hfb-label.yaml").replacen(
        "          kind: assessed_by\n          assessors: [lab, peer]\n",
        "          kind: assessed_by\n          assessors: [lab, peer]\n          ratings: [consensus]\n",
        1,
    );
    let strict = hf_fidelity::rubric_from_str(&text, "strict.yaml").unwrap();
    let d = strict.decide(&rating(CONSENSUS).assessment).unwrap();
    assert_eq!(d.outcome.code(), "granted");
    // One reviewer's own rating of the same project is not enough for `granted`.
    let d = strict.decide(&rating(LAB).assessment).unwrap();
    assert_eq!(d.outcome.code(), "conditional");
    let rule = d.rules.iter().find(|r| r.outcome_code() == "granted" && r.id == "external_review").unwrap();
    assert_eq!(rule.failing, ["review"]);
    assert!(!d.plan.reachable, "raising levels cannot turn a reviewer's rating into a consensus");
    // The shipped policy takes a LAB or peer review as it is.
    assert_eq!(label().decide(&rating(LAB).assessment).unwrap().outcome.code(), "granted");
    // `ratings` belongs to `assessed_by` rules only.
    let bad = include_str!("../rubrics/hfb-label.yaml").replacen(
        "          kind: min_overall\n",
        "          kind: min_overall\n          ratings: [consensus]\n",
        1,
    );
    let e = hf_fidelity::rubric_from_str(&bad, "bad.yaml").unwrap_err();
    assert!(e.to_string().contains("a `min_overall` rule takes no `ratings`"), "{e}");
}

#[test]
fn one_report_for_the_project_shows_where_its_view_differs() {
    let bin = env!("CARGO_BIN_EXE_hf-fidelity");
    for (format, lang, ext) in [("markdown", "nl", "md"), ("html", "fr", "html"), ("text", "en", "txt")] {
        let o = Command::new(bin)
            .args(["audit", CONSENSUS, "--ratings", LAB, PEER, "--self", OWN, "--format", format, "--lang", lang])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let report = String::from_utf8(o.stdout).unwrap();
        golden(&format!("consensus-report.{lang}.{ext}"), &report);
        assert!(report.contains("participant_representation"), "{format}");
    }
    // The example's report, as the LAB hands it to the project (kept current like a golden file).
    let o = Command::new(bin)
        .args(["audit", CONSENSUS, "--ratings", LAB, PEER, "--self", OWN, "--format", "markdown", "--lang", "en"])
        .output()
        .unwrap();
    let report = String::from_utf8(o.stdout).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write("examples/review/report.md", &report).unwrap();
    }
    assert!(std::fs::read_to_string("examples/review/report.md").unwrap() == report, "examples/review/report.md is stale: UPDATE_GOLDEN=1");
    // Without `--self`, the report is the plain audit report.
    let o = Command::new(bin).args(["audit", CONSENSUS, "--format", "markdown", "--lang", "nl"]).output().unwrap();
    assert!(!String::from_utf8(o.stdout).unwrap().contains("Uw zelfevaluatie"));
}
