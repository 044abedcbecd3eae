//! A captive portal: the network a laptop meets in a hotel or on a train before anyone has
//! signed in. Every request gets the portal's log-in page (HTML, status 200) or a redirect to
//! it on another host; nothing reaches the vendor. Tests put it where the vendor should be.
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::StartError;

/// The log-in page every POST and PUT gets.
pub const LOGIN_PAGE: &str = "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head>\
<body><h1>Welcome to Harbour Hotel Wi-Fi</h1><form method=post action=/login>\
<label>Room number <input name=room></label><button>Connect</button></form></body></html>";

/// Where reads are sent instead.
pub const LOGIN_URL: &str = "http://portal.invalid/login?continue=1";

/// A running portal.
pub struct Portal {
    addr: SocketAddr,
    seen: Arc<AtomicU64>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

async fn answer(State(seen): State<Arc<AtomicU64>>, req: Request) -> Response {
    seen.fetch_add(1, Ordering::Relaxed);
    if req.method() == Method::GET {
        (StatusCode::FOUND, [(header::LOCATION, LOGIN_URL)], "").into_response()
    } else {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            LOGIN_PAGE,
        )
            .into_response()
    }
}

impl Portal {
    /// Starts answering on `addr` (port 0 picks one).
    pub async fn start(addr: SocketAddr) -> Result<Portal, StartError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Listen { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Listen { addr, source })?;
        let seen = Arc::new(AtomicU64::new(0));
        let router = Router::new().fallback(answer).with_state(seen.clone());
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.changed().await;
                })
                .await;
        });
        Ok(Portal {
            addr,
            seen,
            stop,
            task,
        })
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests it has answered.
    pub fn requests(&self) -> u64 {
        self.seen.load(Ordering::Relaxed)
    }

    /// Stops answering and frees the port.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
