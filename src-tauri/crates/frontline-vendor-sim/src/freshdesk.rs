//! The Freshdesk flavour (`--flavour freshdesk`): the subset of Freshdesk's API v2 Frontline
//! uses, over the same store as the Zendesk flavour. Numbers for priorities and statuses,
//! Basic auth with an API key (`key:X`), `Link` pagination (per_page ≤ 100, page ≤ 300, only the
//! last 30 days without `updated_since`), `X-RateLimit-*` headers, validation errors in
//! Freshdesk's shape, files as multipart `attachments[]` on replies and notes (20 MB per ticket
//! in all), and no idempotency keys.
#![allow(clippy::result_large_err)]
use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::api::{db_error, set};
use crate::store::{self, AGENT_ID, AGENT_NAME, REQUESTER_ID};
use crate::{lock, Shared};

type Shared_ = State<Arc<Shared>>;

/// Files a ticket takes in all.
const TICKET_FILES_LIMIT: i64 = 20 * 1024 * 1024;
/// The last page a list serves.
const PAGE_CAP: i64 = 300;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v2/tickets", post(create).get(list))
        .route("/api/v2/tickets/{id}", get(show).put(update))
        .route("/api/v2/tickets/{id}/reply", post(reply))
        .route("/api/v2/tickets/{id}/notes", post(note))
        .route("/api/v2/tickets/{id}/conversations", get(conversations))
        .route("/api/v2/agents/{id}", get(agent))
        .route("/api/v2/solutions/categories", get(categories))
        .route("/api/v2/solutions/categories/{id}/folders", get(folders))
        .route("/api/v2/solutions/folders/{id}/articles", get(articles))
        .layer(DefaultBodyLimit::max(32 * 1024 * 1024))
}

/// Freshdesk's error shape.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

/// A validation error, as Freshdesk words it.
pub(crate) fn invalid(field: &str, message: &str, code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "description": "Validation failed",
            "errors": [{"field": field, "message": message, "code": code}],
        })),
    )
        .into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({}))).into_response()
}

fn status_number(word: &str) -> i64 {
    match word {
        "pending" | "hold" => 3,
        "solved" => 4,
        "closed" => 5,
        _ => 2,
    }
}

fn status_word(n: i64) -> Option<&'static str> {
    match n {
        2 => Some("open"),
        3 => Some("pending"),
        4 => Some("solved"),
        5 => Some("closed"),
        _ => None,
    }
}

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

fn priority_number(word: Option<&str>) -> i64 {
    word.and_then(|w| PRIORITIES.iter().position(|p| *p == w))
        .map(|i| i as i64 + 1)
        .unwrap_or(1)
}

/// The text a person reads in an HTML body.
fn text_of(html: &str) -> String {
    let with_breaks = html
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(with_breaks.len());
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn ticket_json(
    db: &Connection,
    id: i64,
    with_description: bool,
) -> rusqlite::Result<Option<Value>> {
    db.query_row(
        "SELECT t.id, t.external_id, t.subject, t.description, t.priority, t.status, t.tags, t.assignee_id,
                t.created_at, t.updated_at
         FROM tickets t LEFT JOIN fd_requesters r ON r.ticket_id = t.id WHERE t.id = ?1",
        [id],
        |r| {
            let tags: String = r.get(6)?;
            let description: String = r.get(3)?;
            let mut t = json!({
                "id": r.get::<_, i64>(0)?,
                "subject": r.get::<_, String>(2)?,
                "priority": priority_number(r.get::<_, Option<String>>(4)?.as_deref()),
                "status": status_number(&r.get::<_, String>(5)?),
                "tags": serde_json::from_str::<Value>(&tags).unwrap_or(json!([])),
                "responder_id": r.get::<_, Option<i64>>(7)?,
                "requester_id": REQUESTER_ID,
                "source": 2,
                "type": null,
                "spam": false,
                "fr_escalated": false,
                "custom_fields": {"cf_frontline_id": r.get::<_, Option<String>>(1)?},
                "created_at": seconds(&r.get::<_, String>(8)?),
                "updated_at": seconds(&r.get::<_, String>(9)?),
            });
            if with_description {
                t["description_text"] = json!(text_of(&description));
                t["description"] = json!(description);
            }
            Ok(t)
        },
    )
    .optional()
}

/// Freshdesk writes times to the second.
fn seconds(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| {
            d.to_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| t.to_owned())
}

fn int(v: &Value, field: &str) -> Result<Option<i64>, Response> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
            invalid(
                field,
                "It should be a Positive Integer",
                "datatype_mismatch",
            )
        }),
        Some(_) => Err(invalid(
            field,
            "It should be a/an Positive Integer",
            "datatype_mismatch",
        )),
    }
}

