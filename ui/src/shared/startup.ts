import { useEffect, useState } from "react";

// Start-up timings (ms since the page started loading), sent to the log once the queue has
// painted so a slow start can be diagnosed from the log file.
const marks: string[] = [];

export function mark(name: string) {
  marks.push(`${name} ${performance.now().toFixed(0)}`);
}

export function startupTimings(): string {
  return marks.join(", ");
}

let painted: () => void = () => undefined;
/** Resolves once the first screen (the queue with its rows) has painted: work that can wait for
 * it (loading the code of the other pages) waits for this. */
export const firstPaint = new Promise<void>((resolve) => {
  painted = resolve;
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

/** The queue calls this on the frame after its first rows. */
export function reportPainted() {
  mark("painted");
  painted();
}
