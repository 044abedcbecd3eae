//! Desktop notifications: what deserves one, plain and short texts, bursts grouped into one
//! (no storm after a long offline catch-up), do-not-disturb held back until it ends. The OS side
//! is a [`Desktop`]; [`DbusDesktop`] speaks the freedesktop notification protocol (notify-rust)
//! and reports clicks so the app can open the issue.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

/// Why a notification is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An SLA clock passed 75 %.
    SlaWarning,
    /// An SLA clock passed its target.
    SlaBreached,
    /// The vendor replied on a ticket.
    VendorReplied,
    /// The rung or the owner at the vendor changed.
    LadderChanged,
    /// An issue was flagged critical.
    FlaggedCritical,
    /// Several clients report the same problem.
    OutageSuspected,
}

impl NoticeKind {
    fn plural(self) -> &'static str {
        match self {
            NoticeKind::SlaWarning => "SLA warnings",
            NoticeKind::SlaBreached => "SLA breaches",
            NoticeKind::VendorReplied => "vendor replies",
            NoticeKind::LadderChanged => "escalation changes",
            NoticeKind::FlaggedCritical => "critical flags",
            NoticeKind::OutageSuspected => "suspected outages",
        }
    }

    fn urgent(self) -> bool {
        matches!(
            self,
            NoticeKind::SlaBreached | NoticeKind::FlaggedCritical | NoticeKind::OutageSuspected
        )
    }
}

/// Something worth telling the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Why.
    pub kind: NoticeKind,
    /// The issue it is about (clicking opens it).
    pub issue_id: Option<String>,
    /// One line.
    pub title: String,
    /// A few more words.
    pub body: String,
}

/// A notification as shown: plain text, truncated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Summary line.
    pub summary: String,
    /// Body.
    pub body: String,
    /// The issue to open on click (`None`: the queue).
    pub issue_id: Option<String>,
    /// Ask the desktop to show it even when busy.
    pub urgent: bool,
}

/// The desktop's notification service.
pub trait Desktop: Send + Sync {
    /// Shows one notification.
    fn show(&self, n: Shown) -> Result<(), String>;
}

/// Longest summary and body, in characters.
pub const SUMMARY_MAX: usize = 80;
/// Longest body, in characters.
pub const BODY_MAX: usize = 200;
/// More notices than this in one flush are grouped into one.
pub const BURST: usize = 3;

/// Plain, one-paragraph text: control characters out, markup characters escaped (servers may
/// read bodies as markup), cut at `max` characters with an ellipsis.
pub fn plain(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let cut: String = if flat.chars().count() > max {
        let mut s: String = flat.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    } else {
        flat
    };
    cut.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Collects notices and shows them when flushed.
pub struct Notifier {
    desktop: Arc<dyn Desktop>,
    pending: Mutex<Vec<Notice>>,
    quiet: AtomicBool,
}

impl Notifier {
    /// A notifier showing on `desktop`.
    pub fn new(desktop: Arc<dyn Desktop>) -> Self {
        Notifier {
            desktop,
            pending: Mutex::new(Vec::new()),
            quiet: AtomicBool::new(false),
        }
    }

    /// Queues a notice; it is shown at the next flush.
    pub fn push(&self, n: Notice) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(n);
    }

    /// Do not disturb: notices wait (grouped) until it is turned off.
    pub fn set_do_not_disturb(&self, on: bool) {
        self.quiet.store(on, Ordering::Relaxed);
    }

    /// Shows what is pending: each notice when there are few, one summary when there are many.
    /// Returns how many notifications were shown.
    pub fn flush(&self) -> usize {
        if self.quiet.load(Ordering::Relaxed) {
            return 0;
        }
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if pending.is_empty() {
            return 0;
        }
        let shown: Vec<Shown> = if pending.len() <= BURST {
            pending
                .iter()
                .map(|n| Shown {
                    summary: plain(&n.title, SUMMARY_MAX),
                    body: plain(&n.body, BODY_MAX),
                    issue_id: n.issue_id.clone(),
                    urgent: n.kind.urgent(),
                })
                .collect()
        } else {
            let mut counts: Vec<(NoticeKind, usize)> = Vec::new();
            for n in &pending {
                match counts.iter_mut().find(|(k, _)| *k == n.kind) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((n.kind, 1)),
                }
            }
            let parts: Vec<String> = counts
                .iter()
                .map(|(k, c)| format!("{c} {}", k.plural()))
                .collect();
            vec![Shown {
                summary: plain(
                    &format!("Frontline: {} updates", pending.len()),
                    SUMMARY_MAX,
                ),
                body: plain(&parts.join(", "), BODY_MAX),
                issue_id: None,
                urgent: pending.iter().any(|n| n.kind.urgent()),
            }]
        };
        let mut count = 0;
        for s in shown {
            match self.desktop.show(s) {
                Ok(()) => count += 1,
                Err(e) => tracing::warn!(error = %e, "a desktop notification was not shown"),
            }
        }
        count
    }
}

/// Notifications over D-Bus (org.freedesktop.Notifications), via notify-rust. A click on a
/// notification calls `on_click` with its issue.
pub struct DbusDesktop {
    on_click: Arc<dyn Fn(Option<String>) + Send + Sync>,
}

impl DbusDesktop {
    /// A desktop that reports clicks to `on_click`.
    pub fn new(on_click: Arc<dyn Fn(Option<String>) + Send + Sync>) -> Self {
        DbusDesktop { on_click }
    }
}

impl Desktop for DbusDesktop {
    fn show(&self, n: Shown) -> Result<(), String> {
        let mut note = notify_rust::Notification::new();
        note.appname("Frontline")
            .summary(&n.summary)
            .body(&n.body)
            .action("default", "Open")
            .timeout(notify_rust::Timeout::Default);
        // Normal even when urgent: "critical" notifications break through the desktop's own
        // do-not-disturb, which must hold. Urgent ones say so in their words and stay longer.
        #[cfg(all(unix, not(target_os = "macos")))]
        note.urgency(notify_rust::Urgency::Normal);
        if n.urgent {
            note.timeout(notify_rust::Timeout::Milliseconds(30_000));
        }
        let handle = note.show().map_err(|e| e.to_string())?;
        let on_click = self.on_click.clone();
        let issue = n.issue_id;
        std::thread::spawn(move || {
            #[cfg(all(unix, not(target_os = "macos")))]
            handle.wait_for_action(|action| {
                if action == "default" {
                    on_click(issue.clone());
                }
            });
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            {
                let _ = (handle, on_click, issue);
            }
        });
        Ok(())
    }
}