fn read_json(body: &[u8]) -> Result<Value, Response> {
    let v: Value = serde_json::from_slice(body).map_err(|_| {
        error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "Request body has invalid json format",
        )
    })?;
    if !v.is_object() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "Request body has invalid json format",
        ));
    }
    Ok(v)
}

async fn create(State(s): Shared_, body: Bytes) -> Response {
    let v = match read_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let text = |f: &str| {
        v.get(f)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
    };
    let (subject, description, email) = (text("subject"), text("description"), text("email"));
    if subject.is_empty() {
        return invalid(
            "subject",
            "It should not be blank as this is a mandatory field",
            "missing_field",
        );
    }
    if description.is_empty() {
        return invalid(
            "description",
            "It should not be blank as this is a mandatory field",
            "missing_field",
        );
    }
    if !email.contains('@') {
        return invalid(
            "email",
            "It is not in a valid email format",
            "invalid_value",
        );
    }
    let priority = match int(&v, "priority") {
        Ok(p) => p.unwrap_or(1),
        Err(r) => return r,
    };
    if !(1..=4).contains(&priority) {
        return invalid(
            "priority",
            "It should be one of these values: '1,2,3,4'",
            "invalid_value",
        );
    }
    let status = match int(&v, "status") {
        Ok(st) => st.unwrap_or(2),
        Err(r) => return r,
    };
    let Some(status) = status_word(status) else {
        return invalid(
            "status",
            "It should be one of these values: '2,3,4,5'",
            "invalid_value",
        );
    };
    let tags: Vec<String> = v
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let external_id = v
        .pointer("/custom_fields/cf_frontline_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let db = lock(&s.db);
    let created: rusqlite::Result<i64> = (|| {
        let id = store::create_ticket(
            &db,
            &store::NewTicket {
                external_id,
                subject: subject.to_owned(),
                description: description.to_owned(),
                priority: Some(PRIORITIES[priority as usize - 1].to_owned()),
                kind: None,
                tags,
                uploads: Vec::new(),
            },
        )?;
        db.execute(
            "UPDATE tickets SET status = ?2 WHERE id = ?1",
            params![id, status],
        )?;
        db.execute(
            "INSERT INTO fd_requesters (ticket_id, email) VALUES (?1, ?2)",
            params![id, email],
        )?;
        Ok(id)
    })();
    let id = match created {
        Ok(id) => id,
        Err(e) => return db_error(e),
    };
    if let Some(delay) = s.config.auto_reply {
        crate::api::schedule_reply(&s, id, delay);
    }
    match ticket_json(&db, id, true) {
        Ok(Some(t)) => {
            let mut r = (StatusCode::CREATED, Json(t)).into_response();
            set(
                r.headers_mut(),
                "location",
                &format!("{}/api/v2/tickets/{id}", s.base),
            );
            r
        }
        Ok(None) => not_found(),
        Err(e) => db_error(e),
    }
}

/// `per_page` (≤ 100) and `page` (1 ≤ page ≤ 300).
fn paging(q: &HashMap<String, String>) -> Result<(i64, i64), Response> {
    let number = |field: &str, default: i64| -> Result<i64, Response> {
        match q.get(field) {
            None => Ok(default),
            Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                invalid(
                    field,
                    "It should be a Positive Integer",
                    "datatype_mismatch",
                )
            }),
        }
    };
    let per_page = number("per_page", 30)?;
    if per_page > 100 {
        return Err(invalid(
            "per_page",
            "It should be a Positive Integer less than or equal to 100",
            "invalid_value",
        ));
    }
    let page = number("page", 1)?;
    if page > PAGE_CAP {
        return Err(invalid(
            "page",
            "It should be a Positive Integer less than or equal to 300",
            "invalid_value",
        ));
    }
    Ok((per_page, page))
}

