//! JWE compact serialization with `PBES2-HS256+A128KW` key management and `A256GCM`
//! content encryption (RFC 7516/7518), the format of aws-vault's file store (written
//! there by jose2go). Every primitive comes from RustCrypto; only the JOSE framing is
//! ours.
//!
//! This file depends on external crates only (no `crate::` paths) so that integration
//! tests can include it directly.

use std::fmt;
use std::ops::RangeInclusive;

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use aes_kw::KekAes128;
use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

pub const ALG: &str = "PBES2-HS256+A128KW";
pub const ENC: &str = "A256GCM";
/// What jose2go (and so aws-vault) writes.
pub const DEFAULT_P2C: u32 = 8192;
/// Iteration counts accepted on decode. The cap (jose2go ≥ 1.6's own limit for A128KW)
/// keeps a hostile file from making us spin; the floor rejects files too weak to trust.
pub const P2C_RANGE: RangeInclusive<u64> = 1000..=1_300_000;

const SALT_LEN: usize = 12;
const CEK_LEN: usize = 32;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;
pub const KEK_LEN: usize = 16;

/// Writes base64url without padding (RFC 7515 §2); reads it with or without padding
/// and with loose trailing bits, as Go's decoders do.
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What went wrong, without any secret in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JweError {
    /// Not a JWE compact token of the expected shape (framing, base64, header JSON, sizes).
    Malformed(String),
    /// A well-formed token using something other than PBES2-HS256+A128KW / A256GCM.
    Unsupported(String),
    /// `p2c` outside [`P2C_RANGE`].
    Iterations(u64),
    /// AES key unwrap failed its integrity check: on a well-formed token this means the
    /// passphrase is not the one it was written with.
    WrongKey,
    /// The key unwrapped but the content failed authentication: the file was altered.
    Tampered,
}

impl fmt::Display for JweError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(what) => write!(f, "not a valid encrypted item ({what})"),
            Self::Unsupported(what) => write!(f, "unsupported encryption ({what})"),
            Self::Iterations(n) => write!(
                f,
                "key derivation iteration count {n} is outside {}..={}",
                P2C_RANGE.start(),
                P2C_RANGE.end()
            ),
            Self::WrongKey => f.write_str("the passphrase does not open it"),
            Self::Tampered => f.write_str("its content failed authentication"),
        }
    }
}

impl std::error::Error for JweError {}

fn malformed(what: impl Into<String>) -> JweError {
    JweError::Malformed(what.into())
}

/// Field order is alphabetical, as Go's encoding/json writes a map (jose2go keeps the
/// header in one), so our headers look like aws-vault's.
#[derive(Serialize)]
struct HeaderOut<'a> {
    alg: &'a str,
    created: &'a str,
    enc: &'a str,
    p2c: u32,
    p2s: String,
}

/// Encrypts `plaintext` with a key derived from `passphrase`. `created` goes into the
/// protected header as aws-vault's informational `"created"` field.
pub fn encrypt(plaintext: &[u8], passphrase: &[u8], created: &str) -> Result<String, JweError> {
    encrypt_with_p2c(plaintext, passphrase, created, DEFAULT_P2C)
}

pub fn encrypt_with_p2c(
    plaintext: &[u8],
    passphrase: &[u8],
    created: &str,
    p2c: u32,
) -> Result<String, JweError> {
    let mut salt = [0u8; SALT_LEN];
    let mut cek = Zeroizing::new([0u8; CEK_LEN]);
    let mut iv = [0u8; IV_LEN];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(cek.as_mut());
    OsRng.fill_bytes(&mut iv);

    let header = HeaderOut { alg: ALG, created, enc: ENC, p2c, p2s: B64URL.encode(salt) };
    let header_json = serde_json::to_vec(&header).map_err(|e| malformed(e.to_string()))?;
    let header_b64 = B64URL.encode(header_json);

    let kek = derive_kek(passphrase, &salt, p2c);
    let encrypted_key =
        KekAes128::from(*kek).wrap_vec(cek.as_ref()).map_err(|_| malformed("key wrap failed"))?;

    let mut buffer = Zeroizing::new(plaintext.to_vec());
    let cipher = Aes256Gcm::new_from_slice(cek.as_ref()).map_err(|_| malformed("bad key size"))?;
    let tag = cipher
        .encrypt_in_place_detached(Nonce::from_slice(&iv), header_b64.as_bytes(), &mut buffer)
        .map_err(|_| malformed("item too large"))?;

    Ok([
        header_b64,
        B64URL.encode(encrypted_key),
        B64URL.encode(iv),
        B64URL.encode(buffer.as_slice()),
        B64URL.encode(tag),
    ]
    .join("."))
}

