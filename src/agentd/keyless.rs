//! Keyless shells, the agent's side: which tokens live, for which profile
//! and until when, and the served credentials the tokens of one profile
//! share. The HTTP endpoint itself is `server::Endpoint`; the agent owns the
//! policy (a token per shell, ended by `Revoke`, the shell's exit, `vault
//! lock` and the timeout). The shell's hook has already made sure the profile's session
//! is cached, asking on its terminal; the agent never asks anyone.

use std::collections::{BTreeMap, HashMap};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use anyhow::{Result, anyhow};
use clap::ValueEnum as _;
use sha2::{Digest as _, Sha256};

use super::State;
use crate::agent::{Response, WireSettings};
use crate::context::{Context, Settings};
use crate::env::Env;
use crate::prompt::PromptDriver;
use crate::server::{Endpoint, Served, Started, Worker};
use crate::store::{Backend, StoreSettings};
use crate::sts::{CredentialOptions, PlanOptions};

fn value_name(value: &impl clap::ValueEnum) -> String {
    value.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default()
}

impl From<&Settings> for WireSettings {
    fn from(settings: &Settings) -> Self {
        let s = &settings.store;
        // The agent runs in another folder: relative paths must not move.
        // (`~` is expanded when the store opens, against the same HOME.)
        let absolute = |p: &Option<PathBuf>| {
            p.as_ref().map(|p| match p.starts_with("~") {
                true => p.clone(),
                false => std::path::absolute(p).unwrap_or_else(|_| p.clone()),
            })
        };
        Self {
            backend: value_name(&s.backend),
            file_dir: absolute(&s.file_dir),
            secret_service_collection: s.secret_service_collection.clone(),
            pass_dir: absolute(&s.pass_dir),
            pass_cmd: s.pass_cmd.clone(),
            pass_prefix: s.pass_prefix.clone(),
            prompt: settings.prompt.as_ref().map(value_name),
        }
    }
}

impl WireSettings {
    fn settings(&self) -> Result<Settings> {
        let backend = Backend::from_str(&self.backend, false).map_err(|e| anyhow!(e))?;
        let prompt = match &self.prompt {
            Some(name) => Some(PromptDriver::from_str(name, false).map_err(|e| anyhow!(e))?),
            None => None,
        };
        Ok(Settings {
            store: StoreSettings {
                backend,
                file_dir: self.file_dir.clone(),
                secret_service_collection: self.secret_service_collection.clone(),
                pass_dir: self.pass_dir.clone(),
                pass_cmd: self.pass_cmd.clone(),
                pass_prefix: self.pass_prefix.clone(),
            },
            prompt,
        })
    }
}

/// What the agent holds for keyless shells.
#[derive(Default)]
pub(super) struct Keyless {
    /// Started with the first token and kept: its port must not change.
    /// It holds each live token's credentials.
    endpoint: Option<Endpoint>,
    /// Live token → what it was granted for.
    tokens: HashMap<String, Grant>,
    /// What `vault lock` and the timeout ended: those shells still name the
    /// endpoint's port, so it stays bound (answering 403 "run `vault
    /// reload`") until they exit, lest another user bind it and receive
    /// their tokens. One without a shell to watch is kept until its time.
    ended: Vec<Grant>,
}

struct Grant {
    /// Profile and settings (hashed): tokens with one key share credentials.
    key: String,
    until: SystemTime,
    /// A pidfd of the shell holding the token, readable once it exits;
    /// `None` when the shell gave no pid or the kernel has no pidfds.
    shell: Option<OwnedFd>,
}

/// A pidfd for the shell `pid`, taken while its hook waits for our answer,
/// so the pid cannot have been reused yet.
fn watch_shell(pid: Option<i32>) -> Option<OwnedFd> {
    let pid = rustix::process::Pid::from_raw(pid?)?;
    rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty())
        .inspect_err(|e| {
            log::debug!("cannot watch shell {pid:?} ({e}): its token lives until the timeout")
        })
        .ok()
}

/// Whether the process behind `pidfd` has exited.
fn has_exited(pidfd: &OwnedFd) -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let mut fds = [PollFd::new(pidfd, PollFlags::IN)];
    poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).is_ok_and(|n| n > 0)
}

