//! What a form shows of its action's last error: each field's message next
//! to that field, and above the form whatever names none of its fields, so
//! no error is shown twice or dropped.

use leptos::{prelude::*, server_fn::ServerFn};

use crate::error::FormError;

/// The errors of one form's action.
pub struct FormErrors<E: Send + Sync + 'static> {
    error: Signal<Option<E>>,
    /// The names of the form's fields.
    fields: &'static [&'static str],
}

impl<E: Send + Sync + 'static> Clone for FormErrors<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: Send + Sync + 'static> Copy for FormErrors<E> {}

impl<E> FormErrors<E>
where
    E: FormError + Clone + Send + Sync + 'static,
{
    /// The errors of `action`'s form, whose fields are named `fields`.
    pub fn of<S>(action: ServerAction<S>, fields: &'static [&'static str]) -> Self
    where
        S: ServerFn<Error = E> + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
    {
        let error = Signal::derive(move || {
            action.value().with(|result| match result {
                Some(Err(error)) => Some(error.clone()),
                _ => None,
            })
        });
        Self { error, fields }
    }

    /// The message next to the field `name`.
    pub fn field(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.error
                .with(|error| error.as_ref().and_then(|error| error.field(name)))
        })
    }

    /// The message above the form: the error, unless it names one of the
    /// form's fields.
    pub fn form(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.error.with(|error| {
                error
                    .as_ref()
                    .filter(|error| !self.fields.iter().any(|name| error.field(name).is_some()))
                    .map(ToString::to_string)
            })
        })
    }
}
