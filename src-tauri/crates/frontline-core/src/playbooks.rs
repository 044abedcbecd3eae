//! Playbooks: per category, the ordered checklist that usually solves an issue at the first
//! line. Bundled as TOML files in `presets/playbooks`; a team may replace or add files in
//! `<data dir>/playbooks`. A malformed file is reported by name and line, and the others load.
use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{EventBody, IssueEvent};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/presets/playbooks");

/// A checklist for one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// The category it serves.
    pub category: String,
    /// Its name.
    pub title: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id within the playbook.
    pub id: String,
    /// What to do.
    pub text: String,
    /// Questions to ask the client.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Articles that help (ids without the "bundled:" prefix are bundled articles).
    #[serde(default)]
    pub articles: Vec<String>,
}

/// Where a step stands on one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    /// Not done yet.
    Open,
    /// Done.
    Done,
    /// Skipped, with the agent's reason.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// A playbook with the state of each step on one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlaybookProgress {
    /// The playbook.
    pub playbook: Playbook,
    /// The state of each step, in the playbook's order.
    pub states: Vec<StepState>,
}

/// Every playbook that loaded, and a message for each file that did not.
pub fn load(team_dir: &Path) -> (Vec<Playbook>, Vec<String>) {
    let mut books: Vec<Playbook> = Vec::new();
    let mut problems = Vec::new();
    let add = |name: String, text: &str, books: &mut Vec<Playbook>, problems: &mut Vec<String>| {
        match toml::from_str::<Playbook>(text) {
            Ok(book) if book.steps.is_empty() => problems.push(format!("{name}: has no steps")),
            Ok(book) => {
                books.retain(|b| b.category != book.category);
                books.push(book);
            }
            Err(e) => problems.push(format!("{name}: {}", e.to_string().trim_end())),
        }
    };
    for f in BUNDLED.files() {
        let name = format!("playbooks/{} (bundled)", f.path().display());
        add(
            name,
            f.contents_utf8().unwrap_or_default(),
            &mut books,
            &mut problems,
        );
    }
    if let Ok(entries) = std::fs::read_dir(team_dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        {
            match std::fs::read_to_string(&path) {
                Ok(text) => add(path.display().to_string(), &text, &mut books, &mut problems),
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            }
        }
    }
    books.sort_by(|a, b| a.category.cmp(&b.category));
    (books, problems)
}

/// The state of each step, read from the issue's timeline (the last word on a step counts).
pub fn progress(playbook: &Playbook, events: &[IssueEvent]) -> PlaybookProgress {
    let states = playbook
        .steps
        .iter()
        .map(|step| {
            events
                .iter()
                .rev()
                .find_map(|e| match &e.body {
                    EventBody::StepRecorded {
                        step_id,
                        done,
                        reason,
                        ..
                    } if *step_id == step.id => Some(if *done {
                        StepState::Done
                    } else {
                        StepState::Skipped {
                            reason: reason.clone(),
                        }
                    }),
                    _ => None,
                })
                .unwrap_or(StepState::Open)
        })
        .collect();
    PlaybookProgress {
        playbook: playbook.clone(),
        states,
    }
}
