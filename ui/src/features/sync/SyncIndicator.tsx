// The sync state in the sidebar: online or not, what is queued, the last error, a catch-up's
// progress, and "Sync now". Each update also refreshes open issues (ticket numbers, replies).
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../shared/api";
import { usePushedState } from "../../shared/pushed";
import type { SyncStatus } from "../../shared/bindings";
import { relativeTime } from "../../shared/format";

export function useSyncStatus() {
  const queryClient = useQueryClient();
  return usePushedState("sync", api.syncStatus, () => void queryClient.invalidateQueries({ queryKey: ["issue"] }));
}

function headline(s: SyncStatus): { text: string; tone: "ok" | "warn" | "danger" | "muted" } {
  if (!s.configured) return { text: "Working offline · no vendor connected", tone: "muted" };
  if (s.paused) return { text: "Sync paused", tone: "danger" };
  if (s.intercepted) return { text: `Waiting for the network · ${s.queued} queued`, tone: "warn" };
  if (s.online === false) return { text: `Offline · ${s.queued} queued`, tone: "warn" };
  if (s.catch_up) return { text: `Sending ${s.catch_up.done} of ${s.catch_up.total}`, tone: "ok" };
  if (s.queued > 0) return { text: `Sending · ${s.queued} queued`, tone: "ok" };
  return { text: s.online ? "Up to date" : "Connecting…", tone: "ok" };
}

export function SyncIndicator({ onOpenSettings }: { onOpenSettings: () => void }) {
  const s = useSyncStatus();
  const [quiet, setQuiet] = useState(false);
  if (!s) return null;
  const h = headline(s);
  return (
    <div className="sync" data-testid="sync-status" aria-live="polite">
      <div className={`sync-line tone-${h.tone}`}>
        <span className="sync-dot" aria-hidden /> {h.text}
        {s.sandbox && <span className="badge">Sandbox</span>}
      </div>
      {s.catch_up && (
        <progress max={s.catch_up.total} value={s.catch_up.done} aria-label="Catch-up progress" />
      )}
      {s.parked > 0 && <span className="tone-danger">{s.parked} refused by the vendor — see the issues</span>}
      {s.paused && <span className="tone-danger">{s.paused}</span>}
      {!s.paused && s.intercepted && (
        <span className="tone-warn" data-testid="sync-intercepted">
          {s.intercepted}
        </span>
      )}
      {!s.paused && !s.intercepted && s.last_error && s.online === false && <span className="faint">{s.last_error}</span>}
      {s.last_success && <span className="faint">Last sent {relativeTime(s.last_success)}</span>}
      <div className="actions">
        {s.configured && (
          <button className="link-button" onClick={() => void api.syncNow()}>
            Sync now
          </button>
        )}
        <button
          className="link-button"
          title="Hold desktop notifications until you turn them back on"
          onClick={() => {
            void api.setDoNotDisturb(!quiet);
            setQuiet(!quiet);
          }}
        >
          {quiet ? "Unmute notifications" : "Mute notifications"}
        </button>
        <button className="link-button" onClick={onOpenSettings}>
          {s.configured ? "Vendor connection" : "Connect a vendor"}
        </button>
      </div>
    </div>
  );
}
