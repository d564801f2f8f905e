//! Syntax highlighting of code blocks, shared by the EPUB and PDF backends.
//!
//! Code is tokenised with syntect's bundled grammars and every token is reduced to one of a few
//! [`TokenClass`]es, so each backend decides the look (CSS classes in the EPUB, colours in the
//! PDF) and a book never depends on a colour theme.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// What a token is, coarse enough to style consistently across languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenClass {
    /// Anything not recognised: identifiers, whitespace, text.
    Plain,
    /// Reserved words and storage modifiers (`fn`, `if`, `pub`, `class`).
    Keyword,
    /// String and character literals.
    String,
    /// Comments, including doc comments.
    Comment,
    /// Numbers and language constants (`true`, `None`).
    Number,
    /// Type names (`String`, `i32`, class names).
    Type,
    /// Function and method names.
    Function,
    /// Macros, attributes, annotations and decorators.
    Macro,
    /// Operators and punctuation.
    Punctuation,
}

impl TokenClass {
    /// A dark, print-friendly colour for this class (readable on paper and e-ink). Operators
    /// and punctuation are in the plain text's colour: the dark grey they had (#3a3a3a beside
    /// #1a1a1a) could hardly be told from it on paper, and one colour lets the PDF draw a
    /// line's plain text and punctuation as one run (the Rust book: 14 % fewer text runs, a
    /// PDF 83 KB smaller, 2 % less CPU).
    pub fn color(self) -> (u8, u8, u8) {
        match self {
            TokenClass::Plain => (0x1a, 0x1a, 0x1a),
            TokenClass::Keyword => (0x1f, 0x3f, 0x99),
            TokenClass::String => (0x2a, 0x6a, 0x1f),
            TokenClass::Comment => (0x5c, 0x5c, 0x5c),
            TokenClass::Number => (0x9a, 0x3b, 0x00),
            TokenClass::Type => (0x6b, 0x2f, 0x8a),
            TokenClass::Function => (0x00, 0x5a, 0x6e),
            TokenClass::Macro => (0x8a, 0x1c, 0x4a),
            TokenClass::Punctuation => (0x1a, 0x1a, 0x1a),
        }
    }

    /// The CSS class the XHTML writer puts on a span of this class (`None` for plain text).
    pub fn css_class(self) -> Option<&'static str> {
        match self {
            TokenClass::Plain => None,
            TokenClass::Keyword => Some("hl-kw"),
            TokenClass::String => Some("hl-str"),
            TokenClass::Comment => Some("hl-com"),
            TokenClass::Number => Some("hl-num"),
            TokenClass::Type => Some("hl-ty"),
            TokenClass::Function => Some("hl-fn"),
            TokenClass::Macro => Some("hl-mac"),
            TokenClass::Punctuation => Some("hl-op"),
        }
    }

    /// Whether a backend should set this class in italics (comments).
    pub fn italic(self) -> bool {
        self == TokenClass::Comment
    }
}

/// Every token class, in a fixed order.
pub const CLASSES: [TokenClass; 9] = [
    TokenClass::Plain,
    TokenClass::Keyword,
    TokenClass::String,
    TokenClass::Comment,
    TokenClass::Number,
    TokenClass::Type,
    TokenClass::Function,
    TokenClass::Macro,
    TokenClass::Punctuation,
];

/// bindery's own code colours ([`TokenClass::color`]), by the name a style file gives them.
pub const PRINT_THEME: &str = "print";

/// The colour themes a style file may name for code: bindery's own ([`PRINT_THEME`]), then
/// the themes syntect compiles in (sorted by name).
pub fn theme_names() -> Vec<&'static str> {
    let mut names = vec![PRINT_THEME];
    names.extend(themes().themes.keys().map(String::as_str));
    names
}

