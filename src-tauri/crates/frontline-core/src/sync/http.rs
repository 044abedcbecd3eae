//! The network, injected: a [`Transport`] sends one HTTP request. [`ReqwestTransport`] is the
//! real one; tests replay recorded traffic through their own.
use std::time::Duration;

use async_trait::async_trait;

/// An HTTP method the adapters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
}

impl Method {
    /// As written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// One request, complete.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL including the query.
    pub url: String,
    /// Headers (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for GET).
    pub body: Vec<u8>,
}

/// One response, complete.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request got no complete answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection was made: the request certainly did not reach the vendor (offline, DNS,
    /// refused).
    #[error("cannot reach the vendor: {0}")]
    Unreachable(String),
    /// The vendor did not answer in time; it may have acted on the request.
    #[error("the vendor did not answer in time: {0}")]
    Timeout(String),
    /// The connection broke after the request was sent (reset, cut-off answer); the vendor may
    /// have acted on it.
    #[error("the connection broke before the answer was complete: {0}")]
    Interrupted(String),
    /// A connection was made, but to something that is not the vendor: its certificate is not
    /// valid for the vendor's name (a captive portal or a proxy intercepting HTTPS).
    #[error("{0}")]
    NotTheVendor(String),
    /// The answer was larger than any answer we expect.
    #[error("the vendor's answer is larger than {limit} bytes")]
    TooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
}

impl TransportError {
    /// Whether the vendor may have acted on the request.
    pub fn uncertain(&self) -> bool {
        !matches!(
            self,
            TransportError::Unreachable(_) | TransportError::NotTheVendor(_)
        )
    }
}

/// Sends requests.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends one request and reads the whole answer.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// The largest answer read (a page of 100 tickets is well under 1 MB).
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// HTTPS (rustls) over reqwest, with a timeout per request and a cap on answer size.
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
}

impl ReqwestTransport {
    /// A transport whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Frontline/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        Ok(ReqwestTransport {
            client,
            max_body: MAX_BODY,
        })
    }
}

fn classify(e: reqwest::Error) -> TransportError {
    let detail = crate::error::error_chain(&e);
    // rustls says "invalid peer certificate: NotValidForName / UnknownIssuer / …".
    if detail.contains("certificate") {
        TransportError::NotTheVendor(format!(
            "the server's certificate is not the vendor's ({detail})"
        ))
    } else if e.is_connect() {
        TransportError::Unreachable(detail)
    } else if e.is_timeout() {
        TransportError::Timeout(detail)
    } else {
        TransportError::Interrupted(detail)
    }
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
        };
        let mut builder = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() || request.method != Method::Get {
            builder = builder.body(request.body);
        }
        let mut response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if response
            .content_length()
            .is_some_and(|l| l as usize > self.max_body)
        {
            return Err(TransportError::TooLarge {
                limit: self.max_body,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_body {
                return Err(TransportError::TooLarge {
                    limit: self.max_body,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

type Limiter = governor::DefaultDirectRateLimiter;

/// Paces requests under the rate limit the vendor advertises (`X-Rate-Limit`,
/// `ratelimit-limit`, Freshdesk's `X-RateLimit-Total`), at `headroom` of it, evenly spread so
/// that no window overflows; waits for the reset when the vendor says none are left.
pub struct Paced {
    inner: std::sync::Arc<dyn Transport>,
    window: Duration,
    headroom: f64,
    limiter: std::sync::Mutex<Option<(u32, std::sync::Arc<Limiter>)>>,
    exhausted_until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Paced {
    /// Wraps `inner`. `window` is the vendor's rate window (a minute for Zendesk).
    pub fn new(inner: std::sync::Arc<dyn Transport>, window: Duration, headroom: f64) -> Self {
        Paced {
            inner,
            window,
            headroom: headroom.clamp(0.1, 1.0),
            limiter: std::sync::Mutex::new(None),
            exhausted_until: std::sync::Mutex::new(None),
        }
    }

    /// The limit being paced to, per window.
    pub fn limit(&self) -> Option<u32> {
        lock(&self.limiter).as_ref().map(|(l, _)| *l)
    }

    fn learn(&self, response: &HttpResponse) {
        let num = |names: &[&str]| {
            names.iter().find_map(|n| {
                response
                    .header(n)
                    .and_then(|v| v.trim().parse::<u64>().ok())
            })
        };
        if let Some(limit) = num(&[
            "x-rate-limit",
            "ratelimit-limit",
            "rate-limit",
            "x-ratelimit-total",
        ]) {
            let limit = limit.clamp(1, 1_000_000) as u32;
            let mut current = lock(&self.limiter);
            if current.as_ref().map(|(l, _)| *l) != Some(limit) {
                let per_window = (limit as f64 * self.headroom).max(1.0);
                let period = self.window.div_f64(per_window).max(Duration::from_nanos(1));
                if let Some(quota) = governor::Quota::with_period(period) {
                    *current = Some((
                        limit,
                        std::sync::Arc::new(governor::RateLimiter::direct(quota)),
                    ));
                }
            }
        }
        let remaining = num(&[
            "x-rate-limit-remaining",
            "ratelimit-remaining",
            "rate-limit-remaining",
            "x-ratelimit-remaining",
        ]);
        if remaining == Some(0) {
            let reset = num(&["ratelimit-reset", "rate-limit-reset"])
                .map(Duration::from_secs)
                .unwrap_or(self.window)
                .min(self.window);
            *lock(&self.exhausted_until) = Some(tokio::time::Instant::now() + reset);
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[async_trait]
impl Transport for Paced {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let wait_until = lock(&self.exhausted_until).take();
        if let Some(until) = wait_until {
            tokio::time::sleep_until(until).await;
        }
        let limiter = lock(&self.limiter).as_ref().map(|(_, l)| l.clone());
        if let Some(l) = limiter {
            l.until_ready().await;
        }
        let response = self.inner.send(request).await?;
        self.learn(&response);
        Ok(response)
    }
}
