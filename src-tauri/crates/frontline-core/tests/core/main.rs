//! Integration tests of frontline-core against a real SQLite file in a temporary folder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
mod attachments;
mod bad_input;
mod bindings;
mod delivery;
mod desk;
mod evidence;
mod freshdesk_fixtures;
mod freshdesk_sync;
mod invariants;
mod issues;
mod knowledge;
mod ladder;
mod migrations;
mod outage;
mod playbooks;
mod priority;
mod reports;
mod search;
mod sla;
mod support;
mod sync;
mod team_fold;
mod zendesk_fixtures;
