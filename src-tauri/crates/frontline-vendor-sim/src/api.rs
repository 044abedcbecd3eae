//! The HTTP surface: Zendesk-compatible endpoints, the guard that rate-limits and injects
//! faults, and the `/_sim` admin endpoints.
// Request readers fail with the response to send (axum's way); it is built once per bad
// request, so its size does not matter.
#![allow(clippy::result_large_err)]
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::store::{self, NewTicket, TICKET_COLUMNS};
use crate::{lock, Fault, FaultPlan, Flavour, Shared};

/// Marks a response whose connection must be dropped instead of answered.
#[derive(Clone, Copy)]
pub(crate) struct DropConnection;

type Shared_ = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = match shared.config.flavour {
        Flavour::Zendesk => zendesk_routes(),
        Flavour::Freshdesk => crate::freshdesk::routes(),
    };
    api.route("/_sim/stats", get(stats))
        .route("/_sim/faults", put(set_faults))
        .route("/_sim/tickets/{id}/reply", post(admin_reply))
        .route("/_sim/articles", post(admin_articles))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

fn zendesk_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v2/tickets.json",
            post(create_ticket).get(list_tickets),
        )
        .route(
            "/api/v2/requests.json",
            post(create_request).get(list_requests),
        )
        .route(
            "/api/v2/tickets/{file}",
            get(show_ticket).put(update_ticket),
        )
        .route(
            "/api/v2/requests/{file}",
            get(show_request).put(update_request),
        )
        .route("/api/v2/tickets/{id}/comments.json", get(ticket_comments))
        .route("/api/v2/requests/{id}/comments.json", get(request_comments))
        .route("/api/v2/uploads.json", post(upload))
        .route("/api/v2/users/me.json", get(me))
        .route("/api/v2/help_center/articles.json", get(list_articles))
        .route(
            "/api/v2/help_center/incremental/articles.json",
            get(incremental_articles),
        )
}

// ---- the guard: auth, latency, rate limit, faults --------------------------------------------

async fn guard(State(s): Shared_, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_sim") {
        return next.run(req).await;
    }
    {
        let endpoint = req
            .uri()
            .path()
            .split('/')
            .map(|seg| {
                let bare = seg.trim_end_matches(".json");
                if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit()) {
                    seg.replacen(bare, "{id}", 1)
                } else {
                    seg.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let mut stats = lock(&s.stats);
        stats.requests += 1;
        if req.method() != axum::http::Method::GET {
            stats.writes += 1;
        }
        *stats
            .by_endpoint
            .entry(format!("{} {endpoint}", req.method()))
            .or_default() += 1;
    }
    let freshdesk = s.config.flavour == Flavour::Freshdesk;
    if let Some(token) = &s.config.token {
        if !authorised(req.headers(), token, s.config.flavour) {
            return if freshdesk {
                crate::freshdesk::error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_credentials",
                    "You have to be logged in to perform this action.",
                )
            } else {
                error(StatusCode::UNAUTHORIZED, "Couldn't authenticate you", "")
            };
        }
    }
    let plan = lock(&s.faults).clone();
    if plan.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.latency_ms)).await;
    }
    let limit = match rate_check(&s) {
        Ok(limit) => limit,
        Err(retry_after) => {
            lock(&s.stats).rate_limited += 1;
            let mut r = if freshdesk {
                crate::freshdesk::error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limit_exceeded",
                    "You have exceeded the limit of requests per minute",
                )
            } else {
                error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "You have exceeded the rate limit.",
                )
            };
            set(r.headers_mut(), "retry-after", &retry_after.to_string());
            return r;
        }
    };
    let roll = lock(&s.dice).f64();
    let fault = plan.pick(roll);
    if fault.is_some() {
        lock(&s.stats).faults += 1;
    }
    let mut response = match fault {
        None => next.run(req).await,
        Some(f) => inject(s.clone(), f, &plan, req, next).await,
    };
    if let (Some((limit, remaining, _)), true) = (limit, freshdesk) {
        let h = response.headers_mut();
        set(h, "x-ratelimit-total", &limit.to_string());
        set(h, "x-ratelimit-remaining", &remaining.to_string());
        set(h, "x-ratelimit-used-currentrequest", "1");
    } else if let Some((limit, remaining, reset)) = limit {
        let h = response.headers_mut();
        set(h, "x-rate-limit", &limit.to_string());
        set(h, "x-rate-limit-remaining", &remaining.to_string());
        set(h, "ratelimit-limit", &limit.to_string());
        set(h, "ratelimit-remaining", &remaining.to_string());
        set(h, "ratelimit-reset", &reset.to_string());
    }
    response
}

