//! TeX math, a small subset typeset properly: letters in italic, numbers and operators upright
//! with TeX's spacing, Greek letters, superscripts and subscripts, fractions, square roots,
//! big operators with limits, function names, `\text`, and spacing commands.
//!
//! [`parse`] turns the source into a tree, or refuses it (an unknown command, unbalanced
//! braces); the caller then shows the TeX source instead, so a formula is never half set.
//! [`layout`] turns the tree into display-list items around a baseline at y = 0 (y down, as in
//! frames), with the box's width, height above and depth below the baseline.

use super::fonts::{Family, FontSet};
use super::frame::{Color, Item, Pt};
use super::shape::shape;

/// How an atom behaves in spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Letters, digits, ordinary symbols.
    Ord,
    /// Binary operators (`+`, `−`, `×`): a medium space on both sides.
    Bin,
    /// Relations (`=`, `≤`, `→`): a thick space on both sides.
    Rel,
    /// Punctuation (`,`, `;`): a thin space after.
    Punct,
    /// Big operators (`∑`, `∫`) and function names (`sin`): a thin space after.
    Op,
    /// Opening delimiters.
    Open,
    /// Closing delimiters.
    Close,
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Text of one class in one style: `italic` for variables.
    Sym {
        /// The characters.
        text: String,
        /// Spacing class.
        class: Class,
        /// Set in italic (variables).
        italic: bool,
    },
    /// A braced group.
    Group(Vec<Node>),
    /// `\frac{num}{den}`.
    Frac(Box<Node>, Box<Node>),
    /// `\sqrt{x}` (with an optional index, `\sqrt[n]{x}`).
    Sqrt(Option<Box<Node>>, Box<Node>),
    /// A base with a superscript and/or a subscript.
    Scripts {
        /// What carries the scripts.
        base: Box<Node>,
        /// Superscript.
        sup: Option<Box<Node>>,
        /// Subscript.
        sub: Option<Box<Node>>,
    },
    /// Horizontal space in ems (negative for `\!`).
    Space(Pt),
}

/// Why a formula cannot be typeset.
pub type Refusal = String;

/// Parses TeX math; `Err` names the first thing outside the subset.
pub fn parse(tex: &str) -> Result<Vec<Node>, Refusal> {
    if reads_as_prose(tex) {
        return Err("it reads as text, not a formula".into());
    }
    let chars: Vec<char> = tex.chars().collect();
    let mut p = Parser {
        chars,
        pos: 0,
        depth: 0,
    };
    let list = p.list(false)?;
    if p.pos < p.chars.len() {
        return Err("an unmatched `}`".into());
    }
    if list.is_empty() {
        return Err("an empty formula".into());
    }
    Ok(list)
}

/// Dollar signs in prose ("costs $5, or $HOME/bin in your `$PATH`") can pair up into what the
/// Markdown parser calls maths. Set as a formula, such text would lose its spaces; kept as its
/// source it reads as written. Text is recognised by backticks, or by two or more words of
/// four letters or more outside commands and their first argument (formulas name things with
/// single letters).
fn reads_as_prose(tex: &str) -> bool {
    if tex.contains('`') {
        return true;
    }
    let chars: Vec<char> = tex.chars().collect();
    let mut words = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            // A command name, and its first braced argument (`\\text{...}`, `\\begin{...}`).
            let start = i + 1;
            i = start;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            if chars.get(i) == Some(&'{') {
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if chars[i].is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            if i - start >= 4 {
                words += 1;
            }
            continue;
        }
        i += 1;
    }
    words >= 2
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Nesting of groups and arguments, bounded so that no input can exhaust the stack.
    depth: u32,
}

/// Deeper nesting than any real formula has; beyond it the source is shown instead. It also
/// bounds the recursion of parsing and layout, so no formula can exhaust the stack.
pub const MAX_DEPTH: u32 = 40;

