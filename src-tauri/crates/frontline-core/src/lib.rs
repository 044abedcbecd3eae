//! Frontline's core: every rule and all storage of the desktop app, with no window around it.
//!
//! The Tauri shell calls [`Frontline`]; so do the tests, against a real SQLite file. This crate
//! does not depend on `tauri` (a test checks it).
#![deny(missing_docs)]

pub mod attachments;
pub mod bindings;
pub mod client_updates;
pub mod clock;
mod db;
pub mod demo;
pub mod desk;
pub mod error;
pub mod escalation;
pub mod evidence;
mod frontline;
mod journal;
pub mod kb;
pub mod ladder;
pub mod links;
pub mod logging;
pub mod model;
pub mod notify;
pub mod outage;
pub mod paths;
pub mod playbooks;
pub mod priority;
mod queries;
pub mod readiness;
pub mod reports;
pub mod sanitize;
pub mod sla;
pub mod status;
pub mod sync;
pub mod team;
pub mod team_connection;
pub mod validate;

pub use clock::{Clock, FixedClock, SystemClock};
pub use db::SCHEMA_VERSION;
pub use error::{Error, ErrorCode, Failure, Result};
pub use frontline::{Frontline, Settings};