fn authorised(headers: &HeaderMap, token: &str, flavour: Flavour) -> bool {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let decoded = String::from_utf8_lossy(&decoded);
    if flavour == Flavour::Freshdesk {
        return crate::freshdesk::authorised(&decoded, token);
    }
    decoded
        .split_once("/token:")
        .is_some_and(|(email, t)| !email.is_empty() && t == token)
}

/// Counts the request in the current window: `Ok(Some((limit, remaining, reset_s)))`, or
/// `Err(retry_after_s)` past the limit.
fn rate_check(s: &Shared) -> Result<Option<(u32, u32, u64)>, u64> {
    let Some(limit) = s.config.rate_limit else {
        return Ok(None);
    };
    let window = s.config.rate_window;
    let mut w = lock(&s.window);
    let now = Instant::now();
    if now.duration_since(w.0) >= window {
        *w = (now, 0);
    }
    let left = window.saturating_sub(now.duration_since(w.0));
    let reset = left.as_secs_f64().ceil().max(1.0) as u64;
    if w.1 >= limit {
        return Err(reset);
    }
    w.1 += 1;
    Ok(Some((limit, limit - w.1, reset)))
}

async fn inject(
    s: Arc<Shared>,
    fault: Fault,
    plan: &FaultPlan,
    req: Request,
    next: Next,
) -> Response {
    let retry_after = plan.retry_after.clone();
    let with_retry = |mut r: Response| {
        if let Some(v) = &retry_after {
            set(r.headers_mut(), "retry-after", v);
        }
        r
    };
    if s.config.flavour == Flavour::Freshdesk {
        if let Some(r) = crate::freshdesk::fault_body(fault) {
            return r;
        }
    }
    match fault {
        Fault::Status500 => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "Something went wrong",
        ),
        Fault::Status503 => with_retry(
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [("content-type", "text/plain")],
                "Service Unavailable",
            )
                .into_response(),
        ),
        Fault::Status429 => with_retry(error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Rate limit exceeded",
        )),
        Fault::PlainText429 => (
            StatusCode::TOO_MANY_REQUESTS,
            [("content-type", "text/plain")],
            "Too Many Requests",
        )
            .into_response(),
        Fault::Timeout => {
            tokio::time::sleep(Duration::from_millis(plan.timeout_ms)).await;
            dropped()
        }
        Fault::Reset => dropped(),
        Fault::CommitThenDrop => {
            let _committed = next.run(req).await;
            dropped()
        }
        Fault::Late if req.method() == axum::http::Method::GET => next.run(req).await,
        Fault::Late => {
            // The write goes on by itself: the client giving up (and hyper dropping this
            // handler) does not stop it, as a request already inside the vendor's network
            // is not stopped by the client hanging up.
            let hold = Duration::from_millis(plan.late_ms);
            lock(&s.stats).held += 1;
            let carried_out = tokio::spawn(async move {
                tokio::time::sleep(hold).await;
                let _committed = next.run(req).await;
                lock(&s.stats).held -= 1;
            });
            let _ = carried_out.await;
            dropped()
        }
        Fault::Malformed => (
            StatusCode::CREATED,
            [("content-type", "application/json")],
            "{\"ticket\":{\"id\":12",
        )
            .into_response(),
        Fault::Html => (
            StatusCode::OK,
            [("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
        )
            .into_response(),
        Fault::MissingId => (
            StatusCode::CREATED,
            Json(json!({"ticket": {"subject": "?"}, "request": {"subject": "?"}})),
        )
            .into_response(),
        Fault::WrongTypes => (
            StatusCode::CREATED,
            Json(json!({"ticket": {"id": "four", "status": 7}, "request": {"id": "four", "status": 7}})),
        )
            .into_response(),
        Fault::Invalid => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": "RecordInvalid",
                "description": "Record validation errors",
                "details": {"base": [{"description": "Requester: is suspended and cannot submit requests"}]},
            })),
        )
            .into_response(),
        Fault::Huge => {
            let padding = " ".repeat(20 * 1024 * 1024);
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                format!("{{\"padding\":\"{padding}\"}}"),
            )
                .into_response()
        }
    }
}

fn dropped() -> Response {
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut().insert(DropConnection);
    r
}

