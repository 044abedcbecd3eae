//! Outage detection on a labelled set of issue texts: groups that are one outage, and look-alikes
//! that are not (one client only, too far apart in time, different problems).
use frontline_core::kb::{Synonyms, BUNDLED_SYNONYMS};
use frontline_core::outage::{detect, Candidate, OutageRule};

fn c(id: &str, client: &str, minute: i64, text: &str) -> Candidate {
    Candidate {
        id: id.into(),
        key: id.into(),
        client: client.into(),
        text: text.into(),
        minute,
    }
}

fn groups(cands: &[Candidate]) -> Vec<Vec<String>> {
    let syn = Synonyms::parse("synonyms.json", BUNDLED_SYNONYMS).unwrap();
    detect(cands, &syn, OutageRule::default())
        .into_iter()
        .map(|g| g.issue_ids)
        .collect()
}

/// A labelled case: its name, the issues, and the groups an outage detector should find.
type Case = (&'static str, Vec<Candidate>, Vec<Vec<&'static str>>);

#[test]
fn labelled_outages_are_found_and_look_alikes_are_not() {
    let cases: Vec<Case> = vec![
        (
            "three clients, same words, one hour",
            vec![
                c("a", "acme", 0, "Invoice export fails with error 500"),
                c("b", "globex", 12, "Error 500 when exporting invoices"),
                c(
                    "c",
                    "initech",
                    40,
                    "Invoice export error 500 since this morning",
                ),
            ],
            vec![vec!["a", "b", "c"]],
        ),
        (
            "same problem in other words (synonyms)",
            vec![
                c("a", "acme", 0, "Users cannot log in, the login page spins"),
                c(
                    "b",
                    "globex",
                    5,
                    "Nobody can sign in: sign-in page keeps loading",
                ),
                c("c", "acme", 9, "Login page stuck loading for everyone"),
            ],
            vec![vec!["a", "b", "c"]],
        ),
        (
            "one client only is not an outage",
            vec![
                c("a", "acme", 0, "Invoice export fails with error 500"),
                c("b", "acme", 5, "Invoice export error 500 again"),
                c("c", "acme", 10, "Export of invoices gives error 500"),
            ],
            vec![],
        ),
        (
            "too far apart in time",
            vec![
                c("a", "acme", 0, "Invoice export fails with error 500"),
                c("b", "globex", 90, "Invoice export error 500"),
                c("c", "initech", 200, "Invoice export gives error 500"),
            ],
            vec![],
        ),
        (
            "different problems at the same time",
            vec![
                c("a", "acme", 0, "Invoice export fails with error 500"),
                c(
                    "b",
                    "globex",
                    3,
                    "New starter has no access to the dashboard",
                ),
                c("c", "initech", 6, "Report totals look wrong for March"),
            ],
            vec![],
        ),
        (
            "an outage among unrelated issues",
            vec![
                c(
                    "a",
                    "acme",
                    0,
                    "Payroll run fails: timeout connecting to the bank",
                ),
                c("x", "acme", 2, "How do I change my password?"),
                c(
                    "b",
                    "globex",
                    8,
                    "Bank connection timeout during payroll run",
                ),
                c("y", "umbrella", 9, "Report totals look wrong for March"),
                c("c", "umbrella", 15, "Payroll fails with bank timeout"),
            ],
            vec![vec!["a", "b", "c"]],
        ),
    ];
    for (label, cands, expected) in cases {
        let expected: Vec<Vec<String>> = expected
            .into_iter()
            .map(|g| g.into_iter().map(String::from).collect())
            .collect();
        assert_eq!(groups(&cands), expected, "{label}");
    }
}

#[test]
fn the_cache_reports_an_outage_across_clients() {
    let h = crate::support::host();
    let mut ids = Vec::new();
    for (client, title) in [
        ("Acme", "Invoice export fails with error 500"),
        ("Globex", "Error 500 when exporting invoices"),
        ("Initech", "Invoice export error 500 since this morning"),
    ] {
        let c = h.client(client);
        let mut n = crate::support::new_issue(&c, title);
        n.description = format!("{title}. Every user is affected.");
        ids.push(h.app.create_issue(n).unwrap().issue.id);
        h.clock.advance(chrono::Duration::minutes(10));
        if ids.len() == 2 {
            // Two issues are not an outage yet (and what this look finds is kept: the next
            // look must see the third).
            let none = h.app.suspected_outages(OutageRule::default()).unwrap();
            assert!(none.is_empty(), "{none:?}");
        }
    }
    let found = h
        .app
        .suspected_outages(frontline_core::outage::OutageRule::default())
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].issue_ids, ids);
    assert_eq!(found[0].clients, 3);
    let words = &found[0].shared_words;
    assert!(
        words.iter().any(|w| w == "invoice") && words.iter().any(|w| w == "export"),
        "{words:?}"
    );
    // A fourth client calls within the same minute: the next look sees it.
    let c = h.client("Umbrella");
    let mut n = crate::support::new_issue(&c, "Exporting invoices gives error 500");
    n.description = "Exporting invoices gives error 500. Every user is affected.".into();
    ids.push(h.app.create_issue(n).unwrap().issue.id);
    let found = h.app.suspected_outages(OutageRule::default()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].issue_ids, ids);
    assert_eq!(found[0].clients, 4);
    // Hours later, with nothing written since, they are no longer logged within the window.
    h.clock.advance(chrono::Duration::hours(3));
    let later = h.app.suspected_outages(OutageRule::default()).unwrap();
    assert!(later.is_empty(), "{later:?}");
}
