//! Typed errors. Each says what happened and what to do; [`ErrorCode`] is what the UI branches on.
use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

/// The result of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in words a support agent can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field the user typed (or a command argument) is not acceptable; nothing was written.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, as the form names it.
        field: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The thing asked for does not exist.
    #[error("{what} {id} was not found. It may have been removed; refresh and try again.")]
    NotFound {
        /// Kind of thing ("Issue", "Client", …).
        what: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// The user's role does not allow this (the team profile names the leads).
    #[error("Only a team lead may {action}; {user} is an agent in this team's profile. Ask a lead to do it.")]
    Forbidden {
        /// What was refused.
        action: &'static str,
        /// Who tried.
        user: String,
    },
    /// The status change is not one the workflow allows.
    #[error("An issue that is {from} cannot move to {to}. Allowed next: {allowed}.")]
    InvalidTransition {
        /// Current status label.
        from: &'static str,
        /// Requested status label.
        to: &'static str,
        /// Allowed next statuses, in words.
        allowed: String,
    },
    /// The file is larger than the attachment limit.
    #[error("{file_name} is {}; attachments may be at most {}. Compress it or attach a smaller excerpt.", human_size(*size), human_size(*limit))]
    AttachmentTooLarge {
        /// Name of the file.
        file_name: String,
        /// Its size in bytes (at least this much: reading stops past the limit).
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file could not be read or written.
    #[error("Could not {action} {path}: {source}")]
    File {
        /// What we were doing ("read", "write", …).
        action: &'static str,
        /// Which file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The data folder cannot be created or written.
    #[error("Frontline cannot write its data folder {path}: {source}. Make sure the folder exists and your user may write to it, or set FRONTLINE_DATA_DIR to a folder you own, then start Frontline again.")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The database was written by a newer Frontline; we refuse to touch it.
    #[error("The database {path} was written by a newer version of Frontline (schema {found}; this version knows up to {supported}). It was not modified. Install the newer Frontline, or point FRONTLINE_DATA_DIR at another folder.")]
    DatabaseTooNew {
        /// The database file.
        path: PathBuf,
        /// Schema version found in the file.
        found: i64,
        /// Highest schema version this build knows.
        supported: i64,
    },
    /// The database file is damaged or not a database at all.
    #[error("The database {path} is damaged ({detail}). It was not modified. Quit Frontline, move the file aside (keep it: it can often be recovered with `sqlite3 .recover`), and start again to create a new one.")]
    DatabaseCorrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("The local database failed: {0}. Your last change was not saved; try again, and if it keeps failing, send the log file to your administrator.")]
    Database(#[from] rusqlite::Error),
    /// A bundled or user-edited data file (priority matrix, …) is malformed.
    #[error("{file}: {message}")]
    Preset {
        /// Which file.
        file: String,
        /// What is wrong, with the line when known.
        message: String,
    },
    /// A link whose scheme is not allowed to leave the app.
    #[error("Frontline opens only https and mailto links; {url} was not opened.")]
    UnsafeLink {
        /// The refused link (shortened).
        url: String,
    },
    /// A stored value could not be decoded (a bug or a hand-edited database).
    #[error("Stored data could not be read: {0}")]
    Decode(String),
    /// Work handed to a background thread ended without finishing (it panicked or the app is
    /// shutting down); its transaction was rolled back.
    #[error("Frontline stopped in the middle of {0}; nothing half-done was kept. Try again, and if it keeps happening, send the log.")]
    Interrupted(String),
}

/// "1.5 MB", "800 KB", "12 bytes".
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b >= MB => format!("{:.1} MB", b as f64 / MB as f64).replace(".0 MB", " MB"),
        b if b >= KB => format!("{} KB", b / KB),
        b => format!("{b} bytes"),
    }
}

/// The class of an error, for the UI to branch on (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Bad input; the form shows it next to the field.
    Invalid,
    /// The user's role does not allow it.
    Forbidden,
    /// Missing record.
    NotFound,
    /// Workflow refuses the change.
    InvalidTransition,
    /// Attachment over the limit.
    TooLarge,
    /// File system trouble.
    File,
    /// The app cannot start on this data folder (error screen).
    Startup,
    /// Database failure.
    Database,
    /// A malformed data file.
    Preset,
    /// A refused link.
    UnsafeLink,
    /// A server (the team hub) could not be reached or refused the connection.
    Unavailable,
}

impl Error {
    /// The class of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::AttachmentTooLarge { .. } => ErrorCode::TooLarge,
            Error::File { .. } => ErrorCode::File,
            Error::DataDir { .. }
            | Error::DatabaseTooNew { .. }
            | Error::DatabaseCorrupt { .. } => ErrorCode::Startup,
            Error::Database(_) | Error::Decode(_) | Error::Interrupted(_) => ErrorCode::Database,
            Error::Preset { .. } => ErrorCode::Preset,
            Error::UnsafeLink { .. } => ErrorCode::UnsafeLink,
        }
    }

    /// The field a validation error belongs to, so the form can put the message beside it.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// An error as it crosses to the UI: a class to branch on, the message to show, and the form
/// field it belongs to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Failure {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in plain words.
    pub message: String,
    /// The form field to show it beside, for validation errors.
    pub field: Option<String>,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            code: e.code(),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}

/// An error and every cause under it, in one line: libraries' own texts often say only
/// "error sending request" or "db error", and what a person can act on is further down.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}
