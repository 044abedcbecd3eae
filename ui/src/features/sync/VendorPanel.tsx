// The issue's side of the escalation: the escalate action (gated on readiness), the vendor
// ticket, what is still queued or refused, and messages to the vendor.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { showIssueAnswer } from "../../shared/issueCache";
import type { IssueDetail } from "../../shared/bindings";
import { relativeTime } from "../../shared/format";

export function VendorPanel({ detail, onError }: { detail: IssueDetail; onError: (m: string) => void }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");
  const id = detail.issue.id;
  const refresh = (d: IssueDetail) => {
    void showIssueAnswer(queryClient, d);
    void queryClient.invalidateQueries({ queryKey: ["issues"] });
    void queryClient.invalidateQueries({ queryKey: ["sync-status"] });
  };
  const fail = (e: Error) => onError(e.message);
  const escalate = useMutation({ mutationFn: () => api.escalate(id, note), onSuccess: (d) => (refresh(d), setNote("")), onError: fail });
  const send = useMutation({ mutationFn: () => api.messageVendor(id, message), onSuccess: (d) => (refresh(d), setMessage("")), onError: fail });
  const retry = useMutation({ mutationFn: (opId: number) => api.retryOperation(id, opId), onSuccess: refresh, onError: fail });

  const v = detail.vendor;
  const escalated = v.ticket_id !== null || v.outbox.length > 0 || detail.issue.status === "escalated";
  // Once escalated, going further is the ladder's job (its panel shows the next rung).
  const canEscalate = !escalated && detail.issue.status !== "resolved" && detail.issue.status !== "closed";
  return (
    <div className="card stack" data-testid="vendor-panel">
      <h2>Vendor</h2>
      {v.ticket_id !== null ? (
        <div className="vendor-ticket" data-testid="vendor-ticket">
          Ticket <strong>#{v.ticket_id}</strong>
          {v.status && <span className="badge">{v.status}</span>}
          {v.assignee && <span className="muted"> · {v.assignee}</span>}
        </div>
      ) : escalated && v.owner ? (
        <div className="muted" data-testid="vendor-queued">
          Escalated from {v.owner}'s desktop — the ticket appears here once the vendor has opened it.
        </div>
      ) : escalated ? (
        <div className="muted" data-testid="vendor-queued">
          Queued — the ticket is created as soon as the vendor can be reached.
        </div>
      ) : (
        <div className="muted">Not escalated.</div>
      )}
      {v.owner && (
        <div className="hint" data-testid="vendor-owner">
          {v.owner}'s desktop talks to the vendor for this issue: what you send goes through it, once.
        </div>
      )}
      {v.outbox.length > 0 && (
        <ul className="outbox" data-testid="outbox">
          {v.outbox.map((o) => (
            <li key={o.id} className={`outbox-${o.state}`}>
              <span>{o.what}</span>
              {o.state === "waiting" ? (
                <span className="faint">Waiting behind a refused message — it goes once that one is sent</span>
              ) : o.state === "parked" ? (
                <>
                  <span className="tone-danger">Refused: {o.last_error}</span>
                  <button className="link-button" disabled={retry.isPending} onClick={() => retry.mutate(o.id)}>
                    Try again
                  </button>
                </>
              ) : (
                <span className="faint">
                  {o.attempts > 0 ? `Tried ${o.attempts}× · next ${relativeTime(o.next_attempt_at ?? "")}` : "Waiting to send"}
                  {o.last_error ? ` · ${o.last_error}` : ""}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEscalate && (
        <>
          <div className="field">
            <label htmlFor="escalation-note">Note for the vendor (optional)</label>
            <textarea id="escalation-note" className="textarea" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div>
            <button
              className="btn primary"
              data-testid="escalate"
              disabled={!detail.readiness.ready || escalate.isPending}
              title={detail.readiness.ready ? "Queue the escalation; it is sent when the vendor can be reached" : "Complete the readiness checklist first"}
              onClick={() => escalate.mutate()}
            >
              Escalate to vendor
            </button>
          </div>
        </>
      )}
      {escalated && (
        <>
          <div className="field">
            <label htmlFor="vendor-message">Message the vendor</label>
            <textarea
              id="vendor-message"
              className="textarea"
              rows={2}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              onKeyDown={(e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && message.trim() && send.mutate()}
            />
          </div>
          <div>
            <button className="btn" disabled={!message.trim() || send.isPending} onClick={() => send.mutate()}>
              Send to vendor
            </button>
          </div>
        </>
      )}
    </div>
  );
}
