//! Files copied as they are (assets beside pages in `content/`, and `static/`) are streamed
//! from where they are to the output, never held whole in memory: a build copies files far
//! larger than the memory it may use.

#![cfg(unix)]

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::os::unix::process::CommandExt;

use common::{Run, briefing_site};

const MIB: u64 = 1024 * 1024;

/// A sparse file of `len` bytes (it takes no room on disk) ending in `tail`.
fn sparse(path: &std::path::Path, len: u64, tail: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(path).unwrap();
    f.set_len(len).unwrap();
    f.seek(SeekFrom::Start(len - tail.len() as u64)).unwrap();
    f.write_all(tail).unwrap();
}

/// The last bytes of a file.
fn tail_of(path: &std::path::Path, n: usize) -> (u64, Vec<u8>) {
    use std::io::Read;
    let mut f = std::fs::File::open(path).unwrap();
    let len = f.metadata().unwrap().len();
    f.seek(SeekFrom::Start(len - n as u64)).unwrap();
    let mut buf = vec![0; n];
    f.read_exact(&mut buf).unwrap();
    (len, buf)
}

/// Two 400 MiB files (one in `content/`, one in `static/`) are copied by a build whose address
/// space is limited to 256 MiB: holding either whole (let alone twice, as builds used to) fails.
/// A small site builds in well under 100 MiB of address space.
#[test]
fn large_files_are_copied_under_a_memory_limit_smaller_than_them() {
    let site = briefing_site();
    let len = 400 * MIB;
    sparse(
        &site.path("content/notes/recording.bin"),
        len,
        b"CONTENT-END",
    );
    sparse(&site.path("static/dataset.bin"), len, b"STATIC-END");

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.arg("build")
        .arg("-r")
        .arg(site.root())
        .env("NO_COLOR", "1");
    let limit = 256 * MIB;
    // SAFETY: setrlimit is a plain system call, safe between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            rustix::process::setrlimit(
                rustix::process::Resource::As,
                rustix::process::Rlimit {
                    current: Some(limit),
                    maximum: Some(limit),
                },
            )
            .map_err(std::io::Error::from)
        });
    }
    let out = cmd.output().unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    r.code(0);
    assert_eq!(
        tail_of(&site.public().join("notes/recording.bin"), 11),
        (len, b"CONTENT-END".to_vec())
    );
    assert_eq!(
        tail_of(&site.public().join("dataset.bin"), 10),
        (len, b"STATIC-END".to_vec())
    );
}
