import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  ensurePrivateEnvironment,
  EnvironmentSetupError,
  isolatedPipEnvironment,
  lastPipError,
  missingDistribution,
  PrivateEnvironmentRequest,
  privateEnvironmentPlan,
  probeChoice,
  probeInterpreter,
} from "../src/pythonEnvironment";

// These run the real interpreter the extension would fall back to.
const python = process.env.ASYNC_PATTERNS_TEST_PYTHON ?? "python3";

describe("probeInterpreter", () => {
  it("reports the version and executable of a working Python", async () => {
    const outcome = await probeInterpreter([python]);
    assert.ok(outcome.kind === "ok" || outcome.kind === "too-old", JSON.stringify(outcome));
    assert.equal(outcome.probe.version.length, 3);
    assert.ok(path.isAbsolute(outcome.probe.executable));
  });

  it("says not-found for a missing executable", async () => {
    assert.deepEqual(await probeInterpreter(["/nonexistent/python3"]), { kind: "not-found" });
  });

  it("says failed when the interpreter errors out", async () => {
    const outcome = await probeInterpreter([python, "-c", "raise SystemExit(3)", "--"]);
    assert.equal(outcome.kind, "failed");
  });
});

describe("probeChoice", () => {
  it("tries the alternatives while the command does not exist", async () => {
    const tried = await probeChoice({ command: ["/nonexistent/py", "-3"], source: "default", alternatives: [["/nonexistent/python"], [python]] });
    assert.deepEqual(tried.command, [python]);
    assert.ok(tried.outcome.kind === "ok" || tried.outcome.kind === "too-old");
  });

  it("keeps a command that exists, and reports not-found when none does", async () => {
    assert.deepEqual((await probeChoice({ command: [python], source: "default", alternatives: [["/nonexistent/python"]] })).command, [python]);
    const none = await probeChoice({ command: ["/nonexistent/py"], source: "default", alternatives: [["/nonexistent/python"]] });
    assert.deepEqual(none, { command: ["/nonexistent/python"], outcome: { kind: "not-found" } });
  });
});

function request(overrides: Partial<PrivateEnvironmentRequest>): PrivateEnvironmentRequest {
  return {
    baseExecutable: python,
    storageDirectory: "/storage",
    wheelsDirectory: "/extension/client/out/wheels",
    extensionVersion: "0.0.0-test",
    platform: "linux",
    source: "bundled",
    log: () => undefined,
    ...overrides,
  };
}

describe("privateEnvironmentPlan", () => {
  const userEnvironment = { PATH: "/usr/bin", PIP_INDEX_URL: "https://mirror.example/simple" };

  it("uses Scripts\\python.exe and keeps paths with spaces whole on Windows", () => {
    const plan = privateEnvironmentPlan(
      request({
        baseExecutable: "C:\\Program Files\\Python312\\python.exe",
        storageDirectory: "C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Code\\User\\globalStorage\\async-patterns.python-async-patterns",
        wheelsDirectory: "C:\\Users\\Ada Lovelace\\.vscode\\extensions\\async-patterns.python-async-patterns-0.1.0-win32-x64\\client\\out\\wheels",
        platform: "win32",
      }),
      userEnvironment,
    );
    const venv = "C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Code\\User\\globalStorage\\async-patterns.python-async-patterns\\server-env";
    assert.equal(plan.python, `${venv}\\Scripts\\python.exe`);
    assert.equal(plan.stampFile, `${venv}\\async-patterns-environment.json`);
    assert.deepEqual(plan.createVenv, ["C:\\Program Files\\Python312\\python.exe", "-m", "venv", venv]);
    assert.deepEqual(plan.install, [
      `${venv}\\Scripts\\python.exe`,
      "-m",
      "pip",
      "install",
      "--no-input",
      "--no-index",
      "--find-links",
      "C:\\Users\\Ada Lovelace\\.vscode\\extensions\\async-patterns.python-async-patterns-0.1.0-win32-x64\\client\\out\\wheels",
      "python-async-patterns",
    ]);
  });

  it("uses bin/python on macOS and Linux", () => {
    const plan = privateEnvironmentPlan(request({ storageDirectory: "/Users/Ada Lovelace/Library/Application Support/Code/User/globalStorage/x", platform: "darwin" }));
    assert.equal(plan.python, "/Users/Ada Lovelace/Library/Application Support/Code/User/globalStorage/x/server-env/bin/python");
    assert.equal(privateEnvironmentPlan(request({ platform: "linux" })).python, "/storage/server-env/bin/python");
  });

  it("installs the bundled wheels offline, without the user's pip settings", () => {
    const plan = privateEnvironmentPlan(request({ source: "bundled" }), userEnvironment);
    assert.ok(plan.install.includes("--no-index"));
    assert.equal(plan.installEnvironment.PIP_INDEX_URL, undefined);
    assert.equal(plan.installEnvironment.PIP_CONFIG_FILE, os.devNull);
  });

  it("takes the dependencies from the user's package index when that was approved", () => {
    const plan = privateEnvironmentPlan(request({ source: "index" }), userEnvironment);
    assert.ok(!plan.install.includes("--no-index"));
    // Our own wheel is not on PyPI: it still comes from the extension's folder.
    assert.deepEqual(plan.install.slice(-3), ["--find-links", "/extension/client/out/wheels", "python-async-patterns"]);
    assert.deepEqual(plan.installEnvironment, userEnvironment);
  });
});

