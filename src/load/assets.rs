//! Files copied as they are: where each one's bytes are (built into the binary, or a file of the
//! site, known by the identity it had when loaded), and getting them out again — streamed into
//! an output file ([`FileBytes::copy_to`]), or read whole where a page must be scanned or `serve`
//! keeps its outputs in memory ([`FileBytes::read`]). A file of the site is never read when it is
//! loaded (only the few whose output name carries their hash are hashed, by streaming), so a
//! build never holds a large asset in memory.
//!
//! A file is read from disk only if it is still the file that was loaded (same device, inode,
//! size and modification time): one replaced meanwhile — by an edit, or by a link out of the
//! site — is an error, never copied.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::FileBytes;
use crate::diagnostics::{Code, Diagnostic};

/// Where the bytes of a [`FileBytes`] are.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    /// Part of the built-in theme, compiled into the binary.
    Embedded(Cow<'static, [u8]>),
    /// A file of the site, read only when it is written out.
    Disk {
        /// The path to open (a link inside the site is opened through).
        path: PathBuf,
        /// What the file was when it was loaded.
        stamp: Stamp,
    },
}

/// What identifies a file's contents without reading them: its device and inode (where the
/// platform has them), size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) len: u64,
    pub(crate) modified: Option<SystemTime>,
    pub(crate) device: u64,
    pub(crate) inode: u64,
}

impl Stamp {
    pub(crate) fn of(m: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            device,
            inode,
        }
    }
}

/// Whether a copied file's output name carries its content hash (`style.css` →
/// `style.1a2b3c4d5e.css`): stylesheets and scripts of `static/`, so hosts can cache them forever.
pub(crate) fn is_fingerprinted(from_static: bool, rel: &str) -> bool {
    from_static && (rel.ends_with(".css") || rel.ends_with(".js"))
}

/// Why a copy failed: the file to copy could not be read (a problem of the site), or the
/// output could not be written (a problem of the machine).
#[derive(Debug)]
pub(crate) enum CopyError {
    Source(Diagnostic),
    Output(std::io::Error),
}

/// How much of a file is read at a time when it is hashed.
const CHUNK: usize = 256 * 1024;

/// A file of the site found at `abs` (`rel` within its folder, `origin` for messages), hashed
/// if its name is to carry its hash.
pub(crate) fn from_disk(
    abs: &Path,
    rel: String,
    origin: PathBuf,
    from_static: bool,
) -> Result<FileBytes, Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::new(Code::Io, format!("cannot read: {e}"));
    // Opened (not read) now, so a file that cannot be read is found by `check` too.
    let meta = File::open(abs)
        .and_then(|f| f.metadata())
        .map_err(|e| cannot(e).in_file(&origin))?;
    let mut file = FileBytes {
        content: Content::Disk {
            path: abs.to_path_buf(),
            stamp: Stamp::of(&meta),
        },
        digest: None,
        rel,
        origin,
    };
    if is_fingerprinted(from_static, &file.rel) {
        let mut src = file.open()?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(cannot(e).in_file(&file.origin)),
            }
        }
        file.check_unchanged(&src)?;
        file.digest = Some(hasher.finalize().into());
    }
    Ok(file)
}

/// A built-in file.
pub(crate) fn embedded(rel: String, origin: PathBuf, bytes: Cow<'static, [u8]>) -> FileBytes {
    let digest = is_fingerprinted(true, &rel).then(|| Sha256::digest(&bytes).into());
    FileBytes {
        rel,
        origin,
        content: Content::Embedded(bytes),
        digest,
    }
}

impl FileBytes {
    /// Size in bytes.
    pub(crate) fn len(&self) -> u64 {
        match &self.content {
            Content::Embedded(b) => b.len() as u64,
            Content::Disk { stamp, .. } => stamp.len,
        }
    }

    /// Open the file of the site, if it is still the one that was loaded.
    fn open(&self) -> Result<File, Diagnostic> {
        let Content::Disk { path, stamp } = &self.content else {
            return Err(
                Diagnostic::new(Code::Internal, "a built-in file has no file to open")
                    .in_file(&self.origin),
            );
        };
        let file = File::open(path).map_err(|e| {
            Diagnostic::new(Code::Io, format!("cannot read: {e}")).in_file(&self.origin)
        })?;
        let now = file.metadata().map(|m| Stamp::of(&m)).map_err(|e| {
            Diagnostic::new(Code::Io, format!("cannot read: {e}")).in_file(&self.origin)
        })?;
        if now != *stamp {
            return Err(self.changed());
        }
        Ok(file)
    }

