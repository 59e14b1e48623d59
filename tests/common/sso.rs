//! The IAM Identity Center fake (tests/support/sso_peer.py: the OIDC service
//! and the portal, which have no local peer), started per test on loopback.

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use super::python;

pub struct SsoPeer {
    child: Child,
    pub url: String,
    log: PathBuf,
    dir: TempDir,
}

impl Drop for SsoPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SsoPeer {
    pub fn start(access_token_ttl: u32) -> Self {
        Self::start_with(access_token_ttl, &[])
    }

    pub fn start_with(access_token_ttl: u32, flags: &[&str]) -> Self {
        let dir = tempfile::Builder::new().prefix("vault-sso-").tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let ready = dir.path().join("port");
        let out = File::create(dir.path().join("server.log")).unwrap();
        let child = Command::new(python())
            .arg(super::support_dir().join("sso_peer.py"))
            .arg("--log")
            .arg(&log)
            .arg("--ready")
            .arg(&ready)
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .args(["--access-token-ttl", &access_token_ttl.to_string()])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("python runs sso_peer.py");
        let started = Instant::now();
        let port = loop {
            if let Ok(text) = fs::read_to_string(&ready) {
                break text.trim().to_owned();
            }
            assert!(started.elapsed() < Duration::from_secs(20), "sso_peer.py did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        let browser = dir.path().join("browser");
        fs::write(
            &browser,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\nexec '{}' -c '{BROWSE}' \"$1\"\n",
                dir.path().join("browser-argv").display(),
                python()
            ),
        )
        .unwrap();
        fs::set_permissions(&browser, fs::Permissions::from_mode(0o755)).unwrap();
        Self { child, url: format!("http://127.0.0.1:{port}"), log, dir }
    }

    pub fn requests(&self) -> Vec<Value> {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn count(&self, op: &str) -> usize {
        self.requests().iter().filter(|r| r["op"] == op).count()
    }

    pub fn count_grant(&self, grant: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r["op"] == "CreateToken" && r["grantType"] == grant && r["status"] == 200)
            .count()
    }

    /// Signs every access token out, as the portal does when a session is revoked.
    pub fn revoke(&self) {
        let script = format!(
            "import urllib.request; urllib.request.urlopen(urllib.request.Request('{}/fake/revoke', data=b'{{}}', method='POST')).read()",
            self.url
        );
        let status = Command::new(python()).args(["-c", &script]).status().unwrap();
        assert!(status.success());
    }

    /// What the browser was given, one line per start.
    pub fn browser_argv(&self) -> String {
        fs::read_to_string(self.dir.path().join("browser-argv")).unwrap_or_default()
    }

    /// A `$BROWSER` that approves by fetching the URL it is given. Written once, at
    /// start: rewriting it while a vault spawned earlier executes it would hand that
    /// vault an empty script, and its sign-in would never be approved.
    pub fn browser(&self) -> PathBuf {
        self.dir.path().join("browser")
    }
}

/// What the test browser does with what it is given: vault hands it a
/// page that redirects (a `file://` URL), which it follows as a browser
/// would, then fetches the URL.
const BROWSE: &str = "import html, re, sys, urllib.request as u
url = sys.argv[1]
if url.startswith(\"file://\"):
    page = open(u.url2pathname(url[len(\"file://\"):])).read()
    url = html.unescape(re.search(r\"content=.0;url=([^\\x22]*)\", page).group(1))
u.urlopen(url).read()";
