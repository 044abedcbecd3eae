//! The knowledge base: articles cached in SQLite, searched while the agent types.
//!
//! Agents type fast and loosely, so a query is widened before it reaches FTS5: phrases from
//! the synonym table (data: `presets/synonyms.json`) bring their whole group, words the index
//! does not know are matched to the nearest words it does (one or two typos), and every word is
//! a prefix. Results are ranked by bm25 with the title and labels above the body.
use include_dir::{include_dir, Dir};
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/presets/kb");
/// The bundled synonym table.
pub const BUNDLED_SYNONYMS: &str = include_str!("../presets/synonyms.json");

/// Markers around matched words in titles and snippets (the UI turns them into highlights).
pub const MARK_START: char = '\u{2}';
/// See [`MARK_START`].
pub const MARK_END: char = '\u{3}';

/// A suggested article.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ArticleHit {
    /// Article id.
    pub id: String,
    /// Title with matched words between MARK_START and MARK_END.
    pub title: String,
    /// Section it belongs to.
    pub section: String,
    /// A piece of the body around the matched words, marked the same way.
    pub snippet: String,
}

/// An article as the reader shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Article {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Section.
    pub section: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Where it comes from ("bundled", "zendesk").
    pub source: String,
    /// The original, to open in the system browser (empty for bundled articles).
    pub source_url: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

/// An article from a help centre (or any other source), before it is cleaned and stored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NewArticle {
    /// Stable id within the source ("zendesk:360001").
    pub id: String,
    /// Title.
    pub title: String,
    /// The body as the source sent it; sanitised before it is stored.
    pub body_html: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Section.
    pub section: String,
    /// Where it comes from ("zendesk").
    pub source: String,
    /// The original (must be https to be opened).
    pub source_url: String,
    /// Language tag ("en", "de", "pt-br").
    pub locale: String,
    /// When the source last changed it (RFC 3339).
    pub updated_at: String,
}

/// Longest article body accepted, in bytes (larger bodies are cut, with a note).
pub const BODY_MAX: usize = 2 * 1024 * 1024;

/// Stores (or replaces) articles: HTML sanitised, plain text derived for search.
pub(crate) fn upsert(tx: &Transaction<'_>, articles: &[NewArticle]) -> Result<usize> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO articles (id, title, body_html, body_text, labels, section, source, source_url, locale, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, body_html = excluded.body_html,
             body_text = excluded.body_text, labels = excluded.labels, section = excluded.section,
             source = excluded.source, source_url = excluded.source_url, locale = excluded.locale,
             updated_at = excluded.updated_at",
    )?;
    for a in articles {
        if a.id.trim().is_empty() || a.title.trim().is_empty() {
            return Err(Error::invalid(
                "Article",
                format!("an article from {} has no id or no title", a.source),
            ));
        }
        let mut html = a.body_html.as_str();
        if html.len() > BODY_MAX {
            let mut cut = BODY_MAX;
            while !html.is_char_boundary(cut) {
                cut -= 1;
            }
            html = &html[..cut];
        }
        let clean = crate::sanitize::article_html(html);
        let text = plain_text(&clean);
        let labels = serde_json::to_string(&a.labels).map_err(|e| Error::Decode(e.to_string()))?;
        stmt.execute(params![
            a.id,
            a.title,
            clean,
            text,
            labels,
            a.section,
            a.source,
            a.source_url,
            a.locale,
            a.updated_at
        ])?;
    }
    Ok(articles.len())
}

/// The text of sanitised HTML, for the search index.
fn plain_text(clean_html: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(clean_html).to_string();
    html_escape::decode_html_entities(&stripped).into_owned()
}

