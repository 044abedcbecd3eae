// The vendor panel against a fake backend: escalation is gated on readiness, a queued
// escalation says so, a refusal shows the vendor's words and "Try again" re-queues that row.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setBackend, type Backend } from "../../shared/backend";
import type { IssueDetail, VendorState } from "../../shared/bindings";
import { VendorPanel } from "./VendorPanel";

function detail(ready: boolean, vendor: Partial<VendorState> = {}): IssueDetail {
  return {
    issue: { id: "i1", key: "FL-1001", status: ready && vendor.outbox?.length ? "escalated" : "new" },
    readiness: { ready, items: [] },
    vendor: { ticket_id: null, ticket_url: "", status: "", assignee: "", outbox: [], owner: null, ...vendor },
  } as unknown as IssueDetail;
}

function mount(d: IssueDetail, answers: Record<string, unknown> = {}) {
  const calls: { command: string; args: unknown }[] = [];
  const backend: Backend = {
    async invoke<T>(command: string, args?: unknown): Promise<T> {
      calls.push({ command, args });
      return (answers[command] ?? d) as T;
    },
    listen: async () => () => undefined,
    onFileDrop: async () => () => undefined,
    fileUrl: (p) => p,
  };
  setBackend(backend);
  const errors: string[] = [];
  render(
    <QueryClientProvider client={new QueryClient()}>
      <VendorPanel detail={d} onError={(m) => errors.push(m)} />
    </QueryClientProvider>,
  );
  return { calls, errors };
}

afterEach(cleanup);

describe("VendorPanel", () => {
  it("does not escalate until the issue is ready", () => {
    mount(detail(false));
    expect((screen.getByRole("button", { name: "Escalate to vendor" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("queues an escalation with the note", async () => {
    const { calls } = mount(detail(true));
    await userEvent.type(screen.getByLabelText("Note for the vendor (optional)"), "Client is blocked");
    await userEvent.click(screen.getByRole("button", { name: "Escalate to vendor" }));
    await waitFor(() => expect(calls).toContainEqual({ command: "escalate_issue", args: { id: "i1", note: "Client is blocked" } }));
  });

  it("shows a queued escalation and a refusal with its retry", async () => {
    const d = detail(true, {
      outbox: [
        { id: 7, what: "Create the vendor ticket", state: "parked", attempts: 1, last_error: "the vendor answered 422: Requester is suspended", next_attempt_at: null },
      ],
    });
    const { calls } = mount(d);
    expect(screen.getByTestId("vendor-queued").textContent).toContain("Queued");
    expect(screen.getByTestId("outbox").textContent).toContain("Refused: the vendor answered 422: Requester is suspended");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(calls).toContainEqual({ command: "retry_operation", args: { issueId: "i1", opId: 7 } }));
  });

  it("shows what waits behind a refused message instead of a retry time", () => {
    mount(
      detail(true, {
        ticket_id: 4014,
        status: "open",
        outbox: [
          { id: 8, what: "Send a message to the vendor", state: "parked", attempts: 1, last_error: "the vendor answered 422: Comment is too long", next_attempt_at: null },
          { id: 9, what: "Send a message to the vendor", state: "waiting", attempts: 0, last_error: null, next_attempt_at: null },
        ],
      }),
    );
    const rows = screen.getByTestId("outbox").querySelectorAll("li");
    expect(rows[0].textContent).toContain("Refused: the vendor answered 422: Comment is too long");
    expect(rows[1].textContent).toContain("Waiting behind a refused message");
    expect(screen.getAllByRole("button", { name: "Try again" })).toHaveLength(1);
  });

  it("shows the vendor ticket once it exists", () => {
    mount(detail(true, { ticket_id: 4014, status: "open", assignee: "Dana Whitfield" }));
    expect(screen.getByTestId("vendor-ticket").textContent).toContain("Ticket #4014open · Dana Whitfield");
    expect(screen.queryByRole("button", { name: "Escalate to vendor" })).toBeNull();
    expect(screen.getByRole("button", { name: "Send to vendor" })).toBeTruthy();
  });
});
