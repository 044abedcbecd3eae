import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { DEFAULT_FILTERS, toQuery } from "./features/issues/queueFilters";
import { api } from "./shared/api";
import { mark } from "./shared/startup";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

// Links never load inside the window: https and mailto go to the system browser (the core
// checks the scheme), anything else is refused there with a message in the log.
document.addEventListener("click", (e) => {
  const link = (e.target as Element | null)?.closest?.("a[href]");
  if (!(link instanceof HTMLAnchorElement) || link.origin === window.location.origin) return;
  e.preventDefault();
  void api.openExternal(link.href).catch(() => undefined);
});

mark("start");
// Start the first calls together, before React mounts: each is a round trip to the shell.
void queryClient.prefetchQuery({ queryKey: ["app-info"], queryFn: () => api.appInfo().finally(() => mark("info")), retry: false, staleTime: Infinity });
const firstPage = queryClient
  .fetchQuery({ queryKey: ["field-options"], queryFn: () => api.fieldOptions().finally(() => mark("options")), staleTime: Infinity })
  .then((options) =>
    // The queue's first page, as Queue will ask for it (same key), without waiting for React.
    queryClient.prefetchQuery({
      queryKey: ["issues", DEFAULT_FILTERS, 0],
      queryFn: () => api.listIssues(toQuery(DEFAULT_FILTERS, 0, options.open_statuses)).finally(() => mark("page data")),
    }),
  )
  .catch(() => undefined);

const root = document.getElementById("root");
if (root) {
  // The first frame React paints is the queue with its rows: one layout and paint at start, not
  // a loading screen, then the shell, then the rows (measured: ~1.5× the bare window instead of
  // ~2×, `make bench`). The data is a few milliseconds away; a cap keeps a stuck call from
  // leaving the window blank.
  await Promise.race([firstPage, new Promise((r) => setTimeout(r, 1500))]);
  mark("render");
  const app = createRoot(root);
  flushSync(() =>
    app.render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </StrictMode>,
    ),
  );
}
