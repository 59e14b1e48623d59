//! `vault unuse`: drop a pinned profile; the directory decides again.

use anyhow::Result;

use crate::context::Context;
use crate::shell::engine::{self, Action};

pub fn run(ctx: &Context) -> Result<()> {
    super::print_step(engine::step_for_function(
        ctx,
        Action::Unuse,
        &super::settings::hook_sign_in(),
    )?)
}
