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

/// Every documented path template with its methods, and the tag of each operation (from which
/// an API key's needed scope follows, see `auth::scopes`).
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(String, Vec<Segment>, Vec<&'static str>)>,
    tags: std::collections::HashMap<(String, &'static str), String>,
    /// Operations that take a token (those the document gives a `security` requirement).
    secured: std::collections::HashSet<(String, &'static str)>,
}

impl RouteTable {
    /// The table of a document's paths.
    pub fn from_openapi(document: &OpenApi) -> Self {
        let mut tags = std::collections::HashMap::new();
        let mut secured = std::collections::HashSet::new();
        for (path, item) in &document.paths.paths {
            for (method, operation) in [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ] {
                if let Some(tag) = operation
                    .as_ref()
                    .and_then(|operation| operation.tags.as_ref())
                    .and_then(|tags| tags.first())
                {
                    tags.insert((path.clone(), method), tag.clone());
                }
                if operation
                    .as_ref()
                    .and_then(|operation| operation.security.as_ref())
                    .is_some_and(|requirements| !requirements.is_empty())
                {
                    secured.insert((path.clone(), method));
                }
            }
        }
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
                (path.clone(), segments, methods)
            })
            .collect();
        Self {
            routes,
            tags,
            secured,
        }
    }

    /// Whether `method` on a concrete path is an operation that takes a token; false for public
    /// operations and unknown paths.
    pub fn secured(&self, path: &str, method: &str) -> bool {
        let Some(method) = ["GET", "PUT", "POST", "DELETE", "PATCH"]
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(method))
        else {
            return false;
        };
        self.template(path, method)
            .is_some_and(|template| self.secured.contains(&(template.to_owned(), method)))
    }

    /// The tag of the operation `method` on the path template `path` (as actix's match pattern
    /// and the document write it, `/api/v1/rounds/{round_id}`).
    pub fn tag(&self, path: &str, method: &str) -> Option<&str> {
        let method = ["GET", "PUT", "POST", "DELETE", "PATCH"]
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(method))?;
        self.tags
            .get(&(path.to_owned(), method))
            .map(String::as_str)
    }

    /// The methods declared for a concrete path, in a fixed order; empty for an unknown path.
    /// When several templates match (`trainees/import` and `trainees/{trainee_id}`), the most
    /// specific one counts, as it does for routing.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        self.matching(path)
            .into_iter()
            .flat_map(|(_, methods)| methods.iter().copied())
            .fold(Vec::new(), |mut allowed, method| {
                if !allowed.contains(&method) {
                    allowed.push(method);
                }
                allowed
            })
    }

    /// The template of the operation `method` on a concrete path, the most specific first.
    pub fn template(&self, path: &str, method: &str) -> Option<&str> {
        self.matching(path)
            .into_iter()
            .find(|(_, methods)| methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
            .map(|(template, _)| template)
    }

    /// The most specific templates matching a concrete path, with their methods.
    fn matching(&self, path: &str) -> Vec<(&str, &[&'static str])> {
        let segments: Vec<&str> = split(path).collect();
        let mut found: Vec<(&str, &[&'static str])> = Vec::new();
        let mut best = 0;
        for (name, template, methods) in &self.routes {
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
                found.clear();
            }
            if fixed == best {
                found.push((name.as_str(), methods.as_slice()));
            }
        }
        found
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
