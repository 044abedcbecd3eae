//! The attachment store: files kept by the SHA-256 of their content under
//! `<data dir>/attachments/<first two hex digits>/<hash>`, written atomically; the same file
//! attached twice is stored once.
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The default largest attachment: 50 MB.
pub const DEFAULT_LIMIT: u64 = 50 * 1024 * 1024;

/// Whether `text` is a content address: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file now in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

/// Where the content with this hash lives.
pub fn path_of(store: &Path, sha256: &str) -> PathBuf {
    store.join(&sha256[..2.min(sha256.len())]).join(sha256)
}

/// Copies `source` into the store, refusing files over `limit` bytes before reading them.
pub fn store_file(store: &Path, source: &Path, limit: u64) -> Result<Stored> {
    let file_err = |action, source_err| Error::File {
        action,
        path: source.to_owned(),
        source: source_err,
    };
    let meta = std::fs::metadata(source).map_err(|e| file_err("read", e))?;
    if !meta.is_file() {
        return Err(file_err(
            "read",
            std::io::Error::other("it is a folder, not a file"),
        ));
    }
    check_size(display_name(source), meta.len(), limit)?;
    let reader = File::open(source).map_err(|e| file_err("read", e))?;
    // Read one byte past the limit so a file that grew since we looked is still refused.
    store_reader(
        store,
        reader.take(limit + 1),
        limit,
        display_name(source),
        source,
    )
}

/// Puts `bytes` (a pasted screenshot, a dropped file's content) into the store.
pub fn store_bytes(store: &Path, file_name: &str, bytes: &[u8], limit: u64) -> Result<Stored> {
    check_size(file_name.to_owned(), bytes.len() as u64, limit)?;
    store_reader(
        store,
        bytes,
        limit,
        file_name.to_owned(),
        Path::new(file_name),
    )
}

fn store_reader(
    store: &Path,
    mut reader: impl Read,
    limit: u64,
    name: String,
    source: &Path,
) -> Result<Stored> {
    let write_err = |path: &Path, e| Error::File {
        action: "write",
        path: path.to_owned(),
        source: e,
    };
    std::fs::create_dir_all(store).map_err(|e| write_err(store, e))?;
    let (temp_path, mut temp) = tempfile_in(store)?;
    let copied = copy_hashing(&mut reader, &mut temp, limit, &name, source, &temp_path);
    let (sha256, size) = match copied {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&temp_path);
            return Err(e);
        }
    };
    let target = path_of(store, &sha256);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;
    }
    if target.exists() {
        let _ = std::fs::remove_file(&temp_path);
    } else {
        std::fs::rename(&temp_path, &target).map_err(|e| write_err(&target, e))?;
    }
    Ok(Stored { sha256, size })
}

fn copy_hashing(
    reader: &mut impl Read,
    out: &mut File,
    limit: u64,
    name: &str,
    source: &Path,
    temp_path: &Path,
) -> Result<(String, u64)> {
    let write_err = |e| Error::File {
        action: "write",
        path: temp_path.to_owned(),
        source: e,
    };
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::File {
            action: "read",
            path: source.to_owned(),
            source: e,
        })?;
        if n == 0 {
            break;
        }
        size += n as u64;
        check_size(name.to_owned(), size, limit)?;
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(write_err)?;
    }
    out.sync_all().map_err(write_err)?;
    Ok((hex::encode(hasher.finalize()), size))
}

fn tempfile_in(dir: &Path) -> Result<(PathBuf, File)> {
    let path = dir.join(format!(".incoming-{}", uuid::Uuid::now_v7()));
    let file = File::create(&path).map_err(|e| Error::File {
        action: "write",
        path: path.clone(),
        source: e,
    })?;
    Ok((path, file))
}

fn check_size(file_name: String, size: u64, limit: u64) -> Result<()> {
    if size > limit {
        return Err(Error::AttachmentTooLarge {
            file_name,
            size,
            limit,
        });
    }
    Ok(())
}

/// The file name part of a path, for messages and for the attachment's name.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The MIME type for a file name.
pub fn media_type(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_or_octet_stream()
        .essence_str()
        .to_owned()
}
