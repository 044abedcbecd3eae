//! Outage detection: several open issues from different clients, logged within a short window,
//! describing the same problem. Similarity is textual — the words that carry meaning, folded
//! through the knowledge base's synonym groups so "sign in" and "log in" count as one.
use std::collections::{BTreeSet, HashMap};

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

/// Terms as numbers. Each distinct word is stemmed and looked up in the synonym groups once,
/// and a text keeps only its terms' numbers: over a hundred thousand recent issues that is a
/// few megabytes, where sets of strings took a hundred.
struct Vocabulary<'s> {
    synonyms: &'s Synonyms,
    /// Each multi-word phrase of a group as it appears between spaces, and its group's token.
    phrases: Vec<(String, String)>,
    /// A word as written → its term's number (`None`: too short or a stop word).
    words: HashMap<String, Option<u32>>,
    /// A term → its number, and back.
    ids: HashMap<String, u32>,
    terms: Vec<String>,
}

impl<'s> Vocabulary<'s> {
    fn new(synonyms: &'s Synonyms) -> Self {
        Vocabulary {
            synonyms,
            phrases: synonyms
                .phrase_tokens()
                .map(|(phrase, token)| (format!(" {phrase} "), format!(" {token} ")))
                .collect(),
            words: HashMap::new(),
            ids: HashMap::new(),
            terms: Vec::new(),
        }
    }

    /// The numbers of a text's terms, sorted, each once.
    fn terms_of(&mut self, text: &str) -> Vec<u32> {
        let lowered = text.to_lowercase().replace(['-', '/'], " ");
        // Phrases first ("sign in" becomes its group's token), then word by word.
        let mut folded = format!(" {lowered} ");
        for (needle, token) in &self.phrases {
            if folded.contains(needle.as_str()) {
                folded = folded.replace(needle.as_str(), token);
            }
        }
        let mut ids: Vec<u32> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|w| self.word(w))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn word(&mut self, w: &str) -> Option<u32> {
        if let Some(id) = self.words.get(w) {
            return *id;
        }
        let id = (w.len() > 2 && !STOP.contains(&w)).then(|| {
            let stemmed = stem(w);
            let term = self
                .synonyms
                .canonical(w)
                .or_else(|| self.synonyms.canonical(&stemmed))
                .unwrap_or(stemmed);
            self.intern(term)
        });
        self.words.insert(w.to_owned(), id);
        id
    }

    fn intern(&mut self, term: String) -> u32 {
        if let Some(id) = self.ids.get(&term) {
            return *id;
        }
        let id = self.terms.len() as u32;
        self.ids.insert(term.clone(), id);
        self.terms.push(term);
        id
    }

    fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", String::as_str)
    }
}

/// Jaccard similarity of two sorted lists of term numbers: shared terms over all terms.
fn similarity_of(a: &[u32], b: &[u32]) -> f64 {
    let shared = shared_count(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        return 0.0;
    }
    shared as f64 / union as f64
}

fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Groups of candidates that look like one outage under `rule`.
pub fn detect(
    candidates: &[Candidate],
    synonyms: &Synonyms,
    rule: OutageRule,
) -> Vec<SuspectedOutage> {
    let mut detector = Detector::new(synonyms);
    for c in candidates {
        detector.push(c.id.clone(), c.key.clone(), &c.client, &c.text, c.minute);
    }
    detector.finish(rule)
}

/// Outage detection fed one issue at a time (its text is not kept, only its terms).
pub struct Detector<'s> {
    words: Vocabulary<'s>,
    clients: HashMap<String, u32>,
    items: Vec<Item>,
}

/// An issue as the detector keeps it.
struct Item {
    id: Box<str>,
    key: Box<str>,
    client: u32,
    minute: i64,
    terms: Box<[u32]>,
}

impl<'s> Detector<'s> {
    /// A detector folding words through `synonyms`.
    pub fn new(synonyms: &'s Synonyms) -> Self {
        Detector {
            words: Vocabulary::new(synonyms),
            clients: HashMap::new(),
            items: Vec::new(),
        }
    }

    /// One open issue: its id, key, client, title and description, and its minute.
    pub fn push(&mut self, id: String, key: String, client: &str, text: &str, minute: i64) {
        let next = self.clients.len() as u32;
        let client = *self.clients.entry(client.to_owned()).or_insert(next);
        let terms = self.words.terms_of(text).into_boxed_slice();
        self.items.push(Item {
            id: id.into_boxed_str(),
            key: key.into_boxed_str(),
            client,
            minute,
            terms,
        });
    }

    /// The groups that look like one outage under `rule`, oldest issues first.
    pub fn finish(mut self, rule: OutageRule) -> Vec<SuspectedOutage> {
        self.items.sort_by_key(|c| c.minute);
        let items = &self.items;
        let mut used = vec![false; items.len()];
        let mut out = Vec::new();
        for i in 0..items.len() {
            if used[i] {
                continue;
            }
            // Sorted by minute: only the issues within the window of this one can join it.
            let from = items.partition_point(|c| c.minute < items[i].minute - rule.window_minutes);
            let to = items.partition_point(|c| c.minute <= items[i].minute + rule.window_minutes);
            let group: Vec<usize> = (from..to)
                .filter(|&j| {
                    !used[j]
                        && (j == i
                            || similarity_of(&items[i].terms, &items[j].terms) >= rule.threshold)
                })
                .collect();
            let clients: BTreeSet<u32> = group.iter().map(|&j| items[j].client).collect();
            if group.len() >= rule.issues && clients.len() >= rule.clients {
                let mut shared = items[group[0]].terms.to_vec();
                for &j in &group[1..] {
                    shared.retain(|t| items[j].terms.binary_search(t).is_ok());
                }
                let shared = shared
                    .into_iter()
                    .map(|id| {
                        let t = self.words.term(id);
                        t.strip_prefix("syn")
                            .and_then(|n| n.parse::<usize>().ok())
                            .and_then(|n| self.words.synonyms.groups.get(n))
                            .and_then(|g| g.first().cloned())
                            .unwrap_or_else(|| t.to_owned())
                    })
                    .collect::<BTreeSet<_>>();
                out.push(SuspectedOutage {
                    issue_ids: group.iter().map(|&j| items[j].id.to_string()).collect(),
                    keys: group.iter().map(|&j| items[j].key.to_string()).collect(),
                    clients: clients.len() as u32,
                    shared_words: shared.into_iter().collect(),
                });
                for j in group {
                    used[j] = true;
                }
            }
        }
        out
    }
}
