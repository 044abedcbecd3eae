//! Convergence under faults, seeded and replayable (`HUB_SEED=…`): three desktops act at random
//! on shared issues while going offline and online; one of them (kim) shares its work only
//! through `frontline-hub sync` processes, ten of which are SIGKILLed at a random moment of
//! their sync; the PostgreSQL server is restarted twice. In the end every desktop shows the
//! same issues with the same timelines, the hub holds each event exactly once, and every
//! cache passes SQLite's integrity check.
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use frontline_core::escalation::CriticalReason;
use frontline_core::model::IssueQuery;
use frontline_core::Frontline;
use frontline_hub::cluster::Cluster;
use frontline_hub::team::sync_once;
use frontline_hub::{admin, schema, Hub, HubConfig};

use crate::{free_port, signed_in, PASSWORD};

const ACTIONS_PER_DESKTOP: usize = 300;
const KILLS: usize = 10;

struct Desktop {
    login: &'static str,
    dir: tempfile::TempDir,
    core: Arc<Frontline>,
    /// `None`: this desktop shares through `frontline-hub sync` processes.
    hub: Option<Hub>,
    online: bool,
}

fn config(port: u16, user: &str) -> HubConfig {
    HubConfig {
        host: "127.0.0.1".into(),
        port,
        user: user.into(),
        password: PASSWORD.into(),
        database: "postgres".into(),
    }
}

/// `frontline-hub sync` on kim's folder, as a process of its own.
fn sync_process(dir: &std::path::Path, port: u16) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_frontline-hub"))
        .args(["sync", "--host", "127.0.0.1", "--database", "postgres"])
        .args(["--port", &port.to_string(), "--user", "kim", "--data"])
        .arg(dir)
        .env("FRONTLINE_HUB_PASSWORD", PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("frontline-hub sync")
}

impl Desktop {
    /// One sync; a failure (the server restarting, a killed process) is a desktop that
    /// stays behind until its next one.
    async fn sync(&self, port: u16) -> bool {
        match &self.hub {
            Some(hub) => match sync_once(&self.core, hub).await {
                Ok(_) => true,
                Err(e) => {
                    eprintln!("{}: sync failed: {e}", self.login);
                    false
                }
            },
            None => {
                let out = sync_process(self.dir.path(), port)
                    .wait_with_output()
                    .expect("wait");
                if !out.status.success() {
                    eprintln!("kim: sync failed: {}", String::from_utf8_lossy(&out.stderr));
                }
                out.status.success()
            }
        }
    }

    fn log(&self, n: usize) -> String {
        crate::log_issue(
            &self.core,
            &format!("Client {n} of {}", self.login),
            &format!("Exports fail, case {n}"),
        )
    }

