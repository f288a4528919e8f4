//! HTTP objects (the request, the response) and their fields.

use crate::host::Regex;
use crate::sys::{self, ecall1, ecall2, ecall3, ecall4, ecall6};
use crate::{hooks, host_writes, string_from};
use alloc::string::String;
use alloc::vec::Vec;

/// The client request: on_recv, on_synth, on_deliver and named functions (after a request) see it.
pub const REQ: u32 = 0;
/// The response: on_synth and on_deliver.
pub const RESP: u32 = 2;
/// The request a forge callback answers (a copy of the request as on_recv left it).
pub const BEREQ: u32 = 4;
/// The response a forge callback builds (its header lines are sent with the forged response).
pub const BERESP: u32 = 5;
/// "None" as the hooks receive it (e.g. the second argument of on_recv).
pub const INVALID: u32 = 0xFFFF_FFFF;

/// Field index of the method.
pub const FIELD_METHOD: u32 = 0;
/// Field index of the URL (request target).
pub const FIELD_URL: u32 = 1;
/// Field index of the protocol ("HTTP/1.1").
pub const FIELD_PROTO: u32 = 2;
/// Field index of the status (read it with [`Http::status`]).
pub const FIELD_STATUS: u32 = 3;
/// Field index of the reason phrase.
pub const FIELD_REASON: u32 = 4;
/// The first header line's index; header lines follow one per index.
pub const FIELD_FIRST_HEADER: u32 = 6;

/// The header line "name: value", built on the stack when short.
fn with_line<R>(name: &str, value: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let n = name.len() + 2 + value.len();
    let mut small = [0u8; 256];
    let mut big = Vec::new();
    let line: &mut [u8] = if n <= small.len() {
        &mut small[..n]
    } else {
        big.resize(n, 0);
        &mut big
    };
    line[..name.len()].copy_from_slice(name.as_bytes());
    line[name.len()..name.len() + 2].copy_from_slice(b": ");
    line[name.len() + 2..].copy_from_slice(value.as_bytes());
    f(line)
}

/// The whole text of a field, or None if it does not exist.
fn retrieve(where_: u32, index: u32) -> Option<String> {
    let mut small = [0u8; 256];
    // SAFETY: the host writes at most small.len() bytes into small
    let n = unsafe {
        ecall4(sys::SYS_FIELD_RETRIEVE, where_ as usize, index as usize, small.as_mut_ptr() as usize, small.len())
    };
    if n >= 0 {
        let n = (n as usize).min(small.len());
        return Some(string_from(small[..n].to_vec()));
    }
    // SAFETY: buffer 0, size 0: the host only returns the length
    let len = unsafe { ecall4(sys::SYS_FIELD_RETRIEVE, where_ as usize, index as usize, 0, 0) };
    if len < 0 {
        return None;
    }
    host_writes(len as usize + 1, |p, size| {
        // SAFETY: p points to `size` writable bytes owned by host_writes
        unsafe { ecall4(sys::SYS_FIELD_RETRIEVE, where_ as usize, index as usize, p, size) }
    })
    .map(string_from)
}

/// "Name: value" → value (after the colon and blanks).
fn value_of(line: &str) -> &str {
    match line.find(':') {
        Some(i) => line[i + 1..].trim_start_matches([' ', '\t']),
        None => "",
    }
}

/// An HTTP object: [`REQ`], [`RESP`], [`BEREQ`] or [`BERESP`]. Copy it freely; it is only a number.
///
/// Using an object the current hook may not use (RESP in on_recv, REQ in a forge callback) fails the request.
/// Invalid header text (a name that is not a token, control characters, more than 8 KiB) fails it too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Http(u32);

impl Http {
    /// The object numbered `where_` (the hooks' `u32` arguments are such numbers).
    pub const fn new(where_: u32) -> Http {
        Http(where_)
    }

    /// Its number.
    pub const fn where_(self) -> u32 {
        self.0
    }

    /// A field by index ([`FIELD_URL`], or [`FIELD_FIRST_HEADER`] + n).
    pub const fn field(self, index: u32) -> Field {
        Field { where_: self.0, index }
    }

