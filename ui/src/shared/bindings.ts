// Generated from frontline-core's Rust types by `bindings::typescript()`. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p frontline-core --test core bindings` instead.

export type AppInfo = { 
/**
 * Frontline's version.
 */
version: string, 
/**
 * Where the data lives.
 */
data_dir: string, 
/**
 * Where the logs are.
 */
log_dir: string, 
/**
 * The user's name as recorded on changes.
 */
user: string, 
/**
 * Schema version of the database.
 */
schema_version: number, };

export type Article = { 
/**
 * Article id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Sanitised HTML.
 */
body_html: string, 
/**
 * Section.
 */
section: string, 
/**
 * Labels.
 */
labels: Array<string>, 
/**
 * Where it comes from ("bundled", "zendesk").
 */
source: string, 
/**
 * The original, to open in the system browser (empty for bundled articles).
 */
source_url: string, 
/**
 * RFC 3339, UTC.
 */
updated_at: string, };

export type ArticleHit = { 
/**
 * Article id.
 */
id: string, 
/**
 * Title with matched words between MARK_START and MARK_END.
 */
title: string, 
/**
 * Section it belongs to.
 */
section: string, 
/**
 * A piece of the body around the matched words, marked the same way.
 */
snippet: string, };

export type Assessment = { 
/**
 * Priority id ("P1").
 */
priority: string, 
/**
 * 1 for the most urgent priority; the queue sorts by it.
 */
rank: number, 
/**
 * Why, in words: "High urgency × Multiple clients → P1".
 */
reason: string, };

export type Attachment = { 
/**
 * UUIDv7.
 */
id: string, 
/**
 * The issue it belongs to.
 */
issue_id: string, 
/**
 * SHA-256 of the content: where it is stored.
 */
sha256: string, 
/**
 * The name it had.
 */
file_name: string, 
/**
 * MIME type, guessed from the name.
 */
media_type: string, 
/**
 * Bytes.
 */
size: number, 
/**
 * RFC 3339, UTC.
 */
added_at: string, 
/**
 * Who attached it.
 */
added_by: string, 
/**
 * Where the content is on disk (for previews and opening it with the system viewer).
 */
path: string, };

export type Category = { 
/**
 * Stored value.
 */
id: string, 
/**
 * What the user reads.
 */
label: string, 
/**
 * Who usually handles it.
 */
line: Line, };

export type ClockState = { 
/**
 * What it measures ("Vendor acknowledgement", "Resolution").
 */
name: string, 
/**
 * When it is due (RFC 3339); `None` while paused.
 */
due_at: string | null, 
/**
 * Working time used, in minutes.
 */
used_minutes: number, 
/**
 * The target, in minutes of working time.
 */
target_minutes: number, 
/**
 * Used / target, in percent.
 */
percent: number, 
/**
 * Past its target.
 */
breached: boolean, 
/**
 * Paused (waiting on the client).
 */
paused: boolean, 
/**
 * Stopped because what it measures happened.
 */
met: boolean, };

export type CriticalReason = "major_outage" | "several_clients" | "churn_risk" | "sla_breach_concern";

export type Desk = { 
/**
 * This user's role.
 */
role: Role, 
/**
 * The escalations.
 */
rows: Array<DeskRow>, 
/**
 * Groups of issues that look like one outage.
 */
outages: Array<SuspectedOutage>, };

export type DeskRow = { 
/**
 * Issue id.
 */
id: string, 
/**
 * FL key.
 */
key: string, 
/**
 * Title.
 */
title: string, 
/**
 * Client.
 */
client_name: string, 
/**
 * Priority.
 */
priority: string, 
/**
 * Flagged critical.
 */
critical: boolean, 
/**
 * The rung it is on.
 */
rung: string, 
/**
 * The vendor ticket.
 */
ticket_id: number | null, 
/**
 * The nearest unmet SLA clock.
 */
clock: ClockState | null, 
/**
 * An agent asked a lead to look at it (and no lead has acted since).
 */
review_requested: boolean, 
/**
 * The client has not been told anything for a day or more.
 */
client_update_due: boolean, };

export type Choice = { 
/**
 * Stored value.
 */
id: string, 
/**
 * What the user reads.
 */
label: string, };

