//! Turning an AWS SDK error into one line a user can act on: AWS's error
//! code and message, or why the service could not be reached. Shared by
//! every service's calls; never includes request parameters.

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

use super::endpoint::{Service, Target};

pub struct Described {
    /// AWS's error code when there was one (e.g. "AccessDenied").
    pub code: Option<String>,
    pub message: String,
    /// Worth retrying: a 5xx, a timeout, a connection failure.
    pub transient: bool,
}

/// The SDK's error types are the same for every service (aws-sdk-iam's are
/// aws-sdk-sts's, re-exported from the smithy runtime), so one function
/// serves all; `service` names the service in messages, `target` where the
/// call went.
pub fn describe<E>(service: Service, target: &Target, err: &SdkError<E, HttpResponse>) -> Described
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let service = service.name;
    let (code, message, transient) = match err {
        SdkError::ServiceError(svc) => {
            let e = svc.err();
            let status = svc.raw().status().as_u16();
            let (code, msg) = match (e.code(), e.message()) {
                (Some(code), msg) => (Some(code.to_owned()), msg.map(str::to_owned)),
                (None, _) => svc.raw().body().bytes().map(error_document).unwrap_or_default(),
            };
            let message = match (&code, msg) {
                (Some(code), Some(msg)) if !msg.is_empty() => format!("{code}: {msg}"),
                (Some(code), _) => code.clone(),
                (None, _) => format!("HTTP status {status}"),
            };
            (code, message, status >= 500)
        }
        SdkError::DispatchFailure(failure) => {
            // The SDK nests the cause five deep ("io error: client error
            // (Connect): tcp connect error: ..."): the innermost says why, the
            // whole chain is for --debug.
            let chain = causes(err);
            log::debug!("could not reach {service}: {}", chain.join(": "));
            let why = if failure.is_timeout() {
                "timed out".to_owned()
            } else {
                chain.last().map(|c| short_cause(c)).unwrap_or_else(|| "no reason given".to_owned())
            };
            (None, format!("could not reach {service} at {}: {why}", where_to(target)), true)
        }
        SdkError::TimeoutError(_) => (None, format!("the request to {service} timed out"), true),
        SdkError::ResponseError(_) => {
            (None, format!("{service} sent a response that could not be read"), true)
        }
        _ => (None, err.to_string(), false),
    };
    Described { code, message: message.replace('\n', " "), transient }
}

/// The texts of `err`'s causes, outermost first.
fn causes(err: &dyn std::error::Error) -> Vec<String> {
    let mut chain = Vec::new();
    let mut source = err.source();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    chain
}

/// An operating-system error as a user reads it: "Connection refused (os
/// error 111)" becomes "connection refused".
fn short_cause(text: &str) -> String {
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_owned(),
    }
}

/// Where a call went, for messages: the configured endpoint URL, else the
/// SDK's default for the region.
fn where_to(target: &Target) -> String {
    match &target.endpoint_url {
        Some(url) => url.clone(),
        None => format!("its {} endpoint", target.region),
    }
}

/// The `Code` and `Message` of an AWS XML error document, wherever the
/// elements sit. Real STS and IAM answer `<ErrorResponse><Error>`, which the
/// SDK reads itself; some implementations (moto among them) wrap it in
/// `<Errors>` as EC2 does, where the SDK's parser does not look.
pub fn error_document(body: &[u8]) -> (Option<String>, Option<String>) {
    use aws_smithy_xml::decode::{Document, try_data};
    let Ok(text) = std::str::from_utf8(body) else { return (None, None) };
    let mut doc = Document::new(text);
    let (mut code, mut message) = (None, None);
    while let Some(el) = doc.next_start_element() {
        let slot = if el.matches("Code") {
            &mut code
        } else if el.matches("Message") {
            &mut message
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = try_data(&mut doc.scoped_to(el)).ok().map(|d| d.trim().to_owned());
        }
    }
    (code.filter(|c: &String| !c.is_empty()), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_documents_in_either_shape() {
        let plain = br#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>"#;
        let wrapped = br#"<?xml version="1.0"?><ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></Errors></ErrorResponse>"#;
        assert_eq!(
            error_document(plain),
            (Some("AccessDenied".into()), Some("not allowed".into()))
        );
        assert_eq!(
            error_document(wrapped),
            (
                Some("InvalidClientTokenId".into()),
                Some("The security token included in the request is invalid.".into())
            )
        );
        assert_eq!(error_document(b"<html>bad gateway</html>"), (None, None));
        assert_eq!(error_document(b"\xff\xfe"), (None, None));
    }

    #[test]
    fn os_errors_read_as_a_short_cause() {
        assert_eq!(short_cause("Connection refused (os error 111)"), "connection refused");
        assert_eq!(
            short_cause("failed to lookup address information: Name or service not known"),
            "failed to lookup address information: Name or service not known"
        );
    }
}
