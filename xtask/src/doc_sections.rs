//! Sections of a generated document that separate tasks rewrite: each task owns the text
//! between its `<!-- NAME:start -->` and `<!-- NAME:end -->` markers and leaves the rest.

use std::path::Path;

use crate::cmd::Result;

/// Replaces the section `name` of the Markdown file at `path` with `body`, or appends it when
/// the file has no such section. A missing file starts with the heading `title`.
pub fn replace(path: &Path, title: &str, name: &str, body: &str) -> Result {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => format!("# {title}\n"),
        Err(error) => return Err(format!("could not read {}: {error}", path.display())),
    };
    let updated = splice(&existing, name, body);
    std::fs::write(path, updated).map_err(|e| format!("could not write {}: {e}", path.display()))
}

fn splice(existing: &str, name: &str, body: &str) -> String {
    let start_marker = format!("<!-- {name}:start -->");
    let end_marker = format!("<!-- {name}:end -->");
    let section = format!(
        "{start_marker}\n{}\n{end_marker}\n",
        body.trim_end_matches('\n')
    );
    match (existing.find(&start_marker), existing.find(&end_marker)) {
        (Some(start), Some(end)) if start < end => {
            let after = &existing[end + end_marker.len()..];
            let rest = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{section}{rest}", &existing[..start])
        }
        _ => format!("{}\n\n{section}", existing.trim_end_matches('\n')),
    }
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn splice_appends_a_new_section() {
        let text = splice("# Robustness\n", "load", "## Load\n\nfigures\n");
        assert_eq!(
            text,
            "# Robustness\n\n<!-- load:start -->\n## Load\n\nfigures\n<!-- load:end -->\n"
        );
    }

    #[test]
    fn splice_replaces_only_its_own_section() {
        let before = "# R\n\n<!-- a:start -->\nold a\n<!-- a:end -->\n\n<!-- b:start -->\nb\n<!-- b:end -->\n";
        let after = splice(before, "a", "new a");
        assert_eq!(
            after,
            "# R\n\n<!-- a:start -->\nnew a\n<!-- a:end -->\n\n<!-- b:start -->\nb\n<!-- b:end -->\n"
        );
        assert_eq!(
            splice(&after, "a", "new a"),
            after,
            "replacing again is stable"
        );
    }
}
