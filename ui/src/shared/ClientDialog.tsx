// Adding a client: from the clients list, or in the middle of logging an issue.
import { useState, type FormEvent } from "react";
import { api } from "./api";
import { BackendError } from "./backend";
import type { Client } from "./bindings";
import { Field, Modal } from "./widgets";

export function ClientDialog({ initialName = "", onDone, onCancel }: { initialName?: string; onDone: (c: Client) => void; onCancel: () => void }) {
  const [name, setName] = useState(initialName);
  const [contact, setContact] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError("Enter the client's company name.");
      return;
    }
    setBusy(true);
    try {
      onDone(await api.createClient({ name, contact }));
    } catch (err) {
      setError(err instanceof BackendError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy="client-dialog-title" onClose={onCancel}>
      <form className="stack" onSubmit={submit}>
        <h2 id="client-dialog-title">New client</h2>
        <Field label="Company name" htmlFor="client-name" error={error}>
          <input id="client-name" className="input" value={name} onChange={(e) => (setName(e.target.value), setError(null))} />
        </Field>
        <Field label="Contact" htmlFor="client-contact" hint="Who calls you, and how to reach them (optional).">
          <input id="client-contact" className="input" value={contact} onChange={(e) => setContact(e.target.value)} />
        </Field>
        <div className="form-foot">
          <button type="submit" className="btn primary" disabled={busy}>
            Add client
          </button>
          <button type="button" className="btn ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