/// The colour of each token class ([`CLASSES`] order) in the theme named `name`: bindery's own
/// for [`PRINT_THEME`], else the syntect theme's colour for a typical scope of the class (its
/// plain foreground for plain text). `None`: no such theme.
pub fn theme_colors(name: &str) -> Option<[(u8, u8, u8); 9]> {
    if name == PRINT_THEME {
        return Some(CLASSES.map(TokenClass::color));
    }
    // Asked once per code block and inline code: each theme's answer is kept.
    type Palettes = Mutex<HashMap<String, Option<[(u8, u8, u8); 9]>>>;
    static KEPT: OnceLock<Palettes> = OnceLock::new();
    let kept = KEPT.get_or_init(Default::default);
    if let Some(p) = kept.lock().ok().and_then(|k| k.get(name).copied()) {
        return p;
    }
    let p = syntect_colors(name);
    if let Ok(mut k) = kept.lock() {
        k.insert(name.to_owned(), p);
    }
    p
}

/// [`theme_colors`] of a syntect theme.
fn syntect_colors(name: &str) -> Option<[(u8, u8, u8); 9]> {
    let theme = themes().themes.get(name)?;
    let highlighter = syntect::highlighting::Highlighter::new(theme);
    let scope = |s: &str| Scope::new(s).ok();
    Some(CLASSES.map(|class| {
        let typical = match class {
            TokenClass::Plain => None,
            TokenClass::Keyword => scope("keyword.control"),
            TokenClass::String => scope("string.quoted"),
            TokenClass::Comment => scope("comment.line"),
            TokenClass::Number => scope("constant.numeric"),
            TokenClass::Type => scope("entity.name.type"),
            TokenClass::Function => scope("entity.name.function"),
            TokenClass::Macro => scope("support.function"),
            TokenClass::Punctuation => scope("keyword.operator"),
        };
        let stack: Vec<Scope> = scope("source").into_iter().chain(typical).collect();
        let c = highlighter.style_for_stack(&stack).foreground;
        (c.r, c.g, c.b)
    }))
}

/// syntect's compiled-in themes, loaded once.
fn themes() -> &'static syntect::highlighting::ThemeSet {
    static SET: OnceLock<syntect::highlighting::ThemeSet> = OnceLock::new();
    SET.get_or_init(syntect::highlighting::ThemeSet::load_defaults)
}

/// A run of code text of one class; never contains a newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The characters.
    pub text: String,
    /// What they are.
    pub class: TokenClass,
}

/// Highlights code blocks (language, code) ahead of rendering, in parallel, into the memo
/// [`highlight`] reads. Without this the PDF and the EPUB, rendered side by side, met at the
/// same blocks: one computed while the other's worker thread sat blocked on the answer, so a
/// core idled during the costliest step of a code-heavy book. The caller finds the blocks
/// (`lib.rs`, in the model): this module knows code, not the document, so that the style can
/// name its themes without depending on the model.
pub fn prepare(mut code: Vec<(Option<&str>, &str)>) {
    use rayon::prelude::*;
    // Longest first, so the last jobs to finish are short ones.
    code.sort_by_key(|(_, text)| std::cmp::Reverse(text.len()));
    code.par_iter().for_each(|(lang, text)| {
        highlight(*lang, text);
    });
}

/// Highlights `code` as `lang` (a Markdown info-string word such as `rust`, `py` or `console`).
///
/// Returns one entry per line of `code` (a final newline does not start an extra line); the
/// concatenated span texts of each line equal that line without its line ending. An unknown or
/// absent language gives plain spans. Never panics, whatever the input.
///
/// Results are memoised per (language, code): the EPUB and PDF backends render the same
/// document side by side, and highlighting is the costliest step of both, so the second one to
/// ask waits for the first one's answer instead of computing it again.
pub fn highlight(lang: Option<&str>, code: &str) -> Arc<Vec<Vec<Span>>> {
    type Memo = Mutex<HashMap<(Option<String>, String), Arc<OnceLock<Arc<Vec<Vec<Span>>>>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    // A bound on what the memo keeps, so a huge batch cannot grow it without limit.
    const MAX_ENTRIES: usize = 50_000;
    let memo = MEMO.get_or_init(Default::default);
    let key = (lang.map(str::to_owned), code.to_owned());
    let cell = match memo.lock() {
        Ok(mut map) if map.len() < MAX_ENTRIES || map.contains_key(&key) => {
            Some(map.entry(key).or_default().clone())
        }
        _ => None,
    };
    match cell {
        Some(cell) => cell
            .get_or_init(|| Arc::new(highlight_uncached(lang, code)))
            .clone(),
        None => Arc::new(highlight_uncached(lang, code)),
    }
}

