//! A kept view's HTML, cut where its script nonce and Add User's request key
//! stand, so that each view sent again gets its own pair without the page
//! being searched for them again.

use std::{ops::Range, sync::Arc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Nonce,
    RequestKey,
}

#[derive(Clone)]
pub struct ViewHtml {
    html: Arc<str>,
    /// Where the nonce and the request key stand in `html`, in order.
    slots: Arc<[(Range<usize>, Slot)]>,
}

impl ViewHtml {
    /// `html` as sent with `nonce` and `request_key`; `None` if either is
    /// empty or they overlap in it (neither can happen with the values the
    /// server makes, but a view that cannot be cut cleanly is not kept).
    pub fn cut(html: &str, nonce: &str, request_key: &str) -> Option<Self> {
        if nonce.is_empty() || request_key.is_empty() {
            return None;
        }
        let at = |value: &str, slot: Slot| {
            html.match_indices(value)
                .map(move |(start, _)| (start..start + value.len(), slot))
                .collect::<Vec<_>>()
        };
        let mut slots = at(nonce, Slot::Nonce);
        slots.extend(at(request_key, Slot::RequestKey));
        slots.sort_by_key(|(range, _)| range.start);
        let apart = slots
            .windows(2)
            .all(|pair| pair[0].0.end <= pair[1].0.start);
        apart.then(|| Self {
            html: html.into(),
            slots: slots.into(),
        })
    }

    /// The HTML with `nonce` and `request_key` where the first ones stood.
    pub fn with(&self, nonce: &str, request_key: &str) -> String {
        let mut out = String::with_capacity(self.html.len() + 64 * self.slots.len());
        let mut from = 0;
        for (range, slot) in self.slots.iter() {
            out.push_str(&self.html[from..range.start]);
            out.push_str(match slot {
                Slot::Nonce => nonce,
                Slot::RequestKey => request_key,
            });
            from = range.end;
        }
        out.push_str(&self.html[from..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_nonce_and_key_is_replaced_and_nothing_else() {
        let html = r#"<script nonce="n0nce">a</script><input value="k3y"><p>n0nc k3</p><style nonce="n0nce"></style>k3y"#;
        let view = ViewHtml::cut(html, "n0nce", "k3y").unwrap();
        assert_eq!(
            view.with("NEW-NONCE", "new-key"),
            html.replace("n0nce", "NEW-NONCE").replace("k3y", "new-key")
        );
        assert_eq!(view.with("n0nce", "k3y"), html);
    }

    #[test]
    fn a_page_without_either_is_sent_as_it_was() {
        let view = ViewHtml::cut("<p>plain</p>", "n0nce", "k3y").unwrap();
        assert_eq!(view.with("x", "y"), "<p>plain</p>");
    }

    #[test]
    fn empty_or_overlapping_values_are_not_kept() {
        assert!(ViewHtml::cut("<p>a</p>", "", "k3y").is_none());
        assert!(ViewHtml::cut("<p>abc</p>", "ab", "bc").is_none());
    }
}