/// The refusal for a formula nested deeper than [`MAX_DEPTH`].
fn too_deep() -> Refusal {
    format!("groups, scripts or arguments nested more than {MAX_DEPTH} deep")
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Atoms until the end (or a closing brace when `in_group`), with their scripts.
    fn list(&mut self, in_group: bool) -> Result<Vec<Node>, Refusal> {
        let mut out: Vec<Node> = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                None if in_group => return Err("a `{` without its `}`".into()),
                None => return Ok(out),
                Some('}') if in_group => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('}') => return Ok(out),
                Some(c @ ('^' | '_')) => {
                    self.pos += 1;
                    let arg = self.argument()?;
                    let base = match out.pop() {
                        Some(Node::Scripts { base, sup, sub }) => (base, sup, sub),
                        Some(other) => (Box::new(other), None, None),
                        None => (Box::new(Node::Group(Vec::new())), None, None),
                    };
                    let (base, mut sup, mut sub) = base;
                    let slot = if c == '^' { &mut sup } else { &mut sub };
                    if slot.is_some() {
                        return Err(format!("a double {c}"));
                    }
                    *slot = Some(Box::new(arg));
                    out.push(Node::Scripts { base, sup, sub });
                }
                Some(_) => {
                    let atom = self.atom()?;
                    out.extend(atom);
                }
            }
        }
    }

    /// The argument of a script or command: one character, a command or a braced group.
    fn argument(&mut self) -> Result<Node, Refusal> {
        self.depth += 1;
        let r = self.argument_inner();
        self.depth -= 1;
        r
    }

    fn argument_inner(&mut self) -> Result<Node, Refusal> {
        if self.depth > MAX_DEPTH {
            return Err(too_deep());
        }
        self.skip_spaces();
        match self.peek() {
            None => Err("a script or command without its argument".into()),
            Some('{') => {
                self.pos += 1;
                Ok(Node::Group(self.list(true)?))
            }
            Some('^' | '_' | '}') => Err("a script or command without its argument".into()),
            Some(_) => {
                let mut atom = self.atom()?;
                match atom.len() {
                    1 => Ok(atom.remove(0)),
                    _ => Ok(Node::Group(atom)),
                }
            }
        }
    }

    /// A braced group's text, read as is (for `\text{...}`).
    fn raw_group(&mut self) -> Result<String, Refusal> {
        self.skip_spaces();
        if self.peek() != Some('{') {
            return Err("`\\text` without `{`".into());
        }
        self.pos += 1;
        let mut depth = 1;
        let mut s = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(s);
                    }
                }
                _ => {}
            }
            s.push(c);
        }
        Err("a `{` without its `}`".into())
    }

    fn atom(&mut self) -> Result<Vec<Node>, Refusal> {
        let c = self.peek().ok_or("an unexpected end")?;
        self.pos += 1;
        let sym = |text: &str, class: Class, italic: bool| Node::Sym {
            text: text.to_string(),
            class,
            italic,
        };
        Ok(vec![match c {
            '{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(too_deep());
                }
                let list = self.list(true);
                self.depth -= 1;
                Node::Group(list?)
            }
            '\\' => return self.command(),
            '0'..='9' | '.' => {
                let mut s = c.to_string();
                while let Some(d) = self.peek().filter(|d| d.is_ascii_digit() || *d == '.') {
                    s.push(d);
                    self.pos += 1;
                }
                sym(&s, Class::Ord, false)
            }
            c if c.is_alphabetic() => sym(&c.to_string(), Class::Ord, true),
            '+' => sym("+", Class::Bin, false),
            '-' => sym("\u{2212}", Class::Bin, false),
            '*' => sym("\u{2217}", Class::Bin, false),
            '/' => sym("/", Class::Ord, false),
            '=' | '<' | '>' => sym(&c.to_string(), Class::Rel, false),
            ':' => sym(":", Class::Rel, false),
            ',' | ';' => sym(&c.to_string(), Class::Punct, false),
            '(' | '[' => sym(&c.to_string(), Class::Open, false),
            ')' | ']' => sym(&c.to_string(), Class::Close, false),
            '\'' => sym("\u{2032}", Class::Ord, false),
            '|' | '!' | '?' => sym(&c.to_string(), Class::Ord, false),
            '&' | '#' | '%' | '$' | '~' => return Err(format!("`{c}`")),
            other => sym(&other.to_string(), Class::Ord, false),
        }])
    }

    fn command(&mut self) -> Result<Vec<Node>, Refusal> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let name: String = if self.pos == start {
            // A one-character command: `\,`, `\{`, `\\`...
            let c = self.peek().ok_or("a lone `\\`")?;
            self.pos += 1;
            c.to_string()
        } else {
            self.chars[start..self.pos].iter().collect()
        };
        let sym = |text: &str, class: Class, italic: bool| {
            Ok(vec![Node::Sym {
                text: text.to_string(),
                class,
                italic,
            }])
        };
        match name.as_str() {
            "frac" | "dfrac" | "tfrac" => {
                let num = self.argument()?;
                let den = self.argument()?;
                Ok(vec![Node::Frac(Box::new(num), Box::new(den))])
            }
            "sqrt" => {
                self.skip_spaces();
                let index = if self.peek() == Some('[') {
                    self.pos += 1;
                    let mut items = Vec::new();
                    loop {
                        self.skip_spaces();
                        match self.peek() {
                            Some(']') => {
                                self.pos += 1;
                                break;
                            }
                            None => return Err("`\\sqrt[` without `]`".into()),
                            Some(_) => items.extend(self.atom()?),
                        }
                    }
                    Some(Box::new(Node::Group(items)))
                } else {
                    None
                };
                let body = self.argument()?;
                Ok(vec![Node::Sqrt(index, Box::new(body))])
            }
            "text" | "textrm" | "mathrm" | "textit" | "mbox" | "operatorname" => {
                let text = self.raw_group()?;
                if text.contains('\\') || text.contains('$') {
                    return Err(format!("commands inside `\\{name}`"));
                }
                let class = if name == "operatorname" {
                    Class::Op
                } else {
                    Class::Ord
                };
                sym(&text, class, name == "textit")
            }
            "mathbf" | "mathit" | "boldsymbol" => {
                // Kept as its content (weight and slant of letters as usual).
                Ok(vec![self.argument()?])
            }
            "left" | "right" | "big" | "Big" | "bigl" | "bigr" | "Bigl" | "Bigr" => {
                // Delimiters keep their text size; `.` is no delimiter.
                self.skip_spaces();
                if self.peek() == Some('.') {
                    self.pos += 1;
                    return Ok(Vec::new());
                }
                self.atom()
            }
            "," => Ok(vec![Node::Space(3.0 / 18.0)]),
            ":" | ">" => Ok(vec![Node::Space(4.0 / 18.0)]),
            ";" => Ok(vec![Node::Space(5.0 / 18.0)]),
            "!" => Ok(vec![Node::Space(-3.0 / 18.0)]),
            " " => Ok(vec![Node::Space(0.33)]),
            "quad" => Ok(vec![Node::Space(1.0)]),
            "qquad" => Ok(vec![Node::Space(2.0)]),
            "{" => sym("{", Class::Open, false),
            "}" => sym("}", Class::Close, false),
            "lbrace" => sym("{", Class::Open, false),
            "rbrace" => sym("}", Class::Close, false),
            "langle" => sym("\u{27E8}", Class::Open, false),
            "rangle" => sym("\u{27E9}", Class::Close, false),
            "|" => sym("\u{2016}", Class::Ord, false),
            "%" | "$" | "&" | "#" | "_" => sym(&name, Class::Ord, false),
            "sin" | "cos" | "tan" | "cot" | "sec" | "csc" | "log" | "ln" | "exp" | "lim"
            | "max" | "min" | "sup" | "inf" | "det" | "dim" | "ker" | "deg" | "gcd" | "arg"
            | "sinh" | "cosh" | "tanh" | "arcsin" | "arccos" | "arctan" | "Pr" | "lg" => {
                sym(&name, Class::Op, false)
            }
            _ => {
                if let Some((text, class)) = symbol(&name) {
                    return sym(text, class, false);
                }
                if let Some((text, italic)) = greek(&name) {
                    return sym(text, Class::Ord, italic);
                }
                Err(format!("`\\{name}`"))
            }
        }
    }
}

