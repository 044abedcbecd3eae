//! [`Frontline`]: the API the desktop shell (and every test) drives. Each method validates its
//! input, writes in one immediate transaction, and returns only after the commit.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::SecondsFormat;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::attachments;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::journal::{current_status, next_free_number, Change, SharedFile};
use crate::kb;
use crate::model::*;
use crate::paths;
use crate::playbooks;
use crate::priority::{self, Assessment, PriorityMatrix};
use crate::queries;
use crate::status::{self, Status};
use crate::validate::{self, NAME_MAX, TEXT_MAX, TITLE_MAX};

/// The key of the new-issue form's draft.
const NEW_ISSUE_DRAFT: &str = "new-issue";

/// How an installation is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the database, attachments and logs live.
    pub data_dir: PathBuf,
    /// The name recorded on every change.
    pub user: String,
    /// Largest attachment accepted, in bytes.
    pub attachment_limit: u64,
}

impl Settings {
    /// Settings for a data folder, with the OS user's name and the default limits.
    pub fn for_dir(data_dir: impl Into<PathBuf>) -> Self {
        let user = ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "agent".to_owned());
        Settings {
            data_dir: data_dir.into(),
            user,
            attachment_limit: attachments::DEFAULT_LIMIT,
        }
    }
}

/// An open Frontline cache.
pub struct Frontline {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: Settings,
    pub(crate) matrix: PriorityMatrix,
    pub(crate) categories: Vec<Category>,
    pub(crate) synonyms: kb::Synonyms,
    playbooks: Vec<playbooks::Playbook>,
    problems: Vec<String>,
    pub(crate) ladders: std::sync::RwLock<Vec<crate::ladder::Ladder>>,
    pub(crate) team: std::sync::RwLock<crate::ladder::Team>,
    pub(crate) client_template: std::sync::RwLock<String>,
    /// Read on the first suggestion, dropped when articles change.
    vocabulary: std::sync::RwLock<Option<Arc<kb::Vocabulary>>>,
    /// Who is signed in: the OS user, or the team hub login once a hub is set up.
    pub(crate) who: std::sync::RwLock<crate::team_connection::Who>,
    /// The Escalations desk's rows, kept between looks.
    pub(crate) desk: crate::desk::DeskCache,
    /// The last suspected outages, with the database version, minute and rule they are for.
    pub(crate) outages: std::sync::Mutex<Option<OutagesFound>>,
    /// Each issue folded for the reports, kept between them.
    pub(crate) reports: crate::reports::ReportCache,
}

