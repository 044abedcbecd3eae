// One issue's page data, as a command answered it.
import type { QueryClient } from "@tanstack/react-query";
import type { IssueDetail } from "./bindings";

/** Shows the issue as a command (a chase, a note, an escalation…) answered it. A fetch of the
 * same issue still on its way may have read it before the command changed it: its late answer
 * would put the old state back on screen (the chase gone again, the escalate button disabled
 * under the pointer). That fetch is cancelled, and the issue asked for again, so that nothing
 * committed in the meantime is missed. */
export async function showIssueAnswer(queryClient: QueryClient, detail: IssueDetail) {
  const queryKey = ["issue", detail.issue.id];
  const racing = queryClient.isFetching({ queryKey, exact: true }) > 0;
  if (racing) await queryClient.cancelQueries({ queryKey, exact: true });
  queryClient.setQueryData(queryKey, detail);
  if (racing) void queryClient.invalidateQueries({ queryKey, exact: true });
}
