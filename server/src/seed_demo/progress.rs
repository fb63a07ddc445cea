//! The progress bar `seed-demo` draws on stderr.

use std::io::Write as _;

/// A one-line progress bar on stderr.
pub(super) struct Progress {
    what: &'static str,
    total: usize,
    done: usize,
    started: std::time::Instant,
}

impl Progress {
    pub(super) fn new(what: &'static str, total: usize) -> Self {
        let progress = Self {
            what,
            total,
            done: 0,
            started: std::time::Instant::now(),
        };
        progress.draw();
        progress
    }

    pub(super) fn advance(&mut self, by: usize) {
        self.done += by;
        self.draw();
    }

    fn draw(&self) {
        const WIDTH: usize = 30;
        let filled = (self.done * WIDTH).checked_div(self.total).unwrap_or(WIDTH);
        eprint!(
            "\rSeeding {} [{}{}] {}/{} ({:.1} s)",
            self.what,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            self.done,
            self.total,
            self.started.elapsed().as_secs_f64()
        );
        let _ = std::io::stderr().flush();
    }

    pub(super) fn finish(&self) {
        eprintln!();
    }
}
