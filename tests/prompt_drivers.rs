//! The `--prompt` drivers with their real programs: zenity and kdialog
//! dialogs on an Xvfb display, answered (or cancelled) by xdotool the way a
//! person would, with the MFA code going to moto's STS; `pass otp` with a
//! throwaway gpg key and TOTP secret; ykman through a stand-in script,
//! since no YubiKey can be attached here; and the fallback to a dialog
//! when vault has no terminal.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::pass::PassStore;
use common::peers::require_peer;
use common::{TempHome, assert_one_line_error, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTPROMPTKEY01";
const SECRET: &str = "vaultPromptSecretKey/0001+abcdefghijklmno";
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";
/// The MFA dialog's title: it names the profile.
const MFA_TITLE: &str = "MFA code for profile \"home\"";

/// An Xvfb display; killed when dropped.
struct Display {
    child: Child,
    name: String,
}

impl Display {
    fn start() -> Self {
        // `-displayfd 1`: Xvfb picks a free display and prints its number
        // once it accepts clients.
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "800x600x24"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb");
        let mut out = child.stdout.take().unwrap();
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        assert!(!number.is_empty(), "Xvfb printed no display number");
        Self { child, name: format!(":{}", number.trim()) }
    }

    fn xdotool(&self, args: &[&str]) -> Output {
        Command::new("xdotool").env("DISPLAY", &self.name).args(args).output().unwrap()
    }

    /// Waits for a visible window whose title matches `title`, focuses it
    /// and presses `keys` as a person would: types `text`, then `key`.
    fn answer(&self, title: &str, text: &str, key: &str) {
        let started = Instant::now();
        let window = loop {
            let out = self.xdotool(&["search", "--onlyvisible", "--name", title]);
            if let Some(id) = stdout(&out).lines().next() {
                break id.to_owned();
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no window titled {title:?}");
            thread::sleep(Duration::from_millis(200));
        };
        // Toolkits ignore keys sent before the window is mapped and focused.
        thread::sleep(Duration::from_millis(500));
        assert!(self.xdotool(&["windowfocus", "--sync", &window]).status.success());
        if !text.is_empty() {
            assert!(self.xdotool(&["type", "--delay", "30", text]).status.success());
        }
        assert!(self.xdotool(&["key", key]).status.success());
        // Gone before the next question, so that is not answered here.
        while stdout(&self.xdotool(&["search", "--onlyvisible", "--name", title]))
            .lines()
            .any(|id| id == window)
        {
            assert!(started.elapsed() < Duration::from_secs(90), "{title:?} stayed open");
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn require_x(dialog: &str) -> bool {
    require_peer("Xvfb") && require_peer("xdotool") && require_peer(dialog)
}

fn setup(config: &str) -> TempHome {
    let t = TempHome::with_config(config);
    t.add_keys("home", KEY_ID, SECRET);
    t
}

fn mfa_home() -> TempHome {
    setup(&format!("[profile home]\nmfa_serial = {MFA}\n"))
}

/// Runs `cmd` while `answer` plays the person at the display.
fn run_answered(mut cmd: Command, answer: impl FnOnce() + Send) -> Output {
    cmd.stdin(Stdio::null());
    thread::scope(|s| {
        let person = s.spawn(answer);
        let out = cmd.output().unwrap();
        person.join().expect("the answering thread failed");
        out
    })
}

/// STS got one of `codes` (moto logs only its digest) for the test's MFA device.
fn assert_code_sent(moto: &Moto, codes: &[&str]) {
    let call = moto.requests().into_iter().find(|r| r.action == "GetSessionToken");
    let call = call.expect("a GetSessionToken call");
    assert_eq!(call.param("SerialNumber"), Some(MFA));
    assert_eq!(call.redacted, ["TokenCode"]);
    assert!(
        codes.iter().any(|code| call.sent_secret("TokenCode", code)),
        "STS got another code than {codes:?}"
    );
}

/// The GUI drivers read the whole environment: only what a test sets.
fn vault_on(t: &TempHome, moto: &Moto, display: &Display) -> Command {
    let mut cmd = t.vault();
    cmd.env("AWS_ENDPOINT_URL", moto.url()).env("DISPLAY", &display.name);
    cmd
}

#[test]
fn zenity_asks_for_the_mfa_code_and_sts_gets_it() {
    if !require_x("zenity") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.args(["--prompt", "zenity", "export", "--format=json", "home"]);
    let out = run_answered(cmd, || display.answer(MFA_TITLE, "123456", "Return"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("SessionToken"));
    assert_code_sent(&moto, &["123456"]);
}

/// An empty answer (OK without a code) and `abc` are not codes: the dialog
/// asks again, and STS gets only the third answer.
#[test]
fn a_zenity_answer_that_is_not_a_code_is_asked_again() {
    if !require_x("zenity") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.args(["--prompt", "zenity", "export", "--format=json", "home"]);
    let out = run_answered(cmd, || {
        display.answer(MFA_TITLE, "", "Return");
        display.answer(MFA_TITLE, "abc", "Return");
        display.answer(MFA_TITLE, "135790", "Return");
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_code_sent(&moto, &["135790"]);
}

#[test]
fn cancel_in_the_zenity_dialog_is_a_clean_cancel() {
    if !require_x("zenity") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let before = t.key_files();
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.args(["--prompt", "zenity", "export", "home"]);
    let out = run_answered(cmd, || display.answer(MFA_TITLE, "", "Escape"));
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_one_line_error(&out, "cancelled at the MFA code prompt");
    assert_eq!(moto.count("GetSessionToken"), 0);
    assert_eq!(t.key_files(), before, "nothing may change");
}

/// kdialog asks the file store's passphrase too: both answered in dialogs.
#[test]
fn kdialog_asks_for_the_passphrase_and_the_mfa_code() {
    if !require_x("kdialog") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.env_remove("AWS_VAULT_FILE_PASSPHRASE").env("XDG_RUNTIME_DIR", &t.home);
    cmd.args(["--prompt", "kdialog", "export", "--format=json", "home"]);
    let out = run_answered(cmd, || {
        display.answer("file store passphrase", common::PASSPHRASE, "Return");
        display.answer(MFA_TITLE, "654321", "Return");
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &["654321"]);
}

#[test]
fn cancel_in_the_kdialog_dialog_is_a_clean_cancel() {
    if !require_x("kdialog") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.env("XDG_RUNTIME_DIR", &t.home);
    cmd.args(["--prompt", "kdialog", "export", "home"]);
    let out = run_answered(cmd, || display.answer(MFA_TITLE, "", "Escape"));
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_one_line_error(&out, "cancelled at the MFA code prompt");
    assert_eq!(moto.count("GetSessionToken"), 0);
}

/// A credential server's renewal that needs a new MFA code asks through a
/// driver that needs no terminal, while the command owns the terminal.
#[test]
fn a_server_renewal_asks_for_the_code_in_a_dialog() {
    if !require_x("zenity") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    // 4-second sessions: when the command asks after 4.5 s, the server must
    // renew, with a new code.
    let script = r#"
import os, time, urllib.request
time.sleep(4.5)
req = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
    headers={"Authorization": os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]})
urllib.request.urlopen(req)
print("SERVED")
"#;
    let mut cmd = vault_on(&t, &moto, &display);
    cmd.args(["--prompt", "zenity", "exec", "--ecs-server", "-d", "4s", "home", "--"]).args([
        common::python().as_str(),
        "-c",
        script,
    ]);
    let out = run_answered(cmd, || {
        display.answer(MFA_TITLE, "111111", "Return");
        display.answer(MFA_TITLE, "222222", "Return");
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "SERVED");
    assert!(!stderr(&out).contains("needs a new MFA code"), "no warning: {}", stderr(&out));
    assert_eq!(moto.count("GetSessionToken"), 2);
}

/// `setsid`: vault runs without a controlling terminal, as under an
/// editor's `credential_process`; same environment as [`TempHome::vault`].
fn without_terminal(t: &TempHome) -> Command {
    let plain = t.vault();
    let mut cmd = Command::new("setsid");
    cmd.arg("-w").arg(plain.get_program()).env_clear().current_dir(&t.home);
    for (k, v) in plain.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd
}

#[test]
fn without_a_terminal_a_dialog_asks_when_a_display_is_there() {
    if !require_x("zenity") {
        return;
    }
    let (moto, display, t) = (Moto::start(), Display::start(), mfa_home());
    let mut cmd = without_terminal(&t);
    cmd.env("AWS_ENDPOINT_URL", moto.url()).env("DISPLAY", &display.name);
    cmd.args(["export", "--format=json", "home"]);
    let out = run_answered(cmd, || display.answer(MFA_TITLE, "123456", "Return"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &["123456"]);
}

#[test]
fn without_a_terminal_or_a_display_the_error_names_the_ways_out() {
    let (moto, t) = (Moto::start(), mfa_home());
    let mut cmd = without_terminal(&t);
    cmd.env("AWS_ENDPOINT_URL", moto.url()).stdin(Stdio::null());
    let out = cmd.args(["export", "home"]).output().unwrap();
    let err = assert_one_line_error(&out, "--prompt");
    assert!(err.contains("mfa_process"), "{err}");
    assert_eq!(moto.count("GetSessionToken"), 0);
}

#[test]
fn a_dialog_driver_without_a_display_says_so() {
    let (moto, t) = (Moto::start(), mfa_home());
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["--prompt", "zenity", "export", "home"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "neither DISPLAY nor WAYLAND_DISPLAY is set");
}

// ykman: a stand-in on PATH (no YubiKey can be attached here)

/// A folder with a stand-in `ykman` that records its arguments, one per
/// line, and the two variables vault must never pass on, then prints a code.
fn fake_ykman(t: &TempHome) -> PathBuf {
    let bin = t.home.join("fake-bin");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join("ykman");
    let log = t.home.join("ykman.args");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n\
             echo \"passphrase=${{AWS_VAULT_FILE_PASSPHRASE-unset}} state=${{__VAULT_STATE-unset}}\" >> '{}'\n\
             echo 246810\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bin
}

fn path_with(dir: &Path) -> std::ffi::OsString {
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap()
}

/// Runs `vault --prompt ykman export home` in a fresh home with the
/// stand-in first on PATH; returns the arguments it recorded.
fn ykman_run(extra: &[(&str, &str)]) -> String {
    let (moto, t) = (Moto::start(), mfa_home());
    let bin = fake_ykman(&t);
    let mut cmd = t.vault();
    cmd.env("AWS_ENDPOINT_URL", moto.url()).env("PATH", path_with(&bin));
    cmd.env("__VAULT_STATE", "a hook state");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.args(["--prompt", "ykman", "export", "home"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &["246810"]);
    fs::read_to_string(t.home.join("ykman.args")).unwrap()
}

#[test]
fn ykman_is_asked_for_the_serials_account_or_the_named_one() {
    // The stand-in also proves the file store's passphrase and the hook's
    // state are not passed on.
    let args = ykman_run(&[]);
    assert_eq!(
        args,
        format!("oath\naccounts\ncode\n--single\n--\n{MFA}\npassphrase=unset state=unset\n")
    );
    // aws-vault's settings: another account name, one key among several,
    // and ykman 3's spelling.
    let args = ykman_run(&[
        ("YKMAN_OATH_CREDENTIAL_NAME", "aws:jon"),
        ("YKMAN_OATH_DEVICE_SERIAL", "7654321"),
        ("AWS_VAULT_YKMAN_VERSION", "3"),
    ]);
    assert_eq!(
        args,
        "--device\n7654321\noath\ncode\n--single\n--\naws:jon\npassphrase=unset state=unset\n"
    );
}

/// `rotate` asks through the driver too: its fresh MFA session gets the code
/// from (the stand-in) ykman.
#[test]
fn rotate_gets_its_mfa_code_from_the_driver() {
    let moto = Moto::start();
    let setup = ("AKIASETUPSETUPSETUP0", "setup-secret");
    let out = moto.aws(setup.0, setup.1, &["iam", "create-user", "--user-name", "rotator"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = moto.aws(setup.0, setup.1, &["iam", "create-access-key", "--user-name", "rotator"]);
    let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = TempHome::with_config(&format!("[profile work]\nmfa_serial = {MFA}\n"));
    t.add_keys(
        "work",
        key["AccessKey"]["AccessKeyId"].as_str().unwrap(),
        key["AccessKey"]["SecretAccessKey"].as_str().unwrap(),
    );
    let bin = fake_ykman(&t);
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("PATH", path_with(&bin))
        .args(["--prompt", "ykman", "rotate", "work"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &["246810"]);
    assert!(fs::read_to_string(t.home.join("ykman.args")).unwrap().contains(MFA));
    assert_eq!(moto.count("CreateAccessKey"), 2, "the setup's key and rotate's");
}

/// The shell hook asks through the driver: entering a trusted folder whose
/// profile needs MFA gets the code from (the stand-in) ykman.
#[test]
fn the_hook_gets_its_mfa_code_from_the_driver() {
    if !require_peer("bash") {
        return;
    }
    let (moto, t) = (Moto::start(), mfa_home());
    let bin = fake_ykman(&t);
    let proj = t.home.join("proj");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join(".awsprofile"), "home\n").unwrap();
    let script = r#"
eval "$("$VAULT" hook bash)"
cd "$PROJ" && vault allow >/dev/null 2>&1
eval "$PROMPT_COMMAND"
printf 'session=%s\n' "${AWS_SESSION_TOKEN:+set}"
"#;
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", script])
        .env_clear()
        .env("PATH", path_with(&bin))
        .env("HOME", &t.home)
        .env("XDG_DATA_HOME", t.home.join(".local/share"))
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_VAULT_PROMPT", "ykman")
        .env("VAULT", common::vault_bin())
        .env("PROJ", &proj)
        .current_dir(&t.home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "session=set", "{}", stderr(&out));
    assert_code_sent(&moto, &["246810"]);
    let args = fs::read_to_string(t.home.join("ykman.args")).unwrap();
    assert!(args.contains(MFA) && args.ends_with("passphrase=unset state=unset\n"), "{args}");
}

#[test]
fn a_missing_ykman_is_one_line_naming_it() {
    let (moto, t) = (Moto::start(), mfa_home());
    let empty = t.home.join("empty-bin");
    fs::create_dir_all(&empty).unwrap();
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("PATH", &empty)
        .args(["--prompt", "ykman", "export", "home"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "ykman program, which is not on PATH");
    assert_eq!(moto.count("GetSessionToken"), 0);
}

#[test]
fn osascript_is_accepted_and_refused_on_this_system() {
    let (moto, t) = (Moto::start(), mfa_home());
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_VAULT_PROMPT", "osascript")
        .args(["export", "home"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "the osascript prompt driver is not available on this system");
}

// pass: the real pass-otp extension with a throwaway gpg key

/// A TOTP secret (base32) for a throwaway entry.
const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";

/// A password store (tests/common/pass.rs) holding the TOTP secret as a
/// pass-otp entry under `entry`.
fn otp_store(t: &TempHome, entry: &str) -> PassStore {
    let store = PassStore::new(t);
    let uri = format!("otpauth://totp/aws:jonsmith?secret={TOTP_SECRET}&issuer=aws\n");
    let mut insert = store.tool("pass");
    insert.args(["otp", "insert", entry]).stdin(Stdio::piped());
    let mut child = insert.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), uri.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pass otp insert: {}", stderr(&out));
    store
}

fn require_pass_otp() -> bool {
    require_peer("pass") && require_peer("gpg") && require_peer("oathtool") && {
        // The extension is a file pass loads, not a program on PATH.
        let ext = Path::new("/usr/lib/password-store/extensions/otp.bash");
        ext.exists()
            || common::peers::require_usable(
                Some("pass-otp is missing"),
                "apt-get install pass-extension-otp",
            )
    }
}

#[test]
fn pass_gives_the_code_of_the_entry_named_after_the_serial() {
    if !require_pass_otp() {
        return;
    }
    let (moto, t) = (Moto::start(), mfa_home());
    let otp = otp_store(&t, MFA);
    // The code pass-otp computes is the TOTP of the secret, as oathtool says
    // (checked within one 30 s step of each other).
    let from_pass = stdout(&otp.tool("pass").args(["otp", MFA]).output().unwrap());
    let expected = [totp("now"), totp("now - 30 seconds")];
    assert!(expected.contains(&from_pass.trim().to_owned()), "{from_pass} vs {expected:?}");

    let mut cmd = t.vault();
    cmd.env("AWS_ENDPOINT_URL", moto.url())
        .env("GNUPGHOME", &otp.gnupg)
        .env("PASSWORD_STORE_DIR", &otp.store);
    let before = totp("now");
    let out = cmd.args(["--prompt", "pass", "export", "home"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &[&before, &totp("now")]);
}

/// The TOTP code of the test secret at `offset` (oathtool's -N, e.g. "now").
fn totp(offset: &str) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", "-N", offset, TOTP_SECRET])
        .output()
        .unwrap();
    stdout(&out).trim().to_owned()
}

#[test]
fn pass_takes_the_entry_named_by_pass_oath_credential_name() {
    if !require_pass_otp() {
        return;
    }
    let (moto, t) = (Moto::start(), mfa_home());
    let otp = otp_store(&t, "totp/aws");
    let vault = |name: &str| {
        let mut cmd = t.vault();
        cmd.env("AWS_ENDPOINT_URL", moto.url())
            .env("GNUPGHOME", &otp.gnupg)
            .env("PASSWORD_STORE_DIR", &otp.store)
            .env("PASS_OATH_CREDENTIAL_NAME", name);
        cmd.args(["--prompt", "pass", "export", "home"]).output().unwrap()
    };
    // A name with no entry: pass fails, and nothing reaches STS.
    let out = vault("totp/missing");
    assert_one_line_error(&out, "PASS_OATH_CREDENTIAL_NAME");
    assert_eq!(moto.count("GetSessionToken"), 0);
    // A name that looks like an option is a name (`pass otp -- --help`):
    // were it an option, pass would print its usage, taken for a code.
    let out = vault("--help");
    assert_one_line_error(&out, "PASS_OATH_CREDENTIAL_NAME");
    assert_eq!(moto.count("GetSessionToken"), 0, "pass's usage went to STS as a code");
    let before = totp("now");
    let out = vault("totp/aws");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_code_sent(&moto, &[&before, &totp("now")]);
}
