// The issue queue: filters, full-text search, and a virtualised list that stays smooth with
// 100,000 issues (only the pages of rows on screen are fetched and rendered).
import { useQueries, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from "react";
import { api } from "../../shared/api";
import type { Client, FieldOptions, IssueRow, Status } from "../../shared/bindings";
import { count, grouped, relativeTime } from "../../shared/format";
import { mark, reportPainted, useFirstPaint } from "../../shared/startup";
import { PriorityBadge, StatusBadge, statusLabel, useDebounced } from "../../shared/widgets";
import { DEFAULT_FILTERS, PAGE_SIZE, describe, isFiltered, pagesFor, toQuery, type QueueFilters } from "./queueFilters";

const ROW_HEIGHT = 48;
/** The page's height above and below the list (header, filters, column headings, padding) at
 * their usual single line: the list's height before it has been measured. */
const AROUND_THE_LIST = 186;
let reportedReady = false;
let committedRows = false;

/** The first frame's rows (before the list has been measured): the top of the list, as many as
 * its height shows and one more. One layout and paint at start instead of an empty list and
 * then the rows (~100 ms at start on a slow machine); none below the fold to lay out and take
 * away again (18 rows and then 14 at 1280×820 when this was the window's height). */
export function topOfList(total: number, height: number) {
  const rows = Math.min(total, Math.ceil(height / ROW_HEIGHT) + 1);
  return Array.from({ length: rows }, (_, index) => ({ key: index, index, start: index * ROW_HEIGHT }));
}

export function Queue(props: {
  filters: QueueFilters;
  onFilters: (f: QueueFilters) => void;
  options: FieldOptions;
  clients: Client[];
  searchRef: RefObject<HTMLInputElement | null>;
  onOpen: (id: string) => void;
  onNew: () => void;
  /** A team hub is set up: offer the Mine / Team scope and show who logged and works on each issue. */
  team: boolean;
}) {
  const { filters, onFilters, options, clients, searchRef, onOpen, onNew, team } = props;
  const settled = useDebounced(filters, 120);
  const set = (patch: Partial<QueueFilters>) => onFilters({ ...filters, ...patch });

  const first = useQuery({
    queryKey: ["issues", settled, 0],
    queryFn: () => api.listIssues(toQuery(settled, 0, options.open_statuses)),
    placeholderData: (prev) => prev,
    // As the other pages: the page main.tsx fetched before React is not fetched again at mount
    // (changes invalidate it anyway).
    staleTime: 5_000,
  });
  const total = first.data?.total ?? 0;
  // Before the browser lays out and paints the first rows: React's part of the start ends here.
  useLayoutEffect(() => {
    if (first.isSuccess && !committedRows) {
      committedRows = true;
      mark("rows committed");
    }
  }, [first.isSuccess]);
  useEffect(() => {
    if (first.isSuccess && !reportedReady) {
      reportedReady = true;
      mark("page");
      // A frame callback runs before that frame's layout and paint: the task after it runs once
      // the rows are laid out and painted (reported from the callback itself, the figure left
      // out 9 ms of that work). The bare window of `make bench` reports the same way.
      requestAnimationFrame(() => setTimeout(reportPainted, 0));
    }
  }, [first.isSuccess]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const painted = useFirstPaint();
  const listHeight = Math.max(window.innerHeight - AROUND_THE_LIST, ROW_HEIGHT);
  // The virtualizer keeps its own mutable state; this app does not run the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // It starts once the first frame has painted: that frame shows the top of the list, which
    // needs no measuring, while the virtualizer's first pass sizes every row (7-10 ms at
    // 100,000 issues) and measures the list (a layout before the first frame).
    enabled: painted,
    // Rows beyond the visible ones keep fast scrolling smooth.
    overscan: 12,
    initialRect: { width: 0, height: listHeight },
    // Where the list already is when it takes over: a scroll made on the first frame stays
    // (it would put the list back at the top).
    initialOffset: () => scrollRef.current?.scrollTop ?? 0,
  });
  const items = painted ? virtualizer.getVirtualItems() : topOfList(total, listHeight);
  const wanted = items.length ? pagesFor(items[0].index, items[items.length - 1].index).filter((p) => p > 0) : [];
  const pages = useQueries({
    queries: wanted.map((page) => ({
      queryKey: ["issues", settled, page],
      queryFn: () => api.listIssues(toQuery(settled, page, options.open_statuses)),
      staleTime: 5_000,
    })),
  });
  const rowAt = (index: number): IssueRow | undefined => {
    const page = Math.floor(index / PAGE_SIZE);
    const data = page === 0 ? first.data : pages[wanted.indexOf(page)]?.data;
    return data?.rows[index - page * PAGE_SIZE];
  };

  const clientName = clients.find((c) => c.id === filters.clientId)?.name;
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, id: string) => {
    if (e.key === "Enter") onOpen(id);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const sibling = e.key === "ArrowDown" ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
      (sibling as HTMLElement | null)?.focus();
    }
  };

  return (
    <div className={`page queue-page${team ? " team" : ""}`}>
      <div className="page-header">
        <h1>Issue queue</h1>
        <span className="count" data-testid="queue-count">
          {first.isSuccess ? (first.data.total_capped ? `${grouped(total)}+ issues` : count(total, "issue", "issues")) : "Loading…"} · {describe(filters, clientName, statusLabel)}
        </span>
        <div className="spacer" />
        <button className="btn primary" onClick={onNew}>
          New issue <span className="kbd">N</span>
        </button>
      </div>
      <div className="filters">
        {filters.report && (
          <span className="chip" data-testid="report-filter">
            From the report: {filters.report.label}
            <button className="chip-close" aria-label="Show all issues, not only those from the report" onClick={() => set({ report: null })}>
              ×
            </button>
          </span>
        )}
        {team && (
          <div className="segmented" role="group" aria-label="Whose issues">
            <button className="seg" aria-pressed={filters.scope === "mine"} onClick={() => set({ scope: "mine" })}>
              Mine
            </button>
            <button className="seg" aria-pressed={filters.scope === "team"} onClick={() => set({ scope: "team" })}>
              Team
            </button>
          </div>
        )}
        <div className="search">
          <svg className="search-icon" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10 10l4.5 4.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          <input
            ref={searchRef}
            className="input"
            type="search"
            placeholder="Search title, description or client"
            aria-label="Search issues"
            value={filters.search}
            onChange={(e) => set({ search: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                set({ search: "" });
                e.currentTarget.blur();
              }
              if (e.key === "ArrowDown") (scrollRef.current?.querySelector(".queue-row") as HTMLElement | null)?.focus();
            }}
          />
          {!filters.search && <span className="kbd">/</span>}
        </div>
        <select className="select" aria-label="Status" value={filters.status} onChange={(e) => set({ status: e.target.value as QueueFilters["status"] })}>
          <option value="open">Open issues</option>
          <option value="all">All issues</option>
          {options.statuses.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
        <select className="select" aria-label="Priority" value={filters.priority} onChange={(e) => set({ priority: e.target.value })}>
          <option value="">Any priority</option>
          {options.priorities.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <select className="select" aria-label="Client" value={filters.clientId} onChange={(e) => set({ clientId: e.target.value })}>
          <option value="">All clients</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select className="select" aria-label="Sort" value={filters.sort} onChange={(e) => set({ sort: e.target.value as QueueFilters["sort"] })}>
          <option value="priority">Priority first</option>
          <option value="updated">Recently updated</option>
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
          <option value="breach">Time to breach</option>
        </select>
        {isFiltered(filters) && (
          <button className="btn ghost" onClick={() => onFilters(DEFAULT_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
      {first.data?.total_capped && (
        <div className="hint-bar" role="status">
          Showing the first {grouped(total)} matches. Add a word or a filter to narrow the search.
        </div>
      )}
      <div className="queue" role="grid" aria-label="Issues" aria-rowcount={total + 1}>
        <div role="rowgroup">
          <div className="queue-head" role="row" aria-rowindex={1}>
            <span role="columnheader">Issue</span>
            <span role="columnheader">Prio</span>
            <span role="columnheader">Title</span>
            <span role="columnheader">Client</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Updated</span>
            {team && <span role="columnheader">People</span>}
          </div>
        </div>
        {first.isError ? (
          <div className="empty" role="alert">
            <strong>The queue could not be loaded.</strong>
            <span>{first.error.message}</span>
            <button className="btn" onClick={() => first.refetch()}>
              Try again
            </button>
          </div>
        ) : first.isSuccess && total === 0 ? (
          <div className="empty">
            {isFiltered(filters) ? (
              <>
                <strong>No issues match.</strong>
                <span>Try other words, or clear the filters.</span>
              </>
            ) : (
              <>
                <strong>No open issues.</strong>
                <span>When a client calls, log it here.</span>
                <button className="btn primary" onClick={onNew}>
                  Log an issue
                </button>
              </>
            )}
          </div>
        ) : (
          <div className="queue-scroll" ref={scrollRef}>
            <div role="rowgroup" style={{ height: painted ? virtualizer.getTotalSize() : total * ROW_HEIGHT, position: "relative" }}>
              {items.map((item) => {
                const row = rowAt(item.index);
                const style = { transform: `translateY(${item.start}px)` };
                if (!row)
                  return (
                    <div key={item.key} className="queue-row skeleton" style={style} aria-hidden>
                      <span className="bar" />
                      <span className="bar" />
                      <span className="bar" />
                      <span className="bar" />
                      <span className="bar" />
                      <span className="bar" />
                    </div>
                  );
                return (
                  <div
                    key={item.key}
                    className="queue-row"
                    role="row"
                    aria-rowindex={item.index + 2}
                    tabIndex={0}
                    style={style}
                    data-issue-key={row.key}
                    onClick={() => onOpen(row.id)}
                    onKeyDown={(e) => onRowKey(e, row.id)}
                  >
                    <span role="gridcell" className="mono">
                      {row.key}
                    </span>
                    <span role="gridcell">
                      <PriorityBadge priority={row.priority} />
                    </span>
                    <span role="gridcell" className="title" title={row.title}>
                      {row.title}
                    </span>
                    <span role="gridcell" className="client">
                      {row.client_name}
                    </span>
                    <span role="gridcell">
                      <StatusBadge status={row.status as Status} />
                    </span>
                    <span role="gridcell" className="faint" title={row.updated_at}>
                      {relativeTime(row.updated_at)}
                    </span>
                    {team && (
                      <span role="gridcell" className="people" title={`Logged by ${row.created_by}; last worked on by ${row.updated_by}`}>
                        {row.created_by === row.updated_by ? row.created_by : `${row.created_by} → ${row.updated_by}`}
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
