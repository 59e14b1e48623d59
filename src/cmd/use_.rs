//! `vault use`: pin a profile in the current shell (through the hook).

use anyhow::Result;

use crate::cli::UseArgs;
use crate::context::Context;
use crate::shell::engine::{self, Action};

pub fn run(ctx: &Context, args: UseArgs) -> Result<()> {
    super::print_step(engine::step_for_function(
        ctx,
        Action::Use(args.profile),
        &super::settings::hook_sign_in(),
    )?)
}
