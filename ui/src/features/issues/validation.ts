// Inline validation of the new-issue form. The core checks everything again (it is the
// authority); this tells the agent before they press Create.
import type { FieldOptions, IssueDraft, NewIssue } from "../../shared/bindings";

export type FormErrors = Partial<Record<keyof IssueDraft, string>>;

export const EMPTY_DRAFT: IssueDraft = {
  client_id: "",
  title: "",
  description: "",
  steps: "",
  category: "",
  impact: "",
  urgency: "",
  affected_users: "",
};

type Limits = Pick<FieldOptions, "title_max" | "text_max">;

export function validateDraft(d: IssueDraft, limits: Limits): FormErrors {
  const errors: FormErrors = {};
  const length = (s: string) => [...s.trim()].length;
  if (!d.client_id) errors.client_id = "Pick the client who reported it, or add a new one.";
  if (!d.title.trim()) errors.title = "Give the issue a title: one line that says what is wrong.";
  else if (length(d.title) > limits.title_max)
    errors.title = `The title is ${length(d.title)} characters; keep it under ${limits.title_max} and put the detail in the description.`;
  if (!d.description.trim()) errors.description = "Describe what the client reports.";
  else if (length(d.description) > limits.text_max) errors.description = `The description is longer than ${limits.text_max} characters.`;
  if (length(d.steps) > limits.text_max) errors.steps = `The steps are longer than ${limits.text_max} characters.`;
  if (!d.category) errors.category = "Choose a category.";
  if (!d.impact) errors.impact = "Choose who is affected.";
  if (!d.urgency) errors.urgency = "Choose an urgency.";
  const users = d.affected_users.trim();
  if (users !== "" && !/^\d+$/.test(users)) errors.affected_users = "Enter a whole number, such as 1 or 25.";
  return errors;
}

export function hasErrors(e: FormErrors): boolean {
  return Object.keys(e).length > 0;
}

export function toNewIssue(d: IssueDraft): NewIssue {
  const users = d.affected_users.trim();
  return {
    client_id: d.client_id,
    title: d.title,
    description: d.description,
    steps: d.steps,
    category: d.category,
    impact: d.impact,
    urgency: d.urgency as NewIssue["urgency"],
    affected_users: users === "" ? 0 : Number(users),
  };
}

/** The form field a core validation error names ("Title" → title). */
export function fieldOf(serverField: string | null): keyof IssueDraft | null {
  const map: Record<string, keyof IssueDraft> = {
    Client: "client_id",
    Title: "title",
    Description: "description",
    "Steps to reproduce": "steps",
    Category: "category",
    Impact: "impact",
    Urgency: "urgency",
    "Affected users": "affected_users",
  };
  return serverField ? (map[serverField] ?? null) : null;
}

/** Whether the draft holds anything worth keeping. */
export function isBlank(d: IssueDraft): boolean {
  return Object.values(d).every((v) => v.trim() === "");
}
