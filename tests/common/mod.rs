//! Shared harness for the integration tests: an isolated HOME per test, the
//! `vault` binary run with a clean environment, and a pty driver for prompts.
#![allow(dead_code)] // each test binary uses a different part of the harness

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub mod http;
pub mod leak_scan;
pub mod moto;
pub mod other_user;
pub mod pass;
pub mod peers;
pub mod record;
pub mod sso;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// A throwaway home directory with its own ~/.aws/config and key store.
pub struct TempHome {
    _dir: TempDir,
    pub home: PathBuf,
}

impl TempHome {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("vault-test-").tempdir().unwrap();
        let home = dir.path().join("home");
        fs::create_dir(&home).unwrap();
        Self { _dir: dir, home }
    }

    pub fn with_config(text: &str) -> Self {
        let t = Self::new();
        t.write_config(text);
        t
    }

    pub fn config_path(&self) -> PathBuf {
        self.home.join(".aws").join("config")
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_path();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn read_config(&self) -> String {
        fs::read_to_string(self.config_path()).unwrap()
    }

    pub fn keys_dir(&self) -> PathBuf {
        self.home.join(".awsvault").join("keys")
    }

    /// Names of the files in the key store, sorted.
    pub fn key_files(&self) -> Vec<String> {
        let mut names: Vec<String> = match fs::read_dir(self.keys_dir()) {
            Ok(rd) => rd.map(|e| e.unwrap().file_name().into_string().unwrap()).collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// Stores long-term keys for `profile` with `vault add --env`, leaving the
    /// config file as it is; panics with vault's stderr if that fails.
    pub fn add_keys(&self, profile: &str, key_id: &str, secret: &str) {
        let out = self
            .vault()
            .args(["add", "--env", "--add-config=false", profile])
            .env("AWS_ACCESS_KEY_ID", key_id)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .output()
            .unwrap();
        assert!(out.status.success(), "vault add {profile}: {}", stderr(&out));
    }

    /// `vault` with only the variables a test chooses: no AWS_* from the
    /// machine running the tests can leak in.
    pub fn vault(&self) -> Command {
        let mut cmd = Command::new(vault_bin());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)
            .env(record::TEST_VAR, record::test_name())
            .current_dir(&self.home);
        cmd
    }

    /// [`TempHome::vault`] without the leak scan's recording wrapper, for
    /// tests of vault's own standard streams (a closed or broken stdout),
    /// which the wrapper's copy would stand between.
    pub fn vault_unrecorded(&self) -> Command {
        // The same environment as `vault()`, so the two never drift apart.
        let recorded = self.vault();
        let mut cmd = Command::new(record::real_vault());
        cmd.env_clear().current_dir(&self.home);
        for (key, value) in recorded.get_envs() {
            if let (Some(value), false) = (value, key == record::TEST_VAR) {
                cmd.env(key, value);
            }
        }
        cmd
    }

    /// Runs `vault ARGS` on a pseudo-terminal, answering prompts in order.
    pub fn vault_on_pty(&self, steps: &[(&str, &str)], args: &[&str]) -> PtyRun {
        self.vault_on_pty_env(steps, args, &[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
    }

    pub fn vault_on_pty_env(
        &self,
        steps: &[(&str, &str)],
        args: &[&str],
        env: &[(&str, &str)],
    ) -> PtyRun {
        let pairs: Vec<[&str; 2]> = steps.iter().map(|(a, b)| [*a, *b]).collect();
        let pairs = serde_json::to_string(&pairs).unwrap();
        let mut cmd = Command::new(python());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("TERM", "dumb")
            .env(record::TEST_VAR, record::test_name())
            .current_dir(&self.home)
            .arg(support_dir().join("pty_drive.py"))
            .arg(pairs)
            .arg("--")
            .arg(vault_bin())
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let run = PtyRun {
            code: out.status.code().unwrap_or(-1),
            transcript: String::from_utf8_lossy(&out.stdout).into_owned(),
        };
        record::record_pty(args, env, steps, &run.transcript);
        run
    }
}

pub struct PtyRun {
    pub code: i32,
    pub transcript: String,
}

/// The `vault` the tests run: the recording wrapper of tests/common/record.rs
/// around the binary cargo built (the secret-leak scan reads its records).
pub fn vault_bin() -> PathBuf {
    record::wrapper()
}

pub fn support_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("support")
}

/// The Python used for test peers: `$VAULT_TEST_PYTHON` (set by tests/run.sh
/// to a venv with the peers installed), else `python3`.
pub fn python() -> String {
    std::env::var("VAULT_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a failed run printed exactly one `vault: ...` line on stderr.
pub fn assert_one_line_error(out: &Output, needle: &str) -> String {
    assert!(!out.status.success(), "expected failure, got success: {}", stdout(out));
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "expected one error line, got: {err:?}");
    assert!(lines[0].starts_with("vault: "), "{err:?}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    err
}

impl TempHome {
    /// Runs a bash script with the same clean environment as [`TempHome::vault`].
    pub fn vault_shell(&self, script: &str) -> Output {
        Command::new("bash")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)
            .env(record::TEST_VAR, record::test_name())
            .current_dir(&self.home)
            .args(["-c", script])
            .output()
            .unwrap()
    }
}