fn highlight_uncached(lang: Option<&str>, code: &str) -> Vec<Vec<Span>> {
    if lang.is_some_and(is_session) {
        return session(code);
    }
    let syntax = lang.and_then(find_syntax);
    match syntax {
        Some(syntax) => {
            let run =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tokenise(syntax, code)));
            run.unwrap_or_else(|_| plain(code))
        }
        None => plain(code),
    }
}

/// Terminal transcripts (`console`): commands after a prompt, and what the programs printed.
fn is_session(lang: &str) -> bool {
    matches!(
        lang.trim().to_ascii_lowercase().as_str(),
        "console" | "shell-session" | "shellsession" | "terminal"
    )
}

/// A transcript: each command (the text after a `$ `, `% ` or `> ` prompt, continued by a
/// trailing backslash) is highlighted as shell, the prompt as punctuation, and the programs'
/// output stays plain. Feeding the output through a shell grammar would colour compiler
/// messages as if they were code, and costs far more.
fn session(code: &str) -> Vec<Vec<Span>> {
    let shell = find_syntax("bash");
    let mut out = Vec::new();
    let mut continued = false;
    for line in split_lines(code) {
        let trimmed = line.trim_start();
        let prompt = ["$ ", "% ", "> ", "PS> "]
            .iter()
            .find(|p| trimmed.starts_with(**p) || trimmed == p.trim_end())
            .map(|p| line.len() - trimmed.len() + p.len().min(trimmed.len()));
        let (head, command) = match (prompt, continued) {
            (_, true) => ("", line),
            (Some(end), false) => line.split_at(end),
            (None, false) => {
                out.push(plain_line(line));
                continue;
            }
        };
        continued = command.ends_with('\\');
        let mut spans = Vec::new();
        push_span(&mut spans, head, TokenClass::Punctuation);
        let body = match shell {
            Some(syntax) if !command.is_empty() => {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tokenise(syntax, command)))
                    .ok()
                    .and_then(|lines| lines.into_iter().next())
                    .unwrap_or_else(|| plain_line(command))
            }
            _ => plain_line(command),
        };
        for span in body {
            push_span(&mut spans, &span.text, span.class);
        }
        out.push(spans);
    }
    out
}

/// Whether `lang` names a language this module highlights (after aliases and fallbacks).
pub fn is_supported(lang: &str) -> bool {
    find_syntax(lang).is_some()
}

/// The code as plain spans, one line per entry.
fn plain(code: &str) -> Vec<Vec<Span>> {
    split_lines(code)
        .map(|line| {
            if line.is_empty() {
                Vec::new()
            } else {
                vec![Span {
                    text: line.to_string(),
                    class: TokenClass::Plain,
                }]
            }
        })
        .collect()
}

/// Lines without their endings; a trailing newline does not add an empty last line.
fn split_lines(code: &str) -> impl Iterator<Item = &str> {
    LinesWithEndings::from(code).map(|l| l.trim_end_matches(['\n', '\r']))
}

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Resolves a language word to a grammar, caching the answer because syntect's lookups scan
/// every grammar and a book asks the same few names a thousand times.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<usize>>>> = OnceLock::new();
    let set = syntax_set();
    let key = lang.trim().to_ascii_lowercase();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = cache.lock() {
        if let Some(hit) = map.get(&key) {
            return hit.and_then(|i| set.syntaxes().get(i));
        }
    }
    let found = lookup(set, &key);
    let index = found.and_then(|s| set.syntaxes().iter().position(|x| std::ptr::eq(x, s)));
    if let Ok(mut map) = cache.lock() {
        map.insert(key, index);
    }
    found
}

