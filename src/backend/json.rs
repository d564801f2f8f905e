//! json backend (in progress).
