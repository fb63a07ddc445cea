//! What a hostile client types into a field, and a seeded generator that
//! picks from it, so a failing run can be replayed from its seed.

/// A value as it goes into a request: text to be percent-encoded, or bytes
/// put into the body or address exactly as they are (invalid encodings).
#[derive(Clone, Debug)]
pub enum Value {
    Text(Vec<u8>),
    Raw(&'static str),
}

impl Value {
    fn text(text: impl Into<String>) -> Self {
        Value::Text(text.into().into_bytes())
    }

    /// As it goes into a form body or a query string.
    pub fn encoded(&self) -> String {
        match self {
            Value::Raw(raw) => (*raw).to_owned(),
            Value::Text(bytes) => percent_encode(bytes),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Value::Raw(raw) => raw.len(),
            Value::Text(bytes) => bytes.len(),
        }
    }

    /// The same value cut to half its length (for shrinking a failure).
    pub fn halved(&self) -> Option<Self> {
        match self {
            Value::Text(bytes) if bytes.len() > 1 => {
                Some(Value::Text(bytes[..bytes.len() / 2].to_vec()))
            }
            _ => None,
        }
    }
}

pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(byte) {
            out.push(char::from(*byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Every hostile value, in a fixed order.
pub fn hostile() -> Vec<Value> {
    let mut values = vec![
        Value::text(""),
        Value::text(" "),
        Value::text("\t\r\n "),
        Value::text("a".repeat(10 * 1024)),
        Value::text("\0"),
        Value::text("a\0b"),
        Value::text("\u{1}\u{7}\u{8}\u{1b}[31mred\u{7f}"),
        Value::text("line one\r\nline two"),
        Value::text("\u{202e}gnp.exe"),
        Value::text("\u{2066}bidi\u{2069}\u{200b}\u{feff}"),
        Value::Raw("%"),
        Value::Raw("%zz"),
        Value::Raw("%C3%28"),
        Value::Raw("%FF%FE%FD"),
        Value::Raw("%ED%A0%80"),
        Value::Raw("%00"),
        Value::Text(vec![0xc3, 0x28, 0xff]),
        Value::text("ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        Value::text("аda@example.com"),
        Value::text("ada@example.com\r\nBcc: eve@evil.example"),
        Value::text("x\r\nSet-Cookie: roster_session=stolen"),
        Value::text("' OR '1'='1' --"),
        Value::text("'; DROP TABLE users; --"),
        Value::text("<script>alert(1)</script>"),
        Value::text("\"><img src=x onerror=alert(1)>"),
        Value::text("9223372036854775807"),
        Value::text("9223372036854775808"),
        Value::text("-9223372036854775809"),
        Value::text("-1"),
        Value::text("0"),
        Value::text("1e309"),
        Value::text("NaN"),
        Value::text("[]"),
        Value::text("{}"),
        Value::text("null"),
        Value::text("true"),
        Value::text("00000000-0000-0000-0000-000000000000"),
        Value::text("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        Value::text("../../../etc/passwd"),
        Value::text("//evil.example/"),
        Value::text("javascript:alert(1)"),
        Value::text("owner"),
        Value::text("😀".repeat(1000)),
        Value::text("Z̸̢̛a̷l̵g̶o̸"),
    ];
    // A value over the form body's limit.
    values.push(Value::text("b".repeat(1024 * 1024)));
    values
}

/// SplitMix64: small, seeded, the same sequence on every machine.
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Seeded(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
