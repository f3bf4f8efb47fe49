//! What the SRP vector tests share.

/// Lowercase hex, as the vectors write bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