impl Keyless {
    /// Whether no shell names the endpoint any more: no live token, and no
    /// shell with an ended one still running.
    pub(super) fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.ended.is_empty()
    }

    /// Whether `token` is live (`vault status` asks).
    pub(super) fn is_live(&self, token: &str) -> bool {
        self.tokens.contains_key(token)
    }

    #[cfg(test)]
    fn count(&self) -> usize {
        self.tokens.len()
    }

    /// Ends every token and stops every renewal (lock, timeout); the
    /// endpoint keeps its port while the shells that held them run.
    pub(super) fn forget(&mut self) {
        if let Some(endpoint) = &self.endpoint {
            endpoint.revoke_all();
        }
        self.ended.extend(self.tokens.drain().map(|(_, grant)| grant));
    }

    /// Ends the tokens whose time is up or whose shell has exited, and lets
    /// go of the ended ones whose shell has exited (or, with no shell to
    /// watch, whose time is up): a shell whose token timed out still names
    /// the port.
    pub(super) fn expire(&mut self, now: SystemTime) {
        let gone = |g: &Grant| match &g.shell {
            Some(shell) => has_exited(shell),
            None => g.until <= now,
        };
        self.ended.retain(|g| !gone(g));
        let due: Vec<String> = self
            .tokens
            .iter()
            .filter(|(_, g)| g.until <= now || gone(g))
            .map(|(t, _)| t.clone())
            .collect();
        for token in due {
            if let Some(grant) = self.tokens.remove(&token) {
                if let Some(endpoint) = &self.endpoint {
                    endpoint.revoke(&token);
                }
                if !gone(&grant) {
                    self.ended.push(grant);
                }
            }
        }
    }

    /// Ends `token`; the profile's credentials go with its last token.
    pub(super) fn revoke(&mut self, token: &str) -> bool {
        if self.tokens.remove(token).is_none() {
            return false;
        }
        if let Some(endpoint) = &self.endpoint {
            endpoint.revoke(token);
        }
        true
    }

    /// The credentials a live token of `key` gets, to share with a new one.
    fn served(&self, key: &str) -> Option<Served> {
        let endpoint = self.endpoint.as_ref()?;
        self.tokens.iter().filter(|(_, g)| g.key == key).find_map(|(t, _)| endpoint.served_by(t))
    }
}

