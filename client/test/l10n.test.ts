import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

// Built tests run from client/out/test; the sources and manifests sit at the repository root.
const root = path.resolve(__dirname, "..", "..", "..");
const readJson = (relative: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, relative), "utf8"));

describe("localisation", () => {
  it("translates every runtime string of the client into Japanese", () => {
    const sources = path.join(root, "client", "src");
    const source = readdirSync(sources)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => readFileSync(path.join(sources, name), "utf8"))
      .join("\n");
    const used = [...source.matchAll(/l10n\.t\(\s*"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`));
    assert.ok(used.length > 0);
    assert.deepEqual(new Set(Object.keys(readJson("l10n/bundle.l10n.ja.json"))), new Set(used));
  });

  it("has every manifest placeholder in English and Japanese", () => {
    const manifest = readFileSync(path.join(root, "package.json"), "utf8");
    const placeholders = new Set([...manifest.matchAll(/"%([\w.]+)%"/g)].map((match) => match[1]));
    assert.deepEqual(new Set(Object.keys(readJson("package.nls.json"))), placeholders);
    assert.deepEqual(new Set(Object.keys(readJson("package.nls.ja.json"))), placeholders);
  });

  it("gives every setting a scope and a description", () => {
    const manifest = readJson("package.json") as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), [
      "asyncPatterns.enable",
      "asyncPatterns.extendIgnore",
      "asyncPatterns.extendSelect",
      "asyncPatterns.extraBlockingCalls",
      "asyncPatterns.ignore",
      "asyncPatterns.interpreter",
      "asyncPatterns.libraryCatalogues",
      "asyncPatterns.perFileIgnores",
      "asyncPatterns.select",
      "asyncPatterns.severity",
      "asyncPatterns.threadDecorators",
      "asyncPatterns.trace.server",
    ]);
    // In a remote window (SSH, WSL, containers, code-server) `machine` and `machine-overridable`
    // settings are not read from the User settings, where users put their interpreter.
    assert.equal(properties["asyncPatterns.interpreter"].scope, "window");
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.scope, `${key} has no scope`);
      assert.ok(property.description ?? property.markdownDescription, `${key} has no description`);
    }
  });
});
