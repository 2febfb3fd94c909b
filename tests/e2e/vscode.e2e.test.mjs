// Drives a real VS Code (code-server) in headless Chromium: installs the built .vsix into a fresh
// profile, points it at a Python that lacks the server (so the private-venv install runs), and
// checks what a user sees. Run through scripts/e2e.sh, which installs and builds what is needed.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

// What our hover on `asyncio.gather` must contain: the API's name and a section heading of our docs.
const HOVER_API_TEXT = "asyncio.gather";
const HOVER_SECTION_TEXT = "Pitfall";
const QUICK_FIX_TITLE_TEXT = "asyncio.sleep";
const DIAGNOSTIC_CODE = "ASYNC251";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const EXTENSION_ID = `${MANIFEST.publisher}.${MANIFEST.name}`;
// scripts/e2e.sh passes this machine's package; the default is the same on glibc Linux (linux-x64, ...).
const VSIX = process.env.E2E_VSIX ?? path.join(ROOT, "dist", `${MANIFEST.name}-${process.platform}-${process.arch}-${MANIFEST.version}.vsix`);
const CODE_SERVER = process.env.E2E_CODE_SERVER ?? path.join(ROOT, ".e2e-cache", "code-server-4.100.3", "node_modules", ".bin", "code-server");
const CHROMIUM = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";
// A plain interpreter without async_patterns, so the extension must build its private venv.
const PYTHON = process.env.E2E_PYTHON ?? "/usr/bin/python3";
const ARTIFACTS = path.join(ROOT, ".e2e-artifacts");

const FIXTURE_NAME = "e2e_blocking.py";
const FIXTURE = `import asyncio
import time


async def fetch_all(urls):
    return await asyncio.gather(*(fetch(url) for url in urls))


async def fetch(url):
    time.sleep(1)
    return url
`;
// A notebook as Jupyter writes it: a Markdown cell, a cell defining a coroutine, and the everyday
// mistake of calling asyncio.run() in a cell, where the kernel's loop is already running.
const NOTEBOOK_NAME = "e2e_notebook.ipynb";
const NOTEBOOK_CELLS = [
  ["markdown", "# Fetching in a notebook"],
  ["code", "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(0.1)\n    return 42"],
  ["code", "result = asyncio.run(main())"],
];
const NOTEBOOK_FIX_TITLE_TEXT = "Await the coroutine";
const NOTEBOOK_DIAGNOSTIC_CODE = "AP202";
// Half a second of key stretching on the event loop: no static rule sees it, a monitored run does.
const STALL_NAME = "e2e_stall.py";
const STALL_PROGRAM = `import asyncio
import hashlib


async def register(password: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password, b"per-user salt", 600_000)


asyncio.run(register(b"correct horse battery staple"))
`;
const SNIPPET_TARGET_NAME = "e2e_snippet.py";
// A dropped task: ASYNC300 squiggles the create_task line, whose hover shows the rule and the API.
const DANGLING_TASK_NAME = "e2e_dangling.py";
const DANGLING_TASK = "import asyncio\n\n\nasync def tick() -> None:\n    await asyncio.sleep(1)\n\n\nasync def main() -> None:\n    asyncio.create_task(tick())\n    await asyncio.sleep(2)\n";
const SNIPPET_TARGET = "import asyncio\n\n\nasync def main():\n    \n";
// API hovers with long entries: a long summary, a parameter newer than the server's Python, a
// parameter list that wraps. Each [line, column] points into the name the hover documents.
const HOVERS_NAME = "e2e_hovers.py";
const HOVERS = `import asyncio


async def main() -> None:
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(asyncio.sleep(1), asyncio.sleep(2))
    task = asyncio.Task(asyncio.sleep(1))
    transport, protocol = await loop.create_connection(asyncio.Protocol, "127.0.0.1", 8080)
`;
const API_HOVERS = [
  { name: "asyncio.gather", line: 5, column: 31 },
  { name: "asyncio.Task", line: 6, column: 20 },
  { name: "asyncio.AbstractEventLoop.create_connection", line: 7, column: 43 },
];

let scratch;
let workspace;
let codeServer;
let browser;
let page;
let keepScratch = false;

