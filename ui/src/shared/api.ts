// Typed calls to Frontline's commands. Argument and result types are the generated bindings.
import { backend } from "./backend";
import type {
  AppInfo,
  Article,
  ArticleHit,
  Assessment,
  Attachment,
  Client,
  FieldOptions,
  HubConnection,
  HubSettings,
  HubStatus,
  IssueDetail,
  IssueDraft,
  IssuePage,
  IssueQuery,
  NewClient,
  NewIssue,
  Playbook,
  SavedDraft,
  Status,
  CriticalReason,
  SyncStatus,
  TeamInfo,
  Desk,
  Ladder,
  VendorConnection,
  VendorSettings,
  Period,
  Report,
  ReportSlice,
  Verdict,
} from "./bindings";

const call = <T>(command: string, args?: Record<string, unknown>) => backend().invoke<T>(command, args);

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  uiReady: (timings: string) => call<null>("ui_ready", { timings }),
  fieldOptions: () => call<FieldOptions>("field_options"),
  assessPriority: (impact: string, urgency: string) => call<Assessment>("assess_priority", { impact, urgency }),
  listClients: () => call<Client[]>("list_clients"),
  createClient: (client: NewClient) => call<Client>("create_client", { new: client }),
  createIssue: (issue: NewIssue) => call<IssueDetail>("create_issue", { new: issue }),
  getIssue: (id: string) => call<IssueDetail>("get_issue", { id }),
  listIssues: (query: IssueQuery) => call<IssuePage>("list_issues", { query }),
  changeStatus: (id: string, to: Status, note: string) => call<IssueDetail>("change_status", { id, to, note }),
  addNote: (id: string, text: string) => call<IssueDetail>("add_note", { id, text }),
  saveDraft: (draft: IssueDraft) => call<SavedDraft>("save_draft", { draft }),
  loadDraft: () => call<SavedDraft | null>("load_draft"),
  discardDraft: () => call<null>("discard_draft"),
  /** Opens the app's file dialog; only the paths it returns may be passed back (attach, import). */
  chooseFiles: (purpose: "attachments" | "ladder") => call<string[]>("choose_files", { purpose }),
  /** Opens the app's save dialog; the path (or null when cancelled) may be passed to an export once. */
  chooseSavePath: (fileName: string) => call<string | null>("choose_save_path", { fileName }),
  attachFiles: (issueId: string, paths: string[]) => call<Attachment[]>("attach_files", { issueId, paths }),
  attachBytes: (issueId: string, fileName: string, bytes: Uint8Array) =>
    backend().invoke<Attachment>("attach_bytes", bytes, {
      "issue-id": issueId,
      "file-name": encodeURIComponent(fileName),
    }),
  openAttachment: (id: string) => call<string>("open_attachment", { id }),
  openExternal: (url: string) => call<null>("open_external", { url }),
  suggestArticles: (text: string) => call<ArticleHit[]>("suggest_articles", { text }),
  getArticle: (id: string) => call<Article>("get_article", { id }),
  recordArticleOpened: (issueId: string, articleId: string) =>
    call<IssueDetail>("record_article_opened", { issueId, articleId }),
  getPlaybook: (category: string) => call<Playbook | null>("get_playbook", { category }),
  recordStep: (issueId: string, stepId: string, done: boolean, reason: string) =>
    call<IssueDetail>("record_step", { issueId, stepId, done, reason }),
  waiveScreenshot: (issueId: string, reason: string) => call<IssueDetail>("waive_screenshot", { issueId, reason }),
  recordArticleVerdict: (issueId: string, articleId: string, helped: boolean) =>
    call<IssueDetail>("record_article_verdict", { issueId, articleId, helped }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  syncNow: () => call<null>("sync_now"),
  setDoNotDisturb: (on: boolean) => call<null>("set_do_not_disturb", { on }),
  vendorConnection: () => call<VendorConnection>("get_vendor_connection"),
  saveVendorConnection: (settings: VendorSettings, token: string | null) =>
    call<VendorConnection>("save_vendor_connection", { settings, token }),
  escalate: (id: string, note: string) => call<IssueDetail>("escalate_issue", { id, note }),
  messageVendor: (id: string, text: string) => call<IssueDetail>("message_vendor", { id, text }),
  retryOperation: (issueId: string, opId: number) => call<IssueDetail>("retry_operation", { issueId, opId }),
  teamInfo: () => call<TeamInfo>("team_info"),
  desk: () => call<Desk>("get_desk"),
  ladderText: () => call<string>("get_ladder_text"),
  saveLadder: (text: string) => call<Ladder>("save_ladder", { text }),
  importLadder: (path: string) => call<Ladder>("import_ladder", { path }),
  exportLadder: (path: string) => call<null>("export_ladder", { path }),
  linkIncident: (issueIds: string[], title: string) => call<string>("link_incident", { issueIds, title }),
  informClient: (id: string, text: string) => call<IssueDetail>("inform_client", { id, text }),
  climbLadder: (id: string, reason: string) => call<IssueDetail>("climb_ladder", { id, reason }),
  chaseVendor: (id: string, note: string) => call<IssueDetail>("chase_vendor", { id, note }),
  flagCritical: (id: string, reason: CriticalReason) => call<IssueDetail>("flag_critical", { id, reason }),
  requestReview: (id: string, note: string) => call<IssueDetail>("request_review", { id, note }),
  overridePriority: (id: string, priority: string, reason: string) =>
    call<IssueDetail>("override_priority", { id, priority, reason }),
  hubStatus: () => call<HubStatus>("hub_status"),
  hubSyncNow: () => call<null>("hub_sync_now"),
  hubConnection: () => call<HubConnection>("get_hub_connection"),
  saveHubConnection: (settings: HubSettings, password: string | null) =>
    call<HubConnection>("save_hub_connection", { settings, password }),
  testHubConnection: (settings: HubSettings, password: string | null) =>
    call<string>("test_hub_connection", { settings, password }),
  publishTeamProfile: () => call<null>("publish_team_profile"),
  retryTeamEvent: (issueId: string, event: string) => call<IssueDetail>("retry_team_event", { issueId, event }),
  discardTeamEvent: (issueId: string, event: string) => call<IssueDetail>("discard_team_event", { issueId, event }),
  report: (period: Period) => call<Report>("get_report", { period }),
  /** The issues behind one figure of a report. */
  reportIssues: (slice: ReportSlice) => call<string[]>("report_issues", { slice }),
  /** Asks where to save, in a dialog the app opens; the saved path, or null when cancelled. */
  exportReportCsv: (period: Period) => call<string | null>("export_report_csv", { period }),
  exportChartPng: async (png: Blob, fileName: string) =>
    backend().invoke<string | null>("export_chart_png", new Uint8Array(await png.arrayBuffer()), {
      "file-name": encodeURIComponent(fileName),
    }),
  /** Saves the evidence pack of these issues where the person chooses (a dialog the app opens). */
  exportEvidencePack: (issueIds: string[], title: string) => call<string | null>("export_evidence_pack", { issueIds, title }),
  /** Asks for a pack and checks it; null when the person cancels. */
  verifyEvidencePack: () => call<Verdict | null>("verify_evidence_pack"),
  openLogFolder: () => call<null>("open_log_folder"),
  openDataFolder: () => call<null>("open_data_folder"),
};