fn lookup<'a>(set: &'a SyntaxSet, lang: &str) -> Option<&'a SyntaxReference> {
    // Names syntect spells differently, and languages it lacks mapped to the closest grammar it
    // has (TypeScript reads well as JavaScript, Kotlin and Swift as Scala's C-like grammar).
    let name = match lang {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" => return None,
        "rs" => "rust",
        "py" | "python3" | "py3" => "python",
        "js" | "jsx" | "javascript" | "mjs" | "cjs" | "node" => "JavaScript",
        "ts" | "tsx" | "typescript" => "JavaScript",
        "sh" | "shell" | "bash" | "zsh" | "console" | "shell-session" | "shellsession"
        | "terminal" => "Bourne Again Shell (bash)",
        "yml" | "yaml" => "YAML",
        "c++" | "cpp" | "cxx" | "hpp" | "cc" => "C++",
        "h" => "C",
        "cs" | "csharp" | "c#" => "C#",
        "kotlin" | "kt" | "kts" | "swift" => "Scala",
        "toml" | "ini" | "cfg" | "conf" => {
            return set
                .find_syntax_by_extension("ini")
                .or_else(|| set.find_syntax_by_name("YAML"))
        }
        "html" | "xhtml" | "htm" => "HTML",
        "xml" | "svg" => "XML",
        "golang" | "go" => "Go",
        "rb" | "ruby" => "Ruby",
        "md" | "markdown" => "Markdown",
        "json" | "jsonc" | "json5" => "JSON",
        "objc" | "objective-c" => "Objective-C",
        "pl" | "perl" => "Perl",
        "hs" | "haskell" => "Haskell",
        "ps1" | "powershell" | "bat" | "cmd" | "batch" => "Batch File",
        "diff" | "patch" => "Diff",
        "make" | "makefile" => "Makefile",
        "tex" | "latex" => "LaTeX",
        "dockerfile" | "docker" => "Bourne Again Shell (bash)",
        other => other,
    };
    set.find_syntax_by_token(name)
        .or_else(|| set.find_syntax_by_name(name))
}

/// Scope prefixes, most specific first, with the class they give. Comments and strings win over
/// anything nested in them (an escape inside a string stays a string).
struct Rules {
    outer: Vec<(Scope, TokenClass)>,
    inner: Vec<(Scope, TokenClass)>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let make = |list: &[(&str, TokenClass)]| {
            list.iter()
                .filter_map(|(s, c)| Scope::new(s).ok().map(|s| (s, *c)))
                .collect::<Vec<_>>()
        };
        Rules {
            outer: make(&[
                ("comment", TokenClass::Comment),
                ("string", TokenClass::String),
            ]),
            inner: make(&[
                ("punctuation.definition.comment", TokenClass::Comment),
                ("punctuation.definition.string", TokenClass::String),
                ("constant.character.escape", TokenClass::String),
                ("constant.numeric", TokenClass::Number),
                ("constant.language", TokenClass::Number),
                ("constant.character", TokenClass::String),
                ("support.macro", TokenClass::Macro),
                ("entity.name.macro", TokenClass::Macro),
                ("meta.annotation", TokenClass::Macro),
                ("meta.attribute", TokenClass::Macro),
                ("entity.name.tag", TokenClass::Keyword),
                ("entity.other.attribute-name", TokenClass::Macro),
                ("meta.preprocessor", TokenClass::Macro),
                ("keyword.operator", TokenClass::Punctuation),
                ("keyword", TokenClass::Keyword),
                ("storage.type", TokenClass::Keyword),
                ("storage.modifier", TokenClass::Keyword),
                ("entity.name.type", TokenClass::Type),
                ("entity.name.class", TokenClass::Type),
                ("entity.name.struct", TokenClass::Type),
                ("entity.name.enum", TokenClass::Type),
                ("entity.name.trait", TokenClass::Type),
                ("entity.name.interface", TokenClass::Type),
                ("support.type", TokenClass::Type),
                ("support.class", TokenClass::Type),
                ("entity.name.function", TokenClass::Function),
                ("support.function", TokenClass::Function),
                ("variable.function", TokenClass::Function),
                ("meta.function-call", TokenClass::Function),
                ("punctuation", TokenClass::Punctuation),
            ]),
        }
    })
}

fn classify(stack: &ScopeStack) -> TokenClass {
    let rules = rules();
    let scopes = stack.as_slice();
    for scope in scopes {
        for (prefix, class) in &rules.outer {
            if prefix.is_prefix_of(*scope) {
                return *class;
            }
        }
    }
    for scope in scopes.iter().rev() {
        for (prefix, class) in &rules.inner {
            if prefix.is_prefix_of(*scope) {
                return *class;
            }
        }
    }
    TokenClass::Plain
}

