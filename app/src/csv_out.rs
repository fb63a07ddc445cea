//! CSV as Roster writes it (RFC 4180: every field quoted, CRLF line ends),
//! made safe to open in a spreadsheet: a field that would start a formula
//! (`=`, `+`, `-`, `@`, a tab or a carriage return) is led by an apostrophe,
//! so `=cmd|' /C calc'!A0` is shown as text and never run.

/// Appends one record of `fields` to `out`.
pub fn record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push('"');
        if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            out.push('\'');
        }
        for c in field.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::record;

    #[test]
    fn quotes_every_field_and_doubles_quotes() {
        let mut out = String::new();
        record(
            &mut out,
            ["Grace \"Amazing\" Hopper", "a,b", "line\nbreak", ""],
        );
        assert_eq!(
            out,
            "\"Grace \"\"Amazing\"\" Hopper\",\"a,b\",\"line\nbreak\",\"\"\r\n"
        );
    }

    #[test]
    fn formulas_are_shown_as_text() {
        for formula in [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            let mut out = String::new();
            record(&mut out, [formula]);
            assert!(out.starts_with("\"'"), "{formula:?} came out as {out:?}");
        }
        let mut out = String::new();
        record(&mut out, ["2001:db8::1", "a=b"]);
        assert_eq!(out, "\"2001:db8::1\",\"a=b\"\r\n");
    }
}
