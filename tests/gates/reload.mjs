// Gate 5 of tests/site-gates.sh: `briefing serve`'s live reload and error overlay in a real
// browser (Debian's Chromium through playwright-core), which the Rust serve tests cannot show:
// they read the event stream, not what a page does with it.
//
//   node tests/gates/reload.mjs BRIEFING_BIN SITE_DIR [SCREENSHOT_DIR]
//
// Copies SITE_DIR's content/, templates/, static/ and site.yaml (those it has) into a temporary
// folder, runs `briefing serve -p 0` on the copy and opens a person page. Then, without ever
// navigating the page itself:
//   1. appends a sentence to the page's Markdown: the page must reload by itself and show it;
//   2. breaks the page's front matter: the page must reload with the build-error overlay,
//      naming the file;
//   3. repairs it: the overlay must go and the sentence stay.
// A page that reloads is told apart from one that did not by a variable set in it, which a
// reload clears. Each wait polls for up to 30 s. With SCREENSHOT_DIR, the page under the overlay
// is saved there as serve-error-overlay.png. Exits 1 on failure.

import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [binArg, siteArg, shotsArg] = process.argv.slice(2);
if (!binArg || !siteArg) {
  console.error("usage: node reload.mjs BRIEFING_BIN SITE_DIR");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PAGE_FILE = "content/people/hakan-fidan.md";
const PAGE_PATH = "people/hakan-fidan/";
const MARK = "Reload gate sentence, added while the page was open.";
const WAIT_MS = 30_000;

const exists = async (p) => stat(p).then(() => true, () => false);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Poll `check` (an async predicate; errors count as "not yet") until it holds or time runs out.
async function waitFor(what, check) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // The page is reloading: its context is gone for a moment.
    }
    if (Date.now() > until) throw new Error(`timed out after ${WAIT_MS / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

const work = await mkdtemp(path.join(tmpdir(), "briefing-reload-gate-"));
for (const part of ["content", "templates", "static", "site.yaml"]) {
  const from = path.join(siteArg, part);
  if (await exists(from)) await cp(from, path.join(work, part), { recursive: true });
}

let server;
let browser;
let output = "";
let failed = false;
try {
  // --- the server, on a free port
  server = spawn(path.resolve(binArg), ["serve", "-r", work, "-p", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve printed no address within 30 s")), WAIT_MS);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/Serving at (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].endsWith("/") ? m[1] : m[1] + "/");
      }
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("exit", (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  console.log(`serving the copy at ${url}`);

  // --- the browser, on one page
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The page's event stream is open once its response headers arrive.
  const connected = page.waitForResponse((r) => r.url().includes("/__briefing/events"), { timeout: WAIT_MS });
  const response = await page.goto(url + PAGE_PATH);
  if (!response || response.status() !== 200) throw new Error(`${PAGE_PATH}: HTTP ${response && response.status()}`);
  const reloaded = () => page.evaluate(() => window.__reloadGate === undefined);
  const mark = () => page.evaluate(() => { window.__reloadGate = true; });
  const text = () => page.evaluate(() => document.body.innerText);
  const overlay = () => page.evaluate(() => {
    const o = document.getElementById("briefing-build-error");
    return o ? o.innerText : null;
  });
  // Let the page's event stream connect before the first change.
  await connected;
  const file = path.join(work, PAGE_FILE);
  const original = await readFile(file, "utf8");

  // 1. an edit to the page's Markdown
  await mark();
  await writeFile(file, `${original.trimEnd()}\n\n${MARK}\n`);
  await waitFor("the page to reload with the new sentence", async () =>
    (await reloaded()) && (await text()).includes(MARK));
  console.log("1. edit: the page reloaded by itself and shows the new sentence");

  // 2. a broken front matter
  await mark();
  const broken = original.replace("---\n", "---\nname: [unclosed\n");
  await writeFile(file, `${broken.trimEnd()}\n\n${MARK}\n`);
  await waitFor("the page to reload with the build-error overlay naming the file", async () => {
    if (!(await reloaded())) return false;
    const o = await overlay();
    return o !== null && o.includes("Build failed") && o.includes("hakan-fidan.md");
  });
  console.log("2. error: the page reloaded under the build-error overlay, which names the file");
  if (shotsArg) {
    await mkdir(shotsArg, { recursive: true });
    await page.screenshot({ path: path.join(shotsArg, "serve-error-overlay.png") });
  }

  // 3. the repair
  await mark();
  await writeFile(file, `${original.trimEnd()}\n\n${MARK}\n`);
  await waitFor("the overlay to go, the sentence staying", async () =>
    (await reloaded()) && (await overlay()) === null && (await text()).includes(MARK));
  console.log("3. repair: the overlay is gone and the page shows the fixed version");

  if (errors.length > 0) throw new Error(`script errors on the page:\n${errors.join("\n")}`);
} catch (e) {
  failed = true;
  console.error(`reload gate: ${e.message}`);
  if (output) console.error(`--- serve's output ---\n${output}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill("SIGINT");
    await Promise.race([new Promise((r) => server.on("exit", r)), sleep(5000)]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  await rm(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