/// Greek letters: lower case in italic (as TeX sets them), upper case upright.
fn greek(name: &str) -> Option<(&'static str, bool)> {
    const LOWER: [(&str, &str); 25] = [
        ("alpha", "α"),
        ("beta", "β"),
        ("gamma", "γ"),
        ("delta", "δ"),
        ("epsilon", "ϵ"),
        ("varepsilon", "ε"),
        ("zeta", "ζ"),
        ("eta", "η"),
        ("theta", "θ"),
        ("vartheta", "ϑ"),
        ("iota", "ι"),
        ("kappa", "κ"),
        ("lambda", "λ"),
        ("mu", "μ"),
        ("nu", "ν"),
        ("xi", "ξ"),
        ("pi", "π"),
        ("rho", "ρ"),
        ("sigma", "σ"),
        ("tau", "τ"),
        ("upsilon", "υ"),
        ("phi", "ϕ"),
        ("varphi", "φ"),
        ("chi", "χ"),
        ("psi", "ψ"),
    ];
    const UPPER: [(&str, &str); 11] = [
        ("Gamma", "Γ"),
        ("Delta", "Δ"),
        ("Theta", "Θ"),
        ("Lambda", "Λ"),
        ("Xi", "Ξ"),
        ("Pi", "Π"),
        ("Sigma", "Σ"),
        ("Upsilon", "Υ"),
        ("Phi", "Φ"),
        ("Psi", "Ψ"),
        ("Omega", "Ω"),
    ];
    if name == "omega" {
        return Some(("ω", true));
    }
    LOWER
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| (*s, true))
        .or_else(|| {
            UPPER
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| (*s, false))
        })
}

