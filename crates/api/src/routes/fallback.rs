//! What `/api/v1` answers when no handler takes a request: 405 with `Allow` when the path is
//! known but the method is not declared for it, 404 otherwise.
//!
//! actix answers 404 when no route's method guard matches, so the methods of each path are read
//! from the OpenAPI document, which is built from the same registrations as the routes
//! ([`super::configure`]) and so cannot disagree with them.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use koppel_api_types::PROBLEM_CONTENT_TYPE;
use utoipa::openapi::OpenApi;

use crate::error::{ApiError, problem_for_status};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Fixed(String),
    Parameter,
}

/// Every documented path template with its methods.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

impl RouteTable {
    /// The table of a document's paths.
    pub fn from_openapi(document: &OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = split(path)
                    .map(|segment| {
                        if segment.starts_with('{') && segment.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Fixed(segment.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, declared)| declared.then_some(method))
                .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods declared for a concrete path, in a fixed order; empty for an unknown path.
    /// When several templates match (`trainees/import` and `trainees/{trainee_id}`), the most
    /// specific one counts, as it does for routing.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        let segments: Vec<&str> = split(path).collect();
        let mut allowed: Vec<&'static str> = Vec::new();
        let mut best = 0;
        for (template, methods) in &self.routes {
            let matches = template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(expected, actual)| match expected {
                        Segment::Fixed(fixed) => fixed == actual,
                        Segment::Parameter => !actual.is_empty(),
                    });
            if !matches {
                continue;
            }
            let fixed = template
                .iter()
                .filter(|s| matches!(s, Segment::Fixed(_)))
                .count();
            if fixed > best {
                best = fixed;
                allowed.clear();
            }
            if fixed == best {
                for method in methods {
                    if !allowed.contains(method) {
                        allowed.push(method);
                    }
                }
            }
        }
        allowed
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
}

/// The default service of `/api/v1`.
pub async fn unmatched(request: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    let path = request.path();
    let allowed = table.allowed(path);
    if allowed.is_empty() {
        return ApiError::NotFound(format!("there is no resource at '{path}'")).error_response();
    }
    let status = actix_web::http::StatusCode::METHOD_NOT_ALLOWED;
    let mut problem = problem_for_status(status, path);
    problem.detail = format!(
        "'{path}' does not support {}; it supports {}",
        request.method(),
        allowed.join(", ")
    );
    HttpResponse::build(status)
        .content_type(PROBLEM_CONTENT_TYPE)
        .insert_header((header::ALLOW, allowed.join(", ")))
        .json(problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_path_lists_its_methods_and_an_unknown_one_none() {
        let table = RouteTable::from_openapi(&crate::openapi::document());
        assert_eq!(
            table.allowed(&format!(
                "/api/v1/institutes/{}/trainees",
                uuid::Uuid::nil()
            )),
            vec!["GET", "POST"]
        );
        assert_eq!(table.allowed("/api/v1/health"), vec!["GET"]);
        assert_eq!(
            table.allowed(&format!(
                "/api/v1/institutes/{}/trainees/import",
                uuid::Uuid::nil()
            )),
            vec!["POST"]
        );
        assert!(table.allowed("/api/v1/nothing-here").is_empty());
        assert!(
            table
                .allowed("/api/v1/institutes/x/trainees/y/z")
                .is_empty()
        );
    }
}
