//! The secret-leak scan: reads the records tests/common/record.rs keeps of
//! every `vault` run, learns the secrets the runs used, and reports each
//! place one of them was printed where it may not be.
//!
//! Secrets, from every record in the folder (one test's secret printed by
//! another test is a leak too): the values of the secret-named variables each
//! run got (`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//! `AWS_VAULT_FILE_PASSPHRASE`, ...), the replies typed at secret prompts on
//! a pty, what moto handed out (moto_peer.py `--secrets`), what tests wrote
//! into `credential_process` scripts and token files (record::note_secrets),
//! and the SSO fake's tokens by their shapes. Values shorter than [`MIN_LEN`]
//! are skipped: a test's `secret` would match ordinary words.
//!
//! Allowed, and only on stdout: the credentials the user asked to see.
//! `export` (every format, including `credential_process`'s json), `exec
//! --json`, the output of the command `exec` runs after `--` (e.g. `env`),
//! and the shell code the hook evaluates (`hook-env`, `use`, `reload`) may
//! print access keys, session tokens and a credential server's token; never a
//! passphrase, a password, a secret typed at a prompt or an SSO sign-in's
//! secrets, which no command prints. stderr is never allowed.
#![allow(dead_code)] // each test binary uses a different part of the harness

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Shorter values are not looked for (too likely to match by chance).
pub const MIN_LEN: usize = 8;

/// The SSO fake's (tests/support/sso_peer.py) secrets: prefix, hex digits.
const SSO_SHAPES: &[(&str, usize, &str)] = &[
    ("csecret-", 32, "SSO client secret"),
    ("at-", 32, "SSO access token"),
    ("rt-", 32, "SSO refresh token"),
    ("dc-", 32, "SSO device code"),
    ("sso-secret-", 32, "SSO role secret access key"),
    ("sso-session-", 48, "SSO role session token"),
];

/// One `vault` run as recorded.
#[derive(Debug)]
pub struct Record {
    pub stem: PathBuf,
    pub test: String,
    pub args: Vec<String>,
    /// stdout, or both streams for a terminal.
    pub out: Option<Vec<u8>>,
    pub err: Option<Vec<u8>>,
    /// When the run started (its `.meta` file's time).
    pub made: Option<std::time::SystemTime>,
}

