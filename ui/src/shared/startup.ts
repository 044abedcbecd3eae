import { useEffect, useState } from "react";
import { api } from "./api";

// Start-up timings (ms since the page started loading), sent to the log once the queue has
// painted so a slow start can be diagnosed from the log file.
const marks: string[] = [];

export function mark(name: string) {
  marks.push(`${name} ${performance.now().toFixed(0)}`);
}

export function startupTimings(): string {
  return marks.join(", ");
}

/** The longest work waits for the first paint (a queue that failed to load never paints). */
const PAINT_PATIENCE_MS = 3_000;

let painted: () => void = () => undefined;
/** Resolves once the first screen (the queue with its rows) has painted, or after
 * PAINT_PATIENCE_MS: work that can wait for it (loading the code of the other pages) waits for this. */
export const firstPaint = new Promise<void>((resolve) => {
  painted = resolve;
  setTimeout(resolve, PAINT_PATIENCE_MS);
});

/** False until the first screen has painted: a query that can wait (the clients list, a
 * thousand options in the queue's filter) waits for it, out of the first frame. */
export function useFirstPaint(): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    void firstPaint.then(() => setDone(true));
  }, []);
  return done;
}

/** The queue calls this once the frame with its first rows has been laid out and painted: the
 * timings go to the log and the shell starts the work that waited for the first paint. */
export function reportPainted() {
  mark("painted");
  painted();
  void api.uiReady(startupTimings()).catch(() => undefined);
}
