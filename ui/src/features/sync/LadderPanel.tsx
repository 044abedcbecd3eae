// The vendor's escalation ladder on an issue: where it is, the next rung (who, when, how), what
// stops the climb, chase, and the lead's actions. The SLA clocks sit on top.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { showIssueAnswer } from "../../shared/issueCache";
import type { ClockState, CriticalReason, IssueDetail, Method } from "../../shared/bindings";
import { dateTime, untilTime } from "../../shared/format";

const METHOD: Record<Method, string> = {
  internal: "Your own team",
  ticket: "Request in the vendor ticket",
  call: "Phone call",
  email: "E-mail to the vendor",
  partner_manager: "Your partner manager, directly",
};

const REASONS: { id: CriticalReason; label: string }[] = [
  { id: "major_outage", label: "Major outage or service disruption" },
  { id: "several_clients", label: "Several clients affected" },
  { id: "churn_risk", label: "Key client threatening to leave" },
  { id: "sla_breach_concern", label: "Contractual or SLA breach concern" },
];

export function SlaClocks({ clocks }: { clocks: ClockState[] }) {
  if (clocks.length === 0) return null;
  return (
    <div className="clocks" data-testid="sla">
      {clocks.map((c) => {
        const tone = c.met ? "ok" : c.breached ? "danger" : c.percent >= 75 ? "warn" : "ok";
        const text = c.met
          ? "Met"
          : c.paused
            ? "Paused while waiting on the client"
            : c.breached
              ? `Breached ${c.due_at ? untilTime(c.due_at) : ""}`
              : `Due ${c.due_at ? untilTime(c.due_at) : ""} · ${c.percent}% used`;
        return (
          <div key={c.name} className="clock">
            <div className="clock-head">
              <span>{c.name}</span>
              <span className={`tone-${tone}`} title={c.due_at ? dateTime(c.due_at) : undefined}>
                {text}
              </span>
            </div>
            <progress className={`clock-bar tone-${tone}`} max={100} value={Math.min(c.percent, 100)} aria-label={`${c.name}: ${c.percent}% used`} />
          </div>
        );
      })}
    </div>
  );
}

export function LadderPanel({ detail, onError, onInfo }: { detail: IssueDetail; onError: (m: string) => void; onInfo?: (m: string) => void }) {
  const queryClient = useQueryClient();
  const team = useQuery({ queryKey: ["team"], queryFn: api.teamInfo, staleTime: Infinity });
  const [reason, setReason] = useState("");
  const [critical, setCritical] = useState<CriticalReason>("major_outage");
  const id = detail.issue.id;
  const refresh = (d: IssueDetail) => {
    void showIssueAnswer(queryClient, d);
    void queryClient.invalidateQueries({ queryKey: ["sync-status"] });
  };
  const fail = (e: Error) => onError(e.message);
  const climb = useMutation({ mutationFn: () => api.climbLadder(id, reason), onSuccess: (d) => (refresh(d), setReason("")), onError: fail });
  const chase = useMutation({ mutationFn: () => api.chaseVendor(id, ""), onSuccess: refresh, onError: fail });
  const flag = useMutation({ mutationFn: () => api.flagCritical(id, critical), onSuccess: refresh, onError: fail });
  const [priority, setPriority] = useState("P1");
  const override = useMutation({
    mutationFn: () => api.overridePriority(id, priority, reason),
    onSuccess: (d) => (refresh(d), setReason("")),
    onError: fail,
  });
  const review = useMutation({ mutationFn: () => api.requestReview(id, reason || "Please look at this escalation."), onSuccess: refresh, onError: fail });

  const l = detail.ladder;
  const current = l.current;
  const next = current === null ? null : l.rungs[current + 1] ?? null;
  const lead = team.data?.role === "lead";
  return (
    <div className="card stack" data-testid="ladder">
      <div className="card-head">
        <h2>Escalation ladder</h2>
        {detail.issue.critical && <span className="badge critical">Critical</span>}
      </div>
      <SlaClocks clocks={detail.sla} />
      {detail.sla.length > 0 && (
        <button
          className="link-button"
          title="The issue, every event, the vendor's own times and each SLA clock worked out, in one printable file"
          onClick={() =>
            api
              .exportEvidencePack([id], detail.issue.key)
              .then((path) => path && onInfo?.(`Evidence pack saved to ${path}`))
              .catch((e: Error) => onError(e.message))
          }
        >
          Save the evidence pack…
        </button>
      )}
      <ol className="ladder">
        {l.rungs.map((r, i) => (
          <li key={r.id} className={current === null ? "" : i < current ? "past" : i === current ? "current" : ""} aria-current={i === current ? "step" : undefined}>
            <strong>{r.name}</strong>
            <span className="faint">{METHOD[r.method]}</span>
          </li>
        ))}
      </ol>
      {next && (
        <div className="next-rung" data-testid="next-rung">
          <div>
            Next: <strong>{next.name}</strong>
          </div>
          <div className="muted">
            Who: {next.role} · {next.contact}
          </div>
          {next.how && <div className="muted">How: {next.how}</div>}
          <div className="muted">When: {next.when.join("; ")}</div>
        </div>
      )}
      {l.blocked.length > 0 && current !== null && (
        <ul className="blocked" data-testid="ladder-blocked">
          {l.blocked.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      {current !== null && (
        <div className="actions">
          <button className="btn" disabled={chase.isPending} onClick={() => chase.mutate()}>
            Chase for an update
          </button>
        </div>
      )}
      {next && (
        <>
          <div className="field">
            <label htmlFor="climb-reason">Why it needs {next.name}</label>
            <textarea id="climb-reason" className="textarea" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="actions">
            <button className="btn primary" data-testid="climb" disabled={l.blocked.length > 0 || !reason.trim() || climb.isPending} onClick={() => climb.mutate()}>
              Request {next.name.split(":")[0]}
            </button>
            {!lead && (
              <button className="btn ghost" disabled={review.isPending} onClick={() => review.mutate()}>
                Ask a lead to review
              </button>
            )}
          </div>
        </>
      )}
      {lead && !detail.issue.critical && (
        <div className="actions">
          <select className="input" aria-label="Why it is critical" value={critical} onChange={(e) => setCritical(e.target.value as CriticalReason)}>
            {REASONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
          <button className="btn danger" disabled={flag.isPending} onClick={() => flag.mutate()}>
            Flag critical
          </button>
        </div>
      )}
      {lead && (
        <div className="actions">
          <select className="input" aria-label="Priority to set" value={priority} onChange={(e) => setPriority(e.target.value)}>
            {["P1", "P2", "P3", "P4"].map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button className="btn" disabled={!reason.trim() || override.isPending} title="Uses the reason typed above" onClick={() => override.mutate()}>
            Override priority
          </button>
        </div>
      )}
    </div>
  );
}
