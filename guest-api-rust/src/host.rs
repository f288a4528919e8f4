//! Work done by the host: regular expressions, SHA-256, base64, JSON and XML.

use crate::sys::{self, ecall1, ecall2, ecall3, ecall4, ecall5, ecall6, ecall7};
use crate::{fail, host_writes, string_from};
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

// ---------------------------------------------------------------------------------------------------------------
// Regular expressions

/// Owners per handle: equal patterns share a handle, freed when the last Regex is dropped.
static REGEX_REFS: [AtomicU32; 16] = [const { AtomicU32::new(0) }; 16]; // u32: clones never wrap a count

/// A compiled `java.util.regex` pattern, evaluated by the host (billed by steps; see docs/abi.md).
///
/// A VM holds at most 16 patterns, and an invalid pattern fails the request. Patterns compiled in `main()` are
/// inherited by every request (compile them there, e.g. into a `static` `LazyLock` touched from `main()`); equal
/// patterns share a handle.
#[derive(Debug)]
pub struct Regex {
    handle: i32,
}

impl Regex {
    /// Compiles the pattern (at most 4 KiB; costs its length in instructions; the host caches it per program).
    pub fn new(pattern: &str) -> Regex {
        let (p, n) = sys::buf(pattern.as_bytes());
        // SAFETY: a live slice
        let handle = unsafe { ecall2(sys::SYS_REGEX_COMPILE, p, n) } as i32;
        if !(0..16).contains(&handle) {
            fail("Regex::new: the host returned no handle");
        }
        REGEX_REFS[handle as usize].fetch_add(1, Relaxed);
        Regex { handle }
    }

    pub(crate) fn handle(&self) -> i32 {
        self.handle
    }

    /// Whether the pattern is found anywhere in `subject` (at most 1 MiB).
    pub fn is_match(&self, subject: &str) -> bool {
        let (p, n) = sys::buf(subject.as_bytes());
        // SAFETY: a live slice
        unsafe { ecall3(sys::SYS_REGEX_MATCH, self.handle as usize, p, n) == 1 }
    }

    /// `subject` with the first match replaced (`\1`...`\9` insert groups, `\\` is a backslash).
    pub fn replace(&self, subject: &str, replacement: &str) -> String {
        self.subst(subject, replacement, false)
    }

    /// `subject` with every match replaced.
    pub fn replace_all(&self, subject: &str, replacement: &str) -> String {
        self.subst(subject, replacement, true)
    }

    fn subst(&self, subject: &str, replacement: &str, all: bool) -> String {
        let (sp, sn) = sys::buf(subject.as_bytes());
        let (rp, rn) = sys::buf(replacement.as_bytes());
        let mut size = sn + rn + 64;
        loop {
            let flag = if all { 0x8000_0000usize } else { 0 };
            let r = host_writes(size, |p, cap| {
                // SAFETY: live slices; the host writes at most cap bytes at p
                unsafe { ecall7(sys::SYS_REGEX_SUBST, self.handle as usize, sp, sn, rp, rn, p, cap.min(0x7fff_ffff) | flag) }
            });
            if let Some(v) = r {
                return string_from(v);
            }
            if size >= 64 << 20 {
                fail("Regex::replace: the result is larger than 64 MiB");
            }
            size *= 4;
        }
    }
}

impl Clone for Regex {
    fn clone(&self) -> Regex {
        REGEX_REFS[self.handle as usize].fetch_add(1, Relaxed);
        Regex { handle: self.handle }
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        if REGEX_REFS[self.handle as usize].fetch_sub(1, Relaxed) == 1 {
            // SAFETY: numbers only
            unsafe { ecall1(sys::SYS_REGEX_FREE, self.handle as usize) };
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Digests and encodings

/// The SHA-256 digest of `data` (at most 16 MiB; len/8 instructions).
pub fn sha256(data: impl AsRef<[u8]>) -> [u8; 32] {
    let (p, n) = sys::buf(data.as_ref());
    let mut d = [0u8; 32];
    // SAFETY: a live slice; the host writes 32 bytes into d
    unsafe { ecall4(sys::SYS_SHA256, p, n, d.as_mut_ptr() as usize, d.len()) };
    d
}

/// Lower-case hexadecimal.
pub fn hex(bytes: impl AsRef<[u8]>) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bytes = bytes.as_ref();
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Standard base64 with padding (data at most 8 MiB).
pub fn base64_encode(data: impl AsRef<[u8]>) -> String {
    let (p, n) = sys::buf(data.as_ref());
    let size = 4 * n.div_ceil(3) + 1;
    let v = host_writes(size, |dst, cap| {
        // SAFETY: a live slice; the host writes at most cap bytes at dst
        unsafe { ecall4(sys::SYS_BASE64_ENCODE, p, n, dst, cap) }
    });
    string_from(v.unwrap_or_default())
}

/// Decodes standard or URL-safe base64 (padding optional); None if `text` is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let (p, n) = sys::buf(text.as_bytes());
    host_writes(n / 4 * 3 + 3, |dst, cap| {
        // SAFETY: a live slice; the host writes at most cap bytes at dst
        unsafe { ecall4(sys::SYS_BASE64_DECODE, p, n, dst, cap) }
    })
}

/// Compares in time that depends only on the lengths (for secrets and digests).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // keep the optimizer from turning the loop into an early exit
    core::hint::black_box(diff) == 0
}

// ---------------------------------------------------------------------------------------------------------------
// JSON (Jackson's streaming parser on the host: far cheaper than parsing in the guest)

/// Whether `text` (at most 4 MiB) is one well-formed JSON value. Costs 1024 + len instructions.
pub fn json_valid(text: &str) -> bool {
    let (p, n) = sys::buf(text.as_bytes());
    // SAFETY: a live slice
    unsafe { ecall2(sys::SYS_JSON_VALIDATE, p, n) == 1 }
}

/// The value at a JSON Pointer (RFC 6901, e.g. "/user/name", "/items/0"; "" is the whole document): a string's
/// text unquoted, any other value as compact JSON. None if the document is malformed or the value absent. Costs
/// 1024 + len instructions per host call (one when the value is short, two otherwise).
pub fn json_extract(json: &str, pointer: &str) -> Option<String> {
    let (jp, jn) = sys::buf(json.as_bytes());
    let (pp, pn) = sys::buf(pointer.as_bytes());
    let extract = |dst: usize, cap: usize| {
        // SAFETY: live slices; the host writes at most cap bytes at dst (none when dst is 0)
        unsafe { ecall6(sys::SYS_JSON_EXTRACT, jp, jn, pp, pn, dst, cap) }
    };
    if let Some(v) = host_writes(256, extract) {
        return Some(string_from(v));
    }
    let len = extract(0, 0);
    if len < 0 {
        return None;
    }
    host_writes(len as usize + 1, extract).map(string_from)
}

// ---------------------------------------------------------------------------------------------------------------
// XML (the JDK's parser on the host; see docs/abi.md "XML documents")

/// An XML document held by the host (at most 4 per VM, dropped with the request at the latest). Parsed without
/// DTDs and without namespace processing; XPath 1.0 selects nodes.
#[derive(Debug)]
pub struct XmlDocument {
    handle: i32,
    /// an upper bound for any text the document can return: UTF-8 output of the parsed and added text
    bound: usize,
}

impl XmlDocument {
    /// Parses the document (at most 4 MiB); None if it is not well-formed or has a DOCTYPE.
    pub fn parse(text: impl AsRef<[u8]>) -> Option<XmlDocument> {
        let (p, n) = sys::buf(text.as_ref());
        // SAFETY: a live slice
        let handle = unsafe { ecall2(sys::SYS_XML_PARSE, p, n) };
        (handle >= 0).then(|| XmlDocument { handle: handle as i32, bound: 3 * n + 64 })
    }

