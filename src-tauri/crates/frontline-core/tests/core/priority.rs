//! The priority matrix is data; its assessments carry the reason the UI shows.
use frontline_core::model::Urgency;
use frontline_core::priority::PriorityMatrix;
use frontline_core::Error;

#[test]
fn the_bundled_matrix_gives_each_cell_with_its_reason() {
    let m = PriorityMatrix::bundled().unwrap();
    let cases = [
        (
            "one_user",
            Urgency::Low,
            "P4",
            "Low urgency × One user → P4",
        ),
        (
            "one_user",
            Urgency::Critical,
            "P2",
            "Critical urgency × One user → P2",
        ),
        (
            "several_users",
            Urgency::High,
            "P2",
            "High urgency × Several users → P2",
        ),
        (
            "whole_client",
            Urgency::Critical,
            "P1",
            "Critical urgency × Whole client → P1",
        ),
        (
            "multiple_clients",
            Urgency::High,
            "P1",
            "High urgency × Multiple clients → P1",
        ),
        (
            "multiple_clients",
            Urgency::Low,
            "P3",
            "Low urgency × Multiple clients → P3",
        ),
    ];
    for (impact, urgency, priority, reason) in cases {
        let a = m.assess(impact, urgency).unwrap();
        assert_eq!(a.priority, priority, "{impact} × {urgency:?}");
        assert_eq!(a.reason, reason);
    }
    assert_eq!(m.assess("multiple_clients", Urgency::High).unwrap().rank, 1);
    assert_eq!(m.assess("one_user", Urgency::Low).unwrap().rank, 4);
}

#[test]
fn priority_never_drops_when_urgency_or_impact_grows() {
    let m = PriorityMatrix::bundled().unwrap();
    for (i, impact) in m.impacts.iter().enumerate() {
        for (u, urgency) in Urgency::ALL.iter().enumerate() {
            let here = m.assess(&impact.id, *urgency).unwrap().rank;
            if let Some(next) = Urgency::ALL.get(u + 1) {
                assert!(
                    m.assess(&impact.id, *next).unwrap().rank <= here,
                    "{} {:?}",
                    impact.id,
                    next
                );
            }
            if let Some(wider) = m.impacts.get(i + 1) {
                assert!(
                    m.assess(&wider.id, *urgency).unwrap().rank <= here,
                    "{} {:?}",
                    wider.id,
                    urgency
                );
            }
        }
    }
}

#[test]
fn a_team_matrix_replaces_the_bundled_one() {
    let json = r#"{
      "impacts": [{"id": "anyone", "label": "Anyone"}],
      "priorities": [{"id": "Urgent", "label": "Urgent"}, {"id": "Later", "label": "Later"}],
      "cells": {"anyone": {"low": "Later", "medium": "Later", "high": "Urgent", "critical": "Urgent"}}
    }"#;
    let m = PriorityMatrix::parse("team.json", json).unwrap();
    assert_eq!(
        m.assess("anyone", Urgency::High).unwrap().reason,
        "High urgency × Anyone → Urgent"
    );
    assert_eq!(m.assess("anyone", Urgency::Low).unwrap().rank, 2);
}

#[test]
fn malformed_matrices_are_refused_naming_the_problem() {
    let cases = [
        ("{ not json", "line 1"),
        (
            r#"{"impacts": [], "priorities": [], "cells": {}}"#,
            "at least one impact",
        ),
        (
            r#"{"impacts": [{"id":"a","label":"A"}], "priorities": [{"id":"P1","label":"P1"}], "cells": {"a": {"low":"P1","medium":"P1","high":"P1"}}}"#,
            "no priority for urgency \"critical\"",
        ),
        (
            r#"{"impacts": [{"id":"a","label":"A"}], "priorities": [{"id":"P1","label":"P1"}], "cells": {"a": {"low":"P9","medium":"P1","high":"P1","critical":"P1"}}}"#,
            "names priority \"P9\"",
        ),
        (
            r#"{"impacts": [{"id":"a","label":"A"}], "priorities": [{"id":"P1","label":"P1"}], "cells": {}}"#,
            "no row for impact \"a\"",
        ),
    ];
    for (json, expected) in cases {
        let err = PriorityMatrix::parse("team.json", json).expect_err(json);
        assert!(matches!(err, Error::Preset { .. }));
        let msg = err.to_string();
        assert!(msg.starts_with("team.json: "), "{msg}");
        assert!(msg.contains(expected), "{msg} should mention {expected}");
    }
}

#[test]
fn an_unknown_impact_lists_the_valid_ones() {
    let m = PriorityMatrix::bundled().unwrap();
    let msg = m.assess("galaxy", Urgency::High).unwrap_err().to_string();
    assert!(msg.contains("\"galaxy\" is not an impact level"), "{msg}");
    assert!(msg.contains("Multiple clients"), "{msg}");
}
