//! The crate's top-level modules form a pipeline, not a web: foundation modules (the model,
//! errors, the design values, page geometry...) below the stages that read sources, below the
//! typesetter, below the backends, below the command line. This reads the source itself, so a
//! `use` that would close a cycle fails here with the files and lines that make it, instead of
//! being found later as two stages that can no longer be understood (or tested) apart.

use crate::util::repo_root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where one module names another: `src/<file>:<line>`.
type Sites = Vec<String>;

/// The code of a Rust file with comments, string and character literals blanked out (replaced
/// by spaces, line breaks kept, so that byte offsets still give the same line numbers): a
/// `crate::x` written in a doc comment or a message is no dependency.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let blank = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend(bytes.iter().map(|&c| if c == b'\n' { b'\n' } else { b' ' }));
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let start = i;
        if rest.starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(rest, i > 0 && is_ident(b[i - 1])) {
            // r"..." or r#"..."#: no escapes, ends at the quote and as many hashes.
            let open = 1 + hashes + 1 + usize::from(rest[0] == b'b');
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            i += open;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i = (i + close.len()).min(b.len());
        } else if rest[0] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '"', '\u{..}'), or else a lifetime or label.
            if rest.get(1) == Some(&b'\\') {
                // The quote, the backslash and the escaped character, then up to the quote.
                i += 3;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else {
                let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                if rest.get(1 + len) == Some(&b'\'') {
                    i += 2 + len;
                } else {
                    out.push(b'\'');
                    i += 1;
                    continue;
                }
            }
        } else {
            out.push(rest[0]);
            i += 1;
            continue;
        }
        let end = i.min(b.len());
        blank(&mut out, &b[start..end]);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// At a raw string literal (`r"`, `r#"`, `br"`...): how many hashes it opens with.
