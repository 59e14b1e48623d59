//! `vault use`: pin a profile in the current shell (through the hook).

use anyhow::Result;

use super::hook_env::{Action, run_for_function};
use crate::cli::UseArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: UseArgs) -> Result<()> {
    run_for_function(ctx, Action::Use(args.profile))
}
