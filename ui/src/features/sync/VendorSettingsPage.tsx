// The vendor connection: the sandbox switch, or a Zendesk address, e-mail, API token (kept in
// the system keyring) and which API the account may use.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import type { VendorSettings } from "../../shared/bindings";
import { LadderEditor } from "./LadderEditor";

export function VendorSettingsPage({ onError, onInfo }: { onError: (m: string) => void; onInfo: (m: string) => void }) {
  const queryClient = useQueryClient();
  const connection = useQuery({ queryKey: ["vendor-connection"], queryFn: api.vendorConnection });
  // What the person typed over the saved settings (null: nothing yet, the saved ones show).
  const [edited, setForm] = useState<VendorSettings | null>(null);
  const form = edited ?? connection.data?.settings ?? null;
  const [token, setToken] = useState("");
  const save = useMutation({
    mutationFn: () => api.saveVendorConnection(form as VendorSettings, token || null),
    onSuccess: (c) => {
      queryClient.setQueryData(["vendor-connection"], c);
      void queryClient.invalidateQueries({ queryKey: ["sync-status"] });
      setToken("");
      onInfo(c.settings.sandbox ? "Sandbox on: escalations go to the practice helpdesk." : "Vendor connection saved.");
    },
    onError: (e: Error) => onError(e.message),
  });
  if (!form || !connection.data) return <div className="loading">Loading the vendor connection…</div>;
  const set = (patch: Partial<VendorSettings>) => setForm({ ...form, ...patch });
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
        <label className="check">
          <input type="checkbox" checked={form.sandbox} onChange={(e) => set({ sandbox: e.target.checked })} />
          Sandbox: practise with a built-in helpdesk that answers like a vendor (nothing leaves this computer)
        </label>
        {!form.sandbox && (
          <>
            <div className="field">
              <label htmlFor="zd-address">Zendesk address</label>
              <input id="zd-address" className="input" placeholder="acme  (for acme.zendesk.com)" value={form.address} onChange={(e) => set({ address: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="zd-email">Your Zendesk e-mail</label>
              <input id="zd-email" className="input" type="email" value={form.email} onChange={(e) => set({ email: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="zd-token">API token</label>
              <input
                id="zd-token"
                className="input"
                type="password"
                autoComplete="off"
                placeholder={connection.data.token_saved ? "•••••••• (saved; type to replace)" : "Paste the token from Zendesk"}
                value={token}
                onChange={(e) => setToken(e.target.value)}
              />
              <span className="hint">{connection.data.token_place}</span>
            </div>
            <div className="field">
              <label htmlFor="zd-mode">How your team uses the vendor's Zendesk</label>
              <select id="zd-mode" className="input" value={form.mode} onChange={(e) => set({ mode: e.target.value as VendorSettings["mode"] })}>
                <option value="end_user">As end users (requests) — most partners</option>
                <option value="agent">With agent seats (tickets)</option>
              </select>
            </div>
          </>
        )}
        <div>
          <button className="btn primary" type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save and connect"}
          </button>
        </div>
      </form>
      <LadderEditor onError={onError} onInfo={onInfo} />
    </div>
  );
}
