//! Reports over a fixed fortnight, built through the app's own actions on a stopped clock: issues
//! resolved at the first line, escalated, reopened, SLA targets met and broken, a daylight-saving
//! change (London, Sunday 29 March 2026) and a holiday (Good Friday, 3 April 2026).
use chrono::{DateTime, Utc};
use frontline_core::model::IssueQuery;
use frontline_core::reports::{Figures, Measure, Period, Report, ReportSlice};
use frontline_core::sync::vendor::VendorComment;
use rusqlite::Connection;

use crate::support::{host_in, new_issue, Host};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// Moves the stopped clock forward to `when`.
fn at(h: &Host, when: &str) {
    let now = frontline_core::Clock::now(h.clock.as_ref());
    let by = t(when) - now;
    assert!(by >= chrono::Duration::zero(), "{when} is before {now}");
    h.clock.advance(by);
}

pub(crate) struct Fortnight {
    pub(crate) h: Host,
    /// The issues by their names in the comments below.
    pub(crate) i: std::collections::HashMap<&'static str, String>,
}

/// A team in London whose weeks start on Monday, with Good Friday off.
pub(crate) fn fortnight() -> Fortnight {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        frontline_core::ladder::BUNDLED_TEAM.replace(
            "holidays = [\"2026-12-25\"",
            "holidays = [\"2026-04-03\", \"2026-12-25\"",
        ),
    )
    .unwrap();
    let h = host_in(dir);
    let acme = h.client("Acme");
    let birch = h.client("Birch");
    let mut i = std::collections::HashMap::new();
    let log = |h: &Host, client, title: &str, bug: bool| {
        let mut n = new_issue(client, title);
        if bug {
            n.category = "bug".into();
        }
        let id = h.app.create_issue(n).unwrap().issue.id;
        if bug {
            h.app
                .attach_bytes(&id, "error.png", b"\x89PNG pretend screenshot")
                .unwrap();
        }
        id
    };
    let status = |h: &Host, id: &str, to: &str| {
        h.app.change_status(id, to, "").unwrap();
    };
    let mut ticket = 4700;
    let mut vendor_replies = |h: &Host, id: &str| {
        ticket += 1;
        Connection::open(h.dir.path().join("frontline.db"))
            .unwrap()
            .execute(
                "INSERT INTO vendor_tickets (ticket_id, issue_id, status) VALUES (?1, ?2, 'open')",
                rusqlite::params![ticket, id],
            )
            .unwrap();
        h.app
            .ingest_comments(
                ticket,
                &[VendorComment {
                    id: ticket * 10,
                    from_vendor: true,
                    author: "Vendor Support".into(),
                    body: "We are looking into it.".into(),
                    public: true,
                    // The vendor's clock: five minutes before the pull brought it here.
                    created_at: (frontline_core::Clock::now(h.clock.as_ref())
                        - chrono::Duration::minutes(5))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                }],
            )
            .unwrap();
    };

    // Before the fortnight: I8 (Acme, high) is escalated, never acknowledged.
    at(&h, "2026-03-16T10:00:00Z");
    i.insert("I8", log(&h, &acme, "Exports time out", true));
    at(&h, "2026-03-17T10:00:00Z");
    h.app.escalate(&i["I8"], "").unwrap();

    // Week of 23 March (GMT).
    at(&h, "2026-03-23T10:00:00Z");
    i.insert("I1", log(&h, &acme, "Password reset mail missing", false));
    at(&h, "2026-03-23T11:00:00Z");
    status(&h, &i["I1"], "resolved");
    at(&h, "2026-03-24T09:00:00Z");
    i.insert("I2", log(&h, &birch, "Cannot see the sales report", false));
    at(&h, "2026-03-24T13:00:00Z");
    status(&h, &i["I2"], "resolved");
    at(&h, "2026-03-25T09:00:00Z");
    status(&h, &i["I2"], "in_progress"); // reopened
    at(&h, "2026-03-25T10:00:00Z");
    status(&h, &i["I8"], "resolved"); // escalated before the period, resolved in it
    at(&h, "2026-03-26T09:00:00Z");
    status(&h, &i["I2"], "resolved");
    // I3 (Acme, high): escalated Friday 15:00 GMT. 4 working hours to acknowledge: 2½ on Friday,
    // 1½ on Monday from 09:00 BST, so due 10:30 BST = 09:30 UTC. The vendor answers 09:45 UTC:
    // broken (counted in UTC, it would look met).
    at(&h, "2026-03-27T14:00:00Z");
    i.insert("I3", log(&h, &acme, "Invoices are blank", true));
    at(&h, "2026-03-27T15:00:00Z");
    h.app.escalate(&i["I3"], "").unwrap();
    // I4 (Birch): Sunday 23:30 UTC is Monday 00:30 BST, the second week.
    at(&h, "2026-03-29T23:30:00Z");
    i.insert("I4", log(&h, &birch, "Menu missing after update", false));

    // Week of 30 March (BST).
    at(&h, "2026-03-30T09:00:00Z");
    i.insert("I6", log(&h, &birch, "Chart colours wrong", true));
    at(&h, "2026-03-30T09:45:00Z");
    vendor_replies(&h, &i["I3"]);
    at(&h, "2026-03-30T10:30:00Z");
    status(&h, &i["I6"], "resolved"); // a bug, solved at the first line
                                      // I3's 24 working hours to resolve run to Wednesday 13:30 BST: met.
    at(&h, "2026-03-31T12:00:00Z");
    status(&h, &i["I3"], "resolved");
    // I5 (Acme, high): escalated Thursday 16:00 BST; 1½ hours that day, Good Friday and the
    // weekend off, 2½ on Monday: due Monday 6 April 11:30 BST. The vendor answers at 11:00 BST.
    at(&h, "2026-04-02T14:00:00Z");
    i.insert("I5", log(&h, &acme, "Sync stops at 99%", true));
    at(&h, "2026-04-02T15:00:00Z");
    h.app.escalate(&i["I5"], "").unwrap();
    // I7 (Acme): Sunday 5 April 23:30 UTC is Monday 6 April local: after the fortnight.
    at(&h, "2026-04-05T23:30:00Z");
    i.insert("I7", log(&h, &acme, "Login loops", false));
    at(&h, "2026-04-06T10:00:00Z");
    vendor_replies(&h, &i["I5"]);
    at(&h, "2026-04-07T12:00:00Z");
    Fortnight { h, i }
}

