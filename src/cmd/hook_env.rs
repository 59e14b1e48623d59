//! `vault hook-env`: run by the prompt hook; prints the code that brings
//! this shell to the profile it should have (the engine is `shell/engine.rs`).

use anyhow::Result;

use crate::cli::HookEnvArgs;
use crate::context::Context;
use crate::shell::engine::{self, Action};

pub fn run(ctx: &Context, args: HookEnvArgs) -> Result<()> {
    super::print_step(engine::step(
        ctx,
        args.shell,
        Action::Prompt { force: args.force },
        &super::settings::hook_sign_in(),
    )?)
}
