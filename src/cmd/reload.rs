//! `vault reload`: fetch this shell's credentials again, asking for an MFA
//! code if needed (after a refresh that could not ask).

use anyhow::Result;

use crate::context::Context;
use crate::shell::engine::{self, Action};

pub fn run(ctx: &Context) -> Result<()> {
    super::print_step(engine::step_for_function(
        ctx,
        Action::Reload,
        &super::settings::hook_sign_in(),
    )?)
}
