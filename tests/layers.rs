//! The layers of `src/`: each top-level module (`src/X.rs` or `src/X/`) sits
//! in one layer of `LAYERS` and may use only modules of its own layer or
//! lower ones, and no import cycle joins top-level modules or the files of
//! one module. An edge X → Y is any `crate::Y` (or `super::` reaching Y, or
//! a leaf of a `use crate::{..}` tree) in X's code outside `#[cfg(test)]`
//! items and test-only files. The README's Layout section says the same in
//! words. And only `main.rs` ends the process (`std::process::exit`).

#[path = "layers/parse.rs"]
mod parse;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use parse::Scanned;

/// Lowest first. A module may use modules of its own layer or lower ones.
const LAYERS: &[(&str, &[&str])] = &[
    // One helper each, using nothing above them.
    (
        "leaves",
        &[
            "atomic_write",
            "child",
            "credential_vars",
            "creds",
            "duration",
            "env",
            "escape",
            "logging",
            "refresh_lock",
            "warnings",
        ],
    ),
    ("files", &["complete_cache", "config", "trust"]),
    ("store", &["store"]),
    ("agent client", &["agent", "browser"]),
    ("aws", &["aws"]),
    ("prompt", &["prompt"]),
    ("context", &["context"]),
    ("credentials", &["rotate", "sso", "sts"]),
    ("servers", &["agentd", "server"]),
    ("shell", &["complete", "shell"]),
    ("commands", &["cli", "cmd", "fuzzing"]),
];

/// Edges known to break the rules, `(from, to)`, printed on every run so
/// they are not forgotten. Empty when `src/` keeps its layers.
const ALLOWED: &[(&str, &str)] = &[];

/// One file of the crate that is compiled outside tests.
struct File {
    /// Relative to the crate root, as a message names it (`src/x/y.rs`).
    path: String,
    /// Its module path without `crate` (`["x", "y"]`).
    module: Vec<String>,
    scanned: Scanned,
}

/// A use of one module or file by another, where it is written.
#[derive(Clone)]
struct Edge {
    at: String,
    named: String,
}

