//! The secret-service backend (GNOME Keyring, KWallet, KeePassXC over D-Bus), laid out as
//! aws-vault's: one named collection (`awsvault` unless told otherwise), one item per key,
//! labelled with the key, found by the attribute `profile=<key>`, holding the item's JSON
//! with content type `application/json`.
//!
//! D-Bus is spoken by a worker thread that owns its own async runtime and connection, so a
//! caller inside another runtime cannot deadlock it, and every wait is bounded: a missing,
//! stuck or prompting daemon turns into one error line, never a hang.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use secret_service::{Collection, EncryptionType, Error as SsError, SecretService};
use zeroize::Zeroizing;

use super::item::Item;
use super::{Store, StoreError};

const BACKEND: &str = "secret-service";

/// aws-vault looks its collection up by this path plus the name, not by label.
const COLLECTION_PATH_PREFIX: &str = "/org/freedesktop/secrets/collection/";

/// aws-vault's attribute for finding an item by key.
const ATTRIBUTE: &str = "profile";

const CONTENT_TYPE: &str = "application/json";

/// A plain D-Bus call: connecting, listing, reading, writing. A healthy daemon answers in
/// milliseconds; this only bounds a stuck one.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A call that may show the user a prompt (unlock, create a collection): long enough to
/// type a password, short enough that a prompt nobody sees does not hang the shell.
const PROMPT_TIMEOUT: Duration = Duration::from_secs(120);

/// The caller's last resort if the worker itself stops answering.
const JOB_TIMEOUT: Duration = Duration::from_secs(150);

pub struct SecretServiceStore {
    collection: String,
    /// Started on first use, so that opening the store costs nothing.
    worker: Mutex<Option<mpsc::Sender<Job>>>,
}

enum Op {
    Keys,
    Get(String),
    Set(Item),
    Remove(String),
}

enum Reply {
    Keys(Vec<String>),
    Item(Option<Item>),
    Stored,
    Removed(bool),
}

struct Job {
    op: Op,
    reply: mpsc::Sender<Result<Reply, StoreError>>,
}

impl SecretServiceStore {
    pub fn new(collection: impl Into<String>) -> Self {
        Self { collection: collection.into(), worker: Mutex::new(None) }
    }

    fn call(&self, op: Op) -> Result<Reply, StoreError> {
        let mut worker = self.worker.lock().unwrap_or_else(PoisonError::into_inner);
        let sender = match worker.as_ref() {
            Some(sender) => sender.clone(),
            None => {
                let (sender, jobs) = mpsc::channel();
                let collection = self.collection.clone();
                thread::Builder::new()
                    .name("secret-service".into())
                    .spawn(move || serve(&collection, jobs))
                    .map_err(|e| fail(format!("could not start its worker thread: {e}")))?;
                worker.insert(sender).clone()
            }
        };
        let (reply, answer) = mpsc::channel();
        if sender.send(Job { op, reply }).is_err() {
            *worker = None;
            return Err(fail("its worker thread stopped; run the command again"));
        }
        match answer.recv_timeout(JOB_TIMEOUT) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                // Abandon the stuck worker; the next call starts a fresh one.
                *worker = None;
                Err(fail(format!(
                    "the Secret Service did not answer within {}s; check that the keyring daemon is running and responsive, or choose another backend with --backend",
                    JOB_TIMEOUT.as_secs()
                )))
            }
            Err(RecvTimeoutError::Disconnected) => {
                *worker = None;
                Err(fail("its worker thread stopped; run the command again"))
            }
        }
    }
}

impl Store for SecretServiceStore {
    fn backend_name(&self) -> &'static str {
        BACKEND
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match self.call(Op::Keys)? {
            Reply::Keys(keys) => Ok(keys),
            _ => unreachable!("a keys job answers with keys"),
        }
    }

    fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
        match self.call(Op::Get(key.to_owned()))? {
            Reply::Item(item) => Ok(item),
            _ => unreachable!("a get job answers with an item"),
        }
    }

    fn set(&self, item: Item) -> Result<(), StoreError> {
        if item.key.is_empty() {
            return Err(StoreError::Invalid("cannot store an item with an empty name".into()));
        }
        self.call(Op::Set(item)).map(|_| ())
    }

    fn remove(&self, key: &str) -> Result<bool, StoreError> {
        match self.call(Op::Remove(key.to_owned()))? {
            Reply::Removed(removed) => Ok(removed),
            _ => unreachable!("a remove job answers whether it removed"),
        }
    }
}

impl fmt::Debug for SecretServiceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretServiceStore").field("collection", &self.collection).finish()
    }
}

/// The worker: one runtime and (once connected) one D-Bus connection for all jobs.
fn serve(collection: &str, jobs: mpsc::Receiver<Job>) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            let message = format!("could not start its async runtime: {e}");
            for job in jobs {
                let _ = job.reply.send(Err(fail(message.clone())));
            }
            return;
        }
    };
    let mut service: Option<SecretService<'static>> = None;
    for job in jobs {
        let result = runtime.block_on(async {
            if service.is_none() {
                service = Some(connect().await?);
            }
            let ss = service.as_ref().expect("connected just above");
            run(ss, collection, job.op).await
        });
        if result.is_err() {
            // The connection may be what broke; the next job starts afresh.
            service = None;
        }
        let _ = job.reply.send(result);
    }
}

