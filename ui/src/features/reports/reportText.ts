// How report figures read: rates as percentages, durations in plain units, periods and weeks as
// dates people say, and the words that name a figure behind a click.
import type { Figures, Measure, Period } from "../../shared/bindings";
import { grouped } from "../../shared/format";

/** "60%", or "—" when there is nothing to divide by (never NaN). */
export function percent(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}

/** "3 of 5", the figure's parts. */
export function ofWhole(part: number, whole: number): string {
  return `${grouped(part)} of ${grouped(whole)}`;
}

/** Minutes as people say them: "45 min", "6.5 h", "2.8 days"; "—" when none were measured. */
export function duration(minutes: number | null): string {
  if (minutes === null) return "—";
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${trim(hours)} h`;
  return `${trim(hours / 24)} days`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, "");
}

/** "23 Mar" from a local date "2026-03-23" (read as a calendar day, not an instant). */
export function day(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

/** "23 Mar – 5 Apr 2026". */
export function span(from: string, to: string): string {
  return `${day(from)} – ${day(to)} ${to.slice(0, 4)}`;
}

export const PERIODS: { kind: Exclude<Period["kind"], "custom">; label: string }[] = [
  { kind: "this_week", label: "This week" },
  { kind: "last_four_weeks", label: "Last 4 weeks" },
  { kind: "this_quarter", label: "This quarter" },
];

export const MEASURE_WORDS: Record<Measure, string> = {
  logged: "Logged",
  resolved: "Resolved",
  first_line: "Resolved at the first line",
  escalated: "Escalated",
  breached: "SLA broken",
  open: "Open",
};

/** What the queue shows when a figure was clicked: "Resolved at the first line · week of 23 Mar · Acme". */
export function sliceLabel(measure: Measure, parts: (string | null | undefined)[]): string {
  return [MEASURE_WORDS[measure], ...parts.filter((p): p is string => !!p)].join(" · ");
}

/** Whether a slice of figures has anything to show. */
export function hasAny(f: Figures): boolean {
  return f.logged + f.resolved + f.escalated > 0;
}