/// A secret found where it may not be.
#[derive(Debug)]
pub struct Finding {
    pub test: String,
    /// The command line, with any secret in it masked.
    pub command: String,
    pub stream: &'static str,
    pub kind: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}` printed a {} on {}", self.test, self.command, self.kind, self.stream)
    }
}

#[derive(Debug, Default)]
pub struct Scan {
    /// Runs whose output was recorded (not a terminal, not /dev/null).
    pub invocations: usize,
    /// Runs recorded at all, output or not.
    pub records: usize,
    pub tests: BTreeSet<String>,
    /// Runs whose stdout may hold the credentials the user asked for (it is
    /// scanned for every other kind of secret).
    pub asked_for: usize,
    pub secrets: usize,
    pub findings: Vec<Finding>,
}

impl Scan {
    pub fn summary(&self) -> String {
        format!(
            "{} vault runs recorded ({} with output scanned; credentials allowed on the stdout \
             of {} that asked for them) from {} tests, {} distinct secrets, {} leaks",
            self.records,
            self.invocations,
            self.asked_for,
            self.tests.len(),
            self.secrets,
            self.findings.len()
        )
    }
}

/// The kind of secret a variable holds, for the report.
pub fn kind_of(name: &str) -> String {
    if let Some(prompt) = name.strip_prefix("TYPED_AT_") {
        // `vault add`'s secret key prompt takes a credential `export` may print.
        let prompt = prompt.to_lowercase();
        return if prompt.contains("secret_key") || prompt.contains("secret_access_key") {
            "secret access key (typed at a prompt)".to_owned()
        } else {
            "secret typed at a prompt".to_owned()
        };
    }
    let kind = match name {
        n if n.contains("SECRET_ACCESS_KEY") || n.contains("SecretAccessKey") => {
            "secret access key"
        }
        n if n.contains("SESSION_TOKEN") || n.contains("SECURITY_TOKEN") => "session token",
        n if n.contains("SessionToken") => "session token",
        n if n.contains("PASSPHRASE") || n.contains("passphrase") => "passphrase",
        n if n.contains("PASSWORD") => "password",
        n if n.contains("AUTHORIZATION_TOKEN") => "credential server token",
        n if n.contains("WebIdentityToken") => "web identity token",
        _ => return format!("secret ({name})"),
    };
    let from = match name.split_once(' ') {
        Some(("moto", _)) => " (from moto)",
        Some(("credential_process", _)) => " (from a credential_process)",
        Some(("credentials_file", _)) => " (from a credentials file)",
        _ => "",
    };
    format!("{kind}{from}")
}

/// Reads every record and secret in `dir`, then scans.
pub fn scan_dir(dir: &Path) -> Scan {
    scan_dirs(dir, &[], None)
}

/// Scans the records in `dir` (only those of `test`, when given) for the
/// secrets learned in `dir` and in `more_secrets`.
pub fn scan_dirs(dir: &Path, more_secrets: &[&Path], test: Option<&str>) -> Scan {
    scan_where(dir, more_secrets, |record| test.is_none_or(|t| t == record.test))
}

/// Scans the records in `dir` made at or after `since` (secrets are learned
/// from every record).
pub fn scan_since(dir: &Path, since: std::time::SystemTime) -> Scan {
    scan_where(dir, &[], |record| record.made.is_some_and(|made| made >= since))
}

fn scan_where(dir: &Path, more_secrets: &[&Path], keep: impl Fn(&Record) -> bool) -> Scan {
    let mut secrets: BTreeMap<String, String> = BTreeMap::new();
    let mut records = Vec::new();
    let list = |dir: &Path| match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect::<Vec<_>>(),
        Err(_) => Vec::new(),
    };
    let mut entries = list(dir);
    for extra in more_secrets {
        entries
            .extend(list(extra).into_iter().filter(|p| p.extension().is_none_or(|e| e != "meta")));
    }
    for path in &entries {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "env" => {
                for pair in fs::read(path).unwrap_or_default().split(|b| *b == 0) {
                    let pair = String::from_utf8_lossy(pair);
                    if let Some((name, value)) = pair.split_once('=') {
                        add_secret(&mut secrets, name, value);
                    }
                }
            }
            "secrets" => {
                for line in fs::read_to_string(path).unwrap_or_default().lines() {
                    if let Some((name, value)) = line.split_once('=') {
                        add_secret(&mut secrets, name, value);
                    }
                }
            }
            "meta" => {
                let record = read_record(path);
                if keep(&record) {
                    records.push(record);
                }
            }
            _ => {}
        }
    }
    records.sort_by(|a, b| a.stem.cmp(&b.stem));
    scan(&records, &secrets)
}

fn add_secret(secrets: &mut BTreeMap<String, String>, name: &str, value: &str) {
    // Where a secret is, or what a store is called, is not a secret itself
    // (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME).
    let skip = ["_FILE", "_PATH", "_DIR", "_NAME"].iter().any(|end| name.ends_with(end));
    if !skip && value.len() >= MIN_LEN {
        secrets.entry(value.to_owned()).or_insert_with(|| kind_of(name));
    }
}

fn read_record(meta: &Path) -> Record {
    let stem = meta.with_extension("");
    let bytes = fs::read(meta).unwrap_or_default();
    let mut fields = bytes.split(|b| *b == 0).map(|f| String::from_utf8_lossy(f).into_owned());
    // Empty when the run was killed before its wrapper wrote the record.
    let test = fields.next().filter(|t| !t.is_empty()).unwrap_or_else(|| "?::?".to_owned());
    let mut args: Vec<String> = fields.collect();
    if args.last().is_some_and(String::is_empty) {
        args.pop(); // the NUL after the last argument
    }
    Record {
        test,
        args,
        out: fs::read(stem.with_extension("out")).ok(),
        err: fs::read(stem.with_extension("err")).ok(),
        made: fs::metadata(meta).and_then(|m| m.modified()).ok(),
        stem,
    }
}

/// Whether this command's stdout may hold credentials: the user asked for them.
pub fn stdout_may_hold_secrets(args: &[String]) -> bool {
    const COMMANDS: &[&str] = &[
        "add",
        "remove",
        "rm",
        "list",
        "ls",
        "clear",
        "exec",
        "export",
        "login",
        "rotate",
        "completions",
        "migrate",
        "hook",
        "hook-env",
        "use",
        "unuse",
        "reload",
        "allow",
        "deny",
        "status",
        "unlock",
        "lock",
        "agent",
        "man",
        "complete",
    ];
    let command = args.iter().find(|a| COMMANDS.contains(&a.as_str())).map(String::as_str);
    match command {
        Some("export" | "hook-env" | "use" | "reload") => true,
        Some("exec") => args.iter().any(|a| a == "--json" || a == "--"),
        _ => false,
    }
}

/// Whether a secret of `kind` is a credential a command may print when asked
/// (see [`stdout_may_hold_secrets`]); a passphrase, a typed secret or an SSO
/// sign-in's token never is.
pub fn may_be_asked_for(kind: &str) -> bool {
    ["secret access key", "session token", "credential server token", "SSO role "]
        .iter()
        .any(|k| kind.starts_with(k))
}

/// Scans `records` for `secrets` (value -> kind).
pub fn scan(records: &[Record], secrets: &BTreeMap<String, String>) -> Scan {
    let mut result = Scan { secrets: secrets.len(), records: records.len(), ..Scan::default() };
    for record in records {
        result.tests.insert(record.test.clone());
        if record.out.is_some() || record.err.is_some() {
            result.invocations += 1;
        }
        let allowed = stdout_may_hold_secrets(&record.args);
        if allowed && record.out.is_some() {
            result.asked_for += 1;
        }
        let mut command = format!("vault {}", record.args.join(" "));
        for secret in secrets.keys() {
            command = command.replace(secret.as_str(), "<secret>");
        }
        let streams = [("stdout", &record.out, allowed), ("stderr", &record.err, false)];
        for (stream, text, allowed) in streams {
            let Some(text) = text else { continue };
            let text = String::from_utf8_lossy(text);
            let mut kinds: BTreeSet<String> = secrets
                .iter()
                .filter(|(value, _)| text.contains(value.as_str()))
                .map(|(_, kind)| kind.clone())
                .collect();
            kinds.extend(sso_shapes_in(&text));
            for kind in kinds.into_iter().filter(|k| !(allowed && may_be_asked_for(k))) {
                result.findings.push(Finding {
                    test: record.test.clone(),
                    command: command.clone(),
                    stream,
                    kind,
                });
            }
        }
    }
    result
}

/// The kinds of SSO fake secrets that appear in `text`, by shape.
fn sso_shapes_in(text: &str) -> Vec<String> {
    let mut kinds = Vec::new();
    for (prefix, digits, kind) in SSO_SHAPES {
        let found = text.match_indices(prefix).any(|(at, _)| {
            // Not the tail of a longer word ("format-...", "sso-secret-" vs "secret-").
            let before = text[..at].chars().next_back();
            let starts_word = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
            let rest = &text[at + prefix.len()..];
            let hex = rest.chars().take_while(char::is_ascii_hexdigit).count();
            starts_word && hex == *digits
        });
        if found {
            kinds.push((*kind).to_owned());
        }
    }
    kinds
}
