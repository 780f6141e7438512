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

/// When written data reaches the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    /// Each file is flushed to disk before it is renamed into place.
    EachFile,
    /// The caller flushes the whole file system once, after its last file
    /// ([`sync_filesystem`]): a batch of thousands of files pays one flush, not one each.
    Later,
}

/// Writes `contents` to `path` atomically; refuses to replace an existing file unless `force`.
pub fn write_atomic(path: &Path, contents: &[u8], force: bool) -> Result<(), WriteError> {
    write_atomic_with(path, contents, force, Sync::EachFile)
}

/// [`write_atomic`], flushing to disk as `sync` says. Either way the file appears under
/// its name only once it is whole.
pub fn write_atomic_with(path: &Path, contents: &[u8], force: bool, sync: Sync) -> Result<(), WriteError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
    if !force && path.exists() {
        return Err(WriteError::Exists(path.to_owned()));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hf-fidelity-");
    // A temporary file is private (0600); the output is a file like any other: readable as
    // the process's umask allows, as colleagues and web servers expect.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| WriteError::Io(path.to_owned(), e))?;
    tmp.write_all(contents)
        .and_then(|()| if sync == Sync::EachFile { tmp.as_file().sync_all() } else { Ok(()) })
        .map_err(|e| WriteError::Io(path.to_owned(), e))?;
    let result = if force { tmp.persist(path).map(|_| ()) } else { tmp.persist_noclobber(path).map(|_| ()) };
    result.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_owned())
        } else {
            WriteError::Io(path.to_owned(), e.error)
        }
    })
}

/// Flushes everything written to the file system that holds `dir` to disk (`syncfs`), for
/// files written with [`Sync::Later`].
#[cfg(target_os = "linux")]
pub fn sync_filesystem(dir: &Path) -> Result<(), WriteError> {
    let folder = std::fs::File::open(dir).map_err(|e| WriteError::Io(dir.to_owned(), e))?;
    rustix::fs::syncfs(&folder).map_err(|e| WriteError::Io(dir.to_owned(), e.into()))
}

/// How a batch flushes its records: once at the end where the system can flush a whole file
/// system (Linux), else file by file.
#[cfg(target_os = "linux")]
pub const BATCH_SYNC: Sync = Sync::Later;

/// How a batch flushes its records: once at the end where the system can flush a whole file
/// system (Linux), else file by file.
#[cfg(not(target_os = "linux"))]
pub const BATCH_SYNC: Sync = Sync::EachFile;

/// Nothing to do where each file was flushed as it was written.
#[cfg(not(target_os = "linux"))]
pub fn sync_filesystem(_dir: &Path) -> Result<(), WriteError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_file_written_for_a_later_flush_is_whole_and_flushes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records").join("a.record.json");
        write_atomic_with(&path, b"{}", false, Sync::Later).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        // Never replaced without force, whatever the flushing.
        assert!(matches!(write_atomic_with(&path, b"[]", false, Sync::Later), Err(WriteError::Exists(_))));
        write_atomic_with(&path, b"[]", true, Sync::EachFile).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"[]");
        sync_filesystem(dir.path()).unwrap();
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.record.json")]);
        assert!(matches!(sync_filesystem(&dir.path().join("missing")), Err(WriteError::Io(..))) || !cfg!(target_os = "linux"));
    }
}