    /// What a person sees of every issue: number, title and priority, status, flag, who last
    /// worked on it and when, and timeline.
    fn view(&self) -> BTreeMap<String, (String, String, String, bool, Vec<String>)> {
        let page = self
            .core
            .issues(&IssueQuery {
                limit: 500,
                ..IssueQuery::default()
            })
            .unwrap();
        page.rows
            .iter()
            .map(|row| {
                let d = self.core.issue(&row.id).unwrap();
                let mut events: Vec<String> = d
                    .events
                    .iter()
                    .map(|e| format!("{} {} {:?}", e.at, e.actor, e.body))
                    .collect();
                events.sort();
                (
                    row.id.clone(),
                    (
                        d.issue.key.clone(),
                        format!(
                            "{} · {} ({} × {:?})",
                            d.issue.title, d.issue.priority, d.issue.impact, d.issue.urgency
                        ),
                        format!(
                            "{}, last worked on by {} at {}",
                            d.issue.status.as_str(),
                            d.issue.updated_by,
                            d.issue.updated_at
                        ),
                        d.issue.critical,
                        events,
                    ),
                )
            })
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_convergence_under_kills_restarts_and_offline_desktops() {
    let seed = std::env::var("HUB_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("hub faults: seed {seed} (replay with HUB_SEED={seed})");
    let mut rng = fastrand::Rng::with_seed(seed);

    // A server of this test's own: it is restarted.
    let root = tempfile::Builder::new()
        .prefix("frontline-hub-faults")
        .tempdir_in("/tmp")
        .unwrap();
    let port = free_port();
    let mut cluster = Cluster::start(&root.path().join("cluster"), port).expect("PostgreSQL");
    {
        let mut client = cluster.admin("postgres").await.unwrap();
        schema::migrate(&mut client).await.unwrap();
        for (login, lead) in [("lee", true), ("ana", false), ("kim", false)] {
            admin::add_member(&client, login, PASSWORD, lead)
                .await
                .unwrap();
        }
    }

    let mut desks = Vec::new();
    for (login, lead, in_process) in [
        ("ana", false, true),
        ("lee", true, true),
        ("kim", false, false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let core = signed_in(dir.path(), login, lead);
        let hub = if in_process {
            Some(Hub::connect(config(port, login)).await.unwrap())
        } else {
            None
        };
        desks.push(Desktop {
            login,
            dir,
            core,
            hub,
            online: true,
        });
    }
    let mut issues: Vec<String> = (0..3).map(|n| desks[0].log(n)).collect();
    for d in desks.iter().chain(desks.iter()) {
        assert!(d.sync(port).await, "{} syncs before the faults", d.login);
    }

    let total = ACTIONS_PER_DESKTOP * desks.len();
    let restarts = [total / 3, 2 * total / 3];
    let mut kill_at: Vec<usize> = (0..KILLS).map(|_| rng.usize(..total)).collect();
    kill_at.sort();
    let (mut kills, mut kills_mid_push) = (0, 0);
    for step in 0..total {
        if restarts.contains(&step) {
            cluster.restart().expect("restart PostgreSQL");
            eprintln!("step {step}: PostgreSQL restarted");
        }
        while kill_at.first().is_some_and(|k| *k <= step) {
            kill_at.remove(0);
            let kim = &desks[2];
            let before = kim.core.team_counts().unwrap().0;
            let mut child = sync_process(kim.dir.path(), port);
            // The fault: a kill at a random moment of the process's life.
            tokio::time::sleep(Duration::from_millis(rng.u64(..400))).await;
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            kills += 1;
            let after = kim.core.team_counts().unwrap().0;
            if before > 0 && after == before {
                kills_mid_push += 1;
            }
        }
        let i = rng.usize(..desks.len());
        if rng.u8(..20) == 0 {
            desks[i].online = !desks[i].online;
        }
        let d = &desks[i];
        let id = issues[rng.usize(..issues.len())].clone();
        // An issue logged elsewhere is acted on once this desktop has heard of it.
        let known = d.core.issue(&id).is_ok();
        match rng.u8(..20) {
            0..=10 if !known => {}
            12 if !known => {}
            0..=6 => {
                let next = d.core.issue(&id).unwrap().next_statuses;
                if !next.is_empty() {
                    let to = next[rng.usize(..next.len())];
                    d.core.change_status(&id, to.as_str(), "").unwrap();
                }
            }
            7..=10 => {
                d.core.add_note(&id, &format!("note {step}")).unwrap();
            }
            // Numbers past the three logged before the faults: each client's name is new.
            11 => issues.push(d.log(3 + step)),
            12 if d.login == "lee" => {
                d.core
                    .flag_critical(&id, CriticalReason::SeveralClients)
                    .unwrap();
            }
            13 if known => crate::team::reprioritise(&d.core, &id, &mut rng),
            _ if d.online => {
                d.sync(port).await;
            }
            _ => {}
        }
    }
    eprintln!("{kills} sync processes killed, {kills_mid_push} before their push was marked done");

    // Everyone back online: sync until nothing is waiting anywhere and a round changes
    // nothing.
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds < 20, "no convergence after 20 rounds (seed {seed})");
        let mut ok = true;
        for d in &desks {
            ok &= d.sync(port).await;
        }
        let waiting: i64 = desks.iter().map(|d| d.core.team_counts().unwrap().0).sum();
        if ok && waiting == 0 {
            for d in &desks {
                assert!(d.sync(port).await);
            }
            break;
        }
    }

    let first = desks[0].view();
    assert!(first.len() >= 3);
    for d in &desks[1..] {
        let view = d.view();
        assert_eq!(
            view.keys().collect::<Vec<_>>(),
            first.keys().collect::<Vec<_>>(),
            "{} has other issues (seed {seed})",
            d.login
        );
        for (id, issue) in &first {
            assert_eq!(
                &view[id], issue,
                "{} differs on {id} (seed {seed})",
                d.login
            );
        }
    }
    // Exactly once on the hub: as many events per issue as every timeline shows.
    let admin = cluster.admin("postgres").await.unwrap();
    for (id, (_, _, _, _, events)) in &first {
        let on_hub: i64 = admin
            .query_one(
                "SELECT count(*) FROM frontline.events WHERE issue_id = $1::text::uuid",
                &[id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(
            on_hub as usize,
            events.len(),
            "events of {id} on the hub (seed {seed})"
        );
    }
    for d in &desks {
        d.core.check_integrity().expect("PRAGMA integrity_check");
    }
    drop(desks);
    cluster.stop().unwrap();
}
