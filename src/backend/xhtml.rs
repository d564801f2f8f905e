//! xhtml backend (in progress).
