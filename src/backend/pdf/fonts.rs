//! Font faces: the bundled set, user fonts and system fallbacks.

use serde::Serialize;

/// Index of a face in the font set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FontId(pub u16);
