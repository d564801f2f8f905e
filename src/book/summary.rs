//! SUMMARY.md (to be written).
