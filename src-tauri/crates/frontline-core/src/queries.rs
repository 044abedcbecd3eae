//! SQL for reading issues and clients, and the mapping from rows to model types.
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::{
    Attachment, Client, EventBody, Issue, IssueEvent, IssuePage, IssueQuery, IssueRow, QueueSort,
    Urgency,
};
use crate::priority::PriorityMatrix;
use crate::status::Status;

/// Most rows one queue request may ask for.
pub(crate) const PAGE_MAX: u32 = 500;

pub(crate) fn key(number: i64) -> String {
    format!("FL-{number}")
}

const ISSUE_COLUMNS: &str =
    "i.id, i.number, i.client_id, c.name, i.title, i.description, i.steps, i.category, \
     i.impact, i.urgency, i.priority, i.affected_users, i.status, i.created_at, i.created_by, \
     i.updated_at, i.updated_by, i.critical";

pub(crate) fn issue(conn: &Connection, id: &str, matrix: &PriorityMatrix) -> Result<Issue> {
    let sql = format!(
        "SELECT {ISSUE_COLUMNS} FROM issues i JOIN clients c ON c.id = i.client_id WHERE i.id = ?1"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok(issue_from_row(r)))
        .optional()?;
    let mut issue = found.ok_or_else(|| Error::NotFound {
        what: "Issue",
        id: id.to_owned(),
    })??;
    issue.priority_reason = matrix
        .assess(&issue.impact, issue.urgency)
        .map(|a| a.reason)
        .unwrap_or_else(|_| {
            format!(
                "{} (set before the priority matrix changed)",
                issue.priority
            )
        });
    Ok(issue)
}

fn issue_from_row(r: &Row<'_>) -> Result<Issue> {
    let number: i64 = r.get(1)?;
    Ok(Issue {
        id: r.get(0)?,
        number,
        key: key(number),
        client_id: r.get(2)?,
        client_name: r.get(3)?,
        title: r.get(4)?,
        description: r.get(5)?,
        steps: r.get(6)?,
        category: r.get(7)?,
        impact: r.get(8)?,
        urgency: Urgency::parse(&r.get::<_, String>(9)?)?,
        priority: r.get(10)?,
        priority_reason: String::new(),
        affected_users: r.get(11)?,
        status: Status::parse(&r.get::<_, String>(12)?)?,
        created_at: r.get(13)?,
        created_by: r.get(14)?,
        updated_at: r.get(15)?,
        updated_by: r.get(16)?,
        critical: r.get(17)?,
    })
}

pub(crate) fn events(conn: &Connection, issue_id: &str) -> Result<Vec<IssueEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.at, e.actor, e.data, w.actor || ' at ' || w.at, e.global_id,
                CASE WHEN o.state = 'refused' THEN coalesce(o.refused, '') END,
                d.global_id IS NOT NULL
         FROM issue_events e
         LEFT JOIN team_superseded s ON s.global_id = e.global_id
         LEFT JOIN issue_events w ON w.global_id = s.by_id
         LEFT JOIN team_outbox o ON o.global_id = e.global_id
         LEFT JOIN team_discarded d ON d.global_id = e.global_id
         WHERE e.issue_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([issue_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (id, at, actor, data, superseded_by, global_id, refused, discarded) = row?;
        let body: EventBody = serde_json::from_str(&data)
            .map_err(|e| Error::Decode(format!("timeline event {id}: {e}")))?;
        Ok(IssueEvent {
            id,
            at,
            actor,
            body,
            superseded_by,
            hub_refusal: refused.map(|words| crate::model::HubRefusal {
                event: global_id.unwrap_or_default(),
                words,
                discarded,
            }),
        })
    })
    .collect()
}

pub(crate) fn attachments(
    conn: &Connection,
    issue_id: &str,
    store: &Path,
) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, issue_id, sha256, file_name, media_type, size, added_at, added_by
         FROM attachments WHERE issue_id = ?1 ORDER BY added_at, id",
    )?;
    let rows = stmt.query_map([issue_id], |r| attachment_from_row(r, store))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn attachment(conn: &Connection, id: &str, store: &Path) -> Result<Attachment> {
    conn.prepare_cached(
        "SELECT id, issue_id, sha256, file_name, media_type, size, added_at, added_by FROM attachments WHERE id = ?1",
    )?
    .query_row([id], |r| attachment_from_row(r, store))
    .optional()?
    .ok_or_else(|| Error::NotFound { what: "Attachment", id: id.to_owned() })
}

