//! Syntax highlighting of code blocks, shared by the EPUB and PDF backends.