/// Operators, relations, arrows and other symbols by command name.
fn symbol(name: &str) -> Option<(&'static str, Class)> {
    use Class::*;
    Some(match name {
        "sum" => ("∑", Op),
        "prod" => ("∏", Op),
        "int" => ("∫", Op),
        "iint" => ("∬", Op),
        "oint" => ("∮", Op),
        "bigcup" => ("⋃", Op),
        "bigcap" => ("⋂", Op),
        "times" => ("×", Bin),
        "cdot" => ("⋅", Bin),
        "pm" => ("±", Bin),
        "mp" => ("∓", Bin),
        "div" => ("÷", Bin),
        "ast" => ("∗", Bin),
        "circ" => ("∘", Bin),
        "cup" => ("∪", Bin),
        "cap" => ("∩", Bin),
        "wedge" | "land" => ("∧", Bin),
        "vee" | "lor" => ("∨", Bin),
        "setminus" => ("∖", Bin),
        "oplus" => ("⊕", Bin),
        "otimes" => ("⊗", Bin),
        "leq" | "le" => ("≤", Rel),
        "geq" | "ge" => ("≥", Rel),
        "neq" | "ne" => ("≠", Rel),
        "approx" => ("≈", Rel),
        "equiv" => ("≡", Rel),
        "sim" => ("∼", Rel),
        "simeq" => ("≃", Rel),
        "cong" => ("≅", Rel),
        "propto" => ("∝", Rel),
        "ll" => ("≪", Rel),
        "gg" => ("≫", Rel),
        "in" => ("∈", Rel),
        "notin" => ("∉", Rel),
        "ni" => ("∋", Rel),
        "subset" => ("⊂", Rel),
        "supset" => ("⊃", Rel),
        "subseteq" => ("⊆", Rel),
        "supseteq" => ("⊇", Rel),
        "mid" => ("∣", Rel),
        "parallel" => ("∥", Rel),
        "perp" => ("⊥", Rel),
        "to" | "rightarrow" => ("→", Rel),
        "leftarrow" | "gets" => ("←", Rel),
        "leftrightarrow" => ("↔", Rel),
        "Rightarrow" | "implies" => ("⇒", Rel),
        "Leftarrow" => ("⇐", Rel),
        "Leftrightarrow" | "iff" => ("⇔", Rel),
        "mapsto" => ("↦", Rel),
        "infty" => ("∞", Ord),
        "partial" => ("∂", Ord),
        "nabla" => ("∇", Ord),
        "forall" => ("∀", Ord),
        "exists" => ("∃", Ord),
        "neg" | "lnot" => ("¬", Ord),
        "emptyset" | "varnothing" => ("∅", Ord),
        "hbar" => ("ℏ", Ord),
        "ell" => ("ℓ", Ord),
        "prime" => ("′", Ord),
        "angle" => ("∠", Ord),
        "degree" => ("°", Ord),
        "ldots" | "dots" => ("…", Ord),
        "cdots" => ("⋯", Ord),
        "vdots" => ("⋮", Ord),
        "lvert" | "rvert" | "vert" => ("|", Ord),
        "lfloor" => ("⌊", Open),
        "rfloor" => ("⌋", Close),
        "lceil" => ("⌈", Open),
        "rceil" => ("⌉", Close),
        _ => return None,
    })
}

