//! PATCH (RFC 7644 §3.5.2): `add`, `remove` and `replace` operations, with
//! or without a `path`, applied in order to a resource's attributes as SCIM
//! shows them. The result is read again as a PUT body is (by
//! [`super::user_input`] or [`super::group_input`]), so a PATCH passes
//! every check a PUT does, and nothing is saved unless every operation
//! applies.

use serde_json::{Map, Value};

use super::{
    error::{ScimError, ScimType},
    filter::{self, Filter, Op},
};

pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The most operations one request carries.
pub const MAX_OPERATIONS: usize = 100;

/// What a resource type's writable attributes are, for paths to name.
#[derive(Debug)]
pub struct Shape {
    /// The schema's URN, lower-cased, as a path may begin.
    pub urn: &'static str,
    /// Every writable attribute, as the schema spells it.
    pub attributes: &'static [&'static str],
    /// The ones that cannot be removed.
    pub required: &'static [&'static str],
    /// Complex attributes: name, multi-valued, sub-attributes.
    pub complex: &'static [(&'static str, bool, &'static [&'static str])],
}

impl Shape {
    fn complex(&self, attribute: &str) -> Option<(bool, &'static [&'static str])> {
        self.complex
            .iter()
            .find(|(name, _, _)| *name == attribute)
            .map(|(_, multi, parts)| (*multi, *parts))
    }

    fn multi_valued(&self, attribute: &str) -> bool {
        self.complex(attribute).is_some_and(|(multi, _)| multi)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Add,
    Remove,
    Replace,
}

#[derive(Clone, Debug, PartialEq)]
struct Operation {
    kind: Kind,
    path: Option<Target>,
    value: Option<Value>,
}

/// What a path names.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// `userName`, `name`, `emails`, `members`…
    Whole(&'static str),
    /// `name.givenName`, or `emails.type` (in every email).
    Sub(&'static str, &'static str),
    /// `emails[type eq "work"]`, `emails[type eq "work"].value`.
    Filtered {
        attribute: &'static str,
        filter: Filter,
        sub: Option<&'static str>,
    },
}

/// A PATCH request's operations, read and checked, not yet applied.
#[derive(Clone, Debug)]
pub struct Patch {
    operations: Vec<Operation>,
    shape: &'static Shape,
}

impl Patch {
    pub fn parse(body: &Value, shape: &'static Shape) -> Result<Self, ScimError> {
        let Value::Object(body) = body else {
            return Err(syntax("A PATCH body is a JSON object."));
        };
        let field = |name: &str| {
            body.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value)
        };
        let declared = field("schemas")
            .and_then(Value::as_array)
            .is_some_and(|schemas| {
                schemas.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(PATCH_SCHEMA))
                })
            });
        if !declared {
            return Err(syntax(format!("schemas must list {PATCH_SCHEMA}.")));
        }
        let Some(Value::Array(operations)) = field("Operations") else {
            return Err(syntax("Operations must be a list."));
        };
        if operations.is_empty() || operations.len() > MAX_OPERATIONS {
            return Err(syntax(format!(
                "Operations lists 1 to {MAX_OPERATIONS} operations."
            )));
        }
        let operations = operations
            .iter()
            .map(|operation| parse_operation(operation, shape))
            .collect::<Result<_, _>>()?;
        Ok(Self { operations, shape })
    }

    /// `attributes` with every operation applied, in order. `id` is the
    /// resource's: a value without a path may repeat it (Okta's do).
    pub fn apply(
        &self,
        mut attributes: Map<String, Value>,
        id: &str,
    ) -> Result<Map<String, Value>, ScimError> {
        let shape = self.shape;
        for operation in &self.operations {
            match &operation.path {
                Some(target) => apply(
                    &mut attributes,
                    shape,
                    operation.kind,
                    target,
                    operation.value.as_ref(),
                )?,
                None => {
                    // Without a path: the value's attributes, each as a path.
                    let Some(Value::Object(values)) = &operation.value else {
                        return Err(ScimError::bad(
                            ScimType::NoTarget,
                            "Without a path, the value is an object of attributes.",
                        ));
                    };
                    for (key, value) in values {
                        let repeats_id = key.eq_ignore_ascii_case("id") && value == id;
                        if key.eq_ignore_ascii_case("schemas") || repeats_id {
                            continue;
                        }
                        let target = target(key, shape)?;
                        apply(&mut attributes, shape, operation.kind, &target, Some(value))?;
                    }
                }
            }
        }
        Ok(attributes)
    }
}

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::bad(ScimType::InvalidSyntax, detail)
}

