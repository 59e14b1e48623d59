//! The command line's flags turned into the domain's settings, so that
//! nothing outside `cli/` and `cmd/` knows clap's types.

use std::sync::Arc;

use crate::cli::{CredentialArgs, GlobalArgs, SsoSignInArgs};
use crate::context::Settings;
use crate::sso::{SignInNotice, SignInOptions};
use crate::store::StoreSettings;
use crate::sts::CredentialOptions;

impl From<&GlobalArgs> for Settings {
    fn from(global: &GlobalArgs) -> Self {
        Settings {
            store: StoreSettings {
                backend: global.backend,
                file_dir: global.file_dir.clone(),
                secret_service_collection: global.secret_service_collection.clone(),
                pass_dir: global.pass_dir.clone(),
                pass_cmd: global.pass_cmd.clone(),
                pass_prefix: global.pass_prefix.clone(),
            },
            prompt: global.prompt,
        }
    }
}

impl From<&CredentialArgs> for CredentialOptions {
    fn from(args: &CredentialArgs) -> Self {
        CredentialOptions {
            mfa_token: args.mfa_token.clone(),
            mfa_serial_override: args.mfa_serial_override.clone(),
            region: args.region.clone(),
            duration: args.duration,
            session_ttl: args.session_ttl,
            assume_role_ttl: args.assume_role_ttl,
            sign_in: SignInOptions {
                no_browser: args.no_browser,
                use_device_code: args.use_device_code,
                notice: Some(Arc::new(StderrNotice)),
                write_cli_cache: args.write_sso_cache,
            },
        }
    }
}

impl From<&SsoSignInArgs> for SignInOptions {
    fn from(args: &SsoSignInArgs) -> Self {
        SignInOptions {
            no_browser: args.no_browser,
            use_device_code: args.use_device_code,
            notice: Some(Arc::new(StderrNotice)),
            write_cli_cache: args.write_sso_cache,
        }
    }
}

/// How the shell hook (`hook-env`, `use`, `reload`) shows a sign-in that
/// entering a directory needs: on stderr, the browser opened as by `exec`.
pub fn hook_sign_in() -> SignInOptions {
    SignInOptions { notice: Some(Arc::new(StderrNotice)), ..SignInOptions::default() }
}

/// Shows an IAM Identity Center sign-in on stderr (stdout may belong to the AWS SDK,
/// as under credential_process). The URL and code are not secrets: the sign-in still
/// needs the user's own password in the browser.
struct StderrNotice;

impl SignInNotice for StderrNotice {
    fn show(&self, url: &str, user_code: Option<&str>, browser_opened: bool) {
        eprint!("{}", sign_in_notice(url, user_code, browser_opened));
    }
}

/// The lines of [`StderrNotice`]. The URL and the code come from the
/// portal (and its address from the config): shown escaped.
fn sign_in_notice(url: &str, user_code: Option<&str>, browser_opened: bool) -> String {
    use crate::escape::terminal;
    let how = if browser_opened { "your browser was opened at" } else { "open" };
    let mut text = format!("vault: IAM Identity Center sign-in: {how} {}\n", terminal(url));
    if let Some(code) = user_code {
        text += &format!("vault: and check that it shows the code {}\n", terminal(code));
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sign_in_notice_shows_control_characters_escaped() {
        let text = super::sign_in_notice(
            "https://x.example/\u{1b}]0;owned\u{7}",
            Some("AB\u{1b}[2J"),
            true,
        );
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
        assert!(
            text.contains("x.example/\\u{1b}]0;owned") && text.contains("AB\\u{1b}[2J"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 2);
    }
}
