//! Tests of `sso::populate`: names, and plans applied to config texts.
use std::path::Path;

use super::*;
use crate::config::apply;

const URL: &str = "https://corp.awsapps.com/start";

fn session(name: Option<&str>) -> SsoSession {
    SsoSession {
        name: name.map(str::to_owned),
        start_url: URL.to_owned(),
        region: "eu-west-1".to_owned(),
        scopes: vec![],
    }
}

fn pair(id: &str, name: &str, role: &str) -> Assignment {
    Assignment { account_id: id.into(), account_name: name.into(), role_name: role.into() }
}

/// The plan for `text`, and the text it makes.
fn run(text: &str, listed: &[Assignment], prune: bool, region: Option<&str>) -> (Plan, String) {
    let template = Template::parse(DEFAULT_TEMPLATE).unwrap();
    let session = session(Some("corp"));
    let opts = Options { session: &session, template: &template, prefix: "", region, prune };
    let cfg = ConfigFile::parse(text, Path::new("/c")).unwrap();
    let plan = plan(&cfg, text, listed, &opts).unwrap();
    let out = String::from_utf8(apply(text, &plan.changes)).unwrap();
    (plan, out)
}

fn actions(plan: &Plan) -> Vec<(Action, &str)> {
    plan.entries.iter().map(|e| (e.action, e.profile.as_str())).collect()
}

const BASE: &str = "# my config\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
                    sso_region = eu-west-1\n\n[profile mine]  # by hand\nsso_session = corp\n\
                    sso_account_id = 111111111111\nsso_role_name = Admin\n";

#[test]
fn templates_name_account_and_role_fields() {
    let a = pair("111111111111", "Web Shop (prod)", "Admin");
    let t = Template::parse("aws-{account_id}/{role_name}").unwrap();
    assert_eq!(t.render(&a), "aws-111111111111/Admin");
    assert_eq!(Template::parse(DEFAULT_TEMPLATE).unwrap().render(&a), "Web Shop (prod).Admin");
    for (bad, says) in [
        ("{account_name", "without its `}`"),
        ("{acount}.{role_name}", "names {acount}"),
        ("{role_name}", "names no account"),
    ] {
        let err = Template::parse(bad).unwrap_err();
        assert!(err.contains(says), "{bad}: {err}");
    }
}

#[test]
fn names_are_shell_words() {
    assert_eq!(shell_word("Web Shop (prod).Admin"), "Web-Shop-prod.Admin");
    assert_eq!(shell_word("ü.ö"), "", "nothing left: the caller falls back to the account id");
    assert_eq!(shell_word("--x"), "x");
    assert_eq!(shell_word("a/b'c\"d[e]f$g`h~i:j@k é"), "a-b-c-d-e-f-g-h-i-j-k");
    assert_eq!(shell_word(".hidden."), "hidden");
    for raw in ["a b", "it's", "$(rm -rf /)", "x\ny", "[profile]", "tab\there", "über", "a;b|c&d"]
    {
        let word = shell_word(raw);
        assert_eq!(crate::escape::posix(&word), word, "{raw:?} gave {word:?}");
        assert!(!word.starts_with('-'), "{word:?}");
    }
}

#[test]
fn every_pair_gets_a_profile_and_a_second_run_changes_nothing() {
    let listed = [
        pair("222222222222", "shop", "Admin"),
        pair("222222222222", "shop", "ReadOnly"),
        pair("333333333333", "Data Lake", "Admin"),
    ];
    let (plan, once) = run(BASE, &listed, false, None);
    assert_eq!(
        actions(&plan),
        [
            (Action::Add, "Data-Lake.Admin"),
            (Action::Add, "shop.Admin"),
            (Action::Add, "shop.ReadOnly")
        ]
    );
    assert!(once.starts_with(BASE), "every byte before is kept: {once}");
    assert_eq!(
        &once[BASE.len()..],
        "\n[profile Data-Lake.Admin]\nsso_session = corp\nsso_account_id = 333333333333\n\
         sso_role_name = Admin\nvault_generated = https://corp.awsapps.com/start\n\n\
         [profile shop.Admin]\nsso_session = corp\nsso_account_id = 222222222222\n\
         sso_role_name = Admin\nvault_generated = https://corp.awsapps.com/start\n\n\
         [profile shop.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\n\
         sso_role_name = ReadOnly\nvault_generated = https://corp.awsapps.com/start\n"
    );
    let (again, twice) = run(&once, &listed, false, None);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert!(again.entries.iter().all(|e| e.action == Action::Keep));
    assert_eq!(twice, once);
}

#[test]
fn a_hand_written_profile_is_never_duplicated_changed_or_taken() {
    let text = format!("{BASE}[profile shop.Admin]\nregion = us-east-1\n");
    let listed = [pair("111111111111", "main", "Admin"), pair("222222222222", "shop", "Admin")];
    let (plan, out) = run(&text, &listed, true, None);
    assert_eq!(
        actions(&plan),
        [(Action::Add, "shop.Admin-222222222222"), (Action::HandWritten, "mine")]
    );
    assert!(out.starts_with(&text));
    assert!(!out.contains("sso_account_id = 111111111111\nsso_role_name = Admin\nvault"));
}

