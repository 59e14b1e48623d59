//! `vault unuse`: drop a pinned profile; the directory decides again.

use anyhow::Result;

use super::hook_env::{Action, run_for_function};
use crate::context::Context;

pub fn run(ctx: &Context) -> Result<()> {
    run_for_function(ctx, Action::Unuse)
}