/// A page of a list (read with one row more than `per_page`, to know whether there is more),
/// with the `Link` header to the next page when there is.
fn paged(
    s: &Shared,
    path: &str,
    q: &HashMap<String, String>,
    rows: rusqlite::Result<Vec<Value>>,
    per_page: i64,
) -> Response {
    let mut rows = match rows {
        Ok(r) => r,
        Err(e) => return db_error(e),
    };
    let more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    let mut r = Json(Value::Array(rows)).into_response();
    if more {
        let page: i64 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let next = if lock(&s.faults).loop_cursor {
            page
        } else {
            page + 1
        };
        let mut pairs: Vec<(String, String)> = q
            .iter()
            .filter(|(k, _)| k.as_str() != "page")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        pairs.sort();
        pairs.push(("page".to_owned(), next.to_string()));
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        set(
            r.headers_mut(),
            "link",
            &format!("<{}{path}?{}>; rel=\"next\"", s.base, query.join("&")),
        );
    }
    r
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn list(State(s): Shared_, Query(q): Query<HashMap<String, String>>) -> Response {
    let (per_page, page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let since = match q.get("updated_since") {
        Some(v) => match chrono::DateTime::parse_from_rfc3339(v) {
            Ok(t) => Some(t.to_utc()),
            Err(_) => {
                return invalid(
                    "updated_since",
                    "It should be in the 'valid date time' format",
                    "invalid_date",
                )
            }
        },
        None => None,
    };
    let order_by = match q.get("order_by").map(String::as_str) {
        None | Some("created_at") => "created_at",
        Some("updated_at") => "updated_at",
        Some("due_by") => "created_at",
        Some(_) => {
            return invalid(
                "order_by",
                "It should be one of these values: 'created_at,due_by,updated_at,status'",
                "invalid_value",
            )
        }
    };
    let order_type = match q.get("order_type").map(String::as_str) {
        None | Some("desc") => "DESC",
        Some("asc") => "ASC",
        Some(_) => {
            return invalid(
                "order_type",
                "It should be one of these values: 'asc,desc'",
                "invalid_value",
            )
        }
    };
    let with_description = q
        .get("include")
        .is_some_and(|i| i.split(',').any(|x| x == "description"));
    // Without updated_since, only what was created in the last 30 days.
    let (column, bound) = match since {
        Some(t) => ("updated_at", t),
        None => (
            "created_at",
            chrono::Utc::now() - chrono::Duration::days(30),
        ),
    };
    let bound = bound.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let email = q.get("email").cloned().unwrap_or_default();
    let db = lock(&s.db);
    let rows: rusqlite::Result<Vec<i64>> = (|| {
        // Times are compared as the second Freshdesk shows (updated_since is inclusive).
        let sql = format!(
            "SELECT t.id FROM tickets t LEFT JOIN fd_requesters r ON r.ticket_id = t.id
             WHERE substr(t.{column}, 1, 19) >= substr(?1, 1, 19) AND (?2 = '' OR r.email = ?2)
             ORDER BY t.{order_by} {order_type}, t.id {order_type} LIMIT ?3 OFFSET ?4"
        );
        let mut stmt = db.prepare(&sql)?;
        let ids = stmt.query_map(
            params![bound, email, per_page + 1, (page - 1) * per_page],
            |r| r.get(0),
        )?;
        ids.collect()
    })();
    let tickets = rows.and_then(|ids| {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(ticket_json(&db, id, with_description)?);
        }
        Ok(out)
    });
    drop(db);
    paged(&s, "/api/v2/tickets", &q, tickets, per_page)
}

async fn show(State(s): Shared_, Path(id): Path<i64>) -> Response {
    match ticket_json(&lock(&s.db), id, true) {
        Ok(Some(t)) => Json(t).into_response(),
        Ok(None) => not_found(),
        Err(e) => db_error(e),
    }
}

async fn update(State(s): Shared_, Path(id): Path<i64>, body: Bytes) -> Response {
    let v = match read_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let priority = match int(&v, "priority") {
        Ok(p) => p,
        Err(r) => return r,
    };
    if priority.is_some_and(|p| !(1..=4).contains(&p)) {
        return invalid(
            "priority",
            "It should be one of these values: '1,2,3,4'",
            "invalid_value",
        );
    }
    let status = match int(&v, "status") {
        Ok(st) => st,
        Err(r) => return r,
    };
    let status = match status.map(status_word) {
        Some(None) => {
            return invalid(
                "status",
                "It should be one of these values: '2,3,4,5'",
                "invalid_value",
            )
        }
        Some(Some(w)) => Some(w),
        None => None,
    };
    let tags = v.get("tags").map(|t| t.to_string());
    let db = lock(&s.db);
    let changed = db.execute(
        "UPDATE tickets SET priority = coalesce(?2, priority), status = coalesce(?3, status),
            tags = coalesce(?4, tags), updated_at = ?5 WHERE id = ?1",
        params![
            id,
            priority.map(|p| PRIORITIES[p as usize - 1]),
            status,
            tags,
            store::now()
        ],
    );
    match changed {
        Ok(0) => not_found(),
        Ok(_) => match ticket_json(&db, id, true) {
            Ok(Some(t)) => Json(t).into_response(),
            Ok(None) => not_found(),
            Err(e) => db_error(e),
        },
        Err(e) => db_error(e),
    }
}

/// A file sent with a reply or note.
struct Part {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// The body and files of a reply or note, from JSON or `multipart/form-data`.
async fn conversation_input(
    s: &Arc<Shared>,
    req: Request,
) -> Result<(String, Option<bool>, Vec<Part>), Response> {
    let multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = Bytes::from_request(req, s)
            .await
            .map_err(IntoResponse::into_response)?;
        let v = read_json(&body)?;
        let text = v
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        return Ok((text, v.get("private").and_then(Value::as_bool), Vec::new()));
    }
    let mut form = Multipart::from_request(req, s)
        .await
        .map_err(IntoResponse::into_response)?;
    let (mut text, mut private, mut files) = (String::new(), None, Vec::new());
    let bad = |_| {
        error(
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
            "The multipart body could not be read",
        )
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "body" => text = field.text().await.map_err(bad)?,
            "private" => private = Some(field.text().await.map_err(bad)? == "true"),
            "attachments[]" => {
                let name = field.file_name().unwrap_or("attachment").to_owned();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                files.push(Part {
                    name,
                    content_type,
                    bytes,
                });
            }
            other => {
                return Err(invalid(
                    other,
                    "Unexpected/invalid field in request",
                    "invalid_field",
                ))
            }
        }
    }
    Ok((text, private, files))
}