pub(crate) fn set(h: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

fn error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "description": description})),
    )
        .into_response()
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "RecordNotFound", "Not found")
}

fn invalid(field: &str, message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {field: [{"description": message, "error": "BlankValue"}]},
        })),
    )
        .into_response()
}

pub(crate) fn db_error(e: rusqlite::Error) -> Response {
    tracing::error!(error = %e, "simulator database");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "DatabaseError",
        &e.to_string(),
    )
}

fn id_of(file: &str) -> Option<i64> {
    file.strip_suffix(".json")?.parse().ok()
}

// ---- creating tickets ---------------------------------------------------------------------

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
const TYPES: [&str; 4] = ["problem", "incident", "question", "task"];

fn parse_new(object: &Value, agent: bool) -> Result<NewTicket, Response> {
    let comment_body = object
        .pointer("/comment/body")
        .or_else(|| object.get("description"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if comment_body.trim().is_empty() {
        return Err(invalid("description", "Description: cannot be blank"));
    }
    let subject = object
        .get("subject")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| comment_body.chars().take(60).collect());
    let priority = object
        .get("priority")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(p) = &priority {
        if !PRIORITIES.contains(&p.as_str()) {
            return Err(invalid("priority", "Priority: is not valid"));
        }
    }
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(k) = &kind {
        if !TYPES.contains(&k.as_str()) {
            return Err(invalid("type", "Type: is not valid"));
        }
    }
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(NewTicket {
        external_id: if agent {
            object
                .get("external_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        } else {
            None
        },
        subject,
        description: comment_body,
        priority,
        kind,
        tags: if agent {
            strings(object.get("tags"))
        } else {
            Vec::new()
        },
        uploads: strings(object.pointer("/comment/uploads")),
    })
}

async fn create_ticket(State(s): Shared_, headers: HeaderMap, body: Bytes) -> Response {
    create(&s, &headers, &body, true)
}

async fn create_request(State(s): Shared_, headers: HeaderMap, body: Bytes) -> Response {
    create(&s, &headers, &body, false)
}

/// The object under `root` in a JSON body (`{"ticket": {...}}`), or the 400 Zendesk gives.
fn envelope(body: &[u8], root: &str) -> Result<Value, Response> {
    let Ok(mut json) = serde_json::from_slice::<Value>(body) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "InvalidJSON",
            "The request body is not valid JSON",
        ));
    };
    json.get_mut(root).map(Value::take).ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            &format!("Parameter {root} is required"),
        )
    })
}

fn create(s: &Shared, headers: &HeaderMap, body: &[u8], agent: bool) -> Response {
    let root = if agent { "ticket" } else { "request" };
    let object = match envelope(body, root) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let object = &object;
    let new = match parse_new(object, agent) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|_| agent || s.config.idempotent_requests)
        .map(str::to_owned);
    let hash = hex::encode(Sha256::digest(body));
    let db = lock(&s.db);
    let mut lookup = None;
    if let Some(key) = &key {
        let found: Option<(String, i64)> = match db
            .query_row(
                "SELECT body_sha256, ticket_id FROM idempotency WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        {
            Ok(f) => f,
            Err(e) => return db_error(e),
        };
        if let Some((stored, ticket_id)) = found {
            if stored != hash {
                return error(
                    StatusCode::BAD_REQUEST,
                    "IdempotentRequestError",
                    "The idempotency key was used with a different request body",
                );
            }
            lock(&s.stats).idempotent_hits += 1;
            return created(s, &db, ticket_id, agent, Some("hit"));
        }
        lookup = Some("miss");
    }
    let id = match store::create_ticket(&db, &new) {
        Ok(id) => id,
        Err(e) => return db_error(e),
    };
    if let Some(key) = &key {
        if let Err(e) = db.execute(
            "INSERT INTO idempotency (key, body_sha256, ticket_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![key, hash, id, store::now()],
        ) {
            return db_error(e);
        }
    }
    if let Some(delay) = s.config.auto_reply {
        schedule_reply(s, id, delay);
    }
    created(s, &db, id, agent, lookup)
}

pub(crate) fn schedule_reply(s: &Shared, ticket_id: i64, delay: Duration) {
    let path = s.config.database.clone();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let answered = store::open(&path).and_then(|conn| {
            store::agent_reply(
                &conn,
                ticket_id,
                "Thanks for the detailed report. I have reproduced the problem on our side and \
                 passed it to the product team; I will update you as soon as there is a fix.",
                None,
            )
        });
        if let Err(e) = answered {
            tracing::warn!(error = %e, "sandbox reply failed");
        }
    });
}