export type Client = { 
/**
 * UUIDv7.
 */
id: string, 
/**
 * Company name.
 */
name: string, 
/**
 * Contact person, phone or e-mail; free text.
 */
contact: string, 
/**
 * When it was added (RFC 3339, UTC).
 */
created_at: string, 
/**
 * Open issues of this client.
 */
open_issues: number, 
/**
 * All issues of this client.
 */
total_issues: number, };

export type ClientContact = { 
/**
 * When the client was last told something (RFC 3339).
 */
last_informed: string | null, 
/**
 * An update is due: the vendor changed something since, or it has been a day.
 */
update_due: boolean, 
/**
 * Why, in words.
 */
reason: string, 
/**
 * A message from the team's template, ready to edit.
 */
suggestion: string, };

export type ErrorCode = "invalid" | "forbidden" | "not_found" | "invalid_transition" | "too_large" | "file" | "startup" | "database" | "preset" | "unsafe_link" | "unavailable";

export type EventBody = { "kind": "created", 
/**
 * Priority at creation.
 */
priority: string, 
/**
 * Why.
 */
priority_reason: string, } | { "kind": "status_changed", 
/**
 * Before.
 */
from: Status, 
/**
 * After.
 */
to: Status, 
/**
 * Why, if the agent said.
 */
note: string, } | { "kind": "note", 
/**
 * The note.
 */
text: string, } | { "kind": "attachment_added", 
/**
 * The attachment's id.
 */
attachment_id: string, 
/**
 * Its name.
 */
file_name: string, } | { "kind": "article_opened", 
/**
 * Article id.
 */
article_id: string, 
/**
 * Its title when opened.
 */
title: string, } | { "kind": "screenshot_waived", 
/**
 * Why.
 */
reason: string, } | { "kind": "step_recorded", 
/**
 * The step's id.
 */
step_id: string, 
/**
 * The step's text when recorded.
 */
text: string, 
/**
 * Done (true) or skipped (false).
 */
done: boolean, 
/**
 * Why it was skipped (empty when done).
 */
reason: string, } | { "kind": "vendor_ticket_linked", 
/**
 * The vendor's ticket id.
 */
ticket_id: number, 
/**
 * Where to see it.
 */
url: string, } | { "kind": "vendor_comment", 
/**
 * Plain text.
 */
text: string, 
/**
 * Who wrote it.
 */
author: string, 
/**
 * True when the vendor wrote it; false when we sent it.
 */
from_vendor: boolean, 
/**
 * When the vendor says it was written (its own clock; RFC 3339), if it said.
 */
vendor_at?: string, } | { "kind": "vendor_update", 
/**
 * The vendor's status now.
 */
status: string, 
/**
 * The vendor's status before (empty if unknown).
 */
previous_status: string, 
/**
 * Who at the vendor owns it now (empty if nobody).
 */
assignee: string, 
/**
 * When the vendor made the change (its own clock: the ticket's last update), if known.
 */
vendor_at?: string, } | { "kind": "vendor_rejected", 
/**
 * What we tried ("Create the ticket", …).
 */
what: string, 
/**
 * The vendor's words.
 */
message: string, } | { "kind": "vendor_duplicate", 
/**
 * What arrived twice ("Create the vendor ticket", "Send a message to the vendor").
 */
what: string, 
/**
 * The vendor ticket we keep.
 */
ticket_id: number, 
/**
 * The copy: a second ticket (closed as a duplicate), or the ticket holding the
 * second comment.
 */
copy_ticket_id: number, } | { "kind": "vendor_handed_over", 
/**
 * The teammate whose desktop owns the ticket.
 */
owner: string, 
/**
 * Operations handed over (messages, chases, priority), each sent once from there.
 */
operations: number, 
/**
 * Files that stay with this desktop's timeline (their bytes are here only).
 */
files_kept: Array<string>, 
/**
 * The ticket this desktop had opened, closed as a copy of the owner's (if one was).
 */
copy_ticket_id: number | null, 
/**
 * The owner's ticket, once known.
 */
ticket_id: number | null, } | { "kind": "priority_changed", 
/**
 * Before.
 */
from: string, 
/**
 * After.
 */
to: string, 
/**
 * Why.
 */
reason: string, 
/**
 * A team lead set it, overriding the matrix (a lead-only event on the team hub).
 */
lead_override: boolean, 
/**
 * The issue's priority fields after the change: what every desktop folds in. Absent
 * from events recorded before the team hub folded priorities.
 */
set?: PriorityFields, 
/**
 * The fields before, to fall back to if the team hub refuses the change.
 */
before?: PriorityFields, } | { "kind": "rung_requested", 
/**
 * The rung (index, lowest is 0).
 */
rung: number, 
/**
 * Its name.
 */
name: string, 
/**
 * Why.
 */
reason: string, 
/**
 * The rung is a lead's to ask for (a lead-only event on the team hub).
 */
lead_only: boolean, } | { "kind": "chased", 
/**
 * What was added to the chase.
 */
note: string, } | { "kind": "flagged_critical", 
/**
 * Why.
 */
reason: string, 
/**
 * The incident the lead linked it into, if that is how it was flagged (a lead-only
 * `incident_linked` event on the team hub).
 */
incident?: IncidentLink, } | { "kind": "client_informed", 
/**
 * What they were told.
 */
text: string, } | { "kind": "review_requested", 
/**
 * What the lead should look at.
 */
note: string, } | { "kind": "article_verdict", 
/**
 * Article id.
 */
article_id: string, 
/**
 * Its title.
 */
title: string, 
/**
 * True: "this solved it"; false: "didn't help".
 */
helped: boolean, };

