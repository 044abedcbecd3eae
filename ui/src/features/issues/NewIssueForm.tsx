// Logging a new issue. Every keystroke is kept: the form autosaves as a draft, which comes back
// after a crash or restart, and is dropped in the same transaction that creates the issue.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api } from "../../shared/api";
import { BackendError } from "../../shared/backend";
import type { Client, FieldOptions, IssueDraft, SavedDraft } from "../../shared/bindings";
import { ClientDialog } from "../../shared/ClientDialog";
import { Field, PriorityBadge, useDebounced } from "../../shared/widgets";
import { EMPTY_DRAFT, fieldOf, hasErrors, isBlank, toNewIssue, validateDraft, type FormErrors } from "./validation";

const AUTOSAVE_MS = 400;

/** Runs the tasks given to it one after another, each after the previous one has settled. */
function useSerial() {
  const tail = useRef<Promise<unknown>>(Promise.resolve());
  return useCallback(<T,>(task: () => Promise<T>): Promise<T> => {
    const run = tail.current.then(task, task);
    tail.current = run.catch(() => undefined);
    return run;
  }, []);
}

type FormProps = {
  options: FieldOptions;
  clients: Client[];
  onCreated: (id: string) => void;
  onCancel: () => void;
  /** Shown beside the form with what has been typed so far (the knowledge-base suggestions). */
  aside?: (text: string, category: string) => ReactNode;
};

/** The form, once the saved draft (if any) has loaded: it starts from that draft. */
export function NewIssueForm(props: FormProps) {
  const saved = useQuery({ queryKey: ["draft"], queryFn: api.loadDraft, staleTime: Infinity, gcTime: 0 });
  if (saved.isError) return <div className="page form-error">The saved draft could not be read: {saved.error.message}</div>;
  if (!saved.isSuccess) return <div className="loading">Loading…</div>;
  return <DraftForm {...props} restored={saved.data} />;
}

