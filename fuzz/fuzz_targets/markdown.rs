//! Markdown bodies: rendering (links, citations, headings, sanitizing), then the search text,
//! citation stripping and the rendering of problems as diagnostics. See `fuzz/harness.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(init: harness::install_fuzz_panic_hook(), |data: &[u8]| {
    harness::markdown(data);
});
