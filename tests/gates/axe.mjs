// Gate 2 of tests/site-gates.sh: axe-core in Debian's Chromium on every HTML page of the
// built site, in the light and the dark colour scheme, plus the README's screenshots.
//
//   node tests/gates/axe.mjs SITE_DIR BASE_URL SCREENSHOT_DIR
//
// SITE_DIR is the output of `briefing build -u BASE_URL -o SITE_DIR`. The site is served over
// HTTP on 127.0.0.1 under BASE_URL's path (URLs in it are root-relative under that path), with
// clean URLs (`/x/` serves `x/index.html`) and `404.html` for missing paths.
// Exits 1 on any violation, on any page that does not load, and on any browser error.

import { createServer } from "node:http";
import { readFile, readdir, stat, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [siteArg, baseUrlArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !baseUrlArg || !shotsArg) {
  console.error("usage: node axe.mjs SITE_DIR BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}
const SITE = path.resolve(siteArg);
const BASE_URL = baseUrlArg.endsWith("/") ? baseUrlArg : baseUrlArg + "/";
const BASE = new URL(BASE_URL).pathname;
const SHOTS = path.resolve(shotsArg);
const TAGS = ["best-practice", "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"];
// Every page is checked in both schemes, at a desktop and a phone width (layouts differ:
// tables scroll sideways on phones, fact lists stack).
const VIEWS = [1280, 390].flatMap((width) => SCHEMES.map((scheme) => ({ scheme, width })));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

// Screenshots: [file stem, path under BASE]; each at both widths and in both schemes. The talk
// is the default site's; another site gets its first talk.
const SCREENSHOTS = [
  ["front", ""],
  ["talk", "talks/istanbul-2025-05-16/"],
  ["positions", "positions/"],
];
const WIDTHS = [1280, 390];

// ---------------------------------------------------------------- static server
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json",
  ".xml": "application/xml", ".ics": "text/calendar; charset=utf-8", ".txt": "text/plain; charset=utf-8",
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml",
  ".webp": "image/webp", ".gif": "image/gif", ".ico": "image/x-icon", ".pdf": "application/pdf",
};

async function isFile(p) {
  try { return (await stat(p)).isFile(); } catch { return false; }
}
async function isDir(p) {
  try { return (await stat(p)).isDirectory(); } catch { return false; }
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://127.0.0.1");
    let rel = null;
    if (url.pathname.startsWith(BASE)) {
      rel = decodeURIComponent(url.pathname.slice(BASE.length));
    }
    if (rel !== null && (rel.includes("\0") || rel.split("/").includes(".."))) rel = null;
    let file = null;
    if (rel !== null) {
      const full = path.join(SITE, rel);
      if (rel === "" || rel.endsWith("/")) {
        if (await isFile(path.join(full, "index.html"))) file = path.join(full, "index.html");
      } else if (await isFile(full)) {
        file = full;
      } else if (await isDir(full)) {
        res.writeHead(301, { Location: url.pathname + "/" });
        return res.end();
      }
    }
    if (file) {
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
      return res.end(body);
    }
    const notFound = path.join(SITE, "404.html");
    res.writeHead(404, { "Content-Type": TYPES[".html"] });
    res.end((await isFile(notFound)) ? await readFile(notFound) : "not found");
  } catch (e) {
    res.writeHead(500);
    res.end(String(e));
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------- the pages
async function htmlFiles(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await htmlFiles(p)));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out;
}
const allFiles = await htmlFiles(SITE);
// Redirect pages (aliases: a meta refresh to the page's new URL) are never seen by a reader:
// they are checked for landing on a page of the site, not by axe.
const REFRESH = /<meta\s+http-equiv="refresh"/i;
const redirects = [];
const pageFiles = [];
for (const f of allFiles) (REFRESH.test(await readFile(f, "utf8")) ? redirects : pageFiles).push(f);
const toRel = (files) => files
  .map((f) => path.relative(SITE, f).split(path.sep).join("/"))
  .map((r) => (r === "index.html" ? "" : r.endsWith("/index.html") ? r.slice(0, -"index.html".length) : r))
  .sort();
const pages = toRel(pageFiles);

// Further language editions (a top-level folder whose index.html has that folder's `lang`)
// share the default edition's templates and styles: each of their pages is checked in one view,
// a different one per edition (the first further edition in dark 1280px, the next in light
// 390px, …), so every view still meets every edition while the gate's time stays near one
// edition's. The default edition gets every view.
const EDITIONS = [];
for (const d of (await readdir(SITE, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const html = await readFile(path.join(SITE, d, "index.html"), "utf8").catch(() => "");
  if (new RegExp(`<html lang="${d.replace(/[^A-Za-z0-9-]/g, "")}"`).test(html)) EDITIONS.push(d);
}
function viewsFor(rel) {
  const k = EDITIONS.indexOf(rel.split("/")[0]);
  return k < 0 ? VIEWS : [VIEWS[(k + 1) % VIEWS.length]];
}
const redirectPages = toRel(redirects);
for (const shot of SCREENSHOTS) {
  if (!pages.includes(shot[1]) && shot[0] === "talk") shot[1] = pages.find((p) => /^talks\/[^/]+\/$/.test(p)) ?? shot[1];
}
// Where the site has editions, a talk page in one of them (Ukrainian when there is one) and the
// parallel view of that talk beside its original, so the screenshots show an edition's words too.
{
  const talk = SCREENSHOTS.find((s) => s[0] === "talk")[1];
  const ed = ["uk", ...EDITIONS].find((e) => EDITIONS.includes(e) && pages.includes(`${e}/${talk}`));
  const compare = ed && pages.find((p) => p.startsWith(`${talk}compare/`) && p.endsWith(`-${ed}/`));
  if (ed) SCREENSHOTS.push([`talk-${ed}`, `${ed}/${talk}`]);
  if (compare) SCREENSHOTS.push([`compare-${compare.split("/").slice(-2)[0]}`, compare]);
}
// The search page once more, with results written by its script.
if (pages.includes("search/")) pages.push("search/?q=ceasefire");

// ---------------------------------------------------------------- the browser
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
});

let failures = 0;
const problems = [];

function describe(v) {
  const lines = [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`];
  for (const n of v.nodes.slice(0, 8)) {
    lines.push(`      at ${n.target.join(" ")}`);
    lines.push(`         ${n.html.replace(/\s+/g, " ").slice(0, 200)}`);
    if (n.failureSummary) lines.push(`         ${n.failureSummary.replace(/\s+/g, " ").slice(0, 300)}`);
  }
  if (v.nodes.length > 8) lines.push(`      … and ${v.nodes.length - 8} more`);
  return lines.join("\n");
}

const incomplete = new Map(); // rule id -> number of page views axe could not decide on

async function check(context, view, rel) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  // A resource of the site that fails to load is a problem; the browser's own requests outside
  // the base path (the host's /favicon.ico) are not the site's business.
  page.on("response", (r) => {
    if (r.status() >= 400 && r.url().startsWith(ORIGIN + BASE) && r.url() !== ORIGIN + BASE + "404.html") {
      errors.push(`HTTP ${r.status()} for ${r.url().slice(ORIGIN.length)}`);
    }
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console error: ${m.text()}`);
  });
  let bad = [];
  try {
    const resp = await page.goto(ORIGIN + BASE + rel, { waitUntil: "load" });
    if (!resp || resp.status() !== 200) errors.push(`HTTP ${resp ? resp.status() : "no response"}`);
    if (rel.includes("?q=")) {
      await page.waitForFunction(() => document.querySelector(".search-status")?.textContent, null, { timeout: 10000 })
        .catch(() => errors.push("search wrote no results status within 10 s"));
    }
    await page.addScriptTag({ content: AXE_SOURCE });
    const result = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: "tag", values: tags } });
      return { violations: r.violations, incomplete: r.incomplete };
    }, TAGS);
    for (const i of result.incomplete) {
      incomplete.set(i.id, (incomplete.get(i.id) || 0) + 1);
      if (process.env.AXE_VERBOSE) console.log(`  review ${view} ${BASE}${rel}:\n${describe(i)}`);
    }
    bad = result.violations;
  } catch (e) {
    errors.push(`could not check the page: ${String(e.message || e).split("\n")[0]}`);
  }
  await page.close();
  if (bad.length || errors.length) {
    failures += bad.length + errors.length;
    problems.push(`${BASE}${rel} (${view}):\n` + [...errors.map((e) => "  " + e), ...bad.map(describe)].join("\n"));
    console.log(`  FAIL ${view} ${BASE}${rel}: ${bad.length} violation(s)${errors.length ? `, ${errors.length} other problem(s)` : ""}`);
  }
  return bad.length + errors.length;
}

