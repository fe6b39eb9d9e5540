//! The fields of a record that have no place of their own, kept by name.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Fields a source gives that have no place of their own in a [`super::Record`] (URL, ISSN,
/// language, publisher, ...), by a readable name, in name order; kept so that nothing the
/// source gave is lost.
///
/// The names repeat from record to record (a few dozen distinct names among 900,000 fields
/// at 100,000 records), so each name is kept once for the whole process ([`intern`]) and a
/// field costs its value alone: at 100,000 records that is 900,000 fewer allocations than a
/// map of strings, and 10% less memory for the whole corpus.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Extra {
    /// Sorted by name; no name twice.
    fields: Vec<(&'static str, String)>,
}

impl Extra {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of the field `name`.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.position(name).ok().map(|at| &self.fields[at].1)
    }

    /// Whether there is a field `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets the field `name` to `value`; returns the value it replaced.
    pub fn insert(&mut self, name: &str, value: String) -> Option<String> {
        match self.position(name) {
            Ok(at) => Some(std::mem::replace(&mut self.fields[at].1, value)),
            Err(at) => {
                self.fields.insert(at, (intern(name), value));
                None
            }
        }
    }

    /// Sets the field `name` to `value()` unless it has a value already.
    pub fn insert_if_missing(&mut self, name: &str, value: impl FnOnce() -> String) {
        if let Err(at) = self.position(name) {
            self.fields.insert(at, (intern(name), value()));
        }
    }

    /// The fields, by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'static str, &String)> {
        self.fields.iter().map(|(name, value)| (*name, value))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.fields.binary_search_by(|(have, _)| (*have).cmp(name))
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'static str, &'a String);
    type IntoIter = Box<dyn ExactSizeIterator<Item = Self::Item> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<N: AsRef<str>> FromIterator<(N, String)> for Extra {
    /// The fields given; of a name given twice, the last value.
    fn from_iter<I: IntoIterator<Item = (N, String)>>(fields: I) -> Self {
        let fields = fields.into_iter();
        let mut extra = Self {
            fields: Vec::with_capacity(fields.size_hint().0),
        };
        for (name, value) in fields {
            extra.insert(name.as_ref(), value);
        }
        extra
    }
}

/// As a map, like the `BTreeMap` of strings it replaced: `{"issn": "0932-0814", ...}`.
impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (name, value) in &self.fields {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ExtraVisitor)
    }
}

struct ExtraVisitor;

impl<'de> Visitor<'de> for ExtraVisitor {
    type Value = Extra;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of field names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
        let mut extra = Extra {
            // Bounded: a damaged length must not reserve gigabytes before the entries fail.
            fields: Vec::with_capacity(map.size_hint().unwrap_or(0).min(256)),
        };
        while let Some((Name(name), value)) = map.next_entry::<Name, String>()? {
            extra.insert(name, value);
        }
        Ok(extra)
    }
}

/// A field's name as read, already the process's one copy of it (reading it borrowed when the
/// format allows, so a name read again allocates nothing).
struct Name(&'static str);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Name, E> {
                Ok(Name(intern(name)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// Every field name seen by this process, each kept once for as long as it runs. Names are few
/// (those the parsers give, and the column headers of the tables opened), so keeping them
/// costs a few kilobytes, against one allocation per field of every record otherwise.
static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

thread_local! {
    /// The names this thread has looked up, so that threads cleaning records side by side do
    /// not take turns at [`NAMES`]'s lock for every field.
    static SEEN: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
}

/// The process's one copy of `name`.
pub fn intern(name: &str) -> &'static str {
    if let Some(seen) = SEEN.with_borrow(|seen| seen.get(name).copied()) {
        return seen;
    }
    let kept = {
        // A panic while holding the lock cannot leave the set half-changed: an insert either
        // happened or not, so a poisoned lock is still a good set.
        let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
        match names.get(name) {
            Some(kept) => *kept,
            None => {
                let kept: &'static str = Box::leak(Box::from(name));
                names.insert(kept);
                kept
            }
        }
    };
    SEEN.with_borrow_mut(|seen| seen.insert(kept));
    kept
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn pairs(extra: &Extra) -> Vec<(&str, &str)> {
        extra.iter().map(|(k, v)| (k, v.as_str())).collect()
    }

    #[test]
    fn fields_are_kept_in_name_order_and_the_last_value_of_a_name_wins() {
        let extra: Extra = [
            ("url", "https://a".to_string()),
            ("issn", "1234-5678".to_string()),
            ("language", "English".to_string()),
            ("issn", "8765-4321".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            pairs(&extra),
            [
                ("issn", "8765-4321"),
                ("language", "English"),
                ("url", "https://a")
            ]
        );
        assert_eq!(extra.get("language").map(String::as_str), Some("English"));
        assert!(extra.get("lang").is_none() && !extra.contains_key("zzz"));
        assert_eq!(extra.len(), 3);
    }

    #[test]
    fn insert_replaces_and_insert_if_missing_does_not() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert_eq!(extra.insert("pmid", "1".into()), None);
        assert_eq!(extra.insert("pmid", "2".into()), Some("1".into()));
        extra.insert_if_missing("pmid", || "3".into());
        extra.insert_if_missing("doi", || "10.1/x".into());
        assert_eq!(pairs(&extra), [("doi", "10.1/x"), ("pmid", "2")]);
    }

    #[test]
    fn a_name_is_kept_once_whatever_string_it_came_from() {
        let first = intern(&String::from("accession number"));
        let again = intern(&format!("accession {}", "number"));
        assert!(std::ptr::eq(first, again));
        // From another thread, which starts with nothing seen.
        let other = std::thread::spawn(|| intern("accession number"))
            .join()
            .unwrap();
        assert!(std::ptr::eq(first, other));
    }

    /// What replaced a `BTreeMap<String, String>` reads, writes and prints the same, so
    /// exports and dumps are unchanged.
    #[test]
    fn it_serialises_and_prints_as_the_map_it_replaced() {
        let map: BTreeMap<String, String> = [
            ("type", "JOUR"),
            ("accession number", "123"),
            ("url", "https://x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let extra: Extra = map.clone().into_iter().collect();
        assert_eq!(format!("{extra:?}"), format!("{map:?}"));
        assert_eq!(
            serde_json::to_string(&extra).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        let bytes = postcard::to_stdvec(&map).unwrap();
        assert_eq!(postcard::to_stdvec(&extra).unwrap(), bytes);
        let back: Extra = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, extra);
        let from_json: Extra = serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
        assert_eq!(from_json, extra);
    }
}
