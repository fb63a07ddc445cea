//! The areas of `app/src` depend on each other one way: no area reaches,
//! through `crate::…` paths, back to itself. Read from the source, so a new
//! cycle fails here before it grows.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

/// Cycles known and being broken, each as its sorted areas. There are
/// none: keep it so. (A cycle that cannot be broken at once goes here with
/// its reason, and leaves when it is broken.)
const KNOWN: &[&[&str]] = &[];

#[test]
fn areas_depend_on_each_other_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let areas: BTreeSet<String> = fs::read_dir(&src)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "lib.rs")
        .map(|name| name.trim_end_matches(".rs").to_owned())
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for area in &areas {
        let mut files = Vec::new();
        collect_rust_files(&src.join(area), &mut files);
        collect_rust_files(&src.join(format!("{area}.rs")), &mut files);
        let uses = graph.entry(area.clone()).or_default();
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            uses.extend(
                crate_paths(&text)
                    .into_iter()
                    .filter(|used| used != area && areas.contains(used)),
            );
        }
    }
    assert!(
        graph["profile"].contains("components") && graph["users"].contains("state"),
        "the reading of crate paths found too little: {graph:?}"
    );
    let cycles: BTreeSet<Vec<String>> = strongly_connected(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .collect();
    let known: BTreeSet<Vec<String>> = KNOWN
        .iter()
        .map(|cycle| cycle.iter().map(|area| area.to_string()).collect())
        .collect();
    assert_eq!(
        cycles, known,
        "areas that reach back to themselves (left) against the known cycles (right)"
    );
}

fn collect_rust_files(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
        files.push(path.to_owned());
    } else if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            collect_rust_files(&entry.unwrap().path(), files);
        }
    }
}

/// The first segment of every `crate::…` path in `text`, including each
/// branch of a `crate::{a, b::c}` group.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut segment_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && segment_start {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                        continue;
                    }
                    if !name.is_empty() {
                        found.insert(std::mem::take(&mut name));
                        segment_start = false;
                    }
                }
                if depth == 1 && c == ',' {
                    segment_start = true;
                }
            }
            if !name.is_empty() {
                found.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// Tarjan's strongly connected components, each sorted.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        components: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let index = self.index.len();
            self.index.insert(node, index);
            self.low.insert(node, index);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    component.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                component.sort();
                self.components.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.components
}

#[test]
fn crate_paths_reads_single_paths_and_groups() {
    let text = "use crate::{auth::AuthError, components::{Field, FormAlert},\n    domain::Email};\nlet x = crate::state::use_state();";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["auth", "components", "domain", "state"]);
}
