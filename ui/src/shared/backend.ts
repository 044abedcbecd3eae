// The one door to the app: commands, events and file drops (file dialogs are commands: the
// shell opens them, and only the paths they return may be named back). The Tauri
// implementation is behind an interface so UI tests can run without the app.
import { convertFileSrc, invoke as tauriInvoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import type { ErrorCode, Failure } from "./bindings";
import type { Events } from "./contract";

export interface Backend {
  invoke<T>(command: string, args?: InvokeArgs, headers?: Record<string, string>): Promise<T>;
  /** Follows one of the shell's events (names and payloads: the generated contract). */
  listen<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<() => void>;
  onFileDrop(handler: (event: FileDrop) => void): Promise<() => void>;
  /** A URL the webview may load a local file from (attachment previews). */
  fileUrl(path: string): string;
}

export type FileDrop = { kind: "over" } | { kind: "leave" } | { kind: "drop"; paths: string[] };

/** A failed command: the code to branch on, the message to show, the form field it concerns. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;
  constructor(failure: Failure) {
    super(failure.message);
    this.code = failure.code;
    this.field = failure.field;
  }
}

function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

export const tauriBackend: Backend = {
  async invoke<T>(command: string, args?: InvokeArgs, headers?: Record<string, string>) {
    try {
      return await tauriInvoke<T>(command, args, headers ? { headers } : undefined);
    } catch (e) {
      if (isFailure(e)) throw new BackendError(e);
      throw new BackendError({ code: "database", message: String(e), field: null });
    }
  },
  async listen<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void) {
    return tauriListen<Events[E]>(event, (e) => handler(e.payload));
  },
  fileUrl(path: string) {
    return convertFileSrc(path);
  },
  async onFileDrop(handler) {
    return getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "over" || p.type === "enter") handler({ kind: "over" });
      else if (p.type === "leave") handler({ kind: "leave" });
      else if (p.type === "drop") handler({ kind: "drop", paths: p.paths });
    });
  },
};

let current: Backend = tauriBackend;

/** The backend in use (tests install their own). */
export function backend(): Backend {
  return current;
}

export function setBackend(b: Backend) {
  current = b;
}
