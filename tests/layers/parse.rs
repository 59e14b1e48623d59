//! Reads one Rust source file the way the layer check needs it: tokens
//! without comments and literals, with `#[cfg(test)]` items left out, and
//! every path into the crate it names (`crate::`, `super::`, `self::`, a
//! child module's name, and each leaf of a `use` tree) with its line.

/// One token: an identifier or keyword, or one punctuation character (`::`
/// is one token).
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Punct(&'static str),
    Other(char),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

/// A path named in the file, as written, and where its first segment is.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub segments: Vec<String>,
    pub line: usize,
    /// The inline modules (`mod x { .. }`) the path sits in, outermost first.
    pub inline: Vec<String>,
}

/// What one file names, and the child modules it declares outside tests.
#[derive(Debug, Default)]
pub struct Scanned {
    pub paths: Vec<Named>,
    /// `mod x;` declared outside tests, with its `#[path]` if it has one.
    pub children: Vec<(String, Option<String>)>,
    /// Files of `#[cfg(test)] mod x;` (`x` or its `#[path]`), relative to the
    /// folder the declaring file's children live in.
    pub test_children: Vec<String>,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits source into tokens, dropping comments, string/char literals and
/// numbers, so that `"crate::x"` in a message or `// use crate::x` is no edge.
pub fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(len) = raw_string_start(&chars, i) {
            // r"..", r#".."#, br#".."#: ends at a quote followed by as many #.
            let hashes = chars[i..i + len].iter().filter(|&&c| c == '#').count();
            i += len;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                    i += 1 + hashes;
                    break;
                }
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') || (c == 'c' && at(i + 1) == '"') {
            i += if c == '"' { 1 } else { 2 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                line += usize::from(at(i) == '\n');
                i += 1;
            }
            i += 1;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            let start = if c == '\'' { i + 1 } else { i + 2 };
            if at(start) == '\\' {
                let mut j = start + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(start + 1) == '\'' {
                i = start + 2;
            } else {
                // A lifetime: skip the quote, the name is read as an ident.
                i = start;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while i < chars.len() && (is_ident_char(chars[i]) || chars[i] == '.') {
                // `1..2` is a range, not a number with two dots.
                if chars[i] == '.' && at(i + 1) == '.' {
                    break;
                }
                i += 1;
            }
        } else if is_ident_start(c) {
            // r#type is the identifier `type`.
            if c == 'r' && at(i + 1) == '#' && is_ident_start(at(i + 2)) {
                i += 2;
            }
            let name_start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[name_start..i].iter().collect();
            out.push(Token { tok: Tok::Ident(name), line });
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token { tok: Tok::Punct("::"), line });
            i += 2;
        } else {
            let p = match c {
                '{' => Tok::Punct("{"),
                '}' => Tok::Punct("}"),
                '(' => Tok::Punct("("),
                ')' => Tok::Punct(")"),
                '[' => Tok::Punct("["),
                ']' => Tok::Punct("]"),
                ';' => Tok::Punct(";"),
                ',' => Tok::Punct(","),
                '#' => Tok::Punct("#"),
                '*' => Tok::Punct("*"),
                '=' => Tok::Punct("="),
                other => Tok::Other(other),
            };
            out.push(Token { tok: p, line });
            i += 1;
        }
    }
    out
}

/// The length of a raw string's opening (`r"`, `r#"`, `br##"`), if one
/// starts at `i`.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars.get(j) == Some(&'b') || chars.get(j) == Some(&'c') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    // `r` must start the token, not end an identifier like `bar"`.
    if i > 0 && is_ident_char(chars[i - 1]) {
        return None;
    }
    j += 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some(j + 1 - i)
}

