//! JSON documents: any bytes read as an assessment (the seeds are the examples written as
//! JSON). One that reads must write back, as JSON and as YAML, to text that reads to the
//! same assessment: whatever the crate writes, it reads back.
#![no_main]
#![expect(clippy::expect_used, reason = "a failed round trip is what this target looks for")]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loader = hf_fidelity::Loader::default();
    let Ok(assessment) = loader.assessment_from_bytes(data, "fuzz.json") else {
        return;
    };
    let json = serde_json::to_string(&assessment).expect("an assessment writes as JSON");
    let again = loader.assessment_from_str(&json, "again.json").expect("the crate reads back the JSON it writes");
    assert_eq!(again, assessment, "JSON round trip");
    let yaml = serde_yaml::to_string(&assessment).expect("an assessment writes as YAML");
    let again = loader.assessment_from_str(&yaml, "again.yaml").expect("the crate reads back the YAML it writes");
    assert_eq!(again, assessment, "YAML round trip");
});