export type Failure = { 
/**
 * What kind of failure.
 */
code: ErrorCode, 
/**
 * What happened and what to do, in plain words.
 */
message: string, 
/**
 * The form field to show it beside, for validation errors.
 */
field: string | null, };

export type FieldOptions = { 
/**
 * Issue categories.
 */
categories: Array<Category>, 
/**
 * Impact levels of the priority matrix.
 */
impacts: Array<Choice>, 
/**
 * Urgencies.
 */
urgencies: Array<Choice>, 
/**
 * Priorities, most urgent first.
 */
priorities: Array<Choice>, 
/**
 * Every status with its label.
 */
statuses: Array<Choice>, 
/**
 * The statuses the queue's "Open issues" view shows.
 */
open_statuses: Array<Status>, 
/**
 * Largest attachment accepted, in bytes.
 */
attachment_limit: number, 
/**
 * Data files that could not be loaded (shown once as a warning).
 */
problems: Array<string>, 
/**
 * Longest title, in characters.
 */
title_max: number, 
/**
 * Longest description or steps, in characters.
 */
text_max: number, };

export type FirstScreen = { 
/**
 * Facts about this installation.
 */
info: AppInfo, 
/**
 * The choices the forms and the queue's filters offer.
 */
options: FieldOptions, 
/**
 * The query the first page answers: the open issues, most urgent first (the queue's
 * default filters). The UI uses the page only if its own first query is this one.
 */
query: IssueQuery, 
/**
 * The queue's first page.
 */
page: IssuePage, };

export type HubConnection = { 
/**
 * The settings (`None`: no hub; this desktop works on its own).
 */
settings: HubSettings | null, 
/**
 * Whether a password is available for the login.
 */
password_saved: boolean, 
/**
 * Where the password is kept, in words.
 */
password_place: string, 
/**
 * Who the hub said this person is at the last connection.
 */
identity: HubIdentity | null, };

export type HubRefusal = { 
/**
 * The event's global id (to try again or let go).
 */
event: string, 
/**
 * What the hub said.
 */
words: string, 
/**
 * Let go by a person: no longer waiting for anyone.
 */
discarded: boolean, };

export type HubIdentity = { 
/**
 * The login.
 */
login: string, 
/**
 * A member of the hub's lead role.
 */
lead: boolean, };

export type HubSettings = { 
/**
 * `host`, `host:port` or `host:port/database` (PostgreSQL's port 5432 and the database
 * `frontline` unless said).
 */
address: string, 
/**
 * The person's hub login.
 */
user: string, };

