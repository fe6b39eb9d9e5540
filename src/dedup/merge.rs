//! The record a reviewer reads for a study found several times: the best-filled value of each
//! field across its members.

use std::collections::HashSet;

use super::Cluster;
use crate::record::Record;

/// The study's record: the representative's fields, each missing one taken from the first
/// member that has it; the longest abstract and author list; keywords and extra fields of all
/// members together.
pub fn merged(records: &[Record], cluster: &Cluster) -> Record {
    let members: Vec<&Record> = cluster.members.iter().map(|&i| &records[i]).collect();
    let mut record = members[0].clone();
    record.id = cluster.id.clone();
    let first =
        |field: fn(&Record) -> &Option<String>| members.iter().find_map(|m| field(m).clone());
    if record.title.is_empty() {
        record.title = members
            .iter()
            .map(|m| m.title.clone())
            .find(|t| !t.is_empty())
            .unwrap_or_default();
    }
    record.year = members.iter().find_map(|m| m.year);
    record.journal = first(|m| &m.journal);
    record.volume = first(|m| &m.volume);
    record.issue = first(|m| &m.issue);
    record.pages = first(|m| &m.pages);
    record.doi = first(|m| &m.doi);
    if let Some(longest) = members
        .iter()
        .max_by_key(|m| m.authors.len())
        .filter(|m| m.authors.len() > record.authors.len())
    {
        record.authors = longest.authors.clone();
    }
    if let Some(longest) = members.iter().max_by_key(|m| m.abstract_len()) {
        record.sections = longest.sections.clone();
    }
    let mut seen: HashSet<String> = record.keywords.iter().map(|k| k.to_lowercase()).collect();
    for member in &members[1..] {
        for keyword in &member.keywords {
            if seen.insert(keyword.to_lowercase()) {
                record.keywords.push(keyword.clone());
            }
        }
        for (key, value) in member.extra.iter() {
            record.extra.insert_if_missing(key, value);
        }
    }
    record
}
