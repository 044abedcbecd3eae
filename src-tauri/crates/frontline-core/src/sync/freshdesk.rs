//! The Freshdesk adapter (API v2), over an injected [`Transport`], behind the same
//! [`VendorApi`] seam as Zendesk: the engine, the outbox and the UI do not know which vendor
//! they talk to.
//!
//! How the seam maps Freshdesk:
//! - There is one mode: the partner's API key is an agent's; tickets are opened with the
//!   configured requester e-mail and replies go as that agent (`/reply`; internal notes
//!   `/notes`).
//! - Priorities are numbers (1 low … 4 urgent) and statuses are numbers (2 open, 3 pending,
//!   4 resolved, 5 closed); they are read back as Zendesk's words, which the rest of Frontline
//!   uses.
//! - There are no idempotency keys: after an uncertain create the adapter lists the requester's
//!   tickets changed since just before the first attempt (a current listing, never the search
//!   API, which is indexed minutes late) and matches the operation's marker in the description.
//! - Files go with the reply that carries them (multipart `attachments[]`), not as uploads of
//!   their own: [`VendorApi::upload`] keeps the file until the comment that uses it, and a
//!   ticket takes at most 20 MB of files in all.
//! - Lists are paged with the `Link` header, and `GET /tickets` stops at page 300: a walk of the
//!   changes starts again from the last `updated_at` it read.
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::{HttpRequest, HttpResponse, Method, Transport};
use super::vendor::*;
use super::wire::{
    bad, checked, excerpt, intercepted, is_loopback, json_request, parse_json, parse_time,
    read_with_retries, with_query, OWN_MARKER, REFERENCE_LINE,
};

/// Files a Freshdesk ticket takes in all (per ticket, over every reply).
pub const TICKET_FILES_LIMIT: u64 = 20 * 1024 * 1024;

/// The last page `GET /tickets` serves.
const PAGE_CAP: u32 = 300;

/// How far before the first attempt a look-up for an uncertain create starts, when the engine
/// gives no bound (Freshdesk's `updated_since` filter is required to see older tickets).
const LOOKUP_WINDOW: chrono::Duration = chrono::Duration::hours(2);

/// How to reach an account.
#[derive(Debug, Clone)]
pub struct FreshdeskConfig {
    /// `https://{domain}.freshdesk.com` (or a loopback `http://127.0.0.1:PORT` simulator).
    pub base_url: String,
    /// The agent's API key.
    pub api_key: String,
    /// Who the partner's tickets are from (a contact at the vendor's Freshdesk).
    pub requester_email: String,
    /// A custom text field the vendor's admin made for our issue id (`cf_frontline_id`), if any.
    pub id_field: Option<String>,
}

impl FreshdeskConfig {
    /// The base URL for a domain: `acme` or `acme.freshdesk.com` becomes
    /// `https://acme.freshdesk.com`.
    pub fn domain_url(domain: &str) -> String {
        let d = domain.trim().trim_end_matches('/');
        let d = d.strip_prefix("https://").unwrap_or(d);
        let name = d.trim_end_matches(".freshdesk.com");
        format!("https://{name}.freshdesk.com")
    }
}

/// A ticket as Freshdesk returns it (the fields we read; unknown fields are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct TicketJson {
    /// Id.
    pub id: Option<i64>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// 2 open, 3 pending, 4 resolved, 5 closed (or an account's own, above 5).
    #[serde(default)]
    pub status: Option<i64>,
    /// 1 low … 4 urgent.
    #[serde(default)]
    pub priority: Option<i64>,
    /// The agent who has it.
    #[serde(default)]
    pub responder_id: Option<i64>,
    /// Last change.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// HTML description.
    #[serde(default)]
    pub description: Option<String>,
    /// Plain-text description.
    #[serde(default)]
    pub description_text: Option<String>,
    /// Custom fields by name.
    #[serde(default)]
    pub custom_fields: Option<HashMap<String, Value>>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// A reply or note (a "conversation").
