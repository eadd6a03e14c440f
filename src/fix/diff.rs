//! Unified diffs of a file before and after its fixes (`lint --diff`).

use similar::TextDiff;

/// A unified diff from `old` to `new`, with `a/` and `b/` headers naming
/// `path` and three lines of context; empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .missing_newline_hint(true)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_changed_lines_with_context() {
        let d = unified("Dockerfile", "FROM a as b\nRUN x\n", "FROM a AS b\nRUN x\n");
        assert_eq!(
            d,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n-FROM a as b\n+FROM a AS b\n RUN x\n"
        );
        assert_eq!(unified("D", "same\n", "same\n"), "");
    }
}
