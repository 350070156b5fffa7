// Client-side full-text search over the index briefing writes (src/render/search.rs says what
// each file holds). No framework. It fetches the small manifest, then only the term shards the
// query's words fall in and the document shards of the results it shows. Folding, word
// splitting and shard hashing must stay exactly as in search.rs. The page works without it.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var manifestUrl = new URL(form.getAttribute("data-index"), location.href);
  // Interface strings in the page's language (search.html's `data-strings`, made from the
  // Fluent messages); the English ones stand in when the attribute is missing.
  var strings = {};
  try { strings = JSON.parse(form.getAttribute("data-strings") || "{}"); } catch (e) { strings = {}; }
  function say(key, english) { return typeof strings[key] === "string" ? strings[key] : english; }
  function resultsText(n) {
    var forms = strings.results || {};
    if (n === 0 && forms["0"]) return forms["0"];
    var cat = "other";
    try { cat = new Intl.PluralRules(document.documentElement.lang || "en").select(n); } catch (e) { cat = n === 1 ? "one" : "other"; }
    var f = forms[cat] || forms.other;
    if (f) return f.replace("{n}", String(n));
    return n === 0 ? "No results" : n === 1 ? "1 result" : n + " results";
  }
  var PAGE = 10;
  var SNIPPET = 220;
  var manifest = null;
  var shards = {}; // URL → Promise of parsed JSON
  var current = null; // the query being shown: { terms, hits, shown }
  var nojs = document.querySelector(".search-nojs");
  if (nojs) nojs.hidden = true;

  var MARK = /\p{M}/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPECIAL = { "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae",
    "œ": "oe", "þ": "th", "ħ": "h", "ŧ": "t", "ς": "σ" };

  // One character folded: lowercase, NFKD, combining marks dropped, a few letters spelt plain.
  function foldChar(c) {
    if (c.length === 1 && c.charCodeAt(0) < 128) return c.toLowerCase();
    var out = "";
    var lower = c.toLowerCase();
    for (var l of lower) {
      for (var d of l.normalize("NFKD")) {
        if (MARK.test(d)) continue;
        for (var e of d.toLowerCase()) out += SPECIAL[e] || e;
      }
    }
    return out;
  }

  // The terms of a text: runs of letters and digits once folded, at most 40 characters.
  function terms(text) {
    var out = [], cur = "";
    function flush() {
      if (cur && [...cur].length <= 40) out.push(cur);
      cur = "";
    }
    for (var c of text) {
      for (var d of foldChar(c)) {
        if (WORD.test(d)) cur += d; else flush();
      }
    }
    flush();
    return out;
  }

  // FNV-1a over the code points of a term's first two characters.
  function shardOf(term, n) {
    var h = 0x811c9dc5, k = 0;
    for (var c of term) {
      if (k++ === 2) break;
      h ^= c.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(n, 1);
  }

  function get(path) {
    var url = new URL(path, manifestUrl).href;
    if (!shards[url]) {
      shards[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
        return r.json();
      });
    }
    return shards[url];
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return get(manifestUrl.href).then(function (m) { manifest = m; return m; });
  }

  // Documents matching every term (a term matches the indexed terms it begins; a
  // one-character term only itself), best first.
  function find(qterms) {
    var need = [];
    qterms.forEach(function (t) {
      var s = shardOf(t, manifest.terms);
      if (need.indexOf(s) < 0) need.push(s);
    });
    return Promise.all(need.map(function (s) { return get("search/terms-" + s + ".json"); }))
      .then(function (loaded) {
        var byShard = {};
        need.forEach(function (s, i) { byShard[s] = loaded[i]; });
        var total = null;
        qterms.forEach(function (t) {
          var shard = byShard[shardOf(t, manifest.terms)];
          var best = new Map();
          var single = [...t].length === 1;
          Object.keys(shard).forEach(function (k) {
            if (single ? k !== t : k.lastIndexOf(t, 0) !== 0) return;
            var exact = k === t ? 2 : 1, id = 0;
            shard[k].forEach(function (v) {
              id += Math.floor(v / 4);
              var score = ((v % 4) + 1) * exact;
              if ((best.get(id) || 0) < score) best.set(id, score);
            });
          });
          if (total === null) { total = best; return; }
          var next = new Map();
          total.forEach(function (score, id) {
            if (best.has(id)) next.set(id, score + best.get(id));
          });
          total = next;
        });
        var hits = [];
        (total || new Map()).forEach(function (score, id) { hits.push([id, score]); });
        hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return hits.map(function (h) { return h[0]; });
      });
  }

  function doc(id) {
    return get("search/docs-" + Math.floor(id / manifest.chunk) + ".json").then(function (rows) {
      var r = rows[id % manifest.chunk];
      return { url: r[0], title: r[1], kind: r[2], text: r[3], names: r[4], notice: r[5], lang: r[6] };
    });
  }

  // Where the query terms occur in `text` (at the start of a word): [start, end) in `text`.
  function matches(text, qterms) {
    var norm = "", from = [], to = [], i = 0;
    for (var c of text) {
      var f = foldChar(c);
      for (var k = 0; k < f.length; k++) { norm += f[k]; from.push(i); to.push(i + c.length); }
      i += c.length;
    }
    var found = [];
    qterms.forEach(function (t) {
      for (var at = norm.indexOf(t); at >= 0; at = norm.indexOf(t, at + 1)) {
        if (at === 0 || !WORD.test(norm[at - 1])) found.push([from[at], to[at + t.length - 1]]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    return found;
  }

  // `text` into `el`, each match in a <mark>.
  function highlight(el, text, ranges, offset) {
    var pos = 0;
    ranges.forEach(function (r) {
      var s = r[0] - offset, e = r[1] - offset;
      if (s < pos || e > text.length) return;
      el.appendChild(document.createTextNode(text.slice(pos, s)));
      var m = document.createElement("mark");
      m.textContent = text.slice(s, e);
      el.appendChild(m);
      pos = e;
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // A snippet of the text around its first match; the other names when only they matched.
  function snippet(d, qterms) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var ranges = matches(d.text, qterms);
    if (!ranges.length) {
      var names = d.names.join(", ");
      var nr = matches(names, qterms);
      if (nr.length) {
        p.appendChild(document.createTextNode(say("also_written", "Also written:") + " "));
        highlight(p, names, nr, 0);
        return p;
      }
    }
    var start = 0;
    if (ranges.length) {
      start = Math.max(0, ranges[0][0] - 60);
      if (start > 0) {
        var sp = d.text.indexOf(" ", start);
        start = sp >= 0 && sp < ranges[0][0] ? sp + 1 : start;
      }
    }
    var end = Math.min(d.text.length, start + SNIPPET);
    if (end < d.text.length) {
      var back = d.text.lastIndexOf(" ", end);
      if (back > start && (!ranges.length || back >= ranges[0][1])) end = back;
    }
    if (start > 0) p.appendChild(document.createTextNode("… "));
    highlight(p, d.text.slice(start, end), ranges.filter(function (r) { return r[0] >= start && r[1] <= end; }), start);
    if (end < d.text.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function label(kind) {
    return kind.charAt(0).toUpperCase() + kind.slice(1);
  }

  function item(d, qterms) {
    var li = document.createElement("li");
    var h = document.createElement("p");
    h.className = "search-title";
    var a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.title;
    // A title the edition shows untranslated is in the original's language.
    if (d.lang) a.lang = d.lang;
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = label(d.kind);
    h.appendChild(a);
    h.appendChild(document.createTextNode(" "));
    h.appendChild(kind);
    li.appendChild(h);
    li.appendChild(snippet(d, qterms));
    if (d.notice) {
      var n = document.createElement("p");
      n.className = "search-notice";
      var em = document.createElement("em");
      em.textContent = d.notice;
      n.appendChild(em);
      li.appendChild(n);
    }
    return li;
  }

  function showMore() {
    var q = current;
    var ids = q.hits.slice(q.shown, q.shown + PAGE);
    q.shown += ids.length;
    return Promise.all(ids.map(doc)).then(function (docs) {
      if (q !== current) return;
      docs.forEach(function (d) { list.appendChild(item(d, q.terms)); });
      if (more) more.hidden = q.shown >= q.hits.length;
    });
  }

  function run(query) {
    var qterms = terms(query).filter(function (t, i, all) { return all.indexOf(t) === i; });
    list.textContent = "";
    if (more) more.hidden = true;
    if (!qterms.length) { status.textContent = ""; current = null; return Promise.resolve(); }
    status.textContent = say("searching", "Searching…");
    var q = { terms: qterms, hits: [], shown: 0 };
    current = q;
    return loadManifest().then(function () { return find(qterms); }).then(function (hits) {
      if (q !== current) return;
      q.hits = hits;
      return showMore().then(function () {
        if (q !== current) return;
        var n = hits.length;
        status.textContent = say("results_for", "{results} for “{query}”")
          .replace("{results}", resultsText(n)).replace("{query}", query.trim());
      });
    });
  }

  function fail() { status.textContent = say("unavailable", "Search is unavailable."); }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    run(q).catch(fail);
  });
  if (more) more.addEventListener("click", function () { if (current) showMore().catch(fail); });

  var q0 = new URLSearchParams(location.search).get("q");
  if (q0) { input.value = q0; run(q0).catch(fail); }
})();