/// Everything a `Serve` request carries.
pub(super) struct ServeRequest {
    pub profile: String,
    pub env: BTreeMap<String, String>,
    pub settings: WireSettings,
    pub timeout_secs: u64,
    pub keep: Option<String>,
    pub shell_pid: Option<i32>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Grants a token for the request's profile (or hands back `keep`). The
/// first token of a profile starts its credential worker, outside the lock,
/// from the session the hook just cached; its failure is the answer.
pub(super) fn serve(state: &Mutex<State>, request: ServeRequest) -> Response {
    let ServeRequest { profile, env, settings: wire, timeout_secs, keep, shell_pid } = request;
    let key = fingerprint(&profile, &env, &wire);
    let now = SystemTime::now();
    let existing = {
        let state = lock(state);
        let k = &state.keyless;
        if let (Some(keep), Some(endpoint)) = (&keep, &k.endpoint)
            && k.tokens.get(keep).is_some_and(|g| g.key == key && g.until > now)
        {
            return granted(keep.clone(), endpoint);
        }
        k.served(&key)
    };
    let served = match existing {
        Some(served) => served,
        None => match start(&profile, env, &wire) {
            Ok(started) => Served::new(&started),
            Err(e) => return Response::error(crate::one_line(&e)),
        },
    };
    let mut state = lock(state);
    let k = &mut state.keyless;
    // Another request for the key may have started its worker meanwhile.
    let served = k.served(&key).unwrap_or(served);
    let endpoint = match &mut k.endpoint {
        Some(endpoint) => endpoint,
        None => match Endpoint::start() {
            Ok(endpoint) => k.endpoint.insert(endpoint),
            Err(e) => return Response::error(crate::one_line(&e)),
        },
    };
    let token = endpoint.grant(&served);
    let response = granted(token.clone(), endpoint);
    let until = now + Duration::from_secs(timeout_secs.max(1));
    // A replaced `keep` is ended by the shell's hook, with every token the
    // shell stops using (shell::engine).
    k.tokens.insert(token, Grant { key, until, shell: watch_shell(shell_pid) });
    response
}

fn granted(token: String, endpoint: &Endpoint) -> Response {
    Response { secret: Some(token), url: Some(endpoint.url().to_owned()), ..Response::default() }
}

/// The profile's credential worker, resolving as the shell would, asking
/// no one: the agent has no terminal, and a dialog out of nowhere would be
/// worse than the error the SDK shows (the shell's next prompt refreshes).
fn start(profile: &str, env: BTreeMap<String, String>, wire: &WireSettings) -> Result<Started> {
    crate::prompt::forbid_prompts();
    let ctx = Context::new(Env::from_map(env), wire.settings()?);
    Worker::start(&ctx, profile, &CredentialOptions::default(), PlanOptions::default(), false)
}

/// Tokens of the same profile resolved the same way share one worker.
fn fingerprint(profile: &str, env: &BTreeMap<String, String>, wire: &WireSettings) -> String {
    let text = serde_json::to_vec(&(profile, env, wire)).expect("always serializes");
    crate::trust::hex(&Sha256::digest(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_travel_by_name_and_come_back_equal() {
        let settings = Settings {
            store: StoreSettings {
                backend: Backend::Pass,
                file_dir: Some("/k".into()),
                secret_service_collection: "awsvault".into(),
                pass_dir: None,
                pass_cmd: "pass".into(),
                pass_prefix: "aws".into(),
            },
            prompt: Some(PromptDriver::Ykman),
        };
        let wire: WireSettings =
            serde_json::from_str(&serde_json::to_string(&WireSettings::from(&settings)).unwrap())
                .unwrap();
        let back = wire.settings().unwrap();
        assert_eq!(format!("{back:?}"), format!("{settings:?}"));
        let bad = WireSettings { backend: "floppy".into(), ..wire };
        assert!(bad.settings().is_err());
    }

    #[test]
    fn tokens_of_one_profile_share_its_credentials_until_the_last_is_gone() {
        let mut k = Keyless::default();
        let far = SystemTime::now() + Duration::from_secs(3600);
        k.tokens.insert("t1".into(), Grant { key: "a".into(), until: far, shell: None });
        let expired = Grant { key: "a".into(), until: SystemTime::UNIX_EPOCH, shell: None };
        k.tokens.insert("t2".into(), expired);
        k.expire(SystemTime::now());
        assert_eq!(k.count(), 1, "the expired token is gone");
        assert!(k.revoke("t1") && !k.revoke("t1"));
        assert!(k.is_empty());
    }

    #[test]
    fn a_shell_whose_token_ended_keeps_the_port_until_it_exits() {
        let mut shell = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let pid = Some(shell.id() as i32);
        let mut k = Keyless::default();
        let far = SystemTime::now() + Duration::from_secs(3600);
        k.tokens.insert(
            "locked".into(),
            Grant { key: "a".into(), until: far, shell: watch_shell(pid) },
        );
        let soon = SystemTime::now() + Duration::from_millis(1);
        k.tokens.insert(
            "timed".into(),
            Grant { key: "a".into(), until: soon, shell: watch_shell(pid) },
        );
        k.tokens.insert("unwatched".into(), Grant { key: "a".into(), until: soon, shell: None });
        k.forget();
        std::thread::sleep(Duration::from_millis(5));
        k.expire(SystemTime::now());
        assert!(!k.is_live("locked") && !k.is_live("timed"));
        assert!(!k.is_empty(), "the shell runs: the port stays");
        assert_eq!(k.ended.len(), 2, "the unwatched one's time is up");
        shell.kill().unwrap();
        shell.wait().unwrap();
        k.expire(SystemTime::now());
        assert!(k.is_empty(), "the shell is gone: the port may go");

        // A token whose time is up, its shell still running, keeps it too.
        let mut shell = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let pid = Some(shell.id() as i32);
        let mut k = Keyless::default();
        k.tokens
            .insert("t".into(), Grant { key: "a".into(), until: soon, shell: watch_shell(pid) });
        k.expire(SystemTime::now() + Duration::from_secs(1));
        assert!(!k.is_live("t") && !k.is_empty());
        shell.kill().unwrap();
        shell.wait().unwrap();
        k.expire(SystemTime::now());
        assert!(k.is_empty());
    }

    #[test]
    fn a_token_ends_when_its_shell_exits() {
        let mut shell = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let mut k = Keyless::default();
        let far = SystemTime::now() + Duration::from_secs(3600);
        let pid = Some(shell.id() as i32);
        k.tokens.insert("t".into(), Grant { key: "a".into(), until: far, shell: watch_shell(pid) });
        assert!(k.tokens["t"].shell.is_some(), "pidfds work here");
        k.expire(SystemTime::now());
        assert_eq!(k.count(), 1, "the shell still runs");
        shell.kill().unwrap();
        shell.wait().unwrap();
        k.expire(SystemTime::now());
        assert!(k.is_empty(), "the shell is gone, and so is its token");
        assert!(watch_shell(Some(i32::MAX)).is_none() && watch_shell(None).is_none());
    }

    /// What `serve` does with the token a shell holds (`keep`): it comes back
    /// while it lives, for its own profile only; a shell that switched
    /// profiles, or whose token timed out, gets a new token, sharing the
    /// credentials the profile's live tokens are served. (Mutation testing:
    /// the keyless tests never looked at `keep` or at the sharing.)
    #[test]
    fn a_kept_token_comes_back_only_for_its_profile_while_it_lives() {
        let endpoint = Endpoint::start().unwrap();
        let url = endpoint.url().to_owned();
        let served = |key_id: &str| {
            let mut creds = crate::server::test_support::creds();
            creds.access_key_id = key_id.to_owned();
            Served::for_tests(creds)
        };
        let (work, ops) = (endpoint.grant(&served("ASIAWORK")), endpoint.grant(&served("ASIAOPS")));
        let env = BTreeMap::new();
        let wire = WireSettings {
            backend: "file".into(),
            file_dir: None,
            secret_service_collection: "awsvault".into(),
            pass_dir: None,
            pass_cmd: "pass".into(),
            pass_prefix: String::new(),
            prompt: None,
        };
        let state = Mutex::new(State::default());
        {
            let k = &mut lock(&state).keyless;
            let far = SystemTime::now() + Duration::from_secs(3600);
            for (token, profile) in [(&work, "work"), (&ops, "ops")] {
                let key = fingerprint(profile, &env, &wire);
                k.tokens.insert(token.clone(), Grant { key, until: far, shell: None });
            }
            k.endpoint = Some(endpoint);
        }
        let serve = |profile: &str, keep: &str| {
            let request = ServeRequest {
                profile: profile.into(),
                env: env.clone(),
                settings: wire.clone(),
                timeout_secs: 60,
                keep: Some(keep.into()),
                shell_pid: None,
            };
            let response = serve(&state, request);
            assert_eq!(response.error, None);
            assert_eq!(response.url.as_deref(), Some(url.as_str()));
            response.secret.unwrap()
        };
        // The key id a token is served, as a client sees it.
        let key_id = |token: &str| {
            let agent: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
            let mut response = agent.get(&url).header("Authorization", token).call().unwrap();
            let body = response.body_mut().read_to_string().unwrap();
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            json["AccessKeyId"].as_str().unwrap().to_owned()
        };

        assert_eq!(serve("work", &work), work, "a live token of the profile is kept");
        let switched = serve("ops", &work);
        assert!(switched != work && switched != ops, "another profile, another token");
        assert_eq!(key_id(&switched), "ASIAOPS", "served what ops' tokens are");
        lock(&state).keyless.tokens.get_mut(&work).unwrap().until = SystemTime::UNIX_EPOCH;
        let renewed = serve("work", &work);
        assert_ne!(renewed, work, "a timed-out token is not handed back");
        assert_eq!(key_id(&renewed), "ASIAWORK");
        assert_eq!(lock(&state).keyless.tokens[&renewed].key, fingerprint("work", &env, &wire));
    }
}
