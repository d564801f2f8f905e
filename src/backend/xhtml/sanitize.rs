//! Raw HTML through the writer: known elements kept where XHTML allows them, the rest unwrapped
//! or shown as text, every change reported once per kind.

use super::escape::{self, decode_entities, push_attr, push_text, xml_id};
use super::raw::{self, Content, Token};
use super::writer::{Open, Writer};
use super::Mode;

impl Writer<'_> {
    /// Writes raw HTML (a block or an inline piece) into the current scope.
    pub(super) fn raw(&mut self, html: &str) {
        for token in raw::tokenize(html) {
            match token {
                Token::Text(text) => self.raw_text(&decode_entities(text)),
                Token::Comment(comment) => {
                    // An HTML page keeps comments XML can hold; the EPUB drops them all,
                    // silently: a comment is the author's note, never content.
                    let body = &comment[4..comment.len() - 3];
                    let valid =
                        !body.contains("--") && !body.ends_with('-') && !body.starts_with('>');
                    if self.mode == Mode::Keep && valid {
                        self.out.push_str(comment);
                    }
                }
                Token::Other(text) => {
                    self.warn(
                        Some("html-other".into()),
                        "raw HTML: markup that is not an element (declaration, processing instruction, CDATA) \
                         shown as text"
                            .into(),
                    );
                    self.raw_text(text);
                }
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => self.raw_start(name, &attrs, self_closing),
                Token::End { name } => self.raw_end(&name),
            }
        }
    }

    /// The element new raw content would go into: its name and what it may hold.
    fn parent(&self) -> (Option<&'static str>, Content) {
        let Some(scope) = self.scopes.last() else {
            return (None, Content::Flow);
        };
        match scope.open.iter().rev().find_map(|o| o.emitted) {
            Some((name, content)) => (Some(name), content),
            None => (
                None,
                if scope.flow {
                    Content::Flow
                } else {
                    Content::Phrasing
                },
            ),
        }
    }

    fn raw_text(&mut self, text: &str) {
        if let (_, Content::Children(_)) = self.parent() {
            if text.trim().is_empty() {
                return;
            }
            // Text may not sit directly in a table or list: close those around it.
            while let (_, Content::Children(_)) = self.parent() {
                if !self.close_last_emitted() {
                    break;
                }
            }
        }
        push_text(&mut self.out, text);
    }

    /// Closes the innermost written element of the current scope; false when there is none.
    fn close_last_emitted(&mut self) -> bool {
        let Some(scope) = self.scopes.last_mut() else {
            return false;
        };
        let Some(index) = scope.open.iter().rposition(|o| o.emitted.is_some()) else {
            return false;
        };
        let open = scope.open.remove(index);
        self.finish(&open);
        true
    }

    fn finish(&mut self, open: &Open) {
        if open.emitted.is_some() {
            self.out.push_str("</");
            self.out.push_str(&open.name);
            self.out.push('>');
        }
        if open.link {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
    }

    /// Before a Markdown block: close raw elements that cannot hold one (`<p>`, `<table>`).
    pub(super) fn before_block(&mut self) {
        while let (Some(_), content) = self.parent() {
            if content == Content::Flow || !self.close_last_emitted() {
                break;
            }
        }
    }

    /// Ends a container: closes what its raw HTML left open.
    pub(super) fn close_scope(&mut self) {
        if let Some(scope) = self.scopes.pop() {
            for open in scope.open.iter().rev() {
                self.finish(open);
            }
        }
    }

    fn push_open(&mut self, open: Open) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.open.push(open);
        }
    }

    /// An empty span carrying `id`, so a link to an unwrapped element still lands.
    fn keep_anchor(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        let id = xml_id(id).into_owned();
        if matches!(self.parent().1, Content::Flow | Content::Phrasing) && self.claim(&id) {
            self.out
                .push_str(&format!("<span id=\"{}\"></span>", escape::attr(&id)));
        }
    }

    fn raw_start(&mut self, name: String, attrs: &[(String, String)], self_closing: bool) {
        let get = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let id = get("id").or_else(|| if name == "a" { get("name") } else { None });
        let Some(el) = raw::element(&name) else {
            self.warn(
                Some(format!("html-unknown-{name}")),
                format!("raw HTML: unknown element <{name}> removed, its content kept"),
            );
            self.keep_anchor(id);
            if !self_closing {
                self.push_open(Open {
                    name,
                    emitted: None,
                    link: false,
                });
            }
            return;
        };
        let void = el.content == Content::Empty;
        let (parent, content) = self.parent();
        let nested_link = name == "a" && self.link_depth > 0;
        if nested_link || !raw::allowed(el, parent, content) {
            self.warn(
                Some(format!("html-misplaced-{name}")),
                format!("raw HTML: <{name}> is not allowed here; its tags were removed, its content kept"),
            );
            self.keep_anchor(id);
            if !void && !self_closing {
                self.push_open(Open {
                    name,
                    emitted: None,
                    link: false,
                });
            }
            return;
        }
        let mut tag = format!("<{name}");
        if name == "img" {
            let src = get("src").unwrap_or_default();
            let resolved = match self.mode {
                Mode::Keep => Some(escape::href(src)),
                Mode::Package => self.assets.get(src).map(|p| escape::href(p)),
            };
            let Some(src) = resolved else {
                self.warn(
                    Some("html-img".into()),
                    format!(
                        "raw HTML: image `{src}` is not in the document; its alt text is shown"
                    ),
                );
                self.raw_text(get("alt").unwrap_or_default());
                return;
            };
            tag.push_str(" src=\"");
            push_attr(&mut tag, &src);
            tag.push('"');
            // EPUB wants every image described; an HTML page keeps what was written.
            if let Some(alt) = get("alt").or((self.mode == Mode::Package).then_some("")) {
                tag.push_str(" alt=\"");
                push_attr(&mut tag, alt);
                tag.push('"');
            }
        }
        let mut link = false;
        if name == "a" {
            if let Some(href) = get("href") {
                match self.resolve(href, true) {
                    Some(href) => {
                        tag.push_str(" href=\"");
                        push_attr(&mut tag, &href);
                        tag.push('"');
                        link = true;
                    }
                    None => {
                        self.keep_anchor(id);
                        self.push_open(Open {
                            name,
                            emitted: None,
                            link: false,
                        });
                        return;
                    }
                }
            }
        }
        if let Some(id) = id {
            let id = xml_id(id).into_owned();
            if self.claim(&id) {
                tag.push_str(" id=\"");
                push_attr(&mut tag, &id);
                tag.push('"');
            }
        }
        for (key, value) in attrs {
            if matches!(key.as_str(), "id" | "name" | "href" | "src" | "alt") {
                continue;
            }
            if raw::boolean_attr(&name, key) {
                tag.push_str(&format!(" {key}=\"{key}\""));
            } else if raw::keep_attr(&name, key, value) {
                tag.push_str(&format!(" {key}=\""));
                push_attr(&mut tag, value);
                tag.push('"');
                if key == "lang" {
                    tag.push_str(" xml:lang=\"");
                    push_attr(&mut tag, value);
                    tag.push('"');
                }
            } else {
                self.warn(
                    Some(format!("html-attr-{key}")),
                    format!("raw HTML: attribute `{key}` on <{name}> dropped (not allowed in EPUB XHTML)"),
                );
            }
        }
        if void {
            tag.push_str(" />");
            self.out.push_str(&tag);
            return;
        }
        tag.push('>');
        self.out.push_str(&tag);
        if self_closing {
            self.out.push_str(&format!("</{name}>"));
            return;
        }
        if link {
            self.link_depth += 1;
        }
        // `del` and `ins` take the content model of where they stand: around blocks they may
        // hold blocks.
        let transparent = matches!(el.name, "del" | "ins") && content == Content::Flow;
        let effective = if transparent {
            Content::Flow
        } else {
            el.content
        };
        self.push_open(Open {
            name,
            emitted: Some((el.name, effective)),
            link,
        });
    }

    fn raw_end(&mut self, name: &str) {
        let found = self
            .scopes
            .last()
            .and_then(|s| s.open.iter().rposition(|o| o.name == name));
        let Some(index) = found else {
            if raw::element(name).is_some() {
                self.warn(
                    Some(format!("html-unbalanced-{name}")),
                    format!("raw HTML: </{name}> closes nothing here; dropped"),
                );
            }
            return;
        };
        let closing: Vec<Open> = match self.scopes.last_mut() {
            Some(scope) => scope.open.drain(index..).collect(),
            None => Vec::new(),
        };
        for open in closing.iter().rev() {
            self.finish(open);
        }
    }
}
