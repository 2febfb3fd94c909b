// Runs Python: probes an interpreter and builds the private server environment from the wheels
// shipped in the .vsix. Uses node's child_process only (no vscode), so it can be tested directly.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isSupportedVersion, parseProbeOutput, PROBE_SCRIPT, ProbeResult, venvPython } from "./interpreter";

export const SERVER_DISTRIBUTION = "python-async-patterns";

export type ProbeOutcome =
  | { kind: "ok"; probe: ProbeResult }
  | { kind: "too-old"; probe: ProbeResult }
  | { kind: "not-found" }
  | { kind: "failed"; detail: string };

export class EnvironmentSetupError extends Error {
  constructor(
    readonly step: "create-venv" | "install-wheels",
    readonly detail: string,
  ) {
    super(`${step} failed: ${detail}`);
  }
}

interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Rejects with the spawn error (ENOENT when the executable does not exist). Runs outside the
 * workspace with PYTHONSAFEPATH, so `python -c` never imports a workspace file such as `json.py`.
 */
function run(command: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: os.tmpdir(),
      env: { ...env, PYTHONSAFEPATH: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

export async function probeInterpreter(command: readonly string[]): Promise<ProbeOutcome> {
  let result: RunResult;
  try {
    result = await run([...command, "-c", PROBE_SCRIPT]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { kind: "not-found" };
    }
    return { kind: "failed", detail: String(error) };
  }
  const probe = parseProbeOutput(result.stdout);
  if (result.exitCode !== 0 || !probe) {
    return { kind: "failed", detail: (result.stderr || result.stdout).trim() || `exit code ${result.exitCode}` };
  }
  return isSupportedVersion(probe.version) ? { kind: "ok", probe } : { kind: "too-old", probe };
}

/** What the environment was built from; a different base interpreter or extension version rebuilds it. */
interface EnvironmentStamp {
  baseExecutable: string;
  extensionVersion: string;
}

const STAMP_FILE = "async-patterns-environment.json";

export interface PrivateEnvironmentRequest {
  baseExecutable: string;
  storageDirectory: string;
  wheelsDirectory: string;
  extensionVersion: string;
  log: (message: string) => void;
}

/**
 * Returns the Python of a venv under the extension's storage that has the server installed,
 * creating it from the bundled wheels when missing or stale. Installs with `--no-index` and without
 * the user's pip configuration, so it works offline and installs exactly the wheels that shipped.
 */
export async function ensurePrivateEnvironment(request: PrivateEnvironmentRequest): Promise<string> {
  const venvDirectory = path.join(request.storageDirectory, "server-env");
  const python = venvPython(venvDirectory);
  const wanted: EnvironmentStamp = { baseExecutable: request.baseExecutable, extensionVersion: request.extensionVersion };
  if (await stampMatches(venvDirectory, wanted)) {
    return python;
  }
  request.log(`Creating ${venvDirectory} from ${request.baseExecutable}`);
  await fs.rm(venvDirectory, { recursive: true, force: true });
  await fs.mkdir(request.storageDirectory, { recursive: true });
  const created = await run([request.baseExecutable, "-m", "venv", venvDirectory]);
  if (created.exitCode !== 0) {
    throw new EnvironmentSetupError("create-venv", (created.stderr || created.stdout).trim());
  }
  const pipEnvironment = isolatedPipEnvironment(process.env);
  const installed = await run(
    [python, "-m", "pip", "install", "--no-input", "--no-index", "--find-links", request.wheelsDirectory, SERVER_DISTRIBUTION],
    pipEnvironment,
  );
  request.log(installed.stdout.trim());
  if (installed.exitCode !== 0) {
    throw new EnvironmentSetupError("install-wheels", installed.stderr.trim());
  }
  // Written last: an interrupted install leaves no stamp and is rebuilt next time.
  await fs.writeFile(path.join(venvDirectory, STAMP_FILE), JSON.stringify(wanted));
  return python;
}

/** The environment without the user's pip configuration (PIP_* variables and config files). */
export function isolatedPipEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const isolated = Object.fromEntries(Object.entries(environment).filter(([name]) => !name.toUpperCase().startsWith("PIP_")));
  return { ...isolated, PIP_CONFIG_FILE: os.devNull, PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

async function stampMatches(venvDirectory: string, wanted: EnvironmentStamp): Promise<boolean> {
  try {
    const stamp = JSON.parse(await fs.readFile(path.join(venvDirectory, STAMP_FILE), "utf8")) as EnvironmentStamp;
    return stamp.baseExecutable === wanted.baseExecutable && stamp.extensionVersion === wanted.extensionVersion;
  } catch {
    return false;
  }
}
