//! Writing output files atomically: a temporary file in the target folder, then a rename.
//! An existing file is never replaced unless the caller says so.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file exists and overwriting was not asked for.
    #[error("`{}` exists: not overwritten (use --force to replace it)", .0.display())]
    Exists(PathBuf),
    /// The file system refused.
    #[error("cannot write `{}`: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
}

/// Writes `contents` to `path` atomically; refuses to replace an existing file unless `force`.
pub fn write_atomic(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
    if !force && path.exists() {
        return Err(WriteError::Exists(path.to_owned()));
    }
    let mut tmp = tempfile::Builder::new().prefix(".hf-fidelity-").tempfile_in(dir).map_err(|e| WriteError::Io(path.to_owned(), e))?;
    tmp.write_all(contents).and_then(|()| tmp.as_file().sync_all()).map_err(|e| WriteError::Io(path.to_owned(), e))?;
    let result = if force { tmp.persist(path).map(|_| ()) } else { tmp.persist_noclobber(path).map(|_| ()) };
    result.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_owned())
        } else {
            WriteError::Io(path.to_owned(), e.error)
        }
    })
}