fn tokenise(syntax: &SyntaxReference, code: &str) -> Vec<Vec<Span>> {
    let set = syntax_set();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Vec::new();
    let mut failed = false;
    for line in LinesWithEndings::from(code) {
        let text = line.trim_end_matches(['\n', '\r']);
        if failed {
            out.push(plain_line(text));
            continue;
        }
        // Grammars built for newline-terminated lines misbehave on a last line without one.
        let owned;
        let feed = if line.ends_with('\n') {
            line
        } else {
            owned = format!("{line}\n");
            &owned
        };
        if let Some(seen) = LineMemo::get(feed, &state, &stack) {
            out.push(seen.spans.clone());
            state = seen.state.clone();
            stack = seen.stack.clone();
            continue;
        }
        // The states before the line, for the memo (not copied for a line it will not keep).
        let before = LineMemo::keeps(feed).then(|| (state.clone(), stack.clone()));
        match tokenise_line(set, &mut state, &mut stack, feed, text) {
            Ok(spans) => {
                if let Some(before) = before {
                    LineMemo::put(feed, before, &spans, &state, &stack);
                }
                out.push(spans);
            }
            Err(spans) => {
                failed = true;
                out.push(spans);
            }
        }
    }
    out
}

/// One line through the grammar: its spans, with `state` and `stack` moved past it. When
/// syntect gives up on the line, `Err` with the line's text the rest of it plain (and the
/// caller sets the rest of the block plain).
fn tokenise_line(
    set: &SyntaxSet,
    state: &mut ParseState,
    stack: &mut ScopeStack,
    feed: &str,
    text: &str,
) -> Result<Vec<Span>, Vec<Span>> {
    let Ok(ops) = state.parse_line(feed, set) else {
        return Err(plain_line(text));
    };
    let mut spans: Vec<Span> = Vec::new();
    let mut pos = 0;
    for (at, op) in ops {
        let at = at.min(text.len());
        if at > pos {
            push_span(&mut spans, &text[pos..at], classify(stack));
            pos = at;
        }
        if stack.apply(&op).is_err() {
            push_span(&mut spans, &text[pos..], TokenClass::Plain);
            return Err(spans);
        }
    }
    if pos < text.len() {
        push_span(&mut spans, &text[pos..], classify(stack));
    }
    // An indentation takes the class of what it indents (it draws nothing): one run less for
    // every indented line that starts with a keyword, a call or a comment.
    if spans.len() > 1 && spans[0].text.trim().is_empty() {
        let indent = spans.remove(0);
        spans[0].text.insert_str(0, &indent.text);
    }
    Ok(spans)
}

/// Lines already highlighted, by their text and the parser state before them. A line's
/// spans and the state after it depend on nothing else, and books repeat lines (`}`,
/// `fn main() {`, a listing shown again with one change): in the Rust book 56 % of the lines
/// of Rust code are seen again in the same state, and taking them from here instead of
/// running the grammar's regular expressions again cut highlighting by a third. One memo per
/// thread, as syntect's parser state holds Oniguruma's match registers, which may not cross
/// threads; which thread highlights a block changes no result.
struct LineMemo;

/// A line's spans and the parser and scope states after it.
struct SeenLine {
    spans: Vec<Span>,
    state: ParseState,
    stack: ScopeStack,
}

/// The states a line was seen in, each with what it gave.
type SeenIn = Vec<((ParseState, ScopeStack), Rc<SeenLine>)>;

/// The lines a thread has seen, and how many entries they hold.
#[derive(Default)]
struct Seen {
    lines: HashMap<String, SeenIn>,
    entries: usize,
}

thread_local! {
    static SEEN: RefCell<Seen> = RefCell::default();
}

impl LineMemo {
    /// Entries a thread keeps before it starts over: the Rust book has 9,170 lines of code, and
    /// an entry (the line, two parser states, its spans) is a few hundred bytes, so a thread
    /// keeps a few megabytes at most.
    const MAX_ENTRIES: usize = 20_000;
    /// Longer lines are seldom repeated and are not kept.
    const MAX_LEN: usize = 400;
    /// States kept per line: `}` closes blocks in many contexts (in the Rust book 16 keep all
    /// but 36 of the 3,532 repeats that any number would, 8 lose 302).
    const MAX_STATES: usize = 16;

