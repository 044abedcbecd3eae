//! The pack's printable page: made from the pack's data alone, the same way every time, so a
//! check can make it again and compare.
use std::fmt::Write;

use super::{IssueEvidence, Pack, DATA_CLOSE, DATA_OPEN};

fn escape(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

const STYLE: &str = "
body { font: 13px/1.45 'DejaVu Sans', 'Segoe UI', system-ui, sans-serif; color: #1b2130; margin: 32px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #1b2130; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
.muted { color: #5d6677; } .mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #d9dde5; }
th { color: #5d6677; font-weight: 600; white-space: nowrap; }
.broken { color: #b71c1c; font-weight: 700; } .met { color: #1f7a45; font-weight: 700; }
.warning { border: 2px solid #b71c1c; padding: 8px 12px; color: #b71c1c; margin: 12px 0; }
ol { padding-left: 20px; } li { margin: 2px 0; }
@media print { body { margin: 12mm; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
";

/// The page, with `json` (the pack's data) inside it.
pub(super) fn html(pack: &Pack, json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2 + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Evidence pack · {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Evidence pack · {title}</h1>\n\
         <p class=\"muted\">Made {at} by {by} with Frontline {version}. Times are UTC (RFC 3339). \
         Each event carries a hash that covers it and the event before it: <code>frontline verify-pack</code> on this file says whether anything was changed.</p>\n\
         <p>SLA clocks count on the team calendar: {days} {start}–{end}, {zone}; days off: {holidays}.</p>\n",
        title = escape(&pack.title),
        at = escape(&pack.generated_at),
        by = escape(&pack.generated_by),
        version = escape(&pack.app_version),
        days = escape(&pack.calendar.working_days.join(", ")),
        start = escape(&pack.calendar.start),
        end = escape(&pack.calendar.end),
        zone = escape(&pack.calendar.time_zone),
        holidays = if pack.calendar.holidays.is_empty() {
            "none".to_owned()
        } else {
            escape(&pack.calendar.holidays.join(", "))
        },
    );
    for issue in &pack.issues {
        issue_section(&mut out, issue);
    }
    // The data, as JSON; "</" is written "<\/" so no text in it can end the script element.
    let _ = write!(
        out,
        "{DATA_OPEN}{}{DATA_CLOSE}\n</body>\n</html>\n",
        json.replace("</", "<\\/")
    );
    out
}

fn issue_section(out: &mut String, e: &IssueEvidence) {
    let i = &e.issue;
    let _ = write!(
        out,
        "<h2>{key} · {title}</h2>\n<table>\n\
         <tr><th>Client</th><td>{client}</td><th>Status</th><td>{status}</td></tr>\n\
         <tr><th>Urgency</th><td>{urgency}</td><th>Priority</th><td>{priority}</td></tr>\n\
         <tr><th>Impact</th><td>{impact}, {users} users affected</td><th>Category</th><td>{category}</td></tr>\n\
         <tr><th>Logged</th><td>{created} by {by}</td><th>Vendor ticket</th><td>{ticket}</td></tr>\n\
         </table>\n<h3>What the client reported</h3>\n<p>{description}</p>\n<h3>Steps to reproduce</h3>\n<p>{steps}</p>\n",
        key = escape(&i.key),
        title = escape(&i.title),
        client = escape(&i.client),
        status = escape(&i.status),
        urgency = escape(&i.urgency),
        priority = escape(&i.priority),
        impact = escape(if i.impact_label.is_empty() {
            &i.impact
        } else {
            &i.impact_label
        }),
        users = i.affected_users,
        category = escape(&i.category),
        created = escape(&i.created_at),
        by = escape(&i.created_by),
        ticket = e
            .vendor
            .ticket_id
            .map(|t| format!("#{t}"))
            .unwrap_or_else(|| "none".to_owned()),
        description = escape(&i.description).replace('\n', "<br>"),
        steps = escape(&i.steps).replace('\n', "<br>"),
    );
    if let Some(id) = e.changed_before_export {
        let _ = writeln!(
            out,
            "<p class=\"warning\">Warning: event {id} of this timeline did not match its hash when the pack was made — the cache was edited outside Frontline.</p>"
        );
    }
    let v = &e.vendor;
    let _ = write!(
        out,
        "<h3>The vendor's own times</h3>\n<table>\n<tr><th>Ticket opened</th><td>{}</td></tr>\n<tr><th>First public reply</th><td>{}</td></tr>\n",
        or_none(&v.ticket_created_at),
        or_none(&v.first_public_reply_at),
    );
    for c in &v.status_changes {
        let _ = writeln!(
            out,
            "<tr><th>Status change</th><td>{} — {} → {}{}</td></tr>",
            escape(&c.at),
            escape(or_dash(&c.from)),
            escape(&c.to),
            if c.assignee.is_empty() {
                String::new()
            } else {
                format!(", owned by {}", escape(&c.assignee))
            }
        );
    }
    out.push_str("</table>\n<h3>SLA clocks, worked out</h3>\n");
    if e.clocks.is_empty() {
        out.push_str("<p class=\"muted\">Not escalated: no SLA clock ran.</p>\n");
    }
    for c in &e.clocks {
        let class = match c.outcome.as_str() {
            "broken" => "broken",
            "met in time" => "met",
            _ => "muted",
        };
        let _ = write!(
            out,
            "<p><strong>{}</strong> ({}) — <span class=\"{class}\">{}</span></p>\n<ol>\n",
            escape(&c.name),
            escape(&c.counts),
            escape(&c.outcome)
        );
        for s in &c.steps {
            let _ = writeln!(out, "<li>{}</li>", escape(s));
        }
        out.push_str("</ol>\n");
    }
    out.push_str(
        "<h3>Timeline</h3>\n<table>\n<tr><th>#</th><th>When (UTC)</th><th>Who</th><th>What</th><th>Hash</th></tr>\n",
    );
    for ev in &e.events {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
            ev.id,
            escape(&ev.at),
            escape(&ev.actor),
            escape(&ev.text),
            escape(&ev.hash)
        );
    }
    out.push_str("</table>\n");
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "not recorded".to_owned()
    } else {
        escape(s)
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "—"
    } else {
        s
    }
}
