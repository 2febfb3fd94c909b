// Pure interpreter selection: which Python command starts the server. No vscode import, so node's
// test runner can exercise every branch.
import * as os from "node:os";
import * as path from "node:path";

// The oldest supported Python; tests/test_supported_pythons.py keeps it equal to pyproject.toml's.
export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];

/**
 * What runs the server when nothing is configured, tried in order until one exists. Windows has
 * no python3 on PATH as a rule; the py launcher that python.org's installer adds picks the newest
 * Python 3, and python.exe is on PATH when the user asked for it.
 */
export function defaultInterpreterCommands(platform: NodeJS.Platform): string[][] {
  return platform === "win32" ? [["py", "-3"], ["python"]] : [["python3"]];
}

export type InterpreterSource = "setting" | "python-extension" | "default";

export interface InterpreterChoice {
  /** Executable followed by any arguments the user gave, e.g. ["/usr/bin/python3", "-X", "utf8"]. */
  command: string[];
  source: InterpreterSource;
  /** Commands to try, in order, when `command` does not exist (only for the default). */
  alternatives: string[][];
}

/** The shape of `WorkspaceConfiguration.inspect("interpreter")`, reduced to what trust needs. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export type InterpreterSetting = string | string[] | undefined;

/**
 * The interpreter setting VS Code would resolve, except that in an untrusted workspace the
 * workspace and folder values are dropped: a cloned repository must not choose what we execute.
 */
export function effectiveInterpreterSetting(
  inspected: InspectedSetting<InterpreterSetting> | undefined,
  workspaceIsTrusted: boolean,
): InterpreterSetting {
  if (!inspected) {
    return undefined;
  }
  if (workspaceIsTrusted) {
    return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue ?? inspected.defaultValue;
  }
  return inspected.globalValue ?? inspected.defaultValue;
}

export interface VariableContext {
  workspaceFolder?: string;
  userHome?: string;
  platform?: NodeJS.Platform;
}

/** The path functions of a platform, so Windows paths are handled alike wherever the tests run. */
export function pathsOf(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** Expands `${workspaceFolder}`, `${userHome}` and a leading `~` the way users expect in paths. */
export function expandVariables(value: string, context: VariableContext): string {
  const userHome = context.userHome ?? os.homedir();
  const platform = context.platform ?? process.platform;
  let expanded = value.replace(/\$\{userHome\}/g, userHome);
  if (context.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/") || (platform === "win32" && expanded.startsWith("~\\"))) {
    expanded = pathsOf(platform).join(userHome, expanded.slice(1));
  }
  return expanded;
}

/** Normalises the setting (a path or a command line as a list) to a non-empty command, or undefined. */
export function commandFromSetting(setting: InterpreterSetting, context: VariableContext): string[] | undefined {
  const parts = (typeof setting === "string" ? [setting] : setting ?? [])
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => expandVariables(part, context));
  return parts.length > 0 ? parts : undefined;
}

export function chooseInterpreter(
  setting: InterpreterSetting,
  pythonExtensionExecutable: string | undefined,
  context: VariableContext,
): InterpreterChoice {
  const fromSetting = commandFromSetting(setting, context);
  if (fromSetting) {
    return { command: fromSetting, source: "setting", alternatives: [] };
  }
  if (pythonExtensionExecutable && pythonExtensionExecutable.trim().length > 0) {
    return { command: [pythonExtensionExecutable], source: "python-extension", alternatives: [] };
  }
  const [first, ...alternatives] = defaultInterpreterCommands(context.platform ?? process.platform);
  return { command: first, source: "default", alternatives };
}

/**
 * Prints what the client needs to know about an interpreter as one JSON line. Importing the
 * package (not just finding it) catches a half-installed server whose dependencies are missing.
 */
export const PROBE_SCRIPT = [
  "import json, sys",
  "try:",
  "    import async_patterns",
  "    has_server = True",
  "except Exception:",
  "    has_server = False",
  "print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable, 'hasServer': has_server}))",
].join("\n");

export interface ProbeResult {
  version: [number, number, number];
  executable: string;
  hasServer: boolean;
}

export function parseProbeOutput(stdout: string): ProbeResult | undefined {
  const lastLine = stdout.trim().split(/\r?\n/).pop() ?? "";
  try {
    const parsed: unknown = JSON.parse(lastLine);
    if (!isProbeResult(parsed)) {
      return undefined;
    }
    return parsed;
  } catch {
    return undefined;
  }
}

function isProbeResult(value: unknown): value is ProbeResult {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return (
    Array.isArray(candidate.version) &&
    candidate.version.length === 3 &&
    candidate.version.every((part) => typeof part === "number") &&
    typeof candidate.executable === "string" &&
    typeof candidate.hasServer === "boolean"
  );
}

export function isSupportedVersion(version: readonly number[]): boolean {
  const [major, minor] = version;
  return major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1]);
}

export function formatVersion(version: readonly number[]): string {
  return version.join(".");
}

/** Python inside a venv, on the platform's layout. */
export function venvPython(venvDirectory: string, platform: NodeJS.Platform): string {
  return platform === "win32"
    ? path.win32.join(venvDirectory, "Scripts", "python.exe")
    : path.posix.join(venvDirectory, "bin", "python");
}

/**
 * The Python versions a folder of wheels has compiled wheels for ("3.12"), oldest first. The build
 * bundles a version's wheels only when all of them exist, so one compiled wheel stands for all.
 */
export function pythonsWithWheels(wheelFileNames: readonly string[]): string[] {
  const versions = new Set<string>();
  for (const fileName of wheelFileNames) {
    const tag = /-cp(\d)(\d+)-[^-]+-[^-]+\.whl$/.exec(fileName);
    if (tag && !fileName.endsWith("-none-any.whl")) {
      versions.add(`${tag[1]}.${tag[2]}`);
    }
  }
  const numbers = (version: string) => version.split(".").map(Number);
  return [...versions].sort((a, b) => numbers(a)[0] - numbers(b)[0] || numbers(a)[1] - numbers(b)[1]);
}
