//! What a lead looks at: first-contact resolution, escalations, the vendor's SLA compliance,
//! response and resolution times, the open backlog — for a period, week by week, and split by
//! client, category and agent.
//!
//! Each issue is folded once into its facts (when it was logged, escalated and resolved, the
//! rung it reached, its SLA clocks), read with SQL from the cache and its timeline. The facts
//! are kept between reports: the timeline is append-only, so a report folds again only the
//! issues with events newer than the last it folded (and every issue when the team profile —
//! calendar, SLA targets — changed). A report is then arithmetic over the kept facts.
//!
//! Periods are local dates in the team's time zone; weeks start on the first working day the
//! team file lists (`working_days[0]`).
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::escalation::{parse_time, rung_of};
use crate::frontline::Frontline;
use crate::model::{EventBody, IssueEvent, Urgency};
use crate::sla::Clock;
use crate::status::Status;

/// The period a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    /// From the start of this week to today.
    ThisWeek,
    /// This week and the three before it.
    LastFourWeeks,
    /// From the first day of this quarter to today.
    ThisQuarter,
    /// From one local date to another, both included ("2026-03-02").
    Custom {
        /// First day.
        from: String,
        /// Last day.
        to: String,
    },
}

/// Whose work a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportScope {
    /// Every issue on this desktop (no team hub).
    Desktop,
    /// The whole team's issues (a lead, with the team hub).
    Team,
    /// The issues the person signed in logged (an agent, with the team hub).
    Mine,
}

/// Counts and rates for one slice of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Figures {
    /// Issues logged in the period.
    #[ts(type = "number")]
    pub logged: i64,
    /// Issues whose last resolution falls in the period (and that are still resolved or closed).
    #[ts(type = "number")]
    pub resolved: i64,
    /// Of those, resolved without ever being escalated.
    #[ts(type = "number")]
    pub first_line: i64,
    /// `first_line / resolved`; `None` when nothing was resolved.
    pub first_contact_rate: Option<f64>,
    /// Of the issues logged in the period, how many have been escalated.
    #[ts(type = "number")]
    pub logged_escalated: i64,
    /// `logged_escalated / logged`; `None` when nothing was logged.
    pub escalation_rate: Option<f64>,
    /// Issues escalated (for the first time) in the period.
    #[ts(type = "number")]
    pub escalated: i64,
    /// Resolved issues that had been reopened on the way.
    #[ts(type = "number")]
    pub reopened: i64,
    /// SLA targets (acknowledgement and resolution) of the period's escalations that were met.
    #[ts(type = "number")]
    pub sla_met: i64,
    /// Those targets that are due (met, or past their due time).
    #[ts(type = "number")]
    pub sla_due: i64,
    /// `sla_met / sla_due`; `None` when nothing was due.
    pub sla_rate: Option<f64>,
}

/// One week of a period (clipped to the period at either end).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct WeekFigures {
    /// The week's first day in the period, local ("2026-03-02").
    pub start: String,
    /// Its last day in the period.
    pub end: String,
    /// Its figures.
    pub figures: Figures,
}

/// One client, category or agent.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GroupFigures {
    /// What the slice is filtered by (client id, category id, user name).
    pub key: String,
    /// What people read.
    pub label: String,
    /// Its figures.
    pub figures: Figures,
}

/// A count with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Count {
    /// What a click filters by (a rung's index, an age band's id).
    pub key: String,
    /// What people read.
    pub label: String,
    /// How many.
    #[ts(type = "number")]
    pub count: i64,
}

/// Met against due, for one kind of SLA target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Compliance {
    /// Met in time.
    #[ts(type = "number")]
    pub met: i64,
    /// Due (met, or past due).
    #[ts(type = "number")]
    pub due: i64,
    /// `met / due`; `None` when nothing was due.
    pub rate: Option<f64>,
}

/// The vendor's SLA for one urgency.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SlaLine {
    /// The urgency.
    pub urgency: Urgency,
    /// The acknowledgement target.
    pub acknowledgement: Compliance,
    /// The resolution target.
    pub resolution: Compliance,
}

/// A target the vendor broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Breach {
    /// The issue.
    pub issue_id: String,
    /// FL-1234.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its client.
    pub client_name: String,
    /// Its urgency.
    pub urgency: Urgency,
    /// "Vendor acknowledgement" or "Resolution".
    pub clock: String,
    /// When it fell due, which is when it broke (RFC 3339).
    pub due_at: String,
    /// When the vendor did it after all, if it has.
    pub met_at: Option<String>,
}