fn created(s: &Shared, db: &Connection, id: i64, agent: bool, lookup: Option<&str>) -> Response {
    let ticket = match store::ticket_json(db, &s.base, id) {
        Ok(Some(t)) => t,
        Ok(None) => return not_found(),
        Err(e) => return db_error(e),
    };
    let (body, location) = if agent {
        (
            json!({ "ticket": ticket }),
            format!("{}/api/v2/tickets/{id}.json", s.base),
        )
    } else {
        (
            json!({ "request": as_request(ticket, &s.base) }),
            format!("{}/api/v2/requests/{id}.json", s.base),
        )
    };
    let mut r = (StatusCode::CREATED, Json(body)).into_response();
    set(r.headers_mut(), "location", &location);
    if let Some(l) = lookup {
        set(r.headers_mut(), "x-idempotency-lookup", l);
    }
    r
}

fn as_request(mut ticket: Value, base: &str) -> Value {
    if let Some(o) = ticket.as_object_mut() {
        let id = o.get("id").and_then(Value::as_i64).unwrap_or_default();
        o.insert(
            "url".into(),
            json!(format!("{base}/api/v2/requests/{id}.json")),
        );
        for private in ["external_id", "tags", "submitter_id", "raw_subject"] {
            o.remove(private);
        }
    }
    ticket
}

// ---- reading tickets ----------------------------------------------------------------------

async fn show_ticket(
    State(s): Shared_,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if file == "show_many.json" {
        return show_many(&s, q.get("ids").map(String::as_str).unwrap_or(""));
    }
    show(&s, &file, true)
}

fn show_many(s: &Shared, ids: &str) -> Response {
    let ids: Vec<i64> = ids
        .split(',')
        .filter_map(|i| i.trim().parse().ok())
        .take(100)
        .collect();
    let db = lock(&s.db);
    let mut tickets = Vec::new();
    for id in ids {
        match store::ticket_json(&db, &s.base, id) {
            Ok(Some(t)) => tickets.push(t),
            Ok(None) => {}
            Err(e) => return db_error(e),
        }
    }
    Json(json!({"tickets": tickets, "users": store::users()})).into_response()
}

async fn show_request(State(s): Shared_, Path(file): Path<String>) -> Response {
    show(&s, &file, false)
}

fn show(s: &Shared, file: &str, agent: bool) -> Response {
    let Some(id) = id_of(file) else {
        return not_found();
    };
    match store::ticket_json(&lock(&s.db), &s.base, id) {
        Ok(Some(t)) if agent => Json(json!({ "ticket": t })).into_response(),
        Ok(Some(t)) => Json(json!({ "request": as_request(t, &s.base), "users": store::users() }))
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => db_error(e),
    }
}

/// A cursor: the sort value and id of the last row handed out.
fn encode_cursor(value: &str, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{value}|{id}"))
}

fn decode_cursor(cursor: &str) -> Option<(String, i64)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (value, id) = raw.rsplit_once('|')?;
    Some((value.to_owned(), id.parse().ok()?))
}

struct Page {
    size: usize,
    after: Option<(String, i64)>,
    raw_after: Option<String>,
}

fn page_of(q: &HashMap<String, String>) -> Result<Page, Response> {
    let size = match q.get("page[size]") {
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidPaginationParameter",
                    "page[size] must be between 1 and 100",
                ))
            }
        },
        None => 100,
    };
    let raw_after = q.get("page[after]").cloned();
    let after = match &raw_after {
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            error(
                StatusCode::BAD_REQUEST,
                "InvalidPaginationParameter",
                "page[after] is not a cursor this server issued",
            )
        })?),
        None => None,
    };
    Ok(Page {
        size,
        after,
        raw_after,
    })
}