fn period() -> Period {
    Period::Custom {
        from: "2026-03-23".into(),
        to: "2026-04-05".into(),
    }
}

/// (logged, logged_escalated, resolved, first_line, escalated, reopened, sla_met, sla_due)
fn counts(f: &Figures) -> [i64; 8] {
    [
        f.logged,
        f.logged_escalated,
        f.resolved,
        f.first_line,
        f.escalated,
        f.reopened,
        f.sla_met,
        f.sla_due,
    ]
}

fn group<'r>(groups: &'r [frontline_core::reports::GroupFigures], label: &str) -> &'r Figures {
    &groups
        .iter()
        .find(|g| g.label == label)
        .unwrap_or_else(|| panic!("{label} in {groups:?}"))
        .figures
}

#[test]
fn report_figures_of_a_fortnight_across_a_dst_change_and_a_holiday_are_exact() {
    let Fortnight { h, .. } = fortnight();
    let r: Report = h.app.report(&period()).unwrap();
    assert!(!r.empty);
    assert_eq!(
        (r.from.as_str(), r.to.as_str()),
        ("2026-03-23", "2026-04-05")
    );
    assert_eq!(r.time_zone, "Europe/London");
    assert_eq!(r.week_starts, "Monday");

    assert_eq!(counts(&r.total), [6, 2, 5, 3, 2, 1, 2, 3]);
    assert_eq!(r.total.first_contact_rate, Some(0.6));
    assert_eq!(r.total.escalation_rate, Some(2.0 / 6.0));
    assert_eq!(r.total.sla_rate, Some(2.0 / 3.0));

    let weeks: Vec<(&str, &str, [i64; 8])> = r
        .weeks
        .iter()
        .map(|w| (w.start.as_str(), w.end.as_str(), counts(&w.figures)))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-03-23", "2026-03-29", [3, 1, 3, 2, 1, 1, 1, 2]),
            ("2026-03-30", "2026-04-05", [3, 1, 2, 1, 1, 0, 1, 1]),
        ]
    );

    assert_eq!(
        counts(group(&r.by_client, "Acme")),
        [3, 2, 3, 1, 2, 0, 2, 3]
    );
    assert_eq!(
        counts(group(&r.by_client, "Birch")),
        [3, 0, 2, 2, 0, 1, 0, 0]
    );
    assert_eq!(group(&r.by_client, "Birch").escalation_rate, Some(0.0));
    assert_eq!(group(&r.by_client, "Birch").sla_rate, None, "nothing due");
    let login = group(&r.by_category, "Log-in and passwords");
    assert_eq!((login.logged, login.resolved, login.first_line), (3, 2, 2));
    let bug = group(&r.by_category, "Platform bug or error");
    assert_eq!((bug.logged, bug.resolved, bug.first_line), (3, 3, 1));
    assert!(r.by_agent.is_empty(), "no team hub: no split by agent");

    assert_eq!(r.by_rung.len(), 1, "{:?}", r.by_rung);
    assert_eq!(r.by_rung[0].count, 2);

    let high = r.sla.iter().find(|l| l.urgency.as_str() == "high").unwrap();
    assert_eq!((high.acknowledgement.met, high.acknowledgement.due), (1, 2));
    assert_eq!((high.resolution.met, high.resolution.due), (1, 1));
    assert_eq!(high.acknowledgement.rate, Some(0.5));
    let breaches: Vec<(&str, &str, &str, Option<&str>)> = r
        .breaches
        .iter()
        .map(|b| {
            (
                b.title.as_str(),
                b.clock.as_str(),
                b.due_at.as_str(),
                b.met_at.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        breaches,
        [(
            "Invoices are blank",
            "Vendor acknowledgement",
            "2026-03-30T09:30:00Z",
            Some("2026-03-30T09:45:00Z")
        )]
    );

    // 4,005 and 5,460 minutes from escalation to the vendor's answer.
    assert_eq!(r.first_response.count, 2);
    assert_eq!(r.first_response.median_minutes, Some(4_005));
    assert_eq!(r.first_response.p90_minutes, Some(5_460));
    // 60, 90, 2,880, 5,640 and 12,960 minutes from logging to resolution.
    assert_eq!(r.resolution_time.count, 5);
    assert_eq!(r.resolution_time.median_minutes, Some(2_880));
    assert_eq!(r.resolution_time.p90_minutes, Some(12_960));

    let backlog: Vec<(&str, i64)> = r
        .backlog
        .iter()
        .map(|b| (b.key.as_str(), b.count))
        .collect();
    assert_eq!(
        backlog,
        [
            ("day", 0),
            ("week", 2),
            ("month", 1),
            ("quarter", 0),
            ("older", 0)
        ]
    );
}

#[test]
fn report_figures_click_through_to_the_issues_behind_them_in_the_queue() {
    let Fortnight { h, i } = fortnight();
    let slice = |measure, week: Option<&str>| ReportSlice {
        period: period(),
        measure,
        week: week.map(String::from),
        client_id: None,
        category: None,
        agent: None,
        rung: None,
        urgency: None,
        age: None,
    };
    let ids = |s: &ReportSlice| h.app.report_issues(s).unwrap();
    assert_eq!(
        ids(&slice(Measure::FirstLine, Some("2026-03-23"))),
        [i["I1"].clone(), i["I2"].clone()]
    );
    assert_eq!(ids(&slice(Measure::Breached, None)), [i["I3"].clone()]);
    assert_eq!(
        ids(&slice(Measure::Logged, Some("2026-03-30"))),
        [i["I4"].clone(), i["I6"].clone(), i["I5"].clone()]
    );
    let mut open = slice(Measure::Open, None);
    open.age = Some("week".into());
    assert_eq!(ids(&open), [i["I5"].clone(), i["I7"].clone()]);

    // The queue, filtered by a figure: every status, only those issues.
    let page = h
        .app
        .issues(&IssueQuery {
            statuses: frontline_core::status::ALL.to_vec(),
            report: Some(slice(Measure::Resolved, None)),
            ..IssueQuery::default()
        })
        .unwrap();
    let mut shown: Vec<&str> = page.rows.iter().map(|r| r.title.as_str()).collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            "Cannot see the sales report",
            "Chart colours wrong",
            "Exports time out",
            "Invoices are blank",
            "Password reset mail missing"
        ]
    );
    assert_eq!(page.total, 5);

    let mut outside = slice(Measure::Logged, Some("2026-04-06"));
    outside.week = Some("2026-04-06".into());
    let err = h.app.report_issues(&outside).unwrap_err().to_string();
    assert!(err.contains("not in this report's period"), "{err}");
}