/// How long something took: median and 90th percentile, in minutes of wall-clock time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Spread {
    /// How many were measured.
    #[ts(type = "number")]
    pub count: i64,
    /// Half took at most this long.
    #[ts(type = "number | null")]
    pub median_minutes: Option<i64>,
    /// Nine in ten took at most this long.
    #[ts(type = "number | null")]
    pub p90_minutes: Option<i64>,
}

/// Every report for one period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Report {
    /// The period asked for.
    pub period: Period,
    /// Its first day, local.
    pub from: String,
    /// Its last day, local.
    pub to: String,
    /// The team's time zone the days are in.
    pub time_zone: String,
    /// The day weeks start on ("Monday").
    pub week_starts: String,
    /// Whose work it counts.
    pub scope: ReportScope,
    /// Nothing was logged, resolved or escalated in the period.
    pub empty: bool,
    /// The whole period.
    pub total: Figures,
    /// Week by week.
    pub weeks: Vec<WeekFigures>,
    /// Per client, most issues first.
    pub by_client: Vec<GroupFigures>,
    /// Per category.
    pub by_category: Vec<GroupFigures>,
    /// Per agent (who logged the issue); empty outside team mode.
    pub by_agent: Vec<GroupFigures>,
    /// The period's escalations by the highest rung of the ladder they reached.
    pub by_rung: Vec<Count>,
    /// The vendor's SLA, per urgency (most urgent first).
    pub sla: Vec<SlaLine>,
    /// The targets broken, earliest first (the first [`BREACHES_SHOWN`] on the page; all in
    /// an export).
    pub breaches: Vec<Breach>,
    /// How many targets were broken in all.
    #[ts(type = "number")]
    pub breaches_total: i64,
    /// From escalation to the vendor's first response (reply or owner), for the period's
    /// escalations that had one.
    pub first_response: Spread,
    /// From logging to the last resolution, for the period's resolved issues.
    pub resolution_time: Spread,
    /// Issues open now, by how long ago they were logged.
    pub backlog: Vec<Count>,
}

/// What the issues behind a figure are: the queue filtered by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Logged in the period.
    Logged,
    /// Resolved in the period.
    Resolved,
    /// Resolved at the first line in the period.
    FirstLine,
    /// Escalated in the period.
    Escalated,
    /// Escalated in the period with an SLA target broken.
    Breached,
    /// Open now (the backlog).
    Open,
}

/// One figure of a report, to list the issues behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportSlice {
    /// The report's period.
    pub period: Period,
    /// Which figure.
    pub measure: Measure,
    /// Only this week (its first day, as the report names it).
    #[serde(default)]
    pub week: Option<String>,
    /// Only this client.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Only this category.
    #[serde(default)]
    pub category: Option<String>,
    /// Only issues this person logged.
    #[serde(default)]
    pub agent: Option<String>,
    /// Only escalations that reached this rung (its index).
    #[serde(default)]
    pub rung: Option<u32>,
    /// Only this urgency.
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// Only the open issues of this age band (a backlog key).
    #[serde(default)]
    pub age: Option<String>,
}

/// An SLA clock's outcome, as far as it does not depend on the time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    due: Option<DateTime<Utc>>,
    met: Option<DateTime<Utc>>,
}

impl Target {
    fn of(c: &Clock) -> Target {
        Target {
            due: c.due_at.as_deref().and_then(parse_time),
            met: c.met_at,
        }
    }