/** A workspace file with `time.sleep(1)` in an async def and a call of `asyncio.gather`, with their positions. */
function locateTargets(directory) {
  const candidates = readdirSync(directory, { recursive: true })
    .filter((name) => name.endsWith(".py"))
    .map((name) => ({ name, lines: readFileSync(path.join(directory, name), "utf8").split("\n") }));
  for (const { name, lines } of candidates) {
    const sleepLine = lines.findIndex((line, index) => /^\s+time\.sleep\(1\)\s*$/.test(line) && insideAsyncDef(lines, index));
    const gatherLine = lines.findIndex((line) => line.includes("asyncio.gather("));
    if (sleepLine >= 0 && gatherLine >= 0) {
      return { name, sleepLine, gatherLine, gatherColumn: lines[gatherLine].indexOf("asyncio.gather(") + "asyncio.".length };
    }
  }
  return undefined;
}

function insideAsyncDef(lines, index) {
  const indent = lines[index].search(/\S/);
  for (let previous = index - 1; previous >= 0; previous--) {
    const text = lines[previous];
    const previousIndent = text.search(/\S/);
    if (previousIndent >= 0 && previousIndent < indent && /^\s*(async\s+def|def|class)\b/.test(text)) {
      return /^\s*async\s+def\b/.test(text);
    }
  }
  return false;
}

