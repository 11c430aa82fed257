//! Cross-file validation. OWNER: io/validate helper.