#[derive(Debug, Clone, Deserialize)]
pub struct ConversationJson {
    /// Id.
    pub id: i64,
    /// The ticket it is on.
    #[serde(default)]
    pub ticket_id: Option<i64>,
    /// HTML body.
    #[serde(default)]
    pub body: Option<String>,
    /// Plain text.
    #[serde(default)]
    pub body_text: Option<String>,
    /// Came in from the requester (not an agent's).
    #[serde(default)]
    pub incoming: bool,
    /// An internal note.
    #[serde(default)]
    pub private: bool,
    /// The author.
    #[serde(default)]
    pub user_id: Option<i64>,
    /// "Name <address>" for replies sent by e-mail.
    #[serde(default)]
    pub from_email: Option<String>,
    /// When.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A solutions article.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleJson {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// HTML body (sanitised before it is stored).
    #[serde(default)]
    pub description: Option<String>,
    /// 1 draft, 2 published.
    #[serde(default)]
    pub status: Option<i64>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Last change.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A solutions category or folder.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupJson {
    /// Id.
    pub id: i64,
    /// Name.
    #[serde(default)]
    pub name: String,
}

/// Freshdesk.
pub struct Freshdesk {
    base: String,
    host: Option<String>,
    auth: String,
    requester: String,
    id_field: Option<String>,
    transport: Arc<dyn Transport>,
    rate: Mutex<Option<RateLimit>>,
    /// Files waiting for the reply that carries them, by the token `upload` gave.
    files: Mutex<HashMap<String, FileUpload>>,
    /// Agents' names by id, as learnt.
    agents: Mutex<HashMap<i64, String>>,
    /// Page size for lists (≤ 100).
    pub page_size: usize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Our priority words as Freshdesk's numbers.
pub fn priority_number(priority: &str) -> i64 {
    match priority {
        "urgent" => 4,
        "high" => 3,
        "normal" | "medium" => 2,
        _ => 1,
    }
}

/// Freshdesk's priority numbers in our words.
pub fn priority_word(n: i64) -> &'static str {
    match n {
        4 => "urgent",
        3 => "high",
        2 => "normal",
        _ => "low",
    }
}

/// Freshdesk's status numbers in our words (an account's own statuses count as pending: the
/// ticket is neither new nor done).
pub fn status_word(n: i64) -> &'static str {
    match n {
        2 => "open",
        4 => "solved",
        5 => "closed",
        _ => "pending",
    }
}

/// Plain text as HTML: escaped, line breaks kept.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

