// The vendor connection: the sandbox switch, which helpdesk the vendor runs (Zendesk or
// Freshdesk), its address, who the team is there, the API token or key (kept in the system
// keyring), "Test connection", and for Zendesk which API the account may use.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { BackendError } from "../../shared/backend";
import type { VendorKind, VendorSettings } from "../../shared/bindings";
import { Field } from "../../shared/widgets";
import { LadderEditor } from "./LadderEditor";

/// What each helpdesk calls things, on this page.
const WORDS: Record<VendorKind, { address: string; placeholder: string; email: string; emailHint: string; secret: string; secretHint: string }> = {
  zendesk: {
    address: "Zendesk address",
    placeholder: "acme  (for acme.zendesk.com)",
    email: "Your Zendesk e-mail",
    emailHint: "The e-mail of the Zendesk user the API token belongs to.",
    secret: "API token",
    secretHint: "Paste the token from Zendesk",
  },
  freshdesk: {
    address: "Freshdesk domain",
    placeholder: "acme  (for acme.freshdesk.com)",
    email: "Requester e-mail",
    emailHint: "The e-mail your team's tickets come from: a contact in the vendor's Freshdesk.",
    secret: "API key",
    secretHint: "Paste the key from your Freshdesk profile settings",
  },
};

export function VendorSettingsPage({ onError, onInfo }: { onError: (m: string) => void; onInfo: (m: string) => void }) {
  const queryClient = useQueryClient();
  const connection = useQuery({ queryKey: ["vendor-connection"], queryFn: api.vendorConnection });
  // What the person typed over the saved settings (null: nothing yet, the saved ones show).
  const [edited, setForm] = useState<VendorSettings | null>(null);
  const form = edited ?? connection.data?.settings ?? null;
  const [token, setToken] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: () => api.saveVendorConnection(form as VendorSettings, token || null),
    onSuccess: (c) => {
      queryClient.setQueryData(["vendor-connection"], c);
      void queryClient.invalidateQueries({ queryKey: ["sync-status"] });
      setToken("");
      onInfo(
        c.settings.sandbox
          ? `Sandbox on: escalations go to the practice helpdesk, which answers like ${c.settings.vendor === "freshdesk" ? "Freshdesk" : "Zendesk"}.`
          : "Vendor connection saved.",
      );
    },
    onError: (e: Error) => (e instanceof BackendError && e.field ? undefined : onError(e.message)),
  });
  const test = useMutation({
    mutationFn: () => api.testVendorConnection(form as VendorSettings, token || null),
    onSuccess: (text) => setResult({ ok: true, text }),
    onError: (e: Error) => setResult({ ok: false, text: e.message }),
  });
  if (!form || !connection.data) return <div className="loading">Loading the vendor connection…</div>;
  const set = (patch: Partial<VendorSettings>) => {
    setForm({ ...form, ...patch });
    setResult(null);
  };
  const words = WORDS[form.vendor];
  const fieldError = (field: string) => (save.error instanceof BackendError && save.error.field === field ? save.error.message : null);
  return (
    <div className="page stack">
      <div className="page-header">
        <h1>Vendor connection</h1>
      </div>
      <form
        className="card stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Your vendor's helpdesk" htmlFor="vendor-kind">
          <select id="vendor-kind" className="input" value={form.vendor} onChange={(e) => set({ vendor: e.target.value as VendorKind })}>
            <option value="zendesk">Zendesk</option>
            <option value="freshdesk">Freshdesk</option>
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.sandbox} onChange={(e) => set({ sandbox: e.target.checked })} />
          Sandbox: practise with a built-in helpdesk that answers like a vendor (nothing leaves this computer)
        </label>
        {!form.sandbox && (
          <>
            <Field label={words.address} htmlFor="vendor-address" error={fieldError(words.address)}>
              <input id="vendor-address" className="input" placeholder={words.placeholder} value={form.address} onChange={(e) => set({ address: e.target.value })} />
            </Field>
            <Field
              label={words.email}
              htmlFor="vendor-email"
              error={fieldError(form.vendor === "freshdesk" ? "Requester e-mail" : "E-mail")}
              hint={words.emailHint}
            >
              <input id="vendor-email" className="input" type="email" value={form.email} onChange={(e) => set({ email: e.target.value })} />
            </Field>
            <Field
              label={words.secret}
              htmlFor="vendor-secret"
              hint={connection.data.settings.sandbox ? `Kept in the system keyring once you save.` : connection.data.token_place}
            >
              <input
                id="vendor-secret"
                className="input"
                type="password"
                autoComplete="off"
                placeholder={connection.data.token_saved ? "•••••••• (saved; type to replace)" : words.secretHint}
                value={token}
                onChange={(e) => {
                  setToken(e.target.value);
                  setResult(null);
                }}
              />
            </Field>
            {form.vendor === "zendesk" ? (
              <Field label="How your team uses the vendor's Zendesk" htmlFor="vendor-mode">
                <select id="vendor-mode" className="input" value={form.mode} onChange={(e) => set({ mode: e.target.value as VendorSettings["mode"] })}>
                  <option value="end_user">As end users (requests) — most partners</option>
                  <option value="agent">With agent seats (tickets)</option>
                </select>
              </Field>
            ) : (
              <Field
                label="Custom field for our issue id (optional)"
                htmlFor="vendor-id-field"
                error={fieldError("Custom field")}
                hint="If the vendor's admin made a text field for Frontline's issue id, its API name (such as cf_frontline_id). Every ticket names the issue in its text anyway."
              >
                <input id="vendor-id-field" className="input" placeholder="cf_frontline_id" value={form.id_field} onChange={(e) => set({ id_field: e.target.value })} />
              </Field>
            )}
          </>
        )}
        {result && (
          <div className={result.ok ? "tone-ok" : "tone-danger"} role={result.ok ? "status" : "alert"} data-testid="vendor-test-result">
            {result.text}
          </div>
        )}
        <div className="actions">
          <button className="btn primary" type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save and connect"}
          </button>
          {!form.sandbox && (
            <button className="btn" type="button" disabled={test.isPending || !form.address.trim()} onClick={() => test.mutate()}>
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
          )}
        </div>
      </form>
      <LadderEditor onError={onError} onInfo={onInfo} />
    </div>
  );
}
