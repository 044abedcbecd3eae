//! The Zendesk adapter: Requests API (end user, the default) or Tickets API (agent), over an
//! injected [`Transport`].
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{HttpRequest, HttpResponse, Method, Transport};
use super::vendor::*;
use super::wire::{
    bad, checked, field, host_of, intercepted, is_loopback, json_request, parse_json, parse_time,
    read_with_retries, with_query,
};
pub use super::wire::{excerpt, OWN_MARKER, REFERENCE_LINE};

/// Which API the partner's account may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The partner is an end user of the vendor's Zendesk: Requests API.
    EndUser,
    /// The partner has agent seats: Tickets API.
    Agent,
}

/// How to reach an account.
#[derive(Debug, Clone)]
pub struct ZendeskConfig {
    /// `https://{subdomain}.zendesk.com` (or a loopback `http://127.0.0.1:PORT` simulator).
    pub base_url: String,
    /// The e-mail of the API user.
    pub email: String,
    /// The API token.
    pub token: String,
    /// Requests or Tickets API.
    pub mode: Mode,
}

impl ZendeskConfig {
    /// The base URL for a subdomain.
    pub fn subdomain_url(subdomain: &str) -> String {
        format!("https://{}.zendesk.com", subdomain.trim())
    }
}

/// A ticket or request object as sent (every field optional, absent when `None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TicketWire {
    /// Id (zenpy sends it on update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// First comment, older style.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentWire>,
    /// Priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Tags (replace all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Tags to add.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_tags: Option<Vec<String>>,
    /// Our id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Status (Tickets API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Marks a request solved (Requests API, by its requester).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solved: Option<bool>,
}

/// A comment as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommentWire {
    /// Text.
    pub body: String,
    /// Public or internal (Tickets API only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// Upload tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uploads: Option<Vec<String>>,
}

/// A ticket or request as Zendesk returns it (the fields we read).
#[derive(Debug, Clone, Deserialize)]
pub struct TicketJson {
    /// Id.
    pub id: Option<i64>,
    /// API URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<String>,
    /// Assignee.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// Last change.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Our id (Tickets API).
    #[serde(default)]
    pub external_id: Option<String>,
    /// First comment.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct User {
    id: i64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CommentJson {
    id: i64,
    #[serde(default)]
    author_id: Option<i64>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    plain_body: Option<String>,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default)]
    created_at: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Meta {
    #[serde(default)]
    has_more: bool,
    #[serde(default)]
    after_cursor: Option<String>,
}

/// How many tickets a look-up after an uncertain create scans at most (end-user mode).
const LOOKUP_SCAN: usize = 2_000;

/// Zendesk.
pub struct Zendesk {
    base: String,
    auth: String,
    mode: Mode,
    transport: Arc<dyn Transport>,
    rate: Mutex<Option<RateLimit>>,
    /// Page size for lists (≤ 100).
    pub page_size: usize,
}

