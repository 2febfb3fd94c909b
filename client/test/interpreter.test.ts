import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseInterpreter,
  commandFromSetting,
  defaultInterpreterCommands,
  effectiveInterpreterSetting,
  expandVariables,
  isSupportedVersion,
  parseProbeOutput,
  pythonsWithWheels,
  venvPython,
} from "../src/interpreter";

const context = { workspaceFolder: "/work/project", userHome: "/home/ada", platform: "linux" as const };
const windows = { workspaceFolder: "C:\\Users\\Ada Lovelace\\project", userHome: "C:\\Users\\Ada Lovelace", platform: "win32" as const };

describe("chooseInterpreter", () => {
  it("prefers the setting over the Python extension", () => {
    assert.deepEqual(chooseInterpreter("/opt/py/bin/python", "/usr/bin/python3.12", context), {
      command: ["/opt/py/bin/python"],
      source: "setting",
      alternatives: [],
    });
  });

  it("keeps the arguments of a command-line setting", () => {
    assert.deepEqual(chooseInterpreter(["${workspaceFolder}/.venv/bin/python", "-X", "utf8"], undefined, context).command, [
      "/work/project/.venv/bin/python",
      "-X",
      "utf8",
    ]);
  });

  it("falls back to the Python extension when the setting is empty", () => {
    assert.deepEqual(chooseInterpreter([], "/usr/bin/python3.12", context), {
      command: ["/usr/bin/python3.12"],
      source: "python-extension",
      alternatives: [],
    });
    assert.equal(chooseInterpreter("  ", "/usr/bin/python3.12", context).source, "python-extension");
  });

  it("falls back to python3 on Linux and macOS without a setting or the Python extension", () => {
    assert.deepEqual(chooseInterpreter(undefined, undefined, context), { command: ["python3"], source: "default", alternatives: [] });
    assert.deepEqual(chooseInterpreter([""], "", { ...context, platform: "darwin" }), { command: ["python3"], source: "default", alternatives: [] });
  });

  it("falls back to the py launcher, then python, on Windows", () => {
    assert.deepEqual(chooseInterpreter(undefined, undefined, windows), { command: ["py", "-3"], source: "default", alternatives: [["python"]] });
    assert.deepEqual(defaultInterpreterCommands("win32"), [["py", "-3"], ["python"]]);
  });

  it("keeps a Windows path with spaces as one argument", () => {
    assert.deepEqual(chooseInterpreter(["${workspaceFolder}\\.venv\\Scripts\\python.exe", "-X", "utf8"], undefined, windows).command, [
      "C:\\Users\\Ada Lovelace\\project\\.venv\\Scripts\\python.exe",
      "-X",
      "utf8",
    ]);
  });
});

describe("effectiveInterpreterSetting", () => {
  const inspected = {
    defaultValue: [],
    globalValue: ["/usr/bin/python3"],
    workspaceValue: ["./evil/python"],
    workspaceFolderValue: ["./folder/python"],
  };

  it("uses the most specific value in a trusted workspace", () => {
    assert.deepEqual(effectiveInterpreterSetting(inspected, true), ["./folder/python"]);
    assert.deepEqual(effectiveInterpreterSetting({ ...inspected, workspaceFolderValue: undefined }, true), ["./evil/python"]);
  });

  it("ignores workspace and folder values in an untrusted workspace", () => {
    assert.deepEqual(effectiveInterpreterSetting(inspected, false), ["/usr/bin/python3"]);
    assert.deepEqual(effectiveInterpreterSetting({ defaultValue: [], workspaceValue: "./evil/python" }, false), []);
  });

  it("handles a setting VS Code does not know", () => {
    assert.equal(effectiveInterpreterSetting(undefined, true), undefined);
  });
});

describe("expandVariables", () => {
  it("expands the home directory and the workspace folder", () => {
    assert.equal(expandVariables("~/venv/bin/python", context), "/home/ada/venv/bin/python");
    assert.equal(expandVariables("${userHome}/py", context), "/home/ada/py");
    assert.equal(expandVariables("${workspaceFolder}/py", context), "/work/project/py");
  });

  it("expands ~\\ on Windows only", () => {
    assert.equal(expandVariables("~\\venvs\\py\\Scripts\\python.exe", windows), "C:\\Users\\Ada Lovelace\\venvs\\py\\Scripts\\python.exe");
    assert.equal(expandVariables("~/venvs/py/bin/python", { ...context, platform: "darwin", userHome: "/Users/Ada Lovelace" }), "/Users/Ada Lovelace/venvs/py/bin/python");
    assert.equal(expandVariables("~\\py", context), "~\\py");
  });

  it("leaves ${workspaceFolder} alone when no folder is open, and a ~ inside a path", () => {
    assert.equal(expandVariables("${workspaceFolder}/py", { userHome: "/home/ada" }), "${workspaceFolder}/py");
    assert.equal(expandVariables("/opt/~user/python", context), "/opt/~user/python");
  });

  it("accepts a string or a list", () => {
    assert.deepEqual(commandFromSetting("python3.11", context), ["python3.11"]);
    assert.equal(commandFromSetting([" ", ""], context), undefined);
  });
});

describe("probe output", () => {
  it("parses the probe's last line", () => {
    const stdout = 'a warning\n{"version": [3, 11, 2], "executable": "/usr/bin/python3.11", "hasServer": false}\n';
    assert.deepEqual(parseProbeOutput(stdout), { version: [3, 11, 2], executable: "/usr/bin/python3.11", hasServer: false });
  });

  it("rejects anything else", () => {
    assert.equal(parseProbeOutput(""), undefined);
    assert.equal(parseProbeOutput("Python 3.11.2"), undefined);
    assert.equal(parseProbeOutput('{"version": [3, 11], "executable": "x", "hasServer": true}'), undefined);
  });

  it("accepts Python 3.10 and newer", () => {
    assert.equal(isSupportedVersion([3, 10, 0]), true);
    assert.equal(isSupportedVersion([3, 13, 1]), true);
    assert.equal(isSupportedVersion([4, 0, 0]), true);
    assert.equal(isSupportedVersion([3, 9, 18]), false);
    assert.equal(isSupportedVersion([2, 7, 18]), false);
  });

  it("finds the venv's Python on each platform", () => {
    assert.equal(venvPython("/s/env", "linux"), "/s/env/bin/python");
    assert.equal(venvPython("/Users/Ada Lovelace/Library/env", "darwin"), "/Users/Ada Lovelace/Library/env/bin/python");
    assert.equal(venvPython("C:\\Users\\Ada Lovelace\\env", "win32"), "C:\\Users\\Ada Lovelace\\env\\Scripts\\python.exe");
  });
});

describe("pythonsWithWheels", () => {
  it("lists the Pythons with compiled wheels, oldest first", () => {
    const wheels = [
      "libcst-1.9.0-cp314-cp314-win_arm64.whl",
      "pyyaml-6.0.4-cp312-cp312-win_arm64.whl",
      "libcst-1.9.0-cp312-cp312-win_arm64.whl",
      "pyyaml-6.0.4-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl",
      "pygls-2.1.1-py3-none-any.whl",
    ];
    assert.deepEqual(pythonsWithWheels(wheels), ["3.10", "3.12", "3.14"]);
  });

  it("finds none in a folder of pure-Python wheels", () => {
    assert.deepEqual(pythonsWithWheels(["python_async_patterns-0.1.0-py3-none-any.whl", "tomli-2.5.0-py3-none-any.whl"]), []);
  });
});
