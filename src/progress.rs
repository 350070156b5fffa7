//! Progress on stderr while long work runs (a build that takes more than about a second,
//! `check --external`), drawn with indicatif only when stderr is a terminal. Stages report
//! through the free functions here ([`stage`], [`total`], [`tick`]), which do nothing unless a
//! command started a [`Progress`]; printing goes through [`suspend`] so lines and the bar do
//! not overwrite each other.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar of the command running, if it shows one.
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);
/// Whether a bar is up (so that the stages' calls cost an atomic load when none is).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// How long work runs before its progress is drawn; `BRIEFING_PROGRESS_DELAY_MS` changes it
/// (the tests draw at once, to see the progress without a slow build).
fn delay() -> Duration {
    std::env::var("BRIEFING_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// A command's progress display; dropped or [`finish`](Progress::finish)ed, it clears itself.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Start progress for `what` ("Building"): drawn after about a second, if `show` (stderr is a
    /// terminal, and the output is human and not quiet). Otherwise nothing is ever drawn.
    pub(crate) fn start(show: bool, what: &str) -> Progress {
        if !show {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(style(false));
        bar.set_prefix(what.to_string());
        if let Ok(mut slot) = BAR.lock() {
            *slot = Some(bar.clone());
        }
        ACTIVE.store(true, Ordering::Release);
        let delay = delay();
        if delay.is_zero() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.tick();
            bar.enable_steady_tick(Duration::from_millis(120));
            return Progress { bar: Some(bar) };
        }
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.tick();
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Clear the progress from the terminal.
    pub(crate) fn finish(self) {}
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            ACTIVE.store(false, Ordering::Release);
            if let Ok(mut slot) = BAR.lock() {
                *slot = None;
            }
            bar.finish_and_clear();
        }
    }
}

/// A spinner with the stage's name, and `N/M` once the stage's length is known.
fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {prefix}: {msg} {pos}/{len}"
    } else {
        "{spinner} {prefix}: {msg}"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn with_bar(f: impl FnOnce(&ProgressBar)) {
    if !ACTIVE.load(Ordering::Acquire) {
        return;
    }
    if let Ok(slot) = BAR.lock()
        && let Some(bar) = slot.as_ref()
    {
        f(bar);
    }
}

/// A new stage begins ("loading", "rendering"), of `len` steps if known.
pub(crate) fn stage(name: &str, len: Option<usize>) {
    with_bar(|bar| {
        bar.set_message(name.to_string());
        bar.set_position(0);
        bar.set_style(style(len.is_some()));
        bar.set_length(len.map_or(0, |n| n as u64));
    });
}

/// The current stage has `len` steps.
pub(crate) fn total(len: usize) {
    with_bar(|bar| {
        bar.set_style(style(true));
        bar.set_length(len as u64);
    });
}

/// One more step of the current stage is done.
pub(crate) fn tick() {
    with_bar(|bar| bar.inc(1));
}

/// Run `f` (which prints to stderr) with the bar out of the way.
pub(crate) fn suspend<R>(f: impl FnOnce() -> R) -> R {
    if !ACTIVE.load(Ordering::Acquire) {
        return f();
    }
    let bar = BAR.lock().ok().and_then(|slot| slot.clone());
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// Each stage's name and time, in the order they first ended.
pub(crate) type Laps = Vec<(&'static str, Duration)>;

thread_local! {
    /// The stages of the rebuild running on this thread, when [`timed`] is recording: when the
    /// last one ended, and each one's name and time.
    static LAPS: std::cell::RefCell<Option<(std::time::Instant, Laps)>> =
        const { std::cell::RefCell::new(None) };
}

/// The stage `name` of the work [`timed`] is recording on this thread just ended (nothing
/// happens outside it). A stage that ends several times adds up, listed where it first ended.
pub(crate) fn lap(name: &'static str) {
    LAPS.with(|l| {
        if let Some((last, laps)) = l.borrow_mut().as_mut() {
            let now = std::time::Instant::now();
            let took = now - *last;
            *last = now;
            match laps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, d)) => *d += took,
                None => laps.push((name, took)),
            }
        }
    });
}

/// Run `f`, collecting the stages it marked with [`lap`] (for `serve -vv`): each stage's name
/// and time, in the order they first ended; the time after the last one is `other`.
pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, Laps) {
    let outer = LAPS.with(|l| l.replace(Some((std::time::Instant::now(), Vec::new()))));
    let out = f();
    lap("other");
    let laps = LAPS
        .with(|l| l.replace(outer))
        .map(|(_, v)| v)
        .unwrap_or_default();
    (out, laps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_add_up_by_name_in_the_order_they_first_ended_and_only_while_timed() {
        lap("outside");
        let ((), laps) = timed(|| {
            lap("read");
            lap("render");
            lap("read");
        });
        let names: Vec<&str> = laps.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["read", "render", "other"]);
        let ((), inner) = timed(|| {});
        assert_eq!(inner.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["other"]);
        lap("after");
        assert!(LAPS.with(|l| l.borrow().is_none()));
    }
}
