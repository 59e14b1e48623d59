//! Keyless shells (`vault hook --mode server`, `VAULT_HOOK_MODE=server`) in
//! real bash, zsh and fish: entering a trusted directory exports where the
//! agent serves the credentials and a token, never keys; the aws CLI and
//! boto3 get the profile's credentials from moto through the agent; the
//! token ends with `unuse`, leaving, the shell's exit, `vault lock` and the
//! timeout (each checked while the shell still runs); a token
//! never yields another profile's credentials, another user gets nothing,
//! and a command running across the credentials' expiry keeps working.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::http::http;
use common::moto::{Moto, aws_cli};
use common::{PASSPHRASE, TempHome, peers, stderr, stdout, vault_bin};

const KEY_ID: &str = "AKIAKEYLESSTEST00001";
const SECRET: &str = "keylessTestSecret/0001+abcdefghijklmn";
const ROLE: &str = "arn:aws:iam::123456789012:role/deployer";

struct Fixture {
    t: TempHome,
    moto: Moto,
    runtime: tempfile::TempDir,
    out: tempfile::TempDir,
    proj: PathBuf,
    agent: Option<Child>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(mut agent) = self.agent.take() {
            let _ = agent.kill();
            let _ = agent.wait();
        }
        // An agent the hook started on demand exits when locked.
        let _ = self.vault(&["lock"]).output();
    }
}