function DraftForm(props: FormProps & { restored: SavedDraft | null }) {
  const { options, clients, onCreated, onCancel, aside, restored } = props;
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<IssueDraft>(() => restored?.draft ?? EMPTY_DRAFT);
  const [errors, setErrors] = useState<FormErrors>({});
  const [showErrors, setShowErrors] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(restored?.saved_at ?? null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [addingClient, setAddingClient] = useState(false);
  // What was saved last (the restored draft to begin with): "Draft saved" is shown only while
  // the form holds exactly that, so the words never claim keystrokes still waiting to be saved.
  const [savedBody, setSavedBody] = useState<string>(() => JSON.stringify(draft));
  const lastSaved = useRef(savedBody);
  // Saves, the create and the discard reach the backend one at a time in the order they were
  // made: an older save answered late would otherwise overwrite a newer draft, or bring back a
  // draft that the create had already dropped.
  const inOrder = useSerial();
  // What the form holds now (null once the issue is created): a save waiting behind another
  // command is skipped if the form has moved on since, so a discarded or logged draft never
  // comes back from a save that was made before.
  const current = useRef<IssueDraft | null>(draft);

  const persist = useCallback(
    (d: IssueDraft) =>
      inOrder(async () => {
        const body = JSON.stringify(d);
        if (body === lastSaved.current || body !== JSON.stringify(current.current)) return;
        try {
          const result = isBlank(d) ? (await api.discardDraft(), null) : await api.saveDraft(d);
          lastSaved.current = body;
          setSavedBody(body);
          setSavedAt(result?.saved_at ?? null);
          setSaveError(null);
        } catch (e) {
          setSaveError(e instanceof Error ? e.message : String(e));
        }
      }),
    [inOrder],
  );

  const settled = useDebounced(draft, AUTOSAVE_MS);
  useEffect(() => {
    // persist sets state only once the save has answered, never during the effect.
    if (settled) void persist(settled);
  }, [settled, persist]);

  const assessment = useQuery({
    queryKey: ["assess", draft.impact, draft.urgency],
    queryFn: () => api.assessPriority(draft.impact, draft.urgency),
    enabled: !!draft.impact && !!draft.urgency,
  });

  const update = (patch: Partial<IssueDraft>) => {
    const next = { ...draft, ...patch };
    current.current = next;
    setDraft(next);
    if (showErrors) setErrors(validateDraft(next, options));
    setFormError(null);
  };
  const leave = async () => {
    await persist(draft);
    onCancel();
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const found = validateDraft(draft, options);
    setErrors(found);
    setShowErrors(true);
    if (hasErrors(found)) {
      const first = Object.keys(found)[0];
      document.getElementById(`issue-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await inOrder(() => api.createIssue(toNewIssue(draft)));
      current.current = null;
      lastSaved.current = JSON.stringify(EMPTY_DRAFT);
      queryClient.removeQueries({ queryKey: ["draft"] });
      await queryClient.invalidateQueries({ queryKey: ["issues"] });
      await queryClient.invalidateQueries({ queryKey: ["clients"] });
      onCreated(created.issue.id);
    } catch (err) {
      const field = err instanceof BackendError ? fieldOf(err.field) : null;
      if (field) setErrors({ [field]: (err as Error).message });
      else setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    await inOrder(() => api.discardDraft());
    lastSaved.current = JSON.stringify(EMPTY_DRAFT);
    setSavedBody(lastSaved.current);
    current.current = EMPTY_DRAFT;
    setDraft(EMPTY_DRAFT);
    setSavedAt(null);
    setErrors({});
    setShowErrors(false);
  };

  const err = (k: keyof IssueDraft) => (showErrors || errors[k] ? errors[k] : undefined);

  return (
    <div className="page">
      <div className="with-aside">
      {/* Keys typed in the form's fields bubble here: Ctrl+Enter logs the issue, Escape leaves. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <form
        className="form"
        onSubmit={submit}
        noValidate
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit();
          if (e.key === "Escape") {
            e.stopPropagation();
            void leave();
          }
        }}
      >
        <div className="page-header">
          <h1>New issue</h1>
          <span className="saved" data-testid="draft-status" aria-live="polite">
            {saveError
              ? `Draft not saved: ${saveError}`
              : JSON.stringify(draft) !== savedBody
                ? "Saving draft…"
                : savedAt
                ? `Draft saved ${new Date(savedAt).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}`
                : "Drafts are saved as you type"}
          </span>
        </div>
        {formError && (
          <div className="form-error" role="alert">
            {formError}
          </div>
        )}
        <Field label="Client" htmlFor="issue-client_id" error={err("client_id")}>
          <div className="inline-row">
            <select id="issue-client_id" className="select" value={draft.client_id} onChange={(e) => update({ client_id: e.target.value })}>
              <option value="">Choose a client…</option>
              {clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="button" className="btn" onClick={() => setAddingClient(true)}>
              New client
            </button>
          </div>
        </Field>
        <Field label="Title" htmlFor="issue-title" error={err("title")} hint={`${[...draft.title].length}/${options.title_max}`}>
          <input
            id="issue-title"
            className="input"
            autoFocus
            placeholder="e.g. Client can't log in after password reset"
            value={draft.title}
            onChange={(e) => update({ title: e.target.value })}
          />
        </Field>
        <Field label="Description" htmlFor="issue-description" error={err("description")}>
          <textarea
            id="issue-description"
            className="textarea"
            rows={5}
            placeholder="What does the client report? What did they expect? Since when?"
            value={draft.description}
            onChange={(e) => update({ description: e.target.value })}
          />
        </Field>
        <Field label="Steps to reproduce" htmlFor="issue-steps" error={err("steps")} hint="The vendor will ask for these if the issue is escalated.">
          <textarea
            id="issue-steps"
            className="textarea"
            rows={3}
            placeholder={"1. Open …\n2. Click …"}
            value={draft.steps}
            onChange={(e) => update({ steps: e.target.value })}
          />
        </Field>
        <div className="form-grid">
          <Field label="Category" htmlFor="issue-category" error={err("category")}>
            <select id="issue-category" className="select" value={draft.category} onChange={(e) => update({ category: e.target.value })}>
              <option value="">Choose…</option>
              {options.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Affected users" htmlFor="issue-affected_users" error={err("affected_users")}>
            <input
              id="issue-affected_users"
              className="input"
              inputMode="numeric"
              placeholder="0"
              value={draft.affected_users}
              onChange={(e) => update({ affected_users: e.target.value })}
            />
          </Field>
          <Field label="Impact" htmlFor="issue-impact" error={err("impact")}>
            <select id="issue-impact" className="select" value={draft.impact} onChange={(e) => update({ impact: e.target.value })}>
              <option value="">Who is affected?</option>
              {options.impacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <div className={`field${err("urgency") ? " invalid" : ""}`}>
            <span className="field-label" id="issue-urgency-label">
              Urgency
            </span>
            <div className="segmented" role="group" aria-labelledby="issue-urgency-label" id="issue-urgency">
              {options.urgencies.map((u) => (
                <button type="button" key={u.id} aria-pressed={draft.urgency === u.id} onClick={() => update({ urgency: u.id })}>
                  {u.label}
                </button>
              ))}
            </div>
            {err("urgency") && <span className="error">{err("urgency")}</span>}
          </div>
        </div>
        <div className="priority-preview" data-testid="priority-preview">
          {assessment.data ? (
            <>
              <PriorityBadge priority={assessment.data.priority} />
              <span>{assessment.data.reason}</span>
            </>
          ) : (
            <span className="muted">Priority follows from impact × urgency.</span>
          )}
        </div>
        <div className="form-foot">
          <button type="submit" className="btn primary" disabled={busy}>
            Create issue <span className="kbd">Ctrl ↵</span>
          </button>
          <button type="button" className="btn ghost" onClick={() => void leave()}>
            Back to queue <span className="kbd">Esc</span>
          </button>
          <div style={{ flex: 1 }} />
          {!isBlank(draft) && (
            <button type="button" className="btn ghost danger" onClick={() => void discard()}>
              Discard draft
            </button>
          )}
        </div>
      </form>
      <aside className="stack">{aside?.(`${draft.title}\n${draft.description}`, draft.category)}</aside>
      </div>
      {addingClient && (
        <ClientDialog
          onCancel={() => setAddingClient(false)}
          onDone={(c) => {
            setAddingClient(false);
            void queryClient.invalidateQueries({ queryKey: ["clients"] });
            update({ client_id: c.id });
          }}
        />
      )}
    </div>
  );
}
