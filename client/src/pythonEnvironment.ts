// Runs Python: probes an interpreter and builds the private server environment from the wheels
// shipped in the .vsix. Uses node's child_process only (no vscode), so it can be tested directly.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import { InterpreterChoice, isSupportedVersion, parseProbeOutput, pathsOf, PROBE_SCRIPT, ProbeResult, venvPython } from "./interpreter";

export const SERVER_DISTRIBUTION = "python-async-patterns";

export type ProbeOutcome =
  | { kind: "ok"; probe: ProbeResult }
  | { kind: "too-old"; probe: ProbeResult }
  | { kind: "not-found" }
  | { kind: "failed"; detail: string };

export class EnvironmentSetupError extends Error {
  /** The distribution pip found no fitting wheel for, when that is what failed. */
  readonly missingDistribution: string | undefined;

  constructor(
    readonly step: "create-venv" | "install-wheels",
    readonly detail: string,
  ) {
    super(`${step} failed: ${detail}`);
    this.missingDistribution = step === "install-wheels" ? missingDistribution(detail) : undefined;
  }
}

/** The project pip could not find a fitting distribution for, from its error output. */
export function missingDistribution(pipOutput: string): string | undefined {
  return /No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(pipOutput)?.[1];
}

/** pip's last ERROR line (what failed, in its words), else its last line. */
export function lastPipError(pipOutput: string): string {
  const lines = pipOutput.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  return [...lines].reverse().find((line) => line.startsWith("ERROR:")) ?? lines[lines.length - 1] ?? "";
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

/** Probes the chosen command, then its alternatives while the command so far does not exist. */
export async function probeChoice(choice: InterpreterChoice): Promise<{ command: string[]; outcome: ProbeOutcome }> {
  let tried = { command: choice.command, outcome: await probeInterpreter(choice.command) };
  for (const alternative of choice.alternatives) {
    if (tried.outcome.kind !== "not-found") {
      break;
    }
    tried = { command: alternative, outcome: await probeInterpreter(alternative) };
  }
  return tried;
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
  platform: NodeJS.Platform;
  /**
   * "bundled": the wheels shipped in the extension only, offline, without the user's pip settings.
   * "index": our own wheel from the extension, its dependencies from the package index the user's
   * pip settings name (PyPI unless configured), for platforms and Pythons without bundled wheels.
   */
  source: "bundled" | "index";
  log: (message: string) => void;
}

export interface PrivateEnvironmentPlan {
  venvDirectory: string;
  python: string;
  stampFile: string;
  createVenv: string[];
  install: string[];
  installEnvironment: NodeJS.ProcessEnv;
}

/** Where the environment goes and the commands that build it, on the request's platform. */
export function privateEnvironmentPlan(request: PrivateEnvironmentRequest, environment: NodeJS.ProcessEnv = process.env): PrivateEnvironmentPlan {
  const paths = pathsOf(request.platform);
  const venvDirectory = paths.join(request.storageDirectory, "server-env");
  const python = venvPython(venvDirectory, request.platform);
  const fromIndex = request.source === "index";
  return {
    venvDirectory,
    python,
    stampFile: paths.join(venvDirectory, STAMP_FILE),
    createVenv: [request.baseExecutable, "-m", "venv", venvDirectory],
    install: [python, "-m", "pip", "install", "--no-input", ...(fromIndex ? [] : ["--no-index"]), "--find-links", request.wheelsDirectory, SERVER_DISTRIBUTION],
    installEnvironment: fromIndex ? environment : isolatedPipEnvironment(environment),
  };
}

/**
 * Returns the Python of a venv under the extension's storage that has the server installed,
 * creating it when missing or stale. From the bundled wheels it installs with `--no-index` and
 * without the user's pip configuration, so it works offline and installs exactly what shipped.
 */
export async function ensurePrivateEnvironment(request: PrivateEnvironmentRequest): Promise<string> {
  const plan = privateEnvironmentPlan(request);
  const wanted: EnvironmentStamp = { baseExecutable: request.baseExecutable, extensionVersion: request.extensionVersion };
  if (await stampMatches(plan.stampFile, wanted)) {
    return plan.python;
  }
  request.log(`Creating ${plan.venvDirectory} from ${request.baseExecutable}`);
  await fs.rm(plan.venvDirectory, { recursive: true, force: true });
  await fs.mkdir(request.storageDirectory, { recursive: true });
  const created = await run(plan.createVenv);
  if (created.exitCode !== 0) {
    throw new EnvironmentSetupError("create-venv", (created.stderr || created.stdout).trim());
  }
  request.log(`Installing: ${plan.install.join(" ")}`);
  const installed = await run(plan.install, plan.installEnvironment);
  request.log(installed.stdout.trim());
  if (installed.exitCode !== 0) {
    throw new EnvironmentSetupError("install-wheels", installed.stderr.trim());
  }
  // Written last: an interrupted install leaves no stamp and is rebuilt next time.
  await fs.writeFile(plan.stampFile, JSON.stringify(wanted));
  return plan.python;
}

/** The environment without the user's pip configuration (PIP_* variables and config files). */
export function isolatedPipEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const isolated = Object.fromEntries(Object.entries(environment).filter(([name]) => !name.toUpperCase().startsWith("PIP_")));
  return { ...isolated, PIP_CONFIG_FILE: os.devNull, PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

async function stampMatches(stampFile: string, wanted: EnvironmentStamp): Promise<boolean> {
  try {
    const stamp = JSON.parse(await fs.readFile(stampFile, "utf8")) as EnvironmentStamp;
    return stamp.baseExecutable === wanted.baseExecutable && stamp.extensionVersion === wanted.extensionVersion;
  } catch {
    return false;
  }
}