#[test]
fn report_of_an_empty_period_says_so_without_rates() {
    let Fortnight { h, .. } = fortnight();
    let r = h
        .app
        .report(&Period::Custom {
            from: "2026-01-05".into(),
            to: "2026-01-11".into(),
        })
        .unwrap();
    assert!(r.empty);
    assert_eq!(counts(&r.total), [0; 8]);
    assert_eq!(
        (
            r.total.first_contact_rate,
            r.total.escalation_rate,
            r.total.sla_rate
        ),
        (None, None, None),
        "no NaN: no rate at all"
    );
    assert_eq!(r.weeks.len(), 1);
    assert!(r.breaches.is_empty());
    assert_eq!(r.resolution_time.median_minutes, None);

    let bad = h.app.report(&Period::Custom {
        from: "2026-04-05".into(),
        to: "2026-03-23".into(),
    });
    assert!(bad.unwrap_err().to_string().contains("swap them"));
    let bad = h.app.report(&Period::Custom {
        from: "next week".into(),
        to: "2026-03-23".into(),
    });
    assert!(bad
        .unwrap_err()
        .to_string()
        .contains("\"next week\" is not a date like 2026-03-02"));
}

#[test]
fn report_facts_follow_new_events_and_a_changed_calendar() {
    let Fortnight { h, i } = fortnight();
    let before = h.app.report(&period()).unwrap();
    assert_eq!(before.total.resolved, 5);
    // I2 reopens after the fortnight: it is no longer resolved at all.
    h.app.change_status(&i["I2"], "in_progress", "").unwrap();
    let after = h.app.report(&period()).unwrap();
    assert_eq!(after.total.resolved, 4);
    assert_eq!(after.total.first_line, 2);

    // Without Good Friday off, I5's acknowledgement was due on Friday 3 April at 11:30 BST:
    // broken. A desktop opened on the changed team file works every clock out again.
    let Host { dir, clock, app } = h;
    drop(app);
    let team = dir.path().join("team.toml");
    let text = std::fs::read_to_string(&team).unwrap();
    std::fs::write(&team, text.replace("\"2026-04-03\", ", "")).unwrap();
    let app = frontline_core::Frontline::open(crate::support::settings(&dir), clock).unwrap();
    let r = app.report(&period()).unwrap();
    let due: Vec<&str> = r.breaches.iter().map(|b| b.due_at.as_str()).collect();
    assert_eq!(due, ["2026-03-30T09:30:00Z", "2026-04-03T10:30:00Z"]);
    assert_eq!(r.total.sla_met, 1);
}

