//! Numbers as people read them: "10,000 users", "$200,000.00".

/// `10000` as "10,000".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An amount in cents as dollars: `20000000` as "$200,000.00".
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!(
        "{sign}${}.{:02}",
        grouped((cents / 100) as i64),
        cents % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (10_000, "10,000"),
            (123_456_789, "123,456,789"),
            (-1_234, "-1,234"),
        ] {
            assert_eq!(grouped(n), text);
        }
    }

    #[test]
    fn writes_dollars_with_cents() {
        assert_eq!(dollars(20_000_000), "$200,000.00");
        assert_eq!(dollars(2_000), "$20.00");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(-150), "-$1.50");
    }
}