fn ident(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn punct(t: Option<&Token>, p: &str) -> bool {
    matches!(t.map(|t| &t.tok), Some(Tok::Punct(q)) if *q == p)
}

/// The index after the bracket group opening at `i` (`(`, `[` or `{`).
fn skip_group(toks: &[Token], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Punct("(" | "[" | "{") => depth += 1,
            Tok::Punct(")" | "]" | "}") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The index after the item starting at `i`: its `;` at depth 0 or its
/// outermost `{ .. }` block.
fn skip_item(toks: &[Token], mut i: usize) -> usize {
    while i < toks.len() {
        match &toks[i].tok {
            Tok::Punct(";") => return i + 1,
            Tok::Punct("{") => return skip_group(toks, i),
            Tok::Punct("(" | "[") => i = skip_group(toks, i),
            _ => i += 1,
        }
    }
    i
}

/// Whether the attribute `#[ .. ]` spanning `toks` is exactly `cfg(test)`.
fn is_cfg_test(attr: &[Token]) -> bool {
    let words: Vec<&Tok> = attr.iter().map(|t| &t.tok).collect();
    matches!(
        words.as_slice(),
        [Tok::Punct("#"), Tok::Punct("["), Tok::Ident(cfg), Tok::Punct("("), Tok::Ident(test), Tok::Punct(")"), Tok::Punct("]")]
            if cfg == "cfg" && test == "test"
    )
}

/// The value of a `#[path = "..."]` attribute; the tokenizer drops string
/// literals, so it is read from the source line.
fn path_attr(attr: &[Token], lines: &[&str]) -> Option<String> {
    if ident(attr.get(2)) != Some("path") {
        return None;
    }
    let text = lines.get(attr[0].line - 1)?;
    let start = text.find('"')? + 1;
    let len = text[start..].find('"')?;
    Some(text[start..start + len].to_string())
}

/// Finds every path into the crate named outside test code.
pub fn scan(src: &str) -> Scanned {
    let toks = tokenize(src);
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Scanned::default();
    // Inline modules we are inside: (name, brace depth at which they close).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        // Attributes: a run of `#[..]` before an item.
        if punct(toks.get(i), "#") && punct(toks.get(i + 1), "[") {
            let mut j = i;
            let (mut test, mut path) = (false, None);
            while punct(toks.get(j), "#") && punct(toks.get(j + 1), "[") {
                let end = skip_group(&toks, j + 1);
                test |= is_cfg_test(&toks[j..end]);
                path = path.or_else(|| path_attr(&toks[j..end], &lines));
                j = end;
            }
            let decl = declared_mod(&toks, j).filter(|(_, decl)| *decl);
            if test {
                if let Some((name, _)) = decl {
                    out.test_children.push(path.unwrap_or(format!("{name}.rs")));
                }
                i = skip_item(&toks, j);
            } else if let (Some((name, _)), Some(path)) = (decl, path) {
                if inline.is_empty() {
                    out.children.push((name, Some(path)));
                }
                i = skip_item(&toks, j);
            } else {
                i = j;
            }
            continue;
        }
        match &toks[i].tok {
            Tok::Punct("{") => depth += 1,
            Tok::Punct("}") => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        let here: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
        if let Some((name, decl)) = declared_mod(&toks, i) {
            if decl {
                if inline.is_empty() {
                    out.children.push((name, None));
                }
                i = skip_item(&toks, i);
            } else {
                // `mod x {`: the `{` is counted on the next pass.
                inline.push((name, depth));
                i = skip_to(&toks, i, "{");
            }
            continue;
        }
        if ident(toks.get(i)) == Some("use") {
            let mut j = i + 1;
            let mut found = Vec::new();
            use_tree(&toks, &mut j, &[], &mut found);
            for (segments, line) in found {
                out.paths.push(Named { segments, line, inline: here.clone() });
            }
            i = j;
            continue;
        }
        // A path in code: `a::b::c` not preceded by `::`.
        if let Some(first) = ident(toks.get(i))
            && punct(toks.get(i + 1), "::")
            && !(i > 0 && punct(toks.get(i - 1), "::"))
        {
            let line = toks[i].line;
            let mut segments = vec![first.to_string()];
            let mut j = i + 1;
            while punct(toks.get(j), "::") {
                match ident(toks.get(j + 1)) {
                    Some(s) => segments.push(s.to_string()),
                    None => break,
                }
                j += 2;
            }
            out.paths.push(Named { segments, line, inline: here });
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

fn skip_to(toks: &[Token], mut i: usize, p: &str) -> usize {
    while i < toks.len() && !punct(toks.get(i), p) {
        i += 1;
    }
    i
}

/// `mod x;` (true) or `mod x {` (false) starting at `i`, after any
/// visibility (`pub`, `pub(crate)`).
fn declared_mod(toks: &[Token], mut i: usize) -> Option<(String, bool)> {
    if ident(toks.get(i)) == Some("pub") {
        i += 1;
        if punct(toks.get(i), "(") {
            i = skip_group(toks, i);
        }
    }
    if ident(toks.get(i)) != Some("mod") {
        return None;
    }
    let name = ident(toks.get(i + 1))?.to_string();
    if punct(toks.get(i + 2), ";") {
        Some((name, true))
    } else if punct(toks.get(i + 2), "{") {
        Some((name, false))
    } else {
        None
    }
}

/// Reads a `use` tree at `*i` (after `use` or inside a group) and pushes
/// each leaf's full path; leaves `*i` after the tree (past `;` at the top).
fn use_tree(
    toks: &[Token],
    i: &mut usize,
    prefix: &[String],
    found: &mut Vec<(Vec<String>, usize)>,
) {
    let mut path = prefix.to_vec();
    let mut line = toks.get(*i).map_or(0, |t| t.line);
    if prefix.is_empty() && punct(toks.get(*i), "::") {
        *i += 1;
    }
    loop {
        match toks.get(*i).map(|t| &t.tok) {
            Some(Tok::Ident(s)) if s == "self" && !path.is_empty() => *i += 1,
            Some(Tok::Ident(s)) => {
                if path.len() == prefix.len() {
                    line = toks[*i].line;
                }
                path.push(s.clone());
                *i += 1;
            }
            Some(Tok::Punct("*")) => *i += 1,
            Some(Tok::Punct("{")) => {
                *i += 1;
                while *i < toks.len() && !punct(toks.get(*i), "}") {
                    use_tree(toks, i, &path, found);
                    if punct(toks.get(*i), ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                if prefix.is_empty() {
                    *i = skip_to(toks, *i, ";") + 1;
                }
                return;
            }
            _ => break,
        }
        if punct(toks.get(*i), "::") {
            *i += 1;
            continue;
        }
        break;
    }
    // `as alias`
    if ident(toks.get(*i)) == Some("as") {
        *i += 2;
    }
    if path.len() > prefix.len() || !prefix.is_empty() {
        found.push((path, line));
    }
    if prefix.is_empty() {
        *i = skip_to(toks, *i, ";") + 1;
    }
}
