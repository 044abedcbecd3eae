//! The Zendesk adapter against real recorded Zendesk traffic (`../shared/fixtures/zendesk/`,
//! read in place): it parses every recorded answer, and the requests it sends match the
//! recorded ones in method, path, query and JSON body.
use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine;
use frontline_core::sync::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use frontline_core::sync::vendor::{Disposition, FileUpload, VendorApi, VendorError};
use frontline_core::sync::zendesk::{self, Mode, TicketWire, Zendesk, ZendeskConfig};
use serde_json::Value;

/// `../shared/fixtures/zendesk` beside the project (found from any folder above this crate), or
/// `FRONTLINE_ZENDESK_FIXTURES`.
fn fixtures_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FRONTLINE_ZENDESK_FIXTURES") {
        return PathBuf::from(dir);
    }
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .map(|a| a.join("shared/fixtures/zendesk"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the recorded Zendesk traffic (shared/fixtures/zendesk) was not found beside the project above {}; set FRONTLINE_ZENDESK_FIXTURES",
                crate_dir.display()
            )
        })
}

/// One recorded exchange.
#[derive(Clone)]
struct Exchange {
    method: String,
    uri: String,
    content_type: Option<String>,
    body: Vec<u8>,
    response: HttpResponse,
}

fn body_bytes(b: &Value) -> Vec<u8> {
    if let Some(s) = b.get("base64_string").and_then(Value::as_str) {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(s.replace('\n', ""))
            .expect("base64 body");
        if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .expect("gzip body");
            return out;
        }
        return raw;
    }
    b.get("string")
        .and_then(Value::as_str)
        .unwrap_or("")
        .as_bytes()
        .to_vec()
}