/// A set box: items around a baseline at y = 0 (y down), `height` above and `depth` below it.
#[derive(Debug, Clone, Default)]
pub struct MathBox {
    /// What is drawn.
    pub items: Vec<Item>,
    /// Advance width.
    pub width: Pt,
    /// Extent above the baseline.
    pub height: Pt,
    /// Extent below the baseline.
    pub depth: Pt,
}

impl MathBox {
    /// Appends `other` with its origin at (`dx`, `dy`) (dy down).
    fn put(&mut self, other: MathBox, dx: Pt, dy: Pt) {
        for mut it in other.items {
            it.translate(dx, dy);
            self.items.push(it);
        }
        self.height = self.height.max(other.height - dy);
        self.depth = self.depth.max(other.depth + dy);
    }
}

/// Layout context: fonts, language, colour and whether this is display math.
pub struct Setter<'a> {
    /// Fonts.
    pub fonts: &'a FontSet,
    /// Language for shaping.
    pub lang: &'a str,
    /// Text colour.
    pub color: Color,
    /// Display style: larger big operators with limits above and below, full-size fractions.
    pub display: bool,
}

impl Setter<'_> {
    /// Sets a formula at text size `size`.
    pub fn layout(&self, nodes: &[Node], size: Pt) -> MathBox {
        self.list(nodes, size, 0)
    }

    fn list(&self, nodes: &[Node], size: Pt, depth: u8) -> MathBox {
        let mut out = MathBox::default();
        let mut prev: Option<Class> = None;
        for node in nodes {
            let class = class_of(node);
            // TeX's spacing between atoms, in text style only (scripts are set tight).
            if depth == 0 {
                let space = match (prev, class) {
                    (
                        None | Some(Class::Open | Class::Bin | Class::Rel | Class::Punct),
                        Some(Class::Bin),
                    ) => 0.0,
                    (Some(_), Some(Class::Bin)) => 4.0 / 18.0,
                    (Some(Class::Bin), _) => 4.0 / 18.0,
                    (Some(Class::Rel), Some(Class::Rel)) => 0.0,
                    (Some(_), Some(Class::Rel)) | (Some(Class::Rel), _) => 5.0 / 18.0,
                    (Some(Class::Punct), _) => 3.0 / 18.0,
                    (Some(Class::Op), Some(Class::Ord | Class::Op)) => 3.0 / 18.0,
                    (Some(Class::Ord | Class::Close), Some(Class::Op)) => 3.0 / 18.0,
                    _ => 0.0,
                };
                // A binary operator with nothing on its left is a sign: no space after it.
                let sign = matches!(prev, None | Some(Class::Open | Class::Rel | Class::Punct))
                    && class == Some(Class::Bin);
                out.width += space * size;
                prev = if sign {
                    Some(Class::Ord)
                } else {
                    class.or(prev)
                };
            }
            let b = self.node(node, size, depth);
            let x = out.width;
            out.width += b.width;
            out.put(b, x, 0.0);
        }
        out
    }

    fn glyphs(&self, text: &str, size: Pt, italic: bool) -> MathBox {
        // The face comes from the font set directly, not from a paragraph `Style`: formulas are
        // set before the paragraph that holds them (which embeds their `MathBox`), so math
        // depends on nothing of the paragraph stage. Serif, regular weight, as `Style::body`.
        let font = self.fonts.select(Family::Serif, false, italic);
        let mut out = MathBox::default();
        let face = self.fonts.face(font);
        out.height = face.ascender * size * 0.8;
        out.depth = -face.descender * size * 0.6;
        for run in shape(self.fonts, text, font, size, self.lang) {
            let glyphs = run.placed(0..run.glyphs.len());
            out.items.push(Item::Text {
                x: out.width,
                y: 0.0,
                font: run.font,
                size,
                color: self.color,
                glyphs,
                node: None,
                lang: None,
            });
            out.width += run.width;
        }
        // An italic letter leans into what follows: a little room keeps scripts clear of it.
        if italic {
            out.width += size * 0.04;
        }
        out
    }

    fn node(&self, node: &Node, size: Pt, depth: u8) -> MathBox {
        let small = |s: Pt| (s * 0.72).max(4.5);
        match node {
            Node::Sym {
                text,
                class,
                italic,
            } => {
                let big = *class == Class::Op && text.chars().count() == 1;
                if big && self.display && depth == 0 {
                    // Display-size big operator, centred on the maths axis; integral signs
                    // are drawn taller, as in TeX.
                    let scale = if matches!(text.as_str(), "∫" | "∬" | "∮") {
                        2.0
                    } else {
                        1.45
                    };
                    let b = self.glyphs(text, size * scale, false);
                    let shift = (b.height - b.depth) / 2.0 - axis(size);
                    let mut out = MathBox {
                        width: b.width,
                        ..MathBox::default()
                    };
                    out.put(b, 0.0, shift);
                    return out;
                }
                self.glyphs(text, size, *italic)
            }
            Node::Group(list) => self.list(list, size, depth),
            Node::Space(em) => MathBox {
                width: em * size,
                ..MathBox::default()
            },
            Node::Frac(num, den) => {
                let s = if self.display && depth == 0 {
                    size
                } else {
                    small(size)
                };
                let d = depth + u8::from(!(self.display && depth == 0));
                let n = self.node(num, s, d);
                let m = self.node(den, s, d);
                let rule = size * 0.05;
                let gap = size * 0.12;
                let w = n.width.max(m.width) + size * 0.2;
                let a = axis(size);
                let mut out = MathBox {
                    width: w,
                    ..MathBox::default()
                };
                // Numerator above the bar, denominator below, each centred.
                let n_shift = -(a + rule / 2.0 + gap + n.depth);
                let m_shift = -a + rule / 2.0 + gap + m.height;
                let (nw, mw) = (n.width, m.width);
                out.put(n, (w - nw) / 2.0, n_shift);
                out.put(m, (w - mw) / 2.0, m_shift);
                out.items.push(Item::Line {
                    x1: size * 0.08,
                    y1: -a,
                    x2: w - size * 0.08,
                    y2: -a,
                    width: rule,
                    color: self.color,
                });
                out.width += size * 0.1;
                out
            }
            Node::Sqrt(index, body) => {
                let b = self.node(body, size, depth);
                let stroke = size * 0.055;
                let gap = size * 0.12;
                let top = b.height + gap;
                let bottom = b.depth.max(size * 0.05);
                let sign_w = size * 0.55;
                let mut out = MathBox::default();
                let mut x0 = 0.0;
                if let Some(index) = index {
                    let i = self.node(index, small(small(size)), depth + 2);
                    let iw = i.width;
                    out.put(i, 0.0, -(top * 0.45));
                    x0 = (iw - sign_w * 0.45).max(0.0);
                }
                // The radical: a short rise, the long stroke down, then up to the bar.
                let c = self.color;
                let line = |x1: Pt, y1: Pt, x2: Pt, y2: Pt| Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width: stroke,
                    color: c,
                };
                let mid = -(top - bottom) * 0.35;
                out.items
                    .push(line(x0, mid + size * 0.08, x0 + sign_w * 0.25, mid));
                out.items
                    .push(line(x0 + sign_w * 0.25, mid, x0 + sign_w * 0.55, bottom));
                out.items
                    .push(line(x0 + sign_w * 0.55, bottom, x0 + sign_w, -top));
                let bw = b.width;
                out.put(b, x0 + sign_w + size * 0.05, 0.0);
                let end = x0 + sign_w + size * 0.1 + bw;
                out.items.push(line(x0 + sign_w, -top, end, -top));
                out.width = end + size * 0.05;
                out.height = out.height.max(top + stroke);
                out.depth = out.depth.max(bottom + stroke);
                out
            }
            Node::Scripts { base, sup, sub } => {
                let limits = self.display
                    && depth == 0
                    && matches!(&**base, Node::Sym { class: Class::Op, text, .. }
                        if matches!(text.as_str(), "∑" | "∏" | "⋃" | "⋂" | "lim" | "max" | "min" | "sup" | "inf"));
                let b = self.node(base, size, depth);
                let s = small(size);
                let sup = sup.as_ref().map(|n| self.node(n, s, depth + 1));
                let sub = sub.as_ref().map(|n| self.node(n, s, depth + 1));
                let mut out = MathBox::default();
                if limits {
                    let w = [
                        Some(b.width),
                        sup.as_ref().map(|x| x.width),
                        sub.as_ref().map(|x| x.width),
                    ]
                    .into_iter()
                    .flatten()
                    .fold(0.0, Pt::max);
                    let (bh, bd, bw) = (b.height, b.depth, b.width);
                    out.put(b, (w - bw) / 2.0, 0.0);
                    if let Some(up) = sup {
                        let uw = up.width;
                        let dy = -(bh + size * 0.15 + up.depth);
                        out.put(up, (w - uw) / 2.0, dy);
                    }
                    if let Some(down) = sub {
                        let dw = down.width;
                        let dy = bd + size * 0.15 + down.height;
                        out.put(down, (w - dw) / 2.0, dy);
                    }
                    out.width = w;
                    return out;
                }
                let (bh, bd, bw) = (b.height, b.depth, b.width);
                out.put(b, 0.0, 0.0);
                let mut w = bw;
                let up_shift = (bh - s * 0.45).max(size * 0.4);
                let down_shift = (bd + s * 0.1).max(size * 0.18);
                let mut script_w: Pt = 0.0;
                if let Some(up) = sup {
                    script_w = script_w.max(up.width);
                    out.put(up, bw, -up_shift);
                }
                if let Some(down) = sub {
                    script_w = script_w.max(down.width);
                    out.put(down, bw, down_shift);
                }
                w += script_w + size * 0.05;
                out.width = w;
                out
            }
        }
    }
}

