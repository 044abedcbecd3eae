//! End-to-end tests: the real app binary, in a real window under Xvfb, driven through
//! WebDriver (Debian's WebKitWebDriver), serving the built UI from ui/dist. One module a flow.
//!
//! Run with `cargo test --test e2e` (after `npm run build` in ui/). Starts its own Xvfb and
//! D-Bus session bus when none is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
mod accessibility;
mod escalation;
mod files;
mod guided_resolution;
mod harness;
mod hub;
mod issue_queue;
mod reports;
mod sync;
