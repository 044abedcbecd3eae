// What the timeline says when two desktops escalated one issue apart from the team hub.
import { describe, expect, it } from "vitest";
import { describeEvent } from "./IssuePage";

describe("a hand-over to the teammate who escalated first", () => {
  it("names the owner, what went there, the files that stayed and the copy closed", () => {
    const text = describeEvent({
      kind: "vendor_handed_over",
      owner: "ana",
      operations: 2,
      files_kept: ["trace.log"],
      copy_ticket_id: 7,
      ticket_id: 6,
    });
    expect(text).toContain("ana escalated this first");
    expect(text).toContain("2 vendor operations go through it from here");
    expect(text).toContain("trace.log stayed here");
    expect(text).toContain("ticket #7 opened from here is closed as a copy of #6");
  });

  it("says nothing of a copy when this desktop opened none", () => {
    const text = describeEvent({
      kind: "vendor_handed_over",
      owner: "ana",
      operations: 1,
      files_kept: [],
      copy_ticket_id: null,
      ticket_id: null,
    });
    expect(text).toContain("1 vendor operation goes through it from here");
    expect(text).not.toContain("copy");
  });
});
