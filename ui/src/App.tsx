// The window: sidebar navigation, the current page, keyboard shortcuts, and the error screen
// shown when the cache cannot be opened.
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { SyncIndicator } from "./features/sync/SyncIndicator";
import { HubIndicator, useHubStatus } from "./features/team/HubIndicator";
import { Queue } from "./features/issues/Queue";
import { DEFAULT_FILTERS, type QueueFilters } from "./features/issues/queueFilters";
import { api } from "./shared/api";
import type { ReportSlice } from "./shared/bindings";
import { backend, BackendError } from "./shared/backend";
import { Toast } from "./shared/widgets";
import { firstPaint, useFirstPaint } from "./shared/startup";

// The pages not on the first screen: their code is not parsed before the queue paints (at
// 100,000 issues that was ~70 ms of a 1 s start); it loads right after, so opening one does not
// wait. Reports also bring the charting library.
const pages = {
  issue: () => import("./features/issues/IssuePage"),
  newIssue: () => import("./features/issues/NewIssueForm"),
  knowledge: () => import("./features/knowledge/Suggestions"),
  desk: () => import("./features/desk/DeskPage"),
  clients: () => import("./features/clients/ClientsPage"),
  vendor: () => import("./features/sync/VendorSettingsPage"),
  hub: () => import("./features/team/HubSettingsPage"),
  reports: () => import("./features/reports/ReportsPage"),
};
const IssuePage = lazy(() => pages.issue().then((m) => ({ default: m.IssuePage })));
const NewIssueForm = lazy(() => pages.newIssue().then((m) => ({ default: m.NewIssueForm })));
const Suggestions = lazy(() => pages.knowledge().then((m) => ({ default: m.Suggestions })));
const PlaybookPreview = lazy(() => pages.knowledge().then((m) => ({ default: m.PlaybookPreview })));
const DeskPage = lazy(() => pages.desk().then((m) => ({ default: m.DeskPage })));
const ClientsPage = lazy(() => pages.clients().then((m) => ({ default: m.ClientsPage })));
const VendorSettingsPage = lazy(() => pages.vendor().then((m) => ({ default: m.VendorSettingsPage })));
const HubSettingsPage = lazy(() => pages.hub().then((m) => ({ default: m.HubSettingsPage })));
const ReportsPage = lazy(() => pages.reports().then((m) => ({ default: m.ReportsPage })));

// Once the queue has painted, every page's code loads in the background.
void firstPaint.then(() => Promise.all(Object.values(pages).map((load) => load())).catch(() => undefined));

type View = { page: "queue" } | { page: "new" } | { page: "clients" } | { page: "vendor" } | { page: "hub" } | { page: "desk" } | { page: "reports" } | { page: "issue"; id: string };

export function App() {
  const info = useQuery({ queryKey: ["app-info"], queryFn: api.appInfo, retry: false, staleTime: Infinity });
  if (info.isError) return <ErrorScreen error={info.error} />;
  if (!info.data) return <div className="loading">Opening Frontline…</div>;
  return <Workspace />;
}