async fn reply(State(s): Shared_, Path(id): Path<i64>, req: Request) -> Response {
    add_conversation(s, id, req, false).await
}

async fn note(State(s): Shared_, Path(id): Path<i64>, req: Request) -> Response {
    add_conversation(s, id, req, true).await
}

async fn add_conversation(s: Arc<Shared>, id: i64, req: Request, note: bool) -> Response {
    let (text, private, files) = match conversation_input(&s, req).await {
        Ok(input) => input,
        Err(r) => return r,
    };
    if text.trim().is_empty() {
        return invalid(
            "body",
            "It should not be blank as this is a mandatory field",
            "missing_field",
        );
    }
    let public = !(note && private.unwrap_or(true));
    let db = lock(&s.db);
    let done: rusqlite::Result<Option<Response>> = (|| {
        let exists: bool = db.query_row(
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(Some(not_found()));
        }
        let held: i64 = db.query_row(
            "SELECT coalesce(sum(json_extract(a.value, '$.size')), 0)
             FROM comments c, json_each(c.attachments) a WHERE c.ticket_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let adding: i64 = files.iter().map(|f| f.bytes.len() as i64).sum();
        if held + adding > TICKET_FILES_LIMIT {
            return Ok(Some(invalid(
                "attachments",
                "The cumulative size of the attachments of a ticket should not exceed 20 MB",
                "invalid_size",
            )));
        }
        let now = store::now();
        let mut tokens = Vec::new();
        for f in &files {
            let token = format!(
                "fd-{}",
                hex::encode(Sha256::digest(format!("{now}{}{}", f.name, tokens.len())))
            );
            let attachment_id: i64 = db.query_row(
                "UPDATE counters SET value = value + 1 WHERE name = 'attachment' RETURNING value",
                [],
                |r| r.get(0),
            )?;
            db.execute(
                "INSERT INTO uploads (token, attachment_id, file_name, content_type, size, sha256, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    token,
                    attachment_id,
                    f.name,
                    f.content_type,
                    f.bytes.len() as i64,
                    hex::encode(Sha256::digest(&f.bytes)),
                    now
                ],
            )?;
            tokens.push(token);
        }
        let comment = store::insert_comment(&db, id, REQUESTER_ID, &text, public, &tokens, &now)?;
        Ok(Some(
            (
                StatusCode::CREATED,
                Json(conversation_json(&db, comment)?.unwrap_or(json!({}))),
            )
                .into_response(),
        ))
    })();
    match done {
        Ok(Some(r)) => r,
        Ok(None) => not_found(),
        Err(e) => db_error(e),
    }
}

fn conversation_json(db: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    db.query_row(
        "SELECT id, ticket_id, author_id, body, public, attachments, created_at FROM comments WHERE id = ?1",
        [id],
        conversation_row,
    )
    .optional()
}