#[test]
fn colliding_names_get_suffixes_that_stay() {
    let a = pair("222222222222", "a b", "Admin");
    let b = pair("333333333333", "a/b", "Admin");
    let (plan, out) = run(BASE, &[b.clone(), a.clone()], false, None);
    assert_eq!(
        actions(&plan),
        [(Action::Add, "a-b.Admin"), (Action::Add, "a-b.Admin-333333333333")]
    );
    // The first account goes: the second keeps its name.
    let (plan, pruned) = run(&out, std::slice::from_ref(&b), true, None);
    assert_eq!(
        actions(&plan),
        [(Action::Remove, "a-b.Admin"), (Action::Keep, "a-b.Admin-333333333333")]
    );
    let (again, _) = run(&pruned, &[b], true, None);
    assert!(again.changes.is_empty());
    // `default` would be the profile every tool uses without one.
    let template = Template::parse("{account_name}").unwrap();
    let session = session(Some("corp"));
    let opts =
        Options { session: &session, template: &template, prefix: "", region: None, prune: false };
    let cfg = ConfigFile::parse("", Path::new("/c")).unwrap();
    let named = super::plan(&cfg, "", &[pair("7", "default", "R")], &opts).unwrap();
    assert_eq!(actions(&named), [(Action::Add, "default-7")]);
    // Roles that differ only in characters a shell word drops.
    let roles = [pair("4", "x", "A+b"), pair("4", "x", "A=b"), pair("4", "x", "A,b")];
    let (plan, _) = run(BASE, &roles, false, None);
    let names: Vec<_> = actions(&plan).into_iter().map(|(_, n)| n.to_owned()).collect();
    assert_eq!(names[..2], ["x.A-b", "x.A-b-4"]);
    assert!(
        names[2].starts_with("x.A-b-4-") && names[2].len() == "x.A-b-4-".len() + 8,
        "{names:?}"
    );
}

#[test]
fn prune_removes_exactly_the_generated_profiles_of_a_gone_account() {
    let listed = [pair("222222222222", "shop", "Admin"), pair("333333333333", "lake", "Dev")];
    let (_, full) = run(BASE, &listed, false, None);
    let other_url = "[profile elsewhere]\nsso_account_id = 333333333333\nsso_role_name = Dev\n\
                     vault_generated = https://other.awsapps.com/start\n";
    let full = format!("{full}\n{other_url}");
    let (plan, kept) = run(&full, &listed[..1], false, None);
    assert_eq!(actions(&plan), [(Action::Stale, "lake.Dev"), (Action::Keep, "shop.Admin")]);
    assert_eq!(kept, full, "without --prune nothing is removed");
    let (plan, pruned) = run(&full, &listed[..1], true, None);
    assert_eq!(actions(&plan), [(Action::Remove, "lake.Dev"), (Action::Keep, "shop.Admin")]);
    let (_, shop_only) = run(BASE, &listed[..1], false, None);
    assert_eq!(pruned, format!("{shop_only}\n{other_url}"));
    assert!(pruned.contains("[profile mine]  # by hand\n"));
    // Nothing listed any more: the file is as it was before the first run.
    let (_, empty) = run(&shop_only, &[], true, None);
    assert_eq!(empty, BASE);
}

#[test]
fn a_changed_setting_rewrites_only_that_profile() {
    let listed = [pair("222222222222", "shop", "Admin"), pair("333333333333", "lake", "Dev")];
    let (_, once) = run(BASE, &listed, false, None);
    let (plan, regional) = run(&once, &listed, false, Some("eu-central-1"));
    assert_eq!(actions(&plan), [(Action::Update, "lake.Dev"), (Action::Update, "shop.Admin")]);
    assert_eq!(regional.matches("region = eu-central-1\n").count(), 2);
    assert!(regional.starts_with(BASE));
    // A region added by hand stays when no --region is given.
    let (plan, same) = run(&regional, &listed, false, None);
    assert!(plan.changes.is_empty());
    assert_eq!(same, regional);
}

#[test]
fn the_legacy_form_writes_the_start_url_and_region() {
    let template = Template::parse("{account_id}-{role_name}").unwrap();
    let session = session(None);
    let opts = Options {
        session: &session,
        template: &template,
        prefix: "corp/",
        region: Some("us-west-2"),
        prune: false,
    };
    let cfg = ConfigFile::parse("", Path::new("/c")).unwrap();
    let plan = plan(&cfg, "", &[pair("1", "x", "Dev")], &opts).unwrap();
    let out = String::from_utf8(apply("", &plan.changes)).unwrap();
    assert_eq!(
        out,
        "[profile corp-1-Dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
         sso_account_id = 1\nsso_role_name = Dev\nregion = us-west-2\n\
         vault_generated = https://corp.awsapps.com/start\n"
    );
    let pointing = profiles_pointing(&ConfigFile::parse(&out, Path::new("/c")).unwrap(), URL);
    assert_eq!(pointing[&("1".to_owned(), "Dev".to_owned())], ["corp-1-Dev"]);
}
