//! Page files and data files: UTF-8 decoding, front matter split, typed YAML records, and the
//! rendering of every diagnostic produced. See `fuzz/harness.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(init: harness::install_fuzz_panic_hook(), |data: &[u8]| {
    harness::frontmatter(data);
});