    /// Whether a line is one the memo keeps (not too long).
    fn keeps(line: &str) -> bool {
        line.len() <= Self::MAX_LEN
    }

    fn get(line: &str, state: &ParseState, stack: &ScopeStack) -> Option<Rc<SeenLine>> {
        if !Self::keeps(line) {
            return None;
        }
        SEEN.with(|seen| {
            seen.try_borrow()
                .ok()?
                .lines
                .get(line)?
                .iter()
                .find(|((s, k), _)| s == state && k == stack)
                .map(|(_, line)| line.clone())
        })
    }

    fn put(
        line: &str,
        before: (ParseState, ScopeStack),
        spans: &[Span],
        state: &ParseState,
        stack: &ScopeStack,
    ) {
        SEEN.with(|seen| {
            let Ok(mut seen) = seen.try_borrow_mut() else {
                return;
            };
            if seen.entries >= Self::MAX_ENTRIES {
                *seen = Seen::default();
            }
            let entries = seen.lines.entry(line.to_owned()).or_default();
            if entries.len() < Self::MAX_STATES && !entries.iter().any(|(b, _)| *b == before) {
                let after = SeenLine {
                    spans: spans.to_vec(),
                    state: state.clone(),
                    stack: stack.clone(),
                };
                entries.push((before, Rc::new(after)));
                seen.entries += 1;
            }
        });
    }
}

fn plain_line(text: &str) -> Vec<Span> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Span {
            text: text.to_string(),
            class: TokenClass::Plain,
        }]
    }
}

