//! epub backend (in progress).
