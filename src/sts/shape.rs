//! What shaped a cached session: one digest per step of a plan over every
//! input that decides whose credentials the step returns, so that a cached
//! session is served only while the config still asks for that identity.
//!
//! The store's key names stay aws-vault's (kind, profile, MFA serial, expiry);
//! the digest rides inside the cached item, where aws-vault ignores it. A
//! digest covers the step's own inputs and, chained, everything before it:
//! a role session made from `base`'s keys is a miss once `base` starts from
//! other keys' source, another region or another endpoint.

use sha2::{Digest as _, Sha256};

use super::plan::{Plan, Source, Step};
use crate::aws::{Service, Target};
use crate::config::ProfileConfig;
use crate::env::Env;
use crate::sso::SsoSession;

/// The digests of one plan: its source's, then each step's (each chained on
/// the one before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shapes {
    pub source: String,
    pub steps: Vec<String>,
}

/// The digests of `plan`, made for `cfg` (the profile the plan is for) in `env`
/// (which decides each call's region and endpoint).
pub fn shapes(cfg: &ProfileConfig, plan: &Plan, env: &Env) -> Shapes {
    let target = |profile: &str| {
        let of = cfg.chain().into_iter().find(|p| p.name == profile).unwrap_or(cfg);
        Target::for_profile(Service::STS, of, env)
    };
    let mut source = Fields::new("source");
    match &plan.source {
        Source::Stored { profile } => source.add("stored").add(profile),
        Source::Process { profile: _, command } => source.add("process").add(command),
        Source::WebIdentity(wi) => source
            .add("web-identity")
            .add(&wi.role_arn)
            .opt(&wi.role_session_name)
            .opt(&wi.token_file)
            .opt(&wi.token_process)
            .target(&target(&wi.profile)),
        Source::Sso(role) => {
            let session =
                cfg.chain().into_iter().find(|p| p.name == role.profile).and_then(SsoSession::of);
            // The portal endpoint as the sign-in itself resolves it.
            let portal = session.as_ref().and_then(|s| s.target(Service::SSO, env).endpoint_url);
            let (start_url, region) = session.map(|s| (s.start_url, s.region)).unwrap_or_default();
            source
                .add("sso")
                .add(&start_url)
                .add(&region)
                .add(&role.account_id)
                .add(&role.role_name)
                .opt(&portal)
        }
    };
    let source = source.digest();
    let mut steps = Vec::with_capacity(plan.steps.len());
    let mut previous = source.clone();
    for step in &plan.steps {
        let mut fields = Fields::new("step");
        fields.add(&previous);
        match step {
            Step::SessionToken(s) => {
                fields.add("session-token").add(&s.profile).opt(&s.mfa_serial);
            }
            Step::AssumeRole(r) => {
                fields
                    .add("assume-role")
                    .add(&r.role_arn)
                    .opt(&r.role_session_name)
                    .opt(&r.external_id)
                    .opt(&r.mfa_serial)
                    .opt(&r.cache_mfa_serial)
                    .opt(&r.source_identity);
                for (key, value) in &r.session_tags {
                    fields.add("tag").add(key).add(value);
                }
                for key in &r.transitive_session_tags {
                    fields.add("transitive").add(key);
                }
            }
        }
        fields.target(&target(step.profile()));
        previous = fields.digest();
        steps.push(previous.clone());
    }
    Shapes { source, steps }
}

/// A digest over length-prefixed fields, so that no two field lists collide
/// by moving text from one field into the next.
struct Fields(Sha256);

impl Fields {
    fn new(domain: &str) -> Self {
        let mut fields = Self(Sha256::new());
        fields.add("vault session shape v1").add(domain);
        fields
    }

    fn add(&mut self, value: &str) -> &mut Self {
        self.0.update((value.len() as u64).to_be_bytes());
        self.0.update(value.as_bytes());
        self
    }

    fn opt(&mut self, value: &Option<String>) -> &mut Self {
        match value {
            Some(v) => self.add("some").add(v),
            None => self.add("none"),
        }
    }

    fn target(&mut self, target: &Target) -> &mut Self {
        self.add(&target.region).opt(&target.endpoint_url)
    }