    /// Counted as due at `now`: met, or past its due time.
    fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.met.is_some() || self.due.is_some_and(|d| d <= now)
    }

    fn met_in_time(&self) -> bool {
        match (self.met, self.due) {
            (Some(m), Some(d)) => m <= d,
            // Met while a pause lasted: the clock had not run out.
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// One issue, folded from its row and its timeline.
#[derive(Debug, Clone)]
struct Facts {
    number: i64,
    title: String,
    client_id: String,
    category: String,
    agent: String,
    urgency: Urgency,
    status: Status,
    logged: DateTime<Utc>,
    escalated: Option<DateTime<Utc>>,
    /// The last resolution, if the issue is resolved or closed now.
    resolved: Option<DateTime<Utc>>,
    reopened: bool,
    rung: Option<usize>,
    first_response: Option<DateTime<Utc>>,
    acknowledgement: Option<Target>,
    resolution: Option<Target>,
}

/// The facts folded so far: through which timeline event, with which team profile.
#[derive(Default)]
pub(crate) struct ReportCache {
    state: Mutex<Folded>,
}

#[derive(Default)]
struct Folded {
    through: i64,
    generation: u64,
    /// Where each issue's facts are.
    index: HashMap<String, usize>,
    facts: Vec<(String, Facts)>,
    /// The moments every report looks at first, side by side in a small array (a report
    /// reads them for every issue, and the full facts only for the issues in its period).
    brief: Vec<Brief>,
}

/// An issue's moments in seconds since 1970 (`NONE` when it has none) and whether it is open.
#[derive(Debug, Clone, Copy)]
struct Brief {
    logged: i64,
    resolved: i64,
    escalated: i64,
    open: bool,
}

const NONE: i64 = i64::MIN;

impl Brief {
    fn of(f: &Facts) -> Brief {
        Brief {
            logged: f.logged.timestamp(),
            resolved: f.resolved.map_or(NONE, |t| t.timestamp()),
            escalated: f.escalated.map_or(NONE, |t| t.timestamp()),
            open: crate::status::OPEN.contains(&f.status),
        }
    }

    /// Whether any of its moments falls in `[start, end)` (seconds).
    fn touches(&self, (start, end): (i64, i64)) -> bool {
        [self.logged, self.resolved, self.escalated]
            .iter()
            .any(|t| (start..end).contains(t))
    }
}

impl Folded {
    fn put(&mut self, id: String, facts: Facts) {
        let brief = Brief::of(&facts);
        match self.index.get(&id) {
            Some(&i) => {
                self.facts[i].1 = facts;
                self.brief[i] = brief;
            }
            None => {
                self.index.insert(id.clone(), self.facts.len());
                self.facts.push((id, facts));
                self.brief.push(brief);
            }
        }
    }

    fn clear(&mut self) {
        self.index.clear();
        self.facts.clear();
        self.brief.clear();
    }
}

/// How many breaches the page lists (the queue, filtered, shows them all).
pub const BREACHES_SHOWN: usize = 200;

/// Age bands of the open backlog: id, label, from (days, inclusive), to (exclusive).
const AGE_BANDS: [(&str, &str, i64, i64); 5] = [
    ("day", "Under a day", 0, 1),
    ("week", "1–7 days", 1, 7),
    ("month", "1–4 weeks", 7, 28),
    ("quarter", "1–3 months", 28, 91),
    ("older", "Over 3 months", 91, i64::MAX),
];

/// The longest custom period (a report over years is a different tool).
const LONGEST_PERIOD_DAYS: i64 = 3 * 366;

/// Days as instants: a period's local dates turned into [start, end) in UTC.
struct Span {
    from: NaiveDate,
    to: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    weeks: Vec<(NaiveDate, NaiveDate, DateTime<Utc>, DateTime<Utc>)>,
}

impl Span {
    fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// The week `t` falls in (weeks are in order and touch).
    fn week_of(&self, t: DateTime<Utc>) -> Option<usize> {
        let i = self.weeks.partition_point(|w| w.3 <= t);
        self.weeks.get(i).filter(|w| w.2 <= t).map(|_| i)
    }
}

fn midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    crate::sla::instant(zone, date.and_time(chrono::NaiveTime::MIN))
}

fn week_start(date: NaiveDate, first: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - first.num_days_from_monday()) % 7;
    date - Duration::days(i64::from(back))
}

fn parse_day(field: &'static str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            format!(
                "\"{}\" is not a date like 2026-03-02.",
                crate::validate::excerpt(value, 20)
            ),
        )
    })
}

