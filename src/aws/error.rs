//! Turning an AWS SDK error into one line a user can act on: AWS's error
//! code and message, or why the service could not be reached. Shared by
//! every service's calls; never includes request parameters.

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

use super::endpoint::Service;

pub struct Described {
    /// AWS's error code when there was one (e.g. "AccessDenied").
    pub code: Option<String>,
    pub message: String,
    /// Worth retrying: a 5xx, a timeout, a connection failure.
    pub transient: bool,
}

/// The SDK's error types are the same for every service (aws-sdk-iam's are
/// aws-sdk-sts's, re-exported from the smithy runtime), so one function
/// serves all; `service` names the service in messages.
pub fn describe<E>(service: Service, err: &SdkError<E, HttpResponse>) -> Described
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
            let mut reason = format!("could not reach {service}");
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                reason = format!("{reason}: {s}");
                source = s.source();
            }
            let reason =
                if failure.is_timeout() { format!("{reason} (timed out)") } else { reason };
            (None, reason, true)
        }
        SdkError::TimeoutError(_) => (None, format!("the request to {service} timed out"), true),
        SdkError::ResponseError(_) => {
            (None, format!("{service} sent a response that could not be read"), true)
        }
        _ => (None, err.to_string(), false),
    };
    Described { code, message: message.replace('\n', " "), transient }
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
}
