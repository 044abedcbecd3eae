//! Climbing the vendor's ladder, chasing, the team lead's powers, and the SLA clocks of an
//! escalated issue. Rules are enforced here, not only hidden in the UI.
use chrono::{DateTime, Duration, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::frontline::Frontline;
use crate::journal::{self, current_status, Change};
use crate::ladder::{Ladder, Role, Rung};
use crate::model::{EventBody, IssueDetail, IssueEvent};
use crate::model::{IncidentLink, PriorityFields};
use crate::sla::{Clock, ClockState, Hours, Pause};
use crate::status::Status;
use crate::sync::outbox::{escalated, Operation};
use crate::validate::{self, TEXT_MAX};

/// Why a lead flags an issue critical (the vendor's own list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CriticalReason {
    /// A major outage or service disruption.
    MajorOutage,
    /// Several clients are affected.
    SeveralClients,
    /// A key client threatens to leave over it.
    ChurnRisk,
    /// A contractual or SLA breach is feared.
    SlaBreachConcern,
}

impl CriticalReason {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            CriticalReason::MajorOutage => "a major outage or service disruption",
            CriticalReason::SeveralClients => "several clients are affected",
            CriticalReason::ChurnRisk => "a key client threatens to leave over it",
            CriticalReason::SlaBreachConcern => "a contractual or SLA breach concern",
        }
    }
}

/// Where an issue is on the ladder, and what the next step needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LadderPosition {
    /// The ladder's name.
    pub ladder: String,
    /// Every rung, lowest first.
    pub rungs: Vec<Rung>,
    /// The rung the issue is on (index), `None` before it reaches the vendor.
    #[ts(type = "number | null")]
    pub current: Option<u32>,
    /// What stops the next climb now (empty: it may climb).
    pub blocked: Vec<String>,
    /// Chased at the current rung.
    pub chased: bool,
}

/// The team profile as the UI needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TeamInfo {
    /// This user's role.
    pub role: Role,
    /// The user.
    pub user: String,
    /// The ladder in use.
    pub ladder: Ladder,
    /// Every ladder available.
    pub ladders: Vec<String>,
    /// The name and role come from the team hub (else from this desktop's team file).
    pub from_hub: bool,
}

pub(crate) fn rung_of(events: &[IssueEvent], ladder: &Ladder) -> (Option<usize>, bool) {
    let mut current = None;
    let mut chased = false;
    for e in events {
        match &e.body {
            EventBody::StatusChanged {
                to: Status::Escalated,
                ..
            } if current.is_none() => {
                current = Some(ladder.entry());
                chased = false;
            }
            EventBody::RungRequested { rung, .. } => {
                current = Some(*rung as usize);
                chased = false;
            }
            EventBody::Chased { .. } => chased = true,
            _ => {}
        }
    }
    (current, chased)
}

pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc())
}

impl Frontline {
    /// This user's role and the team's ladder.
    pub fn team(&self) -> TeamInfo {
        TeamInfo {
            role: self.role(),
            user: self.user(),
            ladder: self.ladder(),
            ladders: self.ladders_read().iter().map(|l| l.id.clone()).collect(),
            from_hub: self
                .who
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .hub_lead
                .is_some(),
        }
    }

