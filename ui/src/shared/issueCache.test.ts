// An issue page's data against a fetch that read the issue before a command changed it.
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { IssueDetail } from "./bindings";
import { showIssueAnswer } from "./issueCache";

const detail = (timeline: string) => ({ issue: { id: "i1" }, events: [timeline] }) as unknown as IssueDetail;

describe("an issue as a command answered it", () => {
  it("is not replaced by the late answer of a fetch that read the issue before, and what came after is fetched", async () => {
    const queryClient = new QueryClient();
    const before = detail("before the chase");
    const chased = detail("chased");
    const later = detail("chased, then the vendor replied");
    let answerFirstFetch: (d: IssueDetail) => void = () => undefined;
    let fetches = 0;
    const observer = new QueryObserver<IssueDetail>(queryClient, {
      queryKey: ["issue", "i1"],
      queryFn: () => {
        fetches += 1;
        return fetches === 1 ? new Promise<IssueDetail>((resolve) => (answerFirstFetch = resolve)) : Promise.resolve(later);
      },
    });
    const shown: string[] = [];
    const stop = observer.subscribe((r) => r.data && shown.push(r.data.events[0] as unknown as string));
    await vi.waitFor(() => expect(fetches).toBe(1));

    await showIssueAnswer(queryClient, chased);
    answerFirstFetch(before);
    await vi.waitFor(() => expect(queryClient.getQueryData(["issue", "i1"])).toEqual(later));
    expect(shown.filter((s, i) => s !== shown[i - 1])).toEqual(["chased", "chased, then the vendor replied"]);
    stop();
  });

  it("sets the answer without fetching again when no fetch was on its way", async () => {
    const queryClient = new QueryClient();
    const queryFn = vi.fn(() => Promise.resolve(detail("fetched")));
    queryClient.setQueryDefaults(["issue"], { queryFn });
    await showIssueAnswer(queryClient, detail("chased"));
    expect((queryClient.getQueryData(["issue", "i1"]) as IssueDetail).events).toEqual(["chased"]);
    expect(queryFn).not.toHaveBeenCalled();
  });
});