/// Reads the crate from `root` (which holds `lib.rs`) by following its
/// `mod x;` declarations outside tests: test-only files (`#[cfg(test)] mod
/// x;`, the `*_tests.rs` files) are never read.
fn load(sources: &BTreeMap<PathBuf, String>, root: &Path) -> Vec<File> {
    let mut files = Vec::new();
    let mut todo = vec![(root.join("lib.rs"), Vec::<String>::new())];
    while let Some((path, module)) = todo.pop() {
        let text = sources
            .get(&path)
            .unwrap_or_else(|| panic!("{} is declared but missing", path.display()));
        let scanned = parse::scan(text);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        // Where `mod x;` looks for x: beside lib.rs or mod.rs, else in a
        // folder named after the file.
        let dir = if name == "lib.rs" || name == "mod.rs" {
            path.parent().unwrap().to_path_buf()
        } else {
            path.with_extension("")
        };
        for (child, explicit) in &scanned.children {
            let mut child_module = module.clone();
            child_module.push(child.clone());
            let file = match explicit {
                Some(p) => path.parent().unwrap().join(p),
                None if sources.contains_key(&dir.join(format!("{child}.rs"))) => {
                    dir.join(format!("{child}.rs"))
                }
                None => dir.join(child).join("mod.rs"),
            };
            todo.push((file, child_module));
        }
        let shown = Path::new("src").join(path.strip_prefix(root).unwrap());
        files.push(File { path: shown.display().to_string(), module, scanned });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The crate-absolute module path a path names, if it names one in the
/// crate: `crate::`, `super::`, `self::`, or a child module of the file.
fn resolve(file: &File, named: &parse::Named) -> Option<Vec<String>> {
    let mut here = file.module.clone();
    here.extend(named.inline.iter().cloned());
    let seg = &named.segments;
    match seg.first()?.as_str() {
        "crate" => Some(seg[1..].to_vec()),
        "super" => {
            let ups = seg.iter().take_while(|s| *s == "super").count();
            let kept = here.len().checked_sub(ups)?;
            Some(here[..kept].iter().chain(&seg[ups..]).cloned().collect())
        }
        "self" => Some(here.iter().chain(&seg[1..]).cloned().collect()),
        first
            if named.inline.is_empty() && file.scanned.children.iter().any(|(c, _)| c == first) =>
        {
            Some(here.iter().chain(seg).cloned().collect())
        }
        _ => None,
    }
}

/// Every rule `files` breaks, one message each; empty when it keeps them.
fn violations(
    files: &[File],
    layers: &[(&str, &[&str])],
    allowed: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let tops: BTreeSet<&str> =
        files.iter().filter(|f| f.module.len() == 1).map(|f| f.module[0].as_str()).collect();
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, (_, mods))| mods.iter().map(move |m| (*m, i)))
        .collect();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    for top in &tops {
        if !layer_of.contains_key(top) {
            errors.push(format!(
                "src/{top}: module `{top}` is in no layer; add it to LAYERS in tests/layers.rs"
            ));
        }
    }
    for m in layer_of.keys() {
        if !tops.contains(m) {
            errors.push(format!("LAYERS names `{m}`, which src/lib.rs does not declare"));
        }
    }

    // Module and file graphs: (from, to) -> the first place it is written.
    let by_module: BTreeMap<&[String], &str> =
        files.iter().map(|f| (f.module.as_slice(), f.path.as_str())).collect();
    let mut module_edges: BTreeMap<(String, String), Vec<Edge>> = BTreeMap::new();
    let mut file_edges: BTreeMap<(String, String), Vec<Edge>> = BTreeMap::new();
    for f in files.iter().filter(|f| !f.module.is_empty()) {
        for named in &f.scanned.paths {
            if named.segments.windows(2).any(|w| w[0] == "process" && w[1] == "exit") {
                errors.push(format!(
                    "{}:{}: {} ends the process outside main.rs; return through main instead",
                    f.path,
                    named.line,
                    named.segments.join("::")
                ));
            }
            let Some(abs) = resolve(f, named) else { continue };
            let edge =
                Edge { at: format!("{}:{}", f.path, named.line), named: named.segments.join("::") };
            if let Some(to) =
                abs.first().filter(|t| tops.contains(t.as_str()) && **t != f.module[0])
            {
                module_edges
                    .entry((f.module[0].clone(), to.clone()))
                    .or_default()
                    .push(edge.clone());
            }
            // The deepest file the path reaches; a file's own module
            // interfaces (its mod.rs files) are not edges.
            let target =
                (1..=abs.len()).rev().find_map(|n| by_module.get(&abs[..n]).map(|p| (n, *p)));
            if let Some((n, to)) = target
                && to != f.path
                && !(f.module.starts_with(&abs[..n]))
                && abs[0] == f.module[0]
            {
                file_edges.entry((f.path.clone(), to.to_string())).or_default().push(edge);
            }
        }
    }

    // `LAYERS_PRINT=1 cargo test --test layers` lists every edge, to plan a move.
    if std::env::var_os("LAYERS_PRINT").is_some() {
        for ((from, to), edges) in &module_edges {
            eprintln!(
                "EDGE {from} -> {to} {}",
                edges
                    .iter()
                    .map(|e| format!("{}({})", e.at, e.named))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    }
    for ((from, to), edges) in &module_edges {
        let (Some(&lf), Some(&lt)) = (layer_of.get(from.as_str()), layer_of.get(to.as_str()))
        else {
            continue;
        };
        if lt <= lf {
            continue;
        }
        let allow = allowed.contains(&(from.as_str(), to.as_str()));
        for e in edges {
            let text = format!(
                "{}: {from} (layer '{}') uses {to} (layer '{}', higher): {}",
                e.at, layers[lf].0, layers[lt].0, e.named
            );
            if allow { notes.push(format!("allowed: {text}")) } else { errors.push(text) }
        }
    }
    // Cycles of files across modules are cycles of modules, named above.
    for (what, edges) in
        [("top-level modules", &module_edges), ("files of one module", &file_edges)]
    {
        for cycle in cycles(edges) {
            let (members, cycle) = cycle;
            let mut text = format!("import cycle among {what}: {}", cycle.join(" → "));
            if members.len() + 1 > cycle.len() {
                text.push_str(&format!(" (one of the cycles joining {})", members.join(" ")));
            }
            for pair in cycle.windows(2) {
                let e = &edges[&(pair[0].clone(), pair[1].clone())][0];
                text.push_str(&format!("\n    {}: {} → {} ({})", e.at, pair[0], pair[1], e.named));
            }
            let allow = what == "top-level modules"
                && cycle.windows(2).any(|p| allowed.contains(&(p[0].as_str(), p[1].as_str())));
            if allow { notes.push(format!("allowed: {text}")) } else { errors.push(text) }
        }
    }
    (errors, notes)
}

/// Each strongly connected set of more than one node, with its shortest
/// cycle through its first node (which is repeated at the end).
fn cycles<'a>(edges: &'a BTreeMap<(String, String), Vec<Edge>>) -> Vec<(Vec<String>, Vec<String>)> {
    let mut next: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
        next.entry(to).or_default();
    }
    let reach = |start: &'a str| {
        let mut seen = BTreeSet::from([start]);
        let mut todo = vec![start];
        while let Some(n) = todo.pop() {
            for &m in &next[n] {
                if seen.insert(m) {
                    todo.push(m);
                }
            }
        }
        seen
    };
    let reach_all: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|&n| (n, reach(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for &n in next.keys() {
        if done.contains(n) {
            continue;
        }
        let set: BTreeSet<&str> =
            reach_all[n].iter().copied().filter(|m| reach_all[m].contains(n)).collect();
        done.extend(set.iter().copied());
        if set.len() < 2 {
            continue;
        }
        // The shortest way from n back to n inside the set.
        let mut from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([n]);
        'bfs: while let Some(a) = queue.pop_front() {
            for &b in &next[a] {
                if !set.contains(b) {
                    continue;
                }
                if b == n {
                    from.insert(n, a);
                    break 'bfs;
                }
                if !from.contains_key(b) {
                    from.insert(b, a);
                    queue.push_back(b);
                }
            }
        }
        let mut cycle = vec![n.to_string()];
        let mut at = from[n];
        while at != n {
            cycle.push(at.to_string());
            at = from[at];
        }
        cycle.push(n.to_string());
        cycle.reverse();
        out.push((set.iter().map(|m| m.to_string()).collect(), cycle));
    }
    out
}

