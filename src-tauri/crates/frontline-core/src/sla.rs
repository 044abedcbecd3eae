//! SLA clocks: targets counted in business hours on a team calendar (time zone, working days,
//! hours, holidays) or around the clock, paused while the issue waits on the client. All
//! arithmetic is on instants; local days and hours come from the IANA zone (chrono-tz), so
//! weekends and daylight-saving changes fall where they do for the team.
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// When the team works.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The team's zone.
    pub zone: Tz,
    /// Working days, Monday first.
    pub days: [bool; 7],
    /// Start of the working day, local time.
    pub start: NaiveTime,
    /// End of the working day, local time.
    pub end: NaiveTime,
    /// Days off, local dates.
    pub holidays: BTreeSet<NaiveDate>,
    /// Working time of whole days, summed as far as asked (shared by the calendar's copies).
    sums: Arc<Mutex<DaySums>>,
}

impl PartialEq for Calendar {
    fn eq(&self, other: &Self) -> bool {
        (self.zone, self.days, self.start, self.end, &self.holidays)
            == (
                other.zone,
                other.days,
                other.start,
                other.end,
                &other.holidays,
            )
    }
}

impl Eq for Calendar {}

/// `before[i]`: working seconds of the days from `first` up to (not including) `first + i`,
/// each day's window taken from the zone (so daylight-saving days count what they last). A
/// clock months old then costs two look-ups instead of a walk over every day.
#[derive(Debug, Default)]
struct DaySums {
    first: Option<NaiveDate>,
    before: Vec<i64>,
}

/// The calendar as a team file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarSpec {
    /// IANA zone, e.g. "Europe/London".
    pub time_zone: String,
    /// "mon" … "sun".
    pub working_days: Vec<String>,
    /// "09:00".
    pub start: String,
    /// "17:30".
    pub end: String,
    /// "2026-12-25", …
    #[serde(default)]
    pub holidays: Vec<String>,
}

impl CalendarSpec {
    /// Checks every field; errors name the field and the bad value.
    pub fn parse(&self, source: &str) -> Result<Calendar> {
        let bad = |field: &str, value: &str, hint: &str| Error::Preset {
            file: source.to_owned(),
            message: format!("calendar.{field} = \"{value}\" {hint}"),
        };
        let zone: Tz = self.time_zone.parse().map_err(|_| {
            bad(
                "time_zone",
                &self.time_zone,
                "is not an IANA time zone (e.g. Europe/London)",
            )
        })?;
        let mut days = [false; 7];
        for d in &self.working_days {
            let Some(day) = weekday(d) else {
                return Err(bad("working_days", d, "is not a day (mon, tue, … sun)"));
            };
            days[day.num_days_from_monday() as usize] = true;
        }
        let time = |field: &str, v: &str| {
            NaiveTime::parse_from_str(v, "%H:%M")
                .map_err(|_| bad(field, v, "is not a time like 09:00"))
        };
        let start = time("start", &self.start)?;
        let end = time("end", &self.end)?;
        if end <= start {
            return Err(bad("end", &self.end, "must be after start"));
        }
        let holidays = self
            .holidays
            .iter()
            .map(|h| {
                NaiveDate::parse_from_str(h, "%Y-%m-%d")
                    .map_err(|_| bad("holidays", h, "is not a date like 2026-12-25"))
            })
            .collect::<Result<_>>()?;
        Ok(Calendar {
            zone,
            days,
            start,
            end,
            holidays,
            sums: Arc::default(),
        })
    }
}

/// A day as team files write it ("mon" … "sun").
pub(crate) fn weekday(name: &str) -> Option<Weekday> {
    Some(match name.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Which hours count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hours {
    /// Every hour of every day.
    AllDay,
    /// The team's working hours.
    Business(Calendar),
}

/// The instant a local time falls on: in a spring-forward gap, the first valid instant after
/// it; in a fall-back overlap, the first occurrence.
pub(crate) fn instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.to_utc(),
        LocalResult::Ambiguous(first, _) => first.to_utc(),
        LocalResult::None => (1..=180)
            .find_map(
                |m| match zone.from_local_datetime(&(local + Duration::minutes(m))) {
                    LocalResult::Single(t) => Some(t.to_utc()),
                    LocalResult::Ambiguous(t, _) => Some(t.to_utc()),
                    LocalResult::None => None,
                },
            )
            .unwrap_or_else(|| Utc.from_utc_datetime(&local)),
    }
}

