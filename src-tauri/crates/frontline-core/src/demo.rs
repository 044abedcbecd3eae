//! Realistic sample clients and issues, for the README screenshot, trainees, and benchmarks.
//! Deterministic for a given seed.
use crate::model::{Client, NewClient, NewIssue};

const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Contoso Pharma",
    "Fabrikam Logistics",
    "Tailspin Travel",
    "Wide World Importers",
    "Adventure Works",
    "Blue Yonder Air",
    "Coho Vineyard",
    "Lucerne Publishing",
    "Margie's Travel",
    "Proseware",
    "Litware Labs",
    "Woodgrove Bank",
    "Alpine Ski House",
    "Trey Research",
    "Fourth Coffee",
];

const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "login",
        "Can't log in after password reset",
        "The reset link brings the user back to the sign-in page without an error.",
    ),
    (
        "login",
        "Password reset email never arrives",
        "Checked spam; nothing since yesterday. Other users receive theirs.",
    ),
    (
        "login",
        "Account locked after too many attempts",
        "User typed an old password several times and is now locked out.",
    ),
    (
        "reports",
        "Monthly sales report totals look wrong",
        "The totals differ from the exported rows by a few hundred.",
    ),
    (
        "reports",
        "Report export to CSV fails for large date ranges",
        "Exports over three months stop with a blank error page.",
    ),
    (
        "reports",
        "Dashboard numbers don't match the report",
        "The revenue tile shows a different figure than the detailed report.",
    ),
    (
        "access",
        "New starter has no access to dashboards",
        "Created yesterday; sees an empty menu after signing in.",
    ),
    (
        "access",
        "Manager can't approve team requests",
        "The approve button is greyed out for a team lead since the role change.",
    ),
    (
        "access",
        "Former employee still has access",
        "Client asks to remove a leaver's access urgently.",
    ),
    (
        "navigation",
        "Where do I change the invoice address?",
        "Client cannot find the billing settings after the redesign.",
    ),
    (
        "navigation",
        "How do I add a colleague?",
        "Needs a walk-through for inviting users.",
    ),
    (
        "bug",
        "Error 500 when saving a customer record",
        "Saving any record with an attachment fails with an internal error.",
    ),
    (
        "bug",
        "Search returns nothing for names with accents",
        "Searching for Müller finds nothing; Muller finds the record.",
    ),
    (
        "bug",
        "App freezes when opening the calendar",
        "The calendar view spins forever on Mondays.",
    ),
    (
        "data",
        "Duplicate orders appear after the import",
        "Last night's import created each order twice.",
    ),
    (
        "data",
        "Time zone wrong on exported timestamps",
        "Exported times are one hour off since the clock change.",
    ),
    (
        "insight",
        "How is the churn figure calculated?",
        "Client wants to understand the churn metric before a board meeting.",
    ),
];

const IMPACTS: &[&str] = &[
    "one_user",
    "one_user",
    "several_users",
    "several_users",
    "whole_client",
    "multiple_clients",
];
const URGENCIES: &[&str] = &["low", "medium", "medium", "high", "high", "critical"];

/// `n` sample clients (company names, numbered past the list's length).
pub fn clients(n: usize) -> Vec<NewClient> {
    (0..n)
        .map(|i| {
            let base = COMPANIES[i % COMPANIES.len()];
            let name = if i < COMPANIES.len() {
                base.to_owned()
            } else {
                format!("{base} {}", i / COMPANIES.len() + 1)
            };
            NewClient {
                name,
                contact: format!("support desk, +44 20 7946 {:04}", i % 10_000),
            }
        })
        .collect()
}

/// `n` sample issues spread over `clients`.
pub fn issues(clients: &[Client], n: usize, seed: u64) -> Vec<NewIssue> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|_| {
            let (category, title, description) = PROBLEMS[rng.usize(..PROBLEMS.len())];
            let client = &clients[rng.usize(..clients.len())];
            NewIssue {
                client_id: client.id.clone(),
                title: title.to_owned(),
                description: description.to_owned(),
                steps: "1. Sign in as the affected user\n2. Repeat what the client did".to_owned(),
                category: category.to_owned(),
                impact: IMPACTS[rng.usize(..IMPACTS.len())].to_owned(),
                urgency: URGENCIES[rng.usize(..URGENCIES.len())].to_owned(),
                affected_users: rng.i64(1..60),
            }
        })
        .collect()
}