async fn connect() -> Result<SecretService<'static>, StoreError> {
    match tokio::time::timeout(CALL_TIMEOUT, SecretService::connect(EncryptionType::Dh)).await {
        Ok(Ok(service)) => Ok(service),
        Ok(Err(e)) => Err(describe(e, "connect")),
        Err(_) => Err(timed_out(CALL_TIMEOUT, "connect")),
    }
}

async fn run<'a>(ss: &'a SecretService<'a>, name: &str, op: Op) -> Result<Reply, StoreError> {
    match op {
        Op::Keys => {
            let Some(collection) = find(ss, name).await? else { return Ok(Reply::Keys(vec![])) };
            // Labels are readable while the collection is locked, so listing never prompts.
            let items = bounded(CALL_TIMEOUT, "list the items", collection.get_all_items()).await?;
            let mut keys = Vec::with_capacity(items.len());
            for item in &items {
                // An item another process deleted since the listing is not there.
                if let Some(label) =
                    unless_gone(CALL_TIMEOUT, "read an item's label", item.get_label()).await?
                {
                    keys.push(label);
                }
            }
            keys.sort();
            Ok(Reply::Keys(keys))
        }
        Op::Get(key) => {
            let Some(collection) = find(ss, name).await? else { return Ok(Reply::Item(None)) };
            let items = search(&collection, &key).await?;
            let Some(item) = items.first() else { return Ok(Reply::Item(None)) };
            let Some(locked) =
                unless_gone(CALL_TIMEOUT, "check the lock", item.is_locked()).await?
            else {
                return Ok(Reply::Item(None));
            };
            if locked {
                unlock(&collection, name).await?;
            }
            let Some(secret) = unless_gone(CALL_TIMEOUT, "read an item", item.get_secret()).await?
            else {
                return Ok(Reply::Item(None));
            };
            let secret = Zeroizing::new(secret);
            let parsed = Item::from_json(&secret).map_err(|reason| StoreError::BadItem {
                key: key.clone(),
                reason: format!("its secret is {reason}"),
            })?;
            Ok(Reply::Item(Some(parsed)))
        }
        Op::Set(item) => {
            let collection = match find(ss, name).await? {
                Some(collection) => collection,
                None => create(ss, name).await?,
            };
            if bounded(CALL_TIMEOUT, "check the lock", collection.is_locked()).await? {
                unlock(&collection, name).await?;
            }
            let json = item.to_json();
            let attributes = HashMap::from([(ATTRIBUTE, item.key.as_str())]);
            // `replace` makes the daemon overwrite the item with the same attributes.
            let stored = collection.create_item(&item.key, attributes, &json, true, CONTENT_TYPE);
            bounded(PROMPT_TIMEOUT, "store an item", stored).await?;
            Ok(Reply::Stored)
        }
        Op::Remove(key) => {
            let Some(collection) = find(ss, name).await? else {
                return Ok(Reply::Removed(false));
            };
            let items = search(&collection, &key).await?;
            if items.is_empty() {
                return Ok(Reply::Removed(false));
            }
            if bounded(CALL_TIMEOUT, "check the lock", collection.is_locked()).await? {
                unlock(&collection, name).await?;
            }
            // Duplicates (written by other tools without `replace`) all go: after a remove
            // the key must be gone.
            for item in &items {
                // Already deleted by another process: gone either way.
                unless_gone(PROMPT_TIMEOUT, "delete an item", item.delete()).await?;
            }
            Ok(Reply::Removed(true))
        }
    }
}

/// The collection at aws-vault's path for `name`, if it exists.
async fn find<'a>(
    ss: &'a SecretService<'a>,
    name: &str,
) -> Result<Option<Collection<'a>>, StoreError> {
    let path = format!("{COLLECTION_PATH_PREFIX}{name}");
    let all = bounded(CALL_TIMEOUT, "list the collections", ss.get_all_collections()).await?;
    Ok(all.into_iter().find(|c| c.collection_path.as_str() == path))
}

async fn search<'a>(
    collection: &'a Collection<'a>,
    key: &str,
) -> Result<Vec<secret_service::Item<'a>>, StoreError> {
    let attributes = HashMap::from([(ATTRIBUTE, key)]);
    bounded(CALL_TIMEOUT, "search the collection", collection.search_items(attributes)).await
}

async fn create<'a>(ss: &'a SecretService<'a>, name: &str) -> Result<Collection<'a>, StoreError> {
    log::debug!("creating the secret-service collection {name:?}");
    match tokio::time::timeout(PROMPT_TIMEOUT, ss.create_collection(name, "")).await {
        Ok(Ok(collection)) => Ok(collection),
        Ok(Err(SsError::Prompt | SsError::PromptDisconnected)) => Err(fail(format!(
            "could not create the collection \"{name}\": the keyring daemon's prompt for its password was dismissed or could not be shown (no display?); create the collection in your keyring manager (e.g. Seahorse), or use an existing one with --secret-service-collection (e.g. login)"
        ))),
        Ok(Err(e)) => Err(describe(e, "create the collection")),
        Err(_) => Err(timed_out(PROMPT_TIMEOUT, "create the collection")),
    }
}

