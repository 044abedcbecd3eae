//! Escalation readiness: what the vendor needs, and what this issue still lacks. The escalate
//! action (issue 4/5) reads this; the issue page shows it.
use serde::Serialize;
use ts_rs::TS;

use crate::model::{EventBody, IssueDetail};
use crate::playbooks::StepState;

/// Whether an issue is ready to escalate, item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Readiness {
    /// Every item is satisfied.
    pub ready: bool,
    /// What the vendor asks for, in order.
    pub items: Vec<ReadinessItem>,
}

/// One thing the vendor needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReadinessItem {
    /// What is needed ("Steps to reproduce").
    pub need: String,
    /// Whether the issue has it.
    pub ok: bool,
    /// What is there, or what to do.
    pub detail: String,
}

/// A description shorter than this is not enough for the vendor to work with.
const DESCRIPTION_MIN: usize = 20;

/// Checks an issue against what an escalation must carry.
pub fn check(d: &IssueDetail) -> Readiness {
    let issue = &d.issue;
    let item = |need: &str, ok: bool, detail: String| ReadinessItem {
        need: need.to_owned(),
        ok,
        detail,
    };
    let screenshot = d
        .attachments
        .iter()
        .find(|a| a.media_type.starts_with("image/"));
    let waived = d.events.iter().rev().find_map(|e| match &e.body {
        EventBody::ScreenshotWaived { reason } => Some(reason.clone()),
        _ => None,
    });
    let playbook = match &d.playbook {
        None => item(
            "Playbook steps",
            true,
            "No playbook for this category.".into(),
        ),
        Some(p) => {
            let open: Vec<&str> = p
                .playbook
                .steps
                .iter()
                .zip(&p.states)
                .filter(|(_, s)| **s == StepState::Open)
                .map(|(step, _)| step.text.as_str())
                .collect();
            if open.is_empty() {
                item(
                    "Playbook steps",
                    true,
                    format!(
                        "All {} steps done or skipped with a reason.",
                        p.states.len()
                    ),
                )
            } else {
                item(
                    "Playbook steps",
                    false,
                    format!(
                        "{} open: {}. Do them, or skip each with a reason.",
                        open.len(),
                        open.join("; ")
                    ),
                )
            }
        }
    };
    let description_len = issue.description.trim().chars().count();
    let items = vec![
        item("Client", true, issue.client_name.clone()),
        item(
            "Description",
            description_len >= DESCRIPTION_MIN,
            if description_len >= DESCRIPTION_MIN {
                format!("{description_len} characters.")
            } else {
                "Describe what the client sees and expects, in a few sentences.".into()
            },
        ),
        item(
            "Steps to reproduce",
            !issue.steps.trim().is_empty(),
            if issue.steps.trim().is_empty() {
                "Add the steps the vendor can follow.".into()
            } else {
                "Given.".into()
            },
        ),
        item("Urgency", true, issue.urgency.label().into()),
        item("Impact", true, issue.priority_reason.clone()),
        item(
            "Affected users",
            issue.affected_users > 0,
            if issue.affected_users > 0 {
                issue.affected_users.to_string()
            } else {
                "How many users are affected?".into()
            },
        ),
        match (screenshot, waived) {
            (Some(a), _) => item("Screenshot", true, a.file_name.clone()),
            (None, Some(reason)) => item("Screenshot", true, format!("None: {reason}")),
            (None, None) => item(
                "Screenshot",
                false,
                "Paste a screenshot, or say why there is none.".into(),
            ),
        },
        playbook,
    ];
    Readiness {
        ready: items.iter().all(|i| i.ok),
        items,
    }
}