impl Period {
    /// The period's first and last local day, on `today` in a team whose weeks start on `first`.
    fn days(&self, today: NaiveDate, first: Weekday) -> Result<(NaiveDate, NaiveDate)> {
        Ok(match self {
            Period::ThisWeek => (week_start(today, first), today),
            Period::LastFourWeeks => (week_start(today, first) - Duration::weeks(3), today),
            Period::ThisQuarter => {
                let month = (today.month0() / 3) * 3 + 1;
                let start = NaiveDate::from_ymd_opt(today.year(), month, 1).unwrap_or(today);
                (start, today)
            }
            Period::Custom { from, to } => {
                let (from, to) = (parse_day("From", from)?, parse_day("To", to)?);
                if to < from {
                    return Err(Error::invalid(
                        "To",
                        "The last day comes before the first; swap them.".to_owned(),
                    ));
                }
                if (to - from).num_days() > LONGEST_PERIOD_DAYS {
                    return Err(Error::invalid(
                        "To",
                        "A report covers at most three years; choose a shorter period.".to_owned(),
                    ));
                }
                (from, to)
            }
        })
    }
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The value at `q` (0..=1) of sorted minutes, nearest rank.
fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

fn spread(mut minutes: Vec<i64>) -> Spread {
    minutes.sort_unstable();
    Spread {
        count: minutes.len() as i64,
        median_minutes: quantile(&minutes, 0.5),
        p90_minutes: quantile(&minutes, 0.9),
    }
}

/// Which of an issue's moments fall in a span: logged, resolved, escalated.
#[derive(Debug, Clone, Copy, Default)]
struct Part {
    logged: bool,
    resolved: bool,
    escalated: bool,
}

impl Part {
    fn of(facts: &Facts, span: &Span) -> Part {
        Part {
            logged: span.contains(facts.logged),
            resolved: facts.resolved.is_some_and(|t| span.contains(t)),
            escalated: facts.escalated.is_some_and(|t| span.contains(t)),
        }
    }

    fn any(self) -> bool {
        self.logged || self.resolved || self.escalated
    }
}

/// Adds one issue's part in a span to its figures.
fn add(f: &mut Figures, facts: &Facts, part: Part, now: DateTime<Utc>) {
    if part.logged {
        f.logged += 1;
        f.logged_escalated += i64::from(facts.escalated.is_some());
    }
    if part.resolved {
        f.resolved += 1;
        f.first_line += i64::from(facts.escalated.is_none());
        f.reopened += i64::from(facts.reopened);
    }
    if part.escalated {
        f.escalated += 1;
        for target in [&facts.acknowledgement, &facts.resolution]
            .into_iter()
            .flatten()
        {
            if target.is_due(now) {
                f.sla_due += 1;
                f.sla_met += i64::from(target.met_in_time());
            }
        }
    }
}

fn finish(mut f: Figures) -> Figures {
    f.first_contact_rate = rate(f.first_line, f.resolved);
    f.escalation_rate = rate(f.logged_escalated, f.logged);
    f.sla_rate = rate(f.sla_met, f.sla_due);
    f
}

fn age_band(facts: &Facts, now: DateTime<Utc>) -> Option<&'static str> {
    if !crate::status::OPEN.contains(&facts.status) {
        return None;
    }
    let days = (now - facts.logged).num_days().max(0);
    AGE_BANDS
        .iter()
        .find(|(_, _, from, to)| (*from..*to).contains(&days))
        .map(|(id, ..)| *id)
}

fn broken(target: &Target, now: DateTime<Utc>) -> bool {
    target.is_due(now) && !target.met_in_time()
}

impl Frontline {
    /// Every report for a period, with the earliest [`BREACHES_SHOWN`] breaches listed.
    pub fn report(&self, period: &Period) -> Result<Report> {
        self.report_listing(period, BREACHES_SHOWN)
    }

    /// Every report for a period, with every breach listed (for an export).
    pub fn report_in_full(&self, period: &Period) -> Result<Report> {
        self.report_listing(period, usize::MAX)
    }