async fn unlock(collection: &Collection<'_>, name: &str) -> Result<(), StoreError> {
    log::debug!("unlocking the secret-service collection {name:?}");
    let locked = || {
        fail(format!(
            "the collection \"{name}\" is locked and the keyring daemon could not ask for its password (prompt dismissed, or no display to show it on); unlock it from your desktop session (e.g. with Seahorse), then run the command again"
        ))
    };
    match tokio::time::timeout(PROMPT_TIMEOUT, collection.unlock()).await {
        Ok(Ok(())) => {}
        Ok(Err(SsError::Prompt | SsError::PromptDisconnected | SsError::Locked)) => {
            return Err(locked());
        }
        Ok(Err(e)) => return Err(describe(e, "unlock the collection")),
        Err(_) => return Err(timed_out(PROMPT_TIMEOUT, "unlock the collection")),
    }
    // Some daemons report success for a dismissed prompt; believe only the lock state.
    if bounded(CALL_TIMEOUT, "check the lock", collection.is_locked()).await? {
        return Err(locked());
    }
    Ok(())
}

async fn bounded<T>(
    limit: Duration,
    what: &str,
    call: impl Future<Output = Result<T, SsError>>,
) -> Result<T, StoreError> {
    match tokio::time::timeout(limit, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(describe(e, what)),
        Err(_) => Err(timed_out(limit, what)),
    }
}

/// [`bounded`], but `None` when the item was deleted (by
/// another process) between the search that found it and this call: the daemon no
/// longer serves its object path.
async fn unless_gone<T>(
    limit: Duration,
    what: &str,
    call: impl Future<Output = Result<T, SsError>>,
) -> Result<Option<T>, StoreError> {
    let call = async {
        match call.await {
            Ok(value) => Ok(Some(value)),
            Err(e) if gone(&e) => Ok(None),
            Err(e) => Err(e),
        }
    };
    bounded(limit, what, call).await
}

/// Whether an error says the object called no longer exists. gnome-keyring answers a
/// deleted item's path with UnknownMethod ("Object does not exist at path", "No such
/// interface"), others with UnknownObject.
fn gone(err: &SsError) -> bool {
    let text = err.to_string();
    text.contains("UnknownObject") || text.contains("UnknownMethod")
}

fn fail(message: impl Into<String>) -> StoreError {
    StoreError::backend(BACKEND, message)
}

fn timed_out(limit: Duration, what: &str) -> StoreError {
    fail(format!(
        "the Secret Service did not answer within {}s (trying to {what}); check that the keyring daemon is running and responsive, or choose another backend with --backend",
        limit.as_secs()
    ))
}

/// One line saying what failed and what to do. D-Bus error texts name objects and
/// interfaces, never secrets: those travel only in method arguments and replies.
fn describe(err: SsError, what: &str) -> StoreError {
    let unreachable = "found no D-Bus session bus with a Secret Service on it (is DBUS_SESSION_BUS_ADDRESS set?); run vault inside your desktop session with a keyring daemon running (e.g. gnome-keyring-daemon --components=secrets), or choose another backend with --backend";
    match &err {
        SsError::Unavailable => return fail(unreachable),
        SsError::Prompt | SsError::PromptDisconnected => {
            return fail(format!(
                "could not {what}: the keyring daemon's prompt was dismissed or could not be shown (no display?); unlock the keyring from your desktop session and run the command again"
            ));
        }
        SsError::Locked => {
            return fail(format!(
                "could not {what}: the keyring is locked; unlock it from your desktop session and run the command again"
            ));
        }
        _ => {}
    }
    let text = err.to_string().replace('\n', " ");
    if text.contains("ServiceUnknown") || text.contains("was not provided by any .service files") {
        return fail(
            "no Secret Service is running on the D-Bus session bus; start a keyring daemon (e.g. gnome-keyring-daemon --components=secrets, or KeePassXC with its Secret Service integration), or choose another backend with --backend",
        );
    }
    if text.contains("Address") || text.contains("No such file or directory") {
        return fail(unreachable);
    }
    fail(format!(
        "could not {what}: {text}; check that the keyring daemon is healthy, or choose another backend with --backend"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_line_and_name_the_backend() {
        for err in [
            describe(SsError::Unavailable, "connect"),
            describe(SsError::Prompt, "unlock the collection"),
            describe(SsError::Locked, "read an item"),
            describe(SsError::NoResult, "read an item"),
            timed_out(CALL_TIMEOUT, "connect"),
        ] {
            let msg = err.to_string();
            assert!(msg.starts_with("secret-service backend: "), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
            assert!(msg.contains("; "), "says what to do: {msg}");
        }
        assert!(describe(SsError::Unavailable, "connect").to_string().contains("--backend"));
    }
}
