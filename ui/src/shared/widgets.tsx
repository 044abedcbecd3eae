// Small pieces every feature uses.
import { cloneElement, isValidElement, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
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
  const describedBy = error ? `${htmlFor}-error` : hint ? `${htmlFor}-hint` : undefined;
  // The control says it is invalid and which text explains it, for screen readers.
  const control = isValidElement<{ "aria-invalid"?: boolean; "aria-describedby"?: string }>(children)
    ? cloneElement(children, { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })
    : children;
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {control}
      {error ? (
        <span className="error" role="alert" id={`${htmlFor}-error`}>
          {error}
        </span>
      ) : hint ? (
        <span className="hint" id={`${htmlFor}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A message in the corner that goes away by itself. */
/** A message at the foot of the window: news fades after a few seconds, an error stays until
 * the person dismisses it (they may be reading it, or away from the desk). */
export function Toast({ message, kind, onDone }: { message: string; kind: "info" | "error"; onDone: () => void }) {
  useEffect(() => {
    if (kind === "error") return;
    const t = setTimeout(onDone, 3000);
    return () => clearTimeout(t);
  }, [message, kind, onDone]);
  if (kind === "info")
    return (
      <div className="toast info" role="status">
        {message}
      </div>
    );
  return (
    <div className="toast error" role="alert">
      <span>{message}</span>
      <button className="toast-close" type="button" aria-label="Dismiss" onClick={onDone}>
        ×
      </button>
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

/**
 * A modal dialog, the browser's own: the page behind is inert to the mouse, the keyboard and
 * assistive technology, Tab stays inside, Escape or a click on the backdrop closes it, and focus
 * goes back where it was when it closes.
 */
export function Modal({
  labelledBy,
  className,
  onClose,
  children,
}: {
  labelledBy: string;
  className?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Before the first paint, so it never shows outside the top layer.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      dialog.close();
      before?.focus();
    };
  }, []);
  return (
    // A press on the backdrop (the dialog element itself, outside its content) closes it; the
    // keyboard's way is Escape (the cancel event).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <dialog
      ref={ref}
      className={`dialog ${className ?? ""}`}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => e.target === ref.current && onClose()}
    >
      {children}
    </dialog>
  );
}
