// Typed calls to Frontline's commands. Argument and result types are the generated bindings.
import { backend } from "./backend";
import type { Commands, FilePurpose } from "./contract";
import type {
  HubSettings,
  IssueDraft,
  IssueQuery,
  NewClient,
  NewIssue,
  Status,
  CriticalReason,
  VendorSettings,
  Period,
  ReportSlice,
} from "./bindings";

type Name = keyof Commands;
type Args<C extends Name> = Commands[C]["args"];
type Returns<C extends Name> = Commands[C]["result"];
/** Commands that take named arguments (the others read the raw request body). */
type Named = { [C in Name]: Commands[C] extends { raw: true } ? never : C }[Name];
type Raw = Exclude<Name, Named>;

// Names, arguments and results are checked against the contract generated from the shell.
const call = <C extends Named>(command: C, ...args: Args<C> extends null ? [] : [Args<C>]) =>
  backend().invoke<Returns<C>>(command, args[0] ?? undefined);
const raw = <C extends Raw>(command: C, body: Args<C>, headers: Record<string, string>) =>
  backend().invoke<Returns<C>>(command, body, headers);

export const api = {
  appInfo: () => call("app_info"),
  firstScreen: () => call("first_screen"),
  uiReady: (timings: string) => call("ui_ready", { timings }),
  fieldOptions: () => call("field_options"),
  assessPriority: (impact: string, urgency: string) => call("assess_priority", { impact, urgency }),
  listClients: () => call("list_clients"),
  createClient: (client: NewClient) => call("create_client", { new: client }),
  createIssue: (issue: NewIssue) => call("create_issue", { new: issue }),
  getIssue: (id: string) => call("get_issue", { id }),
  listIssues: (query: IssueQuery) => call("list_issues", { query }),
  changeStatus: (id: string, to: Status, note: string) => call("change_status", { id, to, note }),
  addNote: (id: string, text: string) => call("add_note", { id, text }),
  saveDraft: (draft: IssueDraft) => call("save_draft", { draft }),
  loadDraft: () => call("load_draft"),
  discardDraft: () => call("discard_draft"),
  /** Opens the app's file dialog; only the paths it returns may be passed back (attach, import). */
  chooseFiles: (purpose: FilePurpose) => call("choose_files", { purpose }),
  /** Opens the app's save dialog; the path (or null when cancelled) may be passed to an export once. */
  chooseSavePath: (fileName: string) => call("choose_save_path", { fileName }),
  attachFiles: (issueId: string, paths: string[]) => call("attach_files", { issueId, paths }),
  attachBytes: (issueId: string, fileName: string, bytes: Uint8Array) =>
    raw("attach_bytes", bytes, {
      "issue-id": issueId,
      "file-name": encodeURIComponent(fileName),
    }),
  openAttachment: (id: string) => call("open_attachment", { id }),
  openExternal: (url: string) => call("open_external", { url }),
  suggestArticles: (text: string) => call("suggest_articles", { text }),
  getArticle: (id: string) => call("get_article", { id }),
  recordArticleOpened: (issueId: string, articleId: string) =>
    call("record_article_opened", { issueId, articleId }),
  getPlaybook: (category: string) => call("get_playbook", { category }),
  recordStep: (issueId: string, stepId: string, done: boolean, reason: string) =>
    call("record_step", { issueId, stepId, done, reason }),
  waiveScreenshot: (issueId: string, reason: string) => call("waive_screenshot", { issueId, reason }),
  recordArticleVerdict: (issueId: string, articleId: string, helped: boolean) =>
    call("record_article_verdict", { issueId, articleId, helped }),
  syncStatus: () => call("sync_status"),
  syncNow: () => call("sync_now"),
  setDoNotDisturb: (on: boolean) => call("set_do_not_disturb", { on }),
  vendorConnection: () => call("get_vendor_connection"),
  saveVendorConnection: (settings: VendorSettings, token: string | null) =>
    call("save_vendor_connection", { settings, token }),
  testVendorConnection: (settings: VendorSettings, token: string | null) =>
    call("test_vendor_connection", { settings, token }),
  escalate: (id: string, note: string) => call("escalate_issue", { id, note }),
  messageVendor: (id: string, text: string) => call("message_vendor", { id, text }),
  retryOperation: (issueId: string, opId: number) => call("retry_operation", { issueId, opId }),
  teamInfo: () => call("team_info"),
  desk: () => call("get_desk"),
  ladderText: () => call("get_ladder_text"),
  saveLadder: (text: string) => call("save_ladder", { text }),
  importLadder: (path: string) => call("import_ladder", { path }),
  exportLadder: (path: string) => call("export_ladder", { path }),
  linkIncident: (issueIds: string[], title: string) => call("link_incident", { issueIds, title }),
  informClient: (id: string, text: string) => call("inform_client", { id, text }),
  climbLadder: (id: string, reason: string) => call("climb_ladder", { id, reason }),
  chaseVendor: (id: string, note: string) => call("chase_vendor", { id, note }),
  flagCritical: (id: string, reason: CriticalReason) => call("flag_critical", { id, reason }),
  requestReview: (id: string, note: string) => call("request_review", { id, note }),
  overridePriority: (id: string, priority: string, reason: string) =>
    call("override_priority", { id, priority, reason }),
  hubStatus: () => call("hub_status"),
  hubSyncNow: () => call("hub_sync_now"),
  hubConnection: () => call("get_hub_connection"),
  saveHubConnection: (settings: HubSettings, password: string | null) =>
    call("save_hub_connection", { settings, password }),
  testHubConnection: (settings: HubSettings, password: string | null) =>
    call("test_hub_connection", { settings, password }),
  publishTeamProfile: () => call("publish_team_profile"),
  retryTeamEvent: (issueId: string, event: string) => call("retry_team_event", { issueId, event }),
  discardTeamEvent: (issueId: string, event: string) => call("discard_team_event", { issueId, event }),
  report: (period: Period) => call("get_report", { period }),
  /** The issues behind one figure of a report. */
  reportIssues: (slice: ReportSlice) => call("report_issues", { slice }),
  /** Asks where to save, in a dialog the app opens; the saved path, or null when cancelled. */
  exportReportCsv: (period: Period) => call("export_report_csv", { period }),
  exportChartPng: async (png: Blob, fileName: string) =>
    raw("export_chart_png", new Uint8Array(await png.arrayBuffer()), {
      "file-name": encodeURIComponent(fileName),
    }),
  /** Saves the evidence pack of these issues where the person chooses (a dialog the app opens). */
  exportEvidencePack: (issueIds: string[], title: string) => call("export_evidence_pack", { issueIds, title }),
  /** Asks for a pack and checks it; null when the person cancels. */
  verifyEvidencePack: () => call("verify_evidence_pack"),
  openLogFolder: () => call("open_log_folder"),
  openDataFolder: () => call("open_data_folder"),
};
