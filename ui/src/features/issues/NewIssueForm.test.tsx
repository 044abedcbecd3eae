// The new-issue form against a fake backend: inline errors before anything is sent, the
// priority preview, and exactly one create with the typed values.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setBackend, type Backend } from "../../shared/backend";
import type { Client, FieldOptions } from "../../shared/bindings";
import { NewIssueForm } from "./NewIssueForm";

const options: FieldOptions = {
  categories: [{ id: "login", label: "Log-in and passwords", line: "first" }],
  impacts: [{ id: "several_users", label: "Several users" }],
  urgencies: [
    { id: "low", label: "Low" },
    { id: "high", label: "High" },
  ],
  priorities: [{ id: "P2", label: "P2 · High" }],
  statuses: [],
  open_statuses: ["new"],
  problems: [],
  attachment_limit: 50 * 1024 * 1024,
  title_max: 200,
  text_max: 50_000,
};
const clients: Client[] = [
  { id: "c1", name: "Northwind Traders", contact: "", created_at: "2026-01-01T00:00:00.000Z", open_issues: 0, total_issues: 0 },
];

/** A backend whose commands `invoke` answers; no events, no dropped files. */
function answering(invoke: (command: string, args?: unknown) => Promise<unknown>): Backend {
  return {
    invoke: <T,>(command: string, args?: unknown) => invoke(command, args) as Promise<T>,
    listen: async () => () => undefined,
    onFileDrop: async () => () => undefined,
    fileUrl: (p) => p,
  };
}

function fakeBackend() {
  const calls: { command: string; args: unknown }[] = [];
  const answers: Record<string, unknown> = {
    load_draft: null,
    save_draft: { draft: {}, saved_at: "2026-01-01T10:00:00.000Z" },
    discard_draft: null,
    assess_priority: { priority: "P2", rank: 2, reason: "High urgency × Several users → P2" },
    create_issue: { issue: { id: "i1" } },
  };
  const backend = answering(async (command, args) => {
    calls.push({ command, args });
    return answers[command];
  });
  return { backend, calls };
}

function renderForm(onCreated = vi.fn()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <NewIssueForm options={options} clients={clients} onCreated={onCreated} onCancel={() => undefined} />
    </QueryClientProvider>,
  );
  return onCreated;
}

afterEach(cleanup);

describe("new issue form", () => {
  it("shows what is missing beside each field and sends nothing", async () => {
    const { backend, calls } = fakeBackend();
    setBackend(backend);
    renderForm();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Create issue/ }));
    expect(await screen.findByText(/Give the issue a title/)).toBeTruthy();
    expect(screen.getByText(/Pick the client/)).toBeTruthy();
    expect(screen.getByText(/Choose an urgency/)).toBeTruthy();
    expect(calls.some((c) => c.command === "create_issue")).toBe(false);
  });

  it("previews the priority and creates the issue once with what was typed", async () => {
    const { backend, calls } = fakeBackend();
    setBackend(backend);
    const onCreated = renderForm();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Client"), "c1");
    await user.type(screen.getByLabelText("Title"), "Client can't log in");
    await user.type(screen.getByLabelText("Description"), "Reset link loops");
    await user.selectOptions(screen.getByLabelText("Category"), "login");
    await user.selectOptions(screen.getByLabelText("Impact"), "several_users");
    await user.click(screen.getByRole("button", { name: "High" }));
    await user.type(screen.getByLabelText("Affected users"), "12");
    expect(await screen.findByText("High urgency × Several users → P2")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: /Create issue/ }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith("i1"));
    const creates = calls.filter((c) => c.command === "create_issue");
    expect(creates).toHaveLength(1);
    expect(creates[0].args).toEqual({
      new: {
        client_id: "c1",
        title: "Client can't log in",
        description: "Reset link loops",
        steps: "",
        category: "login",
        impact: "several_users",
        urgency: "high",
        affected_users: 12,
      },
    });
  });

  it("saves drafts one at a time in the order typed and says saved only once what is shown is", async () => {
    const saves: { title: string; answer: () => void }[] = [];
    const backend = answering(async (command, args) => {
      if (command !== "save_draft") return null;
      const { draft } = args as { draft: { title: string } };
      await new Promise<void>((answer) => saves.push({ title: draft.title, answer }));
      return { draft, saved_at: "2026-01-01T10:00:00.000Z" };
    });
    setBackend(backend);
    renderForm();
    const user = userEvent.setup();
    const status = () => screen.getByTestId("draft-status").textContent ?? "";
    // Pasted, so each step is one change however slowly the test runs.
    await user.click(await screen.findByLabelText("Title"));
    await user.paste("Export");
    await waitFor(() => expect(saves.map((s) => s.title)).toEqual(["Export"]));
    expect(status()).toBe("Saving draft…");

    // More typing while the first save is still on its way: the status does not claim it saved,
    // and the next save waits for the first one's answer.
    await user.paste(" fails");
    await new Promise((r) => setTimeout(r, 600));
    expect(saves).toHaveLength(1);
    saves[0].answer();
    await waitFor(() => expect(saves.map((s) => s.title)).toEqual(["Export", "Export fails"]));
    expect(status()).toBe("Saving draft…");
    saves[1].answer();
    await waitFor(() => expect(status()).toMatch(/^Draft saved /));
  });

  it("does not bring back a discarded draft from a save made before the discard went through", async () => {
    const calls: string[] = [];
    let answerFirstSave: () => void = () => undefined;
    const backend = answering(async (command, args) => {
      const title = (args as { draft?: { title: string } } | undefined)?.draft?.title;
      calls.push(title === undefined ? command : `${command} ${title}`);
      if (command === "save_draft" && calls.length === 2) await new Promise<void>((answer) => (answerFirstSave = answer));
      return command === "save_draft" ? { draft: {}, saved_at: "2026-01-01T10:00:00.000Z" } : null;
    });
    setBackend(backend);
    renderForm();
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("Title"));
    await user.paste("Export");
    await waitFor(() => expect(calls).toEqual(["load_draft", "save_draft Export"]));
    // Typed on, then discarded at once: the discard waits behind the first save, and the
    // autosave of what was typed comes due while it waits.
    await user.paste(" fails");
    await user.click(screen.getByRole("button", { name: "Discard draft" }));
    await new Promise((r) => setTimeout(r, 600));
    answerFirstSave();
    await waitFor(() => expect(calls).toContain("discard_draft"));
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.slice(calls.indexOf("discard_draft"))).toEqual(["discard_draft"]);
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("");
  });
});
