//! [`Keyed`]: a map from `String` keys kept as one sorted `Vec`.
//!
//! The tracker used `BTreeMap`/`BTreeSet` with `String` keys: three monomorphs of the B-tree
//! code, about 21 KB of the wasm. A sorted vector gives the same ordered iteration and
//! `O(log n)` lookups with a binary search that is a few hundred bytes per value type; inserting
//! and removing move the tail (`memmove`), which stays cheap for the tracker's sizes because the
//! large values are boxed (16 bytes per entry).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map from `String` keys, sorted by key (byte order, as `BTreeMap<String, _>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Keyed<V> {
    items: Vec<(String, V)>,
}

impl<V> Default for Keyed<V> {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<V> Keyed<V> {
    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    #[cfg(test)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.items[i].1)
    }

    /// Inserts or replaces; returns the previous value.
    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, inserted with `make` when absent.
    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn get_or_insert_with(&mut self, key: String, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (key, make()));
                i
            }
        };
        &mut self.items[i].1
    }

    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn remove(&mut self, key: &str) -> Option<V> {
        self.find(key).ok().map(|i| self.items.remove(i).1)
    }

    /// Entries in key order.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }
}

// Serialized as a JSON object, as the `BTreeMap` it replaces (the derives on the tracker use
// these; the wasm uses `state.rs`).
impl<V: Serialize> Serialize for Keyed<V> {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<V> {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, V>::deserialize(deserializer)?;
        Ok(Self {
            items: map.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::Keyed;

    proptest! {
        #[test]
        fn behaves_like_a_btree_map(ops in proptest::collection::vec((0u8..4, "[a-c]{0,3}", 0u32..1_000_000), 0..200)) {
            let mut ours = Keyed::default();
            let mut model = BTreeMap::new();
            for (op, key, value) in ops {
                match op {
                    0 => prop_assert_eq!(ours.insert(key.clone(), value), model.insert(key, value)),
                    1 => prop_assert_eq!(ours.remove(&key), model.remove(&key)),
                    2 => {
                        *ours.get_or_insert_with(key.clone(), || 0) += 1;
                        *model.entry(key).or_insert(0) += 1;
                    }
                    _ => {
                        prop_assert_eq!(ours.get(&key), model.get(&key));
                        prop_assert_eq!(ours.contains_key(&key), model.contains_key(&key));
                    }
                }
                prop_assert_eq!(ours.len(), model.len());
            }
            let a: Vec<_> = ours.iter().collect();
            let b: Vec<_> = model.iter().collect();
            prop_assert_eq!(a, b);
        }
    }
}
