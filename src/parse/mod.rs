//! Reading sources: Markdown, front matter and the files they refer to.