fn parse_operation(value: &Value, shape: &Shape) -> Result<Operation, ScimError> {
    let Value::Object(fields) = value else {
        return Err(syntax("Each operation is an object (op, path, value)."));
    };
    let mut kind = None;
    let mut path = None;
    let mut value = None;
    for (key, field) in fields {
        match key.to_ascii_lowercase().as_str() {
            "op" => {
                kind = Some(
                    match field.as_str().map(str::to_ascii_lowercase).as_deref() {
                        Some("add") => Kind::Add,
                        Some("remove") => Kind::Remove,
                        Some("replace") => Kind::Replace,
                        _ => return Err(syntax("op is add, remove or replace.")),
                    },
                )
            }
            "path" => match field {
                Value::String(text) => path = Some(target(text, shape)?),
                Value::Null => {}
                _ => {
                    return Err(ScimError::bad(
                        ScimType::InvalidPath,
                        "path must be a string.",
                    ))
                }
            },
            "value" => value = Some(field.clone()).filter(|value| !value.is_null()),
            _ => return Err(syntax("An operation has op, path and value only.")),
        }
    }
    let kind = kind.ok_or_else(|| syntax("Each operation needs an op."))?;
    match kind {
        Kind::Remove if path.is_none() => {
            Err(ScimError::bad(ScimType::NoTarget, "remove needs a path."))
        }
        Kind::Add | Kind::Replace if value.is_none() => {
            Err(syntax("add and replace need a value."))
        }
        _ => Ok(Operation { kind, path, value }),
    }
}

