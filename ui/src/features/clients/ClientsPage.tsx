// The partner's clients, with how many issues each has open.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Client } from "../../shared/bindings";
import { ClientDialog } from "../../shared/ClientDialog";
import { count } from "../../shared/format";

export function ClientsPage({ clients, onShowIssues }: { clients: Client[]; onShowIssues: (clientId: string) => void }) {
  const [adding, setAdding] = useState(false);
  const queryClient = useQueryClient();
  return (
    <div className="page">
      <div className="page-header">
        <h1>Clients</h1>
        <span className="count">{count(clients.length, "client", "clients")}</span>
        <div className="spacer" />
        <button className="btn primary" onClick={() => setAdding(true)}>
          New client
        </button>
      </div>
      {clients.length === 0 ? (
        <div className="card empty">
          <strong>No clients yet.</strong>
          <span>Add the companies whose issues you handle.</span>
          <button className="btn primary" onClick={() => setAdding(true)}>
            Add a client
          </button>
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Client</th>
              <th>Contact</th>
              <th>Open issues</th>
              <th>All issues</th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id} className="row-linked">
                <td>
                  <button type="button" className="row-link" onClick={() => onShowIssues(c.id)} aria-label={`${c.name}: show the issues`}>
                    <strong>{c.name}</strong>
                  </button>
                </td>
                <td className="muted">{c.contact || "—"}</td>
                <td>{c.open_issues}</td>
                <td>{c.total_issues}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && (
        <ClientDialog
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            void queryClient.invalidateQueries({ queryKey: ["clients"] });
          }}
        />
      )}
    </div>
  );
}
