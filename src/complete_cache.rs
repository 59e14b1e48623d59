//! The profiles TAB offers, as the config file describes them, kept in a
//! private file keyed by that file's stamp: with 500 profiles, parsing the
//! config and describing each profile was a third of a TAB's instructions,
//! and the config rarely changes between two TABs.
//!
//! The file (`$XDG_CACHE_HOME/vault/profiles`, by default
//! `~/.cache/vault/profiles`, 0600 in a 0700 folder, written atomically)
//! names the config file and its device, inode, size, mtime and ctime; any
//! difference, or any doubt, and the config is read again. A config changed
//! in the last two seconds (by its whole-second stamps) is not cached: a
//! second write within the clock's granularity could keep every field of
//! its stamp.
//! `VAULT_COMPLETE_CACHE=0` turns the cache off.

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use crate::atomic_write::{self, Mode};
use crate::env::Env;

/// One profile of the config as completion shows it: what kind it is
/// (`role admin`, `sso ReadOnly in 123456789012`, or "") and its region
/// (or "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub name: String,
    pub kind: String,
    pub region: String,
}

/// The setting that turns the cache off.
pub const SWITCH_VAR: &str = "VAULT_COMPLETE_CACHE";

const HEADER: &str = "vault profiles for completion, version 1";
/// The most of a cache file read: far more than any config's profiles.
const MAX_LEN: u64 = 8 << 20;
/// How old a config's mtime must be for its stamp to be trusted.
const SETTLED_SECS: i64 = 2;

/// The profiles of the config at `config`: from the cache when its stamp
/// matches, else from `read` (which parses the config), cached for the next
/// TAB. `None` when `read` fails.
pub fn profiles(
    env: &Env,
    config: &Path,
    read: impl FnOnce() -> Option<Vec<Described>>,
) -> Option<Vec<Described>> {
    let cache = match env.get(SWITCH_VAR) {
        Some("0") => None,
        _ => cache_path(env),
    };
    let Some(cache) = cache else { return read() };
    let stamp = fs::metadata(config).ok().map(|meta| stamp(config, &meta));
    if let Some((key, _)) = &stamp
        && let Some(found) = load(&cache, key)
    {
        return Some(found);
    }
    let described = read()?;
    if let Some((key, settled)) = stamp
        && settled
        && let Err(e) =
            atomic_write::write(&cache, render(&key, &described).as_bytes(), Mode::Private)
    {
        log::debug!("completion: could not cache the profiles in {}: {e}", cache.display());
    }
    Some(described)
}

/// `$XDG_CACHE_HOME/vault/profiles`, else `~/.cache/vault/profiles`.
fn cache_path(env: &Env) -> Option<PathBuf> {
    let base = match env.get("XDG_CACHE_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => env.home().ok()?.join(".cache"),
    };
    Some(base.join("vault").join("profiles"))
}

