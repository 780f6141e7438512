//! Any bytes as an audit record, read and then verified against the rubric it names (a
//! shipped one, or `hfb-label`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The shipped rubrics, compiled once for the whole run.
fn shipped() -> &'static [hf_fidelity::CompiledRubric] {
    static R: OnceLock<Vec<hf_fidelity::CompiledRubric>> = OnceLock::new();
    R.get_or_init(|| hf_fidelity::SHIPPED.iter().filter_map(|s| hf_fidelity::shipped_rubric(s.id).ok()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(record) = hf_fidelity::AuditRecord::from_str(text, "fuzz-record.json") else {
        return;
    };
    let rubric =
        shipped().iter().find(|r| r.rubric().id == record.rubric.id).or_else(|| shipped().iter().find(|r| r.rubric().id == "hfb-label"));
    if let Some(rubric) = rubric {
        let _ = hf_fidelity::verify(&record, rubric, None);
    }
});
