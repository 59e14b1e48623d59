//! `vault agent`: runs the agent in the foreground (see `src/agent/`).

use anyhow::Result;

use crate::agent::{self, Server, ServerOptions};
use crate::cli::AgentArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: AgentArgs) -> Result<()> {
    let socket = agent::socket_path(&ctx.env)?;
    let server = Server::bind(ServerOptions { socket: socket.clone(), on_demand: args.on_demand })?;
    if !args.on_demand {
        eprintln!("vault: agent listening on {}", socket.display());
    }
    server.run()
}
