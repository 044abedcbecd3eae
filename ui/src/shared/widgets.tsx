// Small pieces every feature uses.
import { useEffect, useState, type ReactNode } from "react";
import type { Status } from "./bindings";

const STATUS_LABELS: Record<Status, string> = {
  new: "New",
  in_progress: "In progress",
  waiting_on_client: "Waiting on client",
  escalated: "Escalated",
  resolved: "Resolved",
  closed: "Closed",
};

export function statusLabel(s: Status): string {
  return STATUS_LABELS[s];
}

export function PriorityBadge({ priority, title }: { priority: string; title?: string }) {
  return (
    <span className={`badge priority ${priority}`} title={title ?? `Priority ${priority}`}>
      {priority}
    </span>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return <span className={`badge status ${status}`}>{statusLabel(status)}</span>;
}

export function Field(props: {
  label: string;
  htmlFor: string;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const { label, htmlFor, error, hint, children } = props;
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <span className="error" role="alert" id={`${htmlFor}-error`}>
          {error}
        </span>
      ) : hint ? (
        <span className="hint">{hint}</span>
      ) : null}
    </div>
  );
}

/** A message in the corner that goes away by itself. */
export function Toast({ message, kind, onDone }: { message: string; kind: "info" | "error"; onDone: () => void }) {
  useEffect(() => {
    const t = setTimeout(onDone, kind === "error" ? 8000 : 3000);
    return () => clearTimeout(t);
  }, [message, kind, onDone]);
  return (
    <div className={`toast ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {message}
    </div>
  );
}

/** `value`, but only after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

const MARK_START = "\u0002";
const MARK_END = "\u0003";

/** Text from the core with matched words between marker characters, shown highlighted. */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(MARK_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <span key={i}>{part}</span>;
        const [marked, rest = ""] = part.split(MARK_END);
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        );
      })}
    </>
  );
}

/** The questions a playbook step suggests asking the client. */
export function StepQuestions({ questions }: { questions: string[] }) {
  if (questions.length === 0) return null;
  return (
    <ul className="questions">
      {questions.map((q) => (
        <li key={q}>{q}</li>
      ))}
    </ul>
  );
}
