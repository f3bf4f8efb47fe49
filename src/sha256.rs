//! SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and the one HKDF-SHA256
//! (RFC 5869) output SRP needs, written compactly: the RustCrypto crates'
//! generic layers were a tenth of the wasm module, and the few hashes of a
//! sign-in take microseconds either way. The tests check them against the
//! RFC vectors and against those crates.
//!
//! The buffered block and the HMAC key blocks can hold secrets (password
//! bytes, the client secret, the SRP key), so they are wiped when dropped.

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const INITIAL: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// An incremental SHA-256.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Sha256 {
    state: [u32; 8],
    /// The bytes of the current, not yet full, block.
    block: [u8; 64],
    /// Bytes hashed so far.
    len: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    pub fn new() -> Self {
        Sha256 {
            state: INITIAL,
            block: [0; 64],
            len: 0,
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let used = (self.len % 64) as usize;
            let take = (64 - used).min(data.len());
            self.block[used..used + take].copy_from_slice(&data[..take]);
            self.len += take as u64;
            data = &data[take..];
            if self.len % 64 == 0 {
                compress(&mut self.state, &self.block);
            }
        }
    }

    pub fn finalize(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        self.update(&[0x80]);
        while self.len % 64 != 56 {
            self.update(&[0]);
        }
        self.update(&bits.to_be_bytes());
        let mut digest = [0u8; 32];
        for (bytes, word) in digest.chunks_exact_mut(4).zip(&self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16]
            .wrapping_add(s0)
            .wrapping_add(w[i - 7])
            .wrapping_add(s1);
    }
    let mut v = *state;
    for (&k, &wi) in K.iter().zip(&w) {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(ch)
            .wrapping_add(k)
            .wrapping_add(wi);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        v = [
            t1.wrapping_add(s0.wrapping_add(maj)),
            a,
            b,
            c,
            d.wrapping_add(t1),
            e,
            f,
            g,
        ];
    }
    for (s, &x) in state.iter_mut().zip(&v) {
        *s = s.wrapping_add(x);
    }
    w.zeroize();
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()
}

/// HMAC-SHA256 of the concatenation of `parts` under `key` (any length).
pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = Zeroizing::new([0u8; 64]);
    if key.len() > 64 {
        block[..32].copy_from_slice(&sha256(&[key]));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    for byte in block.iter_mut() {
        *byte ^= 0x36;
    }
    inner.update(&block[..]);
    for part in parts {
        inner.update(part);
    }
    let inner = Zeroizing::new(inner.finalize());
    for byte in block.iter_mut() {
        *byte ^= 0x36 ^ 0x5c;
    }
    sha256(&[&block[..], &inner[..]])
}

/// The first 16 bytes of HKDF-SHA256(ikm, salt, info): one HMAC to extract
/// the pseudorandom key, one to expand its first block.
pub fn hkdf_16(salt: &[u8], ikm: &[u8], info: &[u8]) -> Zeroizing<[u8; 16]> {
    let prk = Zeroizing::new(hmac(salt, &[ikm]));
    let block = Zeroizing::new(hmac(&prk[..], &[info, &[1]]));
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&block[..16]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;
    use sha2::Digest;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Deterministic test bytes.
    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        let mut state = seed | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect()
    }

    #[test]
    fn sha256_known_answers() {
        // FIPS 180-4 examples.
        assert_eq!(
            hex(&sha256(&[b"abc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(&[b""])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(&[
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            ])),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn sha256_agrees_with_the_sha2_crate_at_every_block_boundary() {
        for len in 0..300 {
            let data = bytes(len, len as u32);
            let (a, b) = data.split_at(len / 3);
            assert_eq!(
                sha256(&[a, b])[..],
                sha2::Sha256::digest(&data)[..],
                "{len} bytes"
            );
        }
    }

    #[test]
    fn hmac_rfc_4231_vectors() {
        // Test cases 1, 2 and 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac(&[0x0b; 20], &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn hmac_agrees_with_the_hmac_crate() {
        for key_len in [0, 1, 16, 32, 63, 64, 65, 100, 200] {
            let key = bytes(key_len, 7 + key_len as u32);
            let message = bytes(key_len * 3 + 5, 11);
            let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
            mac.update(&message);
            assert_eq!(hmac(&key, &[&message])[..], mac.finalize().into_bytes()[..]);
        }
    }

    #[test]
    fn hkdf_rfc_5869_vector_and_the_hkdf_crate() {
        // RFC 5869 test case 1: the first 16 bytes of its 42-byte OKM.
        let ikm = [0x0b; 22];
        let salt: Vec<u8> = (0..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        assert_eq!(
            hex(&hkdf_16(&salt, &ikm, &info)[..]),
            "3cb25f25faacd57a90434f64d0362f2a"
        );
        for len in [1, 32, 100, 385] {
            let (salt, ikm) = (bytes(33, len as u32), bytes(len, 3));
            let mut expected = [0u8; 16];
            hkdf::Hkdf::<sha2::Sha256>::new(Some(&salt), &ikm)
                .expand(b"Caldera Derived Key", &mut expected)
                .unwrap();
            assert_eq!(hkdf_16(&salt, &ikm, b"Caldera Derived Key")[..], expected);
        }
    }
}