export type HubStatus = { 
/**
 * Whether a hub is set up.
 */
configured: boolean, 
/**
 * `None` until the first attempt; then whether the hub answered.
 */
online: boolean | null, 
/**
 * This desktop's events not yet on the hub.
 */
waiting: number, 
/**
 * This desktop's events the hub refused (on their issues, with the hub's words).
 */
refused: number, 
/**
 * When this desktop last exchanged events with the hub.
 */
last_synced: string | null, 
/**
 * The last failure, in words (kept until the hub answers again).
 */
last_error: string | null, 
/**
 * A catch-up in progress: teammates' events applied so far.
 */
catching_up: number | null, };

export type IncidentLink = { 
/**
 * The incident's id (UUIDv7, the same on every desktop).
 */
id: string, 
/**
 * Its title.
 */
title: string, 
/**
 * The issue whose vendor ticket the incident shares.
 */
lead_issue_id: string, };

export type Issue = { 
/**
 * UUIDv7, never reused.
 */
id: string, 
/**
 * The short number people say on the phone.
 */
number: number, 
/**
 * "FL-1042".
 */
key: string, 
/**
 * The client's id.
 */
client_id: string, 
/**
 * The client's name.
 */
client_name: string, 
/**
 * One line: what is wrong.
 */
title: string, 
/**
 * What the client reports.
 */
description: string, 
/**
 * Steps to reproduce.
 */
steps: string, 
/**
 * Category id.
 */
category: string, 
/**
 * Impact id.
 */
impact: string, 
/**
 * Urgency.
 */
urgency: Urgency, 
/**
 * Priority id ("P1").
 */
priority: string, 
/**
 * Why it has that priority: "High urgency × Multiple clients → P1".
 */
priority_reason: string, 
/**
 * How many users are affected.
 */
affected_users: number, 
/**
 * Where it stands.
 */
status: Status, 
/**
 * A team lead flagged it critical.
 */
critical: boolean, 
/**
 * RFC 3339, UTC.
 */
created_at: string, 
/**
 * Who logged it.
 */
created_by: string, 
/**
 * RFC 3339, UTC.
 */
updated_at: string, 
/**
 * Who changed it last.
 */
updated_by: string, };

export type IssueDetail = { 
/**
 * The issue.
 */
issue: Issue, 
/**
 * Its timeline, oldest first.
 */
events: Array<IssueEvent>, 
/**
 * Its attachments, oldest first.
 */
attachments: Array<Attachment>, 
/**
 * Statuses it may move to now.
 */
next_statuses: Array<Status>, 
/**
 * The playbook of its category, with what has been done.
 */
playbook: PlaybookProgress | null, 
/**
 * What an escalation still lacks.
 */
readiness: Readiness, 
/**
 * Where the issue stands with the vendor.
 */
vendor: VendorState, 
/**
 * Where it is on the vendor's escalation ladder.
 */
ladder: LadderPosition, 
/**
 * Its SLA clocks (empty until escalated).
 */
sla: Array<ClockState>, 
/**
 * Keeping the client informed.
 */
client: ClientContact, };

export type IssueDraft = { 
/**
 * The client's id, or empty.
 */
client_id: string, 
/**
 * Title so far.
 */
title: string, 
/**
 * Description so far.
 */
description: string, 
/**
 * Steps so far.
 */
steps: string, 
/**
 * Category id, or empty.
 */
category: string, 
/**
 * Impact id, or empty.
 */
impact: string, 
/**
 * Urgency, or empty.
 */
urgency: string, 
/**
 * As typed (may not be a number yet).
 */
affected_users: string, };

export type IssueEvent = { 
/**
 * Order within the database.
 */
id: number, 
/**
 * RFC 3339, UTC.
 */
at: string, 
/**
 * Who did it.
 */
actor: string, 
/**
 * What happened.
 */
body: EventBody, 
/**
 * Set when a teammate's later change (in the team hub's order) replaced this one: who
 * and when ("Sam at 2026-03-02T10:02:00.000Z").
 */
superseded_by: string | null, 
/**
 * Set when the team hub refused this change (this desktop's own): the hub's words, and
 * whether it was let go.
 */
hub_refusal: HubRefusal | null, };

