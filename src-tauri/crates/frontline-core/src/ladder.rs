//! The vendor's escalation ladder and the team profile, as data. Ladders are TOML files (two
//! bundled presets, more in `<data dir>/ladders/`); the team profile (`team.toml`, bundled
//! default, replaced by the lead's file in the data folder) names the ladder, the team leads,
//! the calendar and the SLA targets.
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::Urgency;
use crate::sla::{CalendarSpec, Hours};

/// How a rung is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Your own team (before the vendor).
    Internal,
    /// A request in the vendor ticket.
    Ticket,
    /// A phone call.
    Call,
    /// An e-mail (the vendor ticket, when the vendor's helpdesk takes e-mail).
    Email,
    /// The partner manager, directly.
    PartnerManager,
}

/// Acknowledgement targets per urgency, in hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PerUrgency {
    /// Critical.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
    /// Low.
    pub low: u32,
}

impl PerUrgency {
    /// The value for an urgency.
    pub fn of(&self, u: Urgency) -> u32 {
        match u {
            Urgency::Critical => self.critical,
            Urgency::High => self.high,
            Urgency::Medium => self.medium,
            Urgency::Low => self.low,
        }
    }
}

/// One rung of a ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Rung {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who answers there.
    pub role: String,
    /// How to reach them, in words.
    pub contact: String,
    /// The channel.
    pub method: Method,
    /// How to ask, in words.
    #[serde(default)]
    pub how: String,
    /// When to go there, in words.
    pub when: Vec<String>,
    /// A chase at the previous rung must come first…
    #[serde(default)]
    pub chase_first: bool,
    /// …unless the issue has one of these urgencies.
    #[serde(default)]
    pub chase_waived_for: Vec<Urgency>,
    /// Only a team lead may go there.
    #[serde(default)]
    pub lead_only: bool,
    /// Only for issues flagged critical.
    #[serde(default)]
    pub critical_only: bool,
    /// Hours to the vendor's acknowledgement at this rung.
    pub ack_hours: PerUrgency,
}

/// A vendor's escalation ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The process in a few sentences.
    pub description: String,
    /// Rungs, lowest first.
    pub rungs: Vec<Rung>,
}

impl Ladder {
    /// Reads a ladder file; errors name the file and the field.
    pub fn parse(source: &str, text: &str) -> Result<Ladder> {
        let ladder: Ladder = toml::from_str(text).map_err(|e| toml_error(source, text, &e))?;
        if ladder.rungs.is_empty() {
            return Err(Error::Preset {
                file: source.to_owned(),
                message: "rungs: a ladder needs at least one rung".into(),
            });
        }
        if ladder.id.trim().is_empty() {
            return Err(Error::Preset {
                file: source.to_owned(),
                message: "id: must not be empty".into(),
            });
        }
        Ok(ladder)
    }

    /// The TOML text of the ladder (export).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::Decode(e.to_string()))
    }

    /// The first rung at the vendor (where a new ticket lands).
    pub fn entry(&self) -> usize {
        self.rungs
            .iter()
            .position(|r| r.method != Method::Internal)
            .unwrap_or(0)
    }
}

const BUNDLED: [(&str, &str); 2] = [
    (
        "four-rung.toml (bundled)",
        include_str!("../presets/ladders/four-rung.toml"),
    ),
    (
        "three-line.toml (bundled)",
        include_str!("../presets/ladders/three-line.toml"),
    ),
];

/// The bundled presets and the team's own ladders (same id replaces a preset); files that
/// do not parse are reported, the rest load.
pub fn load(dir: &Path) -> (Vec<Ladder>, Vec<String>) {
    let mut problems = Vec::new();
    let mut by_id: BTreeMap<String, Ladder> = BTreeMap::new();
    for (name, text) in BUNDLED {
        match Ladder::parse(name, text) {
            Ok(l) => {
                by_id.insert(l.id.clone(), l);
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            match std::fs::read_to_string(&p) {
                Ok(text) => match Ladder::parse(&p.display().to_string(), &text) {
                    Ok(l) => {
                        by_id.insert(l.id.clone(), l);
                    }
                    Err(e) => problems.push(e.to_string()),
                },
                Err(e) => problems.push(format!("{}: {e}", p.display())),
            }
        }
    }
    (by_id.into_values().collect(), problems)
}

/// SLA targets for one urgency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    /// Hours to the vendor's acknowledgement.
    pub ack_hours: u32,
    /// Hours to resolution.
    pub resolve_hours: u32,
    /// Count every hour, not only working hours.
    #[serde(default)]
    pub around_the_clock: bool,
}