    fn ladders_read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Ladder>> {
        self.ladders.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The ladder the team profile names. The profile is checked against the ladders when it
    /// is read, and ladders are only ever added or replaced, so it is there; were it not, the
    /// first ladder stands in, and with none at all an empty ladder that allows no climb.
    pub(crate) fn ladder(&self) -> Ladder {
        let in_use = self.team_profile().spec.ladder.clone();
        let ladders = self.ladders_read();
        match ladders
            .iter()
            .find(|l| l.id == in_use)
            .or_else(|| ladders.first())
        {
            Some(ladder) => ladder.clone(),
            None => {
                tracing::error!(ladder = %in_use, "no escalation ladder is loaded");
                Ladder {
                    id: in_use,
                    name: "No ladder loaded".into(),
                    description: String::new(),
                    rungs: Vec::new(),
                }
            }
        }
    }

    /// The ladder in use as a TOML file (export, or the start of an edited copy).
    pub fn ladder_text(&self) -> Result<String> {
        self.ladder().to_toml()
    }

    /// Imports a ladder file a lead sent (checked like [`Frontline::save_ladder`]; a lead's
    /// action too).
    pub fn import_ladder(&self, path: &std::path::Path) -> Result<Ladder> {
        self.require_lead("change the team's escalation ladder")?;
        let text = std::fs::read_to_string(path).map_err(|source| Error::File {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        self.save_ladder(&text)
    }

    /// Writes the ladder in use to a file, to share.
    pub fn export_ladder(&self, path: &std::path::Path) -> Result<()> {
        std::fs::write(path, self.ladder_text()?).map_err(|source| Error::File {
            action: "write",
            path: path.to_owned(),
            source,
        })
    }

    /// Checks a ladder file and keeps it in `<data dir>/ladders/<id>.toml`, replacing the
    /// preset or earlier copy with the same id (import, or an edit saved from the UI).
    ///
    /// Only a lead may change the ladder: its rules (lead only, chase first) bind the agents.
    /// With a team hub the hub checks again, and the change goes to every desktop as a
    /// team-wide event; without one, the leads are those the team profile names.
    pub fn save_ladder(&self, text: &str) -> Result<Ladder> {
        self.require_lead("change the team's escalation ladder")?;
        let ladder = Ladder::parse("the ladder", text)?;
        if !ladder
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::invalid(
                "Ladder",
                "id may use only letters, digits, - and _.",
            ));
        }
        if self.hub_settings()?.is_some() {
            let text = ladder.to_toml()?;
            let (now, user) = (self.now(), self.user());
            self.db.write(|tx| {
                crate::journal::record_team_wide(
                    tx,
                    crate::team::PROFILE_CHANGED,
                    &serde_json::json!({ "actor": user, "profile": { "ladder": text } }),
                    &now,
                )
            })?;
        }
        self.keep_ladder(&ladder)?;
        Ok(ladder)
    }

    /// Keeps a checked ladder in `<data dir>/ladders/<id>.toml` and uses it from now on.
    pub(crate) fn keep_ladder(&self, ladder: &Ladder) -> Result<()> {
        let dir = self.settings.data_dir.join("ladders");
        std::fs::create_dir_all(&dir).map_err(|source| Error::File {
            action: "create",
            path: dir.clone(),
            source,
        })?;
        write_atomically(&dir.join(format!("{}.toml", ladder.id)), &ladder.to_toml()?)?;
        let mut ladders = self.ladders.write().unwrap_or_else(|e| e.into_inner());
        ladders.retain(|l| l.id != ladder.id);
        ladders.push(ladder.clone());
        self.desk.profile_changed();
        tracing::info!(ladder = %ladder.id, "ladder saved");
        Ok(())
    }

    /// A lead shares this desktop's team profile with the whole team through the hub: the
    /// team file (leads, ladder in use, calendar, SLA targets, outage rule), the ladder in use
    /// and the client-update template. Every desktop applies it and keeps it for offline work.
    pub fn publish_team_profile(&self) -> Result<()> {
        if self.hub_settings()?.is_none() {
            return Err(Error::invalid(
                "Team profile",
                "is shared through a team hub: connect to one first (Team hub page).",
            ));
        }
        self.require_lead("change the team profile")?;
        let dir = &self.settings.data_dir;
        let team = crate::frontline::read_optional(&dir.join("team.toml"))?
            .unwrap_or_else(|| crate::ladder::BUNDLED_TEAM.to_owned());
        let template = self
            .client_template
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let body = serde_json::json!({
            "actor": self.user(),
            "profile": { "team": team, "ladder": self.ladder_text()?, "client_update": template },
        });
        let now = self.now();
        self.db.write(|tx| {
            crate::journal::record_team_wide(tx, crate::team::PROFILE_CHANGED, &body, &now)
        })?;
        tracing::info!("team profile shared with the team");
        Ok(())
    }

    /// Uses a team profile a lead shared (checked first), and keeps it in the data folder.
    pub(crate) fn install_profile(&self, lead: &str, profile: crate::team::Profile) -> Result<()> {
        if let Some(ladder) = &profile.ladder {
            self.keep_ladder(ladder)?;
        }
        let dir = &self.settings.data_dir;
        if let Some(text) = &profile.team {
            let source = format!("the team profile from {lead}");
            match crate::ladder::Team::parse(&source, text, &self.ladders_read()) {
                Ok(team) => {
                    write_atomically(&dir.join("team.toml"), text)?;
                    *self.team.write().unwrap_or_else(|e| e.into_inner()) = team;
                    self.desk.profile_changed();
                }
                Err(e) => tracing::warn!(error = %e, %lead, "a shared team profile was not used"),
            }
        }
        if let Some(text) = profile.client_update {
            write_atomically(&dir.join("client-update.txt"), &text)?;
            *self
                .client_template
                .write()
                .unwrap_or_else(|e| e.into_inner()) = text;
        }
        tracing::info!(%lead, "the team profile, from the hub");
        Ok(())
    }

    fn require_lead(&self, action: &'static str) -> Result<()> {
        match self.role() {
            Role::Lead => Ok(()),
            Role::Agent => Err(Error::Forbidden {
                action,
                user: self.user(),
            }),
        }
    }

    pub(crate) fn ladder_position(&self, d: &IssueDetail) -> LadderPosition {
        let ladder = self.ladder();
        let ladder = &ladder;
        let (current, chased) = rung_of(&d.events, ladder);
        let mut blocked = Vec::new();
        match current {
            None => blocked.push("Escalate to the vendor first.".to_owned()),
            Some(c) => match ladder.rungs.get(c + 1) {
                None => blocked.push("This is the top of the ladder.".to_owned()),
                Some(next) => {
                    if next.chase_first
                        && !chased
                        && !next.chase_waived_for.contains(&d.issue.urgency)
                    {
                        let unless = if next.chase_waived_for.is_empty() {
                            String::new()
                        } else {
                            let urgencies: Vec<&str> =
                                next.chase_waived_for.iter().map(|u| u.as_str()).collect();
                            format!(" (not needed for {} urgency)", urgencies.join(" or "))
                        };
                        let here = ladder.rungs.get(c).map_or("this rung", |r| r.name.as_str());
                        blocked.push(format!("Chase the ticket at \"{here}\" first{unless}."));
                    }
                    if next.lead_only && self.role() != Role::Lead {
                        blocked.push(format!(
                            "Only a team lead may go to \"{}\"; ask a lead to review.",
                            next.name
                        ));
                    }
                    if next.critical_only && !d.issue.critical {
                        blocked.push(format!(
                            "\"{}\" is for issues a lead has flagged critical.",
                            next.name
                        ));
                    }
                }
            },
        }
        LadderPosition {
            ladder: ladder.name.clone(),
            rungs: ladder.rungs.clone(),
            current: current.map(|c| c as u32),
            blocked,
            chased,
        }
    }

    /// Asks the vendor to take the issue to the next rung of the ladder, with a reason; the
    /// ladder's rules (chase first, lead only, critical only) are checked here.
    pub fn climb(&self, issue_id: &str, reason: &str) -> Result<IssueDetail> {
        let reason = validate::required("Reason", reason, TEXT_MAX)?;
        let d = self.issue(issue_id)?;
        let pos = self.ladder_position(&d);
        if let Some(first) = pos.blocked.first() {
            return Err(Error::invalid(
                "Escalation",
                format!("cannot go up yet. {first}"),
            ));
        }
        let next = pos.current.map(|c| c as usize + 1).unwrap_or(0);
        let Some(rung) = pos.rungs.get(next) else {
            return Err(Error::invalid(
                "Escalation",
                "cannot go up: this is the top of the ladder.",
            ));
        };
        if rung.lead_only {
            self.require_lead("escalate to this rung")?;
        }
        let body = format!(
            "Escalation request — {rung_name}\nReason: {reason}\nClient: {client}\nPriority on our side: {priority}\n\
             We ask for: {role}.",
            rung_name = rung.name,
            client = d.issue.client_name,
            priority = d.issue.priority,
            role = rung.role,
        );
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            let tags = vec![format!("escalation_{}", rung.id.replace('-', "_"))];
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::RungRequested {
                    rung: next as u32,
                    name: rung.name.clone(),
                    reason: reason.clone(),
                    lead_only: rung.lead_only,
                },
            )
            .sends(Operation::RequestEscalation { body, tags })
            .record(tx)?;
            Ok(())
        })?;
        tracing::info!(issue = %issue_id, rung = %rung.id, "escalation requested");
        self.issue(issue_id)
    }

    /// Chases the vendor for an update (a comment on the ticket), at the current rung.
    pub fn chase(&self, issue_id: &str, note: &str) -> Result<IssueDetail> {
        let note = validate::optional("Note", note, TEXT_MAX)?;
        let d = self.issue(issue_id)?;
        if self.ladder_position(&d).current.is_none() {
            return Err(Error::invalid(
                "Chase",
                "needs a vendor ticket: escalate the issue first.",
            ));
        }
        let body = if note.is_empty() {
            "Could you give us an update on this ticket? Our client is waiting for news.".to_owned()
        } else {
            format!("Could you give us an update on this ticket? {note}")
        };
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::Chased { note: note.clone() },
            )
            .sends(Operation::Comment { body })
            .record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// A lead flags the issue critical, with the reason; the vendor ticket goes to urgent. The
    /// desktop notification for it comes from [`Frontline::critical_notice`].
    pub fn flag_critical(&self, issue_id: &str, reason: CriticalReason) -> Result<IssueDetail> {
        self.require_lead("flag an issue critical")?;
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            let change = Change::new(
                issue_id,
                &now,
                &user,
                EventBody::FlaggedCritical {
                    reason: reason.label().to_owned(),
                    incident: None,
                },
            );
            if escalated(tx, issue_id)? {
                let urgent = Operation::SetPriority {
                    priority: "urgent".to_owned(),
                };
                change.sends(urgent).record(tx)?;
            } else {
                change.record(tx)?;
            }
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// The notification for an issue just flagged critical (shown to everyone on this desktop,
    /// and on the tray's count).
    pub fn critical_notice(&self, d: &IssueDetail) -> crate::notify::Notice {
        let reason = d
            .events
            .iter()
            .rev()
            .find_map(|e| match &e.body {
                EventBody::FlaggedCritical { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_default();
        crate::notify::Notice {
            kind: crate::notify::NoticeKind::FlaggedCritical,
            issue_id: Some(d.issue.id.clone()),
            title: format!("{} flagged critical", d.issue.key),
            body: format!("{} — {reason}", d.issue.client_name),
        }
    }

    /// A lead sets the priority directly, with a reason.
    pub fn override_priority(
        &self,
        issue_id: &str,
        priority: &str,
        reason: &str,
    ) -> Result<IssueDetail> {
        self.require_lead("override the priority")?;
        let reason = validate::required("Reason", reason, TEXT_MAX)?;
        let Some(rank) = self.matrix.priorities.iter().position(|p| p.id == priority) else {
            return Err(Error::invalid(
                "Priority",
                format!("\"{}\" is not a priority.", validate::excerpt(priority, 20)),
            ));
        };
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            let before = journal::priority_fields(tx, issue_id)?;
            let set = PriorityFields {
                priority: priority.to_owned(),
                rank: rank as i64 + 1,
                ..before.clone()
            };
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::PriorityChanged {
                    from: before.priority.clone(),
                    to: priority.to_owned(),
                    reason: format!("Set by team lead {user}: {reason}"),
                    lead_override: true,
                    set: Some(set),
                    before: Some(before),
                },
            )
            .record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// An agent asks a lead to look at the issue.
    pub fn request_review(&self, issue_id: &str, note: &str) -> Result<IssueDetail> {
        let note = validate::required("Note", note, TEXT_MAX)?;
        let now = self.now();
        let user = self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            Change::new(
                issue_id,
                &now,
                &user,
                EventBody::ReviewRequested { note: note.clone() },
            )
            .record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// The SLA clocks of an escalated issue, where they stand now.
    pub(crate) fn clocks(&self, d: &IssueDetail) -> Vec<ClockState> {
        let (hours, clocks) = self.sla_clocks(d);
        let now = self.clock.now();
        clocks.iter().map(|c| c.at(&hours, now)).collect()
    }

    /// The SLA clocks of an escalated issue (the vendor's acknowledgement and resolution, and
    /// the acknowledgement at the rung asked for last) and the hours they count.
    pub(crate) fn sla_clocks(&self, d: &IssueDetail) -> (Hours, Vec<Clock>) {
        self.sla_clocks_of(d.issue.urgency, &d.events)
    }

    /// [`Self::sla_clocks`] from an issue's urgency and timeline.
    pub(crate) fn sla_clocks_of(
        &self,
        urgency: crate::model::Urgency,
        events: &[IssueEvent],
    ) -> (Hours, Vec<Clock>) {
        let mut start = None;
        let mut ack = None;
        let mut resolved = None;
        let mut pauses: Vec<Pause> = Vec::new();
        // The latest rung asked for, when, and when the vendor answered after it.
        let mut rung: Option<(u32, DateTime<Utc>)> = None;
        let mut rung_ack = None;
        for e in events {
            let Some(at) = parse_time(&e.at) else {
                continue;
            };
            match &e.body {
                EventBody::StatusChanged { to, from, .. } => {
                    if *to == Status::Escalated && start.is_none() {
                        start = Some(at);
                    }
                    if *to == Status::WaitingOnClient {
                        pauses.push(Pause {
                            start: at,
                            end: None,
                        });
                    }
                    if *from == Status::WaitingOnClient {
                        if let Some(p) = pauses.last_mut().filter(|p| p.end.is_none()) {
                            p.end = Some(at);
                        }
                    }
                    if matches!(to, Status::Resolved | Status::Closed) && resolved.is_none() {
                        resolved = Some(at);
                    }
                }
                EventBody::RungRequested { rung: r, .. } => {
                    rung = Some((*r, at));
                    rung_ack = None;
                }
                EventBody::VendorComment {
                    from_vendor: true, ..
                } if start.is_some() => {
                    ack.get_or_insert(at);
                    if rung.is_some() {
                        rung_ack.get_or_insert(at);
                    }
                }
                EventBody::VendorUpdate { assignee, .. }
                    if start.is_some() && !assignee.is_empty() =>
                {
                    ack.get_or_insert(at);
                    if rung.is_some() {
                        rung_ack.get_or_insert(at);
                    }
                }
                _ => {}
            }
        }
        let Some(start) = start else {
            // Not escalated: no clock runs, whatever the hours.
            return (Hours::AllDay, Vec::new());
        };
        let (target, hours) = {
            let team = self.team_profile();
            (team.spec.sla.of(urgency).clone(), team.hours_for(urgency))
        };
        let ladder = self.ladder();
        let rung_clock = rung.and_then(|(r, at)| {
            let rung = ladder.rungs.get(r as usize)?;
            Some(Clock::new(
                &format!("Acknowledgement at {}", rung.name),
                &hours,
                at,
                Duration::hours(rung.ack_hours.of(urgency) as i64),
                &pauses,
                rung_ack,
            ))
        });
        let mut clocks = vec![
            Clock::new(
                "Vendor acknowledgement",
                &hours,
                start,
                Duration::hours(target.ack_hours as i64),
                &pauses,
                ack,
            ),
            Clock::new(
                "Resolution",
                &hours,
                start,
                Duration::hours(target.resolve_hours as i64),
                &pauses,
                resolved,
            ),
        ];
        clocks.extend(rung_clock);
        (hours, clocks)
    }
}

impl Frontline {
    /// Open issues from different clients, logged within the rule's window, that describe the
    /// same problem (defaults: 3 issues, 2 clients, 60 minutes). Worked out again only when
    /// something was committed or the minute moved (the desk and the timer both ask).
    pub fn suspected_outages(
        &self,
        rule: crate::outage::OutageRule,
    ) -> Result<Vec<crate::outage::SuspectedOutage>> {
        let minute = self.clock.now().timestamp().div_euclid(60);
        let mut kept = self.outages.lock().unwrap_or_else(|e| e.into_inner());
        let key = (self.db.version()?, minute, rule);
        if let Some((k, found)) = kept.as_ref() {
            if *k == key {
                return Ok(found.clone());
            }
        }
        let since = chrono::DateTime::from_timestamp(
            (minute - rule.window_minutes * 2).saturating_mul(60),
            0,
        )
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut detector = crate::outage::Detector::new(&self.synonyms);
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, number, client_id, title || ' ' || description, created_at FROM issues
                 WHERE is_open AND created_at >= ?1 ORDER BY created_at",
            )?;
            let mut rows = stmt.query([&since])?;
            while let Some(r) = rows.next()? {
                let client: String = r.get(2)?;
                let text: String = r.get(3)?;
                let created: String = r.get(4)?;
                detector.push(
                    r.get(0)?,
                    format!("FL-{}", r.get::<_, i64>(1)?),
                    &client,
                    &text,
                    parse_time(&created)
                        .map(|t| t.timestamp() / 60)
                        .unwrap_or_default(),
                );
            }
            Ok(())
        })?;
        let found = detector.finish(rule);
        *kept = Some((key, found.clone()));
        Ok(found)
    }
}

impl Frontline {
    /// Keeps `issues.sla_due_at` (the queue's "time to breach" order) in step with the clocks.
    /// Returns the issue as it reads now (the due time is not part of it).
    pub fn refresh_sla_due(&self, issue_id: &str) -> Result<IssueDetail> {
        let d = self.issue(issue_id)?;
        let due = d
            .sla
            .iter()
            .filter(|c| !c.met && !c.paused)
            .filter_map(|c| c.due_at.clone())
            .min();
        self.db.write(|tx| {
            tx.execute(
                "UPDATE issues SET sla_due_at = ?2 WHERE id = ?1 AND sla_due_at IS NOT ?2",
                params![issue_id, due],
            )?;
            Ok(())
        })?;
        Ok(d)
    }

    /// SLA clocks that passed 75 % or their target since they were last announced, each once.
    pub fn sla_alerts(&self) -> Result<Vec<crate::notify::Notice>> {
        let ids: Vec<String> = self.db.read(|conn| {
            let mut stmt = conn.prepare("SELECT id FROM issues WHERE status = 'escalated'")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })?;
        self.db.write(|tx| {
            tx.execute("UPDATE issues SET sla_due_at = NULL WHERE sla_due_at IS NOT NULL AND status != 'escalated'", [])?;
            Ok(())
        })?;
        let mut out = Vec::new();
        for id in ids {
            let d = self.refresh_sla_due(&id)?;
            for clock in d.sla.iter().filter(|c| !c.met && !c.paused) {
                let (level, kind) = if clock.breached {
                    (100, crate::notify::NoticeKind::SlaBreached)
                } else if clock.percent >= 75 {
                    (75, crate::notify::NoticeKind::SlaWarning)
                } else {
                    continue;
                };
                let key = format!("sla-alert:{id}:{}:{level}", clock.name);
                if self.sync_fact(&key)?.is_some() {
                    continue;
                }
                self.set_sync_fact(&key, &self.now())?;
                out.push(crate::notify::Notice {
                    kind,
                    issue_id: Some(id.clone()),
                    title: if clock.breached {
                        format!("{} · {} SLA breached", d.issue.key, clock.name)
                    } else {
                        format!("{} · {} SLA at {}%", d.issue.key, clock.name, clock.percent)
                    },
                    body: format!("{} — {}", d.issue.client_name, d.issue.title),
                });
            }
        }
        Ok(out)
    }

    /// Suspected outages not announced yet (team leads only: they decide).
    pub fn outage_alerts(&self) -> Result<Vec<crate::notify::Notice>> {
        if self.role() != Role::Lead {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let rule = self.team_profile().spec.outage.rule();
        for group in self.suspected_outages(rule)? {
            let key = format!("outage-alert:{}", group.issue_ids.join(","));
            if self.sync_fact(&key)?.is_some() {
                continue;
            }
            self.set_sync_fact(&key, &self.now())?;
            out.push(crate::notify::Notice {
                kind: crate::notify::NoticeKind::OutageSuspected,
                issue_id: group.issue_ids.first().cloned(),
                title: format!(
                    "Possible outage: {} clients, {} issues",
                    group.clients,
                    group.issue_ids.len()
                ),
                body: format!(
                    "{} — {}",
                    group.keys.join(", "),
                    group.shared_words.join(" ")
                ),
            });
        }
        Ok(out)
    }
}

impl Frontline {
    /// A lead links issues that are one problem at the vendor (an outage) into one incident and
    /// flags each critical. They share the vendor ticket of the first escalated one (else the
    /// first), and every linked issue gets the vendor's updates.
    pub fn link_incident(&self, issue_ids: &[String], title: &str) -> Result<String> {
        self.require_lead("link issues into an incident")?;
        let title = validate::required("Incident title", title, validate::TITLE_MAX)?;
        if issue_ids.len() < 2 {
            return Err(Error::invalid("Incident", "needs at least two issues."));
        }
        let now = self.now();
        let user = self.user();
        let incident = uuid::Uuid::now_v7().to_string();
        self.db.write(|tx| {
            let mut lead = None;
            for id in issue_ids {
                current_status(tx, id)?;
                if lead.is_none() && escalated(tx, id)? {
                    lead = Some(id.clone());
                }
            }
            let lead = lead.unwrap_or_else(|| issue_ids[0].clone());
            let lead_key: i64 = tx.query_row("SELECT number FROM issues WHERE id = ?1", [&lead], |r| r.get(0))?;
            let lead_escalated = escalated(tx, &lead)?;
            // The lead issue first: the incident is kept from the first link event.
            let ordered = std::iter::once(&lead).chain(issue_ids.iter().filter(|id| **id != lead));
            for id in ordered {
                let mut change = Change::new(
                    id,
                    &now,
                    &user,
                    EventBody::FlaggedCritical {
                        reason: format!(
                            "{}; linked into the incident \"{title}\" (vendor ticket of FL-{lead_key})",
                            CriticalReason::MajorOutage.label()
                        ),
                        incident: Some(IncidentLink {
                            id: incident.clone(),
                            title: title.clone(),
                            lead_issue_id: lead.clone(),
                        }),
                    },
                );
                if *id == lead && lead_escalated {
                    let body = format!(
                        "This is now an incident affecting {} of our clients: {title}. Please treat it as urgent.",
                        issue_ids.len()
                    );
                    change = change
                        .sends(Operation::Comment { body })
                        .sends(Operation::SetPriority { priority: "urgent".to_owned() });
                }
                change.record(tx)?;
            }
            Ok(())
        })?;
        tracing::info!(incident = %incident, issues = issue_ids.len(), "incident linked");
        Ok(incident)
    }
}

/// Writes a file through a temporary copy beside it, so a crash leaves the old or the new one.
fn write_atomically(path: &std::path::Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|source| Error::File {
        action: "write",
        path: tmp.clone(),
        source,
    })?;
    std::fs::rename(&tmp, path).map_err(|source| Error::File {
        action: "write",
        path: path.to_owned(),
        source,
    })
}