export type IssuePage = { 
/**
 * Rows matching the query, in all (at most the search cap when `total_capped`).
 */
total: number, 
/**
 * A search matched more rows than it counts; `total` is the cap ("1,000+").
 */
total_capped: boolean, 
/**
 * The offset asked for.
 */
offset: number, 
/**
 * The rows of the window.
 */
rows: Array<IssueRow>, };

export type IssueQuery = { 
/**
 * Only these statuses (empty: all).
 */
statuses: Array<Status>, 
/**
 * Only these priorities (empty: all).
 */
priorities: Array<string>, 
/**
 * Only this client.
 */
client_id: string | null, 
/**
 * Words to find in title, description or client name (empty: no search).
 */
search: string, 
/**
 * Only issues the person signed in logged or last worked on ("Mine"; else the whole team's).
 */
mine: boolean, 
/**
 * Only the issues behind one figure of a report.
 */
report?: ReportSlice, 
/**
 * Order.
 */
sort: QueueSort, 
/**
 * First row wanted.
 */
offset: number, 
/**
 * How many rows (at most 500).
 */
limit: number, };

export type IssueRow = { 
/**
 * UUIDv7.
 */
id: string, 
/**
 * "FL-1042".
 */
key: string, 
/**
 * One line: what is wrong.
 */
title: string, 
/**
 * The client's id.
 */
client_id: string, 
/**
 * The client's name.
 */
client_name: string, 
/**
 * Category id.
 */
category: string, 
/**
 * Priority id.
 */
priority: string, 
/**
 * Urgency.
 */
urgency: Urgency, 
/**
 * Where it stands.
 */
status: Status, 
/**
 * RFC 3339, UTC.
 */
updated_at: string, 
/**
 * Who logged it.
 */
created_by: string, 
/**
 * Who last worked on it.
 */
updated_by: string, };

export type Ladder = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * The process in a few sentences.
 */
description: string, 
/**
 * Rungs, lowest first.
 */
rungs: Array<Rung>, };

export type LadderPosition = { 
/**
 * The ladder's name.
 */
ladder: string, 
/**
 * Every rung, lowest first.
 */
rungs: Array<Rung>, 
/**
 * The rung the issue is on (index), `None` before it reaches the vendor.
 */
current: number | null, 
/**
 * What stops the next climb now (empty: it may climb).
 */
blocked: Array<string>, 
/**
 * Chased at the current rung.
 */
chased: boolean, };

export type Method = "internal" | "ticket" | "call" | "email" | "partner_manager";

export type Mode = "end_user" | "agent";

export type OutboxItem = { 
/**
 * Row id.
 */
id: number, 
/**
 * In words.
 */
what: string, 
/**
 * `pending`; `parked` (refused by the vendor); `waiting` (pending, behind a parked
 * operation of the same issue: operations of one issue never overtake each other).
 */
state: string, 
/**
 * Attempts so far.
 */
attempts: number, 
/**
 * The last failure, if any.
 */
last_error: string | null, 
/**
 * When the next attempt is due (RFC 3339), for pending rows.
 */
next_attempt_at: string | null, };

export type Progress = { 
/**
 * Operations sent since the catch-up began.
 */
done: number, 
/**
 * Operations there were to send.
 */
total: number, };

export type SyncStatus = { 
/**
 * The vendor's name ("Zendesk"), empty when no vendor is connected.
 */
vendor: string, 
/**
 * Whether a vendor connection is set up.
 */
configured: boolean, 
/**
 * Talking to the sandbox simulator rather than a real vendor.
 */
sandbox: boolean, 
/**
 * `None` until the first attempt; then whether the vendor answered at all.
 */
online: boolean | null, 
/**
 * The queue is stopped until the user acts (bad credentials), and why.
 */
paused: string | null, 
/**
 * Something between us and the vendor is answering instead of it (a captive portal's
 * log-in page, a proxy): the queue waits and resumes by itself once the vendor answers.
 */
intercepted: string | null, 
/**
 * Operations waiting.
 */
queued: number, 
/**
 * Operations the vendor refused.
 */
parked: number, 
/**
 * When something last reached the vendor.
 */
last_success: string | null, 
/**
 * The last failure, in words.
 */
last_error: string | null, 
/**
 * A catch-up in progress.
 */
catch_up: Progress | null, };

