//! JSON bodies: media type, size, syntax, then garde validation, each with its own status.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use garde::Validate;
use serde::de::DeserializeOwned;

use super::strict::Strict;
use crate::problem::{ApiError, FieldError};

/// Largest JSON body accepted: 64 KiB.
pub(crate) const JSON_LIMIT: usize = 64 * 1024;

/// A JSON body that parsed and passed validation.
///
/// 415 when the media type is not JSON, 413 over 64 KiB, 400 when it is not JSON, 422 when it is
/// JSON of the wrong shape (wrong types, with the path) or fails validation (per field).
#[derive(Debug)]
pub(crate) struct ValidJson<T>(pub T);

/// Like [`ValidJson`], but an empty body is `None` (for endpoints whose body is optional).
#[derive(Debug)]
pub(crate) struct OptionalJson<T>(pub Option<T>);

/// `first_name` → `firstName`, so error paths name fields as the client sent them.
pub(crate) fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
        }
        _ => false,
    }
}

async fn read_body(req: &HttpRequest, mut payload: Payload) -> Result<web::BytesMut, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request bodies are limited to {} KiB", JSON_LIMIT / 1024),
        )
    };
    if let Some(length) = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && length > JSON_LIMIT
    {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::malformed_json(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > JSON_LIMIT {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn parse<T: DeserializeOwned + Validate<Context = ()>>(bytes: &[u8]) -> Result<T, ApiError> {
    refuse_non_objects(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(Strict(&mut deserializer)) {
        Ok(value) => value,
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data if path != "." => {
                    ApiError::invalid_field(&camel_case(&path), plain_words(&inner.to_string()))
                }
                serde_json::error::Category::Data => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    format!(
                        "the body has the wrong shape: {}",
                        plain_words(&inner.to_string())
                    ),
                ),
                _ => ApiError::malformed_json(format!("the body is not valid JSON: {inner}")),
            });
        }
    };
    deserializer
        .end()
        .map_err(|e| ApiError::malformed_json(format!("the body is not valid JSON: {e}")))?;
    value.validate().map_err(|report| {
        ApiError::validation(
            report
                .iter()
                .map(|(path, error)| FieldError {
                    field: camel_case(&path.to_string()),
                    message: error.message().to_string(),
                })
                .collect(),
        )
    })?;
    Ok(value)
}

/// Every JSON body of the API is an object: anything else is 422 (400 if it is not JSON at all),
/// before serde could read an array into a struct by position.
fn refuse_non_objects(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::malformed_json(format!("the body is not valid JSON: {e}")))?;
    let found = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => return Ok(()),
    };
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        format!("the body must be a JSON object, not {found}"),
    ))
}

/// serde's messages in the API's words: JSON types instead of Rust ones (`an object`, not
/// `struct UpdateSettingsRequest`; `a whole number`, not `u32`), without the position that
/// serde_json appends (the field path says more).
fn plain_words(message: &str) -> String {
    let message = strip_position(message);
    let Some((found, expected)) = message.split_once(", expected ") else {
        return message;
    };
    let found = match found.strip_prefix("invalid type: ") {
        Some("sequence") => "invalid type: array",
        Some("map") => "invalid type: object",
        Some("unit value") => "invalid type: null",
        _ => found,
    };
    format!("{found}, expected {}", expected_in_json_terms(expected))
}

fn expected_in_json_terms(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number of zero or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" | "tuple" => "an array",
        "a map" => "an object",
        "a borrowed string" | "a string" | "char" => "a string",
        "a boolean" => "true or false",
        "option" => "a value or null",
        "unit" => "null",
        other if other.starts_with("struct ") || other.starts_with("tuple struct ") => "an object",
        other if other.starts_with("enum ") => "one of the allowed values",
        other => other,
    }
}

/// serde_json appends "at line 1 column 9" to data errors; the field path says more.
fn strip_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

