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

/// A D-Bus-safe name for "the Frontline running on this data folder": one window per data
/// folder, while two folders (two profiles, parallel tests) may run side by side.
pub fn instance_id(data_dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut h);
    format!("app.frontline.desktop.d{:016x}", h.finish())
}
