//! Any bytes as a rubric: loading (parse, validate, compile) must return, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loader = hf_fidelity::Loader::default();
    // No `dir`: an `extends` naming a file resolves against the working directory, and a
    // missing file is an error like any other.
    if let Ok(rubric) = loader.rubric_from_bytes(data, "fuzz.yaml", None) {
        // A rubric that loads also serialises.
        let _ = rubric.sha256();
    }
});
