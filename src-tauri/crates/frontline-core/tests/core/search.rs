//! The queue: full-text search, filters, order and paging.
use chrono::Duration;
use frontline_core::model::{IssueQuery, QueueSort};
use frontline_core::status::{Status, OPEN};

use crate::support::{host, new_issue, Host};

fn keys(h: &Host, q: IssueQuery) -> Vec<String> {
    h.app
        .issues(&q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.key)
        .collect()
}

fn search(h: &Host, words: &str) -> Vec<String> {
    let mut k = keys(
        h,
        IssueQuery {
            search: words.into(),
            sort: QueueSort::Oldest,
            ..Default::default()
        },
    );
    k.sort();
    k
}

fn seeded() -> Host {
    let h = host();
    let north = h.client("Northwind Traders");
    let cafe = h.client("Café Müller");
    h.issue(&north, "Client can't log in after password reset"); // FL-1001
    let mut report = new_issue(&north, "Monthly report totals look wrong"); // FL-1002
    report.description = "The March revenue differs from the export.".into();
    report.impact = "multiple_clients".into();
    h.app.create_issue(report).unwrap();
    let mut access = new_issue(&cafe, "New starter has no access to dashboards"); // FL-1003
    access.urgency = "low".into();
    access.impact = "one_user".into();
    access.description = "Onboarding of a new employee".into();
    h.app.create_issue(access).unwrap();
    h
}

#[test]
fn search_finds_words_in_title_description_and_client_name() {
    let h = seeded();
    assert_eq!(search(&h, "password"), ["FL-1001"]);
    assert_eq!(search(&h, "revenue"), ["FL-1002"]);
    assert_eq!(search(&h, "northwind"), ["FL-1001", "FL-1002"]);
    assert_eq!(
        search(&h, "northwind monthly"),
        ["FL-1002"],
        "every word must match"
    );
}

#[test]
fn search_matches_word_starts_case_and_accents_loosely() {
    let h = seeded();
    assert_eq!(search(&h, "passw"), ["FL-1001"]);
    assert_eq!(search(&h, "PASSWORD RES"), ["FL-1001"]);
    assert_eq!(search(&h, "cafe muller"), ["FL-1003"]);
    assert_eq!(search(&h, "can't"), ["FL-1001"]);
}

#[test]
fn search_text_is_never_fts_syntax() {
    let h = seeded();
    for hostile in [
        "\"",
        "AND",
        "OR NOT (",
        "title:password",
        "*",
        "NEAR(a b)",
        "-",
        "'; DROP TABLE issues; --",
    ] {
        let page = h.app.issues(&IssueQuery {
            search: hostile.into(),
            ..Default::default()
        });
        assert!(page.is_ok(), "{hostile:?} → {page:?}");
    }
    assert_eq!(
        search(&h, "!!! ??? "),
        ["FL-1001", "FL-1002", "FL-1003"],
        "no words: no search"
    );
    assert_eq!(
        h.app.issues(&IssueQuery::default()).unwrap().total,
        3,
        "still three issues"
    );
}

/// The three issues of `seeded`, FL-1003 (no access to dashboards) resolved.
fn seeded_with_one_resolved() -> Host {
    let h = seeded();
    let id = h
        .app
        .issues(&IssueQuery {
            search: "dashboards".into(),
            ..Default::default()
        })
        .unwrap()
        .rows[0]
        .id
        .clone();
    h.app.change_status(&id, "resolved", "").unwrap();
    h
}

#[test]
fn the_default_queue_is_open_issues_most_urgent_first() {
    let h = seeded_with_one_resolved();
    let q = IssueQuery {
        statuses: OPEN.to_vec(),
        ..Default::default()
    };
    assert_eq!(
        keys(&h, q),
        ["FL-1002", "FL-1001"],
        "P1 before P2, the resolved one left out"
    );
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                statuses: vec![Status::Resolved],
                ..Default::default()
            }
        ),
        ["FL-1003"]
    );
}

#[test]
fn the_first_screen_is_the_default_queue_with_the_forms_choices() {
    let h = seeded_with_one_resolved();
    let first = h.app.first_screen().unwrap();
    let rows: Vec<&str> = first.page.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        rows,
        ["FL-1002", "FL-1001"],
        "open issues, P1 first, the resolved one left out"
    );
    assert_eq!(first.page.total, 2);
    assert_eq!(
        first.query.statuses, first.options.open_statuses,
        "the page answers the queue's default filter: the open statuses"
    );
    assert_eq!(first.query.sort, QueueSort::Priority);
    assert_eq!(first.info.user, h.app.info().user);
}

#[test]
fn filters_combine_priority_client_and_search() {
    let h = seeded();
    let cafe = h
        .app
        .clients()
        .unwrap()
        .into_iter()
        .find(|c| c.name.starts_with("Caf"))
        .unwrap();
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                priorities: vec!["P1".into()],
                ..Default::default()
            }
        ),
        ["FL-1002"]
    );
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                client_id: Some(cafe.id.clone()),
                ..Default::default()
            }
        ),
        ["FL-1003"]
    );
    let none = IssueQuery {
        client_id: Some(cafe.id),
        search: "password".into(),
        ..Default::default()
    };
    assert_eq!(h.app.issues(&none).unwrap().total, 0);
}

