//! Desktop notifications on a real D-Bus session bus: a private `dbus-daemon`, a small
//! org.freedesktop.Notifications server (zbus) that records what it is sent, and Frontline's
//! notifier talking to it through notify-rust. One test (it owns the process's bus address).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // A test or benchmark: a panic with its reason is the report.
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontline_core::notify::{DbusDesktop, Notice, NoticeKind, Notifier, BODY_MAX};

#[derive(Debug, Clone)]
struct Received {
    id: u32,
    app: String,
    summary: String,
    body: String,
    actions: Vec<String>,
    urgency: Option<u8>,
}

struct Server {
    seen: Arc<Mutex<Vec<Received>>>,
    next: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.next += 1;
        let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
        self.seen.lock().unwrap().push(Received {
            id: self.next,
            app: app_name,
            summary,
            body,
            actions,
            urgency,
        });
        self.next
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "test-listener".into(),
            "frontline".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

struct Bus(Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn private_bus() -> (Bus, String) {
    let mut child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon is installed (apt-get install dbus)");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("bus address");
    (Bus(child), line.trim().to_owned())
}

fn wait_for(seen: &Arc<Mutex<Vec<Received>>>, count: usize) -> Vec<Received> {
    let started = Instant::now();
    loop {
        let got = seen.lock().unwrap().clone();
        if got.len() >= count || started.elapsed() > Duration::from_secs(10) {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn notice(kind: NoticeKind, n: usize) -> Notice {
    Notice {
        kind,
        issue_id: Some(format!("issue-{n}")),
        title: format!("FL-{} · the vendor replied", 1000 + n),
        body: "Dana Whitfield: we found the cause.".into(),
    }
}

#[test]
fn notifications_reach_the_session_bus_grouped_plain_and_clickable() {
    let (_bus, address) = private_bus();
    // SAFETY of the environment: this test binary has one test, so nothing reads it concurrently.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = zbus::blocking::connection::Builder::address(address.as_str())
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at(
            "/org/freedesktop/Notifications",
            Server {
                seen: seen.clone(),
                next: 0,
            },
        )
        .unwrap()
        .build()
        .expect("listener on the private bus");

    let clicked = Arc::new(Mutex::new(Vec::new()));
    let on_click = {
        let clicked = clicked.clone();
        Arc::new(move |issue: Option<String>| clicked.lock().unwrap().push(issue))
    };
    let notifier = Notifier::new(Arc::new(DbusDesktop::new(on_click)));

    // One vendor reply: one notification, plain text, clickable.
    notifier.push(Notice {
        kind: NoticeKind::VendorReplied,
        issue_id: Some("issue-1".into()),
        title: "FL-1001 · the vendor replied".into(),
        body: format!("<b>Dana</b> & co:\n{}", "we found the cause. ".repeat(30)),
    });
    assert_eq!(notifier.flush(), 1);
    let got = wait_for(&seen, 1);
    assert_eq!(got.len(), 1);
    let first = &got[0];
    assert_eq!(first.app, "Frontline");
    assert_eq!(first.summary, "FL-1001 · the vendor replied");
    assert!(
        first
            .body
            .starts_with("&lt;b&gt;Dana&lt;/b&gt; &amp; co: we found"),
        "{}",
        first.body
    );
    assert!(
        first.body.chars().count() <= BODY_MAX + 20 && first.body.ends_with('…'),
        "{}",
        first.body
    );
    assert!(first.actions.contains(&"default".to_owned()));
    assert_eq!(first.urgency, Some(1), "a reply is normal urgency");

    // Clicking it opens its issue. (The notifier listens from its own thread, which may not
    // be subscribed yet: click again until it is heard, as a user would.)
    let started = Instant::now();
    while clicked.lock().unwrap().is_empty() && started.elapsed() < Duration::from_secs(10) {
        server
            .emit_signal(
                None::<&str>,
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications",
                "ActionInvoked",
                &(first.id, "default"),
            )
            .unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(*clicked.lock().unwrap(), [Some("issue-1".to_owned())]);

    // A burst after a long offline catch-up: one grouped notification, not twelve.
    for n in 0..9 {
        notifier.push(notice(NoticeKind::VendorReplied, n));
    }
    for n in 0..3 {
        notifier.push(notice(NoticeKind::SlaBreached, n));
    }
    assert_eq!(notifier.flush(), 1);
    let got = wait_for(&seen, 2);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].summary, "Frontline: 12 updates");
    assert_eq!(got[1].body, "9 vendor replies, 3 SLA breaches");
    assert_eq!(
        got[1].urgency,
        Some(1),
        "normal urgency even with a breach inside: the desktop's do-not-disturb holds it"
    );

    // Do not disturb: nothing is shown until it ends, then what waited comes as one.
    notifier.set_do_not_disturb(true);
    for n in 0..5 {
        notifier.push(notice(NoticeKind::SlaWarning, n));
    }
    assert_eq!(notifier.flush(), 0);
    // Proof that nothing went out: a marker sent after it, by another sender, is the very next
    // notification the desktop receives.
    let marker = Notifier::new(Arc::new(DbusDesktop::new(Arc::new(|_| {}))));
    marker.push(Notice {
        kind: NoticeKind::VendorReplied,
        issue_id: None,
        title: "marker".into(),
        body: "after the quiet flush".into(),
    });
    assert_eq!(marker.flush(), 1);
    let got = wait_for(&seen, 3);
    assert_eq!(
        got.iter().map(|r| r.summary.as_str()).collect::<Vec<_>>()[2..],
        ["marker"],
        "nothing while do-not-disturb is on"
    );
    notifier.set_do_not_disturb(false);
    assert_eq!(notifier.flush(), 1);
    let got = wait_for(&seen, 4);
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].body, "5 SLA warnings");
}