describe("pip's error output", () => {
  const noWheel = [
    "Looking in links: /extension/client/out/wheels",
    "Processing ./python_async_patterns-0.1.0-py3-none-any.whl",
    "ERROR: Could not find a version that satisfies the requirement libcst<2,>=1.8.6 (from python-async-patterns) (from versions: none)",
    "ERROR: No matching distribution found for libcst<2,>=1.8.6 (from python-async-patterns)",
    "",
  ].join("\n");

  it("names the distribution without a fitting wheel", () => {
    assert.equal(missingDistribution(noWheel), "libcst");
    assert.equal(missingDistribution("ERROR: No matching distribution found for pyyaml-ft>=8.0.0 (from libcst)"), "pyyaml-ft");
    assert.equal(missingDistribution("ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device"), undefined);
  });

  it("quotes pip's last error", () => {
    assert.equal(lastPipError(noWheel), "ERROR: No matching distribution found for libcst<2,>=1.8.6 (from python-async-patterns)");
    assert.equal(lastPipError("WARNING: Retrying\r\nconnection refused\r\n"), "connection refused");
  });
});

describe("ensurePrivateEnvironment", () => {
  const storage = mkdtempSync(path.join(os.tmpdir(), "async patterns env "));
  after(() => rmSync(storage, { recursive: true, force: true }));

  it("says which distribution has no wheel and leaves no stamp", async () => {
    const emptyWheels = path.join(storage, "no wheels");
    const messages: string[] = [];
    await assert.rejects(
      ensurePrivateEnvironment(request({ storageDirectory: path.join(storage, "failing"), wheelsDirectory: emptyWheels, platform: process.platform, log: (message) => messages.push(message) })),
      (error: unknown) => error instanceof EnvironmentSetupError && error.step === "install-wheels" && error.missingDistribution === "python-async-patterns",
    );
    assert.match(messages.join("\n"), /Creating /);
    assert.equal(existsSync(path.join(storage, "failing", "server-env", "async-patterns-environment.json")), false);
  });

  it("builds from wheels in folders with spaces, then reuses the environment", async () => {
    const wheels = path.join(storage, "extension folder", "wheels");
    mkdirSync(wheels, { recursive: true });
    writeStandInServerWheel(wheels);
    const working = request({ storageDirectory: path.join(storage, "global storage"), wheelsDirectory: wheels, platform: process.platform });
    const built = await ensurePrivateEnvironment(working);
    assert.equal(built, privateEnvironmentPlan(working).python);
    assert.equal(spawnSync(built, ["-c", "import async_patterns_stand_in"]).status, 0);
    const messages: string[] = [];
    assert.equal(await ensurePrivateEnvironment({ ...working, log: (message) => messages.push(message) }), built);
    assert.deepEqual(messages, []);
  });

  it("probes an interpreter whose path has spaces", async () => {
    const folder = path.join(storage, "my python");
    mkdirSync(folder);
    const linked = path.join(folder, "python3");
    symlinkSync(spawnSync(python, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim(), linked);
    const outcome = await probeInterpreter([linked]);
    assert.ok(outcome.kind === "ok" || outcome.kind === "too-old", JSON.stringify(outcome));
  });
});

/** A pure wheel named like the server, with nothing in it but one module: pip installs it in a second. */
function writeStandInServerWheel(folder: string): void {
  const script = [
    "import sys, zipfile",
    "info = 'python_async_patterns-0.0.0.dist-info/'",
    "with zipfile.ZipFile(sys.argv[1], 'w') as wheel:",
    "    wheel.writestr('async_patterns_stand_in.py', '')",
    "    wheel.writestr(info + 'METADATA', 'Metadata-Version: 2.1\\nName: python-async-patterns\\nVersion: 0.0.0\\n')",
    "    wheel.writestr(info + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')",
    "    wheel.writestr(info + 'RECORD', '')",
  ].join("\n");
  const written = spawnSync(python, ["-c", script, path.join(folder, "python_async_patterns-0.0.0-py3-none-any.whl")], { encoding: "utf8" });
  assert.equal(written.status, 0, written.stderr);
}

describe("isolatedPipEnvironment", () => {
  it("drops the user's pip variables and config files but keeps the rest", () => {
    const isolated = isolatedPipEnvironment({ PATH: "/usr/bin", PIP_FIND_LINKS: "/opt/wheels", pip_index_url: "http://x", HOME: "/root" });
    assert.deepEqual(isolated, {
      PATH: "/usr/bin",
      HOME: "/root",
      PIP_CONFIG_FILE: os.devNull,
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
    });
  });
});
