//! Tests of `shell::engine`, kept apart so the module itself stays readable.
use super::*;

#[test]
fn the_binary_name_is_completed_only_where_path_finds_this_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    for d in [&ours, &theirs] {
        std::fs::create_dir(d).unwrap();
        std::fs::write(d.join("vault"), "").unwrap();
        // Executable, as PATH lookup requires (a shell would skip it otherwise).
        let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
        std::fs::set_permissions(d.join("vault"), mode).unwrap();
    }
    let exe = ours.join("vault");
    let path = |dirs: &[&Path]| std::env::join_paths(dirs).unwrap();
    assert_eq!(binary_name(&exe, Some(&path(&[&ours, &theirs]))), Some("vault"));
    assert_eq!(binary_name(&exe, Some(&path(&[&theirs, &ours]))), None);
    assert_eq!(binary_name(&exe, Some(&path(&[&theirs]))), None);
    assert_eq!(binary_name(&exe, None), None);
}

#[test]
fn only_a_known_shell_counts_as_the_hook() {
    let env = |v: &str| Env::from_pairs([("__VAULT_SHELL", v)]);
    assert_eq!(calling_shell(&env("fish")).unwrap(), Shell::Fish);
    assert_eq!(calling_shell(&env("pwsh")).unwrap(), Shell::Pwsh);
    assert!(calling_shell(&env("tcsh")).unwrap_err().to_string().contains("vault hook"));
    assert!(calling_shell(&env("")).is_err());
    assert!(calling_shell(&Env::default()).is_err());
}

#[test]
fn the_directory_is_the_one_the_shell_passes_or_a_pwd_that_is_current() {
    let cwd = std::env::current_dir().unwrap();
    let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied());
    // PowerShell hands its location over: it wins over a stale $PWD.
    let pwsh = env(&[("__VAULT_PWD", "/srv/repo"), ("PWD", "/home/me")]);
    assert_eq!(working_dir(&pwsh).unwrap(), PathBuf::from("/srv/repo"));
    // A $PWD naming another directory is stale: the real one is used.
    assert_eq!(working_dir(&env(&[("PWD", "/")])).unwrap(), cwd);
    assert_eq!(working_dir(&env(&[])).unwrap(), cwd);
    // A $PWD that is the current directory, as the shell spelled it, is kept.
    let spelled = format!("{}/.", cwd.display());
    assert_eq!(working_dir(&env(&[("PWD", &spelled)])).unwrap(), PathBuf::from(&spelled));
}