fn read_tree(dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.insert(path.clone(), std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn src_keeps_its_layers_and_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    read_tree(&root, &mut sources);
    let files = load(&sources, &root);
    let (errors, notes) = violations(&files, LAYERS, ALLOWED);
    for note in &notes {
        eprintln!("{note}");
    }
    assert!(errors.is_empty(), "{} rules broken:\n{}", errors.len(), errors.join("\n"));
}

/// A crate from `(path under src/, text)` pairs.
fn fake(files: &[(&str, &str)]) -> Vec<File> {
    let root = Path::new("/fake/src");
    let sources = files.iter().map(|(p, t)| (root.join(p), t.to_string())).collect();
    load(&sources, root)
}

#[test]
fn an_upward_import_and_a_cycle_are_named_where_written() {
    let files = fake(&[
        ("lib.rs", "mod low;\nmod high;\nmod other;\n"),
        ("low.rs", "//! low\nuse crate::{other, high::Thing};\n"),
        ("high/mod.rs", "mod a;\nmod b;\npub use a::Thing;\n"),
        ("high/a.rs", "pub struct Thing;\nfn f() { super::b::g() }\n"),
        ("high/b.rs", "pub fn g() { super::a::Thing; }\n"),
        ("other.rs", "fn f() { crate::low::x(); }\n"),
    ]);
    let layers: &[(&str, &[&str])] = &[("bottom", &["low", "other"]), ("top", &["high"])];
    let (errors, _) = violations(&files, layers, &[]);
    let all = errors.join("\n");
    assert!(
        all.contains(
            "src/low.rs:2: low (layer 'bottom') uses high (layer 'top', higher): crate::high::Thing"
        ),
        "{all}"
    );
    assert!(all.contains("import cycle among top-level modules: low → other → low"), "{all}");
    assert!(all.contains("src/other.rs:1: other → low (crate::low::x)"), "{all}");
    assert!(
        all.contains(
            "import cycle among files of one module: src/high/a.rs → src/high/b.rs → src/high/a.rs"
        ),
        "{all}"
    );
    assert_eq!(errors.len(), 3, "{all}");
}

#[test]
fn test_code_comments_and_strings_are_no_edges() {
    let files = fake(&[
        ("lib.rs", "mod low;\nmod high;\n"),
        (
            "low.rs",
            concat!(
                "// crate::high::x\n",
                "/* crate::high::y */\n",
                "const S: &str = \"crate::high::z\";\n",
                "const R: &str = r#\"crate::high::w\"#;\n",
                "fn f<'a>(c: char) -> bool { c == '\"' }\n",
                "#[cfg(test)]\nmod tests { use crate::high; }\n",
                "#[cfg(test)]\nfn helper() { crate::high::h(); }\n",
                "#[cfg(test)]\n#[path = \"low_tests.rs\"]\nmod more;\n",
            ),
        ),
        ("low_tests.rs", "use crate::high::x;\n"),
        ("high.rs", "use crate::low;\n"),
    ]);
    let layers: &[(&str, &[&str])] = &[("bottom", &["low"]), ("top", &["high"])];
    let (errors, _) = violations(&files, layers, &[]);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(files.len(), 3, "the test-only file is not read");
}

#[test]
fn a_module_missing_from_the_table_fails() {
    let files = fake(&[("lib.rs", "mod low;\nmod new;\n"), ("low.rs", ""), ("new/mod.rs", "")]);
    let (errors, _) = violations(&files, &[("bottom", &["low", "gone"])], &[]);
    assert_eq!(
        errors,
        [
            "src/new: module `new` is in no layer; add it to LAYERS in tests/layers.rs",
            "LAYERS names `gone`, which src/lib.rs does not declare",
        ]
    );
}

#[test]
fn only_main_ends_the_process() {
    let files = fake(&[
        ("lib.rs", "mod low;\n"),
        (
            "low.rs",
            "use std::process;\nfn f() {\n    std::process::exit(0);\n}\nfn g() { process::exit(1) }\n",
        ),
    ]);
    let (errors, _) = violations(&files, &[("bottom", &["low"])], &[]);
    assert_eq!(
        errors,
        [
            "src/low.rs:3: std::process::exit ends the process outside main.rs; return through main instead",
            "src/low.rs:5: process::exit ends the process outside main.rs; return through main instead",
        ]
    );
}

#[test]
fn an_allowed_edge_is_noted_not_failed() {
    let files = fake(&[
        ("lib.rs", "mod low;\nmod high;\n"),
        ("low.rs", "use crate::high;\n"),
        ("high.rs", ""),
    ]);
    let layers: &[(&str, &[&str])] = &[("bottom", &["low"]), ("top", &["high"])];
    let (errors, notes) = violations(&files, layers, &[("low", "high")]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        notes,
        [
            "allowed: src/low.rs:1: low (layer 'bottom') uses high (layer 'top', higher): crate::high"
        ]
    );
}
