//! SCIM filters (RFC 7644 §3.4.2.2), read whole: comparisons (`eq`, `ne`,
//! `co`, `sw`, `ew`, `gt`, `lt`, `ge`, `le`), presence (`pr`), `and`, `or`,
//! `not (…)`, grouping and value paths (`emails[type eq "work"]`).
//! Attribute names are case-insensitive, so they are kept lower-cased.
//! Parsing never recurses deeper than [`MAX_DEPTH`] nor reads more than
//! [`MAX_CHARS`], whatever a client sends.

/// The longest filter read.
pub const MAX_CHARS: usize = 2_000;
/// The deepest nesting of groups, `not` and value paths read.
pub const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    Compare {
        path: AttrPath,
        op: Op,
        value: Value,
    },
    Present(AttrPath),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `emails[type eq "work"]`: the attribute has a value matching.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// `userName`, `name.givenName`, or one with its schema's URN in front
/// (`urn:ietf:params:scim:schemas:core:2.0:User:userName`), lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrPath {
    pub urn: Option<String>,
    pub name: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// `name` or `name.sub`, without the URN.
    pub fn dotted(&self) -> String {
        match &self.sub {
            Some(sub) => format!("{}.{sub}", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Lt,
    Ge,
    Le,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Bool(bool),
    Null,
    /// A number, as written (none of Roster's filtered attributes is one).
    Number(String),
}

/// Why a filter could not be read, in words for the SCIM error's `detail`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError(pub String);

pub fn parse(input: &str) -> Result<Filter, FilterError> {
    if input.len() > MAX_CHARS {
        return Err(FilterError(format!(
            "A filter can be at most {MAX_CHARS} characters."
        )));
    }
    let tokens = tokens(input)?;
    let mut parser = Parser { tokens, at: 0 };
    let filter = parser.or(0)?;
    match parser.peek() {
        None => Ok(filter),
        Some(token) => Err(FilterError(format!("Unexpected {}.", token.describe()))),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    OpenBracket,
    CloseBracket,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Word(word) => format!("'{word}'"),
            Token::Str(_) => "a string".into(),
            Token::Open => "'('".into(),
            Token::Close => "')'".into(),
            Token::OpenBracket => "'['".into(),
            Token::CloseBracket => "']'".into(),
        }
    }
}

fn tokens(input: &str) -> Result<Vec<Token>, FilterError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                tokens.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '[' => Token::OpenBracket,
                    _ => Token::CloseBracket,
                });
            }
            '"' => {
                // A JSON string: find its end, then let serde read escapes.
                chars.next();
                let mut escaped = false;
                let mut end = None;
                for (i, c) in chars.by_ref() {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            end = Some(i);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end.ok_or_else(|| FilterError("A string is not closed.".into()))?;
                let text: String = serde_json::from_str(&input[start..=end])
                    .map_err(|_| FilterError("A string is not valid JSON.".into()))?;
                tokens.push(Token::Str(text));
            }
            _ => {
                let mut end = input.len();
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '"') {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                tokens.push(Token::Word(input[start..end].to_owned()));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, token: Token) -> Result<(), FilterError> {
        match self.next() {
            Some(found) if found == token => Ok(()),
            Some(found) => Err(FilterError(format!(
                "Expected {} but found {}.",
                token.describe(),
                found.describe()
            ))),
            None => Err(FilterError(format!(
                "Expected {} at the end.",
                token.describe()
            ))),
        }
    }

    fn or(&mut self, depth: usize) -> Result<Filter, FilterError> {
        let mut filter = self.and(depth)?;
        while self.keyword("or") {
            self.next();
            filter = Filter::Or(Box::new(filter), Box::new(self.and(depth)?));
        }
        Ok(filter)
    }

    fn and(&mut self, depth: usize) -> Result<Filter, FilterError> {
        let mut filter = self.unary(depth)?;
        while self.keyword("and") {
            self.next();
            filter = Filter::And(Box::new(filter), Box::new(self.unary(depth)?));
        }
        Ok(filter)
    }

    fn unary(&mut self, depth: usize) -> Result<Filter, FilterError> {
        if depth >= MAX_DEPTH {
            return Err(FilterError(format!(
                "A filter can nest at most {MAX_DEPTH} deep."
            )));
        }
        if self.keyword("not") {
            self.next();
            self.expect(Token::Open)?;
            let inner = self.or(depth + 1)?;
            self.expect(Token::Close)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Token::Open) {
            self.next();
            let inner = self.or(depth + 1)?;
            self.expect(Token::Close)?;
            return Ok(inner);
        }
        let path = match self.next() {
            Some(Token::Word(word)) => attr_path(&word)?,
            Some(other) => {
                return Err(FilterError(format!(
                    "Expected an attribute but found {}.",
                    other.describe()
                )))
            }
            None => return Err(FilterError("The filter is empty or ends too soon.".into())),
        };
        if self.peek() == Some(&Token::OpenBracket) {
            self.next();
            let inner = self.or(depth + 1)?;
            self.expect(Token::CloseBracket)?;
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(inner),
            });
        }
        let op = match self.next() {
            Some(Token::Word(word)) => word.to_ascii_lowercase(),
            _ => {
                return Err(FilterError(format!(
                    "Expected an operator after {}.",
                    path.dotted()
                )))
            }
        };
        let op = match op.as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "lt" => Op::Lt,
            "ge" => Op::Ge,
            "le" => Op::Le,
            other => return Err(FilterError(format!("'{other}' is not a SCIM operator."))),
        };
        let value = match self.next() {
            Some(Token::Str(text)) => Value::Str(text),
            Some(Token::Word(word)) => match word.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                number if number.parse::<f64>().is_ok() => Value::Number(number.to_owned()),
                other => {
                    return Err(FilterError(format!(
                        "'{other}' is not a value: strings are in double quotes."
                    )))
                }
            },
            _ => {
                return Err(FilterError(format!(
                    "Expected a value after {}.",
                    path.dotted()
                )))
            }
        };
        Ok(Filter::Compare { path, op, value })
    }
}