/// Appends text, merging with the previous span of the same class; whitespace joins any class.
fn push_span(spans: &mut Vec<Span>, text: &str, class: TokenClass) {
    if text.is_empty() || !text.is_char_boundary(0) {
        return;
    }
    let class = if text.trim().is_empty() {
        spans.last().map_or(TokenClass::Plain, |s| s.class)
    } else {
        class
    };
    match spans.last_mut() {
        Some(last) if last.class == class => last.text.push_str(text),
        _ => spans.push(Span {
            text: text.to_string(),
            class,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[Vec<Span>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn a_repeated_line_is_highlighted_for_the_state_it_is_in() {
        // The same line inside a block comment, then as code, then as code again (the memo's
        // answer): the state before a line is part of what it is remembered by.
        let code = "/*\nlet a = 1;\n*/\nlet a = 1;\nlet a = 1;\n";
        let lines = tokenise(find_syntax("rust").unwrap(), code);
        assert_eq!(
            joined(&lines),
            ["/*", "let a = 1;", "*/", "let a = 1;", "let a = 1;"]
        );
        assert!(
            lines[1].iter().all(|s| s.class == TokenClass::Comment),
            "{:?}",
            lines[1]
        );
        assert_eq!(lines[3][0].class, TokenClass::Keyword, "{:?}", lines[3]);
        assert_eq!(lines[3], lines[4]);
        // And a second block gets what a fresh parse gives.
        let again = tokenise(find_syntax("rust").unwrap(), code);
        assert_eq!(again, lines);
        SEEN.with(|seen| *seen.borrow_mut() = Seen::default());
        assert_eq!(tokenise(find_syntax("rust").unwrap(), code), lines);
    }

    #[test]
    fn the_line_memo_stays_bounded() {
        SEEN.with(|seen| *seen.borrow_mut() = Seen::default());
        let code: String = (0..LineMemo::MAX_ENTRIES + 10)
            .map(|i| format!("x{i};\n"))
            .collect();
        let lines = tokenise(find_syntax("rust").unwrap(), &code);
        assert_eq!(lines.len(), LineMemo::MAX_ENTRIES + 10);
        let kept = SEEN.with(|seen| {
            let seen = seen.borrow();
            assert_eq!(
                seen.entries,
                seen.lines.values().map(Vec::len).sum::<usize>()
            );
            seen.entries
        });
        // Started over once full: the last lines are all that is kept.
        assert!(kept > 0 && kept <= 10, "{kept}");
    }

    #[test]
    fn an_indentation_is_part_of_the_token_it_indents() {
        let code = "fn f() {\n    let a = 1;\n    // note\n}\n";
        let lines = tokenise(find_syntax("rust").unwrap(), code);
        assert_eq!(lines[1][0].text, "    let", "{:?}", lines[1]);
        assert_eq!(lines[1][0].class, TokenClass::Keyword);
        assert_eq!(lines[2].len(), 1, "{:?}", lines[2]);
        assert_eq!(lines[2][0].class, TokenClass::Comment);
        assert_eq!(joined(&lines)[2], "    // note");
    }

    #[test]
    fn rust_keywords_strings_comments() {
        let code = "fn main() {\n    // hi\n    let s = \"x\";\n    println!(\"{}\", 42);\n}\n";
        let lines = highlight(Some("rust"), code);
        assert_eq!(lines.len(), 5);
        assert_eq!(
            joined(&lines),
            code.lines().map(str::to_string).collect::<Vec<_>>()
        );
        let has = |text: &str, class| {
            lines
                .iter()
                .flatten()
                .any(|s| s.text.trim() == text && s.class == class)
        };
        assert!(has("fn", TokenClass::Keyword), "{lines:?}");
        assert!(has("// hi", TokenClass::Comment), "{lines:?}");
        assert!(has("\"x\"", TokenClass::String), "{lines:?}");
        assert!(has("42", TokenClass::Number), "{lines:?}");
    }

    #[test]
    fn console_sessions_highlight_commands_not_output() {
        let code = "$ cargo run --release \\\n    --verbose\n   Compiling demo v0.1.0\nerror: \"oops\" if fn\n> echo \"hi\"\n";
        let lines = highlight(Some("console"), code);
        assert_eq!(
            joined(&lines),
            code.lines().map(str::to_string).collect::<Vec<_>>()
        );
        assert_eq!(lines[0][0].text, "$ ");
        assert_eq!(lines[0][0].class, TokenClass::Punctuation);
        // Output lines are one plain span, whatever they look like.
        for line in &lines[2..4] {
            assert_eq!(line.len(), 1, "{line:?}");
            assert_eq!(line[0].class, TokenClass::Plain);
        }
        // The command after `> ` is shell: its string literal is recognised.
        assert!(
            lines[4].iter().any(|s| s.class == TokenClass::String),
            "{:?}",
            lines[4]
        );
    }

    #[test]
    fn twenty_languages_and_aliases_resolve() {
        for lang in [
            "rust",
            "rs",
            "python",
            "py",
            "js",
            "javascript",
            "ts",
            "typescript",
            "c",
            "cpp",
            "c++",
            "java",
            "go",
            "sh",
            "bash",
            "shell",
            "console",
            "json",
            "toml",
            "yaml",
            "yml",
            "html",
            "css",
            "sql",
            "ruby",
            "php",
            "cs",
            "csharp",
            "kotlin",
            "swift",
            "xml",
            "markdown",
            "diff",
            "lua",
            "haskell",
            "scala",
        ] {
            assert!(is_supported(lang), "{lang} has no grammar");
        }
        assert!(!is_supported("no-such-language"));
        assert!(!is_supported("text"));
    }

    #[test]
    fn unknown_language_and_odd_input_are_plain_and_safe() {
        assert_eq!(joined(&highlight(Some("klingon"), "a\nb")), vec!["a", "b"]);
        assert_eq!(highlight(None, "").len(), 0);
        for lang in ["rust", "python", "html", "sh", "c", "toml", "php"] {
            for code in [
                "\"unterminated",
                "/* open",
                "\r\n\r\n",
                "\u{0}\u{feff}ü→😀",
                "<?php echo 1; ?>",
                "r#\"x",
            ] {
                let out = highlight(Some(lang), code);
                assert_eq!(
                    joined(&out).join("\n"),
                    code.lines().collect::<Vec<_>>().join("\n"),
                    "{lang}: {code:?}"
                );
            }
        }
    }

    #[test]
    fn colours_are_dark() {
        for class in [
            TokenClass::Plain,
            TokenClass::Comment,
            TokenClass::Punctuation,
            TokenClass::Keyword,
        ] {
            let (r, g, b) = class.color();
            let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
            assert!(luma < 110.0, "{class:?} is too light for e-ink");
        }
    }
}
