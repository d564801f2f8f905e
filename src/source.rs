//! Reading the files a user names, in one place: regular files only, each kind capped in size.
//!
//! Every file a document or the command line names goes through [`read`]: Markdown inputs and
//! book chapters, `{{#include}}`d files, `SUMMARY.md` and the book's configuration
//! ([`Kind::Text`]), images ([`Kind::Image`]) and font files ([`Kind::Font`]). A device
//! (`/dev/zero`), a FIFO, a socket or a folder is refused before it is opened, so a build never
//! blocks on a reader that does not come and never grows without end; a file larger than its
//! kind's cap is refused before it is read, and one that grows while it is read is stopped at
//! the cap. The limits are listed in the README ("Limits").

use std::fmt;
use std::io::Read;
use std::path::Path;

/// What a file is read as; each kind has its own size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Markdown sources, book chapters, included files, `SUMMARY.md`, `book.toml`.
    Text,
    /// PNG, JPEG, GIF, WebP and SVG images.
    Image,
    /// TrueType and OpenType fonts (and collections).
    Font,
}

impl Kind {
    /// The largest file of this kind that is read, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            Kind::Text => MAX_TEXT_BYTES,
            Kind::Image => MAX_IMAGE_BYTES,
            Kind::Font => MAX_FONT_BYTES,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Text => "text files",
            Kind::Image => "images",
            Kind::Font => "fonts",
        }
    }
}

/// The largest text file read (a Markdown source, a chapter, an included file): 64 MiB.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;
/// The largest image file read: 64 MiB (an SVG has a lower cap of its own, see
/// [`crate::image::MAX_SVG_BYTES`]).
pub const MAX_IMAGE_BYTES: u64 = 64 << 20;
/// The largest font file read: 128 MiB (a whole CJK collection fits).
pub const MAX_FONT_BYTES: u64 = 128 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The system said no (missing, no permission...).
    Io(std::io::Error),
    /// Not a regular file: what it is instead ("a FIFO", "a device"...).
    NotRegular(&'static str),
    /// Larger than its kind's cap.
    TooLarge(Kind),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => f.write_str(&io_reason(e)),
            ReadError::NotRegular(what) => write!(
                f,
                "not a regular file ({what}); only regular files are read"
            ),
            ReadError::TooLarge(kind) => write!(
                f,
                "larger than {} MiB, the limit for {}",
                kind.limit() >> 20,
                kind.plural()
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// An I/O error in plain words: "no such file", "permission denied", else the system's words
/// without the "(os error N)" tail.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(n) => s[..n].to_string(),
                None => s,
            }
        }
    }
}

/// What a file that is not a regular file is, for messages.
fn what_it_is(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a plain file"
}

/// The bytes of the regular file at `path` (symbolic links followed), at most `kind`'s cap.
///
/// The file's type and size are checked before it is opened, and again on the open file, so
/// that neither a FIFO nor a device is ever read; the read itself stops one byte past the cap.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, ReadError> {
    let limit = kind.limit();
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(what_it_is(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(kind));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The path may have been replaced between the two looks: the open file is what counts.
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(what_it_is(&meta)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(kind));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "hello").unwrap();
        assert_eq!(read(&p, Kind::Text).unwrap(), b"hello");
    }

    #[test]
    fn refuses_folders_devices_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path(), Kind::Text).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
        #[cfg(unix)]
        {
            let e = read(Path::new("/dev/zero"), Kind::Image).unwrap_err();
            assert!(e.to_string().contains("a device"), "{e}");
        }
        let e = read(&dir.path().join("none"), Kind::Text).unwrap_err();
        assert_eq!(e.to_string(), "no such file");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("note: mkfifo is not available; skipped");
            return;
        }
        let e = read(&p, Kind::Text).unwrap_err();
        assert!(e.to_string().contains("a FIFO"), "{e}");
    }

    #[test]
    fn refuses_a_file_over_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.png");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_IMAGE_BYTES + 1).unwrap();
        let e = read(&p, Kind::Image).unwrap_err();
        assert_eq!(
            e.to_string(),
            "larger than 64 MiB, the limit for images",
            "{e}"
        );
    }
}
