//! The keyctl backend: the Linux kernel keyring, laid out as aws-vault's: a keyring named
//! `aws-vault` linked into the session keyring, holding one `user` key per item, described
//! by the item's key, whose payload is the raw item data (label and description are not
//! kept, as in aws-vault).
//!
//! Scope: the session keyring, looked up without creating one. In a login session that is
//! the session's keyring (gone at logout); a process without one falls back to the user's
//! default session keyring, shared by the user's processes, so a key written by one
//! `vault` is there for the next. Asking the kernel to *create* a session keyring instead
//! would give each process a private one, silently dropping everything at exit.

use std::fmt;
use std::io::ErrorKind;
use std::process::Stdio;

use linux_keyutils::{Key, KeyError, KeyRing, KeyRingIdentifier, KeySerialId, KeyType, LinkNode};

use super::item::Item;
use super::{Store, StoreError};

const BACKEND: &str = "keyctl";

/// aws-vault's keyring name (its service name).
pub const DEFAULT_KEYRING: &str = "aws-vault";

/// Longest key description accepted: linux-keyutils reads descriptions into a 512-byte
/// buffer, with the type, ids and permissions in front.
const MAX_KEY_LEN: usize = 400;

pub struct KeyctlStore {
    name: String,
}

/// The named keyring: its handle for adding and searching, its id for reading its links.
struct Ring {
    handle: KeyRing,
    id: KeySerialId,
}

enum Found {
    Ring(Ring),
    /// `hidden` counts the session keyring's entries this process may not describe.
    Nothing {
        hidden: usize,
    },
}

impl KeyctlStore {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }

    /// The named keyring in the session keyring, created when `create` is set.
    fn ring(&self, create: bool) -> Result<Option<Ring>, StoreError> {
        // Without `create`, a process with no session keyring is given the user's default
        // session keyring rather than a new private one (see the module comment).
        let session = KeyRing::from_special_id(KeyRingIdentifier::Session, false)
            .map_err(|e| key_error("open the session keyring", e))?;
        let hidden = match self.find(&session)? {
            Found::Ring(ring) => return Ok(Some(ring)),
            Found::Nothing { hidden } => hidden,
        };
        if !create {
            return Ok(None);
        }
        if hidden > 0 {
            // A new keyring of the same name would displace one we may not see, and with
            // it everything stored there.
            return Err(fail(format!(
                "the session keyring links {hidden} key(s) vault may not look at, and the \"{}\" keyring may be among them; check `keyctl show @s` (a keyring vault uses needs view, read, write and search), fix its permissions or unlink it, and run again",
                self.name
            )));
        }
        // A process without a session keyring of its own reads the user's default one;
        // `@s` would make keyctl create a private session keyring instead.
        let user_default = session
            .metadata()
            .map_err(|e| key_error("describe the session keyring", e))?
            .get_description()
            .starts_with("_uid_ses.");
        self.create_ring(if user_default { "@us" } else { "@s" })?;
        let created = match self.find(&session)? {
            Found::Ring(ring) => Some(ring),
            Found::Nothing { .. } => None,
        };
        created.map(Some).ok_or_else(|| {
            fail(format!(
                "created the \"{}\" keyring but cannot find it in the session keyring; check `keyctl show @s`",
                self.name
            ))
        })
    }

    fn find(&self, session: &KeyRing) -> Result<Found, StoreError> {
        let session_id = KeySerialId::new(KeyRingIdentifier::Session as i32);
        let ids = linked_ids(session_id).map_err(|e| key_error("read the session keyring", e))?;
        let total = ids.len();
        let mut hidden = 0;
        let mut found = None;
        for id in ids {
            match Key::from_id(id).metadata() {
                Ok(m) if m.get_type() == KeyType::KeyRing && m.get_description() == self.name => {
                    found = Some(id);
                    break;
                }
                Ok(_) => {}
                // Revoked and expired keys are on their way out; denied ones are counted.
                Err(KeyError::AccessDenied | KeyError::PermissionDenied) => hidden += 1,
                Err(_) => {}
            }
        }
        let Some(id) = found else { return Ok(Found::Nothing { hidden }) };
        // linux-keyutils hands out keyring handles only through a link listing. It passes
        // its maximum to the kernel as a byte count (which must be a multiple of 4) but
        // trusts the kernel's answer as an entry count, so room is given in bytes for
        // every link, plus slack for links added since the count.
        let links = session
            .get_links(4 * (total + 16))
            .map_err(|e| key_error("read the session keyring", e))?;
        let handle = links.iter().find_map(|node| match node {
            LinkNode::KeyRing(ring) => {
                ring.metadata().is_ok_and(|m| m.get_description() == self.name).then_some(*ring)
            }
            LinkNode::Key(_) => None,
        });
        Ok(match handle {
            Some(handle) => Found::Ring(Ring { handle, id }),
            None => Found::Nothing { hidden },
        })
    }

    /// linux-keyutils can add only `user` keys, so the keyring itself is made by keyutils'
    /// own `keyctl`, in `parent` (`@s`, or `@us` when that is what `@s` reads as here).
    fn create_ring(&self, parent: &str) -> Result<(), StoreError> {
        log::debug!("creating the kernel keyring {:?} in {parent}", self.name);
        let out = crate::child::command("keyctl")
            .args(["newring", &self.name, parent])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => fail(format!(
                    "the \"{}\" keyring does not exist yet and creating it needs the keyctl program; install keyutils (Debian: apt-get install keyutils), or create it yourself with `keyctl newring {} {parent}`",
                    self.name, self.name
                )),
                _ => fail(format!("could not run keyctl to create the \"{}\" keyring: {e}", self.name)),
            })?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            let why = why.lines().last().unwrap_or("no reason given").trim();
            return Err(fail(format!(
                "could not create the \"{}\" keyring: keyctl said: {why}; check `keyctl show @s`",
                self.name
            )));
        }
        Ok(())
    }
}

