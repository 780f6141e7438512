//! Running the `hf-fidelity` binary in tests: its output and exit code.

use std::process::{Command, Output};

/// Runs `hf-fidelity` with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hf-fidelity")).args(args).output().unwrap()
}

/// What it printed on stdout.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// What it printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
