//! PDF backend: fonts, shaping, line breaking, layout, pagination and drawing.

pub mod fonts;
pub mod frame;
pub mod shape;
pub mod draw;
