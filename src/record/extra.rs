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
/// Built for 100,000 records held at once, each with about nine such fields: the names repeat
/// from record to record (a few dozen distinct ones), so each is kept once for the whole
/// process ([`intern`]), and a record's values are kept one after the other in one string.
/// Nine fields cost two allocations, where a map of strings cost nineteen.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Extra {
    /// Each field's name and where its value ends in `values`; sorted by name, no name twice.
    fields: Vec<(&'static str, usize)>,
    /// The values, in the order of `fields`, one after the other.
    values: String,
}

impl Extra {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of the field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).ok().map(|at| self.value(at))
    }

    /// Whether there is a field `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets the field `name` to `value`; returns the value it replaced.
    pub fn insert(&mut self, name: &str, value: &str) -> Option<String> {
        match self.position(name) {
            Ok(at) => {
                let range = self.start(at)..self.fields[at].1;
                let old = self.values[range.clone()].to_string();
                self.values.replace_range(range, value);
                self.shift_ends(at, value.len().wrapping_sub(old.len()));
                Some(old)
            }
            Err(at) => {
                self.add(at, name, value);
                None
            }
        }
    }

    /// Sets the field `name` to `value` unless it has a value already.
    pub fn insert_if_missing(&mut self, name: &str, value: &str) {
        if let Err(at) = self.position(name) {
            self.add(at, name, value);
        }
    }

    /// The fields, by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> {
        (0..self.fields.len()).map(|at| (self.fields[at].0, self.value(at)))
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

    /// Where the value of field `at` starts in `values`.
    fn start(&self, at: usize) -> usize {
        at.checked_sub(1).map_or(0, |before| self.fields[before].1)
    }

    fn value(&self, at: usize) -> &str {
        &self.values[self.start(at)..self.fields[at].1]
    }

    /// A new field `name` at position `at` (where [`Extra::position`] said it belongs).
    fn add(&mut self, at: usize, name: &str, value: &str) {
        let start = self.start(at);
        self.values.insert_str(start, value);
        self.fields.insert(at, (intern(name), start));
        self.shift_ends(at, value.len());
    }

    /// Moves the ends of field `at` and those after it by `by` (a difference of lengths,
    /// wrapping when the value got shorter).
    fn shift_ends(&mut self, at: usize, by: usize) {
        for field in &mut self.fields[at..] {
            field.1 = field.1.wrapping_add(by);
        }
    }

    /// Gives back the room kept for growing: a corpus's records are built once and kept.
    fn shrink(mut self) -> Self {
        self.fields.shrink_to_fit();
        self.values.shrink_to_fit();
        self
    }
}

impl<N: AsRef<str>, V: AsRef<str>> FromIterator<(N, V)> for Extra {
    /// The fields given; of a name given twice, the last value.
    fn from_iter<I: IntoIterator<Item = (N, V)>>(fields: I) -> Self {
        let mut extra = Self::new();
        for (name, value) in fields {
            extra.insert(name.as_ref(), value.as_ref());
        }
        extra.shrink()
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
        for (name, value) in self.iter() {
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
        let mut extra = Extra::new();
        while let Some((Name(name), Value(value))) = map.next_entry::<Name, Value>()? {
            extra.insert(name, &value);
        }
        Ok(extra.shrink())
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

/// A field's value as read: borrowed from the input when the format allows (postcard does),
/// since it is copied into the record's one string of values anyway.
struct Value<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field value")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                value: &'de str,
            ) -> Result<Value<'de>, E> {
                Ok(Value(value.into()))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Value<'de>, E> {
                Ok(Value(value.to_string().into()))
            }
            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Value<'de>, E> {
                Ok(Value(value.into()))
            }
        }
        deserializer.deserialize_str(ValueVisitor)
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

    use proptest::prelude::*;

    use super::*;

    fn pairs(extra: &Extra) -> Vec<(&str, &str)> {
        extra.iter().collect()
    }

    #[test]
    fn fields_are_kept_in_name_order_and_the_last_value_of_a_name_wins() {
        let extra: Extra = [
            ("url", "https://a"),
            ("issn", "1234-5678"),
            ("language", "English"),
            ("issn", "8765-4321"),
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
        assert_eq!(extra.get("language"), Some("English"));
        assert!(extra.get("lang").is_none() && !extra.contains_key("zzz"));
        assert_eq!(extra.len(), 3);
    }

    #[test]
    fn insert_replaces_and_insert_if_missing_does_not() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert_eq!(extra.insert("pmid", "1"), None);
        extra.insert("url", "https://x");
        assert_eq!(extra.insert("pmid", "22"), Some("1".into()));
        extra.insert_if_missing("pmid", "3");
        extra.insert_if_missing("doi", "10.1/x");
        assert_eq!(
            pairs(&extra),
            [("doi", "10.1/x"), ("pmid", "22"), ("url", "https://x")]
        );
        assert_eq!(extra.insert("pmid", ""), Some("22".into()));
        assert_eq!(
            pairs(&extra),
            [("doi", "10.1/x"), ("pmid", ""), ("url", "https://x")]
        );
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
    /// exports, dumps and the load cache's bytes are unchanged.
    #[test]
    fn it_serialises_and_prints_as_the_map_it_replaced() {
        let map: BTreeMap<String, String> = [
            ("type", "JOUR"),
            ("accession number", "123"),
            ("url", "https://x"),
            ("note", "Ünïcödé ✓"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let extra: Extra = map.iter().collect();
        assert_eq!(format!("{extra:?}"), format!("{map:?}"));
        let json = serde_json::to_string(&map).unwrap();
        assert_eq!(serde_json::to_string(&extra).unwrap(), json);
        let bytes = postcard::to_stdvec(&map).unwrap();
        assert_eq!(postcard::to_stdvec(&extra).unwrap(), bytes);
        assert_eq!(postcard::from_bytes::<Extra>(&bytes).unwrap(), extra);
        assert_eq!(serde_json::from_str::<Extra>(&json).unwrap(), extra);
    }

    proptest! {
        /// Any run of inserts leaves the fields a map of strings would hold.
        #[test]
        fn it_holds_what_a_map_holds(
            ops in prop::collection::vec(("[a-e]{1,2}", "[a-zé]{0,6}", any::<bool>()), 0..40)
        ) {
            let (mut extra, mut map) = (Extra::new(), BTreeMap::new());
            for (name, value, replace) in &ops {
                if *replace {
                    prop_assert_eq!(extra.insert(name, value), map.insert(name.clone(), value.clone()));
                } else {
                    extra.insert_if_missing(name, value);
                    map.entry(name.clone()).or_insert_with(|| value.clone());
                }
            }
            let expected: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            prop_assert_eq!(pairs(&extra), expected);
            for name in map.keys() {
                prop_assert_eq!(extra.get(name), map.get(name).map(String::as_str));
            }
            let rebuilt: Extra = map.iter().collect();
            prop_assert_eq!(rebuilt, extra.clone().shrink());
        }
    }
}
