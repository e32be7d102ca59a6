//! Checks that every file path the README and ARCHITECTURE.md name in backticks exists, so the
//! docs can't drift from the tree unnoticed.

#[cfg(test)]
mod tests {
    use crate::cmd::root;

    /// Returns the backticked spans of `text` that look like paths inside the repository:
    /// a slash or a file extension, no spaces, not a URL, not an absolute path.
    fn named_paths(text: &str) -> Vec<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .filter(|span| !span.contains(char::is_whitespace) && !span.is_empty())
            .filter(|span| !span.starts_with('/') && !span.starts_with('-'))
            .filter(|span| !span.contains("://") && !span.contains(['<', '*', '{', '=', '?']))
            .filter(|span| {
                let has_extension = [".rs", ".md", ".toml", ".html", ".css", ".json", ".sql"]
                    .iter()
                    .any(|extension| span.ends_with(extension));
                span.contains('/') || has_extension
            })
            .map(|span| span.trim_end_matches('/').to_owned())
            .collect()
    }

    #[test]
    fn named_paths_exist() {
        for document in ["README.md", "ARCHITECTURE.md", "docs/api.md"] {
            let text = std::fs::read_to_string(root().join(document))
                .unwrap_or_else(|e| panic!("could not read {document}: {e}"));
            let paths = named_paths(&text);
            assert!(
                !paths.is_empty() || document == "docs/api.md",
                "{document} names no paths"
            );
            for path in paths {
                assert!(
                    root().join(&path).exists(),
                    "{document} names `{path}`, which is missing"
                );
            }
        }
    }

    #[test]
    fn named_paths_skips_urls_and_commands() {
        let text = "Run `cargo xtask test`, open `http://127.0.0.1:8080/`, see `src/api.rs`, \
                    call `/api/v1/users` and read `README.md`.";
        assert_eq!(named_paths(text), ["src/api.rs", "README.md"]);
    }
}