fn conversation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    let body: String = r.get(3)?;
    let attachments: String = r.get(5)?;
    let created = seconds(&r.get::<_, String>(6)?);
    let author: i64 = r.get(2)?;
    Ok(json!({
        "id": r.get::<_, i64>(0)?,
        "ticket_id": r.get::<_, i64>(1)?,
        "user_id": author,
        "body": body,
        "body_text": text_of(&body),
        "incoming": false,
        "private": !r.get::<_, bool>(4)?,
        "source": 0,
        "from_email": null,
        "attachments": serde_json::from_str::<Value>(&attachments).unwrap_or(json!([])),
        "created_at": created,
        "updated_at": created,
    }))
}

async fn conversations(
    State(s): Shared_,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (per_page, page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = lock(&s.db);
    // The ticket's description is its first comment here; Freshdesk does not list it.
    let rows: rusqlite::Result<Vec<Value>> = (|| {
        let mut stmt = db.prepare(
            "SELECT id, ticket_id, author_id, body, public, attachments, created_at FROM comments
             WHERE ticket_id = ?1 AND id > (SELECT min(id) FROM comments WHERE ticket_id = ?1)
             ORDER BY id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(
            params![id, per_page + 1, (page - 1) * per_page],
            conversation_row,
        )?;
        rows.collect()
    })();
    drop(db);
    paged(
        &s,
        &format!("/api/v2/tickets/{id}/conversations"),
        &q,
        rows,
        per_page,
    )
}

async fn agent(Path(id): Path<String>) -> Response {
    // `me` is the agent the API key belongs to: the partner's desk.
    let Ok(id) = (if id == "me" {
        Ok(REQUESTER_ID)
    } else {
        id.parse::<i64>()
    }) else {
        return not_found();
    };
    let name = match id {
        AGENT_ID => AGENT_NAME,
        REQUESTER_ID => "Partner support desk",
        _ => return not_found(),
    };
    Json(json!({
        "id": id,
        "available": true,
        "occasional": id == REQUESTER_ID,
        "contact": {"name": name, "email": format!("agent{id}@vendor.example"), "active": true},
    }))
    .into_response()
}

async fn categories() -> Response {
    Json(json!([{"id": 1, "name": "Vendor knowledge base", "description": ""}])).into_response()
}

async fn folders(Path(id): Path<i64>) -> Response {
    if id != 1 {
        return not_found();
    }
    Json(json!([{"id": 1, "name": "Articles", "description": ""}])).into_response()
}

async fn articles(
    State(s): Shared_,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if id != 1 {
        return not_found();
    }
    let (per_page, page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = lock(&s.db);
    let rows: rusqlite::Result<Vec<Value>> = (|| {
        let mut stmt = db.prepare(
            "SELECT id, title, body, labels, updated_at, deleted FROM articles ORDER BY id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![per_page + 1, (page - 1) * per_page], |r| {
            let labels: String = r.get(3)?;
            let updated = seconds(&r.get::<_, String>(4)?);
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "title": r.get::<_, String>(1)?,
                "description": r.get::<_, String>(2)?,
                "status": if r.get::<_, bool>(5)? { 1 } else { 2 },
                "type": 1,
                "category_id": 1,
                "folder_id": 1,
                "tags": serde_json::from_str::<Value>(&labels).unwrap_or(json!([])),
                "created_at": updated,
                "updated_at": updated,
            }))
        })?;
        rows.collect()
    })();
    drop(db);
    paged(
        &s,
        &format!("/api/v2/solutions/folders/{id}/articles"),
        &q,
        rows,
        per_page,
    )
}

/// Basic auth with the API key as user name and any password (`key:X`).
pub(crate) fn authorised(decoded: &str, key: &str) -> bool {
    decoded.split_once(':').is_some_and(|(k, _)| k == key)
}

/// The store's table of who each Freshdesk ticket is from.
pub(crate) const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS fd_requesters (ticket_id INTEGER PRIMARY KEY, email TEXT NOT NULL);";

/// What a broken answer looks like in Freshdesk's shapes (the transport faults are the same
/// for both flavours).
pub(crate) fn fault_body(fault: crate::Fault) -> Option<Response> {
    use crate::Fault;
    Some(match fault {
        Fault::Malformed => (
            StatusCode::CREATED,
            [("content-type", "application/json")],
            "{\"id\":12,\"subject\":",
        )
            .into_response(),
        Fault::MissingId => (StatusCode::CREATED, Json(json!({"subject": "?"}))).into_response(),
        Fault::WrongTypes => (
            StatusCode::CREATED,
            Json(json!({"id": "four", "status": "x"})),
        )
            .into_response(),
        Fault::Invalid => invalid(
            "requester_id",
            "The requester is blocked and cannot create tickets",
            "invalid_value",
        ),
        Fault::Status500 => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "We're sorry, but something went wrong.",
        ),
        _ => return None,
    })
}
