//! `frontline-vendor-sim --port 8089`: the simulator as its own process.
#![allow(clippy::print_stdout)] // A command line: its answer goes to standard output.
use std::net::SocketAddr;
use std::time::Duration;

use frontline_vendor_sim::{Config, Fault, FaultPlan, Simulator};

const USAGE: &str = "\
frontline-vendor-sim: a Zendesk- or Freshdesk-compatible helpdesk on loopback, for tests and demos

Options:
  --flavour NAME         zendesk (default) or freshdesk
  --port N               listen on 127.0.0.1:N (default 8089; 0 picks a free port)
  --db PATH              the SQLite file (default ./vendor-sim.sqlite3)
  --token T              require Basic auth \"email/token:T\" (Freshdesk: the API key, \"T:X\")
  --rate-limit N         requests per window before 429 (default: no limit)
  --rate-window-ms MS    the rate-limit window (default 60000)
  --idempotent-requests  let /requests.json honour Idempotency-Key too
  --auto-reply-ms MS     the vendor's agent answers each new ticket after MS
  --chaos RATE           fail RATE of requests with every transient fault
  --fault NAME=RATE      fail RATE of requests with one fault (repeatable); names:
                         500 503 429 plain429 timeout reset drop late malformed
                         html no-id wrong-types huge 422
  --latency-ms MS        added to every request
  --timeout-ms MS        how long a `timeout` fault hangs (default 30000)
  --late-ms MS           how long a `late` fault holds a write before carrying it
                         out, answering nobody (default 45000)
  --retry-after VALUE    Retry-After sent with 429/503 faults (default 1)
  --loop-cursor          paginated lists hand out the same cursor forever
  --seed N               seed of the fault dice
";

fn main() {
    let config = match parse(std::env::args().skip(1).collect()) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("frontline-vendor-sim: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("frontline-vendor-sim: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async move {
        let seed = config.seed;
        let sim = match Simulator::start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("frontline-vendor-sim: {e}");
                std::process::exit(1);
            }
        };
        println!("listening on {} (fault seed {seed})", sim.url());
        let _ = tokio::signal::ctrl_c().await;
        sim.stop().await;
    });
}

fn parse(args: Vec<String>) -> Result<Option<Config>, String> {
    let mut config = Config::new("vendor-sim.sqlite3");
    config.addr = SocketAddr::from(([127, 0, 0, 1], 8089));
    let mut plan = FaultPlan {
        timeout_ms: 30_000,
        late_ms: 45_000,
        retry_after: Some("1".to_owned()),
        ..FaultPlan::default()
    };
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{name} takes a whole number, not \"{v}\""))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value("--port")?;
                let port = number("--port", v)?;
                config.addr = SocketAddr::from((
                    [127, 0, 0, 1],
                    u16::try_from(port).map_err(|_| "--port is at most 65535".to_owned())?,
                ));
            }
            "--db" => config.database = value("--db")?.into(),
            "--flavour" => {
                let v = value("--flavour")?;
                config.flavour = frontline_vendor_sim::Flavour::parse(&v)
                    .ok_or_else(|| format!("--flavour is zendesk or freshdesk, not \"{v}\""))?;
            }
            "--token" => config.token = Some(value("--token")?),
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                config.rate_limit = Some(number("--rate-limit", v)? as u32);
            }
            "--rate-window-ms" => {
                let v = value("--rate-window-ms")?;
                config.rate_window = Duration::from_millis(number("--rate-window-ms", v)?.max(1));
            }
            "--idempotent-requests" => config.idempotent_requests = true,
            "--auto-reply-ms" => {
                let v = value("--auto-reply-ms")?;
                config.auto_reply = Some(Duration::from_millis(number("--auto-reply-ms", v)?));
            }
            "--chaos" => {
                let rate = rate(&value("--chaos")?)?;
                let spread = FaultPlan::spread(rate, &Fault::TRANSIENT);
                plan.rates.extend(spread.rates);
            }
            "--fault" => {
                let v = value("--fault")?;
                let (name, r) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--fault takes NAME=RATE, not \"{v}\""))?;
                plan.rates.insert(name.parse()?, rate(r)?);
            }
            "--latency-ms" => {
                let v = value("--latency-ms")?;
                plan.latency_ms = number("--latency-ms", v)?;
            }
            "--timeout-ms" => {
                let v = value("--timeout-ms")?;
                plan.timeout_ms = number("--timeout-ms", v)?;
            }
            "--late-ms" => {
                let v = value("--late-ms")?;
                plan.late_ms = number("--late-ms", v)?;
            }
            "--retry-after" => plan.retry_after = Some(value("--retry-after")?),
            "--loop-cursor" => plan.loop_cursor = true,
            "--seed" => {
                let v = value("--seed")?;
                config.seed = number("--seed", v)?;
            }
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    config.faults = plan;
    Ok(Some(config))
}

fn rate(v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("a rate is a number from 0 to 1, not \"{v}\"")),
    }
}