impl Freshdesk {
    /// An adapter for `config`. The address must be HTTPS unless it is loopback.
    pub fn new(
        config: &FreshdeskConfig,
        transport: Arc<dyn Transport>,
    ) -> Result<Self, VendorError> {
        let url = url::Url::parse(config.base_url.trim()).map_err(|e| {
            VendorError::Setup(format!(
                "The Freshdesk address \"{}\" is not a web address ({e}).",
                config.base_url
            ))
        })?;
        let host = url.host_str().unwrap_or_default().to_owned();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            _ => {
                return Err(VendorError::Setup(format!(
                    "The Freshdesk address must start with https:// (got \"{}\"); only a simulator on this computer may use plain http.",
                    config.base_url
                )))
            }
        }
        if config.api_key.trim().is_empty() || !config.requester_email.contains('@') {
            return Err(VendorError::Setup(
                "The Freshdesk connection needs an API key and the requester e-mail your tickets come from."
                    .to_owned(),
            ));
        }
        let credentials = format!("{}:X", config.api_key.trim());
        Ok(Freshdesk {
            base: url.as_str().trim_end_matches('/').to_owned(),
            host: Some(host),
            auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            requester: config.requester_email.trim().to_owned(),
            id_field: config
                .id_field
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
            transport,
            rate: Mutex::new(None),
            files: Mutex::new(HashMap::new()),
            agents: Mutex::new(HashMap::new()),
            page_size: 100,
        })
    }

    /// Builds a JSON request to `path_and_query` (starting with `/api/v2/`).
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

    /// A `multipart/form-data` POST: text fields, then the files as `attachments[]`.
    pub fn multipart_request(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[FileUpload],
    ) -> HttpRequest {
        let boundary = format!("frontline-{}", uuid::Uuid::now_v7().simple());
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for f in files {
            let name = safe_file_name(&f.file_name);
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n",
                    f.media_type
                )
                .as_bytes(),
            );
            body.extend_from_slice(&f.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        HttpRequest {
            method: Method::Post,
            url: format!("{}{path}", self.base),
            headers: vec![
                ("authorization".to_owned(), self.auth.clone()),
                ("accept".to_owned(), "application/json".to_owned()),
                (
                    "content-type".to_owned(),
                    format!("multipart/form-data; boundary={boundary}"),
                ),
            ],
            body,
        }
    }

    /// Sends and checks the status: non-2xx becomes [`VendorError::Status`] with Freshdesk's
    /// words.
    pub async fn call(&self, request: HttpRequest) -> Result<HttpResponse, VendorError> {
        let response = self.transport.send(request).await?;
        if intercepted(&response, self.host.as_deref()).is_none() {
            self.note_rate(&response);
        }
        checked(response, self.host.as_deref(), error_message)
    }

    fn note_rate(&self, r: &HttpResponse) {
        let num = |name: &str| r.header(name).and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(limit) = num("x-ratelimit-total") {
            *lock(&self.rate) = Some(RateLimit {
                limit: limit.min(u32::MAX as u64) as u32,
                remaining: num("x-ratelimit-remaining").map(|v| v.min(u32::MAX as u64) as u32),
                reset: None,
            });
        }
    }

    /// GETs a page and reads its JSON (retried at once a few times when it fails for a
    /// moment: reads are safe to repeat).
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

    /// The path and query of the `Link` header's next page: only on this vendor's host.
    fn next_page(&self, r: &HttpResponse) -> Result<Option<String>, VendorError> {
        let Some(link) = r.header("link") else {
            return Ok(None);
        };
        let next = link.split(',').find_map(|part| {
            let (target, params) = part.split_once(';')?;
            params
                .split(';')
                .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
                .then(|| target.trim().trim_start_matches('<').trim_end_matches('>'))
        });
        let Some(next) = next else {
            return Ok(None);
        };
        let url = url::Url::parse(next)
            .or_else(|_| url::Url::parse(&self.base).and_then(|b| b.join(next)))
            .map_err(|e| bad(r, &format!("the Link header's next page: {e}")))?;
        if url.host_str() != self.host.as_deref() {
            return Err(bad(r, "the Link header points to another host"));
        }
        Ok(Some(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }))
    }

    /// Walks a `Link`-paged list from `first`; `visit` reads each page (its JSON array) and
    /// returns false to stop. Refuses a next page that was already read (a loop). Returns how
    /// many pages were read and whether a next page remained.
    async fn walk(
        &self,
        first: &str,
        max_pages: u32,
        mut visit: impl FnMut(Vec<Value>, &HttpResponse) -> Result<bool, VendorError>,
    ) -> Result<(u32, bool), VendorError> {
        let mut path = first.to_owned();
        let mut seen = HashSet::from([path.clone()]);
        let mut pages = 0;
        loop {
            let (response, page) = self.read_page(&path).await?;
            pages += 1;
            let items: Vec<Value> = serde_json::from_value(page)
                .map_err(|e| bad(&response, &format!("expected a list: {e}")))?;
            if !visit(items, &response)? {
                return Ok((pages, false));
            }
            let Some(next) = self.next_page(&response)? else {
                return Ok((pages, false));
            };
            if pages >= max_pages {
                return Ok((pages, true));
            }
            if !seen.insert(next.clone()) {
                return Err(bad(&response, "the Link header's next page repeats"));
            }
            path = next;
        }
    }

    /// Every ticket of the requester changed since `since`, oldest change first, across
    /// Freshdesk's page cap (a walk that reaches page 300 starts again from the last
    /// `updated_at` it read).
    async fn tickets_since(
        &self,
        since: &str,
        mut visit: impl FnMut(TicketJson) -> bool,
    ) -> Result<(), VendorError> {
        let mut since = since.to_owned();
        loop {
            let size = self.page_size.to_string();
            let first = with_query(
                "/api/v2/tickets",
                &[
                    ("email", &self.requester),
                    ("updated_since", &since),
                    ("order_by", "updated_at"),
                    ("order_type", "asc"),
                    ("include", "description"),
                    ("per_page", &size),
                ],
            );
            let mut last = None;
            let mut stopped = false;
            let (_, capped) = self
                .walk(&first, PAGE_CAP, |items, response| {
                    for item in items {
                        let t: TicketJson = serde_json::from_value(item)
                            .map_err(|e| bad(response, &format!("a ticket: {e}")))?;
                        last = t.updated_at.clone().or(last.take());
                        if !visit(t) {
                            stopped = true;
                            return Ok(false);
                        }
                    }
                    Ok(true)
                })
                .await?;
            if stopped || !capped {
                return Ok(());
            }
            match last {
                Some(l) if l > since => since = l,
                _ => {
                    return Err(VendorError::BadAnswer {
                        problem: "300 pages of tickets changed at the same moment".to_owned(),
                        excerpt: since,
                    })
                }
            }
        }
    }

    /// An agent's name, asked once and kept ("agent #id" when it cannot be had).
    async fn agent_name(&self, id: i64) -> String {
        if let Some(n) = lock(&self.agents).get(&id) {
            return n.clone();
        }
        let name = match self.read_page(&format!("/api/v2/agents/{id}")).await {
            Ok((_, v)) => v
                .pointer("/contact/name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            Err(_) => None,
        };
        let name = name.unwrap_or_else(|| format!("agent #{id}"));
        lock(&self.agents).insert(id, name.clone());
        name
    }

    fn ticket_url(&self, id: i64) -> String {
        format!("{}/support/tickets/{id}", self.base)
    }

    fn ticket_ref(&self, t: &TicketJson, r: &HttpResponse) -> Result<TicketRef, VendorError> {
        let id = t.id.ok_or_else(|| bad(r, "the ticket has no id"))?;
        Ok(TicketRef {
            id,
            url: self.ticket_url(id),
            status: status_word(t.status.unwrap_or(2)).to_owned(),
            updated_at: t.updated_at.clone().unwrap_or_default(),
        })
    }

    async fn vendor_ticket(&self, t: TicketJson) -> Option<VendorTicket> {
        let assignee = match t.responder_id {
            Some(a) => self.agent_name(a).await,
            None => String::new(),
        };
        let external_id = self.id_field.as_ref().and_then(|f| {
            t.custom_fields
                .as_ref()?
                .get(f)?
                .as_str()
                .map(str::to_owned)
        });
        Some(VendorTicket {
            id: t.id?,
            subject: t.subject.unwrap_or_default(),
            status: status_word(t.status.unwrap_or(2)).to_owned(),
            priority: priority_word(t.priority.unwrap_or(1)).to_owned(),
            assignee,
            updated_at: t.updated_at.unwrap_or_default(),
            created_at: t.created_at.unwrap_or_default(),
            external_id,
            description: t.description_text.or(t.description).unwrap_or_default(),
        })
    }

    /// Adds tags to a ticket (Freshdesk replaces the whole list: read it, add, write back).
    async fn add_tags(&self, ticket: i64, tags: &[String]) -> Result<(), VendorError> {
        let (response, v) = self.read_page(&format!("/api/v2/tickets/{ticket}")).await?;
        let t: TicketJson =
            serde_json::from_value(v).map_err(|e| bad(&response, &format!("a ticket: {e}")))?;
        let mut all = t.tags.unwrap_or_default();
        let before = all.len();
        for tag in tags {
            if !all.contains(tag) {
                all.push(tag.clone());
            }
        }
        if all.len() == before {
            return Ok(());
        }
        self.call(self.request(
            Method::Put,
            &format!("/api/v2/tickets/{ticket}"),
            Some(&json!({ "tags": all })),
        ))
        .await
        .map(|_| ())
    }
}