impl<T> FromRequest for ValidJson<T>
where
    T: DeserializeOwned + Validate<Context = ()> + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            if !is_json(&req) {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                ));
            }
            let body = read_body(&req, payload).await?;
            parse(&body).map(ValidJson)
        })
    }
}

impl<T> FromRequest for OptionalJson<T>
where
    T: DeserializeOwned + Validate<Context = ()> + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let body = read_body(&req, payload).await?;
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(None));
            }
            if !is_json(&req) {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                ));
            }
            parse(&body).map(|v| OptionalJson(Some(v)))
        })
    }
}

/// For `#[serde(default, deserialize_with = "nullable")]` on an `Option<Option<T>>` field of a
/// partial update: `Some(None)` for an explicit `null`, `None` for an absent field.
pub(crate) fn nullable<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_paths_become_camel_case() {
        assert_eq!(camel_case("first_name"), "firstName");
        assert_eq!(camel_case("privacy.profile_level"), "privacy.profileLevel");
        assert_eq!(camel_case("email"), "email");
    }

    #[derive(Debug, Default, serde::Deserialize, Validate)]
    #[serde(default, deny_unknown_fields)]
    struct Body {
        #[garde(skip)]
        first_name: Option<String>,
        #[garde(skip)]
        count: Option<u32>,
        #[garde(skip)]
        nested: Option<Nested>,
    }

    #[derive(Debug, Default, serde::Deserialize, Validate)]
    #[serde(default, deny_unknown_fields)]
    struct Nested {
        #[garde(skip)]
        level: Option<String>,
    }

    fn refused(json: &str) -> (u16, String) {
        let error = parse::<Body>(json.as_bytes()).expect_err(json);
        let problem = error.problem();
        let detail = match problem.errors.as_slice() {
            [] => problem.detail.clone(),
            errors => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        };
        (problem.status, detail)
    }

    #[test]
    fn bodies_that_are_not_objects_are_refused_whole() {
        for (json, found) in [
            (r#"["Zed"]"#, "an array"),
            ("null", "null"),
            ("5", "a number"),
            (r#""Zed""#, "a string"),
            ("true", "a boolean"),
        ] {
            assert_eq!(
                refused(json),
                (422, format!("the body must be a JSON object, not {found}"))
            );
        }
        assert_eq!(refused("[1,").0, 400);
        assert_eq!(refused("").0, 400);
    }

    #[test]
    fn wrong_types_are_told_in_json_terms_with_the_field() {
        assert_eq!(
            refused(r#"{"nested": ["friends"]}"#),
            (
                422,
                "nested: invalid type: array, expected an object".to_owned()
            )
        );
        assert_eq!(
            refused(r#"{"nested": 5}"#),
            (
                422,
                "nested: invalid type: integer `5`, expected an object".to_owned()
            )
        );
        assert_eq!(
            refused(r#"{"count": "ten"}"#),
            (
                422,
                r#"count: invalid type: string "ten", expected a whole number of zero or more"#
                    .to_owned()
            )
        );
        assert_eq!(
            refused(r#"{"firstName": {}}"#).0,
            422,
            "unknown fields are refused"
        );
        assert_eq!(
            refused(r#"{"first_name": {}}"#),
            (
                422,
                "firstName: invalid type: object, expected a string".to_owned()
            )
        );
    }

    #[test]
    fn no_message_names_a_rust_type() {
        let bodies = [
            r#"{"nested": []}"#,
            r#"{"nested": "x"}"#,
            r#"{"nested": {"level": []}}"#,
            r#"{"nested": {"level": 1}}"#,
            r#"{"count": -1}"#,
            r#"{"count": 1.5}"#,
            r#"{"count": []}"#,
            r#"{"first_name": true}"#,
            r#"[]"#,
            r#"[1, 2]"#,
        ];
        for json in bodies {
            let (status, detail) = refused(json);
            assert_eq!(status, 422, "{json}: {detail}");
            for rust in [
                "struct", "Body", "Nested", "u32", "sequence", "map", "Option",
            ] {
                assert!(!detail.contains(rust), "{json}: {detail}");
            }
        }
    }
}