function notebookJson(cells) {
  const notebook = {
    cells: cells.map(([kind, text]) => ({
      cell_type: kind,
      metadata: {},
      source: text.split(/(?<=\n)/),
      ...(kind === "code" ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: {
      kernelspec: { display_name: "Python 3", language: "python", name: "python3" },
      language_info: { name: "python" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** The code cells' texts of a notebook file on disk. */
function codeCellsOnDisk(file) {
  return JSON.parse(readFileSync(file, "utf8"))
    .cells.filter((cell) => cell.cell_type === "code")
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url, deadline) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url}`);
}

async function waitForFile(file, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (predicate(text)) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return text;
}

/** Opens a workspace file with Quick Open; `name` is relative to the workspace, with "/" separators. */
async function openFile(name) {
  const baseName = path.posix.basename(name);
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 1; ; attempt++) {
    // A widget left open by an earlier failed check would swallow the keys.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    try {
      await input.waitFor({ state: "visible", timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
      await focusWorkbench();
    }
  }
  await page.keyboard.type(name);
  // Enter picks the focused row: wait until the filter has put the file there, not just in the list.
  await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: baseName }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(`.tab.active[aria-label*="${baseName}"]`).waitFor();
  await page.locator(".monaco-editor textarea").first().waitFor();
}

/** Moves the cursor with Go to Line; line and column are 0-based like the file's lines. */
async function goTo(line, column) {
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible" });
  await page.keyboard.type(`${line + 1}:${column + 1}`);
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/** A screenshot of the editor area for the extension's README (client/media/ holds the chosen ones). */
async function marketplaceScreenshot(name, height = 560) {
  const editor = await page.locator(".part.editor").boundingBox();
  await page.screenshot({ path: path.join(ARTIFACTS, "marketplace", name), clip: { ...editor, height: Math.min(height, editor.height) } });
}

/** Opens the code actions at the cursor and applies the one whose title contains `title`. */
async function applyQuickFix(title, screenshotName) {
  await page.keyboard.press("Control+.");
  await page.locator(".action-widget .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 20_000 });
  if (screenshotName) {
    await marketplaceScreenshot(screenshotName);
  }
  // The widget's pointer guard swallows clicks, so walk the list with the keyboard as a user would.
  const focused = page.locator(".action-widget .monaco-list-row.focused");
  for (let step = 0; step < 10 && !(await focused.innerText()).includes(title); step++) {
    await page.keyboard.press("ArrowDown");
  }
  assert.ok((await focused.innerText()).includes(title), `the quick fix "${title}" could not be selected`);
  await page.keyboard.press("Enter");
}

/** Runs a command from the Command Palette by its full title. */
async function runCommand(title) {
  const input = page.locator(".quick-input-widget input");
  const row = page.locator(".quick-input-list .monaco-list-row.focused", { hasText: title });
  // A terminal whose program just ended can take the focus back, which closes the palette: the
  // title goes into the palette's own input (never into the editor), and a closed palette is
  // opened again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    try {
      await input.waitFor({ state: "visible", timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ timeout: 5_000 });
      await input.press("Enter", { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
      await focusWorkbench();
    }
  }
}

/** Keys pressed while a webview (the Markdown preview) has the focus never reach the workbench's
 * key bindings: a click on the side bar's title gives the focus back to the workbench. */
async function focusWorkbench() {
  await page.locator(".part.sidebar .composite.title").first().click();
}

/** Waits until no process of the group is left; what is left after the deadline is killed. */
async function processGroupGone(groupId, timeoutMs) {
  const alive = () => {
    try {
      process.kill(-groupId, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const deadline = Date.now() + timeoutMs; alive() && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (alive()) {
    process.kill(-groupId, "SIGKILL");
  }
}

/** Each check keeps a screenshot when it fails, since that is the first thing anyone wants to see. */
function check(name, timeoutMs, body) {
  test(name, { timeout: timeoutMs }, async () => {
    try {
      await body();
    } catch (error) {
      keepScratch = true;
      if (page) {
        const screenshot = path.join(ARTIFACTS, `failure-${name.replace(/\W+/g, "-")}.png`);
        await page.screenshot({ path: screenshot }).catch(() => {});
        console.log(`# screenshot: ${screenshot}`);
      }
      throw error;
    }
  });
}

before(async () => {
  // Cleared once everything is up: a failed start-up keeps its logs too.
  keepScratch = true;
  for (const [what, file] of [["code-server (run scripts/e2e-setup.sh)", CODE_SERVER], ["chromium", CHROMIUM], ["the .vsix (run scripts/build-extension.sh)", VSIX], ["python", PYTHON]]) {
    assert.ok(existsSync(file), `${what} not found at ${file}`);
  }
  const preinstalled = spawnSync(PYTHON, ["-c", "import async_patterns"]);
  assert.notEqual(preinstalled.status, 0, `${PYTHON} already has async_patterns; the private-venv install would not be exercised`);

  // Leftovers of an earlier run would pass for this run's screenshots and fill the disk.
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(path.join(ARTIFACTS, "marketplace"), { recursive: true });
  const cache = path.join(ROOT, ".e2e-cache");
  mkdirSync(cache, { recursive: true });
  for (const entry of readdirSync(cache).filter((name) => name.startsWith("run-"))) {
    rmSync(path.join(cache, entry), { recursive: true, force: true, maxRetries: 5 });
  }
  scratch = mkdtempSync(path.join(cache, "run-"));
  workspace = path.join(scratch, "workspace");
  const examples = path.join(ROOT, "examples");
  if (existsSync(examples)) {
    cpSync(examples, workspace, { recursive: true });
  }
  mkdirSync(workspace, { recursive: true });
  if (!locateTargets(workspace)) {
    writeFileSync(path.join(workspace, FIXTURE_NAME), FIXTURE);
  }
  writeFileSync(path.join(workspace, SNIPPET_TARGET_NAME), SNIPPET_TARGET);
  writeFileSync(path.join(workspace, DANGLING_TASK_NAME), DANGLING_TASK);
  writeFileSync(path.join(workspace, NOTEBOOK_NAME), notebookJson(NOTEBOOK_CELLS));
  writeFileSync(path.join(workspace, STALL_NAME), STALL_PROGRAM);
  writeFileSync(path.join(workspace, HOVERS_NAME), HOVERS);

  // code-server writes into ~/.config and ~/.local/share otherwise, even for --version.
  const environment = { ...process.env };
  for (const variable of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "TMPDIR"]) {
    environment[variable] = path.join(scratch, variable.toLowerCase());
    mkdirSync(environment[variable], { recursive: true });
  }
  const userData = path.join(scratch, "user-data");
  const extensions = path.join(scratch, "extensions");
  mkdirSync(path.join(userData, "User"), { recursive: true });
  writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.welcomePage.walkthroughs.openOnInstall": false,
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "chat.commandCenter.enabled": false,
        "editor.hover.delay": 200,
        "asyncPatterns.interpreter": [PYTHON],
        // Kept in the profile left behind by a failed run: the protocol log shows what the server said.
        "asyncPatterns.trace.server": "messages",
      },
      null,
      2,
    ),
  );
  const installed = spawnSync(CODE_SERVER, ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", VSIX], {
    env: environment,
    encoding: "utf8",
  });
  assert.equal(installed.status, 0, `installing the .vsix failed:\n${installed.stdout}\n${installed.stderr}`);

  const port = await freePort();
  codeServer = spawn(
    CODE_SERVER,
    [
      "--bind-addr", `127.0.0.1:${port}`,
      "--auth", "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      // Trace level makes our output channel record the protocol messages, kept for a failed run.
      "--log", "trace",
      "--user-data-dir", userData,
      "--extensions-dir", extensions,
      workspace,
    ],
    // Its own process group, so the teardown stops the editor's helpers (TypeScript server, language
    // servers) with it instead of leaving them writing into the profile being removed.
    { env: environment, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const serverLog = path.join(scratch, "code-server.log");
  codeServer.stdout.on("data", (chunk) => writeFileSync(serverLog, chunk, { flag: "a" }));
  codeServer.stderr.on("data", (chunk) => writeFileSync(serverLog, chunk, { flag: "a" }));
  await waitForHealthy(`http://127.0.0.1:${port}/healthz`, Date.now() + 30_000);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  keepScratch = false;
});

