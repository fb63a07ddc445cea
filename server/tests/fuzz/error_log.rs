//! Error-level log lines, counted as the server writes them: a request that
//! makes the server log an error fails the fuzz suite like a 5xx does. A
//! panic anywhere counts as one.

use std::sync::{Arc, Mutex, OnceLock};

use tracing::{field::Visit, Event, Level, Subscriber};
use tracing_subscriber::{layer::Context, prelude::*, Layer};

#[derive(Clone, Default)]
pub struct ErrorLog(Arc<Mutex<Vec<String>>>);

impl ErrorLog {
    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }
}

struct Message<'a>(&'a mut String);

impl Visit for Message<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: Subscriber> Layer<S> for ErrorLog {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() == Level::ERROR {
            let mut line = format!("{}: ", event.metadata().target());
            event.record(&mut Message(&mut line));
            self.push(line);
        }
    }
}

/// The process's error log, installed once.
pub fn capture() -> ErrorLog {
    static LOG: OnceLock<ErrorLog> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = ErrorLog::default();
        tracing_subscriber::registry().with(log.clone()).init();
        let panics = log.clone();
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The server's tasks run on the runtime's workers; a test's own
            // assertion (on its own thread) is not the server's panic.
            if std::thread::current().name() == Some("tokio-runtime-worker") {
                panics.push(format!("panic: {info}"));
            }
            default_hook(info);
        }));
        log
    })
    .clone()
}
