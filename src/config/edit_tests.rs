//! Tests of `config::edit`: where sections are, and that a change keeps every other byte.
use std::path::Path;

use super::*;

fn parse(text: &str) -> ConfigFile {
    ConfigFile::parse(text, Path::new("/c")).expect("parses")
}

fn span_of<'a>(text: &'a str, name: &str) -> &'a str {
    let cfg = parse(text);
    let section = cfg.profile_sections().find(|s| s.name == name).unwrap();
    &text[section.span]
}

#[test]
fn a_section_spans_its_header_and_settings_not_the_comments_after_it() {
    let text = "# top\n[profile a]\nregion = x  # why\n# about b\n\n[profile b]\ns3 =\n  \
                max_concurrent_requests = 10\nnote = one\n  continued\n\n# end";
    assert_eq!(span_of(text, "a"), "[profile a]\nregion = x  # why\n");
    assert_eq!(
        span_of(text, "b"),
        "[profile b]\ns3 =\n  max_concurrent_requests = 10\nnote = one\n  continued\n"
    );
    // The last line, without a newline; a byte order mark counts.
    assert_eq!(span_of("[profile a]\nk = v", "a"), "[profile a]\nk = v");
    let bom = "\u{feff}[profile a]\r\nk = v\r\n";
    assert_eq!(span_of(bom, "a"), "[profile a]\r\nk = v\r\n");
    let cfg = parse("[profile a]\nk = v\n[sso-session s]\n[profile a]\nk = w\n");
    let sections: Vec<_> = cfg.profile_sections().map(|s| (s.name, s.get("K"))).collect();
    assert_eq!(sections, [("a", Some("v")), ("a", Some("w"))]);
}

fn changed(text: &str, changes: impl Fn(&ConfigFile) -> Vec<Change>) -> String {
    String::from_utf8(apply(text, &changes(&parse(text)))).unwrap()
}

fn span(cfg: &ConfigFile, name: &str) -> std::ops::Range<usize> {
    cfg.profile_sections().find(|s| s.name == name).unwrap().span
}

#[test]
fn replacing_and_removing_keep_every_other_byte() {
    let text = "# mine\n[profile keep]  ; note\nregion = a\n\n# section g\n[profile g]\nk = 1\n\n\
                [profile h]\nk = 2\n\n; trailing comment\n";
    let out = changed(text, |cfg| {
        vec![Change::Replace { span: span(cfg, "g"), text: "[profile g]\nk = 9\n".into() }]
    });
    assert_eq!(out, text.replace("k = 1", "k = 9"));
    let out = changed(text, |cfg| vec![Change::Remove { span: span(cfg, "g") }]);
    assert_eq!(
        out,
        "# mine\n[profile keep]  ; note\nregion = a\n\n# section g\n[profile h]\nk = 2\n\n; trailing comment\n"
    );
    let out = changed(text, |cfg| {
        vec![Change::Remove { span: span(cfg, "h") }, Change::Remove { span: span(cfg, "g") }]
    });
    assert_eq!(
        out,
        "# mine\n[profile keep]  ; note\nregion = a\n\n# section g\n; trailing comment\n"
    );
}

#[test]
fn appending_then_removing_gives_the_file_back() {
    for text in ["[profile a]\nk = v\n", "[profile a]\nk = v", "[profile a]\nk = v\n\n", ""] {
        let eol = line_ending(text);
        let add = |name| Change::Append {
            text: render_section(name, &[("k", "1"), ("vault_generated", "x")], eol).unwrap(),
        };
        let grown = String::from_utf8(apply(text, &[add("g1"), add("g2")])).unwrap();
        let cfg = parse(&grown);
        assert_eq!(cfg.get("g2", "vault_generated"), Some("x"), "{grown:?}");
        let back = changed(&grown, |cfg| {
            vec![Change::Remove { span: span(cfg, "g1") }, Change::Remove { span: span(cfg, "g2") }]
        });
        // The text comes back, ending in one line break.
        let expected =
            if text.is_empty() { String::new() } else { format!("{}\n", text.trim_end()) };
        assert_eq!(back, expected, "{grown:?}");
    }
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "[profile a]\r\nk = v\r\n";
    let add =
        Change::Append { text: render_section("b", &[("k", "w")], line_ending(text)).unwrap() };
    assert_eq!(
        String::from_utf8(apply(text, &[add])).unwrap(),
        "[profile a]\r\nk = v\r\n\r\n[profile b]\r\nk = w\r\n"
    );
}

#[test]
fn values_that_would_not_read_back_are_refused() {
    for bad in [" padded", "a #b", "a ;b", "two\nlines", "\"quoted\""] {
        assert!(render_section("p", &[("k", bad)], "\n").is_err(), "{bad:?}");
    }
    assert!(render_section("a]b", &[], "\n").is_err());
    assert_eq!(
        render_section("default", &[("k", "https://x/#y")], "\n").unwrap(),
        "[default]\nk = https://x/#y\n"
    );
}

#[test]
fn update_writes_nothing_when_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[profile a]\n").unwrap();
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let seen: String = update(&path, |cfg, text| {
        Ok::<_, ConfigError>((format!("{text}{}", cfg.profile_names().len()), vec![]))
    })
    .unwrap();
    assert_eq!(seen, "[profile a]\n1");
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    update(&path, |_, _| {
        Ok::<_, ConfigError>(((), vec![Change::Append { text: "[profile b]\n".into() }]))
    })
    .unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "[profile a]\n\n[profile b]\n");
}
