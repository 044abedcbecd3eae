//! Outage detection: several open issues from different clients, logged within a short window,
//! describing the same problem. Similarity is textual — the words that carry meaning, folded
//! through the knowledge base's synonym groups so "sign in" and "log in" count as one.
use std::collections::{BTreeSet, HashSet};

use serde::Serialize;
use ts_rs::TS;

use crate::kb::Synonyms;

/// When to suspect an outage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutageRule {
    /// Issues needed.
    pub issues: usize,
    /// Distinct clients needed.
    pub clients: usize,
    /// Window, in minutes.
    pub window_minutes: i64,
    /// Similarity (0–1) two issue texts need to count as the same problem.
    pub threshold: f64,
}

impl Default for OutageRule {
    fn default() -> Self {
        OutageRule {
            issues: 3,
            clients: 2,
            window_minutes: 60,
            threshold: 0.25,
        }
    }
}

/// An open issue as the detector sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Issue id.
    pub id: String,
    /// FL key.
    pub key: String,
    /// Client id.
    pub client: String,
    /// Title and description.
    pub text: String,
    /// Minutes since some fixed point (created time).
    pub minute: i64,
}

/// A group of issues that look like one outage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SuspectedOutage {
    /// The issues, oldest first.
    pub issue_ids: Vec<String>,
    /// Their keys.
    pub keys: Vec<String>,
    /// How many clients.
    #[ts(type = "number")]
    pub clients: u32,
    /// The words they share.
    pub shared_words: Vec<String>,
}

const STOP: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "can",
    "cannot",
    "cant",
    "client",
    "clients",
    "do",
    "does",
    "doesnt",
    "for",
    "from",
    "get",
    "gets",
    "has",
    "have",
    "he",
    "her",
    "his",
    "i",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "not",
    "of",
    "on",
    "or",
    "our",
    "she",
    "so",
    "that",
    "the",
    "their",
    "them",
    "they",
    "this",
    "to",
    "today",
    "user",
    "users",
    "was",
    "we",
    "were",
    "when",
    "with",
    "all",
    "every",
    "since",
    "after",
    "again",
    "any",
    "just",
    "now",
    "please",
    "still",
    "reports",
    "reported",
    "says",
    "said",
    "see",
    "seeing",
    "sees",
    "what",
    "nobody",
    "everyone",
    "everybody",
    "anyone",
    "keep",
    "keeps",
    "morning",
    "afternoon",
];

/// The meaningful words of a text, each replaced by its synonym group's key.
pub fn terms(text: &str, synonyms: &Synonyms) -> BTreeSet<String> {
    let lowered = text.to_lowercase().replace(['-', '/'], " ");
    let folded = synonyms.fold_phrases(&lowered);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !STOP.contains(w))
        .map(|w| {
            let stemmed = stem(w);
            synonyms
                .canonical(w)
                .or_else(|| synonyms.canonical(&stemmed))
                .unwrap_or(stemmed)
        })
        .collect()
}

fn stem(w: &str) -> String {
    for suffix in ["ing", "ed", "s"] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= 3 {
                return base.to_owned();
            }
        }
    }
    w.to_owned()
}

/// Jaccard similarity of two term sets: shared terms over all terms.
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Groups of candidates that look like one outage under `rule`.
pub fn detect(
    candidates: &[Candidate],
    synonyms: &Synonyms,
    rule: OutageRule,
) -> Vec<SuspectedOutage> {
    let mut sorted: Vec<&Candidate> = candidates.iter().collect();
    sorted.sort_by_key(|c| c.minute);
    let terms: Vec<BTreeSet<String>> = sorted.iter().map(|c| terms(&c.text, synonyms)).collect();
    let mut used: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    for i in 0..sorted.len() {
        if used.contains(&i) {
            continue;
        }
        let group: Vec<usize> = (0..sorted.len())
            .filter(|&j| {
                !used.contains(&j)
                    && (sorted[j].minute - sorted[i].minute).abs() <= rule.window_minutes
                    && (j == i || similarity(&terms[i], &terms[j]) >= rule.threshold)
            })
            .collect();
        let clients: BTreeSet<&str> = group.iter().map(|&j| sorted[j].client.as_str()).collect();
        if group.len() >= rule.issues && clients.len() >= rule.clients {
            let mut shared = terms[group[0]].clone();
            for &j in &group[1..] {
                shared = shared.intersection(&terms[j]).cloned().collect();
            }
            let shared = shared
                .into_iter()
                .map(|t| {
                    t.strip_prefix("syn")
                        .and_then(|n| n.parse::<usize>().ok())
                        .and_then(|n| synonyms.groups.get(n))
                        .and_then(|g| g.first().cloned())
                        .unwrap_or(t)
                })
                .collect::<BTreeSet<_>>();
            out.push(SuspectedOutage {
                issue_ids: group.iter().map(|&j| sorted[j].id.clone()).collect(),
                keys: group.iter().map(|&j| sorted[j].key.clone()).collect(),
                clients: clients.len() as u32,
                shared_words: shared.into_iter().collect(),
            });
            used.extend(group);
        }
    }
    out
}