impl Store for KeyctlStore {
    fn backend_name(&self) -> &'static str {
        BACKEND
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let Some(ring) = self.ring(false)? else { return Ok(Vec::new()) };
        let ids = linked_ids(ring.id).map_err(|e| self.ring_error("list", e))?;
        let mut keys: Vec<String> = ids
            .into_iter()
            .filter_map(|id| Key::from_id(id).metadata().ok())
            .filter(|m| m.get_type() == KeyType::User)
            .map(|m| m.get_description().to_owned())
            .collect();
        keys.sort();
        Ok(keys)
    }

    fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
        let Some(ring) = self.ring(false)? else { return Ok(None) };
        let found = match ring.handle.search(key) {
            Ok(found) => found,
            Err(KeyError::KeyDoesNotExist) => return Ok(None),
            Err(e) => return Err(self.ring_error("search", e)),
        };
        let data = found.read_to_vec().map_err(|e| self.ring_error("read", e))?;
        Ok(Some(Item::new(key, data)))
    }

    fn set(&self, item: Item) -> Result<(), StoreError> {
        check_key(&item.key)?;
        let ring = self.ring(true)?.expect("created when missing");
        // Adding a key whose description exists replaces its payload in place.
        ring.handle.add_key(&item.key, &item.data).map_err(|e| self.ring_error("write to", e))?;
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<bool, StoreError> {
        let Some(ring) = self.ring(false)? else { return Ok(false) };
        let found = match ring.handle.search(key) {
            Ok(found) => found,
            Err(KeyError::KeyDoesNotExist) => return Ok(false),
            Err(e) => return Err(self.ring_error("search", e)),
        };
        ring.handle.unlink_key(found).map_err(|e| self.ring_error("remove a key from", e))?;
        Ok(true)
    }
}

impl KeyctlStore {
    fn ring_error(&self, action: &str, e: KeyError) -> StoreError {
        key_error(&format!("{action} the \"{}\" keyring", self.name), e)
    }
}

impl fmt::Debug for KeyctlStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyctlStore").field("keyring", &self.name).finish()
    }
}

/// The ids linked from a keyring, read into a buffer grown to the size the kernel reports
/// (linux-keyutils' own listing trusts a caller-given maximum).
fn linked_ids(ring: KeySerialId) -> Result<Vec<KeySerialId>, KeyError> {
    let key = Key::from_id(ring);
    let mut buf = vec![0u8; 4 * 32];
    loop {
        let len = key.read(&mut buf)?;
        if len <= buf.len() {
            buf.truncate(len);
            break;
        }
        buf.resize(len, 0);
    }
    Ok(buf
        .chunks_exact(4)
        .map(|c| KeySerialId::new(i32::from_ne_bytes([c[0], c[1], c[2], c[3]])))
        .collect())
}

fn check_key(key: &str) -> Result<(), StoreError> {
    if key.is_empty() {
        return Err(StoreError::Invalid("cannot store an item with an empty name".into()));
    }
    if key.len() > MAX_KEY_LEN || key.contains([';', '\0']) {
        return Err(StoreError::Invalid(format!(
            "cannot store {key:?} in the kernel keyring: names there must be at most {MAX_KEY_LEN} bytes without ';' or NUL; choose a shorter or plainer profile name, or another backend"
        )));
    }
    Ok(())
}

fn fail(message: impl Into<String>) -> StoreError {
    StoreError::backend(BACKEND, message)
}

fn key_error(what: &str, e: KeyError) -> StoreError {
    const ENOSYS: i32 = 38;
    let hint = match e {
        KeyError::AccessDenied => "permission denied; check its permissions with `keyctl show @s` (vault needs view, read, write and search), or unlink it and run again".to_owned(),
        KeyError::PermissionDenied | KeyError::Unknown(ENOSYS) => "the kernel keyring is not available to this process (some containers block it); choose another backend with --backend".to_owned(),
        KeyError::KeyRevoked | KeyError::KeyExpired => "it was revoked or has expired; unlink it (`keyctl show @s`, then `keyctl unlink <id> @s`) and run again".to_owned(),
        KeyError::QuotaExceeded => "the kernel's key quota is used up; remove keys you no longer need (`keyctl show @s`) or raise /proc/sys/kernel/keys/maxkeys".to_owned(),
        other => format!("{other:?}; check `keyctl show @s`, or choose another backend with --backend"),
    };
    fail(format!("could not {what}: {hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_keyring_would_mangle_are_refused() {
        for bad in ["", "a;b", "nul\0", &"x".repeat(MAX_KEY_LEN + 1)] {
            assert!(matches!(check_key(bad), Err(StoreError::Invalid(_))), "{bad:?}");
        }
        for good in ["default", "sts.GetSessionToken,ZGVmYXVsdA,,1700000000", "a/b c,d"] {
            assert!(check_key(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn errors_are_one_line_and_say_what_to_do() {
        for e in [
            KeyError::AccessDenied,
            KeyError::PermissionDenied,
            KeyError::KeyRevoked,
            KeyError::QuotaExceeded,
            KeyError::Unknown(38),
            KeyError::InvalidArguments,
        ] {
            let msg = key_error("read the \"aws-vault\" keyring", e).to_string();
            assert!(msg.starts_with("keyctl backend: could not read"), "{msg}");
            assert!(!msg.contains('\n') && msg.contains("; "), "{msg}");
        }
    }
}
