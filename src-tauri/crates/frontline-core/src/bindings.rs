//! The TypeScript twins of every type that crosses the IPC boundary, generated from the Rust
//! definitions into one file the UI imports (`ui/src/shared/bindings.ts`). A test fails when
//! the committed file is stale; `UPDATE_BINDINGS=1 cargo test` rewrites it.
use ts_rs::{Config, TS};

use crate::client_updates::ClientContact;
use crate::desk::{Desk, DeskRow};
use crate::error::{ErrorCode, Failure};
use crate::escalation::{CriticalReason, LadderPosition, TeamInfo};
use crate::evidence::Verdict;
use crate::kb::{Article, ArticleHit};
use crate::ladder::{Ladder, Method, PerUrgency, Role, Rung};
use crate::model::*;
use crate::outage::SuspectedOutage;
use crate::playbooks::{Playbook, PlaybookProgress, Step, StepState};
use crate::priority::{Assessment, PriorityMatrix};
use crate::readiness::{Readiness, ReadinessItem};
use crate::reports::{
    Breach, Compliance, Count, Figures, GroupFigures, Measure, Period, Report, ReportScope,
    ReportSlice, SlaLine, Spread, WeekFigures,
};
use crate::sla::ClockState;
use crate::status::Status;
use crate::sync::connection::{VendorConnection, VendorKind, VendorSettings};
use crate::sync::engine::{Progress, SyncStatus};
use crate::sync::outbox::{OutboxItem, VendorState};
use crate::sync::zendesk::Mode;
use crate::team_connection::{HubConnection, HubIdentity, HubSettings, HubStatus};

macro_rules! declare {
    ($cfg:expr, $out:expr, $($t:ty),* $(,)?) => {
        $( $out.push_str(&format!("export {}\n\n", <$t as TS>::decl($cfg))); )*
    };
}

/// The generated TypeScript, with a header saying where it comes from.
pub fn typescript() -> String {
    let cfg = Config::default();
    let mut out = String::from(
        "// Generated from frontline-core's Rust types by `bindings::typescript()`. Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p frontline-core --test core bindings` instead.\n\n",
    );
    declare!(
        &cfg,
        out,
        AppInfo,
        Article,
        ArticleHit,
        Assessment,
        Attachment,
        Category,
        ClockState,
        CriticalReason,
        Desk,
        DeskRow,
        Choice,
        Client,
        ClientContact,
        ErrorCode,
        EventBody,
        Failure,
        FieldOptions,
        FirstScreen,
        HubConnection,
        HubRefusal,
        HubIdentity,
        HubSettings,
        HubStatus,
        IncidentLink,
        Issue,
        IssueDetail,
        IssueDraft,
        IssueEvent,
        IssuePage,
        IssueQuery,
        IssueRow,
        Ladder,
        LadderPosition,
        Method,
        Mode,
        OutboxItem,
        Progress,
        SyncStatus,
        TeamInfo,
        VendorConnection,
        VendorSettings,
        VendorState,
        Line,
        NewClient,
        NewIssue,
        Playbook,
        PlaybookProgress,
        PerUrgency,
        PriorityFields,
        VendorKind,
        PriorityMatrix,
        QueueSort,
        Readiness,
        ReadinessItem,
        Breach,
        Compliance,
        Count,
        Figures,
        GroupFigures,
        Measure,
        Period,
        Report,
        ReportScope,
        ReportSlice,
        SlaLine,
        Spread,
        WeekFigures,
        Role,
        Rung,
        SavedDraft,
        Status,
        Step,
        SuspectedOutage,
        StepState,
        Urgency,
        Verdict,
    );
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