#[test]
fn sort_orders_are_what_they_say() {
    let h = seeded();
    h.clock.advance(Duration::minutes(1));
    let first = h
        .app
        .issues(&IssueQuery {
            sort: QueueSort::Oldest,
            ..Default::default()
        })
        .unwrap()
        .rows[0]
        .id
        .clone();
    h.app.add_note(&first, "touched").unwrap();
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                sort: QueueSort::Newest,
                ..Default::default()
            }
        ),
        ["FL-1003", "FL-1002", "FL-1001"]
    );
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                sort: QueueSort::Oldest,
                ..Default::default()
            }
        ),
        ["FL-1001", "FL-1002", "FL-1003"]
    );
    assert_eq!(
        keys(
            &h,
            IssueQuery {
                sort: QueueSort::Updated,
                ..Default::default()
            }
        )[0],
        "FL-1001"
    );
}

#[test]
fn pages_cover_the_queue_without_gaps_or_repeats() {
    let h = host();
    let c = h.client("Northwind");
    for i in 0..25 {
        h.issue(&c, &format!("Issue {i}"));
    }
    let mut seen = Vec::new();
    for page in 0..3 {
        let p = h
            .app
            .issues(&IssueQuery {
                offset: page * 10,
                limit: 10,
                sort: QueueSort::Oldest,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(p.total, 25);
        assert_eq!(p.offset, page * 10);
        seen.extend(p.rows.into_iter().map(|r| r.key));
    }
    let expected: Vec<String> = (1001..1026).map(|n| format!("FL-{n}")).collect();
    assert_eq!(seen, expected);
    let huge = h
        .app
        .issues(&IssueQuery {
            limit: 100_000,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(huge.rows.len(), 25, "limit is capped, not refused");
}

#[test]
fn queue_totals_stay_in_step_with_every_change() {
    // The totals come from counts kept by triggers; compare them with a plain count after
    // creates, status changes and an import.
    let h = seeded();
    let id = h.app.issues(&IssueQuery::default()).unwrap().rows[0]
        .id
        .clone();
    h.app.change_status(&id, "in_progress", "").unwrap();
    h.app.change_status(&id, "resolved", "").unwrap();
    let c = h.app.clients().unwrap().remove(0);
    h.app
        .import_issues(
            (0..7)
                .map(|i| new_issue(&c, &format!("bulk {i}")))
                .collect(),
        )
        .unwrap();
    let conn = rusqlite::Connection::open(h.dir.path().join("frontline.db")).unwrap();
    let views: Vec<(Vec<Status>, Vec<String>)> = vec![
        (vec![], vec![]),
        (OPEN.to_vec(), vec![]),
        (vec![Status::Resolved], vec![]),
        (OPEN.to_vec(), vec!["P2".into()]),
        (
            vec![Status::New, Status::Resolved],
            vec!["P1".into(), "P2".into()],
        ),
    ];
    for (statuses, priorities) in views {
        let page = h
            .app
            .issues(&IssueQuery {
                statuses: statuses.clone(),
                priorities: priorities.clone(),
                ..Default::default()
            })
            .unwrap();
        let expected: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM issues WHERE ({}) AND ({})",
                    if statuses.is_empty() {
                        "1".into()
                    } else {
                        format!(
                            "status IN ({})",
                            statuses
                                .iter()
                                .map(|s| format!("'{}'", s.as_str()))
                                .collect::<Vec<_>>()
                                .join(",")
                        )
                    },
                    if priorities.is_empty() {
                        "1".into()
                    } else {
                        format!(
                            "priority IN ({})",
                            priorities
                                .iter()
                                .map(|p| format!("'{p}'"))
                                .collect::<Vec<_>>()
                                .join(",")
                        )
                    },
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(page.total, expected, "{statuses:?} {priorities:?}");
        assert_eq!(page.rows.len() as i64, expected.min(100));
        assert!(!page.total_capped);
    }
}

#[test]
fn a_search_matching_very_many_issues_says_so() {
    let h = host();
    let c = h.client("Northwind");
    h.app
        .import_issues(
            (0..3_105)
                .map(|i| new_issue(&c, &format!("Password reset {i}")))
                .collect(),
        )
        .unwrap();
    let page = h
        .app
        .issues(&IssueQuery {
            search: "password".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(page.total_capped);
    assert_eq!(page.total, 1_000);
    let narrow = h
        .app
        .issues(&IssueQuery {
            search: "password 3104".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(!narrow.total_capped);
    assert_eq!(narrow.total, 1);
}

#[test]
fn a_search_page_past_the_last_hit_is_empty_but_still_counts() {
    let h = seeded();
    let past = h
        .app
        .issues(&IssueQuery {
            search: "northwind".into(),
            offset: 100,
            ..Default::default()
        })
        .unwrap();
    assert!(past.rows.is_empty());
    assert_eq!(past.total, 2);
    let narrow = h
        .app
        .issues(&IssueQuery {
            search: "northwind".into(),
            limit: 1,
            offset: 1,
            sort: QueueSort::Oldest,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        narrow
            .rows
            .iter()
            .map(|r| r.key.as_str())
            .collect::<Vec<_>>(),
        ["FL-1002"]
    );
    assert_eq!(narrow.total, 2);
}
