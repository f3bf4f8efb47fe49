//! What can go wrong in the SRP maths: bad input from the caller, or server
//! values that fail the protocol's safety checks. The protocol core maps each
//! to its own error (a ValidationError or an InvalidServerResponse).

/// A failure of the SRP maths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SrpError {
    /// The caller gave fewer than 32 or more than 128 random bytes for `a`.
    RandomLength,
    /// The random bytes for `a` are all zero.
    ZeroSecret,
    /// SALT from the server is not hex, or has more than 3072 bits.
    SaltNotHex,
    /// SRP_B from the server is not hex, or has more than 3072 bits.
    SrpBNotHex,
    /// B mod N = 0.
    UnsafeB,
    /// u = H(A, B) = 0.
    UnsafeU,
    /// SECRET_BLOCK is not base64.
    SecretBlockNotBase64,
}

impl SrpError {
    /// Whether the caller's input, not the server's answer, is at fault.
    pub fn is_caller_error(self) -> bool {
        matches!(self, SrpError::RandomLength | SrpError::ZeroSecret)
    }

    /// A sentence a person can act on.
    pub fn message(self) -> &'static str {
        match self {
            SrpError::RandomLength => "the SRP secret needs 32 to 128 random bytes",
            SrpError::ZeroSecret => "the random SRP secret is 0; draw new random bytes",
            SrpError::SaltNotHex => "SALT from the server is not a hex number of at most 3072 bits",
            SrpError::SrpBNotHex => {
                "SRP_B from the server is not a hex number of at most 3072 bits"
            }
            SrpError::UnsafeB => {
                "SRP_B mod N is 0; the server's SRP answer is unsafe and was refused"
            }
            SrpError::UnsafeU => {
                "SRP u = H(A, B) is 0; the server's SRP answer is unsafe and was refused"
            }
            SrpError::SecretBlockNotBase64 => "SECRET_BLOCK from the server is not base64",
        }
    }
}

impl core::fmt::Display for SrpError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for SrpError {}
