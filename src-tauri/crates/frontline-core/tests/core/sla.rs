//! SLA clock arithmetic, table-driven: business hours over weekends, holidays, daylight-saving
//! changes, and pauses while waiting on the client.
use chrono::{DateTime, Duration, Utc};
use frontline_core::sla::{due, state, used, CalendarSpec, Hours, Pause};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn london() -> Hours {
    Hours::Business(
        CalendarSpec {
            time_zone: "Europe/London".into(),
            working_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            start: "09:00".into(),
            end: "17:00".into(),
            holidays: vec!["2026-12-25".into(), "2026-12-28".into()],
        }
        .parse("test")
        .unwrap(),
    )
}

#[test]
fn due_times_over_weekends_holidays_and_dst() {
    let h = london();
    // (start, target hours, expected due) — times in UTC.
    let table = [
        // Within one day.
        ("2026-11-25T10:00:00Z", 2, "2026-11-25T12:00:00Z"),
        // Runs past 17:00 into the next morning.
        ("2026-11-25T16:00:00Z", 4, "2026-11-26T12:00:00Z"),
        // Logged on Saturday: the clock starts Monday 09:00.
        ("2026-11-28T11:00:00Z", 1, "2026-11-30T10:00:00Z"),
        // Friday afternoon to Monday.
        ("2026-11-27T15:00:00Z", 4, "2026-11-30T11:00:00Z"),
        // Christmas Eve, then the 25th (holiday), the weekend, and the 28th (holiday).
        ("2026-12-24T16:00:00Z", 2, "2026-12-29T10:00:00Z"),
        // Spring forward (29 March 2026): Monday 09:00 BST is 08:00 UTC.
        ("2026-03-27T16:00:00Z", 2, "2026-03-30T09:00:00Z"),
        // Fall back (25 October 2026): Friday 16:00 BST (15:00 UTC), one hour that day, two on
        // Monday from 09:00 GMT (= UTC): 11:00 UTC.
        ("2026-10-23T15:00:00Z", 3, "2026-10-26T11:00:00Z"),
    ];
    for (start, hours, expected) in table {
        let got = due(&h, t(start), Duration::hours(hours), &[]).unwrap();
        assert_eq!(got, t(expected), "{start} + {hours} working hours");
    }
}

#[test]
fn around_the_clock_targets_ignore_calendars_but_not_dst_free_arithmetic() {
    let h = Hours::AllDay;
    assert_eq!(
        due(&h, t("2026-03-28T23:30:00Z"), Duration::hours(4), &[]),
        Some(t("2026-03-29T03:30:00Z")),
        "a DST change does not stretch a 24×7 target"
    );
    assert_eq!(
        h.between(t("2026-11-28T00:00:00Z"), t("2026-11-29T00:00:00Z")),
        Duration::hours(24)
    );
}

#[test]
fn working_time_used_skips_nights_weekends_and_pauses() {
    let h = london();
    // (from, to, waiting periods (start, end), working minutes used)
    type Row = (
        &'static str,
        &'static str,
        &'static [(&'static str, Option<&'static str>)],
        i64,
    );
    let table: [Row; 4] = [
        ("2026-11-25T09:00:00Z", "2026-11-25T17:00:00Z", &[], 8 * 60),
        ("2026-11-27T16:00:00Z", "2026-11-30T10:00:00Z", &[], 2 * 60),
        // Waiting on the client for two working hours.
        (
            "2026-11-25T09:00:00Z",
            "2026-11-25T17:00:00Z",
            &[("2026-11-25T10:00:00Z", Some("2026-11-25T12:00:00Z"))],
            6 * 60,
        ),
        // Still waiting: the clock stopped at 15:00.
        (
            "2026-11-25T09:00:00Z",
            "2026-11-25T17:00:00Z",
            &[("2026-11-25T15:00:00Z", None)],
            6 * 60,
        ),
    ];
    for (start, now, pauses, minutes) in table {
        let pauses: Vec<Pause> = pauses
            .iter()
            .map(|(s, e)| Pause {
                start: t(s),
                end: e.map(t),
            })
            .collect();
        assert_eq!(
            used(&h, t(start), t(now), &pauses).num_minutes(),
            minutes,
            "{start} → {now} {pauses:?}"
        );
    }
}

