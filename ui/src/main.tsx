import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { DEFAULT_FILTERS, sameQuery, toQuery } from "./features/issues/queueFilters";
import { api } from "./shared/api";
import type { FirstScreen } from "./shared/bindings";
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
// index.html asked for the first screen's data while this script loaded; without it (or if it
// failed: the cache did not open) the queries below ask on their own and show the error.
const early = (window as { frontlineFirstScreen?: Promise<FirstScreen> }).frontlineFirstScreen;
const firstPage = (early ?? api.firstScreen())
  .then((screen) => {
    mark("first screen");
    queryClient.setQueryData(["app-info"], screen.info);
    queryClient.setQueryData(["field-options"], screen.options);
    // The queue's first page, under the key Queue asks for, if it answers Queue's first query.
    if (sameQuery(screen.query, toQuery(DEFAULT_FILTERS, 0, screen.options.open_statuses)))
      queryClient.setQueryData(["issues", DEFAULT_FILTERS, 0], screen.page);
  })
  .catch(() => undefined);

const root = document.getElementById("root");
if (root) {
  // The first frame React paints is the queue with its rows: one layout and paint at start, not
  // a loading screen, then the shell, then the rows (measured: ~1.5× the bare window instead of
  // ~2×, `make bench`). The data is usually here already (asked for by index.html); a cap
  // keeps a stuck call from leaving the window blank.
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
  // The first screen is in the page: index.html's hidden frame has done its part.
  document.getElementById("warm-up")?.remove();
}
