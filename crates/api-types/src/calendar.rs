//! The personal calendar feed: an iCalendar address with a secret, to subscribe to in a
//! calendar app.

use serde::{Deserialize, Serialize};

/// Whether the signed-in user has a calendar feed, and its address when it was just made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeedResponse {
    /// Whether a feed address works now.
    pub active: bool,
    /// The address, with its secret: given once, when it is made. Anyone with it reads the
    /// user's deadlines and interview dates, so a new address ends the old one.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "http://127.0.0.1:8080/api/v1/me/calendar.ics?key=q2Hc0N5rS0aVx7mJ9dK1f3uYbT6wLzPe8iQoRgNh4Ws"
        )
    )]
    pub url: Option<String>,
}

/// The feed's secret, in the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CalendarFeedQuery {
    /// The secret from the feed address (43 characters).
    pub key: String,
}