export type TeamInfo = { 
/**
 * This user's role.
 */
role: Role, 
/**
 * The user.
 */
user: string, 
/**
 * The ladder in use.
 */
ladder: Ladder, 
/**
 * Every ladder available.
 */
ladders: Array<string>, 
/**
 * The name and role come from the team hub (else from this desktop's team file).
 */
from_hub: boolean, };

export type VendorConnection = { 
/**
 * The settings.
 */
settings: VendorSettings, 
/**
 * Whether a token is available.
 */
token_saved: boolean, 
/**
 * Where the token is kept, in words.
 */
token_place: string, };

export type VendorSettings = { 
/**
 * Use the built-in practice helpdesk instead of a real vendor.
 */
sandbox: boolean, 
/**
 * Which helpdesk the vendor runs (the sandbox speaks it too).
 */
vendor: VendorKind, 
/**
 * Zendesk: the subdomain (`acme` for acme.zendesk.com); Freshdesk: the domain (`acme` or
 * acme.freshdesk.com); or a full https:// address.
 */
address: string, 
/**
 * Zendesk: the e-mail of the user the token belongs to. Freshdesk: the requester e-mail
 * the team's tickets come from.
 */
email: string, 
/**
 * Zendesk: end user (Requests API) or agent (Tickets API). Freshdesk has one API.
 */
mode: Mode, 
/**
 * Freshdesk: a custom text field the vendor's admin made for our issue id
 * (`cf_frontline_id`); empty when there is none (the ticket body names the issue anyway).
 */
id_field: string, };

export type VendorState = { 
/**
 * The vendor's ticket id, once created.
 */
ticket_id: number | null, 
/**
 * Where to see it.
 */
ticket_url: string, 
/**
 * The vendor's status.
 */
status: string, 
/**
 * Who at the vendor owns it.
 */
assignee: string, 
/**
 * Operations not yet done (pending or parked), oldest first.
 */
outbox: Array<OutboxItem>, 
/**
 * The teammate whose desktop talks to the vendor for this issue (it escalated first);
 * `None` when it is this desktop, or nobody yet.
 */
owner: string | null, };

export type Line = "first" | "vendor";

export type NewClient = { 
/**
 * Company name (required, unique).
 */
name: string, 
/**
 * Contact (optional).
 */
contact: string, };

export type NewIssue = { 
/**
 * The client's id.
 */
client_id: string, 
/**
 * One line: what is wrong.
 */
title: string, 
/**
 * What the client reports.
 */
description: string, 
/**
 * Steps to reproduce.
 */
steps: string, 
/**
 * Category id.
 */
category: string, 
/**
 * Impact id of the priority matrix.
 */
impact: string, 
/**
 * "low" | "medium" | "high" | "critical".
 */
urgency: Urgency, 
/**
 * How many users are affected.
 */
affected_users: number, };

export type Playbook = { 
/**
 * The category it serves.
 */
category: string, 
/**
 * Its name.
 */
title: string, 
/**
 * The steps, in order.
 */
steps: Array<Step>, };

export type PlaybookProgress = { 
/**
 * The playbook.
 */
playbook: Playbook, 
/**
 * The state of each step, in the playbook's order.
 */
states: Array<StepState>, };

export type PerUrgency = { 
/**
 * Critical.
 */
critical: number, 
/**
 * High.
 */
high: number, 
/**
 * Medium.
 */
medium: number, 
/**
 * Low.
 */
low: number, };

export type PriorityFields = { 
/**
 * Priority label.
 */
priority: string, 
/**
 * Rank (1 is the most urgent).
 */
rank: number, 
/**
 * Impact id.
 */
impact: string, 
/**
 * Urgency.
 */
urgency: string, };

export type VendorKind = "zendesk" | "freshdesk";

export type PriorityMatrix = { 
/**
 * Impact levels, narrowest first.
 */
impacts: Array<Choice>, 
/**
 * Priorities, most urgent first (their order is the queue's sort order).
 */
priorities: Array<Choice>, 
/**
 * impact id → urgency → priority id.
 */
cells: { [key in string]: { [key in Urgency]?: string } }, };