#[test]
fn a_pause_pushes_the_due_time_and_an_open_pause_stops_it() {
    let h = london();
    let start = t("2026-11-25T09:00:00Z");
    let closed = [Pause {
        start: t("2026-11-25T10:00:00Z"),
        end: Some(t("2026-11-26T10:00:00Z")),
    }];
    assert_eq!(
        due(&h, start, Duration::hours(4), &closed),
        Some(t("2026-11-26T13:00:00Z"))
    );
    let open = [Pause {
        start: t("2026-11-25T10:00:00Z"),
        end: None,
    }];
    assert_eq!(due(&h, start, Duration::hours(4), &open), None);

    let s = state(
        "Resolution",
        &h,
        start,
        Duration::hours(4),
        &[],
        None,
        t("2026-11-25T12:00:00Z"),
    );
    assert_eq!((s.percent, s.breached, s.paused), (75, false, false));
    let s = state(
        "Resolution",
        &h,
        start,
        Duration::hours(4),
        &[],
        None,
        t("2026-11-25T14:00:00Z"),
    );
    assert!(s.breached);
    let s = state(
        "Resolution",
        &h,
        start,
        Duration::hours(4),
        &open,
        None,
        t("2026-11-25T16:00:00Z"),
    );
    assert!(s.paused && !s.breached && s.due_at.is_none());
}

#[test]
fn a_malformed_calendar_names_the_field() {
    let spec = |zone: &str, day: &str, start: &str, holiday: &str| CalendarSpec {
        time_zone: zone.into(),
        working_days: vec![day.into()],
        start: start.into(),
        end: "17:00".into(),
        holidays: vec![holiday.into()],
    };
    for (s, field) in [
        (
            spec("Mars/Olympus", "mon", "09:00", "2026-12-25"),
            "calendar.time_zone",
        ),
        (
            spec("Europe/Paris", "monday-ish", "09:00", "2026-12-25"),
            "calendar.working_days",
        ),
        (
            spec("Europe/Paris", "mon", "9am", "2026-12-25"),
            "calendar.start",
        ),
        (
            spec("Europe/Paris", "mon", "09:00", "25/12/2026"),
            "calendar.holidays",
        ),
        (
            spec("Europe/Paris", "mon", "18:00", "2026-12-25"),
            "calendar.end",
        ),
    ] {
        let err = s.parse("team.toml").unwrap_err().to_string();
        assert!(err.contains(field) && err.contains("team.toml"), "{err}");
    }
}

/// Working time over long spans comes from summed whole days: it must equal counting day by
/// day, across daylight-saving changes, holidays and weekends, whatever order clocks ask in
/// (later and earlier starts on the same calendar).
#[test]
fn working_time_over_months_equals_counting_each_day() {
    let h = london();
    let Hours::Business(c) = &h else {
        unreachable!()
    };
    let by_day = |from: DateTime<Utc>, to: DateTime<Utc>| {
        let mut total = Duration::zero();
        let mut day = from;
        while day < to {
            let next = (day + Duration::hours(1)).min(to);
            // One hour at a time, counted if it lies in the day's window.
            let local = day.with_timezone(&c.zone);
            let working = c.days[chrono::Datelike::weekday(&local).num_days_from_monday() as usize]
                && !c.holidays.contains(&local.date_naive());
            if working {
                let s = local.date_naive().and_time(c.start);
                let e = local.date_naive().and_time(c.end);
                let (ls, le) = (
                    local.naive_local(),
                    next.with_timezone(&c.zone).naive_local(),
                );
                let (a, b) = (ls.max(s), le.min(e));
                if b > a {
                    total += b - a;
                }
            }
            day = next;
        }
        total
    };
    let mut rng = fastrand::Rng::with_seed(5);
    for _ in 0..200 {
        // Whole hours between 2025-09 and 2027-05: two DST changes a year, Christmas holidays.
        let from = t("2025-09-01T00:00:00Z") + Duration::hours(rng.i64(0..14_000));
        let to = from + Duration::hours(rng.i64(0..6_000));
        assert_eq!(h.between(from, to), by_day(from, to), "{from} .. {to}");
    }
}