after(async () => {
  if (page) {
    const screenshot = path.join(ARTIFACTS, "last-run.png");
    await page.screenshot({ path: screenshot }).catch(() => {});
    console.log(`# screenshot of the final state: ${screenshot}`);
  }
  await browser?.close();
  if (codeServer && codeServer.exitCode === null) {
    const exited = new Promise((resolve) => codeServer.once("exit", resolve));
    process.kill(-codeServer.pid, "SIGTERM");
    await exited;
  }
  if (codeServer) {
    await processGroupGone(codeServer.pid, 10_000);
  }
  if (scratch && !keepScratch && !process.env.E2E_KEEP) {
    // Retried for a few seconds: processes of the editor (the TypeScript server, our language server
    // until its watchdog sees the editor gone) may still be writing into the profile.
    rmSync(scratch, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  } else if (scratch) {
    console.log(`# kept the profile, workspace and code-server.log in ${scratch}`);
  }
});

check(`a squiggle and a Problems entry for ${DIAGNOSTIC_CODE}`, 180_000, async () => {
  const targets = locateTargets(workspace);
  await openFile(targets.name);
  // The first start builds the private venv from the bundled wheels, which takes a while.
  await page.locator(".squiggly-warning, .squiggly-error").first().waitFor({ timeout: 150_000 });
  await page.keyboard.press("Control+Shift+M");
  const entry = page.locator(".markers-panel .monaco-list-row", { hasText: DIAGNOSTIC_CODE }).first();
  await entry.waitFor({ timeout: 15_000 });
  assert.match(await entry.innerText(), /time\.sleep/);
  await page.keyboard.press("Control+Shift+M");

  const stamp = path.join(scratch, "user-data", "User", "globalStorage", EXTENSION_ID, "server-env", "async-patterns-environment.json");
  assert.ok(existsSync(stamp), `the private server environment was not built (${stamp})`);
});

check("the hover on asyncio.gather shows our documentation", 60_000, async () => {
  const targets = locateTargets(workspace);
  await openFile(targets.name);
  await goTo(targets.gatherLine, targets.gatherColumn + 1);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const hover = page.locator(".monaco-hover-content", { hasText: HOVER_API_TEXT }).first();
  await hover.waitFor({ timeout: 20_000 });
  const text = await hover.innerText();
  assert.ok(text.includes(HOVER_SECTION_TEXT), `the hover lacks "${HOVER_SECTION_TEXT}":\n${text}`);
  await page.keyboard.press("Escape");
});

check("the quick fix rewrites time.sleep(1) to await asyncio.sleep(1) on disk", 60_000, async () => {
  const targets = locateTargets(workspace);
  const file = path.join(workspace, targets.name);
  const count = (text, pattern) => text.split("\n").filter((line) => pattern.test(line)).length;
  const blocking = /^\s+time\.sleep\(1\)\s*$/;
  const awaited = /^\s+await asyncio\.sleep\(1\)\s*$/;
  const original = readFileSync(file, "utf8");
  await openFile(targets.name);
  await goTo(targets.sleepLine, original.split("\n")[targets.sleepLine].search(/\S/) + 2);
  await applyQuickFix(QUICK_FIX_TITLE_TEXT, "quick-fix-menu.png");
  await page.keyboard.press("Control+S");
  const saved = await waitForFile(file, (text) => count(text, awaited) > count(original, awaited), 10_000);
  assert.equal(count(saved, awaited), count(original, awaited) + 1, `no new "await asyncio.sleep(1)" line; saved file:\n${saved}`);
  assert.equal(count(saved, blocking), count(original, blocking) - 1, `saved file:\n${saved}`);
});

check("typing tg and accepting the suggestion inserts a TaskGroup block on disk", 60_000, async () => {
  const file = path.join(workspace, SNIPPET_TARGET_NAME);
  await openFile(SNIPPET_TARGET_NAME);
  await goTo(4, 4);
  await page.keyboard.type("tg");
  await page.keyboard.press("Control+Space");
  const suggestion = page.locator(".suggest-widget.visible .monaco-list-row.focused", { hasText: "tg" });
  await suggestion.waitFor({ timeout: 20_000 });
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+S");
  const saved = await waitForFile(file, (text) => text.includes("TaskGroup"), 10_000);
  assert.match(saved, /^ {4}async with asyncio\.TaskGroup\(\) as tg:\n {8}first = tg\.create_task\(fetch_first\(\)\)\n {8}second = tg\.create_task\(fetch_second\(\)\)\n/m, `saved file:\n${saved}`);
});

/** Hovers the cursor's position with the keyboard and returns our part of the hover. */
async function hoverAt(line, column, text) {
  await page.keyboard.press("Escape");
  await goTo(line, column);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const hover = page.locator(".monaco-hover-content", { hasText: text }).first();
  await hover.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(400);  // the hover fades in; a screenshot taken at once is half transparent
  return hover;
}

/** Whether an element of the hover is in view without scrolling, at VS Code's default hover size. */
async function inViewWithoutScrolling(element) {
  return element.evaluate((node) => {
    const view = node.closest(".monaco-scrollable-element") ?? node.closest(".monaco-hover");
    return node.getBoundingClientRect().bottom <= view.getBoundingClientRect().bottom + 1;
  });
}

check("hovers fit: on a squiggled create_task the rule links to its explanation and the API part is in view", 90_000, async () => {
  await openFile(DANGLING_TASK_NAME);
  await page.locator(".squiggly-warning, .squiggly-error").first().waitFor({ timeout: 20_000 });
  // VS Code's own part of the hover shows the diagnostic's message; ours starts with the rule.
  const squiggled = await hoverAt(8, 14, "ASYNC300 · dangling-task");
  const text = await squiggled.innerText();
  assert.ok(text.includes("why, and how to fix it"), `no link to the rule's explanation:\n${text}`);
  assert.ok(!text.includes("garbage-collected in the middle of its work"), `the rule's explanation is repeated in the hover:\n${text}`);
  assert.ok(!text.includes("Pitfall"), `the API part repeats what the diagnostic says:\n${text}`);
  const signature = page.locator(".monaco-hover-content", { hasText: "def asyncio.create_task(" }).last();
  assert.ok(await inViewWithoutScrolling(signature.getByText("asyncio.create_task(", { exact: false }).first()), "the API signature is below the fold");
  await page.screenshot({ path: path.join(ARTIFACTS, "hover-squiggled-create-task.png") });
  await marketplaceScreenshot("squiggle-and-hover.png", 500);
  await page.keyboard.press("Escape");
});

check("hovers fit: API hovers show signature, summary and the main pitfall without scrolling", 120_000, async () => {
  await openFile(DANGLING_TASK_NAME);
  const sleep = await hoverAt(9, 20, "asyncio.sleep");
  assert.ok(await inViewWithoutScrolling(sleep.getByText("Pitfall:").first()), "the pitfall of asyncio.sleep is below the fold");
  await page.screenshot({ path: path.join(ARTIFACTS, "hover-api-sleep.png") });
  await openFile(HOVERS_NAME);
  for (const { name, line, column } of API_HOVERS) {
    const hover = await hoverAt(line, column, `${name}`);
    const pitfall = hover.getByText("Pitfall:").first();
    await pitfall.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, `hover-api-${name.split(".").pop()}.png`) });
    assert.ok(await inViewWithoutScrolling(pitfall), `the pitfall of ${name} is below the fold:\n${await hover.innerText()}`);
  }
  await page.keyboard.press("Escape");
});

