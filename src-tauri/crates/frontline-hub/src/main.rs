//! `frontline-hub`: set up a team hub.
//!
//! `frontline-hub demo [--dir DIR] [--port N]` creates a PostgreSQL cluster in DIR (as the
//! `postgres` user when run as root), starts it, applies the hub's schema, adds a lead and two
//! agents, prints how to connect, and stops the cluster on Ctrl+C.
//!
//! `frontline-hub init --host H --port N --database D --admin USER` applies the schema to an
//! existing server (the administrator's password in `FRONTLINE_HUB_ADMIN_PASSWORD`).
//!
//! `frontline-hub sync --data DIR --host H [--port N] [--database D] --user U` syncs the
//! Frontline data folder DIR with the hub once, as U (password in `FRONTLINE_HUB_PASSWORD`),
//! as the app's worker does: a desktop without a window (a kiosk, a script, a test).
#![allow(clippy::print_stdout)] // A command line: its answer goes to standard output.
use std::path::PathBuf;
use std::sync::Arc;

use frontline_hub::{admin, cluster, schema};

const USAGE: &str = "\
frontline-hub: set up a Frontline team hub (PostgreSQL)

Usage:
  frontline-hub demo [--dir DIR] [--port N]
      a local hub for a demo: cluster in DIR (default ./target/hub), port N (default 54329),
      a lead (lee) and two agents (ana, sam), all with the password \"frontline\"
  frontline-hub init --host H [--port N] [--database D] --admin USER
      apply the hub's schema on an existing server; the administrator's password is read
      from FRONTLINE_HUB_ADMIN_PASSWORD
  frontline-hub sync --data DIR --host H [--port N] [--database D] --user U
      share the Frontline data folder DIR with the hub once (push, then pull), signed in as
      U; the password is read from FRONTLINE_HUB_PASSWORD
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("frontline-hub: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let result = match args.first().map(String::as_str) {
        Some("demo") => runtime.block_on(demo(&args[1..])),
        Some("init") => runtime.block_on(init(&args[1..])),
        Some("sync") => runtime.block_on(sync(&args[1..])),
        _ => {
            print!("{USAGE}");
            return;
        }
    };
    if let Err(e) = result {
        eprintln!("frontline-hub: {e}");
        std::process::exit(1);
    }
}

fn option(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

async fn admin_client(
    host: &str,
    port: u16,
    user: &str,
    password: Option<&str>,
    database: &str,
) -> Result<tokio_postgres::Client, String> {
    let mut config = tokio_postgres::Config::new();
    config.host(host).port(port).user(user).dbname(database);
    if let Some(p) = password {
        config.password(p);
    }
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("cannot connect to {host}:{port} as {user}: {e}"))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("frontline-hub: connection ended: {e}");
        }
    });
    Ok(client)
}

async fn demo(args: &[String]) -> Result<(), String> {
    let dir = option(args, "--dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/hub"));
    let dir = std::path::absolute(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let port: u16 = option(args, "--port")
        .map(|p| {
            p.parse()
                .map_err(|_| format!("--port {p}: not a port number"))
        })
        .transpose()?
        .unwrap_or(54329);
    let server = cluster::Cluster::start(&dir, port).map_err(|e| e.to_string())?;
    let mut client = server.admin("postgres").await.map_err(|e| e.to_string())?;
    schema::migrate(&mut client)
        .await
        .map_err(|e| e.to_string())?;
    for (login, lead) in [("lee", true), ("ana", false), ("sam", false)] {
        admin::add_member(&client, login, "frontline", lead)
            .await
            .map_err(|e| e.to_string())?;
    }
    println!(
        "Team hub running: host 127.0.0.1, port {port}, database postgres.\n\
         In Frontline: sidebar > Connect to a team hub, address 127.0.0.1:{port}/postgres.\n\
         People (password \"frontline\"): lee (team lead), ana and sam (agents).\n\
         Data in {}; server log {}.\nCtrl+C stops it.",
        dir.display(),
        server.log().display()
    );
    let _ = tokio::signal::ctrl_c().await;
    server.stop().map_err(|e| e.to_string())?;
    println!("Team hub stopped.");
    Ok(())
}

fn port_option(args: &[String], default: u16) -> Result<u16, String> {
    Ok(option(args, "--port")
        .map(|p| {
            p.parse()
                .map_err(|_| format!("--port {p}: not a port number"))
        })
        .transpose()?
        .unwrap_or(default))
}

async fn sync(args: &[String]) -> Result<(), String> {
    let dir = option(args, "--data").ok_or("sync needs --data")?;
    let user = option(args, "--user").ok_or("sync needs --user")?;
    let config = frontline_hub::HubConfig {
        host: option(args, "--host").ok_or("sync needs --host")?,
        port: port_option(args, 5432)?,
        user: user.clone(),
        password: std::env::var("FRONTLINE_HUB_PASSWORD")
            .map_err(|_| "sync reads the password from FRONTLINE_HUB_PASSWORD")?,
        database: option(args, "--database").unwrap_or_else(|| "frontline".to_owned()),
    };
    let mut settings = frontline_core::Settings::for_dir(&dir);
    settings.user = user;
    let core = frontline_core::Frontline::open(settings, Arc::new(frontline_core::SystemClock))
        .map(Arc::new)
        .map_err(|e| e.to_string())?;
    let hub = frontline_hub::Hub::connect(config)
        .await
        .map_err(|e| e.to_string())?;
    let done = frontline_hub::team::sync_once(&core, &hub)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "pushed {}, refused {}, applied {}",
        done.pushed, done.refused, done.applied
    );
    Ok(())
}

async fn init(args: &[String]) -> Result<(), String> {
    let host = option(args, "--host").ok_or("init needs --host")?;
    let port: u16 = option(args, "--port")
        .map(|p| {
            p.parse()
                .map_err(|_| format!("--port {p}: not a port number"))
        })
        .transpose()?
        .unwrap_or(5432);
    let database = option(args, "--database").unwrap_or_else(|| "postgres".to_owned());
    let user = option(args, "--admin").ok_or("init needs --admin")?;
    let password = std::env::var("FRONTLINE_HUB_ADMIN_PASSWORD").ok();
    let mut client = admin_client(&host, port, &user, password.as_deref(), &database).await?;
    schema::migrate(&mut client)
        .await
        .map_err(|e| e.to_string())?;
    println!("The hub's schema is in place on {host}:{port}/{database}.");
    Ok(())
}
