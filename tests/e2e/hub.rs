//! The team hub's work in the real window, against a real PostgreSQL hub the tests start:
//! - the app connects from its Team hub page (a wrong password is named there), shows an issue
//!   a teammate's (headless) desktop logged in the Team scope, not in Mine, and announces a
//!   lead's critical flag as a desktop notification on its own D-Bus session bus;
//! - two desktops change one issue while offline; the app on the desktop whose change lost
//!   shows the team's state, with its own change struck through and who replaced it, and a
//!   flag the hub refused parked on the timeline with the hub's words, to try again or let go.
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontline_core::escalation::CriticalReason;
use frontline_core::model::{NewClient, NewIssue};
use frontline_core::team_connection::HubIdentity;
use frontline_core::{Frontline, Settings, SystemClock};
use frontline_hub::cluster::Cluster;
use frontline_hub::team::sync_once;
use frontline_hub::{admin, schema, Hub, HubConfig};

use crate::harness::{free_port, launch, launch_with};

/// What a notification server on a bus of our own was asked to show: (summary, body).
type Shown = Arc<Mutex<Vec<(String, String)>>>;

struct Notifications {
    shown: Shown,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        shown.push((summary, body));
        shown.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("e2e".into(), "frontline".into(), "1".into(), "1.2".into())
    }

    fn close_notification(&self, _id: u32) {}
}

/// A session bus of the test's own (so no other test's app shows notifications to us), with a
/// notification server recording what it is asked to show.
struct OwnBus {
    daemon: std::process::Child,
    address: String,
    shown: Shown,
    _server: zbus::Connection,
}

impl Drop for OwnBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

