// Start-up timings (ms since the page started loading), sent to the log once the queue has
// painted so a slow start can be diagnosed from the log file.
const marks: string[] = [];

export function mark(name: string) {
  marks.push(`${name} ${performance.now().toFixed(0)}`);
}

export function startupTimings(): string {
  return marks.join(", ");
}
