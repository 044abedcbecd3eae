// Due times read the way a person says them, on either side of now.
import { describe, expect, it } from "vitest";
import { grouped, untilTime } from "./format";

describe("untilTime", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  it.each([
    ["2026-11-26T10:00:20Z", "now"],
    ["2026-11-26T10:30:00Z", "in 30 min"],
    ["2026-11-26T13:00:00Z", "in 3 h"],
    ["2026-11-30T10:00:00Z", "in 4 days"],
    ["2026-11-26T09:15:00Z", "45 min ago"],
    ["2026-11-25T10:00:00Z", "24 h ago"],
  ])("%s reads %s", (iso, words) => {
    expect(untilTime(iso, now)).toBe(words);
  });
});

describe("grouped", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [100000, "100,000"],
    [1234567, "1,234,567"],
    [-12345, "-12,345"],
    [1234.5, "1,234.5"],
  ])("%d reads %s, as en-US does", (n, words) => {
    expect(grouped(n)).toBe(words);
    expect(grouped(n)).toBe(n.toLocaleString("en-US"));
  });
});