/// The lines naming the config and its stamp, and whether the stamp is old
/// enough to trust.
fn stamp(config: &Path, meta: &fs::Metadata) -> (String, bool) {
    let key = format!(
        "{}\n{} {} {} {}.{:09} {}.{:09}",
        config.display(),
        meta.dev(),
        meta.ino(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec()
    );
    (key, settled(meta))
}

/// Whether the file's last change is at least a whole second behind, its
/// whole-second stamps [`SETTLED_SECS`] back from now's.
fn settled(meta: &fs::Metadata) -> bool {
    let now = chrono::Utc::now().timestamp();
    meta.mtime() <= now - SETTLED_SECS && meta.ctime() <= now - SETTLED_SECS
}

/// The header, the stamp, then one `name<TAB>kind<TAB>region` line per
/// profile. A name holding a tab or a newline is left out: completion never
/// offers one.
fn render(key: &str, described: &[Described]) -> String {
    let mut text = format!("{HEADER}\n{key}\n");
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    for d in described.iter().filter(|d| !d.name.contains(['\t', '\n', '\r'])) {
        text.push_str(&format!("{}\t{}\t{}\n", d.name, clean(&d.kind), clean(&d.region)));
    }
    text
}

/// The cached profiles, when the file is whole and made for `key`.
fn load(cache: &Path, key: &str) -> Option<Vec<Described>> {
    let mut text = String::new();
    fs::File::open(cache).ok()?.take(MAX_LEN).read_to_string(&mut text).ok()?;
    let body =
        text.strip_prefix(HEADER)?.strip_prefix('\n')?.strip_prefix(key)?.strip_prefix('\n')?;
    body.lines()
        .map(|line| {
            let mut fields = line.split('\t');
            let d = Described {
                name: fields.next().filter(|n| !n.is_empty())?.to_owned(),
                kind: fields.next()?.to_owned(),
                region: fields.next()?.to_owned(),
            };
            fields.next().is_none().then_some(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;
    use std::time::{Duration, SystemTime};

    use super::*;

    fn described(name: &str, kind: &str, region: &str) -> Described {
        Described { name: name.into(), kind: kind.into(), region: region.into() }
    }

    /// Sets a file's mtime (and so its ctime, to now) `ago` in the past.
    fn age(path: &Path, ago: u64) {
        let when = SystemTime::now() - Duration::from_secs(ago);
        fs::File::options().write(true).open(path).unwrap().set_modified(when).unwrap();
    }

    #[test]
    fn a_second_tab_reads_the_cache_until_the_config_changes() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap())]);
        let config = dir.path().join("config");
        fs::write(&config, "[profile a]\n").unwrap();
        age(&config, 60);
        let first = vec![described("a", "role admin", "eu-west-1"), described("b\tc", "", "")];
        let got = profiles(&env, &config, || Some(first.clone())).unwrap();
        assert_eq!(got, first);
        let cache = dir.path().join("cache/vault/profiles");
        // Only the config's ctime is now too recent to trust: the file waits.
        assert!(!cache.exists(), "a config changed in the last two seconds is not cached");

        // Settled: cached, then read from the cache (the reader is not called).
        while !settled(&fs::metadata(&config).unwrap()) {
            std::thread::sleep(Duration::from_millis(200));
        }
        profiles(&env, &config, || Some(first.clone())).unwrap();
        assert_eq!(fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            fs::metadata(cache.parent().unwrap()).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let cached = profiles(&env, &config, || panic!("the config was read again")).unwrap();
        assert_eq!(cached, [described("a", "role admin", "eu-west-1")], "b<TAB>c left out");

        // The same size, the mtime put back: the ctime and the stamp tell.
        fs::write(&config, "[profile b]\n").unwrap();
        age(&config, 60);
        let second = vec![described("b", "", "us-east-1")];
        assert_eq!(profiles(&env, &config, || Some(second.clone())).unwrap(), second);

        // Turned off: always read.
        let off = Env::from_pairs([
            ("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap()),
            (SWITCH_VAR, "0"),
        ]);
        assert_eq!(profiles(&off, &config, || Some(first.clone())).unwrap(), first);
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_read_past() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        fs::write(&config, "[profile a]\n").unwrap();
        let (key, _) = stamp(&config, &fs::metadata(&config).unwrap());
        let cache = dir.path().join("profiles");
        let good = render(&key, &[described("a", "", "eu-west-1")]);
        fs::write(&cache, &good).unwrap();
        assert_eq!(load(&cache, &key).unwrap(), [described("a", "", "eu-west-1")]);
        for bad in [
            good.replace(HEADER, "vault profiles for completion, version 0"),
            good.replace("eu-west-1", "eu-west-1\textra"),
            good.replace("a\t", "\t"),
            format!("{good}broken line\n"),
            good.replace(&key, "/elsewhere\n1 2 3 4.000000000 5.000000000"),
        ] {
            fs::write(&cache, bad).unwrap();
            assert!(load(&cache, &key).is_none());
        }
    }
}