try {
  const axeVersion = JSON.parse(await readFile(require.resolve("axe-core/package.json"), "utf8")).version;
  console.log(`axe-core ${axeVersion}, Chromium ${await browser.version()}; tags ${TAGS.join(", ")}`);
  console.log(`${pages.length} pages, each in ${VIEWS.length} views: ${VIEWS.map((v) => `${v.scheme} ${v.width}px`).join(", ")}` +
    (EDITIONS.length ? `; the editions ${EDITIONS.join(", ")} in one view each (${EDITIONS.map((e) => { const v = viewsFor(e + "/")[0]; return `${e}: ${v.scheme} ${v.width}px`; }).join(", ")})` : ""));
  // Two views at a time (two cores), one browser context each.
  const queue = [...VIEWS];
  await Promise.all([0, 1].map(async () => {
    for (let v; (v = queue.shift());) {
      const name = `${v.scheme} ${v.width}px`;
      const context = await browser.newContext({ colorScheme: v.scheme, viewport: { width: v.width, height: 900 } });
      let n = 0;
      const here = pages.filter((rel) => viewsFor(rel).includes(v));
      for (const rel of here) n += await check(context, name, rel);
      await context.close();
      console.log(`  ${n ? "FAIL" : "ok  "} ${name}: ${here.length} pages, ${n} problem(s)`);
    }
  }));
  for (const rel of redirectPages) {
    const context = await browser.newContext();
    // Redirects point at the absolute URL of the published site: serve that from here.
    await context.route((u) => u.href.startsWith(BASE_URL), async (route) => {
      const local = ORIGIN + BASE + route.request().url().slice(BASE_URL.length);
      await route.fulfill({ response: await route.fetch({ url: local }) });
    });
    const page = await context.newPage();
    const start = ORIGIN + BASE + rel;
    let landed = null;
    page.on("response", (r) => { if (r.request().isNavigationRequest() && r.url() !== start) landed = r; });
    await page.goto(start).catch(() => {});
    await page.waitForURL((u) => u.href !== start, { timeout: 10000 }).catch(() => {});
    await page.waitForLoadState("load").catch(() => {});
    const ok = landed && landed.status() === 200 &&
      (landed.url().startsWith(ORIGIN + BASE) || landed.url().startsWith(BASE_URL));
    if (!ok) {
      failures += 1;
      problems.push(`${BASE}${rel}: redirect page did not land on a page of the site (${landed ? `HTTP ${landed.status()} ${landed.url()}` : "no redirect"})`);
    }
    console.log(`  ${ok ? "ok  " : "FAIL"} redirect ${BASE}${rel} -> ${landed ? landed.url() : "nothing"}`);
    await context.close();
  }
  if (incomplete.size) {
    console.log(`  (for review, not failures: axe could not decide ${[...incomplete].map(([id, n]) => `${id} on ${n}`).join(", ")} page view(s); AXE_VERBOSE=1 shows where)`);
  }

  // Screenshots for people (the README's, and the reviewer's).
  await mkdir(SHOTS, { recursive: true });
  for (const scheme of SCHEMES) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({
        colorScheme: scheme, viewport: { width, height: 900 }, deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      for (const [name, rel] of SCREENSHOTS) {
        const resp = await page.goto(ORIGIN + BASE + rel, { waitUntil: "load" });
        if (!resp || resp.status() !== 200) {
          failures += 1;
          problems.push(`${BASE}${rel}: HTTP ${resp ? resp.status() : "no response"} while taking screenshots`);
          continue;
        }
        const file = path.join(SHOTS, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
      }
      await context.close();
    }
  }
  console.log(`  screenshots: ${SHOTS}/{${SCREENSHOTS.map((s) => s[0]).join(",")}}-{${WIDTHS.join(",")}}-{${SCHEMES.join(",")}}.png`);
} finally {
  await browser.close();
  server.close();
}

if (failures) {
  console.log("\n" + problems.join("\n\n"));
  console.log(`\naxe: ${failures} problem(s) on ${problems.length} page view(s)`);
  process.exit(1);
}
console.log(`axe: 0 violations on ${pages.length} pages, ${pages.reduce((n, rel) => n + viewsFor(rel).length, 0)} page views`);
