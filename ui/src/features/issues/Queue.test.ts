import { describe, expect, it } from "vitest";
import { topOfList } from "./Queue";

describe("the queue's first frame", () => {
  it("shows the top rows the list's height holds, and one more, each at its place", () => {
    const rows = topOfList(100_000, 609);
    expect(rows.map((r) => r.index)).toEqual([...Array(14).keys()]);
    expect(rows[13].start).toBe(13 * 48);
  });

  it("never shows more rows than there are", () => {
    expect(topOfList(3, 609).map((r) => r.index)).toEqual([0, 1, 2]);
    expect(topOfList(0, 609)).toEqual([]);
  });
});
