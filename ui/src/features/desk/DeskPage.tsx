// The team lead's desk: every open escalation, critical first, then by time to breach; who
// asked for a review; clients waiting for news; and issues that look like one outage.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../shared/api";
import { untilTime } from "../../shared/format";
import { PriorityBadge } from "../../shared/widgets";

export function DeskPage({ onOpen, onError }: { onOpen: (id: string) => void; onError: (m: string) => void }) {
  const queryClient = useQueryClient();
  const desk = useQuery({ queryKey: ["desk"], queryFn: api.desk, refetchInterval: 30_000 });
  const link = useMutation({
    mutationFn: (v: { ids: string[]; title: string }) => api.linkIncident(v.ids, v.title),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["desk"] }),
    onError: (e: Error) => onError(e.message),
  });
  if (desk.isError) return <div className="page">Could not load the escalations: {desk.error.message}</div>;
  if (!desk.data) return <div className="loading">Loading escalations…</div>;
  const { rows, outages, role } = desk.data;
  return (
    <div className="page">
      <div className="page-header">
        <h1>{role === "lead" ? "Team lead's desk" : "Open escalations"}</h1>
        <span className="muted">{rows.length} open · critical first, then by time to breach</span>
      </div>
      {outages.length > 0 && (
        <div className="card stack outage" data-testid="outages">
          <h2>Possible outage</h2>
          {outages.map((o) => (
            <div key={o.issue_ids.join()}>
              {o.clients} clients, {o.issue_ids.length} issues ({o.keys.join(", ")}) mention: {o.shared_words.join(", ")}.{" "}
              <button className="link-button" onClick={() => onOpen(o.issue_ids[0])}>
                Open the first
              </button>
              {role === "lead" && (
                <>
                  {" · "}
                  <button
                    className="link-button"
                    disabled={link.isPending}
                    onClick={() => link.mutate({ ids: o.issue_ids, title: `Outage: ${o.shared_words.slice(0, 4).join(" ")}` })}
                  >
                    Link as one incident and flag critical
                  </button>
                </>
              )}
            </div>
          ))}
        </div>
      )}
      {rows.length === 0 ? (
        <div className="card muted">No open escalations. Escalated issues appear here with their SLA clocks.</div>
      ) : (
        <table className="desk" data-testid="desk">
          <thead>
            <tr>
              <th>Issue</th>
              <th>Client</th>
              <th>Rung</th>
              <th>SLA</th>
              <th>Attention</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="row-linked">
                <td>
                  <span className="issue-key">{r.key}</span> <PriorityBadge priority={r.priority} /> {r.critical && <span className="badge critical">Critical</span>}{" "}
                  {/* The row's one control: a button whose target covers the whole row. */}
                  <button type="button" className="row-link" onClick={() => onOpen(r.id)}>
                    {r.title}
                  </button>
                </td>
                <td>{r.client_name}</td>
                <td>
                  {r.rung}
                  {r.ticket_id !== null && <span className="faint"> · #{r.ticket_id}</span>}
                </td>
                <td>
                  {r.clock ? (
                    <span className={r.clock.breached ? "tone-danger" : r.clock.percent >= 75 ? "tone-warn" : "tone-ok"}>
                      {r.clock.name}: {r.clock.paused ? "paused" : r.clock.breached ? `breached ${untilTime(r.clock.due_at ?? "")}` : `due ${untilTime(r.clock.due_at ?? "")}`}
                    </span>
                  ) : (
                    <span className="faint">—</span>
                  )}
                </td>
                <td>
                  {r.review_requested && <span className="badge">Review asked</span>} {r.client_update_due && <span className="badge">Client waiting</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
