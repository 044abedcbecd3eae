//! A test host: a temporary data folder, a fixed clock, and helpers to fill the cache.
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use frontline_core::model::{Client, IssueDetail, NewClient, NewIssue};
use frontline_core::{FixedClock, Frontline, Settings};
use tempfile::TempDir;

pub struct Host {
    pub dir: TempDir,
    pub clock: Arc<FixedClock>,
    pub app: Frontline,
}

pub fn host() -> Host {
    let dir = tempfile::tempdir().expect("temp dir");
    host_in(dir)
}

/// A host whose user (dana) is a lead in the team profile.
pub fn lead_host() -> Host {
    let dir = tempfile::tempdir().expect("temp dir");
    let team = frontline_core::ladder::BUNDLED_TEAM.replace("leads = []", "leads = [\"dana\"]");
    std::fs::write(dir.path().join("team.toml"), team).expect("team file");
    host_in(dir)
}

pub fn host_in(dir: TempDir) -> Host {
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ));
    let app = Frontline::open(settings(&dir), clock.clone()).expect("open cache");
    Host { dir, clock, app }
}

pub fn settings(dir: &TempDir) -> Settings {
    let mut s = Settings::for_dir(dir.path());
    s.user = "dana".into();
    s
}

impl Host {
    pub fn client(&self, name: &str) -> Client {
        self.app
            .create_client(NewClient {
                name: name.into(),
                contact: String::new(),
            })
            .expect("client")
    }

    pub fn issue(&self, client: &Client, title: &str) -> IssueDetail {
        self.app
            .create_issue(new_issue(client, title))
            .expect("issue")
    }

    /// Closes and reopens the cache on the same folder, as a restart would.
    pub fn restart(self) -> Host {
        let Host { dir, app, .. } = self;
        drop(app);
        host_in(dir)
    }
}

pub fn new_issue(client: &Client, title: &str) -> NewIssue {
    NewIssue {
        client_id: client.id.clone(),
        title: title.into(),
        description: format!("{title}: the client reported it by phone."),
        steps: "1. Open the app\n2. Sign in".into(),
        category: "login".into(),
        impact: "several_users".into(),
        urgency: "high".into(),
        affected_users: 12,
    }
}

/// An issue that passes every readiness check (a vendor category and a screenshot).
pub fn ready_issue(h: &Host, client: &Client, title: &str) -> IssueDetail {
    let mut n = new_issue(client, title);
    n.category = "bug".into();
    let id = h.app.create_issue(n).expect("issue").issue.id;
    h.app
        .attach_bytes(&id, "error.png", b"\x89PNG pretend screenshot")
        .expect("screenshot");
    let d = h.app.issue(&id).expect("issue");
    assert!(d.readiness.ready, "{:?}", d.readiness);
    d
}
