//! What `briefing serve` adds to HTML pages on their way out, and nothing else: the live-reload
//! client script, and the build-error overlay shown while the last rebuild failed.
//!
//! Everything injected sits between [`START`] and [`END`] markers just before `</body>`, so the
//! page without the block is byte-for-byte what `briefing build` writes. The overlay is plain
//! HTML made on the server, so it shows even with scripts off.

use crate::diagnostics::{self, Diagnostics};

/// Opens the injected block.
pub const START: &str = "<!--briefing-serve-->";
/// Closes the injected block.
pub const END: &str = "<!--/briefing-serve-->";

/// Path of the Server-Sent Events stream the client script listens to.
pub const EVENTS_PATH: &str = "/__briefing/events";

/// The live-reload client. It reads the page's own output path, the server instance and the
/// site generation from its `data-` attributes, listens on the same origin (a root-relative URL,
/// so host, port and scheme are the page's own), and reloads when the page itself, one of its
/// same-origin stylesheets, or everything changed. After a lost connection `EventSource`
/// reconnects by itself; the `hello` it then gets tells whether the server restarted or the
/// site changed meanwhile.
const CLIENT: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var served = me.getAttribute("data-path") || "";
  var instance = me.getAttribute("data-instance");
  var generation = Number(me.getAttribute("data-generation"));
  function outputPath(pathname) {
    var p = pathname.replace(/^\/+/, "");
    try { p = decodeURIComponent(p); } catch (e) {}
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }
  function watched() {
    var list = [served, outputPath(location.pathname)];
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    for (var i = 0; i < links.length; i++) {
      try {
        var u = new URL(links[i].getAttribute("href"), location.href);
        if (u.origin === location.origin) list.push(outputPath(u.pathname));
      } catch (e) {}
    }
    return list;
  }
  var events = new EventSource("__EVENTS__");
  events.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (d.instance !== instance || d.generation !== generation) location.reload();
  });
  events.addEventListener("change", function (e) {
    var d = JSON.parse(e.data);
    generation = d.generation;
    if (d.all) { location.reload(); return; }
    var mine = watched();
    for (var i = 0; i < d.changed.length; i++) {
      if (mine.indexOf(d.changed[i]) !== -1) { location.reload(); return; }
    }
  });
})();"#;

/// Escape text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `<script>` element for a page served from output path `path`.
pub(crate) fn script(path: &str, instance: &str, generation: u64) -> String {
    format!(
        "<script data-path=\"{}\" data-instance=\"{}\" data-generation=\"{generation}\">{}</script>",
        escape(path),
        escape(instance),
        CLIENT.replace("__EVENTS__", EVENTS_PATH)
    )
}

/// The error box for a failed build: the same report the terminal shows (without colour),
/// escaped, in a `role="alert"` box fixed over the page. `stale` says whether a last good
/// version of the site is shown under it.
pub(crate) fn overlay(diags: &Diagnostics, stale: bool) -> String {
    let report = diagnostics::render_all(diags, false);
    let lead = if stale {
        "The last rebuild failed; this is the last version that built."
    } else {
        "The site has not built yet, so there is nothing else to show."
    };
    format!(
        concat!(
            "<div id=\"briefing-build-error\" role=\"alert\" aria-labelledby=\"briefing-build-error-title\" style=\"",
            "position:fixed;z-index:2147483647;top:1rem;left:1rem;right:1rem;max-height:calc(100vh - 2rem);",
            "overflow:auto;box-sizing:border-box;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;",
            "border:3px solid #b00020;border-radius:6px;box-shadow:0 6px 30px rgba(0,0,0,.35);",
            "font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;text-align:left\">",
            "<p id=\"briefing-build-error-title\" style=\"margin:0 0 .25rem;font-weight:700;color:#b00020\">Build failed</p>",
            "<p style=\"margin:0 0 .75rem\">{lead} Fix the problem below and save to rebuild.</p>",
            "<pre style=\"margin:0;padding:.75rem;overflow:auto;white-space:pre-wrap;background:#f6f6f6;color:#1a1a1a;",
            "font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">{report}</pre></div>"
        ),
        lead = lead,
        report = escape(report.trim_end()),
    )
}

/// The block injected into a page: the overlay (if any), then the script.
pub(crate) fn block(path: &str, instance: &str, generation: u64, overlay: Option<&str>) -> String {
    format!(
        "{START}{}{}{END}",
        overlay.unwrap_or(""),
        script(path, instance, generation)
    )
}

/// Insert `block` before the last `</body>` (any case) of `html`, or at the end if there is none.
pub(crate) fn into_html(html: &[u8], block: &str) -> Vec<u8> {
    let at = rfind_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + block.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A whole page for when no build has succeeded yet: just the overlay and the script.
pub(crate) fn error_page(block: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Build failed</title>\n</head>\n<body>\n{block}</body>\n</html>\n"
    )
    .into_bytes()
}

/// Last position of `needle` in `hay`, ignoring ASCII case.
fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Diagnostic};

    #[test]
    fn injects_before_the_last_body_end_tag() {
        let out = into_html(b"<html><body><p>x</p></BODY></html>", "[B]");
        assert_eq!(out, b"<html><body><p>x</p>[B]</BODY></html>");
        let out = into_html(b"<p>no body</p>", "[B]");
        assert_eq!(out, b"<p>no body</p>[B]");
    }

    #[test]
    fn overlay_escapes_and_names_the_locus() {
        let src = "---\ntitle: <b>\n---\n";
        let d = Diagnostic::new(Code::BrokenLink, "bad <thing> & more")
            .in_file("content/a.md")
            .at(src, 2, 8);
        let html = overlay(&Diagnostics::from(d), true);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("content/a.md:2:8"), "{html}");
        assert!(html.contains("bad &lt;thing&gt; &amp; more"), "{html}");
        assert!(!html.contains("<thing>"));
    }

    #[test]
    fn the_script_attributes_are_escaped() {
        let s = script("a\"b.html", "i", 3);
        assert!(s.contains("data-path=\"a&quot;b.html\""));
        assert!(s.contains("data-generation=\"3\""));
        assert!(s.contains(EVENTS_PATH));
    }
}