export type QueueSort = "priority" | "updated" | "newest" | "oldest" | "breach";

export type Readiness = { 
/**
 * Every item is satisfied.
 */
ready: boolean, 
/**
 * What the vendor asks for, in order.
 */
items: Array<ReadinessItem>, };

export type ReadinessItem = { 
/**
 * What is needed ("Steps to reproduce").
 */
need: string, 
/**
 * Whether the issue has it.
 */
ok: boolean, 
/**
 * What is there, or what to do.
 */
detail: string, };

export type Breach = { 
/**
 * The issue.
 */
issue_id: string, 
/**
 * FL-1234.
 */
key: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Its client.
 */
client_name: string, 
/**
 * Its urgency.
 */
urgency: Urgency, 
/**
 * "Vendor acknowledgement" or "Resolution".
 */
clock: string, 
/**
 * When it fell due, which is when it broke (RFC 3339).
 */
due_at: string, 
/**
 * When the vendor did it after all, if it has.
 */
met_at: string | null, };

export type Compliance = { 
/**
 * Met in time.
 */
met: number, 
/**
 * Due (met, or past due).
 */
due: number, 
/**
 * `met / due`; `None` when nothing was due.
 */
rate: number | null, };

export type Count = { 
/**
 * What a click filters by (a rung's index, an age band's id).
 */
key: string, 
/**
 * What people read.
 */
label: string, 
/**
 * How many.
 */
count: number, };

export type Figures = { 
/**
 * Issues logged in the period.
 */
logged: number, 
/**
 * Issues whose last resolution falls in the period (and that are still resolved or closed).
 */
resolved: number, 
/**
 * Of those, resolved without ever being escalated.
 */
first_line: number, 
/**
 * `first_line / resolved`; `None` when nothing was resolved.
 */
first_contact_rate: number | null, 
/**
 * Of the issues logged in the period, how many have been escalated.
 */
logged_escalated: number, 
/**
 * `logged_escalated / logged`; `None` when nothing was logged.
 */
escalation_rate: number | null, 
/**
 * Issues escalated (for the first time) in the period.
 */
escalated: number, 
/**
 * Resolved issues that had been reopened on the way.
 */
reopened: number, 
/**
 * SLA targets (acknowledgement and resolution) of the period's escalations that were met.
 */
sla_met: number, 
/**
 * Those targets that are due (met, or past their due time).
 */
sla_due: number, 
/**
 * `sla_met / sla_due`; `None` when nothing was due.
 */
sla_rate: number | null, };

export type GroupFigures = { 
/**
 * What the slice is filtered by (client id, category id, user name).
 */
key: string, 
/**
 * What people read.
 */
label: string, 
/**
 * Its figures.
 */
figures: Figures, };

export type Measure = "logged" | "resolved" | "first_line" | "escalated" | "breached" | "open";

export type Period = { "kind": "this_week" } | { "kind": "last_four_weeks" } | { "kind": "this_quarter" } | { "kind": "custom", 
/**
 * First day.
 */
from: string, 
/**
 * Last day.
 */
to: string, };

export type Report = { 
/**
 * The period asked for.
 */
period: Period, 
/**
 * Its first day, local.
 */
from: string, 
/**
 * Its last day, local.
 */
to: string, 
/**
 * The team's time zone the days are in.
 */
time_zone: string, 
/**
 * The day weeks start on ("Monday").
 */
week_starts: string, 
/**
 * Whose work it counts.
 */
scope: ReportScope, 
/**
 * Nothing was logged, resolved or escalated in the period.
 */
empty: boolean, 
/**
 * The whole period.
 */
total: Figures, 
/**
 * Week by week.
 */
weeks: Array<WeekFigures>, 
/**
 * Per client, most issues first.
 */
by_client: Array<GroupFigures>, 
/**
 * Per category.
 */
by_category: Array<GroupFigures>, 
/**
 * Per agent (who logged the issue); empty outside team mode.
 */
by_agent: Array<GroupFigures>, 
/**
 * The period's escalations by the highest rung of the ladder they reached.
 */
by_rung: Array<Count>, 
/**
 * The vendor's SLA, per urgency (most urgent first).
 */
sla: Array<SlaLine>, 
/**
 * The targets broken, earliest first (the first [`BREACHES_SHOWN`] on the page; all in
 * an export).
 */
breaches: Array<Breach>, 
/**
 * How many targets were broken in all.
 */
breaches_total: number, 
/**
 * From escalation to the vendor's first response (reply or owner), for the period's
 * escalations that had one.
 */
first_response: Spread, 
/**
 * From logging to the last resolution, for the period's resolved issues.
 */
resolution_time: Spread, 
/**
 * Issues open now, by how long ago they were logged.
 */
backlog: Array<Count>, };