check("a hover's reference link opens the bundled document in the Markdown preview", 90_000, async () => {
  await openFile(DANGLING_TASK_NAME);
  await goTo(9, 20);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const link = page.locator(".monaco-hover-content a", { hasText: "Coroutines, tasks and the event loop" }).first();
  await link.waitFor({ timeout: 20_000 });
  await link.click();
  const preview = page.locator('.tab.active[aria-label*="Preview concurrency-patterns.md"]');
  await preview.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(ARTIFACTS, "reference-opened-in-preview.png") });
});

check(`a notebook cell gets a ${NOTEBOOK_DIAGNOSTIC_CODE} squiggle and its quick fix edits that cell on disk`, 120_000, async () => {
  const file = path.join(workspace, NOTEBOOK_NAME);
  const [definitions] = codeCellsOnDisk(file);
  await openFile(NOTEBOOK_NAME);
  const squiggle = page.locator(".notebook-editor .cell-editor-container .squiggly-warning").first();
  await squiggle.waitFor({ timeout: 60_000 });
  // Screenshots for the marketplace page: the cells with the squiggle, then its hover.
  const notebookEditor = page.locator(".notebook-editor", { has: page.locator(".squiggly-warning") }).first();
  await notebookEditor.screenshot({ path: path.join(ARTIFACTS, "notebook-cell-squiggle.png") });
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator(".monaco-hover-content", { hasText: NOTEBOOK_DIAGNOSTIC_CODE }).first();
  await hover.waitFor({ timeout: 20_000 });
  assert.match(await hover.innerText(), /notebook cell/);
  // The hover fades in; a screenshot taken meanwhile shows it half transparent.
  await page.waitForFunction(() => [...document.querySelectorAll(".monaco-hover")].some((element) => getComputedStyle(element).opacity === "1"));
  await notebookEditor.screenshot({ path: path.join(ARTIFACTS, "notebook-cell-hover.png") });
  await marketplaceScreenshot("notebook-cell.png");
  await page.mouse.move(box.x + box.width / 2, box.y + 200);

  // The cursor on the squiggle, then Ctrl+. lists the fixes for it.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await applyQuickFix(NOTEBOOK_FIX_TITLE_TEXT);
  await page.keyboard.press("Control+S");
  const saved = await waitForFile(file, (text) => text.includes("await main()"), 10_000);
  assert.deepEqual(codeCellsOnDisk(file), [definitions, "result = await main()"], `saved notebook:\n${saved}`);
});

