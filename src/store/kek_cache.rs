//! Derived file-store keys kept for a while in the kernel's per-user keyring, so
//! that a passphrase given in the environment (`AWS_VAULT_FILE_PASSPHRASE`)
//! costs one PBKDF2 derivation per item every ten minutes instead of one per
//! read, without lowering the iteration count.
//!
//! An entry is one item's key-encryption key (which opens that item alone,
//! not the store) and an HMAC of the passphrase under that key: a lookup with
//! another passphrase finds the entry but fails the HMAC check, so a changed
//! passphrase is never answered from the old one's keys, and an entry gives no
//! faster way to test guesses at the passphrase than the key itself does. The
//! user keyring is readable by this user's processes only, which can read the
//! passphrase from each other's environment anyway. Where the kernel keyring
//! is unavailable (some containers), every read simply derives its key.

use hmac::{Hmac, Mac};
use linux_keyutils::{KeyRing, KeyRingIdentifier};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::jwe::KEK_LEN;

/// How long an entry lives after it was last written.
const TTL_SECS: usize = 600;

/// Turns the cache off (`0`); on by default wherever the passphrase comes from
/// the environment.
pub const DISABLE_VAR: &str = "VAULT_FILE_KEY_CACHE";

const TAG_LEN: usize = 32;

/// The cached key for an item with this salt and round count, if one was made
/// from `passphrase` and has not expired.
pub fn get(passphrase: &[u8], salt: &[u8], rounds: u32) -> Option<Zeroizing<[u8; KEK_LEN]>> {
    let ring = KeyRing::from_special_id(KeyRingIdentifier::User, false).ok()?;
    let payload = Zeroizing::new(ring.search(&description(salt, rounds)).ok()?.read_to_vec().ok()?);
    if payload.len() != KEK_LEN + TAG_LEN {
        return None;
    }
    let (kek, tag) = payload.split_at(KEK_LEN);
    let kek: Zeroizing<[u8; KEK_LEN]> = Zeroizing::new(kek.try_into().ok()?);
    // verify_slice compares in constant time.
    mac(&kek, passphrase).verify_slice(tag).ok()?;
    Some(kek)
}

/// Keeps `kek`, derived from `passphrase` for this salt and round count, for
/// [`TTL_SECS`]. Failing is only worth a debug line: the next read derives.
pub fn put(passphrase: &[u8], salt: &[u8], rounds: u32, kek: &[u8; KEK_LEN]) {
    let mut payload = Zeroizing::new(Vec::with_capacity(KEK_LEN + TAG_LEN));
    payload.extend_from_slice(kek);
    payload.extend_from_slice(&mac(kek, passphrase).finalize().into_bytes());
    let stored = KeyRing::from_special_id(KeyRingIdentifier::User, false)
        .and_then(|ring| ring.add_key(&description(salt, rounds), &payload[..]))
        .and_then(|key| key.set_timeout(TTL_SECS));
    if let Err(e) = stored {
        log::debug!("could not keep a derived key in the user keyring: {e}");
    }
}

fn description(salt: &[u8], rounds: u32) -> String {
    let salt: String = salt.iter().map(|b| format!("{b:02x}")).collect();
    format!("vault-kek:{salt}:{rounds}")
}

fn mac(kek: &[u8; KEK_LEN], passphrase: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(kek).expect("HMAC takes keys of any length");
    mac.update(b"vault kek cache v1\0");
    mac.update(passphrase);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    fn available() -> bool {
        KeyRing::from_special_id(KeyRingIdentifier::User, false).is_ok()
    }

    #[test]
    fn a_key_is_found_only_for_its_passphrase_salt_and_rounds() {
        if !available() {
            eprintln!("no user keyring here: the cache is off, which get/put tolerate");
            assert!(get(b"p", b"s", 1).is_none());
            return;
        }
        let salt: [u8; 12] = rand::random();
        let kek = [7u8; KEK_LEN];
        assert!(get(b"pass", &salt, 9000).is_none());
        put(b"pass", &salt, 9000, &kek);
        assert_eq!(get(b"pass", &salt, 9000).as_deref(), Some(&kek));
        assert!(get(b"other pass", &salt, 9000).is_none(), "a changed passphrase must miss");
        assert!(get(b"pass", &salt, 9001).is_none());
        // Written again with a new passphrase, the entry answers that one only.
        put(b"new pass", &salt, 9000, &[9u8; KEK_LEN]);
        assert!(get(b"pass", &salt, 9000).is_none());
        assert_eq!(get(b"new pass", &salt, 9000).as_deref(), Some(&[9u8; KEK_LEN]));
    }
}