fn load(name: &str) -> Vec<Exchange> {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).expect("fixture JSON");
    json["http_interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| {
            let rq = &i["request"];
            let rs = &i["response"];
            let headers = rs["headers"]
                .as_object()
                .map(|h| {
                    h.iter()
                        .filter(|(n, _)| !n.eq_ignore_ascii_case("content-encoding"))
                        .filter_map(|(n, v)| {
                            Some((n.to_ascii_lowercase(), v.get(0)?.as_str()?.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Exchange {
                method: rq["method"].as_str().unwrap_or("").to_owned(),
                uri: rq["uri"].as_str().unwrap_or("").to_owned(),
                content_type: rq["headers"]["Content-Type"][0].as_str().map(str::to_owned),
                body: body_bytes(&rq["body"]),
                response: HttpResponse {
                    status: rs["status"]["code"].as_u64().unwrap_or(0) as u16,
                    headers,
                    body: body_bytes(&rs["body"]),
                },
            }
        })
        .collect()
}

/// Answers with recorded responses in order and keeps what was sent.
struct Replay {
    answers: Mutex<VecDeque<HttpResponse>>,
    sent: Mutex<Vec<HttpRequest>>,
}

impl Replay {
    fn new(exchanges: &[Exchange]) -> Arc<Replay> {
        Arc::new(Replay {
            answers: Mutex::new(exchanges.iter().map(|e| e.response.clone()).collect()),
            sent: Mutex::new(Vec::new()),
        })
    }

    fn sent(&self) -> Vec<HttpRequest> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Transport for Replay {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push(request);
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .ok_or_else(|| TransportError::Unreachable("no more recorded answers".into()))
    }
}

fn adapter(replay: Arc<Replay>) -> Zendesk {
    Zendesk::new(
        &ZendeskConfig {
            base_url: "https://d3v-zenpydev.zendesk.com".into(),
            email: "agent@example.com".into(),
            token: "secret".into(),
            mode: Mode::Agent,
        },
        replay,
    )
    .expect("adapter")
}

/// Method, path and query equal; JSON bodies equal as values.
fn assert_same_request(sent: &HttpRequest, recorded: &Exchange) {
    assert_eq!(sent.method.as_str(), recorded.method, "method");
    assert_eq!(sent.url, recorded.uri, "path and query");
    if !recorded.body.is_empty() && recorded.content_type.as_deref() == Some("application/json") {
        let ours: Value = serde_json::from_slice(&sent.body).expect("we send JSON");
        let theirs: Value = serde_json::from_slice(&recorded.body).expect("recorded JSON");
        assert_eq!(ours, theirs, "JSON body");
    }
    let auth = sent
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.as_str());
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("agent@example.com/token:secret")
    );
    assert_eq!(
        auth,
        Some(expected.as_str()),
        "API-token basic auth on every request"
    );
}

fn wire_of(recorded: &Exchange) -> TicketWire {
    let v: Value = serde_json::from_slice(&recorded.body).expect("recorded JSON");
    serde_json::from_value(v["ticket"].clone()).expect("our wire type reads Zendesk's ticket")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn every_recorded_answer_parses() {
    let mut files = 0;
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures folder") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for e in load(&name) {
            let r = &e.response;
            let parsed = zendesk::parse_any(r)
                .unwrap_or_else(|err| panic!("{name} {} {}: {err}", e.method, e.uri));
            if e.uri.contains("/uploads.json") {
                assert!(!zendesk::parse_upload(r).unwrap().is_empty());
            } else if e.uri.contains("/articles.json") {
                let a = zendesk::parse_articles(r).unwrap();
                assert!(!a[0].title.is_empty());
            } else if e.method == "POST" && e.uri.ends_with("/tickets.json") {
                assert!(zendesk::parse_object(r, "ticket").unwrap().id.is_some());
            } else if e.response.status == 404 {
                assert_eq!(parsed["error"], "RecordNotFound");
            }
        }
        files += 1;
    }
    assert_eq!(files, 6, "all six recordings were read");
}

#[test]
fn ticket_create_matches_the_recording() {
    let rec = load("TestTicketCreateUpdateDelete.test_single_object_creation-create-single.json");
    let replay = Replay::new(&rec[..1]);
    let z = adapter(replay.clone());
    let created = rt()
        .block_on(z.send_create(&wire_of(&rec[0]), None))
        .unwrap();
    assert_eq!(created.id, 4014);
    assert_eq!(created.status, "new");
    assert_eq!(
        created.url,
        "https://d3v-zenpydev.zendesk.com/api/v2/tickets/4014.json"
    );
    assert_same_request(&replay.sent()[0], &rec[0]);
    assert_eq!(
        z.rate_limit().map(|r| (r.limit, r.remaining)),
        Some((700, Some(670))),
        "the advertised rate limit is read"
    );
}

#[test]
fn ticket_update_matches_the_recording() {
    let rec = load("TestTicketCreateUpdateDelete.test_single_object_update-update-single.json");
    let replay = Replay::new(&rec[..2]);
    let z = adapter(replay.clone());
    let runtime = rt();
    let created = runtime
        .block_on(z.send_create(&wire_of(&rec[0]), None))
        .unwrap();
    let updated = runtime
        .block_on(z.send_update(created.id, &wire_of(&rec[1])))
        .unwrap();
    assert_eq!(
        updated.subject.as_deref(),
        Some("testa94a8fe5ccb19ba61c4c0873d391e987982fbbd3")
    );
    let sent = replay.sent();
    assert_same_request(&sent[0], &rec[0]);
    assert_same_request(&sent[1], &rec[1]);
}

#[test]
fn updating_a_missing_ticket_is_parked_with_zendesks_words() {
    let rec = load(
        "TestTicketCreateUpdateDelete.test_single_update_raises_recordnotfoundexception-recordnotfound-update.json",
    );
    let replay = Replay::new(&rec);
    let z = adapter(replay.clone());
    let id = i64::MAX;
    let err = rt()
        .block_on(z.send_update(id, &wire_of(&rec[0])))
        .unwrap_err();
    assert!(
        matches!(&err, VendorError::Status { status: 404, message, .. } if message == "Not found"),
        "{err:?}"
    );
    assert_eq!(err.disposition(), Disposition::Park);
    assert_same_request(&replay.sent()[0], &rec[0]);
}

#[test]
fn upload_matches_the_recording() {
    let rec = load("TestAttachmentUpload.test_upload_with_path_str-upload-single.json");
    let replay = Replay::new(&rec);
    let z = adapter(replay.clone());
    let token = rt()
        .block_on(z.upload(&FileUpload {
            file_name: "docs/README.md".into(),
            media_type: "application/octet-stream".into(),
            bytes: b"# readme".to_vec(),
        }))
        .unwrap();
    assert_eq!(token, "NibC5xVW8SGzBilKpocGZud8c");
    let sent = &replay.sent()[0];
    assert_same_request(sent, &rec[0]);
    let content_type = sent
        .headers
        .iter()
        .find(|(n, _)| n == "content-type")
        .map(|(_, v)| v.clone());
    assert_eq!(
        content_type, rec[0].content_type,
        "the file's MIME type is sent"
    );
    assert_eq!(sent.body, b"# readme", "the raw bytes are the body");
}

#[test]
fn cursor_pagination_matches_the_recording() {
    let rec = load("TestTicketsPagination.test_pagination.json");
    let pages: Vec<Exchange> = rec
        .into_iter()
        .filter(|e| e.uri.ends_with("page%5Bsize%5D=1"))
        .collect();
    assert_eq!(pages.len(), 10);
    let replay = Replay::new(&pages);
    let mut z = adapter(replay.clone());
    z.page_size = 1;
    let tickets = rt()
        .block_on(z.list("/api/v2/tickets.json", &[], 10))
        .unwrap();
    let ids: Vec<i64> = tickets.iter().filter_map(|t| t.id).collect();
    assert_eq!(ids, (1..=10).collect::<Vec<_>>());
    let sent = replay.sent();
    assert_eq!(sent.len(), 10);
    for (s, r) in sent.iter().zip(&pages) {
        assert_same_request(s, r);
        assert_eq!(s.method, Method::Get);
    }
    assert!(
        sent.iter()
            .all(|s| s.url.starts_with("https://d3v-zenpydev.zendesk.com/")),
        "credentials are never sent to the other host named in links.next"
    );
}

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    let replay = Replay::new(&[]);
    for url in [
        "http://acme.zendesk.com",
        "ftp://acme.zendesk.com",
        "not a url",
    ] {
        let err = Zendesk::new(
            &ZendeskConfig {
                base_url: url.into(),
                email: "a@b.c".into(),
                token: "t".into(),
                mode: Mode::EndUser,
            },
            replay.clone(),
        )
        .err()
        .unwrap_or_else(|| panic!("{url} was accepted"));
        assert!(matches!(err, VendorError::Setup(_)), "{err:?}");
    }
    assert!(Zendesk::new(
        &ZendeskConfig {
            base_url: "http://127.0.0.1:8089".into(),
            email: "a@b.c".into(),
            token: "t".into(),
            mode: Mode::EndUser,
        },
        replay,
    )
    .is_ok());
}