check("a run with stall detection marks the line that stalled, and clearing the record removes it", 150_000, async () => {
  const record = path.join(workspace, ".async-patterns", "stalls.json");
  await openFile(STALL_NAME);
  await runCommand("Async Patterns: Run Current File with Stall Detection");
  const written = await waitForFile(record, (text) => text.includes(STALL_NAME), 90_000);
  const stalls = JSON.parse(written || "[]");
  assert.deepEqual(stalls.map((stall) => [path.basename(stall.path), stall.line]), [[STALL_NAME, 6]]);
  const squiggle = page.locator(".squiggly-warning, .squiggly-error");
  await squiggle.first().waitFor({ timeout: 30_000 });
  // The run's terminal has the focus (so that Ctrl+C reaches the program): click into the call.
  await page.locator(".monaco-editor .view-line", { hasText: "pbkdf2_hmac" }).first().click({ position: { x: 200, y: 5 } });
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  const hover = page.locator(".monaco-hover-content", { hasText: "blocked the event loop" }).first();
  await hover.waitFor({ timeout: 20_000 });
  assert.match(await hover.innerText(), /`hashlib\.pbkdf2_hmac\(\)` blocked the event loop for \d+ ms/);
  await page.keyboard.press("Escape");
  await runCommand("Async Patterns: Clear Recorded Stalls");
  await squiggle.first().waitFor({ state: "detached", timeout: 30_000 });
  assert.ok(!existsSync(record), "the record is still on disk");
});

