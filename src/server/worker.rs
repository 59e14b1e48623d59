//! The thread that gets a server's credentials: it owns the open secret store
//! and makes the (blocking) STS calls, so the async server never blocks on
//! them, and the calls are made one at a time.

use std::sync::mpsc;

use anyhow::{Context as _, Result, anyhow};
use tokio::sync::oneshot;

use super::cache::Failure;
use crate::aws::{Service, Sts, Target};
use crate::config::ProfileConfig;
use crate::context::Context;
use crate::creds::Credentials;
use crate::sts::{CredentialOptions, PlanOptions, ROLE_CHAINING_LIMIT, RoleStep};

type Reply = oneshot::Sender<Result<Credentials, Failure>>;

enum Job {
    /// The profile's own credentials.
    Base(Reply),
    /// `sts:AssumeRole` into `arn` with `base`.
    Role { arn: String, base: Credentials, reply: Reply },
}

/// How to reach the worker; cheap to clone into request handlers.
#[derive(Clone)]
pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

/// What the worker found before any command started.
pub struct Started {
    pub worker: Worker,
    /// The region the credentials are for (and the metadata service tells).
    pub region: String,
    pub config: ProfileConfig,
    pub plan: crate::sts::Plan,
    /// `AWS_MIN_TTL`: renew credentials this long before they expire.
    pub min_ttl: chrono::Duration,
    /// The first credentials, unless `lazy`.
    pub initial: Option<Credentials>,
}

impl Worker {
    /// Starts the worker for `profile` and waits until it is ready: the
    /// profile resolved, the store unlocked, and (unless `lazy`) the first
    /// credentials fetched. Any passphrase or MFA prompt happens in here,
    /// before the command owns the terminal.
    ///
    /// The thread is detached: when the command exits, this process exits
    /// without waiting for an STS call that may still be in flight.
    pub fn start(
        ctx: &Context,
        profile: &str,
        opts: &CredentialOptions,
        plan_opts: PlanOptions,
        lazy: bool,
    ) -> Result<Started> {
        let ctx = ctx.clone();
        let (profile, opts) = (profile.to_owned(), opts.clone());
        let (jobs, queue) = mpsc::channel::<Job>();
        let (ready_tx, ready) = mpsc::channel();
        std::thread::Builder::new()
            .name("vault-credentials".to_owned())
            .spawn(move || {
                let mut prepared = match crate::sts::prepare(&ctx, &profile, &opts, plan_opts) {
                    Ok(prepared) => prepared,
                    Err(e) => return drop(ready_tx.send(Err(e))),
                };
                let initial = if lazy {
                    prepared.unlock().map(|()| None)
                } else {
                    prepared.credentials(&ctx.env).map(Some)
                };
                let ok = initial.is_ok();
                let _ = ready_tx.send(initial.map(|initial| Started {
                    worker: Worker::stopped(),
                    region: Target::for_profile(Service::STS, &prepared.config, &ctx.env).region,
                    config: prepared.config.clone(),
                    plan: prepared.plan.clone(),
                    min_ttl: prepared.min_ttl,
                    initial,
                }));
                if !ok {
                    return;
                }
                for job in queue {
                    match job {
                        Job::Base(reply) => {
                            let result = prepared.credentials(&ctx.env);
                            let _ = reply.send(result.map_err(failure));
                        }
                        Job::Role { arn, base, reply } => {
                            let result = assume_role(&ctx, &prepared.config, &arn, &base);
                            let _ = reply.send(result.map_err(failure));
                        }
                    }
                }
            })
            .context("could not start the credential thread")?;
        let started = ready.recv().map_err(|_| anyhow!("the credential thread stopped"))??;
        Ok(Started { worker: Worker { jobs }, ..started })
    }

    /// A worker that has stopped: every request to it fails.
    pub fn stopped() -> Self {
        Self { jobs: mpsc::channel().0 }
    }

    /// The profile's credentials: a fresh cached session, else from STS.
    pub async fn base(&self) -> Result<Credentials, Failure> {
        self.ask(Job::Base).await
    }

    /// Credentials for the role `arn`, assumed with `base`.
    pub async fn role(&self, arn: String, base: Credentials) -> Result<Credentials, Failure> {
        self.ask(|reply| Job::Role { arn, base, reply }).await
    }

    async fn ask(&self, job: impl FnOnce(Reply) -> Job) -> Result<Credentials, Failure> {
        let (reply, answer) = oneshot::channel();
        let gone = || Failure::from("vault: the credential thread stopped; restart `vault exec`");
        self.jobs.send(job(reply)).map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

/// `GET /role-arn/<arn>`: AssumeRole from the server's own credentials, for
/// the profile's role duration, capped at an hour when those are temporary
/// (AWS's role-chaining limit).
fn assume_role(
    ctx: &Context,
    config: &ProfileConfig,
    arn: &str,
    base: &Credentials,
) -> Result<Credentials> {
    let mut duration = config.assume_role_duration;
    if base.session_token.is_some() {
        duration = duration.min(ROLE_CHAINING_LIMIT);
    }
    let step = RoleStep {
        profile: config.name.clone(),
        role_arn: arn.to_owned(),
        role_session_name: None,
        external_id: None,
        mfa_serial: None,
        cache_mfa_serial: None,
        duration,
        session_tags: Vec::new(),
        transitive_session_tags: Vec::new(),
        source_identity: None,
    };
    let sts = Sts::for_profile(config, &ctx.env)?;
    sts.assume_role(base, &step, None)
        .with_context(|| format!("could not assume role {arn} for profile \"{}\"", config.name))
}

/// One line, as the CLI prints errors, for the client and for the user.
fn failure(err: anyhow::Error) -> Failure {
    format!("vault: {}", crate::one_line(&err)).into()
}
