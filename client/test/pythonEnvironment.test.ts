import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { ensurePrivateEnvironment, EnvironmentSetupError, isolatedPipEnvironment, probeInterpreter } from "../src/pythonEnvironment";

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

describe("ensurePrivateEnvironment", () => {
  const storage = mkdtempSync(path.join(os.tmpdir(), "async-patterns-env-"));
  after(() => rmSync(storage, { recursive: true, force: true }));

  it("reports the install step and leaves no stamp when no wheel matches", async () => {
    const emptyWheels = path.join(storage, "no-wheels");
    const messages: string[] = [];
    await assert.rejects(
      ensurePrivateEnvironment({
        baseExecutable: python,
        storageDirectory: storage,
        wheelsDirectory: emptyWheels,
        extensionVersion: "0.0.0-test",
        log: (message) => messages.push(message),
      }),
      (error: unknown) => error instanceof EnvironmentSetupError && error.step === "install-wheels",
    );
    assert.match(messages.join("\n"), /Creating /);
    assert.equal(existsSync(path.join(storage, "server-env", "async-patterns-environment.json")), false);
  });
});

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