    /// The first header line with that name (any case), if there is one.
    pub fn find(self, name: &str) -> Option<Field> {
        let (p, n) = sys::buf(name.as_bytes());
        // SAFETY: (p, n) is a live slice
        let i = unsafe { ecall3(sys::SYS_HTTP_FIND, self.0 as usize, p, n) };
        (i >= 0 && i as u32 != INVALID).then(|| Field { where_: self.0, index: i as u32 })
    }

    /// The value of the first header line with that name.
    pub fn get(self, name: &str) -> Option<String> {
        self.find(name).map(|f| f.value())
    }

    /// Whether a header line with that name exists.
    pub fn contains(self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Appends the header line "name: value". None if the object already holds 128 lines.
    pub fn append(self, name: &str, value: &str) -> Option<Field> {
        with_line(name, value, |line| self.append_line_bytes(line))
    }

    /// Appends a whole header line "Name: value". None if the object already holds 128 lines.
    pub fn append_line(self, line: &str) -> Option<Field> {
        self.append_line_bytes(line.as_bytes())
    }

    fn append_line_bytes(self, line: &[u8]) -> Option<Field> {
        let (p, n) = sys::buf(line);
        // SAFETY: (p, n) is a live slice
        let i = unsafe { ecall3(sys::SYS_FIELD_APPEND, self.0 as usize, p, n) };
        (i >= 0 && i as u32 != INVALID).then(|| Field { where_: self.0, index: i as u32 })
    }

    /// Sets header `name` to `value`: replaces the first line with that name, or appends one. Further lines with
    /// the same name stay (use [`Http::unset`] first to have exactly one).
    pub fn set(self, name: &str, value: &str) -> Option<Field> {
        match self.find(name) {
            Some(f) => {
                with_line(name, value, |line| f.set_bytes(line));
                Some(f)
            }
            None => self.append(name, value),
        }
    }

    /// Removes every header line with that name; returns how many.
    pub fn unset(self, name: &str) -> usize {
        let mut n = 0;
        while let Some(f) = self.find(name) {
            f.unset();
            n += 1;
        }
        n
    }

    /// Removes every header line whose whole text ("Name: value") matches the regex; returns how many.
    pub fn unset_matching(self, re: &Regex) -> usize {
        // SAFETY: numbers only
        let n = unsafe { ecall2(sys::SYS_HTTP_UNSET_REGEX, self.0 as usize, re.handle() as usize) };
        n.max(0) as usize
    }

    /// Calls `f` for every header line (budget 50 000 instructions). `line.unset()` removes a line after the call;
    /// adding or removing lines and decisions inside `f` fail the request. Returns the number of lines.
    pub fn foreach<F: FnMut(&mut HeaderLine<'_>)>(self, mut f: F) -> usize {
        extern "C" fn thunk<F: FnMut(&mut HeaderLine<'_>)>(data: *mut F, entries: *mut Entry, count: usize) {
            if count == 0 || entries.is_null() {
                return;
            }
            // SAFETY: data is &mut f of the foreach call below, alive during it; the host passes an array of
            // `count` writable entries on its heap
            let (f, entries) = unsafe { (&mut *data, core::slice::from_raw_parts_mut(entries, count)) };
            for entry in entries {
                f(&mut HeaderLine { entry });
            }
        }
        let data = &mut f as *mut F as usize;
        // SAFETY: the host calls thunk::<F>(data, entries, count) during this call only
        let n = unsafe { ecall3(sys::SYS_FOREACH_FIELD, self.0 as usize, thunk::<F> as *const () as usize, data) };
        n.max(0) as usize
    }

    /// Every header line as (name, value), in order.
    pub fn headers(self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut index = FIELD_FIRST_HEADER;
        while let Some(line) = retrieve(self.0, index) {
            let name = line.split(':').next().unwrap_or("");
            out.push((String::from(name), String::from(value_of(&line))));
            index += 1;
        }
        out
    }

    /// Undoes this request's changes to the object.
    pub fn rollback(self) {
        // SAFETY: numbers only
        unsafe { ecall1(sys::SYS_HTTP_ROLLBACK, self.0 as usize) };
    }

    /// The URL (request target, e.g. "/path?query").
    pub fn url(self) -> String {
        retrieve(self.0, FIELD_URL).unwrap_or_default()
    }

    /// Replaces the URL (non-empty, no spaces, else the request fails).
    pub fn set_url(self, url: &str) {
        self.field(FIELD_URL).set(url);
    }

    /// The method, e.g. "GET".
    pub fn method(self) -> String {
        retrieve(self.0, FIELD_METHOD).unwrap_or_default()
    }

    /// Replaces the method (a token).
    pub fn set_method(self, method: &str) {
        self.field(FIELD_METHOD).set(method);
    }

    /// The protocol, e.g. "HTTP/1.1".
    pub fn proto(self) -> String {
        retrieve(self.0, FIELD_PROTO).unwrap_or_default()
    }

    /// The status of a response (RESP, BERESP; other objects fail the request).
    pub fn status(self) -> u16 {
        // SAFETY: numbers only
        let s = unsafe { ecall2(sys::SYS_HTTP_STATUS, self.0 as usize, usize::MAX) };
        s.clamp(0, u16::MAX as isize) as u16
    }

    /// Sets the status of a response (100-999, else the request fails); a standard reason phrase follows it.
    pub fn set_status(self, status: u16) {
        // SAFETY: numbers only
        unsafe { ecall2(sys::SYS_HTTP_STATUS, self.0 as usize, status as usize) };
    }

    /// The reason phrase of a response.
    pub fn reason(self) -> String {
        retrieve(self.0, FIELD_REASON).unwrap_or_default()
    }

    /// Replaces the reason phrase.
    pub fn set_reason(self, reason: &str) {
        self.field(FIELD_REASON).set(reason);
    }
}

/// One field of an HTTP object. Header lines read as "Name: value". Indices shift when lines are unset or rolled
/// back: do not keep a Field across those.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    where_: u32,
    index: u32,
}

