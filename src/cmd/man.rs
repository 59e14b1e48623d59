//! `vault man`: print vault(1), generated from `cli/` with clap_mangen.
//!
//! One page holds every command, so `vault man | man -l -` is the whole
//! manual without installing a page per command. clap_mangen renders each
//! command's synopsis, description and options; the sections are put under
//! one COMMANDS heading here, and the examples are set without filling, as
//! `--help` shows them (filled, their lines would run together).

use std::io::{self, Write};

use anyhow::Result;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

pub fn run() -> Result<()> {
    super::out().write_all(page()?.as_bytes())?;
    Ok(())
}

/// The page, as roff source.
pub fn page() -> io::Result<String> {
    // Not `full_command`: that would add the global options to each command.
    let cli = <crate::cli::Cli as clap::CommandFactory>::command();
    let top = Man::new(cli.clone());
    let mut out = piece(|w| top.render_title(w), Heading::Keep)?;
    out.push_str(&piece(|w| top.render_name_section(w), Heading::Keep)?);
    out.push_str(&piece(|w| top.render_synopsis_section(w), Heading::Keep)?);
    out.push_str(&piece(|w| top.render_description_section(w), Heading::Keep)?);
    out.push_str(&piece(|w| top.render_options_section(w), Heading::Keep)?);

    out.push_str(&Roff::new().control("SH", ["COMMANDS"]).to_roff());
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push_str(&command_section("vault", sub)?);
    }

    if let Some(text) = cli.get_after_long_help() {
        let text = text.to_string();
        out.push_str(&Roff::new().control("SH", ["EXAMPLES"]).to_roff());
        out.push_str(&unfilled(text.strip_prefix("Examples:\n").unwrap_or(&text)));
    }
    out.push_str(&piece(|w| top.render_version_section(w), Heading::Keep)?);
    Ok(out)
}

/// One command's `.SS`, then one for each of its own commands (`vault sso list`).
fn command_section(parent: &str, sub: &clap::Command) -> io::Result<String> {
    let name = format!("{parent} {}", sub.get_name());
    // Built alone, so its section lists its own options, not the global ones.
    let mut sub = sub.clone().bin_name(&name).disable_help_flag(true);
    sub.build();
    let man = Man::new(sub.clone());
    let mut out = Roff::new().control("SS", [name.as_str()]).to_roff();
    out.push_str(&piece(|w| man.render_synopsis_section(w), Heading::Drop)?);
    out.push_str(&Roff::new().control("PP", []).to_roff());
    out.push_str(&piece(|w| man.render_description_section(w), Heading::Drop)?);
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        out.push_str(&piece(|w| man.render_options_section(w), Heading::Drop)?);
    }
    if let Some(text) = sub.get_after_long_help() {
        out.push_str(&unfilled(&text.to_string()));
    }
    for nested in sub.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        out.push_str(&command_section(&name, nested)?);
    }
    Ok(out)
}

#[derive(PartialEq)]
enum Heading {
    Keep,
    Drop,
}

/// One section rendered by clap_mangen, without the preamble each render
/// repeats (it is kept once, from the title) and, with `Heading::Drop`,
/// without its `.SH` line, for use inside a command's `.SS`.
fn piece(
    render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    heading: Heading,
) -> io::Result<String> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let preamble = Roff::new().render();
    let is_title = text.contains("\n.TH ");
    let text = if is_title { text.as_str() } else { text.strip_prefix(&preamble).unwrap_or(&text) };
    let text = match heading {
        Heading::Drop if text.starts_with(".SH ") => {
            text.split_once('\n').map_or("", |(_, rest)| rest)
        }
        _ => text,
    };
    Ok(text.to_owned())
}

/// Text set line for line, as in `--help`.
fn unfilled(text: &str) -> String {
    let mut roff = Roff::new();
    roff.control("PP", []).control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.to_roff()
}
