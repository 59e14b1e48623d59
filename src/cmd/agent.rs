//! `vault agent`: runs the agent in the foreground (see `src/agentd/`).

use anyhow::Result;

use crate::agent;
use crate::agentd::{Server, ServerOptions};
use crate::cli::AgentArgs;
use crate::context::Context;

pub fn run(ctx: &Context, args: AgentArgs) -> Result<()> {
    let socket = agent::socket_path(&ctx.env)?;
    let server = Server::bind(ServerOptions { socket: socket.clone(), on_demand: args.on_demand })?;
    if args.on_demand {
        // As daemons do: the folder of the command that started it stays
        // free to be removed or unmounted while the agent lives on.
        std::env::set_current_dir("/")
            .map_err(|e| anyhow::anyhow!("could not change to the folder /: {e}"))?;
    } else {
        eprintln!("vault: agent listening on {}", socket.display());
    }
    server.run()
}
