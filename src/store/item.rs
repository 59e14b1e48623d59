//! The keyring item (99designs/keyring's `Item`) and its JSON form, plus the reader for
//! JSON written by Go's encoding/json that the typed views share.

use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

/// Go encodes `[]byte` as standard base64 with padding; reading is lenient about padding.
const STD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One stored secret. `data` holds the secret bytes (credentials JSON) and is wiped when
/// the item is dropped; `Debug` shows only its length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub key: String,
    pub data: Vec<u8>,
    pub label: String,
    pub description: String,
    pub keychain_not_trust_application: bool,
    pub keychain_not_synchronizable: bool,
}

impl Item {
    pub fn new(key: impl Into<String>, data: Vec<u8>) -> Self {
        Self {
            key: key.into(),
            data,
            label: String::new(),
            description: String::new(),
            keychain_not_trust_application: false,
            keychain_not_synchronizable: false,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    pub fn with_not_trust_application(mut self, value: bool) -> Self {
        self.keychain_not_trust_application = value;
        self
    }

    /// The JSON that the file, secret-service, kwallet and pass backends store:
    /// `{"Key","Data","Label","Description","KeychainNotTrustApplication","KeychainNotSynchronizable"}`.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out<'a> {
            key: &'a str,
            data: &'a str,
            label: &'a str,
            description: &'a str,
            keychain_not_trust_application: bool,
            keychain_not_synchronizable: bool,
        }
        let data = Zeroizing::new(STANDARD.encode(&self.data));
        let out = Out {
            key: &self.key,
            data: &data,
            label: &self.label,
            description: &self.description,
            keychain_not_trust_application: self.keychain_not_trust_application,
            keychain_not_synchronizable: self.keychain_not_synchronizable,
        };
        // Sized up front so the buffer holding the secret is not reallocated (each
        // reallocation would leave an unwiped copy behind); escapes may still exceed it.
        let estimate =
            2 * (data.len() + self.key.len() + self.label.len() + self.description.len());
        let mut json = Zeroizing::new(Vec::with_capacity(estimate + 160));
        serde_json::to_writer(&mut *json, &out).expect("serializing strings and bools cannot fail");
        json
    }

    pub fn from_json(json: &[u8]) -> Result<Item, String> {
        let obj = GoObject::parse(json)?;
        let data = match obj.str("Data")? {
            Some(b64) => STD_LENIENT.decode(b64).map_err(|_| "field Data is not valid base64")?,
            None => Vec::new(),
        };
        Ok(Item {
            key: obj.str("Key")?.unwrap_or_default().to_owned(),
            data,
            label: obj.str("Label")?.unwrap_or_default().to_owned(),
            description: obj.str("Description")?.unwrap_or_default().to_owned(),
            keychain_not_trust_application: obj.bool("KeychainNotTrustApplication")?,
            keychain_not_synchronizable: obj.bool("KeychainNotSynchronizable")?,
        })
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        self.data.zeroize();
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("key", &self.key)
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .field("label", &self.label)
            .field("description", &self.description)
            .field("keychain_not_trust_application", &self.keychain_not_trust_application)
            .field("keychain_not_synchronizable", &self.keychain_not_synchronizable)
            .finish()
    }
}

/// A JSON object read the way Go's encoding/json fills a struct: a field name matches
/// exactly or else case-insensitively, `null` reads as absent, unknown fields are
/// ignored. Error messages name fields, never values. String values are wiped on drop.
pub(crate) struct GoObject(Map<String, Value>);

impl GoObject {
    pub(crate) fn parse(json: &[u8]) -> Result<Self, String> {
        // Parsing into `Value` first: serde's typed errors quote the offending value,
        // which could be a secret; syntax errors only give a position.
        match serde_json::from_slice::<Value>(json) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(mut other) => {
                scrub(&mut other);
                Err("not a json object".into())
            }
            Err(e) => Err(format!("not valid json: {e}")),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .get(name)
            .or_else(|| self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
            .filter(|v| !v.is_null())
    }

    pub(crate) fn str(&self, name: &str) -> Result<Option<&str>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("field {name} is not a string")),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<bool, String> {
        match self.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("field {name} is not true or false")),
        }
    }

    /// An RFC 3339 time, as Go's `time.Time` marshals.
    pub(crate) fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, String> {
        self.str(name)?
            .map(|s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| format!("field {name} is not an RFC 3339 time"))
            })
            .transpose()
    }
}

