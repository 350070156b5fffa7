//! The physical floor for a build, used by the benchmark harness (`bench/run.sh`; build with `cargo build --release --example floor`): one thread,
//! delete the old output, read each page, strip its front matter, render the Markdown with
//! pulldown-cmark using briefing's own extensions, write one HTML file per page. Nothing else —
//! no templates, listings, links or feeds. Usage: `floor CONTENT_DIR OUT_DIR`.

use std::io::Write;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (content, out) = match args.as_slice() {
        [_, c, o] => (Path::new(c), Path::new(o)),
        _ => {
            eprintln!("usage: floor CONTENT_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    let _ = std::fs::remove_dir_all(out);
    let mut pages = 0usize;
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // Strip the front matter: the text between the first two `---` lines.
        let body = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.find("\n---\n").map(|i| &rest[i + 5..]))
            .unwrap_or(&text);
        let parser = pulldown_cmark::Parser::new_ext(body, briefing::render::markdown::options());
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, parser);
        let rel = path
            .strip_prefix(content)
            .unwrap_or(path)
            .with_extension("");
        let dir = out.join(rel);
        if std::fs::create_dir_all(&dir).is_err() {
            continue;
        }
        if let Ok(f) = std::fs::File::create(dir.join("index.html")) {
            let mut w = std::io::BufWriter::new(f);
            let _ = w.write_all(html.as_bytes());
            pages += 1;
        }
    }
    eprintln!("floor: {pages} pages");
}