impl Zendesk {
    /// An adapter for `config`. The address must be HTTPS unless it is loopback.
    pub fn new(config: &ZendeskConfig, transport: Arc<dyn Transport>) -> Result<Self, VendorError> {
        let url = url::Url::parse(config.base_url.trim()).map_err(|e| {
            VendorError::Setup(format!(
                "The vendor address \"{}\" is not a web address ({e}).",
                config.base_url
            ))
        })?;
        let host = url.host_str().unwrap_or_default();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            _ => {
                return Err(VendorError::Setup(format!(
                    "The vendor address must start with https:// (got \"{}\"); only a simulator on this computer may use plain http.",
                    config.base_url
                )))
            }
        }
        if config.email.trim().is_empty() || config.token.trim().is_empty() {
            return Err(VendorError::Setup(
                "The vendor connection needs the e-mail of your Zendesk user and an API token."
                    .to_owned(),
            ));
        }
        let credentials = format!("{}/token:{}", config.email.trim(), config.token.trim());
        Ok(Zendesk {
            base: url.as_str().trim_end_matches('/').to_owned(),
            auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            mode: config.mode,
            transport,
            rate: Mutex::new(None),
            page_size: 100,
        })
    }

    fn kind(&self) -> (&'static str, &'static str) {
        match self.mode {
            Mode::EndUser => ("requests", "request"),
            Mode::Agent => ("tickets", "ticket"),
        }
    }

    /// Builds a request to `path_and_query` (starting with `/api/v2/`).
    pub fn request(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> HttpRequest {
        json_request(
            method,
            format!("{}{path_and_query}", self.base),
            &self.auth,
            body,
        )
    }

    /// Sends and checks the status: non-2xx becomes [`VendorError::Status`].
    pub async fn call(&self, request: HttpRequest) -> Result<HttpResponse, VendorError> {
        let host = host_of(&request.url);
        let response = self.transport.send(request).await?;
        if intercepted(&response, host.as_deref()).is_none() {
            self.note_rate(&response);
        }
        checked(response, host.as_deref(), error_message)
    }

    fn note_rate(&self, r: &HttpResponse) {
        let num = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| r.header(n).and_then(|v| v.trim().parse::<u64>().ok()))
        };
        if let Some(limit) = num(&["x-rate-limit", "ratelimit-limit", "rate-limit"]) {
            let seen = RateLimit {
                limit: limit.min(u32::MAX as u64) as u32,
                remaining: num(&[
                    "x-rate-limit-remaining",
                    "ratelimit-remaining",
                    "rate-limit-remaining",
                ])
                .map(|v| v.min(u32::MAX as u64) as u32),
                reset: num(&["ratelimit-reset", "rate-limit-reset"]),
            };
            *self.rate.lock().unwrap_or_else(|e| e.into_inner()) = Some(seen);
        }
    }

    /// GETs a page and reads its JSON. Reads are safe to repeat, so a page that fails
    /// transiently is retried a few times at once (honouring a short `Retry-After`) rather than
    /// failing a whole walk of many pages.
    async fn read_page(&self, path_and_query: &str) -> Result<(HttpResponse, Value), VendorError> {
        read_with_retries(|| async {
            let r = self
                .call(self.request(Method::Get, path_and_query, None))
                .await?;
            let v = parse_json(&r)?;
            Ok((r, v))
        })
        .await
    }

    /// Creates a ticket (agent) or request (end user) from a wire object.
    pub async fn send_create(
        &self,
        object: &TicketWire,
        idempotency_key: Option<&str>,
    ) -> Result<TicketRef, VendorError> {
        let (list, one) = self.kind();
        let body = serde_json::json!({ one: object });
        let mut request = self.request(Method::Post, &format!("/api/v2/{list}.json"), Some(&body));
        if let Some(key) = idempotency_key {
            request
                .headers
                .push(("idempotency-key".to_owned(), key.to_owned()));
        }
        let response = self.call(request).await?;
        let ticket = parse_object(&response, one)?;
        ticket_ref(&ticket)
    }

    /// Updates a ticket or request from a wire object.
    pub async fn send_update(
        &self,
        id: i64,
        object: &TicketWire,
    ) -> Result<TicketJson, VendorError> {
        let (list, one) = self.kind();
        let body = serde_json::json!({ one: object });
        let response = self
            .call(self.request(
                Method::Put,
                &format!("/api/v2/{list}/{id}.json"),
                Some(&body),
            ))
            .await?;
        parse_object(&response, one)
    }

    /// The tickets or requests on a list, following cursors page by page, up to `limit`.
    pub async fn list(
        &self,
        path: &str,
        extra_query: &[(&str, &str)],
        limit: usize,
    ) -> Result<Vec<TicketJson>, VendorError> {
        let mut out = Vec::new();
        self.walk(path, extra_query, |page| {
            out.extend(page);
            out.len() < limit
        })
        .await?;
        out.truncate(limit);
        Ok(out)
    }

    /// Walks a cursor-paginated list of tickets/requests; `visit` returns false to stop.
    async fn walk(
        &self,
        path: &str,
        extra_query: &[(&str, &str)],
        mut visit: impl FnMut(Vec<TicketJson>) -> bool,
    ) -> Result<(), VendorError> {
        let list_key = if path.contains("/requests") {
            "requests"
        } else {
            "tickets"
        };
        self.walk_pages(path, extra_query, |page, response| {
            Ok(visit(field(page, list_key, response)?))
        })
        .await
    }

    /// Walks any cursor-paginated list page by page (`page[after]`, `page[size]`), refusing a
    /// cursor that repeats; `visit` reads a page and returns false to stop.
    async fn walk_pages(
        &self,
        path: &str,
        extra_query: &[(&str, &str)],
        mut visit: impl FnMut(&Value, &HttpResponse) -> Result<bool, VendorError>,
    ) -> Result<(), VendorError> {
        let mut after: Option<String> = None;
        let mut seen = HashSet::new();
        loop {
            let size = self.page_size.to_string();
            let mut q: Vec<(&str, &str)> = extra_query.to_vec();
            if let Some(a) = &after {
                q.push(("page[after]", a));
            }
            q.push(("page[size]", &size));
            let (response, page) = self.read_page(&with_query(path, &q)).await?;
            let meta: Meta = page
                .get("meta")
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| bad(&response, &format!("meta: {e}")))?
                .unwrap_or_default();
            if !visit(&page, &response)? || !meta.has_more {
                return Ok(());
            }
            let Some(next) = meta.after_cursor else {
                return Err(bad(&response, "has_more without an after_cursor"));
            };
            if !seen.insert(next.clone()) {
                return Err(bad(&response, "the pagination cursor repeats"));
            }
            after = Some(next);
        }
    }

    async fn find_by_reference(
        &self,
        reference: &str,
        created_after: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Option<TicketRef>, VendorError> {
        let mut found = None;
        let mut scanned = 0;
        self.walk(
            "/api/v2/requests.json",
            &[("sort_by", "created_at"), ("sort_order", "desc")],
            |page| {
                scanned += page.len();
                let older = |t: &TicketJson| match (
                    created_after,
                    t.created_at.as_deref().and_then(parse_time),
                ) {
                    (Some(bound), Some(created)) => created < bound,
                    _ => false,
                };
                let past_bound = page.last().is_some_and(older);
                found = page.into_iter().find(|t| {
                    t.description
                        .as_deref()
                        .is_some_and(|d| d.contains(reference))
                });
                found.is_none() && !past_bound && scanned < LOOKUP_SCAN
            },
        )
        .await?;
        found.map(|t| ticket_ref(&t)).transpose()
    }

    fn users(page: &Value) -> HashMap<i64, User> {
        page.get("users")
            .and_then(|u| serde_json::from_value::<Vec<User>>(u.clone()).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    }
}

/// The vendor's reason for an error: Zendesk puts it in `details` (per field), `description`
/// or `error` (a string, or an object with `title` and `message`), and leaves some of them
/// empty, so the first non-empty one wins.
fn error_message(r: &HttpResponse) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(&r.body) {
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let details = v
            .get("details")
            .and_then(Value::as_object)
            .map(|d| {
                d.values()
                    .flat_map(|list| list.as_array().cloned().unwrap_or_default())
                    .filter_map(|e| text(e.get("description")))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|s| !s.is_empty());
        let error = v.get("error");
        let error_object = || {
            let title = text(error.and_then(|e| e.get("title")));
            let message = text(error.and_then(|e| e.get("message")));
            match (title, message) {
                (Some(t), Some(m)) => Some(format!("{t}: {m}")),
                (t, m) => t.or(m),
            }
        };
        if let Some(m) = details
            .or_else(|| text(v.get("description")))
            .or_else(|| text(error))
            .or_else(error_object)
        {
            return m;
        }
    }
    let e = excerpt(&r.body);
    if e.is_empty() {
        "no details given".to_owned()
    } else {
        e
    }
}

/// Reads `{"ticket": {...}}` / `{"request": {...}}`.
pub fn parse_object(r: &HttpResponse, key: &str) -> Result<TicketJson, VendorError> {
    let v = parse_json(r)?;
    let t: TicketJson = field(&v, key, r)?;
    if t.id.is_none() {
        return Err(bad(r, "the ticket has no id"));
    }
    Ok(t)
}

fn ticket_ref(t: &TicketJson) -> Result<TicketRef, VendorError> {
    let id = t.id.ok_or_else(|| VendorError::BadAnswer {
        problem: "the ticket has no id".to_owned(),
        excerpt: String::new(),
    })?;
    Ok(TicketRef {
        id,
        url: t.url.clone().unwrap_or_default(),
        status: t.status.clone().unwrap_or_default(),
        updated_at: t.updated_at.clone().unwrap_or_default(),
    })
}

/// Reads an upload answer: the token.
pub fn parse_upload(r: &HttpResponse) -> Result<String, VendorError> {
    let v = parse_json(r)?;
    v.pointer("/upload/token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| bad(r, "the upload has no token"))
}

fn vendor_ticket(t: TicketJson, names: &HashMap<i64, User>) -> Option<VendorTicket> {
    Some(VendorTicket {
        id: t.id?,
        subject: t.subject.unwrap_or_default(),
        status: t.status.unwrap_or_default(),
        priority: t.priority.unwrap_or_default(),
        assignee: t
            .assignee_id
            .map(|a| {
                names
                    .get(&a)
                    .map(|u| u.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| format!("agent #{a}"))
            })
            .unwrap_or_default(),
        updated_at: t.updated_at.unwrap_or_default(),
        created_at: t.created_at.unwrap_or_default(),
        external_id: t.external_id,
        description: t.description.unwrap_or_default(),
    })
}

#[async_trait]
impl VendorApi for Zendesk {
    fn name(&self) -> &'static str {
        "Zendesk"
    }

    fn source(&self) -> &'static str {
        "zendesk"
    }

    async fn create_ticket(
        &self,
        draft: &TicketDraft,
        key: &str,
    ) -> Result<TicketRef, VendorError> {
        let agent = self.mode == Mode::Agent;
        let object = TicketWire {
            subject: Some(draft.subject.clone()),
            comment: Some(CommentWire {
                body: draft.body.clone(),
                public: None,
                uploads: None,
            }),
            priority: Some(draft.priority.clone()),
            kind: Some(draft.kind.clone()),
            tags: agent.then(|| draft.tags.clone()),
            external_id: agent.then(|| draft.external_id.clone()),
            ..TicketWire::default()
        };
        self.send_create(&object, Some(key)).await
    }

    async fn find_ticket(
        &self,
        draft: &TicketDraft,
        created_after: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Option<TicketRef>, VendorError> {
        match self.mode {
            Mode::Agent => {
                let found = self
                    .list(
                        "/api/v2/tickets.json",
                        &[("external_id", &draft.external_id)],
                        100,
                    )
                    .await?;
                found
                    .iter()
                    .find(|t| t.external_id.as_deref() == Some(draft.external_id.as_str()))
                    .map(ticket_ref)
                    .transpose()
            }
            Mode::EndUser => {
                self.find_by_reference(
                    &format!("{REFERENCE_LINE} {}", draft.external_id),
                    created_after,
                )
                .await
            }
        }
    }

    async fn add_comment(&self, ticket: i64, comment: &CommentDraft) -> Result<(), VendorError> {
        let agent = self.mode == Mode::Agent;
        let object = TicketWire {
            comment: Some(CommentWire {
                body: comment.body.clone(),
                public: agent.then_some(comment.public),
                uploads: (!comment.uploads.is_empty()).then(|| comment.uploads.clone()),
            }),
            additional_tags: (agent && !comment.add_tags.is_empty())
                .then(|| comment.add_tags.clone()),
            ..TicketWire::default()
        };
        self.send_update(ticket, &object).await.map(|_| ())
    }

    async fn has_comment(&self, ticket: i64, marker: &str) -> Result<bool, VendorError> {
        Ok(self
            .comments(ticket)
            .await?
            .iter()
            .any(|c| c.body.contains(marker)))
    }

    async fn upload(&self, file: &FileUpload) -> Result<String, VendorError> {
        let name = std::path::Path::new(&file.file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "attachment".to_owned());
        let mut request = self.request(
            Method::Post,
            &with_query("/api/v2/uploads.json", &[("filename", &name)]),
            None,
        );
        request
            .headers
            .push(("content-type".to_owned(), file.media_type.clone()));
        request.body = file.bytes.clone();
        let response = self.call(request).await?;
        parse_upload(&response)
    }

    async fn set_priority(
        &self,
        ticket: i64,
        priority: &str,
        marker: &str,
    ) -> Result<(), VendorError> {
        if self.mode == Mode::EndUser {
            // End users cannot change a request's priority; say it in a comment instead.
            let comment = CommentDraft {
                body: format!("Priority on our side is now: {priority}.\n\n{marker}"),
                public: true,
                ..CommentDraft::default()
            };
            return self.add_comment(ticket, &comment).await;
        }
        let object = TicketWire {
            priority: Some(priority.to_owned()),
            ..TicketWire::default()
        };
        self.send_update(ticket, &object).await.map(|_| ())
    }

    async fn close_duplicate(
        &self,
        ticket: i64,
        original: i64,
        marker: &str,
    ) -> Result<(), VendorError> {
        let (_, one) = self.kind();
        let note = format!(
            "This {one} was opened twice in error by Frontline (a copy of #{original} that \
             reached you late). Please follow #{original} instead; nothing here needs an \
             answer.\n\n{marker}"
        );
        let mut object = TicketWire {
            comment: Some(CommentWire {
                body: note,
                public: (self.mode == Mode::Agent).then_some(true),
                uploads: None,
            }),
            ..TicketWire::default()
        };
        match self.mode {
            Mode::Agent => {
                object.status = Some("solved".to_owned());
                object.additional_tags = Some(vec!["frontline_duplicate".to_owned()]);
            }
            // An end user may mark their own request solved.
            Mode::EndUser => object.solved = Some(true),
        }
        self.send_update(ticket, &object).await.map(|_| ())
    }

    async fn changes(
        &self,
        since: Option<&str>,
        known: &[i64],
    ) -> Result<Vec<VendorTicket>, VendorError> {
        let mut out = Vec::new();
        match self.mode {
            Mode::EndUser => {
                let mut names = HashMap::new();
                self.walk_pages(
                    "/api/v2/requests.json",
                    &[("sort_by", "updated_at"), ("sort_order", "desc")],
                    |page, response| {
                        names.extend(Self::users(page));
                        let items: Vec<TicketJson> = field(page, "requests", response)?;
                        for t in items {
                            // Newest first: stop at the first one not changed since the watermark.
                            if let (Some(s), Some(u)) = (since, t.updated_at.as_deref()) {
                                if u <= s {
                                    return Ok(false);
                                }
                            }
                            out.extend(vendor_ticket(t, &names));
                        }
                        Ok(true)
                    },
                )
                .await?;
            }
            Mode::Agent => {
                for chunk in known.chunks(100) {
                    let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
                    let (response, page) = self
                        .read_page(&with_query(
                            "/api/v2/tickets/show_many.json",
                            &[("ids", &ids.join(","))],
                        ))
                        .await?;
                    let items: Vec<TicketJson> = field(&page, "tickets", &response)?;
                    let names = Self::users(&page);
                    out.extend(
                        items
                            .into_iter()
                            .filter_map(|t| vendor_ticket(t, &names))
                            .filter(|t| since.is_none_or(|s| t.updated_at.as_str() > s)),
                    );
                }
            }
        }
        Ok(out)
    }

    async fn comments(&self, ticket: i64) -> Result<Vec<VendorComment>, VendorError> {
        let (list, _) = self.kind();
        let path = format!("/api/v2/{list}/{ticket}/comments.json");
        let mut out = Vec::new();
        self.walk_pages(&path, &[("include", "users")], |page, response| {
            let users = Self::users(page);
            let items: Vec<CommentJson> = field(page, "comments", response)?;
            for c in items {
                let body = c.plain_body.or(c.body).unwrap_or_default();
                let author = c.author_id.and_then(|a| users.get(&a));
                let staff = author
                    .and_then(|u| u.role.as_deref())
                    .is_some_and(|r| r == "agent" || r == "admin");
                let ours = body.contains(OWN_MARKER) || body.contains(REFERENCE_LINE);
                out.push(VendorComment {
                    id: c.id,
                    from_vendor: staff && !ours,
                    author: author
                        .map(|u| u.name.clone())
                        .unwrap_or_else(|| "Vendor support".to_owned()),
                    body,
                    public: c.public.unwrap_or(true),
                    created_at: c.created_at.unwrap_or_default(),
                });
            }
            Ok(true)
        })
        .await?;
        Ok(out)
    }

    async fn help_centre(&self, since: Option<i64>) -> Result<HelpCentreChanges, VendorError> {
        let mut out = HelpCentreChanges::default();
        match (since, self.mode) {
            // Incremental export is for agents only; end users always list everything.
            (Some(start), Mode::Agent) => {
                let mut start = start;
                loop {
                    let path = with_query(
                        "/api/v2/help_center/incremental/articles.json",
                        &[("start_time", &start.to_string())],
                    );
                    let (response, page) = self.read_page(&path).await?;
                    let items: Vec<ArticleJson> = field(&page, "articles", &response)?;
                    let count = items.len();
                    for a in items {
                        if a.draft {
                            out.removed.push(article_id(a.id));
                        } else {
                            out.articles.push(new_article(a));
                        }
                    }
                    let end = page.get("end_time").and_then(Value::as_i64);
                    out.next_since = end.or(out.next_since);
                    let more = page.get("next_page").is_some_and(|n| !n.is_null());
                    match end {
                        Some(e) if more && count > 0 && e > start => start = e,
                        Some(e) if more && e <= start => {
                            return Err(bad(
                                &response,
                                "the incremental export does not move forward",
                            ))
                        }
                        _ => break,
                    }
                }
            }
            _ => {
                let mut articles = Vec::new();
                self.walk_pages(
                    "/api/v2/help_center/articles.json",
                    &[],
                    |page, response| {
                        let items: Vec<ArticleJson> = field(page, "articles", response)?;
                        articles.extend(items.into_iter().filter(|a| !a.draft).map(new_article));
                        Ok(true)
                    },
                )
                .await?;
                out.articles = articles;
                out.complete = true;
                out.next_since = Some(chrono::Utc::now().timestamp() - 60);
            }
        }
        Ok(out)
    }

    fn rate_limit(&self) -> Option<RateLimit> {
        *self.rate.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn check(&self) -> Result<String, VendorError> {
        let (response, v) = self.read_page("/api/v2/users/me.json").await?;
        let name = v
            .pointer("/user/name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(&response, "no user in the answer"))?;
        let host = host_of(&self.base).unwrap_or_default();
        Ok(format!("{name} at {host}"))
    }
}

/// A help-centre article as Zendesk returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleJson {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// HTML body (sanitise before storing).
    #[serde(default)]
    pub body: Option<String>,
    /// Labels.
    #[serde(default)]
    pub label_names: Vec<String>,
    /// The public page.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Locale.
    #[serde(default)]
    pub locale: Option<String>,
    /// Last change.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Unpublished.
    #[serde(default)]
    pub draft: bool,
}

/// Reads `{"article": {...}}` or `{"articles": [...]}`.
pub fn parse_articles(r: &HttpResponse) -> Result<Vec<ArticleJson>, VendorError> {
    let v = parse_json(r)?;
    if v.get("article").is_some() {
        return Ok(vec![field(&v, "article", r)?]);
    }
    field(&v, "articles", r)
}

/// Reads any JSON answer (for checks on answers we do not otherwise use).
pub fn parse_any(r: &HttpResponse) -> Result<Value, VendorError> {
    parse_json(r)
}

fn article_id(id: i64) -> String {
    format!("zendesk:{id}")
}

fn new_article(a: ArticleJson) -> crate::kb::NewArticle {
    crate::kb::NewArticle {
        id: article_id(a.id),
        title: a.title,
        body_html: a.body.unwrap_or_default(),
        labels: a.label_names,
        section: String::new(),
        source: "zendesk".to_owned(),
        source_url: a.html_url.unwrap_or_default(),
        locale: a.locale.unwrap_or_else(|| "en".to_owned()),
        updated_at: a.updated_at.unwrap_or_default(),
    }
}
