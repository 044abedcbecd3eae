// The Team hub page: where the team's hub is, this person's login and password (kept in the
// system keyring), "Test connection", and who the hub says this person is. Without a hub the
// desktop works on its own; turning the hub off keeps everything on this desktop.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { BackendError } from "../../shared/backend";
import type { HubSettings } from "../../shared/bindings";
import { Field } from "../../shared/widgets";
import { useHubStatus } from "./HubIndicator";

const EMPTY: HubSettings = { address: "", user: "" };

export function HubSettingsPage({ onError, onInfo }: { onError: (m: string) => void; onInfo: (m: string) => void }) {
  const queryClient = useQueryClient();
  const connection = useQuery({ queryKey: ["hub-connection"], queryFn: api.hubConnection });
  const status = useHubStatus();
  // What the person typed over the saved settings (null: nothing yet, the saved ones show).
  const [edited, setForm] = useState<HubSettings | null>(null);
  const form = edited ?? (connection.data ? (connection.data.settings ?? EMPTY) : null);
  const [password, setPassword] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = () => {
    for (const key of ["hub-connection", "hub-status", "team-info", "app-info", "issues"]) void queryClient.invalidateQueries({ queryKey: [key] });
  };
  const save = useMutation({
    mutationFn: (settings: HubSettings) => api.saveHubConnection(settings, password || null),
    onSuccess: (c) => {
      queryClient.setQueryData(["hub-connection"], c);
      setForm(c.settings ?? EMPTY);
      setPassword("");
      setResult(null);
      refresh();
      onInfo(c.settings ? "Team hub saved. Connecting…" : "Team hub turned off. This desktop works on its own.");
    },
    onError: (e: Error) => (e instanceof BackendError && e.field ? undefined : onError(e.message)),
  });
  const publish = useMutation({
    mutationFn: api.publishTeamProfile,
    onSuccess: () => onInfo("Team profile shared: every desktop uses it after its next sync."),
    onError: (e: Error) => onError(e.message),
  });
  const test = useMutation({
    mutationFn: () => api.testHubConnection(form as HubSettings, password || null),
    onSuccess: (text) => setResult({ ok: true, text }),
    onError: (e: Error) => setResult({ ok: false, text: e.message }),
  });
  if (!form || !connection.data) return <div className="loading">Loading the team hub connection…</div>;
  const c = connection.data;
  const fieldError = (field: string) => (save.error instanceof BackendError && save.error.field === field ? save.error.message : null);
  const set = (patch: Partial<HubSettings>) => {
    setForm({ ...form, ...patch });
    setResult(null);
  };
  return (
    <div className="page stack">
      <div className="page-header">
        <h1>Team hub</h1>
      </div>
      <p className="muted narrow">
        A team hub lets agents and leads on different desktops work as one team: everyone sees the team's issues, leads flag and
        steer them, and the hub decides who may do what. Each desktop keeps working offline and shares its work when the hub
        answers. Without a hub, Frontline works on this desktop alone.
      </p>
      {c.identity && c.settings && (
        <div className="card narrow" data-testid="hub-identity">
          Signed in to the hub as <strong>{c.identity.login}</strong> — {c.identity.lead ? "team lead" : "agent"}.
          {status?.last_error && <div className="tone-warn">{status.last_error}</div>}
          {c.identity.lead && (
            <div className="stack top-gap">
              <span className="muted">
                The team profile — the ladder in use, calendar, SLA targets, outage rule and client-update template — is the
                team's. Share this desktop's copy and every desktop uses it; ladder edits are shared as you save them.
              </span>
              <div>
                <button className="btn" disabled={publish.isPending} onClick={() => publish.mutate()}>
                  {publish.isPending ? "Sharing…" : "Share the team profile"}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
      <form
        className="card stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <Field label="Hub address" htmlFor="hub-address" error={fieldError("Hub address")} hint="The host your team lead gave you, e.g. hub.partner.example or hub.partner.example:5432.">
          <input
            id="hub-address"
            className="input"
            placeholder="hub.partner.example"
            value={form.address}
            aria-invalid={fieldError("Hub address") ? true : undefined}
            aria-describedby={fieldError("Hub address") ? "hub-address-error" : undefined}
            onChange={(e) => set({ address: e.target.value })}
          />
        </Field>
        <Field label="Your hub user name" htmlFor="hub-user" error={fieldError("Hub user name")}>
          <input
            id="hub-user"
            className="input"
            autoComplete="username"
            value={form.user}
            aria-invalid={fieldError("Hub user name") ? true : undefined}
            aria-describedby={fieldError("Hub user name") ? "hub-user-error" : undefined}
            onChange={(e) => set({ user: e.target.value })}
          />
        </Field>
        <Field label="Password" htmlFor="hub-password" hint={c.password_place}>
          <input
            id="hub-password"
            className="input"
            type="password"
            autoComplete="current-password"
            placeholder={c.password_saved ? "•••••••• (saved; type to replace)" : "Your hub password"}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setResult(null);
            }}
          />
        </Field>
        {result && (
          <div className={result.ok ? "tone-ok" : "tone-danger"} role={result.ok ? "status" : "alert"} data-testid="hub-test-result">
            {result.text}
          </div>
        )}
        <div className="actions">
          <button className="btn primary" type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save and connect"}
          </button>
          <button className="btn" type="button" disabled={test.isPending || !form.address.trim()} onClick={() => test.mutate()}>
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
          {c.settings && (
            <button className="btn ghost" type="button" disabled={save.isPending} onClick={() => save.mutate(EMPTY)}>
              Turn the hub off
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
