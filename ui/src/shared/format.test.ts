// Due times read the way a person says them, on either side of now.
import { describe, expect, it } from "vitest";
import { untilTime } from "./format";

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