fn attachment_from_row(r: &Row<'_>, store: &Path) -> rusqlite::Result<Attachment> {
    let sha256: String = r.get(2)?;
    Ok(Attachment {
        path: crate::attachments::path_of(store, &sha256)
            .display()
            .to_string(),
        id: r.get(0)?,
        issue_id: r.get(1)?,
        sha256,
        file_name: r.get(3)?,
        media_type: r.get(4)?,
        size: r.get(5)?,
        added_at: r.get(6)?,
        added_by: r.get(7)?,
    })
}

pub(crate) fn clients(conn: &Connection) -> Result<Vec<Client>> {
    // One pass over `issues_client_open` counts every client's issues (`is_open` is the
    // schema's own definition of open).
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.contact, c.created_at, coalesce(n.open, 0), coalesce(n.total, 0)
         FROM clients c
         LEFT JOIN (SELECT client_id, sum(is_open) AS open, count(*) AS total
                    FROM issues GROUP BY client_id) n ON n.client_id = c.id
         ORDER BY c.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Client {
            id: r.get(0)?,
            name: r.get(1)?,
            contact: r.get(2)?,
            created_at: r.get(3)?,
            open_issues: r.get(4)?,
            total_issues: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Turns what the agent typed into an FTS5 query: every word must match, each as a prefix, so
/// "pass res" finds "password reset". Quotes keep FTS5 syntax characters literal.
pub(crate) fn match_expression(search: &str) -> Option<String> {
    let terms: Vec<String> = search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(16)
        .map(|t| format!("\"{}\"*", t.to_lowercase()))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Most matches a search counts exactly; past it the page says "1,000+" and the agent adds a
/// word. Counting every match of a common word would cost more than the page itself.
pub(crate) const SEARCH_COUNT_CAP: i64 = 1_000;

/// Below this many full-text matches, a search starts from the matches rather than the queue.
const FTS_FIRST_BELOW: i64 = 3_000;

/// `only`: a JSON array of issue ids the page is limited to (the issues behind a report's figure).
pub(crate) fn queue(
    conn: &Connection,
    q: &IssueQuery,
    user: &str,
    only: Option<&str>,
) -> Result<IssuePage> {
    let mut filters: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut statuses: Vec<Status> = q.statuses.clone();
    statuses.sort_by_key(|s| s.as_str());
    statuses.dedup();
    let mut open = crate::status::OPEN.to_vec();
    open.sort_by_key(|s| s.as_str());
    if statuses == open {
        // The default view; `is_open` has an index in queue order.
        filters.push("i.is_open = 1".into());
    } else if !statuses.is_empty() {
        filters.push(format!("i.status IN ({})", placeholders(statuses.len())));
        params.extend(statuses.iter().map(|s| Value::Text(s.as_str().to_owned())));
    }
    if !q.priorities.is_empty() {
        filters.push(format!(
            "i.priority IN ({})",
            placeholders(q.priorities.len())
        ));
        params.extend(q.priorities.iter().map(|p| Value::Text(p.clone())));
    }
    let client = q.client_id.as_deref().filter(|c| !c.is_empty());
    if let Some(client) = client {
        filters.push("i.client_id = ?".into());
        params.push(Value::Text(client.to_owned()));
    }
    if q.mine {
        filters.push("(i.created_by = ? OR i.updated_by = ?)".into());
        params.push(Value::Text(user.to_owned()));
        params.push(Value::Text(user.to_owned()));
    }
    if let Some(ids) = only {
        filters.push("i.id IN (SELECT value FROM json_each(?))".into());
        params.push(Value::Text(ids.to_owned()));
    }
    let search = match_expression(&q.search);
    // How many issues the words match decides the plan: few, and the matches are looked up and
    // sorted; many, and the queue index is walked in order until enough of them turn up.
    let fts_first = match &search {
        Some(expr) => {
            let matches: i64 = conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM issues_fts WHERE issues_fts MATCH ?1 LIMIT {})",
                    FTS_FIRST_BELOW + 1
                ))?
                .query_row([expr], |r| r.get(0))?;
            matches <= FTS_FIRST_BELOW
        }
        None => false,
    };
    if let Some(expr) = &search {
        filters.insert(
            0,
            if fts_first {
                "f.issues_fts MATCH ?".into()
            } else {
                "i.rowid IN (SELECT rowid FROM issues_fts WHERE issues_fts MATCH ?)".into()
            },
        );
        params.insert(0, Value::Text(expr.clone()));
    }
    let where_clause = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };

    let order = match q.sort {
        QueueSort::Priority => "i.priority_rank, i.updated_at DESC",
        QueueSort::Updated => "i.updated_at DESC",
        QueueSort::Newest => "i.number DESC",
        QueueSort::Oldest => "i.number",
        QueueSort::Breach => {
            "i.sla_due_at IS NULL, i.sla_due_at, i.priority_rank, i.updated_at DESC"
        }
    };
    let limit = i64::from(q.limit.clamp(1, PAGE_MAX));
    let columns = "i.id, i.number, i.title, i.client_id, c.name, i.category, i.priority, i.urgency, i.status, i.updated_at, i.created_by, i.updated_by";
    // A search evaluates the full-text match once: the first SEARCH_COUNT_CAP hits in queue
    // order are collected, counted, and the page is cut from them.
    let source = if fts_first {
        "issues_fts f CROSS JOIN issues i ON i.rowid = f.rowid"
    } else {
        "issues i"
    };
    let (sql, counted_in_query) = if search.is_some() {
        let sql = format!(
            "WITH hits AS MATERIALIZED (
                 SELECT i.rowid AS rid FROM {source} {where_clause} ORDER BY {order} LIMIT {SEARCH_COUNT_CAP})
             SELECT {columns}, (SELECT count(*) FROM hits)
             FROM hits h JOIN issues i ON i.rowid = h.rid JOIN clients c ON c.id = i.client_id
             ORDER BY {order} LIMIT ? OFFSET ?"
        );
        (sql, true)
    } else {
        let sql = format!(
            "SELECT {columns}, 0 FROM issues i JOIN clients c ON c.id = i.client_id {where_clause}
             ORDER BY {order} LIMIT ? OFFSET ?"
        );
        (sql, false)
    };
    let filter_params = params.clone();
    params.push(Value::Integer(limit));
    params.push(Value::Integer(i64::from(q.offset)));
    let mut counted = None;
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
            r.get::<_, String>(10)?,
            r.get::<_, String>(11)?,
            r.get::<_, i64>(12)?,
        ))
    })?;
    let rows = rows
        .map(|row| {
            let (
                id,
                number,
                title,
                client_id,
                client_name,
                category,
                priority,
                urgency,
                status,
                updated_at,
                created_by,
                updated_by,
                hits,
            ) = row?;
            counted = Some(hits);
            Ok(IssueRow {
                id,
                key: key(number),
                title,
                client_id,
                client_name,
                category,
                priority,
                urgency: Urgency::parse(&urgency)?,
                status: Status::parse(&status)?,
                updated_at,
                created_by,
                updated_by,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let total = match (counted_in_query, counted) {
        (true, Some(n)) => n,
        _ if search.is_none() && client.is_none() && !q.mine && only.is_none() => {
            count_from_totals(conn, &statuses, &q.priorities)?
        }
        _ => {
            let cap = if search.is_some() {
                SEARCH_COUNT_CAP
            } else {
                i64::MAX
            };
            conn.prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM {source} {where_clause} LIMIT {cap})"
            ))?
            .query_row(rusqlite::params_from_iter(filter_params.iter()), |r| {
                r.get(0)
            })?
        }
    };
    let total_capped = search.is_some() && total >= SEARCH_COUNT_CAP;
    Ok(IssuePage {
        total,
        total_capped,
        offset: q.offset,
        rows,
    })
}

/// The queue's total from the per-status, per-priority counts (kept by triggers).
fn count_from_totals(conn: &Connection, statuses: &[Status], priorities: &[String]) -> Result<i64> {
    let mut filters = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if !statuses.is_empty() {
        filters.push(format!("status IN ({})", placeholders(statuses.len())));
        params.extend(statuses.iter().map(|s| Value::Text(s.as_str().to_owned())));
    }
    if !priorities.is_empty() {
        filters.push(format!("priority IN ({})", placeholders(priorities.len())));
        params.extend(priorities.iter().map(|p| Value::Text(p.clone())));
    }
    let where_clause = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };
    Ok(conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(n), 0) FROM queue_counts {where_clause}"
        ))?
        .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?)
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}
