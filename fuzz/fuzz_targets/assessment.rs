//! Any bytes as an assessment: parsing must return, never panic; one that parses is then
//! checked against both shipped rubrics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rubrics() -> &'static [hf_fidelity::CompiledRubric] {
    static R: OnceLock<Vec<hf_fidelity::CompiledRubric>> = OnceLock::new();
    R.get_or_init(|| hf_fidelity::SHIPPED.iter().filter_map(|s| hf_fidelity::shipped_rubric(s.id).ok()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(assessment) = hf_fidelity::Loader::default().assessment_from_bytes(data, "fuzz.yaml") else {
        return;
    };
    for rubric in rubrics() {
        let _ = rubric.check_assessment(&assessment);
    }
});
