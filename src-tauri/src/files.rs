//! The files the webview may name. A script in the page must not be able to read or write any
//! file the user owns, so a command that takes a path accepts only one the shell handed out a
//! moment ago: chosen in a file dialog the shell opened, or dropped on the window. Each grant
//! is for reading or for writing, is used once, and lapses after a few minutes.
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use frontline_core::{ErrorCode, Failure};
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

/// How long a chosen or dropped file stays usable.
const LIFETIME: Duration = Duration::from_secs(5 * 60);

/// What a grant allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

#[derive(Debug)]
struct Grant {
    path: PathBuf,
    access: Access,
    at: Instant,
}

/// The paths handed out and not used yet.
#[derive(Debug, Default)]
pub struct FileGrants(Mutex<Vec<Grant>>);

impl FileGrants {
    /// Lets the page name these paths once, for `access`.
    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>, access: Access) {
        let now = Instant::now();
        let mut granted = self.0.lock().unwrap_or_else(|e| e.into_inner());
        granted.retain(|g| now.duration_since(g.at) < LIFETIME);
        granted.extend(paths.into_iter().map(|path| Grant {
            path,
            access,
            at: now,
        }));
    }

    /// The path the page named, if the shell handed it out for `access`; the grant is used up.
    pub fn take(&self, path: &str, access: Access) -> Result<PathBuf, Failure> {
        let asked = Path::new(path);
        let refuse = |why: &str| {
            tracing::warn!(path, ?access, why, "a file the page named was refused");
            Err(Failure {
                code: ErrorCode::Forbidden,
                message: format!(
                    "Frontline uses only files you choose in its own file dialog or drop on its \
                     window ({why}); choose the file again."
                ),
                field: None,
            })
        };
        if !asked.is_absolute() {
            return refuse("not a full path");
        }
        if asked
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
        {
            return refuse("the path climbs out of its folder");
        }
        let now = Instant::now();
        let mut granted = self.0.lock().unwrap_or_else(|e| e.into_inner());
        granted.retain(|g| now.duration_since(g.at) < LIFETIME);
        match granted
            .iter()
            .position(|g| g.access == access && g.path == asked)
        {
            Some(i) => Ok(granted.swap_remove(i).path),
            None => refuse("this file was not chosen or dropped just now"),
        }
    }

    /// Takes every path, or none: one refused path refuses them all.
    pub fn take_all(&self, paths: &[String], access: Access) -> Result<Vec<PathBuf>, Failure> {
        let mut taken = Vec::with_capacity(paths.len());
        for path in paths {
            match self.take(path, access) {
                Ok(p) => taken.push(p),
                Err(e) => {
                    // Put back what was taken: those files were handed out, and stay so.
                    self.grant(taken, access);
                    return Err(e);
                }
            }
        }
        Ok(taken)
    }
}

/// Which files a dialog offers.
#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// Any files, several at once, to attach to an issue.
    Attachments,
    /// One escalation ladder (TOML).
    Ladder,
}

/// Opens the file dialog for `purpose`; the chosen files may then be named once, to read.
#[tauri::command]
pub async fn choose_files(
    app: AppHandle,
    grants: State<'_, FileGrants>,
    purpose: FilePurpose,
) -> Result<Vec<String>, Failure> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file();
    match purpose {
        FilePurpose::Attachments => dialog.set_title("Attach files").pick_files(move |picked| {
            let _ = tx.send(picked.unwrap_or_default());
        }),
        FilePurpose::Ladder => dialog
            .set_title("Import a ladder")
            .add_filter("Escalation ladder", &["toml"])
            .pick_file(move |picked| {
                let _ = tx.send(picked.into_iter().collect());
            }),
    }
    let picked = rx.await.unwrap_or_default();
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    let shown = paths.iter().map(|p| p.display().to_string()).collect();
    grants.grant(paths, Access::Read);
    Ok(shown)
}

/// Asks where to save `file_name` (a ladder, TOML); the chosen path may then be named once, to
/// write. `None` when the person cancels.
#[tauri::command]
pub async fn choose_save_path(
    app: AppHandle,
    grants: State<'_, FileGrants>,
    file_name: String,
) -> Result<Option<String>, Failure> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export")
        .set_file_name(&file_name)
        .add_filter("Escalation ladder", &["toml"])
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    let Some(path) = rx.await.ok().flatten().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    grants.grant([path], Access::Write);
    Ok(Some(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> String {
        std::env::var("HOME").unwrap_or_else(|_| "/root".into())
    }

    #[test]
    fn files_the_shell_did_not_hand_out_are_refused() {
        let grants = FileGrants::default();
        grants.grant([PathBuf::from("/tmp/dropped/report.pdf")], Access::Read);
        let ssh = format!("{}/.ssh/id_rsa", home());
        for path in [
            "/etc/passwd",
            ssh.as_str(),
            "../../etc/passwd",
            "/tmp/dropped/../../etc/passwd",
            "report.pdf",
            "",
        ] {
            let refused = grants.take(path, Access::Read).unwrap_err();
            assert_eq!(refused.code, ErrorCode::Forbidden, "{path}");
            assert!(refused.message.contains("choose the file again"), "{path}");
        }
        // The dropped file itself is still usable: refusals did not use it up.
        assert_eq!(
            grants
                .take("/tmp/dropped/report.pdf", Access::Read)
                .unwrap(),
            PathBuf::from("/tmp/dropped/report.pdf")
        );
    }

    #[test]
    fn a_grant_is_used_once_and_only_for_its_access() {
        let grants = FileGrants::default();
        grants.grant([PathBuf::from("/tmp/chosen/ladder.toml")], Access::Read);
        // Chosen to read is not chosen to overwrite.
        assert!(grants
            .take("/tmp/chosen/ladder.toml", Access::Write)
            .is_err());
        assert!(grants.take("/tmp/chosen/ladder.toml", Access::Read).is_ok());
        assert!(grants
            .take("/tmp/chosen/ladder.toml", Access::Read)
            .is_err());
    }

    #[test]
    fn one_refused_path_refuses_the_batch_and_keeps_the_others_usable() {
        let grants = FileGrants::default();
        grants.grant([PathBuf::from("/tmp/a.log")], Access::Read);
        let batch = ["/tmp/a.log".to_owned(), "/etc/shadow".to_owned()];
        assert!(grants.take_all(&batch, Access::Read).is_err());
        assert_eq!(
            grants.take_all(&batch[..1], Access::Read).unwrap(),
            vec![PathBuf::from("/tmp/a.log")]
        );
    }
}
