//! The memory the agent keeps secrets in for hours (passphrases, decrypted
//! items): page-locked so it is never written to swap, left out of core
//! dumps, fenced by guard pages, and wiped when dropped.
//!
//! `lockedbox` (over `memsec`, libsodium's allocator in Rust) does the
//! locking, since this crate forbids `unsafe`. Its boxes are fixed-size, so
//! a secret goes into the smallest slot that holds it; one larger than every
//! slot is kept in ordinary (wiped) memory. Locking is best effort: past
//! the user's `RLIMIT_MEMLOCK` the kernel refuses and the pages stay
//! swappable, as gpg-agent's are when its secure memory runs out.

use lockedbox::LockedBox;
use zeroize::Zeroizing;

/// One page minus the allocator's canary.
const SMALL: usize = 4096 - 32;
const LARGE: usize = 64 * 1024;

pub struct Locked {
    slot: Slot,
    len: usize,
}

enum Slot {
    Small(LockedBox<[u8; SMALL]>),
    Large(LockedBox<[u8; LARGE]>),
    Unlocked(Zeroizing<Vec<u8>>),
}

impl Locked {
    /// Copies `bytes` into locked memory; the caller wipes its own copy.
    pub fn new(bytes: &[u8]) -> Self {
        let len = bytes.len();
        // Boxed empty and filled in place: a filled array on the stack
        // would leave a copy behind.
        let slot = if len <= SMALL {
            let mut slot = LockedBox::new([0u8; SMALL]);
            slot[..len].copy_from_slice(bytes);
            Slot::Small(slot)
        } else if len <= LARGE {
            let mut slot = LockedBox::new([0u8; LARGE]);
            slot[..len].copy_from_slice(bytes);
            Slot::Large(slot)
        } else {
            log::debug!("a {len}-byte secret is larger than a locked slot; kept unlocked");
            Slot::Unlocked(Zeroizing::new(bytes.to_vec()))
        };
        Self { slot, len }
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.slot {
            Slot::Small(b) => &b[..self.len],
            Slot::Large(b) => &b[..self.len],
            Slot::Unlocked(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_reads_back_what_went_in() {
        for len in [0, 1, SMALL - 1, SMALL, SMALL + 1, LARGE, LARGE + 1] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let locked = Locked::new(&bytes);
            assert_eq!(locked.bytes(), &bytes[..], "{len} bytes");
        }
    }
}
