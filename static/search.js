// Client-side search over search-index.json. No framework; the page works without it.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var index = null;

  function norm(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function run(q) {
    var terms = norm(q).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var hits = index.map(function (e) {
      var title = norm(e.title), text = norm(e.text), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        if (title.indexOf(t) >= 0) score += 3;
        else if (text.indexOf(t) >= 0) score += 1;
        else return null;
      }
      return { e: e, score: score };
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score || a.e.title.localeCompare(b.e.title); });
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.e.url;
      a.textContent = h.e.title;
      var p = document.createElement("p");
      p.textContent = h.e.text;
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
  }

  function load() {
    if (index) return Promise.resolve(index);
    return fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); })
      .then(function (d) { index = d; return d; });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    load().then(function () { run(q); }).catch(function () { status.textContent = "Search is unavailable."; });
  });

  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; load().then(function () { run(q); }); }
})();
