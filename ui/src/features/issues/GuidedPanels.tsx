// The issue page's first-line panels: the category's playbook, step by step, and what an
// escalation would still lack.
import { useState } from "react";
import type { PlaybookProgress, Readiness } from "../../shared/bindings";
import { StepQuestions } from "../../shared/widgets";

export function PlaybookCard(props: {
  progress: PlaybookProgress;
  onStep: (stepId: string, done: boolean, reason: string) => void;
}) {
  const { progress, onStep } = props;
  const [skipping, setSkipping] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const doneCount = progress.states.filter((s) => s.state !== "open").length;
  return (
    <div className="card stack" data-testid="playbook">
      <div className="inline-row">
        <h2>Playbook · {progress.playbook.title}</h2>
        <span className="faint" style={{ marginLeft: "auto" }}>
          {doneCount}/{progress.states.length}
        </span>
      </div>
      <ol className="steps">
        {progress.playbook.steps.map((step, i) => {
          const state = progress.states[i];
          return (
            <li key={step.id} className={`step ${state.state}`} data-step={step.id}>
              <div className="step-text">{step.text}</div>
              <StepQuestions questions={step.questions} />
              {state.state === "open" && skipping !== step.id && (
                <div className="actions">
                  <button className="btn" onClick={() => onStep(step.id, true, "")}>
                    Done
                  </button>
                  <button className="btn ghost" onClick={() => (setSkipping(step.id), setReason(""))}>
                    Skip…
                  </button>
                </div>
              )}
              {skipping === step.id && (
                <form
                  className="inline-row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (!reason.trim()) return;
                    onStep(step.id, false, reason);
                    setSkipping(null);
                  }}
                >
                  <input className="input" autoFocus placeholder="Why skip it?" aria-label="Reason for skipping" value={reason} onChange={(e) => setReason(e.target.value)} />
                  <button className="btn" type="submit" disabled={!reason.trim()}>
                    Skip
                  </button>
                </form>
              )}
              {state.state === "done" && <span className="step-state">✓ Done</span>}
              {state.state === "skipped" && <span className="step-state">Skipped: {state.reason}</span>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export function ReadinessCard({ readiness, onWaive }: { readiness: Readiness; onWaive: (reason: string) => void }) {
  const [reason, setReason] = useState("");
  const screenshotMissing = readiness.items.some((i) => i.need === "Screenshot" && !i.ok);
  return (
    <div className="card stack" data-testid="readiness">
      <h2>{readiness.ready ? "Ready to escalate" : "Before escalating"}</h2>
      <ul className="readiness">
        {readiness.items.map((item) => (
          <li key={item.need} className={item.ok ? "ok" : "missing"}>
            <span className="mark">{item.ok ? "✓" : "•"}</span>
            <span>
              <strong>{item.need}</strong> <span className="muted">{item.detail}</span>
            </span>
          </li>
        ))}
      </ul>
      {screenshotMissing && (
        <form className="inline-row" onSubmit={(e) => (e.preventDefault(), reason.trim() && onWaive(reason))}>
          <input className="input" placeholder="No screenshot because…" aria-label="Why there is no screenshot" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button className="btn" type="submit" disabled={!reason.trim()}>
            Save
          </button>
        </form>
      )}
    </div>
  );
}