/// Height of the maths axis (where fraction bars sit and `−` is centred) above the baseline.
fn axis(size: Pt) -> Pt {
    size * 0.27
}

/// The spacing class of a node (`None` for spaces, which take none).
fn class_of(node: &Node) -> Option<Class> {
    match node {
        Node::Sym { class, .. } => Some(*class),
        Node::Scripts { base, .. } => class_of(base),
        Node::Space(_) => None,
        _ => Some(Class::Ord),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(nodes: &[Node]) -> String {
        let mut s = String::new();
        for n in nodes {
            match n {
                Node::Sym { text, .. } => s.push_str(text),
                Node::Group(l) => s.push_str(&format!("{{{}}}", texts(l))),
                Node::Frac(a, b) => s.push_str(&format!(
                    "frac({},{})",
                    texts(std::slice::from_ref(a)),
                    texts(std::slice::from_ref(b))
                )),
                Node::Sqrt(_, b) => {
                    s.push_str(&format!("sqrt({})", texts(std::slice::from_ref(b))))
                }
                Node::Scripts { base, sup, sub } => {
                    s.push_str(&texts(std::slice::from_ref(base)));
                    if let Some(x) = sub {
                        s.push_str(&format!("_({})", texts(std::slice::from_ref(x))));
                    }
                    if let Some(x) = sup {
                        s.push_str(&format!("^({})", texts(std::slice::from_ref(x))));
                    }
                }
                Node::Space(_) => s.push(' '),
            }
        }
        s
    }

    #[test]
    fn the_subset_parses_into_its_structure() {
        let cases = [
            ("e^{i\\pi} + 1 = 0", "e^({iπ})+1=0"),
            (
                "\\int_0^1 x^2\\,dx = \\frac{1}{3}",
                "∫_(0)^(1)x^(2) dx=frac({1},{3})",
            ),
            ("\\sqrt{a^2+b^2}", "sqrt({a^(2)+b^(2)})"),
            ("\\sum_{k=1}^{n} k", "∑_({k=1})^({n})k"),
            ("a - b \\leq \\alpha", "a−b≤α"),
            ("\\sin x \\cdot \\Omega", "sinx⋅Ω"),
            ("\\text{if } x > 0", "if x>0"),
            ("\\left( x \\right)", "(x)"),
            ("3.14", "3.14"),
        ];
        for (tex, want) in cases {
            let nodes = parse(tex).unwrap_or_else(|e| panic!("{tex}: {e}"));
            assert_eq!(texts(&nodes), want, "{tex}");
        }
    }

    #[test]
    fn anything_outside_the_subset_is_refused() {
        for tex in [
            "\\begin{matrix} a & b \\end{matrix}",
            "\\unknowncommand x",
            "{x",
            "x}",
            "x^",
            "x^1^2",
            "",
            "\\frac{1}",
            "\\text{\\alpha}",
            &"{".repeat(5000),
            &format!("{}x{}", "{".repeat(500), "}".repeat(500)),
            &"\\sqrt".repeat(5000),
            &"x^".repeat(5000),
            "HOME/.cargo/bin*. Ensure that\nthis directory is in your `",
            "5 and then another",
        ] {
            assert!(parse(tex).is_err(), "{tex:?} should be refused");
        }
    }

    #[test]
    fn fractions_stack_and_scripts_rise() {
        let fonts = FontSet::load(None, false).unwrap();
        let setter = Setter {
            fonts: &fonts,
            lang: "en",
            color: Color::BLACK,
            display: true,
        };
        let frac = setter.layout(&parse("\\frac{1}{2}").unwrap(), 10.0);
        let one = setter.layout(&parse("1").unwrap(), 10.0);
        assert!(
            frac.height > one.height && frac.depth > one.depth,
            "{frac:?}"
        );
        // The numerator's baseline is above the bar, the denominator's below.
        let ys: Vec<Pt> = frac
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text { y, .. } => Some(*y),
                _ => None,
            })
            .collect();
        assert_eq!(ys.len(), 2);
        assert!(ys[0] < -axis(10.0) && ys[1] > -axis(10.0), "{ys:?}");
        let sq = setter.layout(&parse("x^2").unwrap(), 10.0);
        let lifted = sq
            .items
            .iter()
            .any(|it| matches!(it, Item::Text { y, size, .. } if *y < -3.0 && *size < 10.0));
        assert!(lifted, "{sq:?}");
        // Nothing is lost: every character of a formula is drawn.
        let b = setter.layout(&parse("\\sqrt{x} + \\sum_{k=1}^n k^2").unwrap(), 10.0);
        let text: String = b
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text { glyphs, .. } => {
                    Some(glyphs.iter().map(|g| g.text).collect::<String>())
                }
                _ => None,
            })
            .collect();
        for c in ["x", "+", "∑", "k", "1", "n", "2"] {
            assert!(text.contains(c), "{c} missing from {text}");
        }
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Pseudo-random formulas from TeX-ish pieces: parsing and setting never panic, and every
    /// box has finite, non-negative extents.
    #[test]
    fn random_formulas_never_panic() {
        let pieces = [
            "x",
            "2",
            "^",
            "_",
            "{",
            "}",
            "\\frac",
            "\\sqrt",
            "[",
            "]",
            "\\alpha",
            "+",
            "-",
            "=",
            "\\sum",
            "\\int",
            "\\left(",
            "\\right)",
            "\\text{a b}",
            "\\,",
            " ",
            "\\",
            "(",
            ")",
            "\\lim",
            "'",
            "\\quad",
            ".",
            "é",
            "\\mathbf",
            "&",
            "$",
        ];
        let fonts = FontSet::load(None, false).unwrap();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut tex = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize + 1;
            for k in 0..len {
                let r = seed.rotate_left(k as u32 * 5) as usize;
                tex.push_str(pieces[r % pieces.len()]);
            }
            if let Ok(nodes) = parse(&tex) {
                for display in [false, true] {
                    let b = Setter {
                        fonts: &fonts,
                        lang: "en",
                        color: Color::BLACK,
                        display,
                    }
                    .layout(&nodes, 10.0);
                    assert!(
                        b.width.is_finite() && b.height.is_finite() && b.depth.is_finite(),
                        "{tex:?}: {b:?}"
                    );
                    assert!(b.width >= 0.0, "{tex:?}: width {}", b.width);
                }
            }
        }
    }
}