impl Frontline {
    /// Opens the cache in `settings.data_dir`, creating the folder and the database if needed.
    /// A team may replace the bundled priority matrix and categories by putting
    /// `priority-matrix.json` / `categories.json` in the data folder.
    pub fn open(settings: Settings, clock: Arc<dyn Clock>) -> Result<Self> {
        let dir = &settings.data_dir;
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            path: dir.clone(),
            source,
        })?;
        probe_writable(dir)?;
        let matrix = match read_optional(&dir.join("priority-matrix.json"))? {
            Some(json) => PriorityMatrix::parse(
                &dir.join("priority-matrix.json").display().to_string(),
                &json,
            )?,
            None => PriorityMatrix::bundled()?,
        };
        let categories = match read_optional(&dir.join("categories.json"))? {
            Some(json) => priority::parse_categories(
                &dir.join("categories.json").display().to_string(),
                &json,
            )?,
            None => priority::parse_categories(
                "categories.json (bundled)",
                priority::BUNDLED_CATEGORIES,
            )?,
        };
        let synonyms = match read_optional(&dir.join("synonyms.json"))? {
            Some(json) => {
                kb::Synonyms::parse(&dir.join("synonyms.json").display().to_string(), &json)?
            }
            None => kb::Synonyms::parse("synonyms.json (bundled)", kb::BUNDLED_SYNONYMS)?,
        };
        let (playbooks, mut problems) = playbooks::load(&dir.join("playbooks"));
        let (ladders, ladder_problems) = crate::ladder::load(&dir.join("ladders"));
        problems.extend(ladder_problems);
        let client_template = read_optional(&dir.join("client-update.txt"))?
            .unwrap_or_else(|| crate::client_updates::BUNDLED_TEMPLATE.to_owned());
        let team = match read_optional(&dir.join("team.toml"))? {
            Some(text) => crate::ladder::Team::parse(
                &dir.join("team.toml").display().to_string(),
                &text,
                &ladders,
            )?,
            None => crate::ladder::Team::parse(
                "team.toml (bundled)",
                crate::ladder::BUNDLED_TEAM,
                &ladders,
            )?,
        };
        for p in &problems {
            tracing::warn!(problem = %p, "a playbook file was not loaded");
        }
        let db = Db::open(&paths::database(dir))?;
        let now = clock.now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let loaded = db.write(|tx| kb::load_bundled(tx, &now))?;
        if loaded > 0 {
            tracing::info!(articles = loaded, "bundled knowledge base loaded");
        }
        tracing::info!(path = %db.path().display(), "cache opened");
        let who = crate::team_connection::Who::stored(&db, &settings.user)?;
        Ok(Frontline {
            who: std::sync::RwLock::new(who),
            desk: crate::desk::DeskCache::default(),
            outages: std::sync::Mutex::new(None),
            reports: crate::reports::ReportCache::default(),
            db,
            clock,
            settings,
            matrix,
            categories,
            synonyms,
            playbooks,
            problems,
            ladders: std::sync::RwLock::new(ladders),
            team: std::sync::RwLock::new(team),
            client_template: std::sync::RwLock::new(client_template),
            vocabulary: std::sync::RwLock::new(None),
        })
    }

    /// Checks every page of the database (seconds on a large cache: run it off the UI thread,
    /// after start). A damaged file gets the same advice as at start.
    pub fn check_integrity(&self) -> Result<()> {
        self.db.quick_check()
    }

    /// Facts about this installation.
    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.settings.data_dir.display().to_string(),
            log_dir: paths::logs(&self.settings.data_dir).display().to_string(),
            user: self.user(),
            schema_version: crate::SCHEMA_VERSION,
        }
    }

    /// What the window shows first: the installation's facts, the form's choices and the
    /// queue's first page with its default filters (open issues, most urgent first).
    pub fn first_screen(&self) -> Result<FirstScreen> {
        let options = self.field_options();
        let query = IssueQuery {
            statuses: options.open_statuses.clone(),
            ..IssueQuery::default()
        };
        Ok(FirstScreen {
            info: self.info(),
            page: self.issues(&query)?,
            options,
            query,
        })
    }

    /// The choices the issue form offers.
    pub fn field_options(&self) -> FieldOptions {
        let choice = |id: &str, label: &str| Choice {
            id: id.to_owned(),
            label: label.to_owned(),
        };
        FieldOptions {
            categories: self.categories.clone(),
            impacts: self.matrix.impacts.clone(),
            urgencies: Urgency::ALL
                .iter()
                .map(|u| choice(u.as_str(), u.label()))
                .collect(),
            priorities: self.matrix.priorities.clone(),
            statuses: status::ALL
                .iter()
                .map(|s| choice(s.as_str(), s.label()))
                .collect(),
            open_statuses: status::OPEN.to_vec(),
            attachment_limit: self.settings.attachment_limit,
            problems: self.problems.clone(),
            title_max: TITLE_MAX as u32,
            text_max: TEXT_MAX as u32,
        }
    }

    /// The priority an issue with this impact and urgency would get, and why.
    pub fn assess(&self, impact: &str, urgency: &str) -> Result<Assessment> {
        self.matrix.assess(impact, Urgency::parse(urgency)?)
    }

    pub(crate) fn now(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    // ---- clients -------------------------------------------------------------------------

    /// Adds a client. Names are unique, ignoring case.
    pub fn create_client(&self, new: NewClient) -> Result<Client> {
        let name = validate::required("Client name", &new.name, NAME_MAX)?;
        let contact = validate::optional("Contact", &new.contact, NAME_MAX)?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.now();
        self.db.write(|tx| {
            let taken: Option<String> = tx
                .query_row("SELECT name FROM clients WHERE name = ?1 COLLATE NOCASE", [&name], |r| r.get(0))
                .optional()?;
            if let Some(existing) = taken {
                return Err(Error::invalid("Client name", format!("a client called \"{existing}\" already exists.")));
            }
            tx.execute(
                "INSERT INTO clients (id, name, contact, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, name, contact, now, self.user()],
            )?;
            Ok(())
        })?;
        tracing::info!(client = %id, "client added");
        Ok(Client {
            id,
            name,
            contact,
            created_at: now,
            open_issues: 0,
            total_issues: 0,
        })
    }

    /// Every client, by name, with counts of their issues.
    pub fn clients(&self) -> Result<Vec<Client>> {
        self.db.read(queries::clients)
    }

    // ---- issues --------------------------------------------------------------------------

    /// Logs a new issue: validates every field, gives it the next FL number, records the
    /// "created" event and drops the new-issue draft, all in one transaction.
    pub fn create_issue(&self, new: NewIssue) -> Result<IssueDetail> {
        let valid = self.check_issue(new)?;
        let now = self.now();
        let id = self.db.write(|tx| {
            let id = self.insert_issue(tx, &valid, &now)?;
            tx.execute("DELETE FROM drafts WHERE key = ?1", [NEW_ISSUE_DRAFT])?;
            Ok(id)
        })?;
        tracing::info!(issue = %id, priority = %valid.assessment.priority, "issue logged");
        self.issue(&id)
    }

    /// Logs many issues at once (an import from a spreadsheet or another tool): all are checked
    /// first, and all are written in one transaction or none is. Returns their ids.
    pub fn import_issues(&self, issues: Vec<NewIssue>) -> Result<Vec<String>> {
        let valid = issues
            .into_iter()
            .map(|n| self.check_issue(n))
            .collect::<Result<Vec<_>>>()?;
        let now = self.now();
        let ids = self.db.write(|tx| {
            valid
                .iter()
                .map(|v| self.insert_issue(tx, v, &now))
                .collect()
        })?;
        tracing::info!(count = valid.len(), "issues imported");
        Ok(ids)
    }

    fn check_issue(&self, new: NewIssue) -> Result<ValidIssue> {
        let title = validate::required("Title", &new.title, TITLE_MAX)?;
        let description = validate::required("Description", &new.description, TEXT_MAX)?;
        let steps = validate::optional("Steps to reproduce", &new.steps, TEXT_MAX)?;
        if new.client_id.trim().is_empty() {
            return Err(Error::invalid(
                "Client",
                "is required. Pick the client who reported it, or add a new one.",
            ));
        }
        let category = self.category(&new.category)?;
        let urgency = Urgency::parse(&new.urgency)?;
        let assessment = self.matrix.assess(&new.impact, urgency)?;
        if !(0..=validate::AFFECTED_USERS_MAX).contains(&new.affected_users) {
            return Err(Error::invalid(
                "Affected users",
                format!("must be between 0 and {}.", validate::AFFECTED_USERS_MAX),
            ));
        }
        Ok(ValidIssue {
            new: NewIssue {
                title,
                description,
                steps,
                category,
                ..new
            },
            urgency,
            assessment,
        })
    }

    fn insert_issue(&self, tx: &Transaction<'_>, v: &ValidIssue, now: &str) -> Result<String> {
        let user = &self.user();
        let new = &v.new;
        let client_exists: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)")?
            .query_row([&new.client_id], |r| r.get(0))?;
        if !client_exists {
            return Err(Error::invalid(
                "Client",
                "is not in the client list. Pick one from the list, or add it first.",
            ));
        }
        let number = next_free_number(tx)?;
        let id = uuid::Uuid::now_v7().to_string();
        tx.prepare_cached(
            "INSERT INTO issues (id, number, client_id, title, description, steps, category, impact, urgency,
                priority, priority_rank, affected_users, status, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14, ?15)",
        )?
        .execute(params![
            id,
            number,
            new.client_id,
            new.title,
            new.description,
            new.steps,
            new.category,
            new.impact,
            v.urgency.as_str(),
            v.assessment.priority,
            v.assessment.rank,
            new.affected_users,
            Status::New.as_str(),
            now,
            user,
        ])?;
        let created = EventBody::Created {
            priority: v.assessment.priority.clone(),
            priority_reason: v.assessment.reason.clone(),
        };
        let client_name: String = tx
            .prepare_cached("SELECT name FROM clients WHERE id = ?1")?
            .query_row([&new.client_id], |r| r.get(0))?;
        let seed = crate::team::IssueSeed {
            issue: NewIssue {
                urgency: v.urgency.as_str().to_owned(),
                ..new.clone()
            },
            client_name,
            priority: v.assessment.priority.clone(),
            priority_rank: v.assessment.rank,
            number: Some(number),
        };
        Change::new(&id, now, user, created)
            .seeded(seed)
            .record(tx)?;
        Ok(id)
    }

    fn category(&self, id: &str) -> Result<String> {
        if id.trim().is_empty() {
            return Err(Error::invalid("Category", "is required."));
        }
        self.categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.id.clone())
            .ok_or_else(|| {
                Error::invalid(
                    "Category",
                    format!(
                        "\"{}\" is not a category. Choose one of: {}.",
                        validate::excerpt(id, 40),
                        self.categories
                            .iter()
                            .map(|c| c.label.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// The issue page's content.
    pub fn issue(&self, id: &str) -> Result<IssueDetail> {
        self.db.read(|conn| {
            let issue = queries::issue(conn, id, &self.matrix)?;
            let events = queries::events(conn, id)?;
            let store = paths::attachments(&self.settings.data_dir);
            let mut detail = IssueDetail {
                next_statuses: issue.status.next().to_vec(),
                playbook: self
                    .playbook_of(&issue.category)
                    .map(|p| playbooks::progress(p, &events)),
                events,
                attachments: queries::attachments(conn, id, &store)?,
                issue,
                readiness: crate::readiness::Readiness {
                    ready: false,
                    items: Vec::new(),
                },
                vendor: crate::sync::outbox::vendor_state(conn, id)?,
                ladder: crate::escalation::LadderPosition {
                    ladder: String::new(),
                    rungs: Vec::new(),
                    current: None,
                    blocked: Vec::new(),
                    chased: false,
                },
                sla: Vec::new(),
                client: crate::client_updates::ClientContact {
                    last_informed: None,
                    update_due: false,
                    reason: String::new(),
                    suggestion: String::new(),
                },
            };
            detail.readiness = crate::readiness::check(&detail);
            detail.ladder = self.ladder_position(&detail);
            detail.sla = self.clocks(&detail);
            detail.client = self.client_contact(&detail);
            Ok(detail)
        })
    }

    /// A window of the issue queue.
    pub fn issues(&self, query: &IssueQuery) -> Result<IssuePage> {
        let user = self.user();
        let only = match &query.report {
            Some(slice) => Some(
                serde_json::to_string(&self.report_issues(slice)?)
                    .map_err(|e| Error::Decode(e.to_string()))?,
            ),
            None => None,
        };
        self.db
            .read(|conn| queries::queue(conn, query, &user, only.as_deref()))
    }

    /// Moves an issue to another status, if the workflow allows it.
    pub fn change_status(&self, id: &str, to: &str, note: &str) -> Result<IssueDetail> {
        let to = Status::parse(to)?;
        let note = validate::optional("Note", note, TEXT_MAX)?;
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            let from = current_status(tx, id)?;
            from.check_transition(to)?;
            Change::new(id, &now, user, EventBody::StatusChanged { from, to, note }).record(tx)?;
            Ok(())
        })?;
        tracing::info!(issue = %id, to = to.as_str(), "status changed");
        self.refresh_sla_due(id)
    }

    /// Adds a note to an issue's timeline.
    pub fn add_note(&self, id: &str, text: &str) -> Result<IssueDetail> {
        let text = validate::required("Note", text, TEXT_MAX)?;
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            current_status(tx, id)?;
            Change::new(id, &now, user, EventBody::Note { text }).record(tx)?;
            Ok(())
        })?;
        self.issue(id)
    }

    // ---- drafts --------------------------------------------------------------------------

    /// Saves the half-typed new issue (replacing the previous save).
    pub fn save_draft(&self, draft: IssueDraft) -> Result<SavedDraft> {
        let body = serde_json::to_string(&draft).map_err(|e| Error::Decode(e.to_string()))?;
        if body.len() > 4 * TEXT_MAX + 4096 {
            return Err(Error::invalid(
                "Draft",
                "is too large to save; shorten the description.",
            ));
        }
        let now = self.now();
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (key, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![NEW_ISSUE_DRAFT, body, now],
            )?;
            Ok(())
        })?;
        Ok(SavedDraft {
            draft,
            saved_at: now,
        })
    }

    /// The saved new-issue draft, if any.
    pub fn draft(&self) -> Result<Option<SavedDraft>> {
        let row: Option<(String, String)> = self.db.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT body, updated_at FROM drafts WHERE key = ?1",
                    [NEW_ISSUE_DRAFT],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })?;
        row.map(|(body, saved_at)| {
            let draft = serde_json::from_str(&body)
                .map_err(|e| Error::Decode(format!("the saved draft: {e}")))?;
            Ok(SavedDraft { draft, saved_at })
        })
        .transpose()
    }

    /// Throws the new-issue draft away.
    pub fn discard_draft(&self) -> Result<()> {
        self.db.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE key = ?1", [NEW_ISSUE_DRAFT])?;
            Ok(())
        })
    }

    // ---- attachments ---------------------------------------------------------------------

    /// Attaches a file from disk (file picker, drag and drop).
    pub fn attach_file(&self, issue_id: &str, source: &Path) -> Result<Attachment> {
        self.ensure_issue(issue_id)?;
        let store = paths::attachments(&self.settings.data_dir);
        let stored = attachments::store_file(&store, source, self.settings.attachment_limit)?;
        self.record_attachment(issue_id, &attachments::display_name(source), stored)
    }

    /// Attaches bytes the UI holds (a pasted screenshot).
    pub fn attach_bytes(
        &self,
        issue_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let file_name = validate::required("File name", file_name, NAME_MAX)?;
        self.ensure_issue(issue_id)?;
        let store = paths::attachments(&self.settings.data_dir);
        let stored =
            attachments::store_bytes(&store, &file_name, bytes, self.settings.attachment_limit)?;
        self.record_attachment(issue_id, &file_name, stored)
    }

    fn ensure_issue(&self, issue_id: &str) -> Result<()> {
        self.db.read(|conn| {
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM issues WHERE id = ?1)",
                [issue_id],
                |r| r.get(0),
            )?;
            if exists {
                Ok(())
            } else {
                Err(Error::NotFound {
                    what: "Issue",
                    id: issue_id.to_owned(),
                })
            }
        })
    }

    fn record_attachment(
        &self,
        issue_id: &str,
        file_name: &str,
        stored: attachments::Stored,
    ) -> Result<Attachment> {
        let store = paths::attachments(&self.settings.data_dir);
        let attachment = Attachment {
            path: attachments::path_of(&store, &stored.sha256)
                .display()
                .to_string(),
            id: uuid::Uuid::now_v7().to_string(),
            issue_id: issue_id.to_owned(),
            sha256: stored.sha256,
            file_name: file_name.to_owned(),
            media_type: attachments::media_type(file_name),
            size: stored.size as i64,
            added_at: self.now(),
            added_by: self.user(),
        };
        let a = &attachment;
        let settings = self.vendor_settings()?;
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            // A file on an escalated issue goes to the vendor now: it must fit the ticket.
            if crate::sync::outbox::escalated(tx, issue_id)? {
                check_ticket_files(tx, issue_id, &settings, a.size, &a.file_name)?;
            }
            tx.execute(
                "INSERT INTO attachments (id, issue_id, sha256, file_name, media_type, size, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![a.id, a.issue_id, a.sha256, a.file_name, a.media_type, a.size, a.added_at, a.added_by],
            )?;
            let change = Change::new(
                issue_id,
                &a.added_at,
                &a.added_by,
                EventBody::AttachmentAdded { attachment_id: a.id.clone(), file_name: a.file_name.clone() },
            )
            .with_file(SharedFile {
                id: a.id.clone(),
                sha256: a.sha256.clone(),
                file_name: a.file_name.clone(),
                media_type: a.media_type.clone(),
                size: a.size,
                present: true,
            });
            // A file attached to an escalated issue goes to the vendor too.
            if crate::sync::outbox::escalated(tx, issue_id)? {
                change.sends(crate::sync::outbox::attach_op(a)).record(tx)?;
            } else {
                change.record(tx)?;
            }
            Ok(())
        })?;
        tracing::info!(issue = %issue_id, attachment = %attachment.id, size = attachment.size, "file attached");
        Ok(attachment)
    }

    /// Where an attachment's content is on disk (to open it with the system viewer).
    pub fn attachment_path(&self, attachment_id: &str) -> Result<(Attachment, PathBuf)> {
        let a = self.db.read(|conn| {
            queries::attachment(
                conn,
                attachment_id,
                &paths::attachments(&self.settings.data_dir),
            )
        })?;
        let path = PathBuf::from(&a.path);
        if !path.exists() && self.team_file_awaited(&a.sha256)? {
            return Err(Error::invalid(
                "Attachment",
                format!(
                    "\"{}\" was added on {}'s desktop and is still on its way from the team hub; it opens once this desktop has synced.",
                    a.file_name, a.added_by
                ),
            ));
        }
        Ok((a, path))
    }

    /// Whether a teammate's file is known here and not yet fetched from the team hub.
    pub(crate) fn team_file_awaited(&self, sha256: &str) -> Result<bool> {
        self.db.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM team_files_wanted WHERE sha256 = ?1)",
                )?
                .query_row([sha256], |r| r.get(0))?)
        })
    }

    // ---- knowledge base ------------------------------------------------------------------

    /// The articles that best match what the agent has typed so far (title and description).
    pub fn suggest_articles(&self, text: &str, limit: usize) -> Result<Vec<kb::ArticleHit>> {
        let vocabulary = self.vocabulary()?;
        self.db
            .read(|conn| kb::suggest(conn, &self.synonyms, &vocabulary, text, limit.clamp(1, 20)))
    }

    /// Reads the index's words for typo matching now, so that the first keystroke after the
    /// knowledge base changed does not pay for it (75 ms at 100,000 articles).
    pub fn prepare_suggestions(&self) -> Result<()> {
        self.vocabulary().map(drop)
    }

    fn vocabulary(&self) -> Result<Arc<kb::Vocabulary>> {
        if let Some(v) = self
            .vocabulary
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return Ok(v.clone());
        }
        let fresh = Arc::new(self.db.read(kb::Vocabulary::read)?);
        *self.vocabulary.write().unwrap_or_else(|e| e.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }

    fn forget_vocabulary(&self) {
        *self.vocabulary.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Stores articles from a help centre (sanitised first), replacing earlier versions.
    pub fn import_articles(&self, articles: &[kb::NewArticle]) -> Result<usize> {
        let n = self.db.write(|tx| kb::upsert(tx, articles))?;
        self.forget_vocabulary();
        Ok(n)
    }

    /// The ids of every stored article from one source ("zendesk").
    pub fn article_ids_from(&self, source: &str) -> Result<Vec<String>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare("SELECT id FROM articles WHERE source = ?1")?;
            let ids = stmt
                .query_map([source], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })
    }

    /// Removes articles (deleted or archived at the source).
    pub fn remove_articles(&self, ids: &[String]) -> Result<usize> {
        let n = self.db.write(|tx| {
            let mut n = 0;
            for id in ids {
                n += tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
            }
            Ok(n)
        })?;
        self.forget_vocabulary();
        Ok(n)
    }

    /// One article, for the reader.
    pub fn article(&self, id: &str) -> Result<kb::Article> {
        self.db.read(|conn| kb::article(conn, id))
    }

    /// Records on the issue's timeline that the agent opened an article.
    pub fn record_article_opened(&self, issue_id: &str, article_id: &str) -> Result<IssueDetail> {
        let article = self.article(article_id)?;
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            let body = EventBody::ArticleOpened {
                article_id: article.id.clone(),
                title: article.title.clone(),
            };
            Change::new(issue_id, &now, user, body).record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// Records whether an article helped. "This solved it" also resolves the issue at the first
    /// line, in the same transaction: first-contact resolution is counted from this.
    pub fn record_article_verdict(
        &self,
        issue_id: &str,
        article_id: &str,
        helped: bool,
    ) -> Result<IssueDetail> {
        let article = self.article(article_id)?;
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            let from = current_status(tx, issue_id)?;
            if helped {
                from.check_transition(Status::Resolved)?;
            }
            let verdict = EventBody::ArticleVerdict {
                article_id: article.id.clone(),
                title: article.title.clone(),
                helped,
            };
            Change::new(issue_id, &now, user, verdict).record(tx)?;
            if helped {
                let note = format!("Resolved at first line with \"{}\"", article.title);
                let resolved = EventBody::StatusChanged {
                    from,
                    to: Status::Resolved,
                    note,
                };
                Change::new(issue_id, &now, user, resolved).record(tx)?;
            }
            Ok(())
        })?;
        self.issue(issue_id)
    }

    fn playbook_of(&self, category: &str) -> Option<&playbooks::Playbook> {
        self.playbooks.iter().find(|p| p.category == category)
    }

    /// The playbook for a category (the new-issue form shows it before the issue exists).
    pub fn playbook(&self, category: &str) -> Option<playbooks::Playbook> {
        self.playbook_of(category).cloned()
    }

    /// Records a playbook step as done, or skipped with a reason (required).
    pub fn record_step(
        &self,
        issue_id: &str,
        step_id: &str,
        done: bool,
        reason: &str,
    ) -> Result<IssueDetail> {
        let reason = if done {
            String::new()
        } else {
            validate::required("Reason", reason, NAME_MAX)?
        };
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            let category: String = tx.query_row(
                "SELECT category FROM issues WHERE id = ?1",
                [issue_id],
                |r| r.get(0),
            )?;
            let step = self
                .playbook_of(&category)
                .and_then(|p| p.steps.iter().find(|s| s.id == step_id))
                .ok_or_else(|| Error::NotFound {
                    what: "Playbook step",
                    id: step_id.to_owned(),
                })?;
            let body = EventBody::StepRecorded {
                step_id: step.id.clone(),
                text: step.text.clone(),
                done,
                reason,
            };
            Change::new(issue_id, &now, user, body).record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// Records why the issue has no screenshot (readiness accepts a reason instead).
    pub fn waive_screenshot(&self, issue_id: &str, reason: &str) -> Result<IssueDetail> {
        let reason = validate::required("Reason", reason, NAME_MAX)?;
        let now = self.now();
        let user = &self.user();
        self.db.write(|tx| {
            current_status(tx, issue_id)?;
            Change::new(issue_id, &now, user, EventBody::ScreenshotWaived { reason }).record(tx)?;
            Ok(())
        })?;
        self.issue(issue_id)
    }

    /// The log folder.
    pub fn log_dir(&self) -> PathBuf {
        paths::logs(&self.settings.data_dir)
    }
}

