//! Starting the app under WebDriver, and the few helpers the flows share.
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(20);

/// The X display and session bus the app runs on: the caller's, or private ones we start
/// (stopped when the test binary exits: see `stop_desktop`).
struct Desktop {
    display: String,
    bus: String,
}

/// The private X server and session bus we started. A static is never dropped, so they are
/// stopped by a handler the C library runs at exit, after the last test.
static STARTED: Mutex<Vec<u32>> = Mutex::new(Vec::new());

extern "C" fn stop_desktop() {
    let pids = STARTED.lock().map(|p| p.clone()).unwrap_or_default();
    for pid in pids {
        // SAFETY: kill(2) with a pid we spawned and a plain signal number.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGTERM);
        }
    }
}

fn desktop() -> &'static Desktop {
    static DESKTOP: OnceLock<Desktop> = OnceLock::new();
    DESKTOP.get_or_init(|| {
        let mut children = Vec::new();
        let display = match std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            Some(d) => d,
            None => {
                let (xvfb, display) = start_xvfb();
                children.push(xvfb);
                display
            }
        };
        let bus = match std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .ok()
            .filter(|d| !d.is_empty())
        {
            Some(b) => b,
            None => {
                let mut daemon = Command::new("dbus-daemon")
                    .args(["--session", "--nofork", "--print-address=1"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("dbus-daemon is installed (apt-get install dbus)");
                let address = first_line(&mut daemon);
                children.push(daemon);
                address
            }
        };
        if !children.is_empty() {
            if let Ok(mut started) = STARTED.lock() {
                started.extend(children.iter().map(Child::id));
            }
            // SAFETY: registers a plain function that only signals our own children.
            unsafe {
                libc::atexit(stop_desktop);
            }
        }
        Desktop { display, bus }
    })
}

fn start_xvfb() -> (Child, String) {
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1400x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb is installed (apt-get install xvfb)");
    let n = first_line(&mut xvfb);
    (xvfb, format!(":{n}"))
}

/// An X server for one test alone (keys typed into a native dialog must not meet the windows
/// of the tests running beside it). Stopped when dropped.
pub struct PrivateDisplay {
    xvfb: Child,
    /// `DISPLAY` for the app.
    pub name: String,
}

impl PrivateDisplay {
    pub fn start() -> PrivateDisplay {
        let (xvfb, name) = start_xvfb();
        PrivateDisplay { xvfb, name }
    }
}

impl Drop for PrivateDisplay {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

fn first_line(child: &mut Child) -> String {
    let out = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .expect("read first line");
    line.trim().to_owned()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A running app and the WebDriver session driving it. Dropping it (a test that panicked)
/// kills both.
pub struct App {
    pub client: Client,
    driver: Option<Child>,
    data_dir: PathBuf,
}

/// Starts the app on `data_dir` and waits until its window has loaded the UI.
pub async fn launch(data_dir: &Path) -> App {
    launch_with(data_dir, &[]).await
}

/// Starts the app with extra environment variables (sandbox mode, …).
pub async fn launch_with(data_dir: &Path, env: &[(&str, &str)]) -> App {
    let desktop = desktop();
    let bus = env
        .iter()
        .find(|(k, _)| *k == "DBUS_SESSION_BUS_ADDRESS")
        .map_or(desktop.bus.as_str(), |(_, v)| *v);
    // A desktop relaunched right after a crash: the bus must have noticed that the old
    // instance is gone, or the new one hands over to it and quits (single instance).
    wait_until_no_instance(bus, data_dir).await;
    let port = free_port();
    let driver = Command::new("WebKitWebDriver")
        .arg(format!("--port={port}"))
        .env("DISPLAY", &desktop.display)
        .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus)
        .env("TAURI_WEBVIEW_AUTOMATION", "true")
        .env("FRONTLINE_DATA_DIR", data_dir)
        .env("NO_AT_BRIDGE", "1")
        // The caller's variables last: they may replace the defaults (a bus of its own).
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("WebKitWebDriver is installed (apt-get install webkit2gtk-driver)");
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < WAIT,
            "WebKitWebDriver did not start listening"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "webkitgtk:browserOptions".into(),
        json!({ "binary": app_binary().display().to_string(), "args": [] }),
    );
    let mut driver = Some(driver);
    let client = match tokio::time::timeout(
        WAIT * 3,
        ClientBuilder::native().capabilities(caps).connect(&url),
    )
    .await
    {
        Ok(Ok(client)) => client,
        failed => {
            if let Some(d) = driver.take() {
                stop(d, Duration::ZERO);
            }
            panic!(
                "no WebDriver session with the app ({}){}",
                match failed {
                    Ok(Err(e)) => e.to_string(),
                    _ => "the app's window never came up".to_owned(),
                },
                log_tail(data_dir)
            );
        }
    };
    let app = App {
        client,
        driver,
        data_dir: data_dir.to_owned(),
    };
    app.wait(".app, [data-testid=error-screen]").await;
    app
}

fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_frontline"))
}

impl App {
    /// Fails the test with what it waited for, a screenshot of the window and the app's log.
    async fn timed_out(&self, what: &str) -> ! {
        self.screenshot("timed-out").await;
        panic!(
            "timed out waiting for {what} (screenshot: timed-out.png){}",
            self.log_tail()
        );
    }

