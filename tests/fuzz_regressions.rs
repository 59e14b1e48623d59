//! Replays every input kept under fuzz/regressions/<target>/ (inputs that once
//! broke a parser, fixed since) and the seed corpus under fuzz/seeds/<target>/
//! through the same checks the fuzz targets run (`vault::fuzzing`), on the
//! stable toolchain: CI has no nightly, so this is what guards the fixes.
//! A second test mutates the seeds at random (a fixed seed, so a failure
//! repeats): a small stand-in for the fuzzer where there is none.

use std::fs;
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn kept_fuzz_inputs_pass_their_checks() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failed = Vec::new();
    let (mut seeds, mut kept) = (0, 0);
    for (name, target) in vault::fuzzing::TARGETS {
        assert!(fuzz.join("fuzz_targets").join(format!("{name}.rs")).is_file(), "{name}");
        let files =
            [inputs(&fuzz.join("regressions").join(name)), inputs(&fuzz.join("seeds").join(name))];
        assert!(!files[1].is_empty(), "fuzz/seeds/{name} has no seed inputs");
        seeds += files[1].len();
        kept += files[0].len();
        for file in files.concat() {
            let data = fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                failed.push(file.display().to_string());
            }
        }
    }
    // None kept so far (fuzz/regressions/README.md): the seeds carry this test.
    println!("replayed {kept} kept regression inputs and {seeds} seeds");
    assert!(failed.is_empty(), "inputs that fail their fuzz target's checks: {failed:#?}");
    assert!(seeds >= 10, "{seeds} seeds");
}

/// xorshift64 mutations of each seed: bytes flipped, inserted, removed,
/// duplicated, or taken from another seed of the same target.
#[test]
fn mutated_seeds_pass_their_checks() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    const INTERESTING: &[u8] = b"\0\n\r\t []=#;:.'\"\\$`%{}\xff\xc3\xe2\x80";
    let mut failed = Vec::new();
    for (name, target) in vault::fuzzing::TARGETS {
        let seeds: Vec<Vec<u8>> =
            inputs(&fuzz.join("seeds").join(name)).iter().map(|f| fs::read(f).unwrap()).collect();
        for round in 0..400 {
            let mut data = seeds[round % seeds.len()].clone();
            for _ in 0..1 + next(4) {
                let at = next(data.len() + 1);
                match next(6) {
                    0 if at < data.len() => data[at] ^= 1 << next(8),
                    1 => data.insert(at, INTERESTING[next(INTERESTING.len())]),
                    2 if at < data.len() => drop(data.remove(at)),
                    3 => {
                        let end = (at + next(16)).min(data.len());
                        let copy = data[at..end].to_vec();
                        data.splice(at..at, copy);
                    }
                    4 => {
                        let other = &seeds[next(seeds.len())];
                        let from = next(other.len());
                        let end = (from + next(32)).min(other.len());
                        data.splice(at..at, other[from..end].iter().copied());
                    }
                    _ => data.truncate(at),
                }
            }
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                failed.push(format!("{name}: {:?}", String::from_utf8_lossy(&data)));
            }
        }
    }
    assert!(failed.is_empty(), "mutated inputs that fail: {failed:#?}");
}
