// A state the shell both answers for (a command) and pushes (an event), like the sync and hub
// status. The pushed value always wins: a fetch still on its way when the event arrives may have
// been read before the change, so it is cancelled rather than allowed to land after it.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { backend } from "./backend";
import type { Events } from "./contract";

export function usePushedState<E extends keyof Events>(
  event: E,
  fetch: () => Promise<Events[E]>,
  onPush?: (value: Events[E]) => void,
) {
  const queryClient = useQueryClient();
  const key = [`${event}-status`];
  const state = useQuery({ queryKey: key, queryFn: fetch });
  const pushed = useRef(onPush);
  useEffect(() => {
    pushed.current = onPush;
  });
  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .listen(event, (value) => {
        void queryClient.cancelQueries({ queryKey: [`${event}-status`], exact: true }).then(() => {
          queryClient.setQueryData([`${event}-status`], value);
          pushed.current?.(value);
        });
      })
      .then((u) => (stop = u));
    return () => stop?.();
  }, [event, queryClient]);
  return state.data;
}
