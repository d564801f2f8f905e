//! The shared word cache of shaping results, at the design size so that one entry serves every
//! font size.
//!
//! It is defined here, beside the [`FontSet`](super::FontSet) that stores it, rather than in
//! `shape`: the font set owns one cache shared by every thread through `&FontSet`, and `shape`
//! fills and reads it. So shaping depends on fonts, and fonts on nothing of shaping.

use super::FontId;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// A glyph at the design size, as cached.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitGlyph {
    pub(crate) id: u16,
    pub(crate) advance: i32,
    pub(crate) x_offset: i32,
    pub(crate) y_offset: i32,
    pub(crate) cluster: u32,
}

/// A run at the design size, as cached: byte range into the shaped text.
#[derive(Debug, Clone)]
pub(crate) struct UnitRun {
    pub(crate) font: FontId,
    pub(crate) range: Range<usize>,
    pub(crate) glyphs: Vec<UnitGlyph>,
}

type Entry = (FontId, Box<str>, Arc<[UnitRun]>);

/// A multiply-rotate hasher (the Fx hash of rustc): the cache is keyed by short words, where
/// SipHash's setup cost dominates. Keys are not attacker-chosen in a way that matters here.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
type ShardMap = HashMap<Box<str>, Vec<Entry>, FxBuild>;

const SHARDS: usize = 32;
/// A shard is emptied when it grows past this many texts, bounding memory in long processes.
const MAX_SHARD_ENTRIES: usize = 40_000;

/// The word cache kept in a [`FontSet`](super::FontSet), sharded behind mutexes so that layout
/// threads share it.
pub(crate) struct ShapeCache {
    shards: Vec<Mutex<ShardMap>>,
}

impl Default for ShapeCache {
    fn default() -> Self {
        ShapeCache {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(ShardMap::default()))
                .collect(),
        }
    }
}

impl ShapeCache {
    fn shard(&self, text: &str) -> &Mutex<ShardMap> {
        let mut h = FxHasher::default();
        text.hash(&mut h);
        // The high bits are the well-mixed ones; the map itself uses the low ones.
        &self.shards[(h.finish() >> 58) as usize % SHARDS]
    }

    pub(crate) fn get(&self, text: &str, font: FontId, lang: &str) -> Option<Arc<[UnitRun]>> {
        let shard = self.shard(text).lock().ok()?;
        let entries = shard.get(text)?;
        entries
            .iter()
            .find(|(f, l, _)| *f == font && &**l == lang)
            .map(|(_, _, runs)| runs.clone())
    }

    pub(crate) fn put(&self, text: &str, font: FontId, lang: &str, runs: Arc<[UnitRun]>) {
        if let Ok(mut shard) = self.shard(text).lock() {
            if shard.len() >= MAX_SHARD_ENTRIES {
                shard.clear();
            }
            shard
                .entry(text.into())
                .or_default()
                .push((font, lang.into(), runs));
        }
    }
}
