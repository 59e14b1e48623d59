//! Opening a URL in the user's browser without putting it in any argv: the
//! console sign-in URL carries a SigninToken (15 minutes of console access
//! for whoever has it) and the SSO authorize URL its `state`, and a
//! browser's command line is readable by every local user through /proc.
//! The browser is given a page instead, 0600 in vault's private 0700 runtime
//! folder (the agent's), that redirects to the URL; the page is removed as
//! soon as the browser has opened it, and at the latest when the caller
//! drops it.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore as _;

use crate::env::Env;

/// How long the page waits for the browser to open it before it is removed
/// anyway (a cold browser start takes a few seconds); `vault login` waits
/// as long at most.
pub const READ_WITHIN: Duration = Duration::from_secs(20);

/// Whether a browser can plausibly be opened: on Linux and the BSDs that
/// needs `$BROWSER` or a graphical session (else the opener may fail
/// silently, or start a text browser on a terminal we do not own).
pub fn can_open(env: &Env) -> bool {
    if cfg!(target_os = "macos") || cfg!(windows) {
        return true;
    }
    ["BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME"]
        .iter()
        .any(|v| env.get(v).is_some())
}

/// The redirect page handed to the browser: a thread removes it once the
/// browser has opened it (the browser reads on from what it opened), or
/// after [`READ_WITHIN`]; dropping this removes it too.
pub struct Opened {
    page: PathBuf,
    remover: Option<std::thread::JoinHandle<()>>,
}

impl Opened {
    /// Waits until the page is gone: opened by the browser, or
    /// [`READ_WITHIN`] passed.
    pub fn wait(mut self) {
        if let Some(remover) = self.remover.take() {
            let _ = remover.join();
        }
    }

    #[cfg(test)]
    fn path(&self) -> &Path {
        &self.page
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.page);
    }
}

/// Removes `page` once something opened it (inotify `IN_OPEN`), or after
/// `limit`; `None` where inotify is missing (the page then lives until
/// [`Opened`] is dropped).
fn remove_once_opened(page: &Path, limit: Duration) -> Option<std::thread::JoinHandle<()>> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::fs::inotify;
    let watch = inotify::init(inotify::CreateFlags::CLOEXEC).ok()?;
    inotify::add_watch(&watch, page, inotify::WatchFlags::OPEN).ok()?;
    let page = page.to_owned();
    Some(std::thread::spawn(move || {
        let mut fds = [PollFd::new(&watch, PollFlags::IN)];
        let timeout = Timespec::try_from(limit).unwrap_or(Timespec { tv_sec: 0, tv_nsec: 0 });
        let _ = poll(&mut fds, Some(&timeout));
        let _ = std::fs::remove_file(&page);
    }))
}

/// Opens `url` in the user's browser through a redirect page. On Linux and
/// the BSDs vault starts the opener itself (the first of `$BROWSER`'s
/// `:`-separated commands, `%s` standing for the page's URL, else
/// `xdg-open`), so that it gets the environment every child of vault gets,
/// without vault's secrets ([`crate::child`]).
pub fn open(env: &Env, url: &str) -> io::Result<Opened> {
    let page = write_page(env, url)?;
    let remover = remove_once_opened(&page, READ_WITHIN);
    let opened = Opened { page, remover };
    let page_url = url::Url::from_file_path(&opened.page)
        .map_err(|()| io::Error::other("the page's path is not absolute"))?;
    if cfg!(target_os = "macos") || cfg!(windows) {
        webbrowser::open(page_url.as_str())?;
        return Ok(opened);
    }
    let opener = env.get("BROWSER").and_then(|b| b.split(':').find(|c| !c.trim().is_empty()));
    let (program, args): (String, Vec<String>) = match opener {
        Some(command) => {
            let mut words = command.split_whitespace().map(str::to_owned);
            let program = words.next().unwrap_or_default();
            let mut args: Vec<String> = words.collect();
            if args.iter().any(|a| a.contains("%s")) {
                args.iter_mut().for_each(|a| *a = a.replace("%s", page_url.as_str()));
            } else {
                args.push(page_url.to_string());
            }
            (program, args)
        }
        None => ("xdg-open".to_owned(), vec![page_url.to_string()]),
    };
    // Not waited for: a browser may run for hours after the sign-in.
    crate::child::command(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    Ok(opened)
}

/// Writes the page that sends the browser to `url` into vault's private
/// runtime folder, refusing a folder someone else could read or swap.
fn write_page(env: &Env, url: &str) -> io::Result<PathBuf> {
    let dir = crate::agent::socket_path(env)
        .map_err(io::Error::other)?
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| io::Error::other("the runtime folder has no path"))?;
    crate::atomic_write::create_private_dir(&dir)?;
    if let Some(problem) = crate::agent::folder_problem(&dir) {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, problem));
    }
    let mut name = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut name);
    let page = dir.join(format!("open-{}.html", crate::trust::hex(&name)));
    let contents = zeroize::Zeroizing::new(redirect_page(url));
    crate::atomic_write::write(&page, contents.as_bytes(), crate::atomic_write::Mode::Private)?;
    Ok(page)
}

/// A page that redirects at once to `url`, with a link for a browser that
/// does not follow `refresh`. It sends no Referer, so the token stays out
/// of the console's logs of where visitors came from.
fn redirect_page(url: &str) -> String {
    let url = html_attribute(url);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\"><title>vault</title></head>\
         <body><a href=\"{url}\">Continue</a></body></html>\n"
    )
}

/// `text` escaped for a double-quoted HTML attribute.
fn html_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_browser_needs_a_display_or_browser_variable() {
        if cfg!(target_os = "macos") {
            return;
        }
        assert!(!can_open(&Env::default()));
        assert!(can_open(&Env::from_pairs([("DISPLAY", ":0")])));
        assert!(can_open(&Env::from_pairs([("BROWSER", "firefox")])));
    }

    #[test]
    fn the_page_redirects_with_the_url_escaped() {
        let page = redirect_page("https://signin.aws/federation?a=1&SigninToken=x\"y<z>");
        assert!(page.contains("content=\"0;url=https://signin.aws/federation?a=1&amp;SigninToken=x&quot;y&lt;z&gt;\""), "{page}");
        assert!(!page.contains("x\"y"), "{page}");
    }

    #[test]
    fn the_page_is_private_and_gone_once_opened() {
        let runtime = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([
            ("XDG_RUNTIME_DIR", runtime.path().to_str().unwrap()),
            ("BROWSER", "true"),
        ]);
        let opened = open(&env, "https://example.com/?SigninToken=secret").unwrap();
        let page = opened.path().to_owned();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&page), 0o600);
        assert_eq!(mode(page.parent().unwrap()), 0o700);
        assert!(std::fs::read_to_string(&page).unwrap().contains("SigninToken=secret"));
        // The read above opened it: waiting returns at once, and it is gone.
        let started = std::time::Instant::now();
        opened.wait();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(!page.exists());
    }
}