    /// After reading `file` to its end: it must not have changed meanwhile.
    fn check_unchanged(&self, file: &File) -> Result<(), Diagnostic> {
        let Content::Disk { stamp, .. } = &self.content else {
            return Ok(());
        };
        match file.metadata() {
            Ok(m) if Stamp::of(&m) == *stamp => Ok(()),
            _ => Err(self.changed()),
        }
    }

    fn changed(&self) -> Diagnostic {
        Diagnostic::new(Code::Io, "file changed while the site was being built")
            .in_file(&self.origin)
            .hint("build again once it is written")
    }

    /// The whole contents, read now: for an HTML file whose links are checked, and for `serve`,
    /// which keeps its outputs in memory.
    pub(crate) fn read(&self) -> Result<Cow<'static, [u8]>, Diagnostic> {
        let Content::Embedded(bytes) = &self.content else {
            let mut file = self.open()?;
            let mut bytes = Vec::with_capacity(usize::try_from(self.len()).unwrap_or(0));
            file.read_to_end(&mut bytes).map_err(|e| {
                Diagnostic::new(Code::Io, format!("cannot read: {e}")).in_file(&self.origin)
            })?;
            self.check_unchanged(&file)?;
            return Ok(Cow::Owned(bytes));
        };
        Ok(bytes.clone())
    }

    /// Write the contents into `out`, streaming them (on Linux the kernel copies from file to
    /// file, and a copy-on-write file system shares the blocks): memory use does not depend on
    /// the file's size.
    pub(crate) fn copy_to(&self, out: &mut File) -> Result<(), CopyError> {
        match &self.content {
            Content::Embedded(bytes) => out.write_all(bytes).map_err(CopyError::Output),
            Content::Disk { .. } => {
                let mut src = self.open().map_err(CopyError::Source)?;
                let copied = std::io::copy(&mut src, out).map_err(CopyError::Output)?;
                self.check_unchanged(&src).map_err(CopyError::Source)?;
                if copied != self.len() {
                    return Err(CopyError::Source(self.changed()));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, text: &str, from_static: bool) -> FileBytes {
        let abs = dir.join(name);
        std::fs::write(&abs, text).unwrap();
        from_disk(&abs, name.into(), PathBuf::from(name), from_static).unwrap()
    }

    #[test]
    fn loading_reads_nothing_but_what_is_fingerprinted() {
        let dir = tempfile::tempdir().unwrap();
        let a = file(dir.path(), "a.bin", "0123456789", true);
        assert_eq!((a.len(), a.digest), (10, None));
        let css = file(dir.path(), "s.css", "body{}", true);
        assert_eq!(css.digest, Some(Sha256::digest(b"body{}").into()));
        let content_css = file(dir.path(), "c.css", "body{}", false);
        assert_eq!(content_css.digest, None);
        assert_eq!(&*a.read().unwrap(), b"0123456789");
        let out_path = dir.path().join("out");
        let mut out = File::create(&out_path).unwrap();
        a.copy_to(&mut out).unwrap();
        assert_eq!(std::fs::read(&out_path).unwrap(), b"0123456789");
    }

    #[test]
    fn a_file_that_changed_since_it_was_loaded_is_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let a = file(dir.path(), "a.bin", "before", false);
        std::fs::write(dir.path().join("a.bin"), "after, and longer").unwrap();
        let mut out = File::create(dir.path().join("out")).unwrap();
        assert!(
            matches!(a.copy_to(&mut out), Err(CopyError::Source(d)) if d.message.contains("changed"))
        );
        assert!(a.read().unwrap_err().message.contains("changed"));
        // Replaced by another file (a new inode: the old one is kept), even of the same size.
        let b = file(dir.path(), "b.bin", "same", false);
        std::fs::rename(dir.path().join("b.bin"), dir.path().join("b.old")).unwrap();
        std::fs::write(dir.path().join("b.bin"), "SAME").unwrap();
        assert!(b.read().is_err());
    }
}
