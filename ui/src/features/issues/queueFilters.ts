// The queue's filters as the user sets them, and the query they turn into.
import type { IssueQuery, QueueSort, ReportSlice, Status } from "../../shared/bindings";

/** "open" (the default: anything not resolved or closed), "all", or one status. */
export type StatusFilter = "open" | "all" | Status;

export interface QueueFilters {
  status: StatusFilter;
  priority: string;
  clientId: string;
  search: string;
  sort: QueueSort;
  /** With a team hub: the whole team's issues, or only those this person logged or last worked on. */
  scope: "team" | "mine";
  /** The issues behind a figure clicked on the Reports page, and how that figure reads. */
  report: { slice: ReportSlice; label: string } | null;
}

export const DEFAULT_FILTERS: QueueFilters = {
  status: "open",
  priority: "",
  clientId: "",
  search: "",
  sort: "priority",
  scope: "team",
  report: null,
};

/** Rows fetched per request; the list asks for the pages its visible rows fall in. */
export const PAGE_SIZE = 100;

/** The query for one page of the queue; `open` is what the core counts as open work. */
export function toQuery(f: QueueFilters, page: number, open: Status[]): IssueQuery {
  const statuses: Status[] = f.status === "open" ? open : f.status === "all" ? [] : [f.status];
  return {
    statuses,
    priorities: f.priority ? [f.priority] : [],
    client_id: f.clientId || null,
    search: f.search.trim(),
    mine: f.scope === "mine",
    report: f.report?.slice,
    sort: f.sort,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** Whether two queries ask for the same rows (an absent field and a null one are alike). */
export function sameQuery(a: IssueQuery, b: IssueQuery): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof IssueQuery>;
  return [...keys].every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

/** The pages holding rows `first`..`last` (inclusive). */
export function pagesFor(first: number, last: number): number[] {
  if (last < first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) pages.push(p);
  return pages;
}

/** Whether any filter narrows the queue (to offer "Clear filters"). */
export function isFiltered(f: QueueFilters): boolean {
  return f.report !== null || f.scope !== "team" || f.status !== "open" || f.priority !== "" || f.clientId !== "" || f.search.trim() !== "";
}

/** A one-line description of what the queue shows, e.g. "Open · P1 · matching “login”". */
export function describe(f: QueueFilters, clientName?: string, statusLabel?: (s: Status) => string): string {
  const parts: string[] = [];
  if (f.scope === "mine") parts.push("Mine");
  parts.push(f.status === "open" ? "Open" : f.status === "all" ? "All" : (statusLabel?.(f.status) ?? f.status));
  if (f.priority) parts.push(f.priority);
  if (f.clientId) parts.push(clientName ?? "one client");
  if (f.search.trim()) parts.push(`matching “${f.search.trim()}”`);
  return parts.join(" · ");
}