/** The top of a heading in the visible Markdown preview, relative to the preview's top, once it is scrolled. */
async function headingOffsetInPreview(anchor) {
  // The Markdown preview's webview, not another one that is open (a walkthrough, an earlier preview).
  const webview = page.locator('iframe.webview.ready[src*="extensionId=vscode.markdown"]:visible').last();
  const preview = webview.contentFrame().frameLocator("#active-frame");
  const heading = preview.locator(`#${anchor}`);
  await heading.waitFor({ timeout: 20_000 });
  const frame = await webview.boundingBox();
  let offset = Infinity;
  // The preview scrolls to the editor's line after it has rendered.
  for (let attempt = 0; attempt < 50 && !(offset >= 0 && offset < frame.height / 3); attempt++) {
    await page.waitForTimeout(200);
    offset = (await heading.boundingBox()).y - frame.y;
  }
  return offset;
}

check("the Problems panel's rule link opens the bundled rules document at the rule", 90_000, async () => {
  await openFile(DANGLING_TASK_NAME);
  await page.locator(".squiggly-warning, .squiggly-error").first().waitFor({ timeout: 20_000 });
  await page.keyboard.press("Control+Shift+M");
  const row = page.locator(".markers-panel .monaco-list-row", { hasText: "ASYNC300" }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.locator(".monaco-link", { hasText: "ASYNC300" }).first().click();
  await page.locator('.tab.active[aria-label*="Preview rules.md"]').waitFor({ timeout: 20_000 });
  const offset = await headingOffsetInPreview("async300");
  await page.screenshot({ path: path.join(ARTIFACTS, "rule-link-from-problems.png") });
  assert.ok(offset >= 0 && offset < 300, `the preview of rules.md is not at ASYNC300 (its heading is ${offset}px from the top)`);
  await page.keyboard.press("Control+Shift+M");
});

/** Replaces the user's settings.json as a user would: in its editor, then saved. */
async function editUserSettings(settings) {
  await runCommand("Preferences: Open User Settings (JSON)");
  await page.locator('.tab.active[aria-label*="settings.json"]').waitFor();
  // The keys must reach settings.json's own editor, not whichever editor had the focus before.
  await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // One line inserted at once: no auto-indenting of new lines, no auto-closing of brackets or quotes.
  const text = JSON.stringify(settings);
  await page.keyboard.insertText(text);
  await page.keyboard.press("Control+S");
  const file = path.join(scratch, "user-data", "User", "settings.json");
  const saved = await waitForFile(file, (written) => written.trim() === text, 10_000);
  assert.equal(saved.trim(), text, "settings.json was not saved as typed");
}

check("a missing interpreter in the settings gets a clear error, Open Settings shows the setting, a good one restarts the server", 150_000, async () => {
  const good = JSON.parse(readFileSync(path.join(scratch, "user-data", "User", "settings.json"), "utf8"));
  const missing = path.join(scratch, "no such folder", "python3");
  await openFile(DANGLING_TASK_NAME);
  const squiggle = page.locator(".squiggly-warning, .squiggly-error").first();
  await squiggle.waitFor({ timeout: 150_000 });

  await editUserSettings({ ...good, "asyncPatterns.interpreter": missing });
  await openFile(DANGLING_TASK_NAME);
  const toast = page.locator(".notification-toast", { hasText: "asyncPatterns.interpreter" }).first();
  await toast.waitFor({ timeout: 30_000 });
  const message = await toast.innerText();
  assert.match(message, /is set to .*no such folder.*which was not found/s, `the error does not say what is wrong:\n${message}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "interpreter-missing.png") });
  // The old server is stopped, not left running on the interpreter the user moved away from.
  await squiggle.waitFor({ state: "detached", timeout: 20_000 });

  await toast.locator(".monaco-button", { hasText: "Open Settings" }).click();
  const shown = page.locator(".settings-editor .setting-item-contents");
  await shown.first().waitFor({ timeout: 20_000 });
  assert.equal(await shown.count(), 1, "Open Settings shows more than the interpreter setting");
  assert.match(await shown.first().innerText(), /Interpreter/);
  await page.screenshot({ path: path.join(ARTIFACTS, "interpreter-open-settings.png") });

  await editUserSettings(good);
  await openFile(DANGLING_TASK_NAME);
  await squiggle.waitFor({ timeout: 60_000 });
});
