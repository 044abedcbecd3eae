//! The team hub's work in the real window: two desktops (headless cores, each its own data
//! folder) change one issue while offline and sync through a real PostgreSQL hub; the app
//! opened on the desktop whose change lost shows the issue in the team's state, with its own
//! change struck through and who replaced it.
use std::sync::Arc;

use frontline_core::{Frontline, Settings, SystemClock};
use frontline_hub::cluster::Cluster;
use frontline_hub::team::sync_once;
use frontline_hub::{admin, schema, Hub, HubConfig};

use crate::harness::{free_port, launch};

fn core(dir: &std::path::Path, user: &str) -> Arc<Frontline> {
    let mut s = Settings::for_dir(dir);
    s.user = user.into();
    Arc::new(Frontline::open(s, Arc::new(SystemClock)).expect("cache"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_a_change_that_lost_to_a_teammates_later_one_shows_struck_through() {
    let root = tempfile::Builder::new()
        .prefix("frontline-e2e-hub")
        .tempdir_in("/tmp")
        .expect("temp dir");
    let port = free_port();
    let cluster = Cluster::start(&root.path().join("cluster"), port).expect("PostgreSQL");
    let mut client = cluster.admin("postgres").await.expect("admin");
    schema::migrate(&mut client).await.expect("schema");
    let config = |user: &str| HubConfig {
        host: "127.0.0.1".into(),
        port,
        user: user.into(),
        password: "frontline".into(),
        database: "postgres".into(),
    };
    for login in ["ana", "sam"] {
        admin::add_member(&client, login, "frontline", false)
            .await
            .expect("member");
    }

    let ana_dir = tempfile::tempdir().expect("ana");
    let sam_dir = tempfile::tempdir().expect("sam");
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
    sync_once(&ana, &ana_hub).await.expect("sync");
    sync_once(&sam, &sam_hub).await.expect("sync");
    sync_once(&ana, &ana_hub).await.expect("sync");
    drop((ana, sam));

    let app = launch(ana_dir.path()).await;
    app.wait_text(".queue-row", "FL-1001")
        .await
        .click()
        .await
        .expect("open the issue");
    app.wait_text("[data-testid=issue-title]", "Invoice export fails")
        .await;
    app.wait_text("[data-testid=timeline]", "replaced by sam's change of")
        .await;
    app.wait_text(".timeline .superseded", "In progress").await;
    app.wait_text(".issue-layout .actions", "Waiting on client")
        .await;
    app.screenshot("hub-superseded-change").await;
    app.close().await;
    cluster.stop().expect("stop PostgreSQL");
}