    fn report_listing(&self, period: &Period, breaches_listed: usize) -> Result<Report> {
        let now = self.clock.now();
        let (span, zone, first) = self.span(period, now)?;
        let scope = self.report_scope()?;
        let user = self.user();
        let ladder = self.ladder();
        let labels = self.report_labels()?;
        let folded = self.fold_facts()?;
        let seconds = (span.start.timestamp(), span.end.timestamp());

        let mut total = Figures::default();
        let mut weeks = vec![Figures::default(); span.weeks.len()];
        let mut clients: HashMap<&str, Figures> = HashMap::new();
        let mut categories: HashMap<&str, Figures> = HashMap::new();
        let mut agents: HashMap<&str, Figures> = HashMap::new();
        let mut rungs: BTreeMap<usize, i64> = BTreeMap::new();
        let mut sla: BTreeMap<Urgency, (Compliance, Compliance)> = BTreeMap::new();
        let mut breaches = Vec::new();
        let mut first_response = Vec::new();
        let mut resolution_time = Vec::new();
        let mut backlog: HashMap<&str, i64> = HashMap::new();

        for (i, brief) in folded.brief.iter().enumerate() {
            let touches = brief.touches(seconds);
            if !touches && !brief.open {
                continue;
            }
            let (id, f) = &folded.facts[i];
            if scope == ReportScope::Mine && f.agent != user {
                continue;
            }
            if let Some(band) = age_band(f, now) {
                *backlog.entry(band).or_default() += 1;
            }
            if !touches {
                continue;
            }
            let part = Part::of(f, &span);
            if !part.any() {
                continue;
            }
            add(&mut total, f, part, now);
            // An issue may count in several weeks: logged in one, resolved in another.
            let only = |logged, resolved, escalated| Part {
                logged,
                resolved,
                escalated,
            };
            if let Some(w) = Some(f.logged)
                .filter(|_| part.logged)
                .and_then(|t| span.week_of(t))
            {
                add(&mut weeks[w], f, only(true, false, false), now);
            }
            if let Some(w) = f
                .resolved
                .filter(|_| part.resolved)
                .and_then(|t| span.week_of(t))
            {
                add(&mut weeks[w], f, only(false, true, false), now);
            }
            if let Some(w) = f
                .escalated
                .filter(|_| part.escalated)
                .and_then(|t| span.week_of(t))
            {
                add(&mut weeks[w], f, only(false, false, true), now);
            }
            add(clients.entry(&f.client_id).or_default(), f, part, now);
            add(categories.entry(&f.category).or_default(), f, part, now);
            if scope == ReportScope::Team {
                add(agents.entry(&f.agent).or_default(), f, part, now);
            }
            if let Some(t) = f.resolved.filter(|t| span.contains(*t)) {
                resolution_time.push((t - f.logged).num_minutes());
            }
            let Some(escalated) = f.escalated.filter(|t| span.contains(*t)) else {
                continue;
            };
            *rungs.entry(f.rung.unwrap_or(0)).or_default() += 1;
            if let Some(t) = f.first_response {
                first_response.push((t - escalated).num_minutes());
            }
            let line = sla.entry(f.urgency).or_default();
            for (target, compliance, name) in [
                (&f.acknowledgement, &mut line.0, "Vendor acknowledgement"),
                (&f.resolution, &mut line.1, "Resolution"),
            ] {
                let Some(target) = target else { continue };
                if target.is_due(now) {
                    compliance.due += 1;
                    compliance.met += i64::from(target.met_in_time());
                }
                if broken(target, now) {
                    if let Some(due) = target.due {
                        breaches.push((due, id.as_str(), name, f.urgency, target.met));
                    }
                }
            }
        }

        let group = |map: HashMap<&str, Figures>, label: &dyn Fn(&str) -> String| {
            let mut groups: Vec<GroupFigures> = map
                .into_iter()
                .map(|(key, figures)| GroupFigures {
                    key: key.to_owned(),
                    label: label(key),
                    figures: finish(figures),
                })
                .collect();
            groups.sort_by(|a, b| {
                (b.figures.logged + b.figures.resolved)
                    .cmp(&(a.figures.logged + a.figures.resolved))
                    .then_with(|| a.label.cmp(&b.label))
            });
            groups
        };
        let empty = total.logged == 0 && total.resolved == 0 && total.escalated == 0;
        breaches.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let breaches_total = breaches.len() as i64;
        breaches.truncate(breaches_listed);
        let breaches = Self::breach_rows(&folded, &labels, breaches);
        Ok(Report {
            period: period.clone(),
            from: span.from.to_string(),
            to: span.to.to_string(),
            time_zone: zone.name().to_owned(),
            week_starts: weekday_name(first).to_owned(),
            scope,
            empty,
            total: finish(total),
            weeks: span
                .weeks
                .iter()
                .zip(weeks)
                .map(|(w, figures)| WeekFigures {
                    start: w.0.to_string(),
                    end: w.1.to_string(),
                    figures: finish(figures),
                })
                .collect(),
            by_client: group(clients, &|k| {
                labels
                    .clients
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| k.to_owned())
            }),
            by_category: group(categories, &|k| {
                labels
                    .categories
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| k.to_owned())
            }),
            by_agent: group(agents, &|k| k.to_owned()),
            by_rung: rungs
                .into_iter()
                .map(|(r, count)| Count {
                    key: r.to_string(),
                    label: ladder
                        .rungs
                        .get(r)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| format!("Rung {}", r + 1)),
                    count,
                })
                .collect(),
            sla: Urgency::ALL
                .iter()
                .rev()
                .map(|u| {
                    let (a, r) = sla.remove(u).unwrap_or_default();
                    let done = |c: Compliance| Compliance {
                        rate: rate(c.met, c.due),
                        ..c
                    };
                    SlaLine {
                        urgency: *u,
                        acknowledgement: done(a),
                        resolution: done(r),
                    }
                })
                .collect(),
            breaches,
            breaches_total,
            first_response: spread(first_response),
            resolution_time: spread(resolution_time),
            backlog: AGE_BANDS
                .iter()
                .map(|(id, label, ..)| Count {
                    key: (*id).to_owned(),
                    label: (*label).to_owned(),
                    count: backlog.get(id).copied().unwrap_or(0),
                })
                .collect(),
        })
    }

    /// The issues behind one figure of a report, oldest first.
    pub fn report_issues(&self, slice: &ReportSlice) -> Result<Vec<String>> {
        let now = self.clock.now();
        let (mut span, ..) = self.span(&slice.period, now)?;
        if let Some(week) = &slice.week {
            let start = parse_day("Week", week)?;
            let Some(w) = span.weeks.iter().find(|w| w.0 == start).copied() else {
                return Err(Error::invalid(
                    "Week",
                    format!("The week of {week} is not in this report's period."),
                ));
            };
            span = Span {
                from: w.0,
                to: w.1,
                start: w.2,
                end: w.3,
                weeks: Vec::new(),
            };
        }
        let scope = self.report_scope()?;
        let user = self.user();
        let folded = self.fold_facts()?;
        let mut ids: Vec<(DateTime<Utc>, &String)> = folded
            .facts
            .iter()
            .filter(|(_, f)| scope != ReportScope::Mine || f.agent == user)
            .filter(|(_, f)| slice.client_id.as_ref().is_none_or(|c| *c == f.client_id))
            .filter(|(_, f)| slice.category.as_ref().is_none_or(|c| *c == f.category))
            .filter(|(_, f)| slice.agent.as_ref().is_none_or(|a| *a == f.agent))
            .filter(|(_, f)| slice.urgency.is_none_or(|u| u == f.urgency))
            .filter(|(_, f)| {
                slice
                    .rung
                    .is_none_or(|r| f.escalated.is_some() && f.rung.unwrap_or(0) == r as usize)
            })
            .filter(|(_, f)| match slice.measure {
                Measure::Logged => Part::of(f, &span).logged,
                Measure::Resolved => Part::of(f, &span).resolved,
                Measure::FirstLine => f.escalated.is_none() && Part::of(f, &span).resolved,
                Measure::Escalated => Part::of(f, &span).escalated,
                Measure::Breached => {
                    Part::of(f, &span).escalated
                        && [&f.acknowledgement, &f.resolution]
                            .into_iter()
                            .flatten()
                            .any(|t| broken(t, now))
                }
                Measure::Open => age_band(f, now)
                    .is_some_and(|band| slice.age.as_deref().is_none_or(|a| a == band)),
            })
            .map(|(id, f)| (f.logged, id))
            .collect();
        ids.sort();
        Ok(ids.into_iter().map(|(_, id)| id.clone()).collect())
    }

    fn span(&self, period: &Period, now: DateTime<Utc>) -> Result<(Span, Tz, Weekday)> {
        let (zone, first) = {
            let team = self.team_profile();
            let calendar = &team.spec.calendar;
            // The zone as the team file was read (checked then).
            let zone = match &team.business {
                crate::sla::Hours::Business(c) => c.zone,
                crate::sla::Hours::AllDay => chrono_tz::UTC,
            };
            let first = calendar
                .working_days
                .first()
                .and_then(|d| crate::sla::weekday(d))
                .unwrap_or(Weekday::Mon);
            (zone, first)
        };
        let today = now.with_timezone(&zone).date_naive();
        let (from, to) = period.days(today, first)?;
        let mut weeks = Vec::new();
        let mut start = from;
        while start <= to {
            let next = week_start(start, first) + Duration::weeks(1);
            let end = (next - Duration::days(1)).min(to);
            weeks.push((
                start,
                end,
                midnight(zone, start),
                midnight(zone, next.min(to + Duration::days(1))),
            ));
            start = next;
        }
        Ok((
            Span {
                from,
                to,
                start: midnight(zone, from),
                end: midnight(zone, to + Duration::days(1)),
                weeks,
            },
            zone,
            first,
        ))
    }

    fn report_scope(&self) -> Result<ReportScope> {
        Ok(match (self.hub_settings()?.is_some(), self.role()) {
            (false, _) => ReportScope::Desktop,
            (true, crate::ladder::Role::Lead) => ReportScope::Team,
            (true, crate::ladder::Role::Agent) => ReportScope::Mine,
        })
    }

    fn report_labels(&self) -> Result<Labels> {
        let clients = self.db.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT id, name FROM clients")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<HashMap<String, String>>>()?;
            Ok(rows)
        })?;
        let categories = self
            .categories
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect();
        Ok(Labels {
            clients,
            categories,
        })
    }

    fn breach_rows(
        folded: &Folded,
        labels: &Labels,
        breaches: Vec<BrokenTarget<'_>>,
    ) -> Vec<Breach> {
        let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        breaches
            .into_iter()
            .filter_map(|(due, id, clock, urgency, met)| {
                let f = &folded.facts[*folded.index.get(id)?].1;
                Some(Breach {
                    key: crate::queries::key(f.number),
                    title: f.title.clone(),
                    client_name: labels
                        .clients
                        .get(&f.client_id)
                        .cloned()
                        .unwrap_or_default(),
                    issue_id: id.to_owned(),
                    urgency,
                    clock: clock.to_owned(),
                    due_at: stamp(due),
                    met_at: met.map(stamp),
                })
            })
            .collect()
    }

    /// Folds the issues with timeline events newer than the last fold (every issue when the
    /// team profile changed) and returns the facts.
    fn fold_facts(&self) -> Result<std::sync::MutexGuard<'_, Folded>> {
        let mut folded = self.reports.state.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.desk.generation();
        let everything = folded.generation != generation;
        let since = if everything { 0 } else { folded.through };
        let (through, rows) = self.db.read(|conn| {
            let through: i64 =
                conn.query_row("SELECT coalesce(max(id), 0) FROM issue_events", [], |r| {
                    r.get(0)
                })?;
            if through == since {
                return Ok((through, Vec::new()));
            }
            const COLUMNS: &str = "i.id, i.number, i.title, i.client_id, i.category, i.created_by, i.urgency, i.status, i.created_at";
            let mut events = conn.prepare_cached(
                "SELECT id, at, actor, data FROM issue_events WHERE issue_id = ?1 AND id <= ?2 ORDER BY id",
            )?;
            let mut rows = Vec::new();
            // Every issue at the first fold; after it, those with new events, looked up one by one.
            let found = if since == 0 {
                conn.prepare(&format!("SELECT {COLUMNS} FROM issues i"))?
                    .query_map([], |r| IssueRow::try_from(r))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            } else {
                let touched = conn
                    .prepare_cached("SELECT DISTINCT issue_id FROM issue_events WHERE id > ?1 AND id <= ?2")?
                    .query_map([since, through], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let mut one = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM issues i WHERE i.id = ?1"))?;
                touched
                    .iter()
                    .map(|id| one.query_row([id], |r| IssueRow::try_from(r)))
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            for row in found {
                let timeline = events
                    .query_map(rusqlite::params![row.0, through], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?))
                    })?
                    .collect::<rusqlite::Result<Vec<(i64, String, String, String)>>>()?;
                let mut list = Vec::with_capacity(timeline.len());
                for (id, at, actor, data) in timeline {
                    let body: EventBody = serde_json::from_str(&data)
                        .map_err(|e| Error::Decode(format!("timeline event {id}: {e}")))?;
                    list.push(IssueEvent {
                        id,
                        at,
                        actor,
                        body,
                        superseded_by: None,
                        hub_refusal: None,
                    });
                }
                rows.push((row, list));
            }
            Ok((through, rows))
        })?;
        if everything {
            folded.clear();
        }
        let ladder = self.ladder();
        for (
            (id, number, title, client_id, category, agent, urgency, status, created_at),
            events,
        ) in rows
        {
            let urgency = Urgency::parse(&urgency)?;
            let status = Status::parse(&status)?;
            let Some(logged) = parse_time(&created_at) else {
                continue;
            };
            let facts = self.facts_of(
                Facts {
                    number,
                    title,
                    client_id,
                    category,
                    agent,
                    urgency,
                    status,
                    logged,
                    escalated: None,
                    resolved: None,
                    reopened: false,
                    rung: None,
                    first_response: None,
                    acknowledgement: None,
                    resolution: None,
                },
                &events,
                &ladder,
            );
            folded.put(id, facts);
        }
        folded.through = through;
        folded.generation = generation;
        Ok(folded)
    }

    fn facts_of(
        &self,
        mut f: Facts,
        events: &[IssueEvent],
        ladder: &crate::ladder::Ladder,
    ) -> Facts {
        let mut last_resolved = None;
        for e in events {
            let Some(at) = parse_time(&e.at) else {
                continue;
            };
            if let EventBody::StatusChanged { from, to, .. } = &e.body {
                if *to == Status::Escalated && f.escalated.is_none() {
                    f.escalated = Some(at);
                }
                if *to == Status::Resolved {
                    last_resolved = Some(at);
                }
                if *from == Status::Resolved && *to != Status::Closed {
                    f.reopened = true;
                }
            }
        }
        if matches!(f.status, Status::Resolved | Status::Closed) {
            f.resolved = last_resolved;
        }
        if f.escalated.is_some() {
            f.rung = rung_of(events, ladder).0;
            let (_, clocks) = self.sla_clocks_of(f.urgency, events);
            f.first_response = clocks.first().and_then(|c| c.met_at);
            f.acknowledgement = clocks.first().map(Target::of);
            f.resolution = clocks.get(1).map(Target::of);
        }
        f
    }
}

