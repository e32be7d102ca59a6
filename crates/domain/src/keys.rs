//! Uniqueness keys of usernames and emails: two values that people would read as the same
//! get the same key, so the backend's unique indexes treat them as one.
//!
//! A key is the trimmed value in Unicode Normalization Form KC with full Unicode case folding
//! (the "NFKC_Casefold" idea of Unicode Standard Annex #15 and #44), so compatibility forms
//! such as fullwidth letters, composed and decomposed accents, and case variants collide. The
//! domain of an email is converted to its ASCII form by IDNA (UTS #46), so `bücher.example` and
//! `xn--bcher-kva.example` collide too.
//!
//! The app does not call these functions, so its WebAssembly carries none of their Unicode
//! tables; it compares usernames, which are ASCII, with [`crate::normalize_key`].

use icu_casemap::CaseMapper;
use icu_normalizer::ComposingNormalizer;

/// Returns `value` trimmed, in NFKC and case-folded.
///
/// Folding can undo NFKC (a folded character may decompose differently), so the steps repeat
/// until the value stops changing. This makes the key idempotent: `fold_key(fold_key(x)) ==
/// fold_key(x)`, which the property tests check.
pub fn fold_key(value: &str) -> String {
    let nfkc = ComposingNormalizer::new_nfkc();
    let folder = CaseMapper::new();
    let mut key = nfkc.normalize(value.trim()).into_owned();
    // NOTE: four rounds is a bound, not a proven need; the property tests check on random
    // input that the result no longer changes.
    for _ in 0..4 {
        let folded = folder.fold_string(&key);
        let next = nfkc.normalize(&folded);
        let next = next.trim();
        if next == key {
            break;
        }
        key = next.to_owned();
    }
    key
}

/// Returns the key under which a username must be unique.
///
/// Valid usernames are ASCII (see [`crate::validate_username`]), so for them this is the
/// lower-cased value; the full folding keeps the key sound for any stored value.
pub fn username_key(username: &str) -> String {
    fold_key(username)
}

/// Returns the key under which an email must be unique: the local part folded like a
/// username, `@`, and the domain in its canonical ASCII form (lower case, punycode).
///
/// Returns an error message for the email field when IDNA rejects the domain, for example a
/// label that mixes scripts in a way UTS #46 forbids or is over 63 bytes once encoded.
pub fn email_key(email: &str) -> Result<String, String> {
    let email = email.trim();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Ok(fold_key(email));
    };
    let domain = canonical_email_domain(domain)?;
    Ok(format!("{}@{domain}", fold_key(local)))
}

/// Converts an email domain to the ASCII form that DNS uses: UTS #46 mapping (which folds
/// case and compatibility forms), then punycode for each non-ASCII label.
pub fn canonical_email_domain(domain: &str) -> Result<String, String> {
    let folded = fold_key(domain);
    // The strict form also checks the lengths DNS allows: 63 bytes a label, 253 in all.
    match idna::domain_to_ascii_strict(&folded) {
        Ok(ascii) if !ascii.is_empty() => Ok(ascii),
        _ => Err(format!(
            "The part after the @ (\"{}\") is not a valid international domain name. Check \
             its spelling, or enter its ASCII form (xn--...).",
            domain.trim()
        )),
    }
}

#[cfg(test)]
mod tests;
