//! Golden files: compare an output with its checked-in copy, or write the copy under
//! `UPDATE_GOLDEN=1` (then run the tests again).

/// Compares `got` with `tests/golden/<folder>/<name>`, or writes it under `UPDATE_GOLDEN=1`.
pub fn golden(folder: &str, name: &str, got: &str) {
    let dir = format!("tests/golden/{folder}");
    let path = format!("{dir}/{name}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (run with UPDATE_GOLDEN=1)"));
    assert!(want == got, "{path} differs:\n{got}");
}
