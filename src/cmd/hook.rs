//! `vault hook`: print the integration script for a shell.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::cli::HookArgs;
use crate::shell;

pub fn run(args: HookArgs) -> Result<()> {
    if !shell::valid_function_name(&args.cmd) {
        bail!("--cmd {:?} is not a usable function name; use letters, digits, _ and -", args.cmd);
    }
    // The absolute path, so the hook keeps working whatever PATH holds later.
    let exe = std::env::current_exe().context("could not find the path of this vault binary")?;
    let binary = binary_name(&exe, std::env::var_os("PATH").as_deref());
    let exe = exe.to_str().context("the path of this vault binary is not UTF-8")?;
    let script = super::hook_env::shell_of(args.shell).hook_script(exe, &args.cmd, binary);
    print!("{script}");
    Ok(())
}

/// The name this binary is typed by, which gets tab completion too when the
/// function has another name (`--cmd av`): only when PATH finds this very
/// binary under it, since `--cmd` exists for when another `vault` (such as
/// HashiCorp's) comes first, and its completion must stay as it is.
fn binary_name<'a>(exe: &'a Path, path: Option<&std::ffi::OsStr>) -> Option<&'a str> {
    let name = exe.file_name()?.to_str()?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return None;
    }
    let found = std::env::split_paths(path?).map(|dir| dir.join(name)).find(|p| p.is_file())?;
    let same = |p: &Path| std::fs::canonicalize(p).ok();
    (same(&found)? == same(exe)?).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_name_is_completed_only_where_path_finds_this_binary() {
        let dir = tempfile::tempdir().unwrap();
        let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
        for d in [&ours, &theirs] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("vault"), "").unwrap();
        }
        let exe = ours.join("vault");
        let path = |dirs: &[&Path]| std::env::join_paths(dirs).unwrap();
        assert_eq!(binary_name(&exe, Some(&path(&[&ours, &theirs]))), Some("vault"));
        assert_eq!(binary_name(&exe, Some(&path(&[&theirs, &ours]))), None);
        assert_eq!(binary_name(&exe, Some(&path(&[&theirs]))), None);
        assert_eq!(binary_name(&exe, None), None);
    }
}