/// What `path` names, or why it names nothing Roster can change.
fn target(path: &str, shape: &Shape) -> Result<Target, ScimError> {
    if path.len() > filter::MAX_CHARS {
        return Err(ScimError::bad(
            ScimType::InvalidPath,
            "The path is too long.",
        ));
    }
    let invalid = || {
        ScimError::bad(
            ScimType::InvalidPath,
            format!("'{}' is not a path Roster knows.", shorten(path)),
        )
    };
    let (head, filter, tail) = match path.split_once('[') {
        Some((head, rest)) => {
            let (inside, tail) = rest.rsplit_once(']').ok_or_else(invalid)?;
            let filter = filter::parse(inside)
                .map_err(|error| ScimError::bad(ScimType::InvalidPath, error.0))?;
            (head, Some(filter), tail)
        }
        None => (path, None, ""),
    };
    let head = filter::attr_path(head.trim()).map_err(|_| invalid())?;
    if head.urn.as_deref().is_some_and(|urn| urn != shape.urn) {
        return Err(invalid());
    }
    if ["id", "meta", "schemas"].contains(&head.name.as_str()) {
        return Err(ScimError::bad(
            ScimType::Mutability,
            format!("{} is read-only.", head.name),
        ));
    }
    let attribute = *shape
        .attributes
        .iter()
        .find(|name| name.eq_ignore_ascii_case(&head.name))
        .ok_or_else(invalid)?;
    let parts: &[&'static str] = shape.complex(attribute).map_or(&[], |(_, parts)| parts);
    let find_part = |sub: &str| {
        parts
            .iter()
            .find(|part| part.eq_ignore_ascii_case(sub))
            .copied()
    };
    match filter {
        None => match head.sub {
            None => Ok(Target::Whole(attribute)),
            Some(sub) => Ok(Target::Sub(attribute, find_part(&sub).ok_or_else(invalid)?)),
        },
        Some(filter) => {
            if !shape.multi_valued(attribute) || head.sub.is_some() {
                return Err(invalid());
            }
            let sub = match tail {
                "" => None,
                tail => Some(
                    tail.strip_prefix('.')
                        .and_then(find_part)
                        .ok_or_else(invalid)?,
                ),
            };
            Ok(Target::Filtered {
                attribute,
                filter,
                sub,
            })
        }
    }
}

fn apply(
    attributes: &mut Map<String, Value>,
    shape: &Shape,
    kind: Kind,
    target: &Target,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let value = value.cloned().unwrap_or(Value::Null);
    match target {
        Target::Whole(attribute) => match (kind, shape.complex(attribute)) {
            (Kind::Remove, _) if shape.required.contains(attribute) => Err(ScimError::bad(
                ScimType::Mutability,
                format!("{attribute} is required: replace it instead."),
            )),
            (Kind::Remove, _) => {
                attributes.remove(*attribute);
                Ok(())
            }
            (_, Some((true, _))) => {
                let added = match value {
                    Value::Object(_) => vec![value],
                    Value::Array(items) => items,
                    _ => {
                        return Err(ScimError::bad(
                            ScimType::InvalidValue,
                            format!("{attribute} must be a list."),
                        ))
                    }
                };
                let items = match (kind, attributes.remove(*attribute)) {
                    // Added to what is there; a value already there stays once.
                    (Kind::Add, Some(Value::Array(mut items))) => {
                        for item in added {
                            if !items.iter().any(|had| same_value(had, &item)) {
                                items.push(item);
                            }
                        }
                        items
                    }
                    _ => added,
                };
                attributes.insert((*attribute).into(), Value::Array(items));
                Ok(())
            }
            // A complex attribute: the sub-attributes given replace theirs,
            // the others stay (RFC 7644 §3.5.2.1, §3.5.2.3).
            (_, Some((false, _))) => {
                let Value::Object(parts) = value else {
                    return Err(ScimError::bad(
                        ScimType::InvalidValue,
                        format!("{attribute} must be an object."),
                    ));
                };
                let complex = attributes
                    .entry(*attribute)
                    .or_insert_with(|| Value::Object(Map::new()));
                match complex {
                    Value::Object(complex) => complex.extend(parts),
                    other => *other = Value::Object(parts),
                }
                Ok(())
            }
            (_, None) => {
                attributes.insert((*attribute).into(), value);
                Ok(())
            }
        },
        Target::Sub(attribute, sub) => {
            let current = attributes.entry(*attribute).or_insert_with(|| {
                if shape.multi_valued(attribute) {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                }
            });
            match current {
                Value::Object(object) => set_sub(object, kind, sub, &value),
                Value::Array(items) if items.is_empty() && kind != Kind::Remove => {
                    let mut item = Map::new();
                    set_sub(&mut item, kind, sub, &value);
                    items.push(Value::Object(item));
                }
                Value::Array(items) => {
                    for item in items.iter_mut() {
                        if let Value::Object(item) = item {
                            set_sub(item, kind, sub, &value);
                        }
                    }
                }
                _ => {}
            }
            if current.as_object().is_some_and(Map::is_empty) {
                attributes.remove(*attribute);
            }
            Ok(())
        }
        Target::Filtered {
            attribute,
            filter,
            sub,
        } => {
            let mut items = match attributes.remove(*attribute) {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            let matching: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.as_object().is_some_and(|item| matches(filter, item)))
                .map(|(index, _)| index)
                .collect();
            let parts = shape.complex(attribute).map_or(&[][..], |(_, parts)| parts);
            let outcome = change_matching(&mut items, &matching, kind, filter, parts, *sub, &value);
            attributes.insert((*attribute).into(), Value::Array(items));
            outcome
        }
    }
}

fn change_matching(
    items: &mut Vec<Value>,
    matching: &[usize],
    kind: Kind,
    filter: &Filter,
    parts: &[&'static str],
    sub: Option<&'static str>,
    value: &Value,
) -> Result<(), ScimError> {
    let no_target = || ScimError::bad(ScimType::NoTarget, "The path's filter matches no value.");
    match (kind, sub) {
        (Kind::Remove, None) => {
            if matching.is_empty() {
                return Err(no_target());
            }
            let mut index = 0;
            items.retain(|_| {
                let keep = !matching.contains(&index);
                index += 1;
                keep
            });
        }
        (Kind::Remove, Some(sub)) => {
            if matching.is_empty() {
                return Err(no_target());
            }
            for &index in matching {
                if let Value::Object(item) = &mut items[index] {
                    item.remove(sub);
                }
            }
        }
        (_, sub) => {
            if matching.is_empty() {
                // `emails[type eq "work"].value` on a user with no work
                // address adds one, as identity providers expect.
                let Filter::Compare {
                    path,
                    op: Op::Eq,
                    value: filter::Value::Str(literal),
                } = filter
                else {
                    return Err(no_target());
                };
                let part = parts
                    .iter()
                    .find(|part| part.eq_ignore_ascii_case(&path.name) && path.sub.is_none())
                    .ok_or_else(no_target)?;
                let mut item = Map::new();
                item.insert((*part).into(), literal.clone().into());
                merge_into(&mut item, sub, value)?;
                items.push(Value::Object(item));
                return Ok(());
            }
            for &index in matching {
                if let Value::Object(item) = &mut items[index] {
                    merge_into(item, sub, value)?;
                }
            }
        }
    }
    Ok(())
}

/// Whether two values of a multi-valued attribute are the same value.
fn same_value(a: &Value, b: &Value) -> bool {
    let value = |item: &Value| {
        item.as_object().and_then(|item| {
            item.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case("value"))
                .and_then(|(_, value)| value.as_str())
                .map(str::to_lowercase)
        })
    };
    value(a).is_some_and(|a| Some(a) == value(b))
}

/// Sets `sub` to `value` in `item`, or, without a sub-attribute, the
/// value's sub-attributes.
fn merge_into(
    item: &mut Map<String, Value>,
    sub: Option<&str>,
    value: &Value,
) -> Result<(), ScimError> {
    match (sub, value) {
        (Some(sub), value) => {
            item.insert(sub.into(), value.clone());
        }
        (None, Value::Object(parts)) => item.extend(parts.clone()),
        (None, _) => {
            return Err(ScimError::bad(
                ScimType::InvalidValue,
                "An email is an object (value, type, primary).",
            ))
        }
    }
    Ok(())
}

fn set_sub(object: &mut Map<String, Value>, kind: Kind, sub: &str, value: &Value) {
    if kind == Kind::Remove {
        object.remove(sub);
    } else {
        object.insert(sub.into(), value.clone());
    }
}

/// Whether `item` (one value of a multi-valued attribute) matches a value
/// filter on its sub-attributes. Strings compare case-insensitively, as
/// every sub-attribute Roster keeps is `caseExact: false`.
fn matches(filter: &Filter, item: &Map<String, Value>) -> bool {
    let field = |path: &filter::AttrPath| {
        if path.sub.is_some() {
            return None;
        }
        item.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&path.name))
            .map(|(_, value)| value)
            .filter(|value| !value.is_null())
    };
    match filter {
        Filter::And(left, right) => matches(left, item) && matches(right, item),
        Filter::Or(left, right) => matches(left, item) || matches(right, item),
        Filter::Not(inner) => !matches(inner, item),
        Filter::Present(path) => field(path).is_some(),
        Filter::ValuePath { .. } => false,
        Filter::Compare { path, op, value } => {
            let found = field(path);
            match (found, value) {
                (None, filter::Value::Null) => *op == Op::Eq,
                (Some(_), filter::Value::Null) => *op == Op::Ne,
                (Some(Value::Bool(found)), filter::Value::Bool(wanted)) => match op {
                    Op::Eq => found == wanted,
                    Op::Ne => found != wanted,
                    _ => false,
                },
                (Some(Value::String(found)), filter::Value::Str(wanted)) => {
                    let (found, wanted) = (found.to_lowercase(), wanted.to_lowercase());
                    match op {
                        Op::Eq => found == wanted,
                        Op::Ne => found != wanted,
                        Op::Co => found.contains(&wanted),
                        Op::Sw => found.starts_with(&wanted),
                        Op::Ew => found.ends_with(&wanted),
                        Op::Gt => found > wanted,
                        Op::Lt => found < wanted,
                        Op::Ge => found >= wanted,
                        Op::Le => found <= wanted,
                    }
                }
                (None, _) => *op == Op::Ne,
                _ => false,
            }
        }
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::user_input::USER_SHAPE;
    use serde_json::json;

    fn user() -> Map<String, Value> {
        json!({
            "userName": "ada@example.com",
            "name": { "givenName": "Ada", "familyName": "Lovelace" },
            "emails": [{ "value": "ada@example.com", "type": "work", "primary": true }],
            "active": true,
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn patch(operations: Value) -> Result<Map<String, Value>, ScimError> {
        Patch::parse(
            &json!({ "schemas": [PATCH_SCHEMA], "Operations": operations }),
            &USER_SHAPE,
        )?
        .apply(user(), "1")
    }

    #[test]
    fn with_a_path() {
        let done = patch(json!([
            { "op": "Replace", "path": "active", "value": false },
            { "op": "add", "path": "name.formatted", "value": "Ada L." },
            { "op": "remove", "path": "name.familyName" },
            { "op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:User:displayName", "value": "Ada" },
            { "op": "add", "path": "externalId", "value": "00u1" },
        ]))
        .unwrap();
        assert_eq!(done["active"], false);
        assert_eq!(
            done["name"],
            json!({ "givenName": "Ada", "formatted": "Ada L." })
        );
        assert_eq!(done["displayName"], "Ada");
        assert_eq!(done["externalId"], "00u1");
    }

    #[test]
    fn without_a_path_each_attribute_of_the_value() {
        let done = patch(json!([
            { "op": "replace", "value": { "active": false, "name.givenName": "Augusta", "userName": "augusta@example.com" } },
            { "op": "add", "value": { "emails": [{ "value": "ada@home.example", "type": "home" }] } },
        ]))
        .unwrap();
        assert_eq!(done["active"], false);
        assert_eq!(done["name"]["givenName"], "Augusta");
        assert_eq!(done["userName"], "augusta@example.com");
        assert_eq!(done["emails"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn filtered_emails() {
        let done = patch(json!([
            { "op": "replace", "path": "emails[type eq \"work\"].value", "value": "ada@work.example" },
        ]))
        .unwrap();
        assert_eq!(done["emails"][0]["value"], "ada@work.example");
        assert_eq!(done["emails"][0]["type"], "work");
        // No home address yet: one is added.
        let done = patch(json!([
            { "op": "add", "path": "emails[type eq \"home\"].value", "value": "ada@home.example" },
        ]))
        .unwrap();
        assert_eq!(
            done["emails"][1],
            json!({ "type": "home", "value": "ada@home.example" })
        );
        let done =
            patch(json!([{ "op": "remove", "path": "emails[value eq \"ADA@example.com\"]" }]))
                .unwrap();
        assert_eq!(done["emails"], json!([]));
        let missing =
            patch(json!([{ "op": "remove", "path": "emails[type eq \"home\"]" }])).unwrap_err();
        assert_eq!(missing.scim_type, Some(ScimType::NoTarget));
    }

    #[test]
    fn bad_requests_are_400s_of_their_kind() {
        let kind = |body: Value| {
            Patch::parse(&body, &USER_SHAPE)
                .and_then(|p| p.apply(user(), "1"))
                .unwrap_err()
                .scim_type
        };
        let ops =
            |operations: Value| json!({ "schemas": [PATCH_SCHEMA], "Operations": operations });
        assert_eq!(
            kind(json!({ "Operations": [] })),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(kind(ops(json!([]))), Some(ScimType::InvalidSyntax));
        assert_eq!(
            kind(ops(json!([{ "op": "move", "path": "active" }]))),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(
            kind(ops(json!([{ "op": "remove" }]))),
            Some(ScimType::NoTarget)
        );
        assert_eq!(
            kind(ops(json!([{ "op": "replace", "path": "active" }]))),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(
            kind(ops(
                json!([{ "op": "replace", "path": "id", "value": "1" }])
            )),
            Some(ScimType::Mutability)
        );
        assert_eq!(
            kind(ops(
                json!([{ "op": "replace", "path": "meta.created", "value": "1" }])
            )),
            Some(ScimType::Mutability)
        );
        assert_eq!(
            kind(ops(
                json!([{ "op": "replace", "path": "title", "value": "CEO" }])
            )),
            Some(ScimType::InvalidPath)
        );
        assert_eq!(
            kind(ops(
                json!([{ "op": "replace", "path": "emails[type eq", "value": "x" }])
            )),
            Some(ScimType::InvalidPath)
        );
        assert_eq!(
            kind(ops(
                json!([{ "op": "replace", "path": "name.middleName", "value": "x" }])
            )),
            Some(ScimType::InvalidPath)
        );
        assert_eq!(
            kind(ops(json!([{ "op": "remove", "path": "userName" }]))),
            Some(ScimType::Mutability)
        );
        assert_eq!(
            kind(ops(json!([{ "op": "replace", "value": "x" }]))),
            Some(ScimType::NoTarget)
        );
    }
}