/// A new issue whose fields have all been checked.
struct ValidIssue {
    new: NewIssue,
    urgency: Urgency,
    assessment: Assessment,
}

fn probe_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(|source| Error::DataDir {
        path: dir.to_owned(),
        source,
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::File {
            action: "read",
            path: path.to_owned(),
            source,
        }),
    }
}

/// Refuses, before anything is queued, files the vendor's ticket cannot take: the issue's files
/// and `adding` (bytes) together over the helpdesk's limit per ticket.
pub(crate) fn check_ticket_files(
    tx: &rusqlite::Connection,
    issue_id: &str,
    settings: &crate::sync::connection::VendorSettings,
    adding: i64,
    what: &str,
) -> Result<()> {
    let Some(limit) = settings.ticket_files_limit() else {
        return Ok(());
    };
    let held: i64 = tx
        .prepare_cached("SELECT coalesce(sum(size), 0) FROM attachments WHERE issue_id = ?1")?
        .query_row([issue_id], |r| r.get(0))?;
    let total = held + adding;
    if total as u64 <= limit {
        return Ok(());
    }
    let mb = |b: i64| b as f64 / 1_048_576.0;
    Err(Error::invalid(
        "Attachment",
        format!(
            "{what} cannot go to the vendor: {} takes at most {:.0} MB of files per ticket, and this issue's files would come to {:.1} MB. Attach a smaller excerpt, or share a link in a message.",
            settings.vendor.label(),
            mb(limit as i64),
            mb(total)
        ),
    ))
}

/// Suspected outages as found at a database version and minute under a rule.
pub(crate) type OutagesFound = (
    (i64, i64, crate::outage::OutageRule),
    Vec<crate::outage::SuspectedOutage>,
);
