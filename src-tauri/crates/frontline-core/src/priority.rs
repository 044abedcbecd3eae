//! Priority from impact × urgency. The matrix is data (a bundled JSON preset a team may replace),
//! and every assessment carries the reason shown to the user.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Category, Choice, Urgency};

/// The bundled matrix.
pub const BUNDLED_MATRIX: &str = include_str!("../presets/priority-matrix.json");
/// The bundled issue categories.
pub const BUNDLED_CATEGORIES: &str = include_str!("../presets/categories.json");

/// An impact × urgency table of priorities.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PriorityMatrix {
    /// Impact levels, narrowest first.
    pub impacts: Vec<Choice>,
    /// Priorities, most urgent first (their order is the queue's sort order).
    pub priorities: Vec<Choice>,
    /// impact id → urgency → priority id.
    pub cells: BTreeMap<String, BTreeMap<Urgency, String>>,
}

/// The outcome of the matrix for one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Assessment {
    /// Priority id ("P1").
    pub priority: String,
    /// 1 for the most urgent priority; the queue sorts by it.
    #[ts(type = "number")]
    pub rank: i64,
    /// Why, in words: "High urgency × Multiple clients → P1".
    pub reason: String,
}

impl PriorityMatrix {
    /// Parses and checks a matrix: every impact has a priority for every urgency, and every
    /// priority it names exists. `file` names the source in errors.
    pub fn parse(file: &str, json: &str) -> Result<Self> {
        let matrix: PriorityMatrix = serde_json::from_str(json).map_err(|e| Error::Preset {
            file: file.to_owned(),
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?;
        let bad = |message: String| Error::Preset {
            file: file.to_owned(),
            message,
        };
        if matrix.impacts.is_empty() || matrix.priorities.is_empty() {
            return Err(bad("needs at least one impact and one priority".into()));
        }
        for impact in &matrix.impacts {
            let row = matrix
                .cells
                .get(&impact.id)
                .ok_or_else(|| bad(format!("cells has no row for impact \"{}\"", impact.id)))?;
            for urgency in Urgency::ALL {
                let p = row.get(&urgency).ok_or_else(|| {
                    bad(format!(
                        "cells.{} has no priority for urgency \"{}\"",
                        impact.id,
                        urgency.as_str()
                    ))
                })?;
                if !matrix.priorities.iter().any(|c| &c.id == p) {
                    return Err(bad(format!(
                        "cells.{}.{} names priority \"{p}\", which is not in priorities",
                        impact.id,
                        urgency.as_str()
                    )));
                }
            }
        }
        if let Some(extra) = matrix
            .cells
            .keys()
            .find(|k| !matrix.impacts.iter().any(|i| &i.id == *k))
        {
            return Err(bad(format!(
                "cells has a row for \"{extra}\", which is not in impacts"
            )));
        }
        Ok(matrix)
    }

    /// The bundled matrix.
    pub fn bundled() -> Result<Self> {
        Self::parse("priority-matrix.json (bundled)", BUNDLED_MATRIX)
    }

    /// Checks that `impact` is a level of this matrix.
    pub fn impact(&self, impact: &str) -> Result<&Choice> {
        self.impacts.iter().find(|c| c.id == impact).ok_or_else(|| {
            Error::invalid(
                "Impact",
                format!(
                    "\"{}\" is not an impact level. Choose one of: {}.",
                    crate::validate::excerpt(impact, 40),
                    self.impacts
                        .iter()
                        .map(|c| c.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// The priority of an issue with this impact and urgency, and why.
    pub fn assess(&self, impact: &str, urgency: Urgency) -> Result<Assessment> {
        let impact = self.impact(impact)?;
        let priority = self
            .cells
            .get(&impact.id)
            .and_then(|row| row.get(&urgency))
            .ok_or_else(|| Error::Decode(format!("matrix has no cell for {}", impact.id)))?;
        let rank = self
            .priorities
            .iter()
            .position(|c| &c.id == priority)
            .unwrap_or(self.priorities.len());
        Ok(Assessment {
            priority: priority.clone(),
            rank: rank as i64 + 1,
            reason: format!(
                "{} urgency × {} → {priority}",
                urgency.label(),
                impact.label
            ),
        })
    }
}

/// Parses the categories file.
pub fn parse_categories(file: &str, json: &str) -> Result<Vec<Category>> {
    let list: Vec<Category> = serde_json::from_str(json).map_err(|e| Error::Preset {
        file: file.to_owned(),
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    if list.is_empty() {
        return Err(Error::Preset {
            file: file.to_owned(),
            message: "lists no categories".into(),
        });
    }
    Ok(list)
}
