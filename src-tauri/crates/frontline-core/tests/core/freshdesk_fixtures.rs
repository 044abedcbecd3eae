//! The Freshdesk adapter against Freshdesk's recorded response bodies
//! (`../shared/fixtures/freshdesk/`, read in place; headers come from the API documentation):
//! it parses every body, the requests it sends have the documented method, path, query,
//! headers and body, and each kind of failure gets the disposition the engine needs.
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine;
use frontline_core::sync::freshdesk::{self, Freshdesk, FreshdeskConfig};
use frontline_core::sync::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use frontline_core::sync::vendor::{
    CommentDraft, Disposition, FileUpload, TicketDraft, VendorApi, VendorError,
};
use serde_json::{json, Value};

/// `../shared/fixtures/freshdesk` beside the project (from any folder above this crate), or
/// `FRONTLINE_FRESHDESK_FIXTURES`.
fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FRONTLINE_FRESHDESK_FIXTURES") {
        return PathBuf::from(dir);
    }
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .map(|a| a.join("shared/fixtures/freshdesk"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the recorded Freshdesk bodies (shared/fixtures/freshdesk) were not found above {}; set FRONTLINE_FRESHDESK_FIXTURES",
                crate_dir.display()
            )
        })
}

fn body(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok(body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![
            (
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("x-ratelimit-total".into(), "400".into()),
            ("x-ratelimit-remaining".into(), "399".into()),
            ("x-ratelimit-used-currentrequest".into(), "1".into()),
        ],
        body,
    }
}

fn with_header(mut r: HttpResponse, name: &str, value: &str) -> HttpResponse {
    r.headers.push((name.into(), value.into()));
    r
}

/// Answers from a script, in order, and keeps every request.
struct Scripted {
    answers: Mutex<VecDeque<HttpResponse>>,
    sent: Mutex<Vec<HttpRequest>>,
}

impl Scripted {
    fn new(answers: Vec<HttpResponse>) -> Arc<Scripted> {
        Arc::new(Scripted {
            answers: Mutex::new(answers.into()),
            sent: Mutex::new(Vec::new()),
        })
    }

    fn sent(&self) -> Vec<HttpRequest> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Transport for Scripted {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push(request);
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .ok_or_else(|| TransportError::Unreachable("the script ran out".into()))
    }
}

const KEY: &str = "abcdefghij0123456789";

fn adapter(script: &Arc<Scripted>, id_field: Option<&str>) -> Freshdesk {
    Freshdesk::new(
        &FreshdeskConfig {
            base_url: "https://acme.freshdesk.com".into(),
            api_key: KEY.into(),
            requester_email: "desk@partner.example".into(),
            id_field: id_field.map(str::to_owned),
        },
        script.clone(),
    )
    .unwrap()
}

fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn path_and_query(r: &HttpRequest) -> (String, Vec<(String, String)>) {
    let url = url::Url::parse(&r.url).unwrap();
    (
        url.path().to_owned(),
        url.query_pairs().into_owned().collect(),
    )
}

fn json_body(r: &HttpRequest) -> Value {
    assert_eq!(header(r, "content-type"), Some("application/json"));
    serde_json::from_slice(&r.body).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn draft() -> TicketDraft {
    TicketDraft {
        subject: "Invoice export fails [FL-10042]".into(),
        body: "Client: Acme\nWhat happens\n<500> & nothing else\n\nFrontline reference: 0192-abc (FL-10042)\n\n[frontline:key-1]".into(),
        priority: "urgent".into(),
        kind: "incident".into(),
        tags: vec!["frontline_bug".into()],
        external_id: "0192-abc".into(),
    }
}

#[test]
fn freshdesk_every_recorded_body_parses() {
    let t = freshdesk::parse_ticket(&ok(body("ticket_1.json"))).unwrap();
    assert_eq!(t.id, Some(1));
    assert_eq!(t.status.map(freshdesk::status_word), Some("open"));
    assert_eq!(t.priority.map(freshdesk::priority_word), Some("low"));
    assert_eq!(t.responder_id, Some(6010396333));
    assert_eq!(
        t.description_text.as_deref(),
        Some("This is a sample ticket, feel free to delete it.")
    );
    let updated = freshdesk::parse_ticket(&ok(body("ticket_1_updated.json"))).unwrap();
    assert_eq!(updated.id, Some(1));
    for name in ["note_1.json", "reply_1.json"] {
        let c = freshdesk::parse_conversation(&ok(body(name))).unwrap();
        assert_eq!(c.ticket_id, Some(1), "{name}");
    }
    let conversations = freshdesk::parse_conversations(&ok(body("conversations.json"))).unwrap();
    assert_eq!(conversations.len(), 2);
    assert!(conversations[0].private && !conversations[1].private);
    let categories = freshdesk::parse_groups(&ok(body("solution_categories.json"))).unwrap();
    assert_eq!(categories[0].id, 2);
    let folders = freshdesk::parse_groups(&ok(body("solution_folders.json"))).unwrap();
    assert_eq!(folders[0].name, "Getting Started");
    let articles = freshdesk::parse_articles(&ok(body("solution_articles.json"))).unwrap();
    assert!(!articles.is_empty());
    assert_eq!(articles[0].title, "Changing account details");
    assert_eq!(articles[0].status, Some(2));
    for name in [
        "contacts.json",
        "contact.json",
        "agents.json",
        "groups.json",
    ] {
        let v: Value = serde_json::from_slice(&body(name)).unwrap();
        assert!(v.is_array() || v.is_object(), "{name}");
    }
}

#[test]
fn freshdesk_a_ticket_is_created_as_the_documentation_says() {
    let script = Scripted::new(vec![ok(body("ticket_1.json"))]);
    let fd = adapter(&script, Some("cf_frontline_id"));
    let created = runtime()
        .block_on(fd.create_ticket(&draft(), "key-1"))
        .unwrap();
    assert_eq!(created.id, 1);
    assert_eq!(created.status, "open");
    assert_eq!(created.url, "https://acme.freshdesk.com/support/tickets/1");
    let sent = script.sent();
    let r = &sent[0];
    assert_eq!(r.method, Method::Post);
    assert_eq!(path_and_query(r).0, "/api/v2/tickets");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:X"));
    assert_eq!(
        header(r, "authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    let b = json_body(r);
    assert_eq!(b["subject"], "Invoice export fails [FL-10042]");
    assert_eq!(b["email"], "desk@partner.example");
    assert_eq!(b["priority"], 4, "urgent is 4");
    assert_eq!(b["status"], 2, "open");
    assert!(b["source"].is_i64());
    assert_eq!(b["custom_fields"]["cf_frontline_id"], "0192-abc");
    let html = b["description"].as_str().unwrap();
    assert!(html.contains("&lt;500&gt; &amp; nothing else"), "{html}");
    assert!(html.contains("Frontline reference: 0192-abc"), "{html}");
    assert!(html.contains("[frontline:key-1]"), "{html}");
    assert!(html.contains("<br>"), "lines kept: {html}");
    let tags: Vec<&str> = b["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"frontline") && tags.contains(&"frontline_bug"));

    // Without the custom field, the body's reference line is the only marker.
    let script = Scripted::new(vec![ok(body("ticket_1.json"))]);
    runtime()
        .block_on(adapter(&script, None).create_ticket(&draft(), "key-1"))
        .unwrap();
    assert!(json_body(&script.sent()[0]).get("custom_fields").is_none());
}

#[test]
fn freshdesk_replies_notes_files_and_priority_go_where_the_documentation_says() {
    let script = Scripted::new(vec![
        ok(body("reply_1.json")),
        ok(body("note_1.json")),
        ok(body("reply_1.json")),
        ok(body("ticket_1_updated.json")),
    ]);
    let fd = adapter(&script, None);
    let rt = runtime();
    rt.block_on(fd.add_comment(
        1,
        &CommentDraft {
            body: "Any news?\n\n[frontline:k2]".into(),
            public: true,
            ..CommentDraft::default()
        },
    ))
    .unwrap();
    rt.block_on(fd.add_comment(
        1,
        &CommentDraft {
            body: "For the record".into(),
            public: false,
            ..CommentDraft::default()
        },
    ))
    .unwrap();
    let token = rt
        .block_on(fd.upload(&FileUpload {
            file_name: "export \"log\".txt".into(),
            media_type: "text/plain".into(),
            bytes: b"row 48112 failed".to_vec(),
        }))
        .unwrap();
    rt.block_on(fd.add_comment(
        1,
        &CommentDraft {
            body: "Attached: export.log".into(),
            public: true,
            uploads: vec![token.clone()],
            ..CommentDraft::default()
        },
    ))
    .unwrap();
    rt.block_on(fd.set_priority(1, "high", "[frontline:k3]"))
        .unwrap();

    let sent = script.sent();
    assert_eq!(
        (sent[0].method, path_and_query(&sent[0]).0.as_str()),
        (Method::Post, "/api/v2/tickets/1/reply")
    );
    assert_eq!(
        json_body(&sent[0])["body"],
        "Any news?<br><br>[frontline:k2]"
    );
    assert_eq!(path_and_query(&sent[1]).0, "/api/v2/tickets/1/notes");
    assert_eq!(json_body(&sent[1])["private"], true);
    // The file rides on the reply, as multipart `attachments[]`.
    let multipart = &sent[2];
    assert_eq!(path_and_query(multipart).0, "/api/v2/tickets/1/reply");
    let content_type = header(multipart, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    let text = String::from_utf8_lossy(&multipart.body);
    assert!(text.starts_with(&format!("--{boundary}\r\n")));
    assert!(text.contains("name=\"body\"\r\n\r\nAttached: export.log\r\n"));
    assert!(text.contains(
        "name=\"attachments[]\"; filename=\"export _log_.txt\"\r\nContent-Type: text/plain\r\n\r\nrow 48112 failed\r\n"
    ));
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    assert_eq!(
        (sent[3].method, path_and_query(&sent[3]).0.as_str()),
        (Method::Put, "/api/v2/tickets/1")
    );
    assert_eq!(json_body(&sent[3]), json!({"priority": 3}));
    assert_eq!(fd.rate_limit().map(|r| r.limit), Some(400));

    // A file over the ticket's 20 MB is refused before anything is sent, and set aside.
    let big = rt.block_on(fd.upload(&FileUpload {
        file_name: "dump.bin".into(),
        media_type: "application/octet-stream".into(),
        bytes: vec![0; 21 * 1024 * 1024],
    }));
    let e = big.unwrap_err();
    assert_eq!(e.disposition(), Disposition::Park);
    assert!(e.to_string().contains("20 MB"), "{e}");
    assert_eq!(script.sent().len(), 4);
}

#[test]
fn freshdesk_changes_follow_the_link_header_and_restart_at_the_page_cap() {
    let page = |ids: &[i64], updated: &str| {
        let items: Vec<Value> = ids
            .iter()
            .map(|id| {
                let mut t: Value = serde_json::from_slice(&body("ticket_1.json")).unwrap();
                t["id"] = json!(id);
                t["updated_at"] = json!(updated);
                t["responder_id"] = Value::Null;
                t
            })
            .collect();
        ok(serde_json::to_vec(&items).unwrap())
    };
    let script = Scripted::new(vec![
        with_header(
            page(&[1, 2], "2026-12-01T10:00:00Z"),
            "link",
            "<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100>; rel=\"next\"",
        ),
        page(&[3], "2026-12-01T11:00:00Z"),
    ]);
    let fd = adapter(&script, None);
    let tickets = runtime()
        .block_on(fd.changes(Some("2026-11-30T00:00:00Z"), &[2, 3]))
        .unwrap();
    let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    assert_eq!(
        ids,
        [1, 2, 3],
        "every ticket of the requester (a late copy is found too), across both pages"
    );
    let sent = script.sent();
    let (path, query) = path_and_query(&sent[0]);
    assert_eq!(path, "/api/v2/tickets");
    for (k, v) in [
        ("email", "desk@partner.example"),
        ("updated_since", "2026-11-30T00:00:00Z"),
        ("order_by", "updated_at"),
        ("order_type", "asc"),
        ("per_page", "100"),
    ] {
        assert!(
            query.contains(&(k.to_owned(), v.to_owned())),
            "{k}={v} in {query:?}"
        );
    }
    assert_eq!(path_and_query(&sent[1]).1[0], ("page".into(), "2".into()));

    // Freshdesk serves 300 pages at most: the walk starts again from the last change it read.
    let at = |n: i64| {
        (chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap()
            + chrono::Duration::seconds(n))
        .to_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let mut answers: Vec<HttpResponse> = (1..=300)
        .map(|n| {
            with_header(
                page(&[n], &at(n)),
                "link",
                &format!("<https://acme.freshdesk.com/api/v2/tickets?page={}&per_page=100>; rel=\"next\"", n + 1),
            )
        })
        .collect();
    answers.push(page(&[301], &at(301)));
    let script = Scripted::new(answers);
    let all: Vec<i64> = (1..=301).collect();
    let tickets = runtime()
        .block_on(adapter(&script, None).changes(Some(&at(0)), &all))
        .unwrap();
    assert_eq!(tickets.len(), 301, "every change, past the cap");
    let sent = script.sent();
    assert_eq!(sent.len(), 301);
    let (_, restart) = path_and_query(&sent[300]);
    assert!(
        restart.contains(&("updated_since".into(), at(300))),
        "starts again from the last change read: {restart:?}"
    );
    assert!(!restart.iter().any(|(k, _)| k == "page"));

    // A Link header that points back to a page already read is a bad answer, not a loop.
    let looping = "<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100>; rel=\"next\"";
    let script = Scripted::new(vec![
        with_header(page(&[1], "2026-12-01T10:00:00Z"), "link", looping),
        with_header(page(&[1], "2026-12-01T10:00:00Z"), "link", looping),
    ]);
    let e = runtime()
        .block_on(adapter(&script, None).changes(None, &[1]))
        .unwrap_err();
    assert!(matches!(e, VendorError::BadAnswer { .. }), "{e:?}");
    assert!(e.to_string().contains("repeats"), "{e}");
    // …and one that points to another host is not followed.
    let script = Scripted::new(vec![with_header(
        page(&[1], "2026-12-01T10:00:00Z"),
        "link",
        "<https://evil.example/api/v2/tickets?page=2>; rel=\"next\"",
    )]);
    let e = runtime()
        .block_on(adapter(&script, None).changes(None, &[1]))
        .unwrap_err();
    assert!(e.to_string().contains("another host"), "{e}");
}

#[test]
fn freshdesk_failures_get_the_disposition_the_queue_needs() {
    let answer = |status: u16, body: &str, content_type: &str| HttpResponse {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.as_bytes().to_vec(),
    };
    let cases = vec![
        (
            with_header(
                answer(
                    429,
                    r#"{"message":"You have exceeded the limit of requests per minute"}"#,
                    "application/json",
                ),
                "retry-after",
                "17",
            ),
            Disposition::Retry {
                uncertain: false,
                late: false,
                not_before: Some(std::time::Duration::from_secs(17)),
            },
            "exceeded the limit",
        ),
        (
            answer(
                401,
                r#"{"code":"invalid_credentials","message":"You have to be logged in to perform this action."}"#,
                "application/json",
            ),
            Disposition::Pause,
            "logged in",
        ),
        (
            answer(
                400,
                r#"{"description":"Validation failed","errors":[{"field":"email","message":"There is no contact matching the given email","code":"invalid_value"}]}"#,
                "application/json",
            ),
            Disposition::Park,
            "Validation failed (email: There is no contact matching the given email)",
        ),
        (
            answer(
                200,
                "<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title></head></html>",
                "text/html",
            ),
            Disposition::Intercepted,
            "Hotel Wi-Fi",
        ),
    ];
    for (response, disposition, words) in cases {
        let script = Scripted::new(vec![response]);
        let e = runtime()
            .block_on(adapter(&script, None).create_ticket(&draft(), "k"))
            .unwrap_err();
        assert_eq!(e.disposition(), disposition, "{e}");
        assert!(e.to_string().contains(words), "{e}");
    }
}

#[test]
fn freshdesk_an_uncertain_create_is_found_by_its_marker_in_a_current_listing() {
    let mut mine: Value = serde_json::from_slice(&body("ticket_1.json")).unwrap();
    mine["id"] = json!(77);
    mine["created_at"] = json!("2026-12-07T10:00:05Z");
    mine["description_text"] = json!(draft().body);
    let mut teammates = mine.clone();
    teammates["id"] = json!(76);
    teammates["description_text"] = json!(draft().body.replace("key-1", "key-of-sam"));
    let script = Scripted::new(vec![ok(
        serde_json::to_vec(&json!([teammates, mine])).unwrap()
    )]);
    let fd = adapter(&script, None);
    let bound = chrono::DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
        .unwrap()
        .to_utc();
    let found = runtime()
        .block_on(fd.find_ticket(&draft(), Some(bound)))
        .unwrap()
        .expect("found");
    assert_eq!(
        found.id, 77,
        "the ticket with this attempt's marker, not the teammate's"
    );
    let (path, query) = path_and_query(&script.sent()[0]);
    assert_eq!(path, "/api/v2/tickets", "a listing, never /search");
    assert!(query.contains(&("email".into(), "desk@partner.example".into())));
    assert!(query.contains(&("updated_since".into(), "2026-12-07T10:00:00Z".into())));
}