function Workspace() {
  const [view, setView] = useState<View>({ page: "queue" });
  const [filters, setFilters] = useState<QueueFilters>(DEFAULT_FILTERS);
  const [toast, setToast] = useState<{ message: string; kind: "info" | "error" } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const options = useQuery({ queryKey: ["field-options"], queryFn: api.fieldOptions, staleTime: Infinity });
  const painted = useFirstPaint();
  const clients = useQuery({ queryKey: ["clients"], queryFn: api.listClients, enabled: painted });
  const team = useQuery({ queryKey: ["team-info"], queryFn: api.teamInfo });
  const hub = useHubStatus();

  const go = useCallback((v: View) => setView(v), []);
  const onError = useCallback((message: string) => setToast({ message, kind: "error" }), []);
  const onInfo = useCallback((message: string) => setToast({ message, kind: "info" }), []);
  const dismissToast = useCallback(() => setToast(null), []);
  const openSlice = useCallback(
    (slice: ReportSlice, label: string) => {
      setFilters({ ...DEFAULT_FILTERS, status: "all", sort: "oldest", report: { slice, label } });
      go({ page: "queue" });
    },
    [go],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      // An open dialog has the keyboard: Escape closes it, not the page behind.
      if (target.closest("dialog")) return;
      const typing = target.matches("input, textarea, select, [contenteditable]");
      if (e.key === "Escape" && !typing && view.page !== "queue") {
        e.preventDefault();
        go({ page: "queue" });
      } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (e.key === "n") {
          e.preventDefault();
          go({ page: "new" });
        } else if (e.key === "/") {
          e.preventDefault();
          if (view.page !== "queue") go({ page: "queue" });
          setTimeout(() => searchRef.current?.focus(), 0);
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [view, go]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .listen("health", (message) => onError(message))
      .then((u) => (stop = u));
    return () => stop?.();
  }, [onError]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .listen("open-issue", (id) => go(id ? { page: "issue", id } : { page: "queue" }))
      .then((u) => (stop = u));
    return () => stop?.();
  }, [go]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    void backend()
      .listen("menu", (action) => {
        if (action === "new-issue") go({ page: "new" });
        if (action === "queue") go({ page: "queue" });
        if (action === "clients") go({ page: "clients" });
        if (action === "desk") go({ page: "desk" });
        if (action === "reports") go({ page: "reports" });
      })
      .then((u) => (stop = u));
    return () => stop?.();
  }, [go]);

  // Data files that were not loaded are reported until the person has read it.
  const problems = options.data?.problems.join(" · ");
  const [problemsRead, setProblemsRead] = useState<string>();

  if (options.isError) return <ErrorScreen error={options.error} />;
  if (!options.data) return <div className="loading">Opening Frontline…</div>;
  const clientList = clients.data ?? [];

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark">F</span> Frontline
        </div>
        <button className="nav-item" aria-current={view.page === "queue" || view.page === "issue" ? "page" : undefined} onClick={() => go({ page: "queue" })}>
          Issue queue <span className="kbd">/</span>
        </button>
        <button className="nav-item" aria-current={view.page === "new" ? "page" : undefined} onClick={() => go({ page: "new" })}>
          New issue <span className="kbd">N</span>
        </button>
        <button className="nav-item" aria-current={view.page === "desk" ? "page" : undefined} onClick={() => go({ page: "desk" })}>
          Escalations
        </button>
        <button className="nav-item" aria-current={view.page === "reports" ? "page" : undefined} onClick={() => go({ page: "reports" })}>
          Reports
        </button>
        <button className="nav-item" aria-current={view.page === "clients" ? "page" : undefined} onClick={() => go({ page: "clients" })}>
          Clients <span>{clientList.length || ""}</span>
        </button>
        <div className="sidebar-foot">
          {team.data && (
            <span data-testid="signed-in">
              Signed in as {team.data.user} · {team.data.role === "lead" ? "team lead" : "agent"}
              {team.data.from_hub && " (team hub)"}
            </span>
          )}
          <SyncIndicator onOpenSettings={() => go({ page: "vendor" })} />
          <HubIndicator onOpenSettings={() => go({ page: "hub" })} />
          <button className="link-button" onClick={() => api.openLogFolder().catch((e: Error) => onError(e.message))}>
            Open log folder
          </button>
        </div>
      </nav>
      <main className="main">
        <Suspense fallback={<div className="loading">Opening…</div>}>
          {view.page === "queue" && (
            <Queue
              filters={filters}
              onFilters={setFilters}
              options={options.data}
              clients={clientList}
              searchRef={searchRef}
              onOpen={(id) => go({ page: "issue", id })}
              onNew={() => go({ page: "new" })}
              team={hub?.configured ?? false}
            />
          )}
          {view.page === "new" && (
            <NewIssueForm
              options={options.data}
              clients={clientList}
              onCreated={(id) => {
                onInfo("Issue logged.");
                go({ page: "issue", id });
              }}
              onCancel={() => go({ page: "queue" })}
              aside={(text, category) => (
                <Suspense fallback={null}>
                  <Suggestions text={text} onError={onError} />
                  <PlaybookPreview category={category} />
                </Suspense>
              )}
            />
          )}
          {view.page === "issue" && (
            <IssuePage
              id={view.id}
              options={options.data}
              onBack={() => go({ page: "queue" })}
              onError={onError}
              onInfo={onInfo}
              aside={(issueId, text) => (
                <Suspense fallback={null}>
                  <Suggestions text={text} issueId={issueId} onError={onError} />
                </Suspense>
              )}
            />
          )}
          {view.page === "vendor" && <VendorSettingsPage onError={onError} onInfo={onInfo} />}
          {view.page === "hub" && <HubSettingsPage onError={onError} onInfo={onInfo} />}
          {view.page === "desk" && <DeskPage onOpen={(id) => go({ page: "issue", id })} onError={onError} />}
          {view.page === "reports" && (
            <Suspense fallback={<div className="loading">Opening the reports…</div>}>
              <ReportsPage onOpenSlice={openSlice} onOpenIssue={(id) => go({ page: "issue", id })} onError={onError} onInfo={onInfo} />
            </Suspense>
          )}
          {view.page === "clients" && (
            <ClientsPage
              clients={clientList}
              onShowIssues={(clientId) => {
                setFilters({ ...DEFAULT_FILTERS, status: "all", clientId });
                go({ page: "queue" });
              }}
            />
          )}
        </Suspense>
      </main>
      {toast ? (
        <Toast message={toast.message} kind={toast.kind} onDone={dismissToast} />
      ) : (
        problems &&
        problems !== problemsRead && (
          <Toast message={`Some data files were not loaded: ${problems}`} kind="error" onDone={() => setProblemsRead(problems)} />
        )
      )}
    </div>
  );
}

function ErrorScreen({ error }: { error: Error }) {
  const code = error instanceof BackendError ? error.code : null;
  return (
    <div className="error-screen">
      <div className="card" role="alert" data-testid="error-screen">
        <h1>
          {code === "startup"
            ? "Frontline cannot open its data"
            : code === "preset"
              ? "A settings file needs fixing"
              : "Something went wrong"}
        </h1>
        <p>{error.message}</p>
        <p className="muted">
          {code === "preset"
            ? "Fix that line in the file (Open data folder), or move the file aside to use the bundled one, then start Frontline again. Nothing was changed."
            : "Nothing was changed. When you have done the above, start Frontline again. The details are in the log file."}
        </p>
        <div className="actions">
          <button className="btn primary" onClick={() => api.openDataFolder().catch(() => undefined)}>
            Open data folder
          </button>
          <button className="btn" onClick={() => api.openLogFolder().catch(() => undefined)}>
            Open log folder
          </button>
        </div>
      </div>
    </div>
  );
}
