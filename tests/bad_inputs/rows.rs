//! The rows of tests/bad_inputs.rs: for each bad input, its setup, the
//! command, the text its one error line must hold, and the exit status.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::Command;

use super::{BASE, Ctx, KEY_ID, PASSPHRASE, Row, SECRET, TempHome, env, pty, row, stderr};

/// The table.
pub(crate) fn rows() -> Vec<Row> {
    let no_store = |c: &mut Ctx<'_>| {
        c.t.write_config(BASE);
        vec![]
    };
    vec![
        // --- the config file ---
        row("malformed section header", &["export", "home"], "unclosed section header", 1, |c| {
            c.t.write_config("[profile home\nregion = eu-west-1\n");
            vec![]
        }),
        row(
            "a line that is no setting",
            &["export", "home"],
            "is not a `[section]` header",
            1,
            |c| {
                c.t.write_config("[profile home]\nthis is not a setting\n");
                vec![]
            },
        ),
        row("include_profile loop", &["export", "a"], "include_profile cycle", 1, |c| {
            c.keys();
            c.t.write_config(
                "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n",
            );
            vec![]
        }),
        row("source_profile cycle", &["export", "a"], "source_profile cycle", 1, |c| {
            c.keys();
            c.t.write_config(
                "[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::1:role/a\n\
                 [profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::1:role/b\n",
            );
            vec![]
        }),
        row("unknown profile", &["export", "nosuch"], "profile \"nosuch\" not found", 1, |c| {
            c.keys();
            c.t.write_config(BASE);
            vec![]
        }),
        row(
            "source_profile names an unknown profile",
            &["export", "r"],
            "source_profile \"gone\"",
            1,
            |c| {
                c.keys();
                c.t.write_config(
                    "[profile r]\nsource_profile = gone\nrole_arn = arn:aws:iam::1:role/r\n",
                );
                vec![]
            },
        ),
        row("empty config file", &["export", "work"], "profile \"work\" not found", 1, |c| {
            c.t.write_config("");
            vec![]
        }),
        row("huge config file", &["export", "work"], "profile \"work\" not found", 1, |c| {
            let line = format!("# {}\n", "x".repeat(1000));
            c.t.write_config(&line.repeat(40_000));
            vec![]
        }),
        row("binary garbage in the config", &["export", "home"], "not valid UTF-8", 1, |c| {
            let garbage: Vec<u8> =
                (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            c.write(".aws/config", garbage);
            vec![]
        }),
        row("the config is a folder", &["export", "home"], "Is a directory", 1, |c| {
            fs::create_dir_all(c.t.config_path()).unwrap();
            vec![]
        }),
        row(
            "the config is a symlink loop",
            &["export", "home"],
            "Too many levels of symbolic links",
            1,
            |c| {
                fs::create_dir_all(c.home().join(".aws")).unwrap();
                symlink("config", c.t.config_path()).unwrap();
                vec![]
            },
        ),
        // --- durations, regions, settings ---
        row(
            "duration_seconds that is no number",
            &["export", "d"],
            "duration_seconds = \"soon\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config("[profile d]\nsource_profile = home\nrole_arn = arn:aws:iam::1:role/d\nduration_seconds = soon\n[profile home]\n");
                vec![]
            },
        ),
        row(
            "--duration with a bad unit",
            &["export", "--duration", "5x", "home"],
            "invalid duration \"5x\"",
            2,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                vec![]
            },
        ),
        row(
            "VAULT_PROCESS_TIMEOUT that is no duration",
            &["export", "home"],
            "VAULT_PROCESS_TIMEOUT=\"soon\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                env(&[("VAULT_PROCESS_TIMEOUT", "soon")])
            },
        ),
        row(
            "unlock --timeout that is no duration",
            &["unlock", "--timeout", "forever"],
            "invalid value 'forever' for '--timeout <DURATION>': invalid duration \"forever\"",
            2,
            |c| {
                c.keys();
                vec![]
            },
        ),
        row(
            "a region with spaces",
            &["export", "--region", "eu west 1", "home"],
            "--region=\"eu west 1\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                vec![]
            },
        ),
        row(
            "a region in the config with a slash",
            &["export", "home"],
            "region = \"../../evil\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config("[profile home]\nregion = ../../evil\n");
                vec![]
            },
        ),
        row(
            "VAULT_FILE_ITERATIONS out of range",
            &["add", "--env", "new"],
            "VAULT_FILE_ITERATIONS=\"5\"",
            1,
            |c| {
                c.keys();
                env(&[
                    ("VAULT_FILE_ITERATIONS", "5"),
                    ("AWS_ACCESS_KEY_ID", KEY_ID),
                    ("AWS_SECRET_ACCESS_KEY", SECRET),
                ])
            },
        ),
        row("an unknown backend", &["list"], "invalid value 'nosuch' for '--backend", 2, |c| {
            c.keys();
            env(&[("AWS_VAULT_BACKEND", "nosuch")])
        }),
        row(
            "an unknown prompt driver",
            &["export", "mfa"],
            "invalid value 'nosuch' for '--prompt",
            2,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                env(&[("AWS_VAULT_PROMPT", "nosuch")])
            },
        ),
        // --- the file store ---
        row("wrong passphrase", &["export", "home"], "wrong passphrase", 1, |c| {
            c.keys();
            c.t.write_config(BASE);
            env(&[("AWS_VAULT_FILE_PASSPHRASE", "not the passphrase")])
        }),
        row("a corrupt store item", &["export", "home"], "the file is damaged", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            fs::write(c.item("home"), "this is not a JWE token").unwrap();
            vec![]
        }),
        row("a truncated store item", &["export", "home"], "4 parts instead of 5", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            let whole = fs::read(c.item("home")).unwrap();
            fs::write(c.item("home"), &whole[..whole.len() / 2]).unwrap();
            vec![]
        }),
        row("an empty store item", &["export", "home"], "not a valid encrypted item", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            fs::write(c.item("home"), "").unwrap();
            vec![]
        }),
        row(
            "a foreign file in the store (another tool's JSON)",
            &["export", "home"],
            "not a valid encrypted item",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                fs::write(c.item("home"), r#"{"AccessKeyID":"AKIA","SecretAccessKey":"x"}"#)
                    .unwrap();
                vec![]
            },
        ),
        row(
            "a store item encrypted with another passphrase",
            &["export", "home"],
            "wrong passphrase",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                let other = TempHome::new();
                let out = other
                    .vault()
                    .args(["add", "--env", "--add-config=false", "home"])
                    .env("AWS_ACCESS_KEY_ID", KEY_ID)
                    .env("AWS_SECRET_ACCESS_KEY", SECRET)
                    .env("AWS_VAULT_FILE_PASSPHRASE", "another passphrase entirely")
                    .env("VAULT_FILE_ITERATIONS", "8192")
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", stderr(&out));
                fs::copy(other.keys_dir().join("home"), c.item("home")).unwrap();
                vec![]
            },
        ),
        row(
            "a store folder open to others (0777)",
            &["export", "home"],
            "writable by every user (mode 777)",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.chmod(".awsvault/keys", 0o777);
                vec![]
            },
        ),
        row("the store folder is a file", &["list"], "Not a directory", 1, |c| {
            c.write(".awsvault/keys", "not a folder");
            vec![]
        }),
        row(
            "a dangling store item symlink",
            &["export", "home"],
            "no credentials are stored for profile \"home\"; run `vault add home`",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                fs::remove_file(c.item("home")).unwrap();
                symlink(c.home().join("gone"), c.item("home")).unwrap();
                vec![]
            },
        ),
        row("no stored credentials", &["export", "home"], "vault add home", 1, no_store),
        // --- the disk ---
        row(
            "a full disk under the store",
            &["add", "--env", "--add-config=false", "second"],
            "No space left on device",
            1,
            |c| {
                c.t.write_config(BASE);
                c.tmpfs(".awsvault", "64k");
                c.keys();
                c.fill(".awsvault/filler");
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row(
            "a full disk under the config",
            &["add", "--env", "third"],
            "No space left on device",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.tmpfs(".aws", "64k");
                c.fill(".aws/filler");
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row(
            "a read-only home",
            &["add", "--env", "--add-config=false", "second"],
            "Read-only file system",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.read_only_home();
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row("a read-only home, allow", &["allow", "proj"], "Read-only file system", 1, |c| {
            c.write("proj/.awsprofile", "home\n");
            c.read_only_home();
            vec![]
        }),
        // --- STS, IAM, SSO ---
        row(
            "STS: a key id STS does not know",
            &["export", "home"],
            "InvalidClientTokenId",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        ),
        row("STS: the wrong secret", &["export", "home"], "SignatureDoesNotMatch", 1, |c| {
            c.t.write_config(BASE);
            c.add("home", &c.p.strict_user.0, "wrongSecretKey/0000+abcdefghijklmnopqrst");
            env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
        }),
        row(
            "STS: AssumeRole denied",
            &["export", "--no-session", "role"],
            "not authorized to perform: sts:AssumeRole",
            1,
            |c| {
                c.t.write_config(BASE);
                c.add("home", &c.p.strict_user.0, &c.p.strict_user.1);
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        ),
        row(
            "IAM: rotate denied",
            &["rotate", "-n", "home"],
            "not authorized to perform: iam:CreateAccessKey; nothing was changed",
            1,
            |c| {
                c.t.write_config(BASE);
                c.add("home", &c.p.strict_user.0, &c.p.strict_user.1);
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        )
        .progress_on_stdout(),
        row(
            "network down: STS on a closed port",
            &["export", "home"],
            "could not reach STS at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.closed)])
            },
        ),
        row(
            "network down: IAM on a closed port",
            &["rotate", "-n", "home"],
            "could not reach IAM at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.closed)])
            },
        ),
        row(
            "SSO: a role the user may not use",
            &["export", "nope"],
            "refused role Admin",
            1,
            |c| {
                sso_signed_in(c);
                vec![]
            },
        ),
        row(
            "SSO: a profile without sso_role_name",
            &["export", "half"],
            "lacks sso_role_name",
            1,
            |c| {
                c.t.write_config(&format!(
                    "{}[profile half]\nsso_session = corp\nsso_account_id = 111122223333\n",
                    sso_config()
                ));
                vec![]
            },
        ),
        row(
            "SSO: network down",
            &["export", "--no-browser", "dev"],
            "could not reach SSO OIDC at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(&sso_config());
                env(&[
                    ("AWS_ENDPOINT_URL_SSO", &c.p.closed),
                    ("AWS_ENDPOINT_URL_SSO_OIDC", &c.p.closed),
                ])
            },
        ),
        // --- Ctrl-C at every prompt ---
        pty(
            "Ctrl-C at the access key id prompt",
            &["add", "new"],
            &[("Enter Access Key Id: ", "AKIA\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at the secret key prompt",
            &["add", "new"],
            &[("Enter Access Key Id: ", "AKIANEW\r"), ("Enter Secret Key: ", "abc\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at a new store's passphrase prompt",
            &["add", "new"],
            &[
                ("Enter Access Key Id: ", "AKIANEW\r"),
                ("Enter Secret Key: ", "abcdefgh\r"),
                ("Enter passphrase", "\u{3}"),
            ],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the passphrase confirmation",
            &["add", "new"],
            &[
                ("Enter Access Key Id: ", "AKIANEW\r"),
                ("Enter Secret Key: ", "abcdefgh\r"),
                ("Enter passphrase", "a new passphrase\r"),
                ("Enter the same passphrase again: ", "a new\u{3}"),
            ],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the passphrase prompt of export",
            &["export", "home"],
            &[("Enter passphrase", "\u{3}")],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                c.keys();
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the MFA prompt",
            &["export", "mfa"],
            &[("Enter MFA code", "12\u{3}")],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[
                    ("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE),
                    ("AWS_ENDPOINT_URL", &c.p.moto.url()),
                ])
            },
        ),
        pty(
            "Ctrl-C at the overwrite question",
            &["add", "home"],
            &[("overwrite? (y|N) ", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at the delete question",
            &["remove", "home"],
            &[("(y|N)", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at unlock's passphrase prompt",
            &["unlock"],
            &[("Enter passphrase", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                let run = c.home().join("run");
                fs::create_dir(&run).unwrap();
                fs::set_permissions(&run, fs::Permissions::from_mode(0o700)).unwrap();
                env(&[("XDG_RUNTIME_DIR", &run.display().to_string())])
            },
        ),
        // --- hostile .awsprofile files ---
        row(".awsprofile running a command", &["allow", "proj"], "must name one profile", 1, |c| {
            // Under the home the snapshot covers, so a run payload would show.
            let payload = format!("$(touch {}/pwned)\n", c.home().display());
            c.write("proj/.awsprofile", &payload);
            vec![]
        }),
        row(
            ".awsprofile with an escape sequence",
            &["allow", "proj"],
            "must name one profile",
            1,
            |c| {
                c.write("proj/.awsprofile", "home\u{1b}]0;pwned\u{7}\n");
                vec![]
            },
        ),
        row(".awsprofile with two names", &["allow", "proj"], "must name one profile", 1, |c| {
            c.write("proj/.awsprofile", "home\nwork\n");
            vec![]
        }),
        row(".awsprofile that is huge", &["allow", "proj"], "larger than 4096 bytes", 1, |c| {
            c.write("proj/.awsprofile", "a".repeat(1 << 20));
            vec![]
        }),
        row(".awsprofile of binary garbage", &["allow", "proj"], "not UTF-8 text", 1, |c| {
            c.write("proj/.awsprofile", [0xff, 0xfe, 0, 1, 2, b'\n']);
            vec![]
        }),
        row(
            ".awsprofile that is a FIFO",
            &["allow", "proj/.awsprofile"],
            "is not a regular file",
            1,
            |c| {
                fs::create_dir_all(c.home().join("proj")).unwrap();
                let st =
                    Command::new("mkfifo").arg(c.home().join("proj/.awsprofile")).status().unwrap();
                assert!(st.success());
                vec![]
            },
        ),
        row(
            ".awsprofile symlinked to a secret file",
            &["allow", "proj"],
            "home (not shown)",
            1,
            |c| {
                c.keys();
                fs::create_dir_all(c.home().join("proj")).unwrap();
                symlink(c.item("home"), c.home().join("proj/.awsprofile")).unwrap();
                vec![]
            },
        ),
    ]
}

fn sso_config() -> String {
    "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
     [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
     [profile nope]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
        .to_owned()
}

/// Signs in once through the SSO fake (the device-code flow, approved by a
/// browser script), so the row's own command needs no sign-in.
fn sso_signed_in(c: &mut Ctx<'_>) {
    c.t.write_config(&sso_config());
    let out =
        c.t.vault()
            .args(["export", "--format", "json", "--use-device-code", "dev"])
            .env("AWS_ENDPOINT_URL_SSO", &c.p.sso.url)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &c.p.sso.url)
            .env("BROWSER", c.p.sso.browser())
            .env("VAULT_FILE_ITERATIONS", "8192")
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
