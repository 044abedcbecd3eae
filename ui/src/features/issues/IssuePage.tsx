// One issue: what it is, why it has its priority, where it stands, its files and its timeline.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ClipboardEvent, type ReactNode } from "react";
import { api } from "../../shared/api";
import { showIssueAnswer } from "../../shared/issueCache";
import { backend } from "../../shared/backend";
import type { EventBody, FieldOptions, IssueDetail, Status } from "../../shared/bindings";
import { dateTime, fileSize, grouped, relativeTime } from "../../shared/format";
import { PriorityBadge, StatusBadge, statusLabel } from "../../shared/widgets";
import { ClientUpdateCard } from "../sync/ClientUpdateCard";
import { LadderPanel } from "../sync/LadderPanel";
import { VendorPanel } from "../sync/VendorPanel";
import { PlaybookCard, ReadinessCard } from "./GuidedPanels";

export function IssuePage(props: {
  id: string;
  options: FieldOptions;
  onBack: () => void;
  onError: (m: string) => void;
  onInfo: (m: string) => void;
  /** Shown in the side column for this issue (the knowledge-base suggestions). */
  aside?: (issueId: string, text: string) => ReactNode;
}) {
  const { id, options, onBack, onError, onInfo, aside } = props;
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ["issue", id], queryFn: () => api.getIssue(id) });
  const [note, setNote] = useState("");
  const [dropping, setDropping] = useState(false);

  const refresh = (d: IssueDetail) => {
    void showIssueAnswer(queryClient, d);
    void queryClient.invalidateQueries({ queryKey: ["issues"] });
  };
  const fail = (e: Error) => onError(e.message);

  const recordStep = useMutation({
    mutationFn: (v: { stepId: string; done: boolean; reason: string }) => api.recordStep(id, v.stepId, v.done, v.reason),
    onSuccess: refresh,
    onError: fail,
  });
  const waive = useMutation({ mutationFn: (reason: string) => api.waiveScreenshot(id, reason), onSuccess: refresh, onError: fail });
  const changeStatus = useMutation({ mutationFn: (to: Status) => api.changeStatus(id, to, ""), onSuccess: refresh, onError: fail });
  const retryTeam = useMutation({ mutationFn: (event: string) => api.retryTeamEvent(id, event), onSuccess: refresh, onError: fail });
  const discardTeam = useMutation({ mutationFn: (event: string) => api.discardTeamEvent(id, event), onSuccess: refresh, onError: fail });
  const addNote = useMutation({
    mutationFn: () => api.addNote(id, note),
    onSuccess: (d) => (refresh(d), setNote("")),
    onError: fail,
  });
  const attached = async (what: Promise<unknown>) => {
    try {
      await what;
      onInfo("Attached.");
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    } finally {
      await queryClient.invalidateQueries({ queryKey: ["issue", id] });
    }
  };
  const pick = async () => {
    const paths = await api.chooseFiles("attachments");
    if (paths.length) await attached(api.attachFiles(id, paths));
  };
  const paste = (e: ClipboardEvent) => {
    const files = [...e.clipboardData.files];
    if (!files.length) return;
    e.preventDefault();
    for (const f of files) {
      const name = f.name && f.name !== "image.png" ? f.name : `screenshot-${new Date().toISOString().replace(/[:.]/g, "-")}.png`;
      void attached(f.arrayBuffer().then((b) => api.attachBytes(id, name, new Uint8Array(b))));
    }
  };

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .onFileDrop((e) => {
        if (e.kind === "over") setDropping(true);
        else if (e.kind === "leave") setDropping(false);
        else {
          setDropping(false);
          void attached(api.attachFiles(id, e.paths));
        }
      })
      .then((u) => (stop = u));
    return () => stop?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  if (detail.isError)
    return (
      <div className="page">
        <div className="empty" role="alert">
          <strong>This issue could not be opened.</strong>
          <span>{detail.error.message}</span>
          <button className="btn" onClick={onBack}>
            Back to queue
          </button>
        </div>
      </div>
    );
  if (!detail.data) return <div className="loading">Loading…</div>;
  const { issue, events, attachments, next_statuses } = detail.data;
  const label = (list: { id: string; label: string }[], v: string) => list.find((c) => c.id === v)?.label ?? v;

  return (
    <div className="page" onPaste={paste}>
      <div className="page-header">
        <button className="btn ghost" onClick={onBack}>
          ← Queue <span className="kbd">Esc</span>
        </button>
      </div>
      <div className="issue-layout">
        <div className="stack">
          <div className="card stack">
            <div className="issue-title">
              <span className="issue-key" data-testid="issue-key">
                {issue.key}
              </span>
              <h1 data-testid="issue-title">{issue.title}</h1>
            </div>
            <div className="actions">
              <PriorityBadge priority={issue.priority} title={issue.priority_reason} />
              <StatusBadge status={issue.status} />
              <span className="muted">
                {issue.client_name} · logged {relativeTime(issue.created_at)} by {issue.created_by}
              </span>
            </div>
            <div className="why" data-testid="priority-reason">
              Why {issue.priority}: {issue.priority_reason}
            </div>
            <div>
              <h3>Description</h3>
              <p className="prose">{issue.description}</p>
            </div>
            {issue.steps && (
              <div>
                <h3>Steps to reproduce</h3>
                <p className="prose">{issue.steps}</p>
              </div>
            )}
          </div>
          {detail.data.playbook && (
            <PlaybookCard progress={detail.data.playbook} onStep={(stepId, done, reason) => recordStep.mutate({ stepId, done, reason })} />
          )}
          <div className="card stack">
            <h2>Timeline</h2>
            <ol className="timeline" data-testid="timeline">
              {events.map((e) => (
                <li key={e.id} className={`event-${e.body.kind}${e.superseded_by ? " superseded" : ""}`}>
                  <div>
                    <div>{describeEvent(e.body)}</div>
                    <div className="when" title={dateTime(e.at)}>
                      {e.actor} · {dateTime(e.at)}
                      {e.superseded_by && <span className="superseded-note"> · replaced by {supersededBy(e.superseded_by)}</span>}
                    </div>
                    {e.hub_refusal && (
                      <div className={e.hub_refusal.discarded ? "faint" : "tone-danger"} data-testid="hub-refusal">
                        {e.hub_refusal.discarded ? "Let go — the team hub refused it: " : "The team hub refused this: "}
                        {e.hub_refusal.words}
                        {!e.hub_refusal.discarded && (
                          <span className="actions inline-actions">
                            <button className="link-button" disabled={retryTeam.isPending} onClick={() => retryTeam.mutate(e.hub_refusal!.event)}>
                              Try again
                            </button>
                            <button className="link-button" disabled={discardTeam.isPending} onClick={() => discardTeam.mutate(e.hub_refusal!.event)}>
                              Let it go
                            </button>
                          </span>
                        )}
                      </div>
                    )}
                  </div>
                </li>
              ))}
            </ol>
            <div className="field">
              <label htmlFor="note">Add a note</label>
              <textarea
                id="note"
                className="textarea"
                rows={2}
                value={note}
                placeholder="What did you try? What did the client say?"
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && note.trim() && addNote.mutate()}
              />
            </div>
            <div>
              <button className="btn" disabled={!note.trim() || addNote.isPending} onClick={() => addNote.mutate()}>
                Add note
              </button>
            </div>
          </div>
        </div>
        <div className="stack">
          <div className="card stack">
            <h2>Status</h2>
            <div className="actions">
              {next_statuses.length === 0 && <span className="muted">Closed issues stay closed.</span>}
              {next_statuses.filter((s) => s !== "escalated").map((s) => (
                <button key={s} className="btn" disabled={changeStatus.isPending} onClick={() => changeStatus.mutate(s)}>
                  {moveLabel(s)}
                </button>
              ))}
            </div>
          </div>
          <VendorPanel detail={detail.data} onError={onError} />
          {detail.data.ladder.current !== null && <LadderPanel detail={detail.data} onError={onError} onInfo={onInfo} />}
          {detail.data.ladder.current !== null && <ClientUpdateCard detail={detail.data} onError={onError} />}
          {detail.data.ladder.current === null && issue.status !== "resolved" && issue.status !== "closed" && (
            <ReadinessCard readiness={detail.data.readiness} onWaive={(reason) => waive.mutate(reason)} />
          )}
          {aside?.(issue.id, `${issue.title}\n${issue.description}`)}
          <div className="card">
            <dl className="facts">
              <dt>Client</dt>
              <dd>{issue.client_name}</dd>
              <dt>Category</dt>
              <dd>{label(options.categories, issue.category)}</dd>
              <dt>Impact</dt>
              <dd>{label(options.impacts, issue.impact)}</dd>
              <dt>Urgency</dt>
              <dd>{label(options.urgencies, issue.urgency)}</dd>
              <dt>Affected users</dt>
              <dd>{grouped(issue.affected_users)}</dd>
              <dt>Updated</dt>
              <dd title={dateTime(issue.updated_at)}>
                {relativeTime(issue.updated_at)} by {issue.updated_by}
              </dd>
            </dl>
          </div>
          <div className="card stack">
            <h2>Attachments</h2>
            {attachments.length > 0 && (
              <ul className="attachments" data-testid="attachments">
                {attachments.map((a) => (
                  <li key={a.id}>
                    {a.media_type.startsWith("image/") && (
                      <button className="thumb" title={`Open ${a.file_name}`} onClick={() => api.openAttachment(a.id).catch(fail)}>
                        <img src={backend().fileUrl(a.path)} alt={a.file_name} />
                      </button>
                    )}
                    <span className="attachment-line">
                      <button className="link-button" title={a.file_name} onClick={() => api.openAttachment(a.id).catch(fail)}>
                        {a.file_name}
                      </button>
                      <span className="faint">{fileSize(a.size)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <div className={`dropzone${dropping ? " over" : ""}`}>
              Drop files or paste a screenshot here (up to {fileSize(options.attachment_limit)})
            </div>
            <div>
              <button className="btn" onClick={() => void pick()}>
                Add files…
              </button>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

function moveLabel(s: Status): string {
  switch (s) {
    case "in_progress":
      return "Start work";
    case "waiting_on_client":
      return "Wait on client";
    case "escalated":
      return "Mark escalated";
    case "resolved":
      return "Resolve";
    case "closed":
      return "Close";
    default:
      return statusLabel(s);
  }
}

/** "sam at 2026-03-02T10:02:00.000Z" → "sam's change of 2 Mar, 10:02". */
function supersededBy(text: string): string {
  const [who, at] = text.split(" at ");
  return at ? `${who}'s change of ${dateTime(at)}` : text;
}

export function describeEvent(b: EventBody): string {
  switch (b.kind) {
    case "created":
      return `Issue logged · ${b.priority_reason}`;
    case "status_changed":
      return `${statusLabel(b.from)} → ${statusLabel(b.to)}${b.note ? ` · ${b.note}` : ""}`;
    case "note":
      return b.text;
    case "attachment_added":
      return `Attached ${b.file_name}`;
    case "article_opened":
      return `Opened the article “${b.title}”`;
    case "step_recorded":
      return b.done ? `Step done: ${b.text}` : `Step skipped: ${b.text} · ${b.reason}`;
    case "screenshot_waived":
      return `No screenshot: ${b.reason}`;
    case "article_verdict":
      return b.helped ? `“${b.title}” solved it` : `“${b.title}” didn't help`;
    case "vendor_ticket_linked":
      return `Vendor ticket #${b.ticket_id} created`;
    case "vendor_comment":
      return b.from_vendor ? `${b.author} (vendor): ${b.text}` : `To the vendor: ${b.text}`;
    case "vendor_update":
      return `Vendor ticket ${b.previous_status ? `${b.previous_status} → ` : ""}${b.status}${b.assignee ? ` · owned by ${b.assignee}` : ""}`;
    case "vendor_rejected":
      return `The vendor refused “${b.what}”: ${b.message}`;
    case "vendor_duplicate":
      return b.copy_ticket_id === b.ticket_id
        ? `The vendor received “${b.what}” twice on ticket #${b.ticket_id} (a copy arrived late); the second copy can be ignored`
        : `The vendor opened a second ticket #${b.copy_ticket_id} (a copy that arrived late); it is marked as a duplicate of #${b.ticket_id}`;
    case "vendor_handed_over": {
      const sent = b.operations === 1 ? "1 vendor operation goes" : `${b.operations} vendor operations go`;
      const files = b.files_kept.length ? `; ${b.files_kept.join(", ")} stayed here (files do not travel)` : "";
      const copy =
        b.copy_ticket_id !== null && b.ticket_id !== null
          ? `; ticket #${b.copy_ticket_id} opened from here is closed as a copy of #${b.ticket_id}`
          : "";
      return `${b.owner} escalated this first: ${b.owner}'s desktop talks to the vendor (${sent} through it from here${files})${copy}`;
    }
    case "priority_changed":
      return `Priority ${b.from} → ${b.to} · ${b.reason}`;
    case "rung_requested":
      return `Asked the vendor for “${b.name}” · ${b.reason}`;
    case "chased":
      return `Chased the vendor for an update${b.note ? ` · ${b.note}` : ""}`;
    case "flagged_critical":
      return `Flagged critical: ${b.reason}`;
    case "review_requested":
      return `Asked a team lead to review · ${b.note}`;
    case "client_informed":
      return `Client informed: ${b.text.split("\n").find((l) => l.trim() && !l.startsWith("Hello")) ?? b.text}`;
  }
}
