//! Where Frontline keeps its data: the OS data folder, or `FRONTLINE_DATA_DIR`.
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder.
pub const DATA_DIR_VAR: &str = "FRONTLINE_DATA_DIR";

/// The data folder: `$FRONTLINE_DATA_DIR` if set, else the OS data folder (XDG on Linux:
/// `$XDG_DATA_HOME/frontline`, usually `~/.local/share/frontline`).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_VAR).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "Frontline")
        .map(|d| d.data_dir().to_owned())
        .unwrap_or_else(|| PathBuf::from(".frontline"))
}

/// The database file inside a data folder.
pub fn database(data_dir: &Path) -> PathBuf {
    data_dir.join("frontline.db")
}

/// The log folder inside a data folder.
pub fn logs(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// The attachment store inside a data folder.
pub fn attachments(data_dir: &Path) -> PathBuf {
    data_dir.join("attachments")
}