    fn text_call(&self, f: impl Fn(usize, usize) -> isize) -> Option<String> {
        if let Some(v) = host_writes(512, &f) {
            return Some(string_from(v));
        }
        host_writes(self.bound, &f).map(string_from)
    }

    /// Attribute `name` of the first element `xpath` selects.
    pub fn get_attribute(&self, xpath: &str, name: &str) -> Option<String> {
        let (xp, xn) = sys::buf(xpath.as_bytes());
        let (np, nn) = sys::buf(name.as_bytes());
        self.text_call(|dst, cap| {
            // SAFETY: live slices; the host writes at most cap bytes at dst
            unsafe { ecall7(sys::SYS_XML_GET_ATTRIBUTE, self.handle as usize, xp, xn, np, nn, dst, cap) }
        })
    }

    /// Sets attribute `name` to `value` on every element `xpath` selects; returns how many, None for an invalid
    /// or refused XPath.
    pub fn set_attribute(&mut self, xpath: &str, name: &str, value: &str) -> Option<usize> {
        let (xp, xn) = sys::buf(xpath.as_bytes());
        let (np, nn) = sys::buf(name.as_bytes());
        let (vp, vn) = sys::buf(value.as_bytes());
        // SAFETY: live slices
        let r = unsafe { ecall7(sys::SYS_XML_SET_ATTRIBUTE, self.handle as usize, xp, xn, np, nn, vp, vn) };
        self.grown(r, value.len())
    }

    /// The text of the first node `xpath` selects (an element's descendant text, an attribute's value).
    pub fn get_text(&self, xpath: &str) -> Option<String> {
        let (xp, xn) = sys::buf(xpath.as_bytes());
        self.text_call(|dst, cap| {
            // SAFETY: live slices; the host writes at most cap bytes at dst
            unsafe { ecall5(sys::SYS_XML_GET_TEXT, self.handle as usize, xp, xn, dst, cap) }
        })
    }

    /// Replaces the content of every element `xpath` selects by `text`; returns how many, None for an invalid
    /// XPath.
    pub fn set_text(&mut self, xpath: &str, text: &str) -> Option<usize> {
        let (xp, xn) = sys::buf(xpath.as_bytes());
        let (tp, tn) = sys::buf(text.as_bytes());
        // SAFETY: live slices
        let r = unsafe { ecall5(sys::SYS_XML_SET_TEXT, self.handle as usize, xp, xn, tp, tn) };
        self.grown(r, text.len())
    }

    fn grown(&mut self, r: isize, added: usize) -> Option<usize> {
        if r < 0 {
            return None;
        }
        self.bound = self.bound.saturating_add((r as usize).saturating_mul(6 * added + 64));
        Some(r as usize)
    }

    /// The document as UTF-8 text.
    pub fn serialize(&self) -> String {
        // SAFETY: buffer 0, size 0: the length only
        let len = unsafe { ecall3(sys::SYS_XML_SERIALIZE, self.handle as usize, 0, 0) };
        if len < 0 {
            return String::new();
        }
        let v = host_writes(len as usize + 1, |dst, cap| {
            // SAFETY: the host writes at most cap bytes at dst
            unsafe { ecall3(sys::SYS_XML_SERIALIZE, self.handle as usize, dst, cap) }
        });
        string_from(v.unwrap_or_default())
    }
}

impl Drop for XmlDocument {
    fn drop(&mut self) {
        // SAFETY: numbers only
        unsafe { ecall1(sys::SYS_XML_FREE, self.handle as usize) };
    }
}