/// A broken target before its issue's row is read: due, issue id, clock name, urgency, met.
type BrokenTarget<'a> = (
    DateTime<Utc>,
    &'a str,
    &'a str,
    Urgency,
    Option<DateTime<Utc>>,
);

/// id, number, title, client, category, who logged it, urgency, status, when.
type IssueRow = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

struct Labels {
    clients: HashMap<String, String>,
    categories: HashMap<String, String>,
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// A rate as the CSV writes it: a fraction with four decimals, empty when there is none.
fn csv_rate(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.4}")).unwrap_or_default()
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

impl Report {
    /// Every figure as one CSV table: a row per week, client, category and agent, then the SLA
    /// per urgency and the breaches.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "section,slice,logged,escalated_of_logged,escalation_rate,resolved,first_line,first_contact_rate,escalated,reopened,sla_met,sla_due,sla_rate\n",
        );
        let mut line = |section: &str, slice: &str, f: &Figures| {
            out.push_str(&format!(
                "{section},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                csv_field(slice),
                f.logged,
                f.logged_escalated,
                csv_rate(f.escalation_rate),
                f.resolved,
                f.first_line,
                csv_rate(f.first_contact_rate),
                f.escalated,
                f.reopened,
                f.sla_met,
                f.sla_due,
                csv_rate(f.sla_rate),
            ));
        };
        line(
            "period",
            &format!("{} to {}", self.from, self.to),
            &self.total,
        );
        for w in &self.weeks {
            line("week", &w.start, &w.figures);
        }
        for (section, groups) in [
            ("client", &self.by_client),
            ("category", &self.by_category),
            ("agent", &self.by_agent),
        ] {
            for g in groups {
                line(section, &g.label, &g.figures);
            }
        }
        out.push_str("\nurgency,acknowledgement_met,acknowledgement_due,acknowledgement_rate,resolution_met,resolution_due,resolution_rate\n");
        for l in &self.sla {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                l.urgency.as_str(),
                l.acknowledgement.met,
                l.acknowledgement.due,
                csv_rate(l.acknowledgement.rate),
                l.resolution.met,
                l.resolution.due,
                csv_rate(l.resolution.rate),
            ));
        }
        out.push_str("\nbreach_issue,title,client,urgency,target,due_at,met_at\n");
        for b in &self.breaches {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                b.key,
                csv_field(&b.title),
                csv_field(&b.client_name),
                b.urgency.as_str(),
                b.clock,
                b.due_at,
                b.met_at.as_deref().unwrap_or(""),
            ));
        }
        out
    }
}
