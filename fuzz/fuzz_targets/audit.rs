//! A rubric and an assessment, both from the input, loaded and audited.
//!
//! The input is `rubric NUL assessment`; without a NUL byte it is an assessment for the
//! shipped `hfb-label` rubric. An audit that succeeds must verify.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The shipped `hfb-label`, compiled once for the whole run.
fn label() -> Option<&'static hf_fidelity::CompiledRubric> {
    static R: OnceLock<Option<hf_fidelity::CompiledRubric>> = OnceLock::new();
    R.get_or_init(|| hf_fidelity::shipped_rubric("hfb-label").ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let loader = hf_fidelity::Loader::default();
    let (rubric, assessment) = match data.iter().position(|b| *b == 0) {
        Some(at) => {
            let (r, rest) = data.split_at(at);
            let Ok(rubric) = loader.rubric_from_bytes(r, "fuzz-rubric.yaml", None) else {
                return;
            };
            (rubric, rest.get(1..).unwrap_or_default())
        }
        None => match label() {
            Some(r) => (r.clone(), data),
            None => return,
        },
    };
    let Ok(assessment) = loader.assessment_from_bytes(assessment, "fuzz-assessment.yaml") else {
        return;
    };
    if let Ok(record) = rubric.audit(&assessment) {
        let verification = hf_fidelity::verify(&record, &rubric, Some(&assessment));
        assert!(matches!(verification, Ok(ref v) if v.holds), "a fresh record does not verify: {verification:?}");
        for text in [record.to_json(), record.to_yaml()].into_iter().flatten() {
            let back = hf_fidelity::AuditRecord::from_str(&text, "fuzz-record");
            assert!(matches!(back, Ok(ref r) if *r == record), "a record does not read back: {back:?}");
        }
    }
});