/// Runs a keyset-paginated query. `order` is the sort column; rows come back as
/// (sort value, id, json).
#[allow(clippy::too_many_arguments)]
fn paginate(
    s: &Shared,
    path: &str,
    list: &str,
    order: &str,
    descending: bool,
    filter: Option<(&str, &str)>,
    page: Page,
    extra: Value,
    transform: impl Fn(Value) -> Value,
) -> Response {
    let db = lock(&s.db);
    let cmp = if descending { "<" } else { ">" };
    let dir = if descending { "DESC" } else { "ASC" };
    let mut clauses = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some((col, v)) = filter {
        clauses.push(format!("{col} = ?{}", args.len() + 1));
        args.push(v.to_owned().into());
    }
    if let Some((v, id)) = &page.after {
        clauses.push(format!(
            "({order}, id) {cmp} (?{}, ?{})",
            args.len() + 1,
            args.len() + 2
        ));
        if order == "id" {
            args.push(rusqlite::types::Value::Integer(v.parse().unwrap_or(*id)));
        } else {
            args.push(v.clone().into());
        }
        args.push((*id).into());
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {TICKET_COLUMNS}, {order} FROM tickets {where_} ORDER BY {order} {dir}, id {dir} LIMIT {}",
        page.size + 1
    );
    let rows: rusqlite::Result<Vec<(Value, String, i64)>> = (|| {
        let mut stmt = db.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let j = store::row_json(r, &s.base)?;
            let v: rusqlite::types::Value = r.get(11)?;
            let key = match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                _ => String::new(),
            };
            Ok((j, key, r.get(0)?))
        })?;
        rows.collect()
    })();
    let mut rows = match rows {
        Ok(r) => r,
        Err(e) => return db_error(e),
    };
    let has_more = rows.len() > page.size;
    rows.truncate(page.size);
    let after_cursor = rows.last().map(|(_, v, id)| encode_cursor(v, *id));
    let before_cursor = rows.first().map(|(_, v, id)| encode_cursor(v, *id));
    let looping = lock(&s.faults).loop_cursor;
    let (has_more, after_cursor) = if looping {
        (true, page.raw_after.clone().or(after_cursor))
    } else {
        (has_more, after_cursor)
    };
    let next = match (&after_cursor, has_more) {
        (Some(c), true) => Value::String(format!(
            "{}{path}?page%5Bafter%5D={c}&page%5Bsize%5D={}",
            s.base, page.size
        )),
        _ => Value::Null,
    };
    let items: Vec<Value> = rows.into_iter().map(|(j, _, _)| transform(j)).collect();
    let mut body = json!({
        list: items,
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
        "links": {"next": next, "prev": Value::Null},
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    Json(body).into_response()
}

async fn list_tickets(State(s): Shared_, Query(q): Query<HashMap<String, String>>) -> Response {
    let page = match page_of(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let filter = q.get("external_id").map(|v| ("external_id", v.as_str()));
    paginate(
        &s,
        "/api/v2/tickets.json",
        "tickets",
        "id",
        false,
        filter,
        page,
        json!({}),
        |t| t,
    )
}

async fn list_requests(State(s): Shared_, Query(q): Query<HashMap<String, String>>) -> Response {
    let page = match page_of(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let order = match q.get("sort_by").map(String::as_str) {
        Some("updated_at") => "updated_at",
        Some("created_at") | None => "created_at",
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidParameter",
                "sort_by must be created_at or updated_at",
            )
        }
    };
    let descending = q.get("sort_order").map(String::as_str) != Some("asc");
    let base = s.base.clone();
    paginate(
        &s,
        "/api/v2/requests.json",
        "requests",
        order,
        descending,
        None,
        page,
        json!({"users": store::users()}),
        move |t| as_request(t, &base),
    )
}

async fn ticket_comments(
    State(s): Shared_,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    comments(&s, id, true, &q)
}

async fn request_comments(
    State(s): Shared_,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    comments(&s, id, false, &q)
}

fn comments(s: &Shared, id: i64, agent: bool, q: &HashMap<String, String>) -> Response {
    let page = match page_of(q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = lock(&s.db);
    let after = page.after.as_ref().map(|(_, id)| *id).unwrap_or(0);
    let rows: rusqlite::Result<Option<Vec<Value>>> = (|| {
        let exists: bool = db.query_row(
            "SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(None);
        }
        let mut stmt = db.prepare(
            "SELECT id, author_id, body, public, attachments, created_at FROM comments
             WHERE ticket_id = ?1 AND id > ?2 AND (public = 1 OR ?3) ORDER BY id LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![id, after, agent, page.size as i64 + 1], |r| {
            let body: String = r.get(2)?;
            let attachments: String = r.get(4)?;
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "type": "Comment",
                "author_id": r.get::<_, i64>(1)?,
                "body": body,
                "html_body": format!("<div class=\"zd-comment\"><p>{}</p></div>", html_escape(&body)),
                "plain_body": body,
                "public": r.get::<_, bool>(3)?,
                "attachments": serde_json::from_str::<Value>(&attachments).unwrap_or(json!([])),
                "created_at": r.get::<_, String>(5)?,
            }))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map(Some)
    })();
    let mut rows = match rows {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(e) => return db_error(e),
    };
    let has_more = rows.len() > page.size;
    rows.truncate(page.size);
    let after_cursor = rows
        .last()
        .and_then(|c| c.get("id").and_then(Value::as_i64))
        .map(|last| encode_cursor(&last.to_string(), last));
    let (has_more, after_cursor) = if lock(&s.faults).loop_cursor {
        (true, page.raw_after.clone().or(after_cursor))
    } else {
        (has_more, after_cursor)
    };
    let kind = if agent { "tickets" } else { "requests" };
    let next = match (&after_cursor, has_more) {
        (Some(c), true) => Value::String(format!(
            "{}/api/v2/{kind}/{id}/comments.json?page%5Bafter%5D={c}&page%5Bsize%5D={}",
            s.base, page.size
        )),
        _ => Value::Null,
    };
    Json(json!({
        "comments": rows,
        "users": store::users(),
        "meta": {"has_more": has_more, "after_cursor": after_cursor},
        "links": {"next": next},
    }))
    .into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ---- updating tickets ---------------------------------------------------------------------

async fn update_ticket(State(s): Shared_, Path(file): Path<String>, body: Bytes) -> Response {
    update(&s, &file, &body, true)
}

async fn update_request(State(s): Shared_, Path(file): Path<String>, body: Bytes) -> Response {
    update(&s, &file, &body, false)
}

fn update(s: &Shared, file: &str, body: &[u8], agent: bool) -> Response {
    let root = if agent { "ticket" } else { "request" };
    let Some(id) = id_of(file) else {
        return not_found();
    };
    let object = match envelope(body, root) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let object = &object;
    let db = lock(&s.db);
    let status: Option<String> = match db
        .query_row("SELECT status FROM tickets WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()
    {
        Ok(s) => s,
        Err(e) => return db_error(e),
    };
    let Some(status) = status else {
        return not_found();
    };
    if status == "closed" {
        return invalid("status", "Status: closed prevents ticket update");
    }
    let now = store::now();
    let result: rusqlite::Result<()> = (|| {
        let tx = db.unchecked_transaction()?;
        if let Some(comment) = object.get("comment") {
            let body = comment.get("body").and_then(Value::as_str).unwrap_or("");
            let public = !agent
                || comment
                    .get("public")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
            let uploads: Vec<String> = comment
                .get("uploads")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            store::insert_comment(&tx, id, store::REQUESTER_ID, body, public, &uploads, &now)?;
        }
        // A requester may mark their own request solved (Zendesk's `solved: true`).
        if !agent && object.get("solved").and_then(Value::as_bool) == Some(true) {
            tx.execute(
                "UPDATE tickets SET status = 'solved', updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        if agent {
            for (field, column) in [
                ("priority", "priority"),
                ("subject", "subject"),
                ("status", "status"),
            ] {
                if let Some(v) = object.get(field).and_then(Value::as_str) {
                    tx.execute(
                        &format!("UPDATE tickets SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
                        params![id, v, now],
                    )?;
                }
            }
            let current: String =
                tx.query_row("SELECT tags FROM tickets WHERE id = ?1", [id], |r| r.get(0))?;
            let mut tags: Vec<String> = serde_json::from_str(&current).unwrap_or_default();
            if let Some(replace) = object.get("tags").and_then(Value::as_array) {
                tags = replace
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect();
            }
            if let Some(add) = object.get("additional_tags").and_then(Value::as_array) {
                for t in add.iter().filter_map(Value::as_str) {
                    if !tags.iter().any(|x| x == t) {
                        tags.push(t.to_owned());
                    }
                }
            }
            tx.execute(
                "UPDATE tickets SET tags = ?2 WHERE id = ?1",
                params![id, json!(tags).to_string()],
            )?;
        }
        tx.commit()
    })();
    if let Err(e) = result {
        return db_error(e);
    }
    match store::ticket_json(&db, &s.base, id) {
        Ok(Some(t)) if agent => {
            Json(json!({"ticket": t, "audit": {"ticket_id": id}})).into_response()
        }
        Ok(Some(t)) => Json(json!({"request": as_request(t, &s.base)})).into_response(),
        Ok(None) => not_found(),
        Err(e) => db_error(e),
    }
}

// ---- uploads ------------------------------------------------------------------------------

/// Largest upload accepted, as an account setting would have it.
const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

async fn upload(
    State(s): Shared_,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let Some(name) = q.get("filename").filter(|n| !n.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ParameterMissing",
            "filename is required",
        );
    };
    if name.contains('/') || name.contains('\\') {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            "filename must be a base name",
        );
    }
    if body.len() > UPLOAD_LIMIT {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "AttachmentTooLarge",
            "The file is larger than this account allows",
        );
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let token = q.get("token").cloned().unwrap_or_else(|| {
        let mut rng = lock(&s.dice);
        (0..25).map(|_| rng.alphanumeric()).collect::<String>()
    });
    let sha = hex::encode(Sha256::digest(&body));
    let expires = (chrono::Utc::now() + chrono::Duration::minutes(60))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let db = lock(&s.db);
    let attachment_id: rusqlite::Result<i64> = db.query_row(
        "UPDATE counters SET value = value + 1 WHERE name = 'attachment' RETURNING value",
        [],
        |r| r.get(0),
    );
    let attachment_id = match attachment_id {
        Ok(id) => id,
        Err(e) => return db_error(e),
    };
    if let Err(e) = db.execute(
        "INSERT INTO uploads (token, attachment_id, file_name, content_type, size, sha256, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![token, attachment_id, name, content_type, body.len() as i64, sha, expires],
    ) {
        return db_error(e);
    }
    let attachment = json!({
        "url": format!("{}/api/v2/attachments/{attachment_id}.json", s.base),
        "id": attachment_id,
        "file_name": name,
        "content_url": format!("{}/attachments/token/{token}/?name={name}", s.base),
        "content_type": content_type,
        "size": body.len(),
        "inline": false,
    });
    (
        StatusCode::CREATED,
        Json(json!({"upload": {
            "token": token,
            "expires_at": expires,
            "attachments": [attachment.clone()],
            "attachment": attachment,
        }})),
    )
        .into_response()
}

// ---- help centre --------------------------------------------------------------------------

pub(crate) fn put_article(
    db: &Connection,
    id: i64,
    title: &str,
    body: &str,
    labels: &[&str],
) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO articles (id, title, body, labels, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body,
            labels = excluded.labels, updated_at = excluded.updated_at, deleted = 0",
        params![id, title, body, json!(labels).to_string(), store::now()],
    )?;
    Ok(())
}

fn article_json(r: &rusqlite::Row<'_>, base: &str) -> rusqlite::Result<Value> {
    let id: i64 = r.get(0)?;
    let labels: String = r.get(3)?;
    Ok(json!({
        "id": id,
        "url": format!("{base}/api/v2/help_center/en-us/articles/{id}.json"),
        "html_url": format!("{base}/hc/en-us/articles/{id}"),
        "title": r.get::<_, String>(1)?,
        "body": r.get::<_, String>(2)?,
        "label_names": serde_json::from_str::<Value>(&labels).unwrap_or(json!([])),
        "locale": r.get::<_, String>(4)?,
        "created_at": r.get::<_, String>(5)?,
        "updated_at": r.get::<_, String>(5)?,
        "edited_at": r.get::<_, String>(5)?,
        "draft": false,
        "outdated": false,
        "promoted": false,
        "section_id": 1,
        "position": 0,
        "vote_sum": 0,
        "vote_count": 0,
    }))
}

async fn list_articles(State(s): Shared_, Query(q): Query<HashMap<String, String>>) -> Response {
    let page = match page_of(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let after = page.after.as_ref().map(|(_, id)| *id).unwrap_or(0);
    let db = lock(&s.db);
    let rows: rusqlite::Result<Vec<Value>> = (|| {
        let mut stmt = db.prepare(
            "SELECT id, title, body, labels, locale, updated_at FROM articles
             WHERE deleted = 0 AND id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, page.size as i64 + 1], |r| {
            article_json(r, &s.base)
        })?;
        rows.collect()
    })();
    let mut rows = match rows {
        Ok(r) => r,
        Err(e) => return db_error(e),
    };
    let has_more = rows.len() > page.size;
    rows.truncate(page.size);
    let after_cursor = rows
        .last()
        .and_then(|a| a.get("id").and_then(Value::as_i64))
        .map(|id| encode_cursor(&id.to_string(), id));
    let next = match (&after_cursor, has_more) {
        (Some(c), true) => Value::String(format!(
            "{}/api/v2/help_center/articles.json?page%5Bafter%5D={c}&page%5Bsize%5D={}",
            s.base, page.size
        )),
        _ => Value::Null,
    };
    Json(json!({
        "articles": rows,
        "meta": {"has_more": has_more, "after_cursor": after_cursor},
        "links": {"next": next},
    }))
    .into_response()
}

async fn incremental_articles(
    State(s): Shared_,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(start) = q.get("start_time").and_then(|v| v.parse::<i64>().ok()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            "start_time (epoch seconds) is required",
        );
    };
    let since = chrono::DateTime::from_timestamp(start, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let db = lock(&s.db);
    let rows: rusqlite::Result<Vec<Value>> = (|| {
        let mut stmt = db.prepare(
            "SELECT id, title, body, labels, locale, updated_at, deleted FROM articles
             WHERE updated_at >= ?1 ORDER BY updated_at, id LIMIT 1000",
        )?;
        let rows = stmt.query_map([&since], |r| {
            let mut a = article_json(r, &s.base)?;
            if r.get::<_, bool>(6)? {
                a["draft"] = json!(true);
            }
            Ok(a)
        })?;
        rows.collect()
    })();
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return db_error(e),
    };
    let end_time = rows
        .last()
        .and_then(|a| a.get("updated_at").and_then(Value::as_str))
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp())
        .unwrap_or(start);
    let count = rows.len();
    Json(json!({
        "articles": rows,
        "count": count,
        "end_time": end_time,
        "next_page": if count == 1000 {
            Value::String(format!("{}/api/v2/help_center/incremental/articles.json?start_time={end_time}", s.base))
        } else { Value::Null },
    }))
    .into_response()
}