impl Calendar {
    /// The working window of a local date, as instants, if it is a working day.
    fn window(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.days[date.weekday().num_days_from_monday() as usize]
            || self.holidays.contains(&date)
        {
            return None;
        }
        Some((
            instant(self.zone, date.and_time(self.start)),
            instant(self.zone, date.and_time(self.end)),
        ))
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.zone).date_naive()
    }

    fn day_seconds(&self, date: NaiveDate) -> i64 {
        self.window(date)
            .map(|(s, e)| (e - s).num_seconds().max(0))
            .unwrap_or(0)
    }

    /// Working time of the whole days from `a` up to (not including) `b`.
    fn whole_days(&self, a: NaiveDate, b: NaiveDate) -> Duration {
        if b <= a {
            return Duration::zero();
        }
        let mut sums = self.sums.lock().unwrap_or_else(|e| e.into_inner());
        let first = match sums.first {
            Some(f) if f <= a => f,
            Some(f) => {
                // Earlier than the table: the days from `a` go in front.
                let mut front = vec![0];
                let mut date = a;
                while date < f {
                    let last = front[front.len() - 1];
                    front.push(last + self.day_seconds(date));
                    date = date.succ_opt().unwrap_or(f);
                }
                let shift = front.pop().unwrap_or(0);
                front.extend(sums.before.iter().map(|s| s + shift));
                sums.before = front;
                sums.first = Some(a);
                a
            }
            None => {
                sums.first = Some(a);
                sums.before = vec![0];
                a
            }
        };
        let index = |d: NaiveDate| (d - first).num_days() as usize;
        while sums.before.len() <= index(b) {
            let i = sums.before.len() - 1;
            let date = first + Duration::days(i as i64);
            let next = sums.before[i] + self.day_seconds(date);
            sums.before.push(next);
        }
        Duration::seconds(sums.before[index(b)] - sums.before[index(a)])
    }
}

/// Longest search for working time (a calendar with no working days would loop forever).
const HORIZON_DAYS: i64 = 3 * 366;

impl Hours {
    /// Working time between two instants.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        match self {
            Hours::AllDay => to - from,
            Hours::Business(c) => {
                let part = |date: NaiveDate| match c.window(date) {
                    Some((s, e)) => {
                        let (s, e) = (s.max(from), e.min(to));
                        if e > s {
                            e - s
                        } else {
                            Duration::zero()
                        }
                    }
                    None => Duration::zero(),
                };
                let (first, last) = (c.local_date(from), c.local_date(to));
                if first == last {
                    return part(first);
                }
                // The first and last days in part, the days between whole.
                let between = first
                    .succ_opt()
                    .map_or(Duration::zero(), |next| c.whole_days(next, last));
                part(first) + between + part(last)
            }
        }
    }

    /// The instant `amount` of working time after `from` (`None` if the calendar has no
    /// working time in the next three years).
    pub fn add(&self, from: DateTime<Utc>, amount: Duration) -> Option<DateTime<Utc>> {
        match self {
            Hours::AllDay => Some(from + amount),
            Hours::Business(c) => {
                let mut left = amount;
                let mut date = c.local_date(from);
                for _ in 0..HORIZON_DAYS {
                    if let Some((s, e)) = c.window(date) {
                        let s = s.max(from);
                        if e > s {
                            if e - s >= left {
                                return Some(s + left);
                            }
                            left -= e - s;
                        }
                    }
                    date = date.succ_opt()?;
                }
                None
            }
        }
    }
}

/// A period the clock did not run (waiting on the client); `end` None while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// From.
    pub start: DateTime<Utc>,
    /// Until.
    pub end: Option<DateTime<Utc>>,
}