/// `userName`, `name.givenName` or `urn:…:User:userName`.
pub fn attr_path(word: &str) -> Result<AttrPath, FilterError> {
    let bad = || FilterError(format!("'{word}' is not an attribute."));
    let (urn, rest) = if word.to_ascii_lowercase().starts_with("urn:") {
        let (urn, rest) = word.rsplit_once(':').ok_or_else(bad)?;
        (Some(urn.to_ascii_lowercase()), rest)
    } else {
        (None, word)
    };
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    let is_name = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
    };
    if !is_name(name) || !sub.is_none_or(is_name) {
        return Err(bad());
    }
    Ok(AttrPath {
        urn,
        name: name.to_ascii_lowercase(),
        sub: sub.map(str::to_ascii_lowercase),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(name: &str, sub: Option<&str>) -> AttrPath {
        AttrPath {
            urn: None,
            name: name.into(),
            sub: sub.map(Into::into),
        }
    }

    fn eq(name: &str, sub: Option<&str>, value: &str) -> Filter {
        Filter::Compare {
            path: path(name, sub),
            op: Op::Eq,
            value: Value::Str(value.into()),
        }
    }

    #[test]
    fn reads_what_identity_providers_send() {
        assert_eq!(
            parse(r#"userName eq "ada@example.com""#).unwrap(),
            eq("username", None, "ada@example.com")
        );
        assert_eq!(
            parse(r#"emails.value EQ "a\"b@example.com""#).unwrap(),
            eq("emails", Some("value"), "a\"b@example.com")
        );
        assert_eq!(
            parse("active eq false").unwrap(),
            Filter::Compare {
                path: path("active", None),
                op: Op::Eq,
                value: Value::Bool(false)
            }
        );
        assert_eq!(
            parse(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x""#).unwrap(),
            Filter::Compare {
                path: AttrPath {
                    urn: Some("urn:ietf:params:scim:schemas:core:2.0:user".into()),
                    name: "username".into(),
                    sub: None
                },
                op: Op::Eq,
                value: Value::Str("x".into())
            }
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_groups_and_value_paths_nest() {
        let parsed =
            parse(r#"externalId eq "1" or userName eq "a" and not (active eq true)"#).unwrap();
        let Filter::Or(left, right) = parsed else {
            panic!("or at the top")
        };
        assert_eq!(*left, eq("externalid", None, "1"));
        assert!(matches!(*right, Filter::And(_, ref not) if matches!(**not, Filter::Not(_))));
        assert!(matches!(
            parse(r#"emails[type eq "work" and value co "@example.com"]"#).unwrap(),
            Filter::ValuePath { ref path, .. } if path.name == "emails"
        ));
        assert_eq!(
            parse("title pr").unwrap(),
            Filter::Present(path("title", None))
        );
    }

    #[test]
    fn anything_else_is_a_clear_error_never_a_panic() {
        let deep = format!("{}userName eq \"x\"{}", "(".repeat(200), ")".repeat(200));
        let long = format!("userName eq \"{}\"", "x".repeat(MAX_CHARS));
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq ada",
            "userName like \"a\"",
            "userName eq \"open",
            "userName eq \"x\" junk",
            "(userName eq \"x\"",
            "emails[type eq \"work\"",
            "1abc eq \"x\"",
            "a.b.c eq \"x\"",
            "not userName eq \"x\"",
            "\u{0} eq \"x\"",
            "userName eq \"\\u12\"",
            deep.as_str(),
            long.as_str(),
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_short_string_of_its_punctuation_is_read_without_a_panic() {
        let alphabet = ['(', ')', '[', ']', '"', ' ', 'a', '.', ':', '\\', 'é'];
        let mut text = String::new();
        fn each(alphabet: &[char], text: &mut String, left: usize) {
            let _ = parse(text);
            if left == 0 {
                return;
            }
            for c in alphabet {
                text.push(*c);
                each(alphabet, text, left - 1);
                text.pop();
            }
        }
        each(&alphabet, &mut text, 5);
    }
}
