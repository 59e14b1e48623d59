//! The command line's flags turned into the domain's settings, so that
//! nothing outside `cli/` and `cmd/` knows clap's types.

use crate::cli::{CredentialArgs, GlobalArgs};
use crate::context::Settings;
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
        }
    }
}
