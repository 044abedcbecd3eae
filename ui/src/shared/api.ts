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
  VendorConnection,
  VendorSettings,
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
  climbLadder: (id: string, reason: string) => call<IssueDetail>("climb_ladder", { id, reason }),
  chaseVendor: (id: string, note: string) => call<IssueDetail>("chase_vendor", { id, note }),
  flagCritical: (id: string, reason: CriticalReason) => call<IssueDetail>("flag_critical", { id, reason }),
  requestReview: (id: string, note: string) => call<IssueDetail>("request_review", { id, note }),
  openLogFolder: () => call<null>("open_log_folder"),
  openDataFolder: () => call<null>("open_data_folder"),
};