fn fixture(extra_config: &str) -> Fixture {
    let moto = Moto::start();
    let t = TempHome::with_config(&format!(
        "[profile work]\nregion = eu-west-1\n[profile home]\nregion = us-west-2\n{extra_config}"
    ));
    let mut f = Fixture {
        t,
        moto,
        runtime: tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap(),
        out: tempfile::Builder::new().prefix("vault-out-").tempdir().unwrap(),
        proj: PathBuf::new(),
        agent: None,
    };
    for profile in ["work", "home"] {
        f.t.add_keys(profile, KEY_ID, SECRET);
    }
    f.proj = f.t.home.join("src/shop");
    fs::create_dir_all(&f.proj).unwrap();
    fs::write(f.proj.join(".awsprofile"), "work\n").unwrap();
    let out = f.vault(&["allow", f.proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

impl Fixture {
    fn env(&self, cmd: &mut Command) {
        let venv_bin = aws_cli().parent().map(Path::to_path_buf).unwrap_or_default();
        let path = format!("{}:{}", venv_bin.display(), std::env::var("PATH").unwrap_or_default());
        cmd.env_clear()
            .env("PATH", path)
            .env("LANG", "C.UTF-8")
            .env("HOME", &self.t.home)
            .env("XDG_DATA_HOME", self.t.home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .env("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)
            .env("VAULT_FILE_ITERATIONS", "8192")
            .env("AWS_ENDPOINT_URL", self.moto.url())
            .current_dir(&self.t.home);
    }

    fn vault(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(vault_bin());
        self.env(&mut cmd);
        cmd.args(args);
        cmd
    }

    /// `vault agent` in the foreground, as a service manager runs it: it
    /// stays up when locked, so a dead token is seen as a 403.
    fn start_agent(&mut self) {
        let mut cmd = self.vault(&["agent"]);
        let child = cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        self.agent = Some(child.spawn().unwrap());
        let socket = self.runtime.path().join("vault/agent.sock");
        wait_for(|| socket.exists(), "the agent's socket");
    }

    /// Runs `script` in `shell`, with `prompt` defined as what the shell
    /// runs before a prompt and `say NAME VALUE` recording a value.
    fn shell(&self, shell: &str, script: &str, extra: &[(&str, &str)]) -> (Output, Said) {
        let out = self.shell_command(shell, script, extra).output().unwrap();
        let said = Said::parse(&stdout(&out));
        (out, said)
    }

    /// Runs `script` in `shell` as [`Self::shell`] does, and leaves the
    /// shell running (waiting on its stdin) until the result is dropped or
    /// exits: a token ends with its shell, so what a shell holds is checked
    /// while it lives.
    fn live_shell(&self, shell: &str, script: &str, extra: &[(&str, &str)]) -> LiveShell {
        // `read` fails at the end of input, which is how the shell is ended.
        let wait = if shell == "fish" { "read _; or true" } else { "read -r _ || true" };
        let script = format!("{script}\nsay ready 1\n{wait}\n");
        let errors = self.out.path().join(format!("stderr-{}", rand_suffix()));
        let mut child = self
            .shell_command(shell, &script, extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(&errors).unwrap())
            .spawn()
            .unwrap();
        let mut text = String::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        while !text.ends_with("@ready=1\n") {
            if lines.read_line(&mut text).unwrap() == 0 {
                let status = child.wait().unwrap();
                let err = fs::read_to_string(&errors).unwrap_or_default();
                panic!("{shell} ended ({status}) before its script did: {text}\n{err}");
            }
        }
        LiveShell { child, said: Said::parse(&text) }
    }

    fn shell_command(&self, shell: &str, script: &str, extra: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(shell);
        let prelude = match shell {
            "bash" => {
                "prompt() { eval \"$PROMPT_COMMAND\"; }\nsay() { printf '@%s=%s\\n' \"$1\" \"$2\"; }\n"
            }
            "zsh" => {
                "prompt() { local f; for f in $precmd_functions; do $f; done; }\nsay() { printf '@%s=%s\\n' \"$1\" \"$2\"; }\n"
            }
            _ => {
                "function prompt; emit fish_prompt; end\nfunction say; printf '@%s=%s\\n' $argv[1] \"$argv[2]\"; end\n"
            }
        };
        let script = format!("{prelude}{script}");
        match shell {
            "bash" => cmd.args(["--noprofile", "--norc", "-c", &script]),
            "zsh" => cmd.args(["--no-rcs", "-c", &script]),
            _ => cmd.args(["--no-config", "--private", "-c", &script]),
        };
        self.env(&mut cmd);
        cmd.env("VAULT", vault_bin())
            .env("PROJ", &self.proj)
            .env("OUT", self.out.path())
            .env("PY", common::python());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    }

    fn file(&self, name: &str) -> String {
        fs::read_to_string(self.out.path().join(name)).unwrap_or_default()
    }

    /// The profile's cached session, as `vault export` reads it.
    fn session(&self, profile: &str) -> serde_json::Value {
        let out = self.vault(&["export", "--format", "json", profile]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    }
}

/// A shell kept running by [`Fixture::live_shell`].
struct LiveShell {
    child: Child,
    said: Said,
}

impl LiveShell {
    /// Closes the shell's stdin, so its last `read` ends it, and waits.
    fn exit(mut self) {
        drop(self.child.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the shell failed: {status}");
    }
}

impl Drop for LiveShell {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// The `@name=value` lines a script printed (the last value of each name).
struct Said(BTreeMap<String, String>);

impl Said {
    fn parse(text: &str) -> Self {
        Self(
            text.lines()
                .filter_map(|l| l.strip_prefix('@')?.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> &str {
        self.0.get(name).unwrap_or_else(|| panic!("the script said no {name}: {:?}", self.0))
    }
}

/// `GET /` at a keyless shell's URI with `token`: (status, body).
fn get(url: &str, token: &str) -> (u16, String) {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let (status, _, body) = http(addr.parse().unwrap(), "GET", "/", &[("Authorization", token)]);
    (status, body)
}

fn key_of(body: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body}"));
    json["AccessKeyId"].as_str().unwrap().to_owned()
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// boto3 from the test venv: how it found credentials, and its key id.
const BOTO3: &str = "import boto3; s = boto3.session.Session(); s.client('sts').get_caller_identity(); c = s.get_credentials(); print(c.method, c.get_frozen_credentials().access_key)";

/// The HTTP status a keyless shell's URI ($1) gives for a token ($2), from
/// inside a script.
const GET_STATUS: &str = "import sys, urllib.request as u, urllib.error as e
r = u.Request(sys.argv[1], headers={'Authorization': sys.argv[2]})
try: print(u.urlopen(r).status)
except e.HTTPError as x: print(x.code)";

const POSIX: &str = r#"
export AWS_ACCESS_KEY_ID=AKIAUSERSOWNKEY AWS_SECRET_ACCESS_KEY=users-own-secret
eval "$("$VAULT" hook SHELL HOOKFLAGS)"
cd "$PROJ"; prompt
say uri "${AWS_CONTAINER_CREDENTIALS_FULL_URI-}"
say token "${AWS_CONTAINER_AUTHORIZATION_TOKEN-}"
say profile "${VAULT_PROFILE-}"
say region "${AWS_REGION-}"
env > "$OUT/env"
aws sts get-caller-identity --query Arn --output text > "$OUT/cli" 2>&1; say cli $?
"$PY" -c "$BOTO3" > "$OUT/boto3" 2>&1; say boto3 $?
vault status > "$OUT/status" 2>&1
vault exec work -- aws sts get-caller-identity --query Arn --output text > "$OUT/exec" 2>&1; say exec $?
uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI tok=$AWS_CONTAINER_AUTHORIZATION_TOKEN
cd "$HOME"; prompt
say left_status "$("$PY" -c "$GET_STATUS" "$uri" "$tok")"
say left_key "${AWS_ACCESS_KEY_ID-<unset>}"
say left_secret "${AWS_SECRET_ACCESS_KEY-<unset>}"
say left_uri "${AWS_CONTAINER_CREDENTIALS_FULL_URI-<unset>}"
"#;

const FISH: &str = r#"
set -gx AWS_ACCESS_KEY_ID AKIAUSERSOWNKEY; set -gx AWS_SECRET_ACCESS_KEY users-own-secret
$VAULT hook fish HOOKFLAGS | source
cd $PROJ; prompt
say uri "$AWS_CONTAINER_CREDENTIALS_FULL_URI"
say token "$AWS_CONTAINER_AUTHORIZATION_TOKEN"
say profile "$VAULT_PROFILE"
say region "$AWS_REGION"
env > $OUT/env
aws sts get-caller-identity --query Arn --output text > $OUT/cli 2>&1; say cli $status
$PY -c "$BOTO3" > $OUT/boto3 2>&1; say boto3 $status
vault status > $OUT/status 2>&1
vault exec work -- aws sts get-caller-identity --query Arn --output text > $OUT/exec 2>&1; say exec $status
set uri $AWS_CONTAINER_CREDENTIALS_FULL_URI; set tok $AWS_CONTAINER_AUTHORIZATION_TOKEN
cd $HOME; prompt
say left_status ($PY -c "$GET_STATUS" $uri $tok)
set -q AWS_ACCESS_KEY_ID; and say left_key "$AWS_ACCESS_KEY_ID"; or say left_key '<unset>'
set -q AWS_SECRET_ACCESS_KEY; and say left_secret "$AWS_SECRET_ACCESS_KEY"; or say left_secret '<unset>'
set -q AWS_CONTAINER_CREDENTIALS_FULL_URI; and say left_uri x; or say left_uri '<unset>'
"#;

/// Enter, use the aws CLI, boto3 and `vault exec`, leave: in `shell`, with
/// the mode given by `flags` (`--mode server`) or the setting.
fn check_shell(shell: &str, flags: &str, setting: &[(&str, &str)]) {
    if !peers::require_peer(shell) {
        return;
    }
    let f = fixture("");
    let script = if shell == "fish" { FISH } else { POSIX };
    let script = script.replace("SHELL", shell).replace("HOOKFLAGS", flags);
    let mut extra = vec![("BOTO3", BOTO3), ("GET_STATUS", GET_STATUS)];
    extra.extend_from_slice(setting);
    let (out, said) = f.shell(shell, &script, &extra);
    let err = stderr(&out);
    assert!(out.status.success(), "{shell}: {err}\n{}", stdout(&out));

    // Where the credentials are, for this shell's profile; no keys.
    assert!(said.get("uri").starts_with("http://127.0.0.1:"), "{shell}: {:?}", said.0);
    assert_eq!(said.get("token").len(), 40, "{shell}");
    assert_eq!((said.get("profile"), said.get("region")), ("work", "eu-west-1"), "{shell}");
    let session = f.session("work");
    let session_key = session["AccessKeyId"].as_str().unwrap();
    let session_secret = session["SecretAccessKey"].as_str().unwrap();
    let env = f.file("env");
    // The shell's environment as its children see it (not an empty file).
    assert!(
        env.lines().any(|l| l == format!("AWS_CONTAINER_CREDENTIALS_FULL_URI={}", said.get("uri"))),
        "{shell}: env:\n{env}"
    );
    for name in ["AWS_SECRET_ACCESS_KEY=", "AWS_ACCESS_KEY_ID=", "AWS_SESSION_TOKEN="] {
        assert!(!env.lines().any(|l| l.starts_with(name)), "{shell}: {name} in env:\n{env}");
    }
    for secret in [SECRET, session_secret, "users-own-secret"] {
        assert!(!env.contains(secret), "{shell}: a secret in env");
    }
    for secret in [SECRET, session_secret] {
        assert!(!stdout(&out).contains(secret) && !err.contains(secret), "{shell}: leaked");
    }

    // The aws CLI and boto3 got the session's credentials from the agent.
    assert_eq!(said.get("cli"), "0", "{shell}: {}", f.file("cli"));
    assert!(f.file("cli").contains("arn:aws:sts::"), "{shell}: {}", f.file("cli"));
    assert_eq!(said.get("boto3"), "0", "{shell}: {}", f.file("boto3"));
    assert_eq!(f.file("boto3").trim(), format!("container-role {session_key}"), "{shell}");
    let callers: Vec<Option<String>> = f
        .moto
        .requests()
        .into_iter()
        .filter(|r| r.action == "GetCallerIdentity")
        .map(|r| r.access_key_id)
        .collect();
    assert!(callers.len() >= 3, "{shell}: {callers:?}");
    assert!(
        callers[..2].iter().all(|k| k.as_deref() == Some(session_key)),
        "{shell}: the CLI and boto3 signed with the served session: {callers:?}"
    );
    assert_eq!(f.moto.count("GetSessionToken"), 1, "{shell}: the agent reused the hook's session");

    // `vault status` says it, and which tools will not find the credentials.
    let status = f.file("status");
    assert!(status.contains("served:  by the agent at http://127.0.0.1:"), "{shell}: {status}");
    assert!(status.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI get them"), "{status}");
    assert!(status.contains("curl --aws-sigv4"), "{status}");
    // `vault exec` from the keyless shell still works.
    assert_eq!(said.get("exec"), "0", "{shell}: {}", f.file("exec"));
    assert!(f.file("exec").contains("arn:aws:sts::"), "{shell}: {}", f.file("exec"));

    // Leaving gives back the user's own keys and ends the token (checked
    // from the shell: its exit would end it too).
    assert_eq!(said.get("left_status"), "403", "{shell}: the token outlived leaving");
    assert_eq!(said.get("left_key"), "AKIAUSERSOWNKEY", "{shell}");
    assert_eq!(said.get("left_secret"), "users-own-secret", "{shell}");
    assert_eq!(said.get("left_uri"), "<unset>", "{shell}");
    let (status, body) = get(said.get("uri"), said.get("token"));
    assert_eq!(status, 403, "{shell}: {body}");
    assert!(!body.contains(session_key), "{shell}: {body}");
}

#[test]
fn bash_enters_keyless_with_the_setting() {
    check_shell("bash", "", &[("VAULT_HOOK_MODE", "server")]);
}

#[test]
fn zsh_enters_keyless_with_the_flag() {
    check_shell("zsh", "--mode server", &[]);
}

#[test]
fn fish_enters_keyless_with_the_flag() {
    check_shell("fish", "--mode server", &[]);
}

#[test]
fn tokens_are_per_profile_and_end_with_unuse_lock_and_the_timeout() {
    // moto gives every session the same key id, but each AssumeRole its
    // own: `ops` (a role) and `work` (a session) tell apart by key id.
    let mut f = fixture(&format!(
        "[profile ops]\nregion = us-west-2\nsource_profile = work\nrole_arn = {ROLE}\n"
    ));
    f.start_agent();
    let hook = r#"eval "$("$VAULT" hook bash --mode server)""#;
    // One shell in the project (work), another on `ops` by hand: both
    // tokens live at once, in the same agent.
    let enter = format!(
        "{hook}\ncd \"$PROJ\"; prompt\nsay uri \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\"\nsay token \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\""
    );
    let work_shell = f.live_shell("bash", &enter, &[]);
    let work = &work_shell.said;
    let script = format!(
        "{hook}\nvault use ops 2>/dev/null\nsay uri \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\"\n\
         say token \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"\n\
         \"$VAULT\" export --format json ops > \"$OUT/ops\"\n\
         \"$PY\" -c 'import sys,urllib.request as u; r=u.Request(sys.argv[1], headers={{\"Authorization\": sys.argv[2]}}); print(u.urlopen(r).read().decode())' \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\" > \"$OUT/served\"\n\
         vault unuse 2>/dev/null\nsay after_unuse \"${{AWS_CONTAINER_AUTHORIZATION_TOKEN-<unset>}}\""
    );
    let (out, ops) = f.shell("bash", &script, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(work.get("uri"), ops.get("uri"), "one endpoint for all shells");
    assert_ne!(work.get("token"), ops.get("token"), "a token per shell");
    assert_eq!(ops.get("after_unuse"), "<unset>");

    let work_key = f.session("work")["AccessKeyId"].as_str().unwrap().to_owned();
    let ops_key: serde_json::Value = serde_json::from_str(&f.file("ops")).unwrap();
    let ops_key = ops_key["AccessKeyId"].as_str().unwrap().to_owned();
    assert_ne!(work_key, ops_key);
    // While `ops` was in use, its token got ops' credentials only.
    assert_eq!(key_of(&f.file("served")), ops_key);
    let (status, body) = get(work.get("uri"), work.get("token"));
    assert_eq!((status, key_of(&body)), (200, work_key.clone()), "work's token: work only");

    // `unuse` ended ops' token; a wrong one never worked.
    let (status, body) = get(ops.get("uri"), ops.get("token"));
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("vault reload"), "{body}");
    for wrong in ["", "nope", &work.get("token").to_lowercase(), &format!("{}x", work.get("token"))]
    {
        let (status, body) = get(work.get("uri"), wrong);
        assert_eq!(status, 403, "{wrong:?}: {body}");
        assert!(!body.contains(&work_key), "{body}");
    }
    assert_eq!(get(work.get("uri"), work.get("token")).0, 200, "still live");

    // One shell holding a token: a reload keeps it (what the shell started
    // before keeps working), a switch to another profile gets a new one for
    // that profile only, and the one it replaced ends. (Mutation testing:
    // nothing checked that the agent keeps a token only for its profile.)
    let serve_get = "\"$PY\" -c 'import sys,urllib.request as u; r=u.Request(sys.argv[1], headers={\"Authorization\": sys.argv[2]}); print(u.urlopen(r).read().decode())' \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"";
    let script = format!(
        "{hook}\ncd \"$PROJ\"; prompt\nsay entered \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"\n\
         vault reload 2>/dev/null\nsay reloaded \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"\n\
         vault use ops 2>/dev/null\nsay switched \"$AWS_CONTAINER_AUTHORIZATION_TOKEN\"\n\
         {serve_get} > \"$OUT/switched\""
    );
    let (out, one) = f.shell("bash", &script, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(one.get("reloaded"), one.get("entered"), "a reload keeps the shell's token");
    assert_ne!(one.get("switched"), one.get("entered"), "another profile, another token");
    assert_eq!(key_of(&f.file("switched")), ops_key, "the new token gets ops' credentials");
    assert_eq!(get(work.get("uri"), one.get("entered")).0, 403, "the replaced token ended");

    // `vault lock` ends every token.
    let out = f.vault(&["lock"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(get(work.get("uri"), work.get("token")).0, 403, "the token outlived `vault lock`");

    work_shell.exit();

    // The agent's timeout too, while the shell still runs.
    let short_shell = f.live_shell("bash", &enter, &[("VAULT_AGENT_TIMEOUT", "4s")]);
    let short = &short_shell.said;
    assert_eq!(get(short.get("uri"), short.get("token")).0, 200);
    std::thread::sleep(Duration::from_millis(4600));
    assert_eq!(get(short.get("uri"), short.get("token")).0, 403, "the token outlived the timeout");
    short_shell.exit();
}

#[test]
fn a_token_ends_when_its_shell_exits() {
    let mut f = fixture("");
    f.start_agent();
    let script = r#"eval "$("$VAULT" hook bash --mode server)"; cd "$PROJ"; prompt
say uri "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; say token "$AWS_CONTAINER_AUTHORIZATION_TOKEN""#;
    let shell = f.live_shell("bash", script, &[]);
    let (uri, token) = (shell.said.get("uri").to_owned(), shell.said.get("token").to_owned());
    let other = f.live_shell("bash", script, &[]);
    assert_eq!(get(&uri, &token).0, 200);
    shell.exit();
    // The agent looks at its shells ten times a second.
    wait_for(|| get(&uri, &token).0 == 403, "the token to end with its shell");
    let (status, body) = get(&uri, &token);
    assert!(body.contains("vault reload"), "{status} {body}");
    let (ouri, otoken) = (other.said.get("uri"), other.said.get("token"));
    assert_eq!(get(ouri, otoken).0, 200, "another shell's token lives on");
    other.exit();
}

#[test]
fn switching_the_mode_in_a_live_shell_swaps_token_for_keys_and_back() {
    let f = fixture("");
    let script = r#"
eval "$("$VAULT" hook bash)"
export VAULT_HOOK_MODE=server
cd "$PROJ"; prompt
say uri "$AWS_CONTAINER_CREDENTIALS_FULL_URI"
say token "$AWS_CONTAINER_AUTHORIZATION_TOKEN"
uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI tok=$AWS_CONTAINER_AUTHORIZATION_TOKEN
export VAULT_HOOK_MODE=keys
vault reload 2>/dev/null
say keys_status "$("$PY" -c "$GET_STATUS" "$uri" "$tok")"
say key "${AWS_ACCESS_KEY_ID-<unset>}"
say keys_uri "${AWS_CONTAINER_CREDENTIALS_FULL_URI-<unset>}"
export VAULT_HOOK_MODE=bogus
vault reload 2> "$OUT/bogus"; say bogus $?
"#;
    let (out, said) = f.shell("bash", script, &[("GET_STATUS", GET_STATUS)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let session = f.session("work");
    assert_eq!(said.get("key"), session["AccessKeyId"].as_str().unwrap(), "{:?}", said.0);
    assert_eq!(said.get("keys_uri"), "<unset>");
    assert_eq!(said.get("keys_status"), "403", "keys mode ended the token");
    assert_eq!(said.get("bogus"), "1");
    let bogus = f.file("bogus");
    assert!(bogus.starts_with("vault: ") && bogus.contains("VAULT_HOOK_MODE=\"bogus\""), "{bogus}");
    assert_eq!(bogus.lines().count(), 1, "{bogus}");
}

#[test]
fn another_user_is_refused_even_with_the_token() {
    if !peers::require_peer("setpriv") {
        return;
    }
    let mut f = fixture("");
    f.start_agent();
    let script = r#"eval "$("$VAULT" hook bash --mode server)"; cd "$PROJ"; prompt
say uri "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; say token "$AWS_CONTAINER_AUTHORIZATION_TOKEN""#;
    let shell = f.live_shell("bash", script, &[]);
    let (uri, token) = (shell.said.get("uri"), shell.said.get("token"));
    // The same request as nobody, through bash's /dev/tcp: the token leaked
    // to another account is not enough.
    let request = r#"addr=${URI#http://}; exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}"
printf 'GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nConnection: close\r\n\r\n' "$addr" "$TOKEN" >&3
cat <&3"#;
    let as_nobody = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "bash", "-c", request])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("URI", uri)
        .env("TOKEN", token)
        .current_dir("/")
        .output()
        .unwrap();
    let text = stdout(&as_nobody);
    assert!(text.starts_with("HTTP/1.1 403"), "nobody was served: {text} {}", stderr(&as_nobody));
    assert!(text.contains("only the processes of its own user"), "{text}");
    assert!(!text.contains("AccessKeyId"), "{text}");
    // The same token from the agent's user still works.
    assert_eq!(get(uri, token).0, 200);
    drop(shell);
}

#[test]
fn a_command_running_across_the_expiry_keeps_working() {
    // A role assumed straight from the keys (no MFA): 8-second credentials
    // with a 4-second minimum TTL, so the agent renews every ~4 s while one
    // boto3 process keeps calling STS for 11 s, with no prompt in between.
    let f = fixture(&format!(
        "[profile deploy]\nregion = us-east-1\nsource_profile = home\nrole_arn = {ROLE}\n\
         duration_seconds = 8\n"
    ));
    fs::write(f.proj.join(".awsprofile"), "deploy\n").unwrap();
    let out = f.vault(&["allow", f.proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let job = common::support_dir().join("boto3_across_expiry.py");
    let script = r#"eval "$("$VAULT" hook bash --mode server)"; cd "$PROJ"; prompt
"$PY" "$JOB" > "$OUT/job" 2>&1; say job $?"#;
    let job = job.to_str().unwrap();
    let (out, said) = f.shell("bash", script, &[("JOB", job), ("AWS_MIN_TTL", "4s")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(said.get("job"), "0", "{}", f.file("job"));
    let got: serde_json::Value = serde_json::from_str(f.file("job").trim()).unwrap();
    assert_eq!(got["errors"], serde_json::json!([]), "the job kept working: {got}");
    assert!(got["calls"].as_u64().unwrap() > 30, "{got}");
    let keys = got["keys"].as_array().unwrap().len();
    assert!(keys >= 2, "the credentials were renewed under the running job: {got}");
    let assumed = f.moto.count("AssumeRole");
    assert!((2..=5).contains(&assumed), "one STS call per renewal, got {assumed}: {got}");
    for call in f.moto.requests().iter().filter(|r| r.action == "AssumeRole") {
        assert_eq!(call.param("DurationSeconds"), Some("8"));
    }
}

#[test]
fn a_renewal_that_needs_an_mfa_code_tells_the_sdk_what_to_do() {
    // 16-second MFA sessions (room for the shell and the aws CLI to start on
    // a loaded machine), renewed 4 s before they end: the agent cannot
    // ask for the code, so once the session the hook cached is gone the SDK
    // gets a 502 saying what is missing and where to give it.
    let f = fixture(
        "[profile mfa]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
    );
    let short = [("AWS_SESSION_TOKEN_TTL", "16s"), ("AWS_MIN_TTL", "4s")];
    f.t.add_keys("mfa", KEY_ID, SECRET);
    // The code the hook would ask on the terminal, given here instead.
    let out = f.vault(&["export", "--mfa-token", "123456", "mfa"]).envs(short).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    fs::write(f.proj.join(".awsprofile"), "mfa\n").unwrap();
    let out = f.vault(&["allow", f.proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let script = r#"eval "$("$VAULT" hook bash --mode server)"; cd "$PROJ"; prompt
aws sts get-caller-identity --query Arn --output text > "$OUT/before" 2>&1; say before $?
sleep 17
aws sts get-caller-identity --query Arn --output text > "$OUT/after" 2>&1; say after $?"#;
    let (out, said) = f.shell("bash", script, &short);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(said.get("before"), "0", "{}", f.file("before"));
    assert_ne!(said.get("after"), "0", "{}", f.file("after"));
    let after = f.file("after");
    assert!(after.contains("502") && after.contains("needs an MFA code"), "{after}");
    assert!(after.contains("`vault reload` there asks for it"), "{after}");
    assert!(!after.contains(SECRET), "{after}");
    assert_eq!(f.moto.count("GetSessionToken"), 1, "nothing asked without a code");
}

/// `vault lock` ends every token, but an agent started on demand stays up
/// while a shell that held one runs: the shell still names its port, which
/// another user would otherwise bind to receive the token and serve their
/// own credentials. A command with the old token gets the 403 that says
/// what to do, and `vault status` says the token has ended.
#[test]
fn after_lock_the_port_stays_the_agents_while_the_shell_runs() {
    let Some(user) = common::other_user::OtherUser::create() else { return };
    let f = fixture("");
    let script = r#"eval "$("$VAULT" hook bash --mode server)"; cd "$PROJ"; prompt
uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI tok=$AWS_CONTAINER_AUTHORIZATION_TOKEN
say uri "$uri"; say token "$tok"
say before "$("$PY" -c "$GET_STATUS" "$uri" "$tok")"
"$VAULT" lock > "$OUT/lock" 2>&1
vault status > "$OUT/status" 2>&1
say after "$("$PY" -c "$GET_STATUS" "$uri" "$tok" 2>&1)"
addr=${uri#http://}; addr=${addr%/}
$SETPRIV python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "${addr##*:}" > "$OUT/bind" 2>&1
say bind $?"#;
    let shell =
        f.live_shell("bash", script, &[("GET_STATUS", GET_STATUS), ("SETPRIV", &user.setpriv())]);
    let said = &shell.said;
    assert_eq!(said.get("before"), "200");
    assert!(f.file("lock").contains("locked"), "{}", f.file("lock"));
    assert_eq!(said.get("after"), "403", "the port was given up at `vault lock`");
    let (status, body) = get(said.get("uri"), said.get("token"));
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("vault reload"), "{body}");
    assert_ne!(said.get("bind"), "0", "another user bound the port: {}", f.file("bind"));
    assert!(f.file("bind").contains("Address already in use"), "{}", f.file("bind"));
    let status = f.file("status");
    assert!(status.contains("no more") && status.contains("`vault reload`"), "{status}");
    assert!(!status.contains("which renews them"), "{status}");
    assert!(status.contains("store:   locked"), "{status}");
    shell.exit();
}