export type ReportScope = "desktop" | "team" | "mine";

export type ReportSlice = { 
/**
 * The report's period.
 */
period: Period, 
/**
 * Which figure.
 */
measure: Measure, 
/**
 * Only this week (its first day, as the report names it).
 */
week: string | null, 
/**
 * Only this client.
 */
client_id: string | null, 
/**
 * Only this category.
 */
category: string | null, 
/**
 * Only issues this person logged.
 */
agent: string | null, 
/**
 * Only escalations that reached this rung (its index).
 */
rung: number | null, 
/**
 * Only this urgency.
 */
urgency: Urgency | null, 
/**
 * Only the open issues of this age band (a backlog key).
 */
age: string | null, };

export type SlaLine = { 
/**
 * The urgency.
 */
urgency: Urgency, 
/**
 * The acknowledgement target.
 */
acknowledgement: Compliance, 
/**
 * The resolution target.
 */
resolution: Compliance, };

export type Spread = { 
/**
 * How many were measured.
 */
count: number, 
/**
 * Half took at most this long.
 */
median_minutes: number | null, 
/**
 * Nine in ten took at most this long.
 */
p90_minutes: number | null, };

export type WeekFigures = { 
/**
 * The week's first day in the period, local ("2026-03-02").
 */
start: string, 
/**
 * Its last day in the period.
 */
end: string, 
/**
 * Its figures.
 */
figures: Figures, };

export type Role = "agent" | "lead";

export type Rung = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * Who answers there.
 */
role: string, 
/**
 * How to reach them, in words.
 */
contact: string, 
/**
 * The channel.
 */
method: Method, 
/**
 * How to ask, in words.
 */
how: string, 
/**
 * When to go there, in words.
 */
when: Array<string>, 
/**
 * A chase at the previous rung must come first…
 */
chase_first: boolean, 
/**
 * …unless the issue has one of these urgencies.
 */
chase_waived_for: Array<Urgency>, 
/**
 * Only a team lead may go there.
 */
lead_only: boolean, 
/**
 * Only for issues flagged critical.
 */
critical_only: boolean, 
/**
 * Hours to the vendor's acknowledgement at this rung.
 */
ack_hours: PerUrgency, };

export type SavedDraft = { 
/**
 * The form's content.
 */
draft: IssueDraft, 
/**
 * When it was last saved (RFC 3339, UTC).
 */
saved_at: string, };

export type Status = "new" | "in_progress" | "waiting_on_client" | "escalated" | "resolved" | "closed";

export type Step = { 
/**
 * Stable id within the playbook.
 */
id: string, 
/**
 * What to do.
 */
text: string, 
/**
 * Questions to ask the client.
 */
questions: Array<string>, 
/**
 * Articles that help (ids without the "bundled:" prefix are bundled articles).
 */
articles: Array<string>, };

export type SuspectedOutage = { 
/**
 * The issues, oldest first.
 */
issue_ids: Array<string>, 
/**
 * Their keys.
 */
keys: Array<string>, 
/**
 * How many clients.
 */
clients: number, 
/**
 * The words they share.
 */
shared_words: Array<string>, };

export type StepState = { "state": "open" } | { "state": "done" } | { "state": "skipped", 
/**
 * Why.
 */
reason: string, };

export type Urgency = "low" | "medium" | "high" | "critical";

export type Verdict = { 
/**
 * Every hash matches and the printed part is the data's.
 */
intact: boolean, 
/**
 * In words.
 */
message: string, 
/**
 * The issue of the first changed event.
 */
issue: string | null, 
/**
 * The first changed event's row.
 */
event: number | null, };
