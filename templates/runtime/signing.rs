//! Request signatures: a header carrying an HMAC of each request's exact
//! body, for APIs that authenticate that way (`x-content-signature`, such as
//! Talon.One's `Content-Signature`).

use std::fmt;

use hmac::{Hmac, Mac};
use md5::Md5;

/// A signing credential: who signs, and the secret key.
#[derive(Clone)]
pub(crate) struct BodySignature {
    pub(crate) header: &'static str,
    format: &'static str,
    signer: String,
    /// The decoded key, or why the key given could not be decoded.
    key: Result<Vec<u8>, String>,
}

impl BodySignature {
    /// Signs with HMAC-MD5 keyed with the hex-decoded `key_hex`; the header
    /// value is `format` with `{signer}` and `{signature}` (lowercase hex) filled in.
    pub(crate) fn hmac_md5_hex_key(header: &'static str, format: &'static str, signer: String, key_hex: &str) -> Self {
        let key = hex::decode(key_hex.trim()).map_err(|_| "has a signing key that is not hexadecimal".to_owned());
        BodySignature { header, format, signer, key }
    }

    /// Why requests cannot be signed with this credential, if they cannot:
    /// a key that is not hexadecimal or is empty (an HMAC with an empty key
    /// proves nothing), or a signer that would change the header's fields.
    pub(crate) fn check(&self) -> Result<(), String> {
        match &self.key {
            Err(why) => return Err(why.clone()),
            Ok(key) if key.is_empty() => return Err("has an empty signing key".to_owned()),
            Ok(_) => {}
        }
        if self.signer.is_empty() {
            return Err("has an empty signer".to_owned());
        }
        if self.signer.chars().any(|c| matches!(c, ';' | '=' | ',') || c.is_control()) {
            return Err(format!(
                "has a signer containing `;`, `=`, `,` or a control character, which would add fields to `{}`",
                self.header
            ));
        }
        Ok(())
    }

    /// The header value for a request with this exact `body`.
    pub(crate) fn sign(&self, body: &[u8]) -> Result<String, String> {
        let key = self.key.as_ref().map_err(Clone::clone)?;
        let mut mac = Hmac::<Md5>::new_from_slice(key).map_err(|error| error.to_string())?;
        mac.update(body);
        let signature = hex::encode(mac.finalize().into_bytes());
        Ok(self.format.replace("{signer}", &self.signer).replace("{signature}", &signature))
    }
}

impl fmt::Debug for BodySignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodySignature")
            .field("header", &self.header)
            .field("signer", &self.signer)
            .field("key", &"<redacted>")
            .finish()
    }
}
