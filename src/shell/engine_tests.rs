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

/// The prompt path in-process: a second run in the same place takes the
/// fast path (no new state, only what the shell compares); a trust change
/// made elsewhere, or an edit the stamp cannot see, takes the full one.
#[test]
fn a_trust_change_or_an_edit_ends_the_fast_path() {
    use crate::store::{Backend, StoreSettings};
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let proj = home.join("proj");
    std::fs::create_dir_all(proj.join("sub")).unwrap();
    let file = proj.join(crate::trust::FILE_NAME);
    std::fs::write(&file, "work\n").unwrap();
    let settings = crate::context::Settings {
        store: StoreSettings {
            backend: Backend::File,
            file_dir: Some(home.join("keys")),
            secret_service_collection: "awsvault".to_owned(),
            pass_dir: None,
            pass_cmd: "pass".to_owned(),
            pass_prefix: String::new(),
        },
        prompt: None,
    };
    let run = |state: &str, at: &Path| {
        let env = Env::from_pairs([
            ("HOME", home.to_str().unwrap()),
            ("__VAULT_PWD", at.to_str().unwrap()),
            ("__VAULT_STATE", state),
        ]);
        let ctx = Context::new(env, settings.clone());
        let step = step(&ctx, Shell::Bash, Action::Prompt { force: false }, &Default::default());
        step.unwrap()
    };
    let state_of = |code: &str| {
        let line = code.lines().find_map(|l| l.strip_prefix("__vault_state=")).unwrap();
        line.trim_matches('\'').to_owned()
    };
    let first = run("", &proj);
    assert!(first.notices[0].contains("(work) is not trusted"), "{:?}", first.notices);
    assert!(
        first
            .code
            .contains(&format!("__vault_file={}\n", Shell::Bash.quote(file.to_str().unwrap())))
    );
    assert!(first.code.contains("__vault_text='work\n'\n"), "{}", first.code);
    let state = state_of(&first.code);

    let again = run(&state, &proj.join("sub"));
    assert!(again.notices.is_empty() && !again.code.contains("__vault_state="), "{}", again.code);
    assert!(again.code.contains("__vault_text='work\n'\n"), "{}", again.code);

    // Trusted from another shell: the token changed, so the file is looked at again.
    let ctx = Context::new(Env::from_pairs([("HOME", home.to_str().unwrap())]), settings.clone());
    let records = ctx.trust_store().unwrap();
    records.deny(&file, "work\n").unwrap();
    let token = records.generation();
    assert_eq!(token.len(), 32, "{token:?}");
    let denied = run(&state, &proj);
    assert!(denied.code.contains("__vault_state="), "{}", denied.code);
    assert!(denied.code.contains(&format!("__vault_trust={token}\n")), "{}", denied.code);
    let state = state_of(&denied.code);

    // The same size, and the stamp put back: only the contents tell.
    let stamp = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, "home\n").unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(stamp).unwrap();
    let edited = run(&state, &proj);
    assert!(edited.code.contains("__vault_state="), "{}", edited.code);
    assert!(edited.code.contains("__vault_text='home\n'\n"), "{}", edited.code);
}