/// The synonym table and the words a query ignores.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    /// Words too common to search for.
    pub stopwords: Vec<String>,
    /// Groups of words and phrases that mean the same thing to an agent.
    pub groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// Parses a synonym file; `file` names it in errors.
    pub fn parse(file: &str, json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| Error::Preset {
            file: file.to_owned(),
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        })
    }

    /// Every multi-word phrase of a group, lower-case, with its group's token ("syn3"): a text
    /// that replaces them, in this order, compares phrases as one word.
    pub fn phrase_tokens(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.groups.iter().enumerate().flat_map(|(i, group)| {
            group
                .iter()
                .filter(|p| p.contains(' '))
                .map(move |p| (p.to_lowercase(), format!("syn{i}")))
        })
    }

    /// The group token of a single word ("login" and "signin" share one), if it is in a group.
    pub fn canonical(&self, word: &str) -> Option<String> {
        self.groups
            .iter()
            .position(|g| {
                g.iter()
                    .any(|p| !p.contains(' ') && p.eq_ignore_ascii_case(word))
            })
            .map(|i| format!("syn{i}"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    section: String,
    #[serde(default)]
    labels: Vec<String>,
}

/// A bundled article parsed from its Markdown file.
struct Bundled {
    id: String,
    front: FrontMatter,
    html: String,
    text: String,
}

fn parse_bundled(name: &str, source: &str) -> Result<Bundled> {
    let bad = |message: String| Error::Preset {
        file: format!("kb/{name}"),
        message,
    };
    let rest = source
        .strip_prefix("+++\n")
        .ok_or_else(|| bad("must start with a +++ front matter block".into()))?;
    let (front, body) = rest
        .split_once("\n+++\n")
        .ok_or_else(|| bad("the front matter block is not closed with +++".into()))?;
    let front: FrontMatter = toml::from_str(front).map_err(|e| bad(e.to_string()))?;
    let mut html = String::new();
    let mut text = String::new();
    let events: Vec<_> = pulldown_cmark::Parser::new(body).collect();
    for e in &events {
        match e {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => text.push_str(t),
            pulldown_cmark::Event::SoftBreak
            | pulldown_cmark::Event::HardBreak
            | pulldown_cmark::Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let slug = name.trim_end_matches(".md");
    Ok(Bundled {
        id: format!("bundled:{slug}"),
        front,
        html: crate::sanitize::article_html(&html),
        text,
    })
}

/// Replaces the bundled articles when the bundle changed (checked by a fingerprint).
pub(crate) fn load_bundled(tx: &Transaction<'_>, now: &str) -> Result<usize> {
    let mut files: Vec<_> = BUNDLED.files().collect();
    files.sort_by_key(|f| f.path());
    let mut fingerprint = sha2::Sha256::default();
    for f in &files {
        sha2::Digest::update(&mut fingerprint, f.path().to_string_lossy().as_bytes());
        sha2::Digest::update(&mut fingerprint, f.contents());
    }
    let fingerprint = hex::encode(sha2::Digest::finalize(fingerprint));
    let loaded: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT value FROM meta WHERE key = 'bundled_kb'",
        [],
        |r| r.get(0),
    ))?;
    if loaded.as_deref() == Some(fingerprint.as_str()) {
        return Ok(0);
    }
    tx.execute("DELETE FROM articles WHERE source = 'bundled'", [])?;
    let mut count = 0;
    for f in files {
        let name = f.path().to_string_lossy().into_owned();
        let source = f.contents_utf8().ok_or_else(|| Error::Preset {
            file: format!("kb/{name}"),
            message: "is not UTF-8".into(),
        })?;
        let a = parse_bundled(&name, source)?;
        let labels =
            serde_json::to_string(&a.front.labels).map_err(|e| Error::Decode(e.to_string()))?;
        tx.execute(
            "INSERT INTO articles (id, title, body_html, body_text, labels, section, source, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bundled', ?7)",
            params![a.id, a.front.title, a.html, a.text, labels, a.front.section, now],
        )?;
        count += 1;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('bundled_kb', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [&fingerprint],
    )?;
    Ok(count)
}

/// At most this many parts of what was typed are searched: a whole description as the issue
/// page sends it has thirty, and each costs FTS5 a pass over its doclist.
const MAX_GROUPS: usize = 8;

/// What the agent typed, as FTS5 wants it: one group per thing they said ("log in", "password",
/// "reset"), each group the ways of saying it (synonyms, typo corrections, the word itself).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Widened {
    groups: Vec<Vec<Term>>,
    /// How many of the groups (the first ones) come from the title.
    in_title: usize,
}

/// One way of saying something: a word or a phrase, normalised.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    text: String,
    /// The word still being typed: matched as a prefix ("passw").
    partial: bool,
}

impl Term {
    fn exact(text: &str) -> Self {
        Term {
            text: text.to_owned(),
            partial: false,
        }
    }

    /// The term in FTS5's query language, quoted so that nothing typed is read as syntax.
    /// Complete words are matched exactly (the porter stemmer already matches "resets" to
    /// "reset"): a prefix costs FTS5 a merge of every term it expands to, on each keystroke.
    fn fts(&self) -> String {
        let words: Vec<&str> = self.text.split_whitespace().collect();
        if self.partial && words.len() == 1 && self.text.chars().count() >= 4 {
            format!("\"{}\"*", self.text)
        } else {
            format!("\"{}\"", words.join(" "))
        }
    }
}

impl Widened {
    /// Articles that match any way of saying any of it.
    pub(crate) fn any(&self) -> String {
        self.groups
            .iter()
            .flatten()
            .map(Term::fts)
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    /// Articles that match every group, in one of its ways.
    fn all(&self) -> String {
        self.groups
            .iter()
            .map(|g| {
                let alternatives: Vec<String> = g.iter().map(Term::fts).collect();
                format!("({})", alternatives.join(" OR "))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// Keeps the parts of what was typed worth searching. A way of saying something that half
    /// the articles hold or more scores nothing in bm25 (its IDF is floored) yet costs FTS5 a
    /// pass over half the index: it goes, unless no word left would match. Of a long text, the
    /// title's parts stay (the agent's summary), then the rarest of the description's, up to
    /// `MAX_GROUPS`, in the order they were typed; parts that no article holds go first.
    fn focus(mut self, vocabulary: &Vocabulary) -> Self {
        let half = vocabulary.articles.div_ceil(2).max(1);
        // (from the title, [(way of saying it, articles holding it)])
        type Counted = (bool, Vec<(Term, u64)>);
        let all: Vec<Counted> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let counted = g
                    .iter()
                    .map(|t| (t.clone(), vocabulary.articles_with(t)))
                    .collect();
                (i < self.in_title, counted)
            })
            .collect();
        let rare: Vec<Counted> = all
            .iter()
            .map(|(title, g)| {
                (
                    *title,
                    g.iter().filter(|(_, n)| *n < half).cloned().collect(),
                )
            })
            .filter(|(_, g): &Counted| !g.is_empty())
            .collect();
        let found = rare.iter().any(|(_, g)| g.iter().any(|(_, n)| *n > 0));
        // On a small knowledge base every word is common: keep them all rather than search
        // only for words no article holds.
        let mut kept = if found { rare } else { all };
        if kept.len() > MAX_GROUPS {
            let held = |(_, g): &Counted| g.iter().map(|(_, n)| n).sum::<u64>();
            let mut order: Vec<usize> = (0..kept.len()).collect();
            order.sort_by_key(|&i| (!kept[i].0, held(&kept[i]) == 0, held(&kept[i])));
            let mut keep = order[..MAX_GROUPS].to_vec();
            keep.sort_unstable();
            kept = keep.into_iter().map(|i| kept[i].clone()).collect();
        }
        self.in_title = kept.iter().filter(|(title, _)| *title).count();
        self.groups = kept
            .into_iter()
            .map(|(_, g)| g.into_iter().map(|(t, _)| t).collect())
            .collect();
        self
    }
}

/// Turns what the agent typed (the title, then on the next lines the description) into FTS5
/// terms, or None when nothing is worth searching. The last word is taken as still being
/// typed unless the text ends in a space or punctuation.
pub(crate) fn widen(text: &str, synonyms: &Synonyms, vocabulary: &Vocabulary) -> Option<Widened> {
    let still_typing = text.chars().last().is_some_and(char::is_alphanumeric);
    let (title, description) = text.split_once('\n').unwrap_or((text, ""));
    let describing = !description.trim().is_empty();
    let mut groups = parts(title, synonyms, vocabulary, still_typing && !describing);
    let in_title = groups.len();
    for g in parts(description, synonyms, vocabulary, still_typing) {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    (!groups.is_empty()).then_some(Widened { groups, in_title })
}

/// The things said in `text`, each with its ways of saying it.
fn parts(
    text: &str,
    synonyms: &Synonyms,
    vocabulary: &Vocabulary,
    still_typing: bool,
) -> Vec<Vec<Term>> {
    let normalised = normalise(text);
    let last_word = normalised.split_whitespace().last().unwrap_or_default();
    let mut rest = format!(" {normalised} ");
    let mut groups: Vec<Vec<Term>> = Vec::new();
    // Phrases first, longest first, so "can't log in" wins over "log in".
    let mut phrases: Vec<(&String, &Vec<String>)> = synonyms
        .groups
        .iter()
        .flat_map(|g| g.iter().map(move |p| (p, g)))
        .collect();
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    for (phrase, group) in phrases {
        let needle = format!(" {} ", normalise(phrase));
        if rest.contains(&needle) {
            rest = rest.replace(&needle, " ");
            groups.push(group.iter().map(|p| Term::exact(&normalise(p))).collect());
        }
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        if synonyms.stopwords.iter().any(|s| s == word) {
            continue;
        }
        let partial = still_typing && i + 1 == words.len() && *word == last_word;
        let mut alternatives = vec![Term {
            text: (*word).to_owned(),
            partial,
        }];
        alternatives.extend(vocabulary.near(word).iter().map(|t| Term {
            text: t.clone(),
            partial,
        }));
        if !groups.contains(&alternatives) {
            groups.push(alternatives);
        }
    }
    for g in &mut groups {
        g.retain(|t| !t.text.is_empty());
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// Lower case, apostrophes dropped ("can't" → "cant"), everything else not a letter or digit
/// turned into a space.
fn normalise(s: &str) -> String {
    let lowered = s.to_lowercase().replace(['\'', '’'], "");
    lowered
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of the article index (stems, sorted) and how many articles hold each, kept in
/// memory for typo matching and for choosing what to search: reading them from FTS5's
/// vocabulary table costs a pass over every doclist.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    terms: Vec<String>,
    docs: Vec<u64>,
    articles: u64,
}

impl Vocabulary {
    pub(crate) fn read(conn: &Connection) -> Result<Self> {
        let mut stmt = conn.prepare("SELECT term, doc FROM articles_vocab")?;
        let mut pairs: Vec<(String, u64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
            .collect::<rusqlite::Result<_>>()?;
        pairs.sort();
        let articles: i64 = conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?;
        let (terms, docs) = pairs.into_iter().unzip();
        Ok(Vocabulary {
            terms,
            docs,
            articles: articles.max(0) as u64,
        })
    }

    fn knows_prefix(&self, word: &str) -> bool {
        let i = self.terms.partition_point(|t| t.as_str() < word);
        self.terms.get(i).is_some_and(|t| t.starts_with(word))
    }

    /// About how many articles hold `term`: for a word, those holding its stem (taken as the
    /// longest indexed term that starts the word and is at most three letters shorter); for
    /// a word being typed, those holding any word it starts; for a phrase, its rarest word.
    fn articles_with(&self, term: &Term) -> u64 {
        let words: Vec<&str> = term.text.split_whitespace().collect();
        if words.len() > 1 {
            return words
                .iter()
                .map(|w| self.articles_with(&Term::exact(w)))
                .min()
                .unwrap_or(0);
        }
        let word = term.text.as_str();
        if term.partial {
            let start = self.terms.partition_point(|t| t.as_str() < word);
            let end = start + self.terms[start..].partition_point(|t| t.starts_with(word));
            return self.docs[start..end].iter().sum::<u64>().min(self.articles);
        }
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let shortest = chars.len().saturating_sub(3).max(3).min(chars.len());
        (shortest..=chars.len())
            .rev()
            .find_map(|n| {
                let stem = chars.get(n).map_or(word, |(at, _)| &word[..*at]);
                self.terms
                    .binary_search_by(|t| t.as_str().cmp(stem))
                    .ok()
                    .map(|i| self.docs[i])
            })
            .unwrap_or(0)
    }

    /// Words of the index within one typo (two for long words) of `word`, when the index does
    /// not know `word` itself.
    pub(crate) fn near(&self, word: &str) -> Vec<String> {
        let len = word.chars().count();
        if len < 4 || self.knows_prefix(word) {
            return Vec::new();
        }
        let budget = if len >= 8 { 2 } else { 1 };
        // Typos rarely hit the first letter: only terms sharing it are compared. The terms are
        // sorted, so they are one contiguous run (a scan of the whole vocabulary cost ~50 ms
        // at 100,000 articles).
        let Some(first) = word.chars().next() else {
            return Vec::new();
        };
        let mut lead = [0u8; 4];
        let lead: &str = first.encode_utf8(&mut lead);
        let start = self.terms.partition_point(|t| t.as_str() < lead);
        let mut near = Vec::new();
        for term in self.terms[start..]
            .iter()
            .take_while(|t| t.starts_with(lead))
        {
            let tlen = term.chars().count();
            if tlen + 3 < len || tlen > len + 2 {
                continue;
            }
            // The index holds stems ("arriv" for "arrives"): also compare the word cut to the
            // stem's length.
            let cut: String = word.chars().take(tlen.max(len.saturating_sub(2))).collect();
            let d = strsim::damerau_levenshtein(&cut, term)
                .min(strsim::damerau_levenshtein(word, term));
            if d <= budget {
                near.push(term.clone());
                if near.len() == 8 {
                    break;
                }
            }
        }
        near
    }
}

/// How many matching articles bm25 ranks at most for one keystroke. FTS5 spends about a
/// microsecond on each row it ranks, and a word common in a 100,000-article knowledge base
/// matches tens of thousands of them: ranking them all cost 37 ms a query.
pub const RANK_BUDGET: usize = 1_000;

/// The best articles for what the agent typed, by bm25 with the title weighing most.
///
/// When up to `RANK_BUDGET` articles match (always on a knowledge base that size; on a bigger
/// one when what was typed is specific enough), the articles that match every part of what
/// was typed ("log in" and "password" and "reset", each in any of its ways) weigh
/// `EVERY_PART_BOOST` times their bm25 score: bm25 alone lets one rare word outweigh all the
/// others.
/// When more match, only the newest `RANK_BUDGET` are ranked, by bm25 alone: newer articles
/// describe the product as it is now, and the ranking stays within a frame at 100,000
/// articles.
pub(crate) fn suggest(
    conn: &Connection,
    synonyms: &Synonyms,
    vocabulary: &Vocabulary,
    text: &str,
    limit: usize,
) -> Result<Vec<ArticleHit>> {
    let Some(widened) = widen(text, synonyms, vocabulary) else {
        return Ok(Vec::new());
    };
    let widened = widened.focus(vocabulary);
    let any = widened.any();
    let newest = newest_matches(conn, &any, RANK_BUDGET + 1)?;
    let from = (newest.len() > RANK_BUDGET).then(|| newest[RANK_BUDGET - 1]);
    let weigh_every_part = from.is_none() && widened.groups.len() > 1;
    let mut ranked = rank(conn, &any, from, limit, weigh_every_part)?;
    if weigh_every_part {
        for (hit, score) in rank(conn, &widened.all(), None, limit, true)? {
            let boosted = score * EVERY_PART_BOOST;
            match ranked.iter_mut().find(|(h, _)| h.id == hit.id) {
                Some(seen) => seen.1 = boosted,
                None => ranked.push((hit, boosted)),
            }
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    Ok(ranked.into_iter().take(limit).map(|(hit, _)| hit).collect())
}

/// How much more an article that matches every part of what was typed weighs than its bm25
/// score. With bm25 alone, one rare phrase ("log in", in 2 starter articles) outweighed two
/// common words ("password", "reset"); ordering such articles first instead put an article
/// that only mentions "error" and "saving" above "Error 500" for "error 500 when saving".
/// Half again settles both (its scores: 10.7 × 1.5 over 11.2; 5.2 × 1.5 under 42.6).
const EVERY_PART_BOOST: f64 = 1.5;

/// The rowids of the newest `n` articles matching `query`, newest first. FTS5 walks its
/// doclists in rowid order and stops at the limit, without ranking: cheap.
fn newest_matches(conn: &Connection, query: &str, n: usize) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![query, n as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `limit` best of the articles matching `query` (with rowid ≥ `from`), best first, and
/// when `scored` their bm25 scores (higher is better; 0 otherwise). Queries with the same
/// phrases score a row the same.
fn rank(
    conn: &Connection,
    query: &str,
    from: Option<i64>,
    limit: usize,
    scored: bool,
) -> Result<Vec<(ArticleHit, f64)>> {
    // `ORDER BY rank … LIMIT` (with the weights given as the rank function) lets FTS5 sort by
    // itself and run highlight()/snippet() only on the rows returned; `ORDER BY bm25(…)` made
    // SQLite compute them for every matching row first (4× slower at 10,000 articles). Reading
    // the score makes FTS5 compute it again on another cursor, IDF pass included: 3 ms when the
    // phrases are common, so only the scores that are used are read.
    let score = if scored { "articles_fts.rank" } else { "0.0" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, highlight(articles_fts, 0, ?2, ?3), a.section, snippet(articles_fts, 3, ?2, ?3, '…', 14),
                {score}
         FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
         WHERE articles_fts MATCH ?1 AND articles_fts.rank MATCH 'bm25(10.0, 5.0, 1.0, 0.0)'
           AND articles_fts.rowid >= ?5
         ORDER BY articles_fts.rank LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            query,
            MARK_START.to_string(),
            MARK_END.to_string(),
            limit as i64,
            from.unwrap_or(i64::MIN)
        ],
        |r| {
            let hit = ArticleHit {
                id: r.get(0)?,
                title: r.get(1)?,
                section: r.get(2)?,
                snippet: r.get(3)?,
            };
            // FTS5's bm25 is negative, lower is better.
            Ok((hit, -r.get::<_, f64>(4)?))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One article for the reader.
pub(crate) fn article(conn: &Connection, id: &str) -> Result<Article> {
    rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT id, title, body_html, section, labels, source, source_url, updated_at FROM articles WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        },
    ))?
    .ok_or_else(|| Error::NotFound { what: "Article", id: id.to_owned() })
    .and_then(|(id, title, body_html, section, labels, source, source_url, updated_at)| {
        Ok(Article {
            labels: serde_json::from_str(&labels).map_err(|e| Error::Decode(format!("article {id} labels: {e}")))?,
            id,
            title,
            body_html,
            section,
            source,
            source_url,
            updated_at,
        })
    })
}
