// How dates and sizes read in the UI.

// Made on first use and kept: a formatter costs far more to make than to use, and the queue
// formats a date on every row older than a week.
let shortDate: Intl.DateTimeFormat | undefined;

/** "3 min ago", "yesterday", or a date, relative to `now`. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  shortDate ??= new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
  return shortDate.format(then);
}

/** "in 3 h", "in 2 days", "5 min ago": a due time relative to `now`, either side. */
export function untilTime(iso: string, now: Date = new Date()): string {
  const minutes = Math.round((new Date(iso).getTime() - now.getTime()) / 60000);
  if (Number.isNaN(minutes)) return "";
  const span = Math.abs(minutes);
  const words =
    span < 1 ? "now" : span < 60 ? `${span} min` : span < 48 * 60 ? `${Math.round(span / 60)} h` : `${Math.round(span / 1440)} days`;
  if (span < 1) return "now";
  return minutes > 0 ? `in ${words}` : `${words} ago`;
}

/** Full local date and time, for tooltips and the timeline. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}

/** A whole number with thousands separators, "12,345". Written out rather than
 * `toLocaleString`: the first call to Intl loads ICU's data, 6-14 ms of the first screen. */
export function grouped(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split(".");
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  return `${n < 0 ? "-" : ""}${digits}${fraction === undefined ? "" : `.${fraction}`}`;
}

export function count(n: number, one: string, many: string): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}
