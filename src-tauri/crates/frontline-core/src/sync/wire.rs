//! What every vendor adapter reads and writes the same way: our markers, answers that come from
//! something in between rather than the vendor, JSON bodies, queries, times.
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::http::{HttpRequest, HttpResponse, Method};
use super::vendor::VendorError;

/// The text our own comments and tickets carry, so we know them when they come back.
pub const OWN_MARKER: &str = "frontline:";
/// The line in a ticket's body that names our issue.
pub const REFERENCE_LINE: &str = "Frontline reference:";

pub(crate) fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

pub(crate) fn parse_time(t: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.to_utc())
}

pub(crate) fn with_query(path: &str, q: &[(&str, &str)]) -> String {
    if q.is_empty() {
        return path.to_owned();
    }
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in q {
        s.append_pair(k, v);
    }
    format!("{path}?{}", s.finish())
}

/// The start of a body, for error messages and logs.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > 300 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

pub(crate) fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}

pub(crate) fn looks_like_html(r: &HttpResponse) -> bool {
    let label = r.header("content-type").unwrap_or_default();
    let start = String::from_utf8_lossy(&r.body[..r.body.len().min(64)]).to_ascii_lowercase();
    let start = start.trim_start();
    label.contains("html") || start.starts_with("<!doctype") || start.starts_with("<html")
}

/// Whether an answer came from something in between rather than the vendor, and why: a
/// network that wants a log-in (511), a redirect to another host, or an HTML page where the
/// API always answers JSON. 429 and 503 keep their meaning whatever their body (the vendor's
/// own front end sends those as plain pages).
pub(crate) fn intercepted(r: &HttpResponse, host: Option<&str>) -> Option<String> {
    if r.status == 511 {
        return Some("the network asks for a log-in (511)".to_owned());
    }
    if (300..400).contains(&r.status) {
        let target = r.header("location").unwrap_or_default();
        let elsewhere = host_of(target).is_some_and(|h| Some(h.as_str()) != host);
        return elsewhere.then(|| format!("sent to {target} instead ({})", r.status));
    }
    if matches!(r.status, 429 | 503) || !looks_like_html(r) {
        return None;
    }
    Some(html_page(r))
}

/// An HTML page in words: its status and title, not its markup.
pub(crate) fn html_page(r: &HttpResponse) -> String {
    let text = String::from_utf8_lossy(&r.body[..r.body.len().min(4096)]);
    let lower = text.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .map(|start| start + "<title>".len())
        .and_then(|start| {
            let end = lower[start..].find("</title>")? + start;
            text.get(start..end)
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    match title {
        Some(t) => format!(
            "an HTML page titled \"{}\" came back ({})",
            t.chars().take(80).collect::<String>(),
            r.status
        ),
        None => format!("an HTML page came back ({})", r.status),
    }
}

pub(crate) fn bad(r: &HttpResponse, problem: &str) -> VendorError {
    VendorError::BadAnswer {
        problem: problem.to_owned(),
        excerpt: excerpt(&r.body),
    }
}

/// Reads a JSON body. The content type is not trusted either way: real Zendesk answers an
/// upload with JSON labelled `text/plain` (see the recorded traffic), and a proxy's HTML error
/// page may come with any label.
pub(crate) fn parse_json(r: &HttpResponse) -> Result<Value, VendorError> {
    serde_json::from_slice(&r.body).map_err(|e| {
        if looks_like_html(r) {
            return VendorError::NotTheVendor(html_page(r));
        }
        let label = r.header("content-type").unwrap_or("no content type");
        if label.contains("json") {
            bad(r, &format!("not valid JSON: {e}"))
        } else {
            bad(r, &format!("expected JSON, got {label}"))
        }
    })
}

pub(crate) fn field<T: DeserializeOwned>(
    v: &Value,
    key: &str,
    r: &HttpResponse,
) -> Result<T, VendorError> {
    let inner = v
        .get(key)
        .ok_or_else(|| bad(r, &format!("no \"{key}\" in the answer")))?;
    serde_json::from_value(inner.clone()).map_err(|e| bad(r, &format!("\"{key}\": {e}")))
}

/// Runs a read (safe to repeat) up to four times at once when it fails for a moment, honouring
/// a short `Retry-After`: one slow page should not fail a walk of many.
pub(crate) async fn read_with_retries<T, F, Fut>(mut read: F) -> Result<T, VendorError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, VendorError>>,
{
    const TRIES: u32 = 4;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let e = match read().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let wait = match e.disposition() {
            super::vendor::Disposition::Retry { not_before, .. } if attempt < TRIES => not_before
                .unwrap_or(std::time::Duration::from_millis(100 * 2u64.pow(attempt)))
                .min(std::time::Duration::from_secs(2)),
            _ => return Err(e),
        };
        tokio::time::sleep(wait).await;
    }
}

/// A request to `url` with Basic `auth`, asking for JSON and sending `body` as JSON if any.
pub(crate) fn json_request(
    method: Method,
    url: String,
    auth: &str,
    body: Option<&Value>,
) -> HttpRequest {
    let mut headers = vec![
        ("authorization".to_owned(), auth.to_owned()),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
    let body = match body {
        Some(b) => {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
            serde_json::to_vec(b).unwrap_or_default()
        }
        None => Vec::new(),
    };
    HttpRequest {
        method,
        url,
        headers,
        body,
    }
}

/// An answer as the vendor's: something in between answering is [`VendorError::NotTheVendor`],
/// a non-2xx status is [`VendorError::Status`] with the vendor's words (`words` reads them) and
/// its `Retry-After`.
pub(crate) fn checked(
    response: HttpResponse,
    host: Option<&str>,
    words: fn(&HttpResponse) -> String,
) -> Result<HttpResponse, VendorError> {
    if let Some(why) = intercepted(&response, host) {
        return Err(VendorError::NotTheVendor(why));
    }
    if (200..300).contains(&response.status) {
        return Ok(response);
    }
    Err(VendorError::Status {
        status: response.status,
        message: words(&response),
        retry_after: super::vendor::parse_retry_after(response.header("retry-after")),
    })
}
