// Generated from the shell's commands and events.rs by
// `UPDATE_BINDINGS=1 cargo test --test contract`; do not edit. The test fails when this
// file, the commands, the handler list or the capability disagree.
import type { AppInfo, Article, ArticleHit, Assessment, Attachment, Client, CriticalReason, Desk, FieldOptions, FirstScreen, HubConnection, HubSettings, HubStatus, IssueDetail, IssueDraft, IssuePage, IssueQuery, Ladder, NewClient, NewIssue, Period, Playbook, Report, ReportSlice, SavedDraft, SyncStatus, TeamInfo, VendorConnection, VendorSettings, Verdict } from "./bindings";

export type FilePurpose = "attachments" | "ladder";

/** Every command the window may call: the arguments it passes (by name) and the result. */
export interface Commands {
  add_note: { args: { id: string; text: string }; result: IssueDetail };
  app_info: { args: null; result: AppInfo };
  assess_priority: { args: { impact: string; urgency: string }; result: Assessment };
  attach_bytes: { args: Uint8Array; result: Attachment; raw: true };
  attach_files: { args: { issueId: string; paths: string[] }; result: Attachment[] };
  change_status: { args: { id: string; to: string; note: string }; result: IssueDetail };
  chase_vendor: { args: { id: string; note: string }; result: IssueDetail };
  choose_files: { args: { purpose: FilePurpose }; result: string[] };
  choose_save_path: { args: { fileName: string }; result: string | null };
  climb_ladder: { args: { id: string; reason: string }; result: IssueDetail };
  create_client: { args: { new: NewClient }; result: Client };
  create_issue: { args: { new: NewIssue }; result: IssueDetail };
  discard_draft: { args: null; result: null };
  discard_team_event: { args: { issueId: string; event: string }; result: IssueDetail };
  escalate_issue: { args: { id: string; note: string }; result: IssueDetail };
  export_chart_png: { args: Uint8Array; result: string | null; raw: true };
  export_evidence_pack: { args: { issueIds: string[]; title: string }; result: string | null };
  export_ladder: { args: { path: string }; result: null };
  export_report_csv: { args: { period: Period }; result: string | null };
  field_options: { args: null; result: FieldOptions };
  first_screen: { args: null; result: FirstScreen };
  flag_critical: { args: { id: string; reason: CriticalReason }; result: IssueDetail };
  get_article: { args: { id: string }; result: Article };
  get_desk: { args: null; result: Desk };
  get_hub_connection: { args: null; result: HubConnection };
  get_issue: { args: { id: string }; result: IssueDetail };
  get_ladder_text: { args: null; result: string };
  get_playbook: { args: { category: string }; result: Playbook | null };
  get_report: { args: { period: Period }; result: Report };
  get_vendor_connection: { args: null; result: VendorConnection };
  hub_status: { args: null; result: HubStatus };
  hub_sync_now: { args: null; result: null };
  import_ladder: { args: { path: string }; result: Ladder };
  inform_client: { args: { id: string; text: string }; result: IssueDetail };
  link_incident: { args: { issueIds: string[]; title: string }; result: string };
  list_clients: { args: null; result: Client[] };
  list_issues: { args: { query: IssueQuery }; result: IssuePage };
  load_draft: { args: null; result: SavedDraft | null };
  message_vendor: { args: { id: string; text: string }; result: IssueDetail };
  open_attachment: { args: { id: string }; result: string };
  open_data_folder: { args: null; result: null };
  open_external: { args: { url: string }; result: null };
  open_log_folder: { args: null; result: null };
  override_priority: { args: { id: string; priority: string; reason: string }; result: IssueDetail };
  publish_team_profile: { args: null; result: null };
  record_article_opened: { args: { issueId: string; articleId: string }; result: IssueDetail };
  record_article_verdict: { args: { issueId: string; articleId: string; helped: boolean }; result: IssueDetail };
  record_step: { args: { issueId: string; stepId: string; done: boolean; reason: string }; result: IssueDetail };
  report_issues: { args: { slice: ReportSlice }; result: string[] };
  request_review: { args: { id: string; note: string }; result: IssueDetail };
  retry_operation: { args: { issueId: string; opId: number }; result: IssueDetail };
  retry_team_event: { args: { issueId: string; event: string }; result: IssueDetail };
  save_draft: { args: { draft: IssueDraft }; result: SavedDraft };
  save_hub_connection: { args: { settings: HubSettings; password: string | null }; result: HubConnection };
  save_ladder: { args: { text: string }; result: Ladder };
  save_vendor_connection: { args: { settings: VendorSettings; token: string | null }; result: VendorConnection };
  set_do_not_disturb: { args: { on: boolean }; result: null };
  suggest_articles: { args: { text: string }; result: ArticleHit[] };
  sync_now: { args: null; result: null };
  sync_status: { args: null; result: SyncStatus };
  team_info: { args: null; result: TeamInfo };
  test_hub_connection: { args: { settings: HubSettings; password: string | null }; result: string };
  test_vendor_connection: { args: { settings: VendorSettings; token: string | null }; result: string };
  ui_ready: { args: { timings: string }; result: null };
  verify_evidence_pack: { args: null; result: Verdict | null };
  waive_screenshot: { args: { issueId: string; reason: string }; result: IssueDetail };
}

/** Every event the shell sends the window, with its payload. */
export interface Events {
  "health": string;
  "hub": HubStatus;
  "menu": string;
  "open-issue": string | null;
  "sync": SyncStatus;
  "team-changed": null;
}