    /// Waits for an element to be present and returns it.
    pub async fn wait(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                return el;
            }
            if started.elapsed() > WAIT {
                self.timed_out(&format!("`{css}`")).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no element matches `css` (a list emptied, a message gone).
    pub async fn wait_gone(&self, css: &str) {
        let started = Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            if started.elapsed() > WAIT {
                self.timed_out(&format!("`{css}` to go")).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for an element matching an XPath (attribute tests with spaces, which
    /// WebKitWebDriver's CSS locator does not match).
    pub async fn wait_xpath(&self, xpath: &str) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::XPath(xpath)).await {
                return el;
            }
            if started.elapsed() > WAIT {
                self.timed_out(&format!("`{xpath}`")).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens the issue `key` from the queue and waits for its page (`title` in its heading).
    pub async fn open_issue(&self, key: &str, title: &str) {
        self.wait_text(".queue-row", key)
            .await
            .click()
            .await
            .expect("open the issue");
        self.wait_text("[data-testid=issue-title]", title).await;
    }

    /// Waits until the element's text contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> Element {
        self.wait_text_times(css, text, 1).await
    }

    /// Waits until the element's text contains `text` at least `times` times (a second chase
    /// in a timeline that already has one).
    pub async fn wait_text_times(&self, css: &str, text: &str, times: usize) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if el
                    .text()
                    .await
                    .map(|t| t.matches(text).count() >= times)
                    .unwrap_or(false)
                {
                    return el;
                }
            }
            if started.elapsed() > WAIT {
                let seen = match self.client.find(Locator::Css(css)).await {
                    Ok(el) => el.text().await.unwrap_or_default(),
                    Err(_) => "<absent>".into(),
                };
                self.timed_out(&format!(
                    "`{css}` to contain {text:?} {times} time(s); it reads {seen:?}"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the first enabled button whose visible text contains `label` (waiting for it to
    /// be enabled, as a user would).
    pub async fn click_button(&self, label: &str) {
        let xpath = format!("//button[contains(normalize-space(.), '{label}') and not(@disabled)]");
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::XPath(&xpath)).await {
                if el.click().await.is_ok() {
                    return;
                }
            }
            assert!(
                started.elapsed() < WAIT,
                "no button labelled {label:?} to click"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types into the field with this id, as a user would.
    pub async fn type_into(&self, id: &str, text: &str) {
        let el = self.wait(&format!("#{id}")).await;
        // A dialog may still be opening over it: try again, as a user would, until it takes.
        let started = Instant::now();
        while let Err(e) = el.click().await {
            assert!(started.elapsed() < WAIT, "cannot focus #{id}: {e}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        el.send_keys(text).await.expect("type");
    }

    /// Presses keys with nothing focused (the app's keyboard shortcuts).
    pub async fn press(&self, keys: &str) {
        self.client
            .execute(
                "document.activeElement && document.activeElement.blur()",
                vec![],
            )
            .await
            .expect("blur");
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .send_keys(keys)
            .await
            .expect("keys");
    }

    /// The end of the app's log, for a failure message: what the app did while the test waited.
    pub fn log_tail(&self) -> String {
        log_tail(&self.data_dir)
    }
}

/// The end of the app's log in `data_dir`, for a failure message.
fn log_tail(data_dir: &Path) -> String {
    let logs = data_dir.join("logs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.sort();
    let text: String = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(60)..].join("\n");
    format!("\n--- the app's log ({}) ends: ---\n{tail}", logs.display())
}

/// Waits until no app holds the single-instance name of `data_dir` on `bus`.
async fn wait_until_no_instance(bus: &str, data_dir: &Path) {
    let name = format!(
        "{}.SingleInstance",
        frontline_core::paths::instance_id(data_dir)
    );
    let started = Instant::now();
    loop {
        let answer = Command::new("dbus-send")
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .output()
            .expect("dbus-send is installed (apt-get install dbus)");
        let text = String::from_utf8_lossy(&answer.stdout);
        if !answer.status.success() || text.contains("boolean false") {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "an earlier app on {} still holds {name}",
            data_dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl App {
    /// Saves a screenshot of the window, for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        // Let the last state change reach the screen before capturing it.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        if let Ok(png) = self.client.screenshot().await {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    /// Kills the app as a crash would (SIGKILL, no chance to flush), then the driver.
    pub async fn kill(mut self) {
        if let Some(driver) = self.driver.take() {
            stop(driver, Duration::ZERO);
        }
    }

    /// Ends the session normally (the window closes), then gives the app a moment to exit by
    /// itself before it is killed: WebKitWebDriver leaves it running otherwise.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        if let Some(driver) = self.driver.take() {
            stop(driver, Duration::from_secs(3));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            stop(driver, Duration::ZERO);
        }
    }
}

/// Stops the driver and the app it started: the app first (it would outlive the driver),
/// after `grace` for it to exit by itself.
fn stop(mut driver: Child, grace: Duration) {
    let apps = children_of(driver.id());
    let started = Instant::now();
    while started.elapsed() < grace && apps.iter().any(|pid| alive(*pid)) {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The ones that exited in the grace time are gone: `kill` would only complain about them.
    for pid in apps.iter().filter(|pid| alive(**pid)) {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
    let _ = driver.kill();
    let _ = driver.wait();
    // SIGKILL is not instant on a loaded machine: the next launch on this data folder must not
    // meet the dying app.
    let killed = Instant::now();
    while apps.iter().any(|pid| alive(*pid)) && killed.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit(')').next().map(str::to_owned))
        .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
}

/// Processes whose parent is `parent` (the app is a child of WebKitWebDriver).
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| stat.rsplit(')').next().map(str::to_owned))
                .and_then(|rest| {
                    rest.split_whitespace()
                        .nth(1)
                        .and_then(|p| p.parse::<u32>().ok())
                })
                == Some(parent)
        })
        .collect()
}