/// SLA targets per urgency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    /// Critical.
    pub critical: SlaTarget,
    /// High.
    pub high: SlaTarget,
    /// Medium.
    pub medium: SlaTarget,
    /// Low.
    pub low: SlaTarget,
}

impl SlaTargets {
    /// The target for an urgency.
    pub fn of(&self, u: Urgency) -> &SlaTarget {
        match u {
            Urgency::Critical => &self.critical,
            Urgency::High => &self.high,
            Urgency::Medium => &self.medium,
            Urgency::Low => &self.low,
        }
    }
}

/// The team profile as the file writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// The ladder's id.
    pub ladder: String,
    /// User names of the team leads.
    pub leads: Vec<String>,
    /// Working hours.
    pub calendar: CalendarSpec,
    /// SLA targets.
    pub sla: SlaTargets,
    /// When to suspect an outage (defaults: 3 issues, 2 clients, 60 minutes, similarity 0.25).
    #[serde(default)]
    pub outage: OutageSpec,
}

/// The outage rule as the team file writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct OutageSpec {
    /// Issues needed.
    pub issues: u32,
    /// Distinct clients needed.
    pub clients: u32,
    /// Within this many minutes.
    pub window_minutes: u32,
    /// How alike two issue texts must be, 0 to 1.
    pub similarity: f64,
}

impl Default for OutageSpec {
    fn default() -> Self {
        let d = crate::outage::OutageRule::default();
        OutageSpec {
            issues: d.issues as u32,
            clients: d.clients as u32,
            window_minutes: d.window_minutes as u32,
            similarity: d.threshold,
        }
    }
}

impl OutageSpec {
    /// As the detector takes it.
    pub fn rule(&self) -> crate::outage::OutageRule {
        crate::outage::OutageRule {
            issues: self.issues.max(2) as usize,
            clients: self.clients.max(1) as usize,
            window_minutes: self.window_minutes.max(1) as i64,
            threshold: self.similarity.clamp(0.0, 1.0),
        }
    }
}

/// The team profile, checked.
#[derive(Debug, Clone)]
pub struct Team {
    /// As written.
    pub spec: TeamSpec,
    /// The calendar.
    pub business: Hours,
}

/// A user's role, from the team profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A first-line agent.
    Agent,
    /// A team lead.
    Lead,
}

/// A TOML file that does not read: the file, the line and what is wrong there (the field, or
/// the value it holds). The person who edited it fixes it from this.
pub(crate) fn toml_error(source: &str, text: &str, e: &toml::de::Error) -> Error {
    let message = match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            let shown = text.lines().nth(line - 1).unwrap_or("").trim();
            format!("line {line} ({shown}): {}", e.message().trim())
        }
        None => e.message().trim().to_owned(),
    };
    Error::Preset {
        file: source.to_owned(),
        message,
    }
}

/// The bundled team profile.
pub const BUNDLED_TEAM: &str = include_str!("../presets/team.toml");

impl Team {
    /// Reads a team profile; errors name the file and the field.
    pub fn parse(source: &str, text: &str, ladders: &[Ladder]) -> Result<Team> {
        let spec: TeamSpec = toml::from_str(text).map_err(|e| toml_error(source, text, &e))?;
        if !ladders.iter().any(|l| l.id == spec.ladder) {
            let known: Vec<&str> = ladders.iter().map(|l| l.id.as_str()).collect();
            return Err(Error::Preset {
                file: source.to_owned(),
                message: format!(
                    "ladder = \"{}\" is not a known ladder (known: {})",
                    spec.ladder,
                    known.join(", ")
                ),
            });
        }
        let business = Hours::Business(spec.calendar.parse(source)?);
        Ok(Team { spec, business })
    }

    /// Agent or lead.
    pub fn role_of(&self, user: &str) -> Role {
        if self.spec.leads.iter().any(|l| l.eq_ignore_ascii_case(user)) {
            Role::Lead
        } else {
            Role::Agent
        }
    }

    /// The hours an urgency's SLA counts.
    pub fn hours_for(&self, u: Urgency) -> Hours {
        if self.spec.sla.of(u).around_the_clock {
            Hours::AllDay
        } else {
            self.business.clone()
        }
    }
}