impl Field {
    /// The object it belongs to.
    pub const fn http(self) -> Http {
        Http(self.where_)
    }

    /// Its index.
    pub const fn index(self) -> u32 {
        self.index
    }

    /// The whole field ("Name: value" for header lines); "" if it no longer exists.
    pub fn text(self) -> String {
        retrieve(self.where_, self.index).unwrap_or_default()
    }

    /// A header line's name; "" for the head fields (method, URL...).
    pub fn name(self) -> String {
        if self.index < FIELD_FIRST_HEADER {
            return String::new();
        }
        let mut s = self.text();
        let end = s.find(':').unwrap_or(s.len());
        s.truncate(end);
        s
    }

    /// A header line's value (after the colon and blanks); the whole field for the head fields.
    pub fn value(self) -> String {
        let s = self.text();
        if self.index < FIELD_FIRST_HEADER {
            return s;
        }
        String::from(value_of(&s))
    }

    /// Replaces the whole field ("Name: value" for a header line). False if it does not exist.
    pub fn set(self, text: &str) -> bool {
        self.set_bytes(text.as_bytes())
    }

    fn set_bytes(self, text: &[u8]) -> bool {
        let (p, n) = sys::buf(text);
        // SAFETY: (p, n) is a live slice
        unsafe { ecall4(sys::SYS_FIELD_SET, self.where_ as usize, self.index as usize, p, n) >= 0 }
    }

    /// Keeps a header line's name and replaces its value.
    pub fn set_value(self, value: &str) -> bool {
        if self.index < FIELD_FIRST_HEADER {
            return self.set(value);
        }
        let name = self.name();
        with_line(&name, value, |line| self.set_bytes(line))
    }

    /// Copies another field over this one (a missing source removes this line).
    pub fn copy_from(self, source: Field) -> bool {
        // SAFETY: numbers only
        unsafe {
            ecall4(sys::SYS_FIELD_COPY, self.where_ as usize, self.index as usize, source.where_ as usize,
                   source.index as usize) >= 0
        }
    }

