//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and the saved crash inputs
//! (`tests/fuzz-regressions/<target>/`) through exactly the code each cargo-fuzz target runs
//! (`fuzz/harness.rs`), on stable, as part of `cargo test`. The functions may return errors;
//! an input fails only if it panics.
//!
//! A panic raised inside the YAML library is caught on purpose by `load::yaml::parse` and is not
//! a failure; any other panic is, even one that something up the stack catches.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

#[path = "../fuzz/harness.rs"]
mod harness;

thread_local! {
    /// The first panic outside the YAML library seen on this thread: "message at file:line".
    static PANICKED: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if harness::yaml_library_panic(info) {
                return;
            }
            PANICKED.with(|p| {
                p.borrow_mut().get_or_insert_with(|| {
                    let at = info
                        .location()
                        .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
                    format!(
                        "{}{at}",
                        info.payload_as_str().unwrap_or("(non-text panic)")
                    )
                });
            });
            default(info);
        }));
    });
}

/// The files directly in `dir`, sorted; none if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    install_hook();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = inputs(&root.join("fuzz/corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "no corpus for `{target}` in fuzz/corpus/{target}/"
    );
    let regressions = inputs(&root.join("tests/fuzz-regressions").join(target));
    let mut failures = Vec::new();
    for file in corpus.iter().chain(&regressions) {
        let data = std::fs::read(file).expect("corpus file is readable");
        PANICKED.with(|p| p.borrow_mut().take());
        let unwound = catch_unwind(AssertUnwindSafe(|| run(&data))).is_err();
        let seen = PANICKED.with(|p| p.borrow_mut().take());
        if unwound || seen.is_some() {
            failures.push(format!(
                "{}: {}",
                file.strip_prefix(root).unwrap_or(file).display(),
                seen.unwrap_or_else(|| "panicked".into())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs for `{target}` panicked:\n{}",
        failures.len(),
        corpus.len() + regressions.len(),
        failures.join("\n")
    );
}

#[test]
fn frontmatter_corpus_and_regressions_do_not_panic() {
    replay("frontmatter", harness::frontmatter);
}

#[test]
fn markdown_corpus_and_regressions_do_not_panic() {
    replay("markdown", harness::markdown);
}
