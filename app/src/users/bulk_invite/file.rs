//! Reading an uploaded CSV of people to invite: UTF-8 text (a byte order
//! mark is dropped), commas or semicolons (whichever the header uses), a
//! header naming the columns `name`, `email`, `role` and `inboxes` in any
//! order (`role` and `inboxes` may be left out), quotes and line breaks in
//! fields as RFC 4180 has them. What each row says is checked elsewhere
//! (`rows`); here, only whether the file can be read at all.

use crate::domain::{grouped, ValidationError};

/// The largest file read (1,000 rows of generous width).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The most people one file invites.
pub const MAX_ROWS: usize = 1_000;

/// One row as the file has it, before any check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    /// The line it starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub inboxes: String,
    /// A row whose field count differs from the header's.
    pub malformed: Option<String>,
}

const COLUMNS: [&str; 4] = ["name", "email", "role", "inboxes"];

/// The rows of `bytes`, or why the file cannot be read.
pub fn read(bytes: &[u8]) -> Result<Vec<FileRow>, ValidationError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ValidationError::new(TOO_LARGE));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ValidationError::new("The file is empty."));
    }
    let text = std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
        .ok_or_else(|| ValidationError::new(NOT_TEXT))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Line ends as one character, so that each row's line number is right
    // (the reader counts a CR LF row end as the start of the next line).
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| ValidationError::new(NOT_TEXT))?
        .clone();
    let columns = columns(&header)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| ValidationError::new(NOT_TEXT))?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(ValidationError::new(format!(
                "A file can invite at most {} people: split this one into smaller files.",
                grouped(MAX_ROWS as i64)
            )));
        }
        let field = |column: Option<usize>| {
            column
                .and_then(|index| record.get(index))
                .unwrap_or("")
                .to_owned()
        };
        rows.push(FileRow {
            line: record.position().map_or(0, |p| p.line()),
            name: field(columns[0]),
            email: field(columns[1]),
            role: field(columns[2]),
            inboxes: field(columns[3]),
            malformed: (record.len() != header.len()).then(|| {
                format!(
                    "This row has {} fields; the header has {}.",
                    record.len(),
                    header.len()
                )
            }),
        });
    }
    if rows.is_empty() {
        return Err(ValidationError::new(
            "The file has no people in it: one row per person under the header.",
        ));
    }
    Ok(rows)
}

pub const TOO_LARGE: &str = "A CSV file can be at most 1 MB.";
const NOT_TEXT: &str =
    "This is not a CSV file Roster can read: save it from your spreadsheet as CSV (UTF-8).";

/// A semicolon when the header line has more of them than commas (as
/// spreadsheets in many languages write CSV), else a comma.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.chars().filter(|&x| x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Where each of `COLUMNS` is in the header.
fn columns(header: &csv::StringRecord) -> Result<[Option<usize>; 4], ValidationError> {
    let mut found = [None; 4];
    for (index, title) in header.iter().enumerate() {
        let title = title.trim().to_lowercase();
        match COLUMNS.iter().position(|c| *c == title) {
            Some(column) if found[column].is_some() => {
                return Err(ValidationError::new(format!(
                    "The header names the column “{title}” twice."
                )))
            }
            Some(column) => found[column] = Some(index),
            None => {
                return Err(ValidationError::new(format!(
                    "The header's first line must name the columns name, email, role and inboxes; “{}” is not one of them.",
                    shorten(&title)
                )))
            }
        }
    }
    if found[0].is_none() || found[1].is_none() {
        return Err(ValidationError::new(
            "The header's first line must name at least the columns name and email.",
        ));
    }
    Ok(found)
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(bytes: &[u8]) -> String {
        read(bytes).unwrap_err().0
    }

    #[test]
    fn reads_commas_semicolons_a_bom_quotes_and_line_breaks() {
        let rows = read(
            "\u{feff}Name,Email,Role,Inboxes\r\nAda Lovelace,ada@example.com,User,\"Support, Sales\"\r\n\"Hopper, Grace\",grace@example.com,,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Ada Lovelace");
        assert_eq!(rows[0].inboxes, "Support, Sales");
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].name, "Hopper, Grace");
        assert_eq!(rows[1].role, "");

        let rows = read(b"email;name\nkay@example.com;\"Kay\nAlan\"\nx@example.com;X\n").unwrap();
        assert_eq!(rows[0].email, "kay@example.com");
        assert_eq!(rows[0].name, "Kay\nAlan");
        assert_eq!(rows[1].line, 4, "the second row starts on line 4");
        assert_eq!(rows[1].role, "", "a column left out is empty");
    }

    #[test]
    fn a_row_with_another_field_count_is_marked_and_blank_rows_skipped() {
        let rows =
            read(b"name,email\nAda,ada@example.com,extra\n,\n\nGrace,grace@example.com\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].malformed.as_deref(),
            Some("This row has 3 fields; the header has 2.")
        );
        assert_eq!(rows[1].malformed, None);
    }

    #[test]
    fn refuses_what_is_not_a_readable_file() {
        assert_eq!(message(b""), "The file is empty.");
        assert_eq!(message(b" \r\n"), "The file is empty.");
        assert!(message(b"name,email\n").contains("no people in it"));
        assert!(message(b"\x89PNG\r\n\x1a\n\0\0\0").contains("not a CSV file"));
        assert!(message(b"name,email\nAda,ada@example.com\0\n").contains("not a CSV file"));
        // Latin-1 beside UTF-8: mixed encodings.
        assert!(
            message(b"name,email\nJos\xe9,jose@example.com\nZo\xc3\xab,zoe@example.com\n")
                .contains("not a CSV file")
        );
        assert_eq!(message(&vec![b'a'; MAX_FILE_BYTES + 1]), TOO_LARGE);
    }

    #[test]
    fn the_header_names_the_columns() {
        assert!(
            message(b"email\nada@example.com\n").contains("at least the columns name and email")
        );
        assert!(
            message(b"name,email,phone\nAda,ada@example.com,1\n").contains("“phone” is not one")
        );
        assert!(message(b"name,email,Email\nAda,a@example.com,b@example.com\n").contains("twice"));
    }

    #[test]
    fn at_most_a_thousand_people() {
        let mut file = String::from("name,email\n");
        for i in 0..MAX_ROWS {
            file.push_str(&format!("P{i},p{i}@example.com\n"));
        }
        assert_eq!(read(file.as_bytes()).unwrap().len(), MAX_ROWS);
        file.push_str("One More,one.more@example.com\n");
        assert_eq!(
            message(file.as_bytes()),
            "A file can invite at most 1,000 people: split this one into smaller files."
        );
    }
}