    /// Removes the header line (the head fields cannot be removed: that fails the request).
    pub fn unset(self) {
        // SAFETY: numbers only
        unsafe { ecall2(sys::SYS_FIELD_UNSET, self.where_ as usize, self.index as usize) };
    }

    /// Appends a copy of this header line to another object; returns the copy.
    pub fn copy_to(self, destination: Http) -> Option<Field> {
        // SAFETY: numbers only
        let i = unsafe { ecall3(sys::SYS_HTTP_COPY, self.where_ as usize, self.index as usize, destination.0 as usize) };
        (i >= 0 && i as u32 != INVALID).then(|| Field { where_: destination.0, index: i as u32 })
    }

    /// Regex replacement over the whole line ("Name: value"), written back (`\1` inserts a group). False if the
    /// field does not exist.
    pub fn regsub(self, re: &Regex, replacement: &str, all: bool) -> bool {
        let (p, n) = sys::buf(replacement.as_bytes());
        // SAFETY: (p, n) is a live slice
        unsafe {
            ecall6(sys::SYS_REGEX_SUBST_FIELD, re.handle() as usize, self.where_ as usize, self.index as usize, p, n,
                   all as usize) >= 0
        }
    }
}

/// One entry of the host's foreach array (docs/abi.md, 519).
#[repr(C)]
struct Entry {
    where_: i32,
    index: u32,
    deleted: u8,
    foreach: u8,
    pad: [u8; 2],
}

/// A header line inside [`Http::foreach`].
pub struct HeaderLine<'a> {
    entry: &'a mut Entry,
}

impl HeaderLine<'_> {
    /// The field (read it; do not unset it inside foreach: use [`HeaderLine::unset`]).
    pub fn field(&self) -> Field {
        Field { where_: self.entry.where_ as u32, index: self.entry.index }
    }
    /// "Name: value".
    pub fn text(&self) -> String {
        self.field().text()
    }
    /// The name.
    pub fn name(&self) -> String {
        self.field().name()
    }
    /// The value.
    pub fn value(&self) -> String {
        self.field().value()
    }
    /// Marks the line: it is removed when foreach returns.
    pub fn unset(&mut self) {
        self.entry.deleted = 1;
    }
    /// Whether [`HeaderLine::unset`] was called.
    pub fn is_unset(&self) -> bool {
        self.entry.deleted != 0
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The current objects and the seed's free functions

/// The current request: REQ in hooks and named functions, BEREQ in a forge callback.
pub fn req() -> Http {
    Http(hooks::current_req())
}

/// The current response: RESP in on_synth and on_deliver, BERESP in a forge callback.
pub fn resp() -> Http {
    Http(hooks::current_resp())
}

/// The current request's URL.
pub fn get_url() -> String {
    req().url()
}

/// Replaces the current request's URL.
pub fn set_url(url: &str) {
    req().set_url(url)
}

/// The current request's method.
pub fn get_method() -> String {
    req().method()
}

/// Appends "name: value" to the current request.
pub fn add_req_header(name: &str, value: &str) {
    req().append(name, value);
}

/// The value of the current request's first header with that name.
pub fn get_req_header(name: &str) -> Option<String> {
    req().get(name)
}

/// Sets a header of the current request (replaces the first line with that name, or appends one).
pub fn set_req_header(name: &str, value: &str) {
    req().set(name, value);
}

/// Removes every header line with that name from the current request; returns how many.
pub fn unset_req_header(name: &str) -> usize {
    req().unset(name)
}

/// Appends "name: value" to the current response.
pub fn add_resp_header(name: &str, value: &str) {
    resp().append(name, value);
}

/// The value of the current response's first header with that name.
pub fn get_resp_header(name: &str) -> Option<String> {
    resp().get(name)
}

/// Sets a header of the current response.
pub fn set_resp_header(name: &str, value: &str) {
    resp().set(name, value);
}

/// Removes every header line with that name from the current response; returns how many.
pub fn unset_resp_header(name: &str) -> usize {
    resp().unset(name)
}

/// The current response's status.
pub fn get_status() -> u16 {
    resp().status()
}

/// Sets the current response's status (100-999).
pub fn set_status(status: u16) {
    resp().set_status(status)
}
