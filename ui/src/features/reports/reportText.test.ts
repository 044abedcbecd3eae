import { describe, expect, it } from "vitest";
import { day, duration, percent, sliceLabel, span } from "./reportText";

describe("report figures read plainly", () => {
  it("shows rates as whole percentages and no rate as a dash, never NaN", () => {
    expect(percent(0.6)).toBe("60%");
    expect(percent(2 / 3)).toBe("67%");
    expect(percent(0)).toBe("0%");
    expect(percent(null)).toBe("—");
  });

  it("says durations in the unit that fits", () => {
    expect(duration(45)).toBe("45 min");
    expect(duration(390)).toBe("6.5 h");
    expect(duration(4005)).toBe("2.8 days");
    expect(duration(null)).toBe("—");
  });

  it("names days as calendar days, whatever the machine's zone", () => {
    expect(day("2026-03-29")).toBe("29 Mar");
    expect(span("2026-03-23", "2026-04-05")).toBe("23 Mar – 5 Apr 2026");
  });

  it("names the issues behind a clicked figure", () => {
    expect(sliceLabel("first_line", ["week of 23 Mar", null, "Acme"])).toBe("Resolved at the first line · week of 23 Mar · Acme");
  });
});
