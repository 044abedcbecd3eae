//! Remote and bundled article HTML is cleaned before it is stored or shown: a narrow allowlist
//! of text tags, links only to https and mailto, nothing that runs or loads.
use std::collections::HashSet;

/// Cleans `html` down to the allowlist.
pub fn article_html(html: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "code",
        "pre",
        "blockquote",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
        "span",
        "div",
        "dl",
        "dt",
        "dd",
    ]
    .into_iter()
    .collect();
    let schemes: HashSet<&str> = ["https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
                ("th", ["colspan", "rowspan"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .clean(html)
        .to_string()
}
