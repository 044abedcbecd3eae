import { describe as suite, expect, it } from "vitest";
import type { IssueQuery, Status } from "../../shared/bindings";
import { DEFAULT_FILTERS, PAGE_SIZE, describe, isFiltered, pagesFor, sameQuery, toQuery } from "./queueFilters";

const OPEN: Status[] = ["new", "in_progress", "waiting_on_client", "escalated"];

suite("queue filters", () => {
  it("shows open issues by priority by default", () => {
    const q = toQuery(DEFAULT_FILTERS, 0, OPEN);
    expect(q.statuses).toEqual(OPEN);
    expect(q.priorities).toEqual([]);
    expect(q.client_id).toBeNull();
    expect(q.sort).toBe("priority");
    expect(q.offset).toBe(0);
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
  });

  it("'all' drops the status filter and one status narrows to it", () => {
    expect(toQuery({ ...DEFAULT_FILTERS, status: "all" }, 0, OPEN).statuses).toEqual([]);
    expect(toQuery({ ...DEFAULT_FILTERS, status: "escalated" }, 0, OPEN).statuses).toEqual(["escalated"]);
  });

  it("passes priority, client and trimmed search, and counts offsets in pages", () => {
    const f = { ...DEFAULT_FILTERS, priority: "P1", clientId: "c-1", search: "  cant login  " };
    const q = toQuery(f, 3, OPEN);
    expect(q.priorities).toEqual(["P1"]);
    expect(q.client_id).toBe("c-1");
    expect(q.search).toBe("cant login");
    expect(q.offset).toBe(3 * PAGE_SIZE);
    expect(q.limit).toBe(PAGE_SIZE);
    expect(isFiltered(f)).toBe(true);
  });

  it("uses the shell's first page only when it answers the queue's own first query", () => {
    // As the shell sends it (serde writes absent options as null).
    const shell = { statuses: OPEN, priorities: [], client_id: null, search: "", mine: false, report: null, sort: "priority", offset: 0, limit: PAGE_SIZE } as unknown as IssueQuery;
    expect(sameQuery(shell, toQuery(DEFAULT_FILTERS, 0, OPEN))).toBe(true);
    expect(sameQuery({ ...shell, sort: "newest" }, toQuery(DEFAULT_FILTERS, 0, OPEN))).toBe(false);
    expect(sameQuery({ ...shell, statuses: [] }, toQuery(DEFAULT_FILTERS, 0, OPEN))).toBe(false);
    expect(sameQuery({ ...shell, limit: 50 }, toQuery(DEFAULT_FILTERS, 0, OPEN))).toBe(false);
    expect(sameQuery(shell, toQuery({ ...DEFAULT_FILTERS, scope: "mine" }, 0, OPEN))).toBe(false);
  });

  it("asks only for the pages the visible rows fall in", () => {
    expect(pagesFor(0, 20)).toEqual([0]);
    expect(pagesFor(95, 130)).toEqual([0, 1]);
    expect(pagesFor(99_950, 99_999)).toEqual([999]);
    expect(pagesFor(5, 4)).toEqual([]);
  });

  it("describes what the queue shows in words", () => {
    expect(describe({ ...DEFAULT_FILTERS, priority: "P1", search: "login" }, undefined)).toBe("Open · P1 · matching “login”");
    expect(describe({ ...DEFAULT_FILTERS, status: "all", clientId: "x" }, "Acme")).toBe("All · Acme");
  });
});