fn raw_string_start(rest: &[u8], after_ident: bool) -> Option<usize> {
    if after_ident {
        return None;
    }
    let rest = rest.strip_prefix(b"b").unwrap_or(rest);
    let rest = rest.strip_prefix(b"r")?;
    let hashes = rest.iter().take_while(|&&c| c == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// `code` with every item under a `#[cfg(test)]` attribute blanked out (tests may reach
/// anywhere), and the names of test-only modules declared as files (`#[cfg(test)] mod tests;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out = code.as_bytes().to_vec();
    let mut test_files = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let b = code.as_bytes();
        let mut i = start + "#[cfg(test)]".len();
        // The item ends at its first `;` outside brackets, or at the brace closing its body.
        let mut depth = 0i32;
        let mut braced = false;
        while i < b.len() {
            match b[i] {
                b'{' | b'(' | b'[' => {
                    depth += 1;
                    braced |= b[i] == b'{';
                }
                b'}' | b')' | b']' => {
                    depth -= 1;
                    if depth == 0 && braced && b[i] == b'}' {
                        i += 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let item = &code[start..i.min(b.len())];
        let words: Vec<&str> = item["#[cfg(test)]".len()..]
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        if !braced && words.len() >= 2 && words[words.len() - 2] == "mod" {
            test_files.push(words[words.len() - 1].to_owned());
        }
        for c in &mut out[start..i.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = i.min(b.len());
    }
    (String::from_utf8_lossy(&out).into_owned(), test_files)
}

/// The crate's top-level modules (`mod x;` in src/lib.rs), and the names the crate root
/// re-exports from them (`pub use error::{Error, Result}`): `crate::Error` is `error`'s.
fn root_names(lib: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let code = code_only(lib);
    let mut modules = BTreeSet::new();
    let mut reexports = BTreeMap::new();
    for statement in code.split(';') {
        let words: Vec<&str> = statement.split_whitespace().collect();
        match words.as_slice() {
            [.., "mod", name] => {
                modules.insert(name.to_string());
            }
            ["pub", "use", path @ ..] => {
                let path = path.join(" ");
                if let Some((module, names)) = path.split_once("::") {
                    let module = module.trim();
                    for name in names
                        .trim()
                        .trim_matches(['{', '}'])
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                    {
                        let name = name.rsplit(" as ").next().unwrap_or(name);
                        let name = name.rsplit("::").next().unwrap_or(name);
                        reexports.insert(name.to_owned(), module.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    (modules, reexports)
}

/// The first names after each `crate::` in `code`: `crate::doc::Loc` gives `doc`, and
/// `crate::{doc::Loc, error::Error}` gives `doc` and `error`. With the line of each.
fn crate_paths(code: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && is_ident(code.as_bytes()[at - 1]) {
            continue;
        }
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's own level, each after the start or a comma.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start && depth == 0 => {
                        item_start = false;
                        let name = ident(&group[i..]);
                        let offset = code.len() - group.len() + i;
                        if !name.is_empty() {
                            found.push((name, line_of(offset)));
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.push((name, line_of(at)));
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The module graph: for each top-level module, the modules it names and where.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeMap<String, Sites>> {
    let (modules, reexports) = root_names(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    // Files that are test modules of another file (`#[cfg(test)] mod tests;` in `x.rs` or
    // `x/mod.rs`: `x/tests.rs`), skipped whole.
    let mut test_only = BTreeSet::new();
    let mut code_of = BTreeMap::new();
    for file in &files {
        let (code, tests) = without_tests(&code_only(&std::fs::read_to_string(file).unwrap()));
        let dir = if file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            file.parent().unwrap().to_owned()
        } else {
            file.with_extension("")
        };
        for name in tests {
            test_only.insert(dir.join(format!("{name}.rs")));
            test_only.insert(dir.join(&name).join("mod.rs"));
        }
        code_of.insert(file.clone(), code);
    }
    let mut graph: BTreeMap<String, BTreeMap<String, Sites>> = BTreeMap::new();
    for (file, code) in &code_of {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        // The crate root composes the modules (and main.rs and the binaries sit on top of
        // it): only the modules themselves are layered.
        if !modules.contains(&module) || test_only.iter().any(|t| file.starts_with(t)) {
            continue;
        }
        let edges = graph.entry(module.clone()).or_default();
        for (name, line) in crate_paths(code) {
            let target = reexports.get(&name).unwrap_or(&name);
            if *target != module && modules.contains(target) {
                let sites = edges.entry(target.clone()).or_default();
                let site = format!("src/{}:{line}", rel.display());
                if !sites.contains(&site) {
                    sites.push(site);
                }
            }
        }
    }
    graph
}

/// The strongly connected components of more than one module (Tarjan's algorithm): each is a
/// set of modules that reach one another, so at least one cycle.
fn cycles(graph: &BTreeMap<String, BTreeMap<String, Sites>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeMap<String, Sites>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        components: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flat_map(|e| e.keys()) {
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let low = s.low[v].min(s.low[w.as_str()]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w.as_str()) {
                let low = s.low[v].min(s.index[w.as_str()]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.components.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        components: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.components
}

/// For each import inside `component`, the shortest way back to where it started: the cycles
/// to break, each once (`a -> b -> a`), shortest first.
fn shortest_cycles(
    graph: &BTreeMap<String, BTreeMap<String, Sites>>,
    component: &[String],
) -> Vec<Vec<String>> {
    let inside = |m: &String| component.contains(m);
    let mut found: Vec<Vec<String>> = Vec::new();
    for a in component {
        for b in graph[a].keys().filter(|b| inside(b)) {
            // Breadth first from b to a, within the component.
            let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([b]);
            while let Some(v) = queue.pop_front() {
                if v == a {
                    break;
                }
                for w in graph[v].keys().filter(|w| inside(w)) {
                    if w != b && !came_from.contains_key(w) {
                        came_from.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            let mut path = vec![a.clone()];
            let mut v = a;
            while v != b {
                v = came_from[v];
                path.push(v.clone());
            }
            path.push(a.clone());
            path.reverse();
            // One rotation for each cycle: starting at its first module in name order.
            let body = &path[..path.len() - 1];
            let first = (0..body.len()).min_by_key(|&i| &body[i]).unwrap();
            let mut cycle: Vec<String> = body[first..]
                .iter()
                .chain(&body[..first])
                .cloned()
                .collect();
            cycle.push(cycle[0].clone());
            if !found.contains(&cycle) {
                found.push(cycle);
            }
        }
    }
    found.sort_by_key(|c| (c.len(), c.clone()));
    found
}

#[test]
fn top_level_modules_import_no_cycle() {
    let graph = module_graph(&repo_root().join("src"));
    assert!(
        graph.len() > 10 && graph["typeset"].contains_key("doc"),
        "the graph was read: {graph:?}"
    );
    // The graph, printed for `--nocapture` (docs/ARCHITECTURE.md's layering is this).
    for (module, edges) in &graph {
        let names: Vec<&str> = edges.keys().map(String::as_str).collect();
        println!("{module} -> {}", names.join(", "));
    }
    let found = cycles(&graph);
    let mut report = String::new();
    for component in &found {
        report.push_str(&format!(
            "\nthese modules reach one another: {}\n",
            component.join(", ")
        ));
        for cycle in shortest_cycles(&graph, component) {
            report.push_str(&format!("  {}\n", cycle.join(" -> ")));
            for pair in cycle.windows(2) {
                let sites = &graph[&pair[0]][&pair[1]];
                let shown: Vec<&str> = sites.iter().take(4).map(String::as_str).collect();
                let more = match sites.len() - shown.len() {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                report.push_str(&format!(
                    "    {} -> {}: {}{more}\n",
                    pair[0],
                    pair[1],
                    shown.join(", ")
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the top-level modules import one another in a cycle; docs/ARCHITECTURE.md gives \
         their layers:{report}"
    );
}

/// The reader the check relies on: comments, strings and test code are no dependencies, and
/// every name of a `crate::{...}` group is.
#[test]
fn layering_check_reads_paths_as_the_compiler_does() {
    let text = "use crate::{doc::Loc, error::{Error, Result}};\n\
                // crate::cli in a comment\n\
                let s = \"crate::backend\"; let c = '\"'; fn f<'a>(x: &'a str) { crate::style::x(); }\n\
                let r = r#\"crate::book\"#;\n\
                #[cfg(test)]\nmod tests { use crate::typeset; }\n\
                #[cfg(test)]\nmod more;\n\
                crate::Error::Setting";
    let (code, tests) = without_tests(&code_only(text));
    let names: Vec<(String, usize)> = crate_paths(&code);
    let names: Vec<(&str, usize)> = names.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(
        names,
        [("doc", 1), ("error", 1), ("style", 3), ("Error", 9)]
    );
    assert_eq!(tests, ["more"]);
    let (modules, reexports) =
        root_names("pub mod doc;\nmod error;\npub use error::{Code, Error};\n");
    assert_eq!(modules.into_iter().collect::<Vec<_>>(), ["doc", "error"]);
    assert_eq!(reexports["Error"], "error");
}
