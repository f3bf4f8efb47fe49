//! The pool's password policy, checked when a user sets a new password.

use crate::seed::SeedPasswordPolicy;

/// The characters the service counts as symbols (space counts too).
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

#[derive(Debug, Clone)]
pub struct PasswordPolicy {
    pub minimum_length: usize,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

impl From<&SeedPasswordPolicy> for PasswordPolicy {
    /// Unset rules take a new pool's defaults: length 8, every class required.
    fn from(seed: &SeedPasswordPolicy) -> Self {
        PasswordPolicy {
            minimum_length: seed.minimum_length.unwrap_or(8),
            require_lowercase: seed.require_lowercase.unwrap_or(true),
            require_uppercase: seed.require_uppercase.unwrap_or(true),
            require_numbers: seed.require_numbers.unwrap_or(true),
            require_symbols: seed.require_symbols.unwrap_or(true),
        }
    }
}

impl PasswordPolicy {
    /// The first rule `password` breaks, in the service's words.
    pub fn violation(&self, password: &str) -> Option<&'static str> {
        let has = |test: fn(char) -> bool| password.chars().any(test);
        if password.chars().count() < self.minimum_length {
            Some("Password not long enough")
        } else if self.require_lowercase && !has(|c| c.is_lowercase()) {
            Some("Password must have lowercase characters")
        } else if self.require_uppercase && !has(|c| c.is_uppercase()) {
            Some("Password must have uppercase characters")
        } else if self.require_numbers && !has(|c| c.is_ascii_digit()) {
            Some("Password must have numeric characters")
        } else if self.require_symbols && !has(|c| SYMBOLS.contains(c)) {
            Some("Password must have symbol characters")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_require_every_class() {
        let policy = PasswordPolicy::from(&SeedPasswordPolicy::default());
        assert_eq!(policy.violation("Aa1!aaaa"), None);
        assert_eq!(
            policy.violation("Aa1!aaa"),
            Some("Password not long enough")
        );
        assert_eq!(
            policy.violation("AA1!AAAA"),
            Some("Password must have lowercase characters")
        );
        assert_eq!(
            policy.violation("aa1!aaaa"),
            Some("Password must have uppercase characters")
        );
        assert_eq!(
            policy.violation("Aab!aaaa"),
            Some("Password must have numeric characters")
        );
        assert_eq!(
            policy.violation("Aa1aaaaa"),
            Some("Password must have symbol characters")
        );
    }

    #[test]
    fn relaxed_rules_are_honoured() {
        let policy = PasswordPolicy::from(&SeedPasswordPolicy {
            minimum_length: Some(6),
            require_symbols: Some(false),
            require_uppercase: Some(false),
            ..SeedPasswordPolicy::default()
        });
        assert_eq!(policy.violation("abc123"), None);
    }
}
