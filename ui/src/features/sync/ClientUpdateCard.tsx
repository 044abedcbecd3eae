// Keeping the client informed: when they last heard from us, whether an update is due, and
// the team's template filled in, to edit and record as sent.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { showIssueAnswer } from "../../shared/issueCache";
import type { IssueDetail } from "../../shared/bindings";
import { relativeTime } from "../../shared/format";

export function ClientUpdateCard({ detail, onError }: { detail: IssueDetail; onError: (m: string) => void }) {
  const queryClient = useQueryClient();
  const c = detail.client;
  const [text, setText] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => api.informClient(detail.issue.id, text ?? c.suggestion),
    onSuccess: (d) => {
      void showIssueAnswer(queryClient, d);
      setText(null);
    },
    onError: (e: Error) => onError(e.message),
  });
  return (
    <div className="card stack" data-testid="client-update">
      <h2>Client</h2>
      <div className={c.update_due ? "tone-warn" : "muted"}>
        Last informed: {c.last_informed ? relativeTime(c.last_informed) : "not yet"}
        {c.update_due && ` · ${c.reason}`}
      </div>
      {(c.update_due || text !== null) && (
        <>
          <textarea className="textarea" rows={7} aria-label="Update for the client" value={text ?? c.suggestion} onChange={(e) => setText(e.target.value)} />
          <div className="actions">
            <button className="btn" disabled={save.isPending} onClick={() => void navigator.clipboard?.writeText(text ?? c.suggestion)}>
              Copy
            </button>
            <button className="btn primary" disabled={save.isPending} onClick={() => save.mutate()}>
              Mark as sent
            </button>
          </div>
        </>
      )}
      {!c.update_due && text === null && (
        <div>
          <button className="link-button" onClick={() => setText(c.suggestion)}>
            Write an update
          </button>
        </div>
      )}
    </div>
  );
}
