import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyConfigurationChange, didChangeConfigurationSettings, initializationOptions, restartSettingsChanged, serverSettings } from "../src/settings";

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

describe("serverSettings", () => {
  it("sends the server keys, camelCase, and nothing else", () => {
    const settings = serverSettings(
      reader({
        enable: true,
        interpreter: ["/usr/bin/python3"],
        select: ["ASYNC2"],
        ignore: ["ASYNC109"],
        severity: { ASYNC251: "error" },
        extraBlockingCalls: ["mylib.fetch -> mylib.afetch", "legacy.*"],
        libraryCatalogues: ["tools/acme.toml"],
      }),
    );
    assert.deepEqual(settings, {
      select: ["ASYNC2"],
      ignore: ["ASYNC109"],
      severity: { ASYNC251: "error" },
      extraBlockingCalls: ["mylib.fetch -> mylib.afetch", "legacy.*"],
      libraryCatalogues: ["tools/acme.toml"],
    });
  });

  it("leaves out what the user did not set, so pyproject.toml decides it", () => {
    assert.deepEqual(serverSettings(reader({})), {});
    assert.deepEqual(serverSettings(reader({ ignore: [] })), { ignore: [] });
  });

  it("replaces mistyped values with empty ones", () => {
    assert.deepEqual(serverSettings(reader({ select: "ASYNC2", ignore: [1, "", " AP1 "], severity: ["error"] })), {
      select: [],
      ignore: ["AP1"],
      severity: {},
    });
  });

  it("sends the rule-selection extensions, per-file ignores and thread decorators", () => {
    const settings = serverSettings(
      reader({
        extendSelect: ["ASYNC124"],
        extendIgnore: [" AP1 ", ""],
        perFileIgnores: { "tests/**": ["AP101", " ASYNC230 "], " ": ["AP102"], "docs/*": "AP103", "build/**": [] },
        threadDecorators: ["myapp.workers.in_thread"],
      }),
    );
    assert.deepEqual(settings, {
      extendSelect: ["ASYNC124"],
      extendIgnore: ["AP1"],
      perFileIgnores: { "tests/**": ["AP101", "ASYNC230"] },
      threadDecorators: ["myapp.workers.in_thread"],
    });
  });

  it("keeps only known severities", () => {
    const settings = serverSettings(reader({ severity: { ASYNC251: "Warning", ASYNC300: "fatal", AP1: 2 } }));
    assert.deepEqual(settings.severity, { ASYNC251: "warning" });
  });

  it("wraps the same keys under asyncPatterns for didChangeConfiguration", () => {
    assert.deepEqual(didChangeConfigurationSettings(reader({ select: ["AP"] })), { asyncPatterns: { select: ["AP"] } });
  });

  it("turns off the server's snippet completions at start, since VS Code has the manifest's", () => {
    assert.deepEqual(initializationOptions(reader({ severity: { AP101: "hint" } })), {
      severity: { AP101: "hint" },
      snippetCompletions: false,
    });
  });
});

describe("classifyConfigurationChange", () => {
  const touching = (...keys: string[]) => (key: string) => keys.includes(key);

  it("restarts when the interpreter or enable changes", () => {
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.interpreter")), "restart");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.enable", "asyncPatterns.select")), "restart");
  });

  it("names the restart settings a change touched, for the log", () => {
    assert.deepEqual(restartSettingsChanged(touching("asyncPatterns.interpreter", "asyncPatterns.select")), ["interpreter"]);
    assert.deepEqual(restartSettingsChanged(touching("asyncPatterns.enable", "asyncPatterns.interpreter")), ["enable", "interpreter"]);
    assert.deepEqual(restartSettingsChanged(touching("asyncPatterns.severity")), []);
  });

  it("notifies the running server when only rule settings change", () => {
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.severity")), "notify");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.extraBlockingCalls")), "notify");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.perFileIgnores")), "notify");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.threadDecorators")), "notify");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.libraryCatalogues")), "notify");
  });

  it("ignores other sections and the trace setting", () => {
    assert.equal(classifyConfigurationChange(touching("editor.fontSize")), "none");
    assert.equal(classifyConfigurationChange(touching("asyncPatterns.trace.server")), "none");
  });
});
