// The team hub's state in the sidebar, under the vendor's: online or not, this desktop's events
// waiting, refusals, a catch-up's progress, when it last synced. Each update refreshes what
// teammates' events changed (the queue, open issues, the desk, who is signed in) when the
// worker says `team-changed`.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../shared/api";
import { backend } from "../../shared/backend";
import { usePushedState } from "../../shared/pushed";
import type { HubStatus } from "../../shared/bindings";
import { grouped, relativeTime } from "../../shared/format";

export function useHubStatus() {
  const queryClient = useQueryClient();
  const status = usePushedState("hub", api.hubStatus);
  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .listen("team-changed", () => {
        for (const key of ["issues", "issue", "desk", "team-info", "app-info"]) void queryClient.invalidateQueries({ queryKey: [key] });
      })
      .then((u) => (stop = u));
    return () => stop?.();
  }, [queryClient]);
  return status;
}

function headline(s: HubStatus): { text: string; tone: "ok" | "warn" | "danger" | "muted" } {
  if (s.catching_up !== null) return { text: `Catching up · ${grouped(s.catching_up)} events`, tone: "ok" };
  if (s.online === false) return { text: s.waiting > 0 ? `Team hub offline · ${s.waiting} waiting` : "Team hub offline", tone: "warn" };
  if (s.online === null) return { text: "Team hub · connecting…", tone: "muted" };
  if (s.waiting > 0) return { text: `Team hub · sharing ${s.waiting}`, tone: "ok" };
  return { text: "Team hub · up to date", tone: "ok" };
}

export function HubIndicator({ onOpenSettings }: { onOpenSettings: () => void }) {
  const s = useHubStatus();
  if (!s) return null;
  if (!s.configured)
    return (
      <div className="sync" data-testid="hub-status">
        <button className="link-button" onClick={onOpenSettings}>
          Connect to a team hub
        </button>
      </div>
    );
  const h = headline(s);
  return (
    <div className="sync" data-testid="hub-status" aria-live="polite">
      <div className={`sync-line tone-${h.tone}`}>
        <span className="sync-dot" aria-hidden /> {h.text}
      </div>
      {s.catching_up !== null && <progress aria-label="Catching up with the team" />}
      {s.refused > 0 && <span className="tone-danger">{s.refused} refused by the hub — see the issues</span>}
      {s.last_error && <span className="faint" data-testid="hub-error">{s.last_error}</span>}
      {s.last_synced && <span className="faint">Last synced {relativeTime(s.last_synced)}</span>}
      <div className="actions">
        <button className="link-button" onClick={() => void api.hubSyncNow()}>
          Sync team now
        </button>
        <button className="link-button" onClick={onOpenSettings}>
          Team hub
        </button>
      </div>
    </div>
  );
}