#[test]
fn report_csv_holds_every_figure_a_spreadsheet_reads_back() {
    let Fortnight { h, .. } = fortnight();
    let csv = h.app.report_in_full(&period()).unwrap().to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[1],
        "period,2026-03-23 to 2026-04-05,6,2,0.3333,5,3,0.6000,2,1,2,3,0.6667"
    );
    assert_eq!(
        lines[2],
        "week,2026-03-23,3,1,0.3333,3,2,0.6667,1,1,1,2,0.5000"
    );
    assert!(
        lines.contains(&"client,Birch,3,0,0.0000,2,2,1.0000,0,1,0,0,"),
        "{csv}"
    );
    assert!(lines.contains(&"high,1,2,0.5000,1,1,1.0000"), "{csv}");
    assert!(
        csv.contains(",Invoices are blank,Acme,high,Vendor acknowledgement,2026-03-30T09:30:00Z,2026-03-30T09:45:00Z"),
        "{csv}"
    );
}

#[test]
fn report_in_team_mode_splits_by_agent_for_a_lead_and_counts_only_an_agents_own_work() {
    let Fortnight { h, .. } = fortnight();
    // Sam logs an issue on the same cache (another desktop's work, as the hub brings it).
    let mut sam = crate::support::settings(&h.dir);
    sam.user = "sam".into();
    let sams = frontline_core::Frontline::open(sam, h.clock.clone()).unwrap();
    let acme = sams
        .clients()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Acme")
        .unwrap();
    let mut n = new_issue(&acme, "Sam's call");
    n.category = "reports".into();
    let late = Period::Custom {
        from: "2026-04-06".into(),
        to: "2026-04-12".into(),
    };
    sams.create_issue(n).unwrap();

    let r = h.app.report(&late).unwrap();
    assert_eq!(r.scope, frontline_core::reports::ReportScope::Desktop);
    assert!(r.by_agent.is_empty());
    assert_eq!(r.total.logged, 2, "I7 and Sam's");

    h.app
        .save_hub_settings(frontline_core::team_connection::HubSettings {
            address: "127.0.0.1".into(),
            user: "dana".into(),
        })
        .unwrap();
    h.app
        .set_hub_identity(&frontline_core::team_connection::HubIdentity {
            login: "dana".into(),
            lead: true,
        })
        .unwrap();
    let r = h.app.report(&late).unwrap();
    assert_eq!(r.scope, frontline_core::reports::ReportScope::Team);
    let agents: Vec<(&str, i64)> = r
        .by_agent
        .iter()
        .map(|g| (g.label.as_str(), g.figures.logged))
        .collect();
    assert_eq!(agents, [("dana", 1), ("sam", 1)]);

    h.app
        .set_hub_identity(&frontline_core::team_connection::HubIdentity {
            login: "dana".into(),
            lead: false,
        })
        .unwrap();
    let r = h.app.report(&late).unwrap();
    assert_eq!(r.scope, frontline_core::reports::ReportScope::Mine);
    assert_eq!(r.total.logged, 1, "only the agent's own issue");
    assert!(r.by_agent.is_empty());
}