/// A file name safe inside a multipart header.
fn safe_file_name(name: &str) -> String {
    let base = std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".to_owned());
    base.chars()
        .map(|c| {
            if c == '"' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Freshdesk's reason for an error: `{"description": "Validation failed", "errors":
/// [{"field", "message", "code"}]}`, or `{"code", "message"}`.
pub fn error_message(r: &HttpResponse) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(&r.body) {
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let errors: Vec<String> = v
            .get("errors")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|e| {
                        let message = text(e.get("message"))?;
                        Some(match text(e.get("field")) {
                            Some(f) => format!("{f}: {message}"),
                            None => message,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let description = text(v.get("description")).or_else(|| text(v.get("message")));
        match (description, errors.is_empty()) {
            (Some(d), false) => return format!("{d} ({})", errors.join("; ")),
            (None, false) => return errors.join("; "),
            (Some(d), true) => return d,
            (None, true) => {}
        }
    }
    let e = excerpt(&r.body);
    if e.is_empty() {
        "no details given".to_owned()
    } else {
        e
    }
}

/// Reads one ticket object.
pub fn parse_ticket(r: &HttpResponse) -> Result<TicketJson, VendorError> {
    let v = parse_json(r)?;
    let t: TicketJson = serde_json::from_value(v).map_err(|e| bad(r, &format!("a ticket: {e}")))?;
    if t.id.is_none() {
        return Err(bad(r, "the ticket has no id"));
    }
    Ok(t)
}

/// Reads a list of conversations.
pub fn parse_conversations(r: &HttpResponse) -> Result<Vec<ConversationJson>, VendorError> {
    let v = parse_json(r)?;
    serde_json::from_value(v).map_err(|e| bad(r, &format!("conversations: {e}")))
}

/// Reads one reply or note.
pub fn parse_conversation(r: &HttpResponse) -> Result<ConversationJson, VendorError> {
    let v = parse_json(r)?;
    serde_json::from_value(v).map_err(|e| bad(r, &format!("a conversation: {e}")))
}

/// Reads a list of solution articles.
pub fn parse_articles(r: &HttpResponse) -> Result<Vec<ArticleJson>, VendorError> {
    let v = parse_json(r)?;
    serde_json::from_value(v).map_err(|e| bad(r, &format!("articles: {e}")))
}

/// Reads a list of solution categories or folders.
pub fn parse_groups(r: &HttpResponse) -> Result<Vec<GroupJson>, VendorError> {
    let v = parse_json(r)?;
    serde_json::from_value(v).map_err(|e| bad(r, &format!("categories or folders: {e}")))
}

fn article_id(id: i64) -> String {
    format!("freshdesk:{id}")
}

#[async_trait]
impl VendorApi for Freshdesk {
    fn name(&self) -> &'static str {
        "Freshdesk"
    }

    fn source(&self) -> &'static str {
        "freshdesk"
    }

    async fn create_ticket(
        &self,
        draft: &TicketDraft,
        _idempotency_key: &str,
    ) -> Result<TicketRef, VendorError> {
        let mut tags = draft.tags.clone();
        if !tags.iter().any(|t| t == "frontline") {
            tags.push("frontline".to_owned());
        }
        let mut object = json!({
            "subject": draft.subject,
            "description": text_to_html(&draft.body),
            "email": self.requester,
            "priority": priority_number(&draft.priority),
            "status": 2,
            "source": 2,
            "tags": tags,
        });
        if let Some(field) = &self.id_field {
            object["custom_fields"] = json!({ field.as_str(): draft.external_id });
        }
        let response = self
            .call(self.request(Method::Post, "/api/v2/tickets", Some(&object)))
            .await?;
        let t = parse_ticket(&response)?;
        self.ticket_ref(&t, &response)
    }

    async fn find_ticket(
        &self,
        draft: &TicketDraft,
        created_after: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Option<TicketRef>, VendorError> {
        // The operation's marker tells this attempt's ticket from any other (a teammate's for
        // the same issue carries another); without one, the reference line does.
        let marker = super::outbox::markers_in(&draft.body)
            .last()
            .map(super::outbox::marker);
        let reference = format!("{REFERENCE_LINE} {}", draft.external_id);
        let wanted = marker.unwrap_or(reference);
        let since = created_after.unwrap_or_else(|| chrono::Utc::now() - LOOKUP_WINDOW);
        let since = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut found = None;
        self.tickets_since(&since, |t| {
            let text = t
                .description_text
                .as_deref()
                .or(t.description.as_deref())
                .unwrap_or_default();
            let created_ok = match (created_after, t.created_at.as_deref().and_then(parse_time)) {
                (Some(bound), Some(created)) => created >= bound,
                _ => true,
            };
            if created_ok && text.contains(&wanted) {
                found = Some(t);
                return false;
            }
            true
        })
        .await?;
        match found {
            Some(t) => Ok(Some(TicketRef {
                id: t.id.unwrap_or_default(),
                url: self.ticket_url(t.id.unwrap_or_default()),
                status: status_word(t.status.unwrap_or(2)).to_owned(),
                updated_at: t.updated_at.unwrap_or_default(),
            })),
            None => Ok(None),
        }
    }

    async fn add_comment(&self, ticket: i64, comment: &CommentDraft) -> Result<(), VendorError> {
        let html = text_to_html(&comment.body);
        let (path, mut fields) = if comment.public {
            (format!("/api/v2/tickets/{ticket}/reply"), Vec::new())
        } else {
            (
                format!("/api/v2/tickets/{ticket}/notes"),
                vec![("private", "true")],
            )
        };
        let files: Vec<FileUpload> = {
            let mut kept = lock(&self.files);
            comment
                .uploads
                .iter()
                .map(|token| {
                    kept.remove(token).ok_or_else(|| {
                        VendorError::Setup(format!(
                            "the file for upload {token} is no longer held; it is sent again with its next try"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?
        };
        let request = if files.is_empty() {
            let mut body = json!({ "body": html });
            if !comment.public {
                body["private"] = json!(true);
            }
            self.request(Method::Post, &path, Some(&body))
        } else {
            fields.insert(0, ("body", &html));
            self.multipart_request(&path, &fields, &files)
        };
        self.call(request).await?;
        if !comment.add_tags.is_empty() {
            self.add_tags(ticket, &comment.add_tags).await?;
        }
        Ok(())
    }

    async fn has_comment(&self, ticket: i64, marker: &str) -> Result<bool, VendorError> {
        Ok(self
            .comments(ticket)
            .await?
            .iter()
            .any(|c| c.body.contains(marker)))
    }

    async fn upload(&self, file: &FileUpload) -> Result<String, VendorError> {
        if file.bytes.len() as u64 > TICKET_FILES_LIMIT {
            return Err(VendorError::Status {
                status: 413,
                message: format!(
                    "{} is {:.1} MB; Freshdesk takes at most 20 MB of files per ticket",
                    file.file_name,
                    file.bytes.len() as f64 / 1_048_576.0
                ),
                retry_after: None,
            });
        }
        let token = uuid::Uuid::now_v7().to_string();
        lock(&self.files).insert(token.clone(), file.clone());
        Ok(token)
    }

    async fn set_priority(
        &self,
        ticket: i64,
        priority: &str,
        _marker: &str,
    ) -> Result<(), VendorError> {
        // An absolute value: safe to send again.
        self.call(self.request(
            Method::Put,
            &format!("/api/v2/tickets/{ticket}"),
            Some(&json!({ "priority": priority_number(priority) })),
        ))
        .await
        .map(|_| ())
    }

    async fn close_duplicate(
        &self,
        ticket: i64,
        original: i64,
        marker: &str,
    ) -> Result<(), VendorError> {
        // Resolved first, then the note: the note (found by its marker) says both are done.
        self.call(self.request(
            Method::Put,
            &format!("/api/v2/tickets/{ticket}"),
            Some(&json!({ "status": 4 })),
        ))
        .await?;
        let note = format!(
            "This ticket was opened twice in error by Frontline (a copy of #{original} that \
             reached you late). Please follow #{original} instead; nothing here needs an \
             answer.\n\n{marker}"
        );
        self.add_comment(
            ticket,
            &CommentDraft {
                body: note,
                public: true,
                add_tags: vec!["frontline_duplicate".to_owned()],
                ..CommentDraft::default()
            },
        )
        .await
    }

    async fn changes(
        &self,
        since: Option<&str>,
        _known: &[i64],
    ) -> Result<Vec<VendorTicket>, VendorError> {
        // Every ticket of the requester, not only the linked ones: a copy an uncertain create
        // left behind (it landed after the look-up) is then found by its reference line and
        // closed, as in Zendesk's end-user mode. Without `updated_since` Freshdesk lists only
        // the last 30 days.
        let since = since.unwrap_or("2000-01-01T00:00:00Z");
        let mut tickets = Vec::new();
        self.tickets_since(since, |t| {
            tickets.push(t);
            true
        })
        .await?;
        let mut out = Vec::with_capacity(tickets.len());
        for t in tickets {
            out.extend(self.vendor_ticket(t).await);
        }
        Ok(out)
    }

    async fn comments(&self, ticket: i64) -> Result<Vec<VendorComment>, VendorError> {
        let mut items = Vec::new();
        let size = self.page_size.to_string();
        self.walk(
            &with_query(
                &format!("/api/v2/tickets/{ticket}/conversations"),
                &[("per_page", &size)],
            ),
            u32::MAX,
            |page, response| {
                for item in page {
                    let c: ConversationJson = serde_json::from_value(item)
                        .map_err(|e| bad(response, &format!("a conversation: {e}")))?;
                    items.push(c);
                }
                Ok(true)
            },
        )
        .await?;
        let mut out = Vec::with_capacity(items.len());
        for c in items {
            let body = c.body_text.or(c.body).unwrap_or_default();
            let ours = body.contains(OWN_MARKER) || body.contains(REFERENCE_LINE);
            let author = match (c.from_email.as_deref(), c.user_id) {
                (Some(from), _) if !from.trim().is_empty() => from
                    .split('<')
                    .next()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(from)
                    .to_owned(),
                (_, Some(id)) => self.agent_name(id).await,
                _ => "Vendor support".to_owned(),
            };
            out.push(VendorComment {
                id: c.id,
                from_vendor: !c.incoming && !ours,
                author,
                body,
                public: !c.private,
                created_at: c.created_at.unwrap_or_default(),
            });
        }
        Ok(out)
    }

    async fn help_centre(&self, _since: Option<i64>) -> Result<HelpCentreChanges, VendorError> {
        // No changed-since filter for solutions: the whole knowledge base each time, published
        // articles only.
        let mut out = HelpCentreChanges {
            complete: true,
            ..HelpCentreChanges::default()
        };
        let (response, v) = self.read_page("/api/v2/solutions/categories").await?;
        let categories: Vec<GroupJson> =
            serde_json::from_value(v).map_err(|e| bad(&response, &format!("categories: {e}")))?;
        for category in categories {
            let (response, v) = self
                .read_page(&format!(
                    "/api/v2/solutions/categories/{}/folders",
                    category.id
                ))
                .await?;
            let folders: Vec<GroupJson> =
                serde_json::from_value(v).map_err(|e| bad(&response, &format!("folders: {e}")))?;
            for folder in folders {
                let size = self.page_size.to_string();
                let first = with_query(
                    &format!("/api/v2/solutions/folders/{}/articles", folder.id),
                    &[("per_page", &size)],
                );
                self.walk(&first, u32::MAX, |page, response| {
                    for item in page {
                        let a: ArticleJson = serde_json::from_value(item)
                            .map_err(|e| bad(response, &format!("an article: {e}")))?;
                        if a.status == Some(2) {
                            out.articles.push(crate::kb::NewArticle {
                                id: article_id(a.id),
                                title: a.title,
                                body_html: a.description.unwrap_or_default(),
                                labels: a.tags.unwrap_or_default(),
                                section: folder.name.clone(),
                                source: "freshdesk".to_owned(),
                                source_url: format!(
                                    "{}/support/solutions/articles/{}",
                                    self.base, a.id
                                ),
                                locale: "en".to_owned(),
                                updated_at: a.updated_at.unwrap_or_default(),
                            });
                        }
                    }
                    Ok(true)
                })
                .await?;
            }
        }
        Ok(out)
    }

    fn rate_limit(&self) -> Option<RateLimit> {
        *lock(&self.rate)
    }

    async fn check(&self) -> Result<String, VendorError> {
        let (response, v) = self.read_page("/api/v2/agents/me").await?;
        let name = v
            .pointer("/contact/name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(&response, "no agent in the answer"))?;
        Ok(format!(
            "{name} at {}",
            self.host.as_deref().unwrap_or_default()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_becomes_an_https_address() {
        assert_eq!(
            FreshdeskConfig::domain_url("acme"),
            "https://acme.freshdesk.com"
        );
        assert_eq!(
            FreshdeskConfig::domain_url("acme.freshdesk.com"),
            "https://acme.freshdesk.com"
        );
        assert_eq!(
            FreshdeskConfig::domain_url("https://acme.freshdesk.com/"),
            "https://acme.freshdesk.com"
        );
    }

    #[test]
    fn text_becomes_html_that_shows_the_same_text() {
        assert_eq!(
            text_to_html("a < b & \"c\"\nnext"),
            "a &lt; b &amp; &quot;c&quot;<br>next"
        );
    }

    #[test]
    fn numbers_and_words_map_both_ways() {
        for word in ["low", "normal", "high", "urgent"] {
            assert_eq!(priority_word(priority_number(word)), word);
        }
        assert_eq!(status_word(2), "open");
        assert_eq!(status_word(4), "solved");
        assert_eq!(status_word(5), "closed");
        assert_eq!(status_word(7), "pending");
    }
}