async fn own_bus() -> OwnBus {
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon");
    let mut address = String::new();
    BufReader::new(daemon.stdout.take().expect("stdout"))
        .read_line(&mut address)
        .expect("bus address");
    let address = address.trim().to_owned();
    let shown: Shown = Arc::default();
    let server = zbus::connection::Builder::address(address.as_str())
        .expect("address")
        .name("org.freedesktop.Notifications")
        .expect("name")
        .serve_at(
            "/org/freedesktop/Notifications",
            Notifications {
                shown: shown.clone(),
            },
        )
        .expect("serve")
        .build()
        .await
        .expect("notification server");
    OwnBus {
        daemon,
        address,
        shown,
        _server: server,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_the_app_shows_a_teammates_issue_in_the_team_scope_and_a_leads_flag_as_a_notification()
{
    let hub = TestHub::start(&[("ana", false), ("sam", false), ("lena", true)]).await;
    let (port, config) = (hub.port, |user: &str| hub.config(user));

    // Ana's app, on a bus of its own, connected from the Team hub page.
    let bus = own_bus().await;
    let ana_dir = tempfile::tempdir().expect("ana");
    let app = launch_with(
        ana_dir.path(),
        &[("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str())],
    )
    .await;
    app.click_button("Connect to a team hub").await;
    app.type_into("hub-address", &format!("127.0.0.1:{port}/postgres"))
        .await;
    app.type_into("hub-user", "ana").await;
    app.type_into("hub-password", "not-her-password").await;
    app.click_button("Test connection").await;
    app.wait_text(
        "[data-testid=hub-test-result]",
        "refused the password for \"ana\"",
    )
    .await;
    app.screenshot("hub-wrong-password").await;
    let field = app.wait("#hub-password").await;
    field.clear().await.expect("clear");
    field.send_keys("frontline").await.expect("type");
    app.click_button("Test connection").await;
    app.wait_text("[data-testid=hub-test-result]", "as ana, an agent")
        .await;
    app.click_button("Save and connect").await;
    app.wait_text("[data-testid=hub-status]", "up to date")
        .await;
    app.wait_text(
        "[data-testid=signed-in]",
        "Signed in as ana · agent (team hub)",
    )
    .await;

    // Sam logs an issue on his desktop and shares it.
    let sam_dir = tempfile::tempdir().expect("sam");
    let sam = core(sam_dir.path(), "sam");
    let sam_hub = Hub::connect(config("sam")).await.expect("sam's hub");
    let client_id = sam
        .create_client(NewClient {
            name: "Contoso Payroll".into(),
            contact: String::new(),
        })
        .expect("client")
        .id;
    let issue = sam
        .create_issue(NewIssue {
            client_id,
            title: "Payroll run stops at 80 percent".into(),
            description: "The March payroll run stops at 80% with no error.".into(),
            steps: "1. Start the March run".into(),
            category: "bug".into(),
            impact: "whole_client".into(),
            urgency: "high".into(),
            affected_users: 200,
        })
        .expect("issue")
        .issue;
    sync_once(&sam, &sam_hub).await.expect("sam syncs");

    // Ana's queue shows it in the Team scope (the hub's poke, no timer), with who logged it.
    // (Cells that cut long text short are not "visible text" to WebDriver: their titles are.)
    app.click_button("Issue queue").await;
    let payroll =
        "//div[contains(@class, 'queue-row')]/span[@title='Payroll run stops at 80 percent']";
    app.wait_xpath(payroll).await;
    app.wait_xpath(
        "//div[contains(@class, 'queue-row')]/span[starts-with(@title, 'Logged by sam')]",
    )
    .await;
    app.screenshot("hub-team-scope").await;
    let scope = |name: &str| {
        format!("//div[@aria-label='Whose issues']/button[normalize-space(.)='{name}']")
    };
    app.wait_xpath(&scope("Mine"))
        .await
        .click()
        .await
        .expect("Mine");
    app.wait_text("[data-testid=queue-count]", "0 issues · Mine")
        .await;
    app.wait_xpath(&scope("Team"))
        .await
        .click()
        .await
        .expect("Team");
    app.wait_xpath(payroll).await;

    // Lena, a lead, flags it critical on hers: Ana's desktop says so.
    let lena_dir = tempfile::tempdir().expect("lena");
    let lena = core(lena_dir.path(), "lena");
    let lena_hub = Hub::connect(config("lena")).await.expect("lena's hub");
    lena.set_hub_identity(&HubIdentity {
        login: "lena".into(),
        lead: true,
    })
    .expect("lena is a lead");
    sync_once(&lena, &lena_hub).await.expect("lena syncs");
    lena.flag_critical(&issue.id, CriticalReason::SeveralClients)
        .expect("flag");
    sync_once(&lena, &lena_hub).await.expect("lena shares");

    let started = Instant::now();
    let notice = loop {
        let found = bus
            .shown
            .lock()
            .unwrap()
            .iter()
            .find(|(summary, _)| summary.contains("flagged critical by lena"))
            .cloned();
        if let Some(n) = found {
            break n;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no notification of lena's flag; shown: {:?}",
            bus.shown.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        notice.0.contains(&issue.key) && notice.1.contains("Contoso Payroll"),
        "the notification names the issue and the client: {notice:?}"
    );
    app.wait_xpath(payroll)
        .await
        .click()
        .await
        .expect("open the issue");
    app.wait_text("[data-testid=timeline]", "lena").await;
    app.screenshot("hub-lead-flag").await;
    app.close().await;
    hub.stop();
}

/// A PostgreSQL hub in a temp folder with these members (login, lead), password "frontline".
struct TestHub {
    cluster: Cluster,
    port: u16,
    _root: tempfile::TempDir,
}

impl TestHub {
    async fn start(members: &[(&str, bool)]) -> TestHub {
        let root = tempfile::Builder::new()
            .prefix("frontline-e2e-hub")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let port = free_port();
        let cluster = Cluster::start(&root.path().join("cluster"), port).expect("PostgreSQL");
        let mut client = cluster.admin("postgres").await.expect("admin");
        schema::migrate(&mut client).await.expect("schema");
        for (login, lead) in members {
            admin::add_member(&client, login, "frontline", *lead)
                .await
                .expect("member");
        }
        TestHub {
            cluster,
            port,
            _root: root,
        }
    }

    fn config(&self, user: &str) -> HubConfig {
        HubConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            user: user.into(),
            password: "frontline".into(),
            database: "postgres".into(),
        }
    }

    fn stop(self) {
        self.cluster.stop().expect("stop PostgreSQL");
    }
}

fn core(dir: &std::path::Path, user: &str) -> Arc<Frontline> {
    let mut s = Settings::for_dir(dir);
    s.user = user.into();
    Arc::new(Frontline::open(s, Arc::new(SystemClock)).expect("cache"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_change_that_lost_to_a_teammates_later_one_shows_struck_through() {
    let hub = TestHub::start(&[("ana", false), ("sam", false)]).await;
    let config = |user: &str| hub.config(user);

    let ana_dir = tempfile::tempdir().expect("ana");
    let sam_dir = tempfile::tempdir().expect("sam");
    // Ana's own team file names her a lead; the hub does not.
    let bundled = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src-tauri/crates/frontline-core/presets/team.toml"
    ))
    .expect("bundled team file");
    std::fs::write(
        ana_dir.path().join("team.toml"),
        bundled.replace("leads = []", "leads = [\"ana\"]"),
    )
    .expect("team file");
    let (ana, sam) = (core(ana_dir.path(), "ana"), core(sam_dir.path(), "sam"));
    let (ana_hub, sam_hub) = (
        Hub::connect(config("ana")).await.expect("ana's hub"),
        Hub::connect(config("sam")).await.expect("sam's hub"),
    );
    let id = crate::sync::log_invoice_issue(&ana);
    sync_once(&ana, &ana_hub).await.expect("sync");
    sync_once(&sam, &sam_hub).await.expect("sync");
    ana.change_status(&id, "in_progress", "Looking into it")
        .expect("ana");
    sam.change_status(&id, "waiting_on_client", "Asked for the export file")
        .expect("sam");
    ana.flag_critical(&id, CriticalReason::ChurnRisk)
        .expect("flagged on Ana's desktop");
    sync_once(&ana, &ana_hub).await.expect("sync");
    sync_once(&sam, &sam_hub).await.expect("sync");
    sync_once(&ana, &ana_hub).await.expect("sync");
    drop((ana, sam));

    let app = launch(ana_dir.path()).await;
    app.open_issue("FL-1001", "Invoice export fails").await;
    app.wait_text("[data-testid=timeline]", "replaced by sam's change of")
        .await;
    app.wait_text(".timeline .superseded", "In progress").await;
    app.wait_text(".issue-layout .actions", "Waiting on client")
        .await;
    app.wait_text(
        "[data-testid=hub-refusal]",
        "The team hub refused this: only a team lead may flag an issue critical",
    )
    .await;
    app.screenshot("hub-superseded-change").await;
    app.click_button("Let it go").await;
    app.wait_text(
        "[data-testid=hub-refusal]",
        "Let go — the team hub refused it",
    )
    .await;
    app.close().await;
    hub.stop();
}
