//! The API's errors and their HTTP answers: always a JSON body `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use retort::orm::ViolationKind;
use serde::Serialize;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// No row of this kind with this key (404).
    #[error("no {0} {1}")]
    NotFound(&'static str, i32),
    /// The request is well-formed JSON but asks for something impossible (422).
    #[error("{0}")]
    Invalid(String),
    /// The body or path did not parse (400).
    #[error("{0}")]
    BadRequest(String),
    /// The data changed under the request (409).
    #[error("{0}")]
    Conflict(String),
    /// The runtime failed: a constraint the checks above do not cover, or the database.
    #[error(transparent)]
    Orm(#[from] retort::orm::Error),
}

impl ApiError {
    /// The HTTP status it answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(..) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Orm(e) => match e.violation().map(|v| v.kind) {
                // A unique key taken, a row referenced by another: the client's to resolve.
                Some(ViolationKind::Unique | ViolationKind::ForeignKey) => StatusCode::CONFLICT,
                Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
                None => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            // The driver's words stay in the server's log, not in the client's answer.
            eprintln!("ecommerce: error: {self}");
            "internal error (logged by the server)".to_owned()
        } else {
            self.to_string()
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}
