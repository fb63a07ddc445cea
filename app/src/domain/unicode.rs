//! Unicode normalisation and character classes. The server uses the
//! `unicode-normalization` tables; the browser asks its own engine
//! (`String.prototype.normalize`, `\p{M}`), which keeps those tables out of
//! the bundle. Both follow the same Unicode standard.

#[cfg(feature = "ssr")]
pub fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

#[cfg(feature = "ssr")]
pub fn nfkc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect()
}

#[cfg(feature = "ssr")]
pub fn is_combining_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

#[cfg(not(feature = "ssr"))]
pub fn nfc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFC").into()
}

#[cfg(not(feature = "ssr"))]
pub fn nfkc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFKC").into()
}

#[cfg(not(feature = "ssr"))]
pub fn is_combining_mark(c: char) -> bool {
    thread_local! {
        static MARK: js_sys::RegExp = js_sys::RegExp::new(r"^\p{M}$", "u");
    }
    let mut buffer = [0; 4];
    MARK.with(|mark| mark.test(c.encode_utf8(&mut buffer)))
}
