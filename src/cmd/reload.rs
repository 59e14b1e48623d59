//! `vault reload`: fetch this shell's credentials again, asking for an MFA
//! code if needed (after a refresh that could not ask).

use anyhow::Result;

use super::hook_env::{Action, run_for_function};
use crate::context::Context;

pub fn run(ctx: &Context) -> Result<()> {
    run_for_function(ctx, Action::Reload)
}
