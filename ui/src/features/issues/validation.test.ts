import { describe, expect, it } from "vitest";
import { EMPTY_DRAFT, fieldOf, hasErrors, isBlank, toNewIssue, validateDraft } from "./validation";

const limits = { title_max: 200, text_max: 50_000 };
const filled = {
  ...EMPTY_DRAFT,
  client_id: "c1",
  title: "Client can't log in after password reset",
  description: "Since this morning the reset link loops back to the sign-in page.",
  category: "login",
  impact: "one_user",
  urgency: "high",
  affected_users: "3",
};

describe("new issue validation", () => {
  it("accepts a complete issue", () => {
    expect(validateDraft(filled, limits)).toEqual({});
  });

  it("names every missing required field", () => {
    const errors = validateDraft(EMPTY_DRAFT, limits);
    expect(Object.keys(errors).sort()).toEqual(["category", "client_id", "description", "impact", "title", "urgency"]);
    expect(hasErrors(errors)).toBe(true);
  });

  it("treats whitespace as empty", () => {
    expect(validateDraft({ ...filled, title: "   \n " }, limits).title).toMatch(/title/i);
  });

  it("refuses a title over the limit and says how long it is", () => {
    const errors = validateDraft({ ...filled, title: "x".repeat(201) }, limits);
    expect(errors.title).toContain("201 characters");
    expect(validateDraft({ ...filled, title: "x".repeat(200) }, limits).title).toBeUndefined();
  });

  it("wants affected users as a whole number, but allows it empty", () => {
    expect(validateDraft({ ...filled, affected_users: "a dozen" }, limits).affected_users).toMatch(/whole number/);
    expect(validateDraft({ ...filled, affected_users: "-3" }, limits).affected_users).toBeDefined();
    expect(validateDraft({ ...filled, affected_users: "" }, limits).affected_users).toBeUndefined();
  });

  it("turns a draft into the command's argument", () => {
    const issue = toNewIssue(filled);
    expect(issue.affected_users).toBe(3);
    expect(issue.urgency).toBe("high");
    expect(toNewIssue({ ...filled, affected_users: "" }).affected_users).toBe(0);
  });

  it("maps the core's field names to form fields", () => {
    expect(fieldOf("Title")).toBe("title");
    expect(fieldOf("Urgency")).toBe("urgency");
    expect(fieldOf(null)).toBeNull();
    expect(fieldOf("Something else")).toBeNull();
  });

  it("knows a blank form from a started one", () => {
    expect(isBlank(EMPTY_DRAFT)).toBe(true);
    expect(isBlank({ ...EMPTY_DRAFT, title: "a" })).toBe(false);
  });
});