// ---- admin --------------------------------------------------------------------------------

async fn stats(State(s): Shared_) -> Response {
    let db = lock(&s.db);
    let counts: rusqlite::Result<(i64, i64, i64)> = db.query_row(
        "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM comments), (SELECT count(*) FROM uploads WHERE used = 1)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    );
    let (tickets, comments, attachments) = match counts {
        Ok(c) => c,
        Err(e) => return db_error(e),
    };
    Json(json!({
        "tickets": tickets,
        "comments": comments,
        "attachments": attachments,
        "traffic": *lock(&s.stats),
        "faults": *lock(&s.faults),
    }))
    .into_response()
}

async fn set_faults(State(s): Shared_, Json(plan): Json<FaultPlan>) -> Response {
    *lock(&s.faults) = plan;
    StatusCode::NO_CONTENT.into_response()
}

async fn admin_reply(State(s): Shared_, Path(id): Path<i64>, Json(body): Json<Value>) -> Response {
    let text = body
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or("We are looking into it.");
    let status = body.get("status").and_then(Value::as_str);
    match store::agent_reply(&lock(&s.db), id, text, status) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => not_found(),
        Err(e) => db_error(e),
    }
}

async fn admin_articles(State(s): Shared_, Json(body): Json<Value>) -> Response {
    let db = lock(&s.db);
    for a in body.as_array().into_iter().flatten() {
        let (Some(id), Some(title)) = (
            a.get("id").and_then(Value::as_i64),
            a.get("title").and_then(Value::as_str),
        ) else {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidParameter",
                "each article needs an id and a title",
            );
        };
        if a.get("deleted").and_then(Value::as_bool) == Some(true) {
            if let Err(e) = db.execute(
                "UPDATE articles SET deleted = 1, updated_at = ?2 WHERE id = ?1",
                params![id, store::now()],
            ) {
                return db_error(e);
            }
            continue;
        }
        let body = a.get("body").and_then(Value::as_str).unwrap_or("");
        let labels: Vec<&str> = a
            .get("label_names")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Err(e) = put_article(&db, id, title, body, &labels) {
            return db_error(e);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Who the credentials belong to (the partner's API user).
async fn me() -> Response {
    Json(json!({"user": {"id": store::REQUESTER_ID, "name": "Partner support desk", "role": "end-user"}}))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = encode_cursor("2026-11-26T01:02:03.000Z", 42);
        assert_eq!(
            decode_cursor(&c),
            Some(("2026-11-26T01:02:03.000Z".to_owned(), 42))
        );
        assert_eq!(decode_cursor("not a cursor!"), None);
    }
}