/// Decrypts a token; see [`Token::parse`] and [`Token::decrypt`].
#[cfg(test)]
pub fn decrypt(token: &str, passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, JweError> {
    Token::parse(token)?.decrypt(passphrase)
}

/// A token whose framing and header have been checked, ready to decrypt. Parsing needs no
/// passphrase, so a damaged file can be reported before anyone is asked for one.
pub struct Token {
    /// The protected header exactly as it appears in the token: it is the GCM AAD.
    header_b64: String,
    salt: Vec<u8>,
    p2c: u32,
    encrypted_key: Vec<u8>,
    iv: [u8; IV_LEN],
    ciphertext: Vec<u8>,
    tag: [u8; TAG_LEN],
}

impl Token {
    pub fn parse(token: &str) -> Result<Self, JweError> {
        let token = token.trim_end_matches(['\n', '\r']);
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, key_b64, iv_b64, ct_b64, tag_b64] = parts[..] else {
            return Err(malformed(format!("{} parts instead of 5", parts.len())));
        };
        let decode = |part: &str, what: &str| {
            B64URL.decode(part).map_err(|_| malformed(format!("bad base64 in the {what}")))
        };

        let header_json = decode(header_b64, "header")?;
        let Ok(Value::Object(header)) = serde_json::from_slice::<Value>(&header_json) else {
            return Err(malformed("the header is not a json object"));
        };
        let text = |name: &str| match header.get(name) {
            Some(Value::String(s)) => Ok(s.as_str()),
            Some(_) => Err(malformed(format!("header field {name} is not a string"))),
            None => Err(malformed(format!("header field {name} is missing"))),
        };
        let alg = text("alg")?;
        if alg != ALG {
            return Err(JweError::Unsupported(format!("alg {alg:?}")));
        }
        let enc = text("enc")?;
        if enc != ENC {
            return Err(JweError::Unsupported(format!("enc {enc:?}")));
        }
        if header.contains_key("zip") {
            return Err(JweError::Unsupported("compressed content".into()));
        }
        let p2c = match header.get("p2c") {
            Some(Value::Number(n)) => n
                .as_u64()
                // Go decodes JSON numbers as float64, so accept an integral float too.
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                .ok_or_else(|| malformed("header field p2c is not a whole number"))?,
            Some(_) => return Err(malformed("header field p2c is not a number")),
            None => return Err(malformed("header field p2c is missing")),
        };
        if !P2C_RANGE.contains(&p2c) {
            return Err(JweError::Iterations(p2c));
        }
        let salt = decode(text("p2s")?, "salt")?;

        let encrypted_key = decode(key_b64, "encrypted key")?;
        if encrypted_key.len() != CEK_LEN + 8 {
            return Err(malformed(format!("encrypted key is {} bytes", encrypted_key.len())));
        }
        let iv = decode(iv_b64, "iv")?
            .try_into()
            .map_err(|v: Vec<u8>| malformed(format!("iv is {} bytes", v.len())))?;
        let ciphertext = decode(ct_b64, "ciphertext")?;
        let tag = decode(tag_b64, "tag")?
            .try_into()
            .map_err(|v: Vec<u8>| malformed(format!("tag is {} bytes", v.len())))?;

        Ok(Self {
            header_b64: header_b64.to_owned(),
            salt,
            p2c: p2c as u32,
            encrypted_key,
            iv,
            ciphertext,
            tag,
        })
    }

    /// The PBKDF2 rounds the header asks for (the fuzz target decrypts only
    /// cheap tokens).
    pub fn iterations(&self) -> u32 {
        self.p2c
    }

    pub fn decrypt(&self, passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, JweError> {
        self.decrypt_with_kek(&self.kek(passphrase))
    }

    /// The key-encryption key `passphrase` derives for this token: the slow
    /// part of [`Token::decrypt`] (PBKDF2 with the header's rounds).
    pub fn kek(&self, passphrase: &[u8]) -> Zeroizing<[u8; KEK_LEN]> {
        derive_kek(passphrase, &self.salt, self.p2c)
    }

    /// What the key-encryption key depends on besides the passphrase.
    pub fn kek_inputs(&self) -> (&[u8], u32) {
        (&self.salt, self.p2c)
    }

    /// [`Token::decrypt`] with a key from [`Token::kek`], derived earlier.
    pub fn decrypt_with_kek(&self, kek: &[u8; KEK_LEN]) -> Result<Zeroizing<Vec<u8>>, JweError> {
        let cek =
            Zeroizing::new(KekAes128::from(*kek).unwrap_vec(&self.encrypted_key).map_err(|e| {
                match e {
                    aes_kw::Error::IntegrityCheckFailed => JweError::WrongKey,
                    _ => malformed("encrypted key has a bad size"),
                }
            })?);
        let cipher =
            Aes256Gcm::new_from_slice(&cek).map_err(|_| malformed("content key has a bad size"))?;
        let mut buffer = Zeroizing::new(self.ciphertext.clone());
        cipher
            .decrypt_in_place_detached(
                Nonce::from_slice(&self.iv),
                self.header_b64.as_bytes(),
                &mut buffer,
                Tag::from_slice(&self.tag),
            )
            .map_err(|_| JweError::Tampered)?;
        Ok(buffer)
    }
}

/// PBKDF2-HMAC-SHA256 with the RFC 7518 §4.8.1.1 salt: `UTF8(alg) || 0x00 || p2s`.
fn derive_kek(passphrase: &[u8], p2s: &[u8], p2c: u32) -> Zeroizing<[u8; KEK_LEN]> {
    let mut salt = Vec::with_capacity(ALG.len() + 1 + p2s.len());
    salt.extend_from_slice(ALG.as_bytes());
    salt.push(0);
    salt.extend_from_slice(p2s);
    let mut kek = Zeroizing::new([0u8; KEK_LEN]);
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase, &salt, p2c, kek.as_mut());
    salt.zeroize();
    kek
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &[u8] = b"correct horse";

    fn sample() -> String {
        encrypt(br#"{"Key":"default"}"#, PASS, "2024-01-02 03:04:05 +0000 UTC").unwrap()
    }

    /// Re-encodes one segment after `edit` changes its decoded bytes.
    fn edit_part(token: &str, index: usize, edit: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut bytes = B64URL.decode(&parts[index]).unwrap();
        edit(&mut bytes);
        parts[index] = B64URL.encode(bytes);
        parts.join(".")
    }

    #[test]
    fn round_trip() {
        let token = sample();
        assert_eq!(token.split('.').count(), 5);
        assert!(!token.contains('='), "no padding: {token}");
        assert_eq!(decrypt(&token, PASS).unwrap().as_slice(), br#"{"Key":"default"}"#);
    }

    #[test]
    fn header_has_aws_vault_fields_in_go_order() {
        let token = sample();
        let header = B64URL.decode(token.split('.').next().unwrap()).unwrap();
        let header = String::from_utf8(header).unwrap();
        assert!(
            header.starts_with(r#"{"alg":"PBES2-HS256+A128KW","created":"2024-01-02 03:04:05 +0000 UTC","enc":"A256GCM","p2c":8192,"p2s":""#),
            "{header}"
        );
        let Value::Object(h) = serde_json::from_str(&header).unwrap() else { panic!() };
        let salt = B64URL.decode(h["p2s"].as_str().unwrap()).unwrap();
        assert_eq!(salt.len(), 12);
    }

    #[test]
    fn each_encryption_is_fresh() {
        let (a, b) = (sample(), sample());
        let split = |t: &str| t.split('.').map(str::to_owned).collect::<Vec<_>>();
        let (a, b) = (split(&a), split(&b));
        for i in 0..5 {
            assert_ne!(a[i], b[i], "segment {i} repeated");
        }
    }

    #[test]
    fn wrong_passphrase_is_told_apart() {
        assert_eq!(decrypt(&sample(), b"wrong").unwrap_err(), JweError::WrongKey);
    }

    #[test]
    fn tampering_is_detected() {
        let token = sample();
        let flip = |b: &mut Vec<u8>| b[0] ^= 1;
        // Ciphertext and tag are authenticated by GCM.
        assert_eq!(decrypt(&edit_part(&token, 3, flip), PASS).unwrap_err(), JweError::Tampered);
        assert_eq!(decrypt(&edit_part(&token, 4, flip), PASS).unwrap_err(), JweError::Tampered);
        assert_eq!(decrypt(&edit_part(&token, 2, flip), PASS).unwrap_err(), JweError::Tampered);
        // The header is the AAD: changing an unused field still breaks authentication.
        let header = edit_part(&token, 0, |b| {
            let s = String::from_utf8(b.clone()).unwrap().replace("2024", "2025");
            *b = s.into_bytes();
        });
        assert_eq!(decrypt(&header, PASS).unwrap_err(), JweError::Tampered);
        // The wrapped key has its own integrity check.
        assert_eq!(decrypt(&edit_part(&token, 1, flip), PASS).unwrap_err(), JweError::WrongKey);
    }

    #[test]
    fn truncation_and_garbage_are_malformed() {
        let token = sample();
        for bad in [
            "",
            "not a token",
            &token[..token.len() / 2],
            &token[..token.rfind('.').unwrap()],
            &format!("{token}.extra"),
            &token.replacen('.', ".!", 1),
            &edit_part(&token, 2, |b| b.truncate(8)),
            &edit_part(&token, 4, |b| b.truncate(10)),
            &edit_part(&token, 1, |b| b.truncate(24)),
            &edit_part(&token, 0, |b| *b = b"[1,2]".to_vec()),
        ] {
            assert!(
                matches!(decrypt(bad, PASS), Err(JweError::Malformed(_))),
                "{bad:?}: {:?}",
                decrypt(bad, PASS).err()
            );
        }
    }

    #[test]
    fn only_the_aws_vault_algorithms_are_accepted() {
        let token = sample();
        let swap = |from: &str, to: &str| {
            edit_part(&token, 0, |b| {
                *b = String::from_utf8(b.clone()).unwrap().replace(from, to).into_bytes()
            })
        };
        for bad in [swap(ALG, "PBES2-HS512+A256KW"), swap(ENC, "A128CBC-HS256"), swap(ALG, "none")]
        {
            assert!(matches!(Token::parse(&bad), Err(JweError::Unsupported(_))), "{bad}");
        }
        let zipped = swap(r#""p2c""#, r#""zip":"DEF","p2c""#);
        assert!(matches!(Token::parse(&zipped), Err(JweError::Unsupported(_))));
    }

    #[test]
    fn iteration_count_is_bounded() {
        let low = encrypt_with_p2c(b"x", PASS, "", 999).unwrap();
        assert_eq!(Token::parse(&low).err(), Some(JweError::Iterations(999)));
        let ok = encrypt_with_p2c(b"x", PASS, "", 1000).unwrap();
        assert_eq!(decrypt(&ok, PASS).unwrap().as_slice(), b"x");
        // Built by hand: running 1.3M+ iterations in a test would be slow, and parse must
        // refuse before deriving anything.
        let token = sample();
        for (p2c, accepted) in [("1300000", true), ("1300001", false), ("4294967296", false)] {
            let edited = edit_part(&token, 0, |b| {
                *b = String::from_utf8(b.clone())
                    .unwrap()
                    .replace(r#""p2c":8192"#, &format!(r#""p2c":{p2c}"#))
                    .into_bytes()
            });
            assert_eq!(Token::parse(&edited).is_ok(), accepted, "{p2c}");
        }
        let float = edit_part(&token, 0, |b| {
            *b = String::from_utf8(b.clone()).unwrap().replace("8192", "8192.0").into_bytes()
        });
        assert_eq!(Token::parse(&float).unwrap().iterations(), 8192);
    }

    #[test]
    fn errors_do_not_echo_the_token() {
        let token = sample();
        let bad = edit_part(&token, 0, |b| b.push(b'}'));
        let msg = decrypt(&bad, PASS).unwrap_err().to_string();
        assert!(!msg.contains(&token[..20]), "{msg}");
    }

    /// A token produced by Python jwcrypto 1.6.1 (an independent implementation) with
    /// passphrase "correct horse", p2c 8192 and a 12-byte p2s: a known answer that needs
    /// no Python at test time.
    #[test]
    fn reads_a_jwcrypto_token() {
        let plain = decrypt(JWCRYPTO_TOKEN, PASS).unwrap();
        assert_eq!(plain.as_slice(), br#"{"hello":"from jwcrypto"}"#);
        assert_eq!(decrypt(JWCRYPTO_TOKEN, b"Correct horse").unwrap_err(), JweError::WrongKey);
    }

    const JWCRYPTO_TOKEN: &str = concat!(
        "eyJhbGciOiAiUEJFUzItSFMyNTYrQTEyOEtXIiwgImVuYyI6ICJBMjU2R0NNIiwgInAyYyI6IDgxOTIsICJwMnMiOiAiUExLakM3bndZYUlLWlRheSIsICJjcmVhdGVkIjogIjIwMjQtMDEtMDIgMDM6MDQ6MDUuMTIzNDU2Nzg5ICsxMTAwIEFFRFQgbT0rMC4wMDEifQ.",
        "Hd1WGXqZ2LTThw3VSTMuIANQgxdUspmp7ymUbpB-8MapXKJrnLiBHQ.",
        "GwcSE-f4eQlDYmZq.",
        "C4-TZqx4ZYE3nDqjv7aN1LFB0845T8jSsQ.",
        "SvV1ybO24jEv5pgIrRPYlQ"
    );
}
