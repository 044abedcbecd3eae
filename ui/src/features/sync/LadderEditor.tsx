// The escalation ladder as a file: see and edit the one in use (a copy is kept in the data
// folder and used at once), import one a lead sent, export it to share.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";

export function LadderEditor({ onError, onInfo }: { onError: (m: string) => void; onInfo: (m: string) => void }) {
  const queryClient = useQueryClient();
  const text = useQuery({ queryKey: ["ladder-text"], queryFn: api.ladderText });
  const team = useQuery({ queryKey: ["team"], queryFn: api.teamInfo, staleTime: Infinity });
  // Its rules bind the agents, so only a lead changes it (the core refuses anyone else).
  const lead = team.data?.role === "lead";
  // An edit counts over the text it was made on: once the saved ladder changes, it is gone.
  const [edit, setEdit] = useState<{ over: string | undefined; text: string } | null>(null);
  const draft = edit && edit.over === text.data ? edit.text : null;
  const done = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: ["ladder-text"] });
    void queryClient.invalidateQueries({ queryKey: ["team"] });
    void queryClient.invalidateQueries({ queryKey: ["issue"] });
    onInfo(message);
  };
  const save = useMutation({
    mutationFn: () => api.saveLadder(draft ?? text.data ?? ""),
    onSuccess: (l) => done(`Ladder "${l.name}" saved; it is used from now on.`),
    onError: (e: Error) => onError(e.message),
  });
  const importFile = async () => {
    const [path] = await api.chooseFiles("ladder");
    if (!path) return;
    try {
      const l = await api.importLadder(path);
      done(`Ladder "${l.name}" imported.`);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  const exportFile = async () => {
    const path = await api.chooseSavePath("ladder.toml");
    if (!path) return;
    try {
      await api.exportLadder(path);
      onInfo(`Exported to ${path}.`);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="card stack narrow" data-testid="ladder-editor">
      <h2>Escalation ladder</h2>
      <p className="muted">
        The vendor's ladder as a file: rungs in order, who to contact, how and when, and the rules Frontline enforces (chase first,
        lead only, critical only).{" "}
        {lead ? "Edit it here, or import a ladder file." : "Your team lead changes it; you can read and export it here."}
      </p>
      <textarea
        className="textarea code"
        rows={16}
        spellCheck={false}
        aria-label="Ladder file"
        readOnly={!lead}
        value={draft ?? text.data ?? ""}
        onChange={(e) => setEdit({ over: text.data, text: e.target.value })}
      />
      <div className="actions">
        {lead && (
          <>
            <button className="btn primary" disabled={draft === null || save.isPending} onClick={() => save.mutate()}>
              Save ladder
            </button>
            <button className="btn" onClick={() => void importFile()}>
              Import…
            </button>
          </>
        )}
        <button className="btn" onClick={() => void exportFile()}>
          Export…
        </button>
      </div>
    </div>
  );
}