/// Where a clock stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClockState {
    /// What it measures ("Vendor acknowledgement", "Resolution").
    pub name: String,
    /// When it is due (RFC 3339); `None` while paused.
    pub due_at: Option<String>,
    /// Working time used, in minutes.
    #[ts(type = "number")]
    pub used_minutes: i64,
    /// The target, in minutes of working time.
    #[ts(type = "number")]
    pub target_minutes: i64,
    /// Used / target, in percent.
    #[ts(type = "number")]
    pub percent: i64,
    /// Past its target.
    pub breached: bool,
    /// Paused (waiting on the client).
    pub paused: bool,
    /// Stopped because what it measures happened.
    pub met: bool,
}

/// Working time used between `start` and `now`, minus the pauses.
pub fn used(hours: &Hours, start: DateTime<Utc>, now: DateTime<Utc>, pauses: &[Pause]) -> Duration {
    let mut total = hours.between(start, now);
    for p in pauses {
        let s = p.start.max(start);
        let e = p.end.unwrap_or(now).min(now);
        total -= hours.between(s, e);
    }
    total.max(Duration::zero())
}

/// When a clock started at `start` with `target` of working time falls due, skipping the
/// pauses; `None` while a pause lasts.
pub fn due(
    hours: &Hours,
    start: DateTime<Utc>,
    target: Duration,
    pauses: &[Pause],
) -> Option<DateTime<Utc>> {
    let mut cursor = start;
    let mut left = target;
    let mut sorted: Vec<Pause> = pauses.to_vec();
    sorted.sort_by_key(|p| p.start);
    for p in sorted {
        if p.end.is_some_and(|e| e <= cursor) {
            continue;
        }
        let until = p.start.max(cursor);
        let available = hours.between(cursor, until);
        if available >= left {
            return hours.add(cursor, left);
        }
        left -= available;
        cursor = p.end?;
    }
    hours.add(cursor, left)
}

/// One SLA clock: what it measures, from when, against which target, with its pauses and
/// when it was met. None of it changes with the time of day, so a clock can be kept and asked
/// where it stands at any moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// What it measures.
    pub name: String,
    /// When it started.
    pub start: DateTime<Utc>,
    /// Working time allowed.
    pub target: Duration,
    /// When it did not run.
    pub pauses: Vec<Pause>,
    /// When what it measures happened.
    pub met_at: Option<DateTime<Utc>>,
    /// When it falls due (RFC 3339); `None` while a pause lasts.
    pub due_at: Option<String>,
}

impl Clock {
    /// A clock counting `hours`, its due time worked out once.
    pub fn new(
        name: &str,
        hours: &Hours,
        start: DateTime<Utc>,
        target: Duration,
        pauses: &[Pause],
        met_at: Option<DateTime<Utc>>,
    ) -> Self {
        Clock {
            name: name.to_owned(),
            start,
            target,
            pauses: pauses.to_vec(),
            met_at,
            due_at: due(hours, start, target, pauses)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        }
    }

    /// Where it stands at `now`, counting `hours` (the same the clock was made with).
    pub fn at(&self, hours: &Hours, now: DateTime<Utc>) -> ClockState {
        self.with_used(self.used(hours, now), now)
    }

    /// The working time it has counted at `now`.
    pub fn used(&self, hours: &Hours, now: DateTime<Utc>) -> Duration {
        used(hours, self.start, self.met_at.unwrap_or(now), &self.pauses)
    }

    /// Where it stands at `now`, when it has counted `used` by then.
    pub fn with_used(&self, used: Duration, now: DateTime<Utc>) -> ClockState {
        let target_minutes = self.target.num_minutes().max(1);
        let paused = self.met_at.is_none()
            && self
                .pauses
                .iter()
                .any(|p| p.end.is_none() && p.start <= now);
        ClockState {
            name: self.name.clone(),
            due_at: self.due_at.clone(),
            used_minutes: used.num_minutes(),
            target_minutes,
            percent: used.num_minutes() * 100 / target_minutes,
            breached: used > self.target,
            paused,
            met: self.met_at.is_some(),
        }
    }
}

/// A clock's state now.
pub fn state(
    name: &str,
    hours: &Hours,
    start: DateTime<Utc>,
    target: Duration,
    pauses: &[Pause],
    met_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClockState {
    Clock::new(name, hours, start, target, pauses, met_at).at(hours, now)
}