    fn digest(&mut self) -> String {
        let hash = std::mem::take(&mut self.0).finalize();
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::plan::{RoleStep, SessionStep};
    use super::*;

    fn role(arn: &str) -> RoleStep {
        RoleStep {
            profile: "r".into(),
            role_arn: arn.into(),
            role_session_name: None,
            external_id: None,
            mfa_serial: None,
            cache_mfa_serial: None,
            duration: Duration::from_secs(3600),
            session_tags: Vec::new(),
            transitive_session_tags: Vec::new(),
            source_identity: None,
        }
    }

    fn plan_with(step: RoleStep) -> Plan {
        Plan {
            source: Source::Stored { profile: "base".into() },
            steps: vec![
                Step::SessionToken(SessionStep {
                    profile: "base".into(),
                    mfa_serial: None,
                    duration: Duration::from_secs(3600),
                }),
                Step::AssumeRole(step),
            ],
            notes: Vec::new(),
        }
    }

    fn cfg() -> ProfileConfig {
        crate::config::resolve(
            &crate::config::ConfigFile::parse("[profile r]\nregion = eu-west-1\n", "/c".as_ref())
                .unwrap(),
            "r",
            &Env::default(),
            &Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn every_role_shaping_input_changes_the_role_step_only() {
        let env = Env::default();
        let base = shapes(&cfg(), &plan_with(role("arn:aws:iam::1:role/one")), &env);
        let mut variants: Vec<RoleStep> = Vec::new();
        variants.push(role("arn:aws:iam::1:role/two"));
        let tweak = |f: &dyn Fn(&mut RoleStep)| {
            let mut r = role("arn:aws:iam::1:role/one");
            f(&mut r);
            r
        };
        variants.push(tweak(&|r| r.role_session_name = Some("s".into())));
        variants.push(tweak(&|r| r.external_id = Some("x".into())));
        variants.push(tweak(&|r| r.mfa_serial = Some("m".into())));
        variants.push(tweak(&|r| r.cache_mfa_serial = Some("m".into())));
        variants.push(tweak(&|r| r.source_identity = Some("me".into())));
        variants.push(tweak(&|r| r.session_tags = vec![("team".into(), "a".into())]));
        variants.push(tweak(&|r| r.session_tags = vec![("team".into(), "b".into())]));
        variants.push(tweak(&|r| r.transitive_session_tags = vec!["team".into()]));
        let mut seen = vec![base.steps[1].clone()];
        for variant in variants {
            let other = shapes(&cfg(), &plan_with(variant.clone()), &env);
            assert_eq!(other.steps[0], base.steps[0], "{variant:?} changed the session step");
            assert!(
                !seen.contains(&other.steps[1]),
                "{variant:?} left the role step's shape as is"
            );
            seen.push(other.steps[1].clone());
        }
        // The duration is not an identity: it is checked against the expiry instead.
        let longer = tweak(&|r| r.duration = Duration::from_secs(7200));
        assert_eq!(shapes(&cfg(), &plan_with(longer), &env), base);
    }

    #[test]
    fn the_endpoint_and_the_source_chain_are_part_of_every_step() {
        let plan = plan_with(role("arn:aws:iam::1:role/one"));
        let base = shapes(&cfg(), &plan, &Env::default());
        let moved = shapes(&cfg(), &plan, &Env::from_pairs([("AWS_ENDPOINT_URL_STS", "http://x")]));
        assert_ne!(moved.steps[0], base.steps[0]);
        assert_ne!(moved.steps[1], base.steps[1]);
        let mut other_source = plan.clone();
        other_source.source = Source::Stored { profile: "other".into() };
        let other = shapes(&cfg(), &other_source, &Env::default());
        assert_ne!(other.source, base.source);
        assert_ne!(other.steps[1], base.steps[1], "a step must carry its source's shape");
    }

    #[test]
    fn fields_do_not_run_into_each_other() {
        let a = Fields::new("x").add("ab").add("c").digest();
        let b = Fields::new("x").add("a").add("bc").digest();
        assert_ne!(a, b);
    }
}
