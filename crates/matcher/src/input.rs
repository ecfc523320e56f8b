//! Reading instances: JSON errors and validation errors both name the field at fault
//! (`trainees[3].ranking[1]`), for the CLI and the API alike.

use serde::de::DeserializeOwned;

/// An instance was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    /// Path of the field, e.g. `trainers[2].capacity`; `input` for the whole document.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses an instance from JSON, naming the field of the first error.
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, InputError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        let field = match message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(missing) if path == "." => missing.to_owned(),
            Some(missing) => format!("{path}.{missing}"),
            None if path == "." => "input".to_owned(),
            None => path,
        };
        InputError::new(field, message)
    })?;
    deserializer
        .end()
        .map_err(|error| InputError::new("input", error.to_string()))?;
    Ok(value)
}

/// Checks that ids are non-empty and unique; returns the first problem.
pub(crate) fn check_ids<'a>(
    collection: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), InputError> {
    let ids = ids.into_iter();
    let mut seen = std::collections::HashSet::with_capacity(ids.size_hint().0);
    for (index, id) in ids.enumerate() {
        if id.trim().is_empty() {
            return Err(InputError::new(
                format!("{collection}[{index}].id"),
                "must not be empty",
            ));
        }
        if !seen.insert(id) {
            return Err(InputError::new(
                format!("{collection}[{index}].id"),
                format!("'{id}' is used twice"),
            ));
        }
    }
    Ok(())
}