impl Drop for GoObject {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            scrub(value);
        }
    }
}

/// Overwrites the strings of a parsed JSON value (tokens, keys) before it is dropped.
pub(crate) fn scrub(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// Go's `time.Time` JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed), in UTC.
pub(crate) fn go_time(t: DateTime<Utc>) -> String {
    let full = t.to_rfc3339_opts(SecondsFormat::Nanos, true);
    // The fraction always has 9 digits here, so trimming stops at the '.' at the latest.
    let trimmed = full.trim_end_matches('Z').trim_end_matches('0').trim_end_matches('.');
    format!("{trimmed}Z")
}

/// Go's zero `time.Time`, which aws-vault writes for credentials that never expire.
pub(crate) const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Item {
        Item::new("default", br#"{"AccessKeyID":"AKIA","SecretAccessKey":"s3cr3t"}"#.to_vec())
            .with_label("aws-vault (default)")
            .with_not_trust_application(true)
    }

    #[test]
    fn json_matches_go_encoding() {
        let json = sample().to_json();
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            concat!(
                r#"{"Key":"default","Data":"eyJBY2Nlc3NLZXlJRCI6IkFLSUEiLCJTZWNyZXRBY2Nlc3NLZXkiOiJzM2NyM3QifQ==","#,
                r#""Label":"aws-vault (default)","Description":"","KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false}"#
            )
        );
    }

    #[test]
    fn json_round_trip() {
        let item = sample().with_description("d\"q\n").with_label("ü");
        assert_eq!(Item::from_json(&item.to_json()).unwrap(), item);
        let empty = Item::new("k", Vec::new());
        assert_eq!(Item::from_json(&empty.to_json()).unwrap(), empty);
    }

    #[test]
    fn reads_go_quirks() {
        // Case-insensitive names, null data, missing and unknown fields.
        let item = Item::from_json(br#"{"key":"p","Data":null,"label":"l","Extra":[1]}"#).unwrap();
        assert_eq!((item.key.as_str(), item.label.as_str()), ("p", "l"));
        assert!(item.data.is_empty() && !item.keychain_not_trust_application);
        let unpadded = Item::from_json(br#"{"Key":"p","Data":"YWI"}"#).unwrap();
        assert_eq!(unpadded.data, b"ab");
    }

    #[test]
    fn bad_json_errors_do_not_echo_values() {
        for (json, expect) in [
            (&br#"{"Key":"p","Data":"!!s3cr3t!!"}"#[..], "Data"),
            (br#"{"Key":"p","Data":12345}"#, "Data"),
            (br#""s3cr3t""#, "object"),
            (br#"{"Key":"s3cr3t""#, "json"),
            (br#"{"Key":"p","KeychainNotSynchronizable":"s3cr3t"}"#, "KeychainNotSynchronizable"),
        ] {
            let err = Item::from_json(json).unwrap_err();
            assert!(err.contains(expect), "{err}");
            assert!(!err.contains("s3cr3t") && !err.contains("12345"), "{err}");
        }
    }

    #[test]
    fn debug_hides_data() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("s3cr3t") && !shown.contains("AKIA"), "{shown}");
        assert!(shown.contains("default") && shown.contains("bytes"), "{shown}");
    }

    #[test]
    fn go_time_format() {
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap().to_utc();
        assert_eq!(go_time(t), "2024-01-02T03:04:05Z");
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05.120+02:00").unwrap().to_utc();
        assert_eq!(go_time(t), "2024-01-02T01:04:05.12Z");
    }
}
