//! Image references: `[registry[:port]/]repository[:tag][@digest]`, with
//! Docker Hub's defaults made explicit.

use serde::Serialize;

pub const DOCKER_HUB: &str = "docker.io";

/// A parsed image reference. All parts are as written, except that Docker
/// Hub's implicit registry is filled in and its `library/` prefix is dropped
/// from [`ImageRef::repository`] (so `python`, not `library/python`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The reference as written (after ARG expansion).
    pub text: String,
    /// `docker.io` when none is given (also for `index.docker.io`).
    pub registry: String,
    /// Whether the registry was written out.
    pub explicit_registry: bool,
    /// The path on the registry, e.g. `python`, `bitnami/redis`,
    /// `distroless/static` (for `gcr.io/distroless/static`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference. Returns `None` for text that can't be one
    /// (empty, whitespace, a component that is empty).
    pub fn parse(text: &str) -> Option<ImageRef> {
        let text = text.trim();
        if text.is_empty() || text.contains(char::is_whitespace) {
            return None;
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (text, None),
        };
        // The tag follows the last `:` that comes after the last `/`
        // (a `:` before that is a registry port).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&rest[..at], Some(rest[at + 1..].to_owned()))
            }
            None => (rest, None),
        };
        if name.is_empty() || name.split('/').any(str::is_empty) {
            return None;
        }
        let (registry, explicit, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                let registry = if first == "index.docker.io" || first == "registry-1.docker.io" {
                    DOCKER_HUB
                } else {
                    first
                };
                (registry.to_owned(), true, path)
            }
            _ => (DOCKER_HUB.to_owned(), false, name),
        };
        let repository = if registry == DOCKER_HUB {
            path.strip_prefix("library/").unwrap_or(path)
        } else {
            path
        };
        Some(ImageRef {
            text: text.to_owned(),
            registry,
            explicit_registry: explicit,
            repository: repository.to_owned(),
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        })
    }

    /// The last path component: `python` for `docker.io/library/python`,
    /// `static` for `gcr.io/distroless/static`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// Registry and repository, e.g. `docker.io/python`, `gcr.io/distroless/static`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The fully qualified name, as a registry sees it:
    /// `docker.io/library/python`, `docker.io/bitnami/redis`,
    /// `gcr.io/distroless/static`.
    pub fn qualified_name(&self) -> String {
        if self.is_docker_hub() && !self.repository.contains('/') {
            format!("{}/library/{}", self.registry, self.repository)
        } else {
            self.full_name()
        }
    }

    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn qualified_names() {
        let q = |s: &str| ImageRef::parse(s).unwrap().qualified_name();
        assert_eq!(q("python:3.12"), "docker.io/library/python");
        assert_eq!(q("library/python"), "docker.io/library/python");
        assert_eq!(
            q("index.docker.io/bitnami/redis"),
            "docker.io/bitnami/redis"
        );
        assert_eq!(q("gcr.io/distroless/static"), "gcr.io/distroless/static");
        assert_eq!(q("localhost:5000/app"), "localhost:5000/app");
    }

    #[test]
    fn references() {
        let hub = |repo: &str, tag: Option<&str>| {
            (
                DOCKER_HUB.to_owned(),
                repo.to_owned(),
                tag.map(String::from),
                None,
            )
        };
        assert_eq!(parts("ubuntu"), hub("ubuntu", None));
        assert_eq!(parts("ubuntu:22.04"), hub("ubuntu", Some("22.04")));
        assert_eq!(
            parts("library/ubuntu:latest"),
            hub("ubuntu", Some("latest"))
        );
        assert_eq!(
            parts("docker.io/library/python:3.12"),
            hub("python", Some("3.12"))
        );
        assert_eq!(
            parts("index.docker.io/bitnami/redis"),
            hub("bitnami/redis", None)
        );
        assert_eq!(
            parts("registry:5000/img"),
            ("registry:5000".into(), "img".into(), None, None)
        );
        assert_eq!(
            parts("localhost/app:dev"),
            ("localhost".into(), "app".into(), Some("dev".into()), None)
        );
        assert_eq!(
            parts("gcr.io/distroless/static:nonroot@sha256:abc"),
            (
                "gcr.io".into(),
                "distroless/static".into(),
                Some("nonroot".into()),
                Some("sha256:abc".into())
            )
        );
        assert_eq!(parts("alpine@sha256:abc").3.as_deref(), Some("sha256:abc"));
        assert_eq!(
            ImageRef::parse("gcr.io/distroless/static")
                .unwrap()
                .short_name(),
            "static"
        );
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("a//b").is_none());
    }
}
