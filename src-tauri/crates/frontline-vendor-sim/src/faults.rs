//! Fault injection: which misbehaviour the simulator shows, and how often.
use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One way the vendor can misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// 500 with a JSON error; nothing is written.
    Status500,
    /// 503 with `Retry-After`; nothing is written.
    Status503,
    /// 429 with `Retry-After` and a JSON body; nothing is written.
    Status429,
    /// 429 with a plain-text body and no `Retry-After`.
    PlainText429,
    /// The request hangs past any sensible client timeout, then the connection drops.
    Timeout,
    /// The connection is reset before anything is written.
    Reset,
    /// The request is carried out and committed, then the connection drops without an answer.
    CommitThenDrop,
    /// Late delivery: the request is held (as a slow network or a queue at the vendor's edge
    /// would) for `late_ms`, past the client's timeout, then carried out and committed; nobody
    /// is answered. Only writes are held this way; a read with this fault is answered as usual.
    Late,
    /// A 200/201 whose JSON is cut off half way; nothing is written.
    Malformed,
    /// An HTML error page (a proxy's) with status 200; nothing is written.
    Html,
    /// A success status whose object has no id; nothing is written.
    MissingId,
    /// A success status whose id is a string; nothing is written.
    WrongTypes,
    /// A 20 MB body.
    Huge,
    /// 422: the vendor refuses the request as invalid; nothing is written.
    Invalid,
}

impl Fault {
    /// Every fault, for `--chaos`.
    pub const ALL: [Fault; 14] = [
        Fault::Status500,
        Fault::Status503,
        Fault::Status429,
        Fault::PlainText429,
        Fault::Timeout,
        Fault::Reset,
        Fault::CommitThenDrop,
        Fault::Late,
        Fault::Malformed,
        Fault::Html,
        Fault::MissingId,
        Fault::WrongTypes,
        Fault::Huge,
        Fault::Invalid,
    ];

    /// The faults a flaky but honest network and vendor show: what the chaos test injects.
    pub const TRANSIENT: [Fault; 8] = [
        Fault::Status500,
        Fault::Status503,
        Fault::Status429,
        Fault::PlainText429,
        Fault::Timeout,
        Fault::Reset,
        Fault::CommitThenDrop,
        Fault::Late,
    ];

    /// The name used on the command line and in the admin API.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Status500 => "500",
            Fault::Status503 => "503",
            Fault::Status429 => "429",
            Fault::PlainText429 => "plain429",
            Fault::Timeout => "timeout",
            Fault::Reset => "reset",
            Fault::CommitThenDrop => "drop",
            Fault::Late => "late",
            Fault::Malformed => "malformed",
            Fault::Html => "html",
            Fault::MissingId => "no-id",
            Fault::WrongTypes => "wrong-types",
            Fault::Huge => "huge",
            Fault::Invalid => "422",
        }
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
                format!("unknown fault \"{s}\"; known: {}", names.join(", "))
            })
    }
}

/// How the simulator misbehaves. Admin endpoints are never affected.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultPlan {
    /// Probability of each fault per request (their sum is capped at 1).
    pub rates: BTreeMap<Fault, f64>,
    /// Added to every API request, in milliseconds.
    pub latency_ms: u64,
    /// How long a `timeout` fault hangs before dropping the connection.
    pub timeout_ms: u64,
    /// How long a `late` fault holds a write before carrying it out (set it past the client's
    /// timeout).
    pub late_ms: u64,
    /// The `Retry-After` value sent with 429 and 503 faults (seconds, as text: send something
    /// absurd to test the client).
    pub retry_after: Option<String>,
    /// Paginated lists hand out the same cursor forever.
    pub loop_cursor: bool,
}

impl FaultPlan {
    /// `rate` spread evenly over `faults`.
    pub fn spread(rate: f64, faults: &[Fault]) -> FaultPlan {
        let each = rate / faults.len().max(1) as f64;
        FaultPlan {
            rates: faults.iter().map(|f| (*f, each)).collect(),
            timeout_ms: 30_000,
            late_ms: 45_000,
            retry_after: Some("1".to_owned()),
            ..FaultPlan::default()
        }
    }

    /// Picks the fault for one request, if any, from a uniform number in `[0, 1)`.
    pub fn pick(&self, roll: f64) -> Option<Fault> {
        let mut edge = 0.0;
        for (fault, rate) in &self.rates {
            edge += rate.max(0.0);
            if roll < edge {
                return Some(*fault);
            }
        }
        None
    }
}
