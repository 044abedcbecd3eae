//! Integration tests of frontline-core against a real SQLite file in a temporary folder.
mod attachments;
mod bad_input;
mod bindings;
mod delivery;
mod invariants;
mod issues;
mod knowledge;
mod ladder;
mod migrations;
mod outage;
mod playbooks;
mod priority;
mod search;
mod sla;
mod support;
mod sync;
mod zendesk_fixtures;
