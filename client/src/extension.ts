import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { chooseInterpreter, effectiveInterpreterSetting, formatVersion, InterpreterChoice, InterpreterSetting, MINIMUM_PYTHON, ProbeResult, pythonsWithWheels } from "./interpreter";
import { activePythonExtensionExecutable, onPythonExtensionInterpreterChange } from "./pythonExtension";
import { OPEN_DOCUMENT_COMMAND, openBundledDocument } from "./documents";
import { ensurePrivateEnvironment, EnvironmentSetupError, lastPipError, PrivateEnvironmentRequest, probeChoice } from "./pythonEnvironment";
import { classifyConfigurationChange, didChangeConfigurationSettings, initializationOptions, restartSettingsChanged, SETTINGS_SECTION } from "./settings";
import { registerStallCommands } from "./stallCommands";

const CLIENT_ID = "asyncPatterns";
const CLIENT_NAME = "Async Patterns";
const RESTART_DEBOUNCE_MS = 500;

let client: LanguageClient | undefined;
// The interpreter command the running server was started with (it has async_patterns).
let serverInterpreter: string[] | undefined;
let output: vscode.LogOutputChannel;
let extensionContext: vscode.ExtensionContext;
// Starts and stops run one after another, so a burst of setting changes never races two servers.
let lifecycle: Promise<void> = Promise.resolve();
let pendingRestart: NodeJS.Timeout | undefined;
// Set when the user agrees to fetch what the bundled wheels lack from the package index.
let packageIndexApproved = false;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("asyncPatterns.restart", () => enqueue("restart command")),
    vscode.commands.registerCommand("asyncPatterns.showOutput", () => output.show()),
    vscode.commands.registerCommand(OPEN_DOCUMENT_COMMAND, openBundledDocument),
    ...registerStallCommands({
      serverCommand: () => (client ? serverInterpreter : undefined),
      userInterpreter: async () => (await chosenInterpreter()).command,
      client: () => client,
    }),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.workspace.onDidGrantWorkspaceTrust(() => scheduleRestart("workspace trusted")),
    { dispose: () => clearTimeout(pendingRestart) },
  );
  const interpreterWatch = await onPythonExtensionInterpreterChange(() => scheduleRestart("Python extension interpreter changed"));
  if (interpreterWatch) {
    context.subscriptions.push(interpreterWatch);
  }
  // Not awaited: building the private environment can take a while and must not hold up activation.
  void enqueue("activation");
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
  const affects = (key: string) => event.affectsConfiguration(key);
  const change = classifyConfigurationChange(affects);
  if (change === "restart") {
    scheduleRestart(`${restartSettingsChanged(affects).map((key) => `${SETTINGS_SECTION}.${key}`).join(" and ")} changed`);
  } else if (change === "notify" && client?.isRunning()) {
    const settings = didChangeConfigurationSettings(userSetValue);
    output.info(`Sending settings: ${JSON.stringify(settings)}`);
    void client.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }
}

function scheduleRestart(reason: string): void {
  clearTimeout(pendingRestart);
  pendingRestart = setTimeout(() => void enqueue(reason), RESTART_DEBOUNCE_MS);
}

function enqueue(reason: string): Promise<void> {
  lifecycle = lifecycle.then(() => restartServer(reason)).catch((error: unknown) => output.error(String(error)));
  return lifecycle;
}

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, vscode.workspace.workspaceFolders?.[0]);
}

/** A setting's value where the user set it, else undefined (its default is not the user's word). */
function userSetValue(key: string): unknown {
  const inspected = configuration().inspect(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

async function restartServer(reason: string): Promise<void> {
  output.info(`(Re)starting the server: ${reason}`);
  await stopServer();
  if (!configuration().get<boolean>("enable", true)) {
    output.info("asyncPatterns.enable is false; the server stays stopped.");
    return;
  }
  const command = await serverCommand();
  if (!command) {
    return;
  }
  serverInterpreter = command;
  const serverOptions: ServerOptions = {
    command: command[0],
    args: [...command.slice(1), "-m", "async_patterns", "server"],
    // Started outside the workspace with PYTHONSAFEPATH: `python -m` would otherwise put the
    // workspace first on sys.path, and a workspace `json.py` would run inside the server.
    options: { cwd: os.tmpdir(), env: { ...process.env, PYTHONUTF8: "1", PYTHONSAFEPATH: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      // Python cells of Jupyter notebooks: hover, code actions and completions; the server's
      // notebookDocumentSync sends the notebooks themselves instead of each cell's text.
      { notebook: "jupyter-notebook", language: "python" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: { ...initializationOptions(userSetValue), openDocumentCommand: OPEN_DOCUMENT_COMMAND },
    // Hover links to the bundled documents run our one command; no other command link is trusted.
    markdown: { isTrusted: { enabledCommands: [OPEN_DOCUMENT_COMMAND] } },
  };
  output.info(`Starting ${serverOptions.command} ${serverOptions.args?.join(" ")}`);
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    output.error(`The server did not start: ${String(error)}`);
    void offerHelp(vscode.l10n.t("Async Patterns: the language server did not start. See the output for details."));
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch((error: unknown) => output.warn(`Stopping the server: ${String(error)}`));
  }
}

async function chosenInterpreter(): Promise<InterpreterChoice> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const setting = effectiveInterpreterSetting(configuration().inspect<InterpreterSetting>("interpreter"), vscode.workspace.isTrusted);
  const fromPythonExtension = await activePythonExtensionExecutable(folder?.uri);
  return chooseInterpreter(setting, fromPythonExtension, { workspaceFolder: folder?.uri.fsPath, platform: process.platform });
}

/** The command (interpreter plus its arguments) that can run `-m async_patterns`, or undefined after telling the user why not. */
async function serverCommand(): Promise<string[] | undefined> {
  const choice = await chosenInterpreter();
  const { command, outcome } = await probeChoice(choice);
  const shown = command.join(" ");
  output.info(`Interpreter (${choice.source}): ${shown}`);
  switch (outcome.kind) {
    case "not-found": {
      if (choice.source === "setting") {
        void offerHelp(vscode.l10n.t("asyncPatterns.interpreter is set to {0}, which was not found. Correct the setting, or clear it to use the Python extension's interpreter or python3.", shown));
        return undefined;
      }
      const tried = [choice.command, ...choice.alternatives].map((each) => each.join(" ")).join(", ");
      void offerHelp(vscode.l10n.t("Python was not found ({0}). Install Python {1} or newer, or set asyncPatterns.interpreter.", tried, formatVersion(MINIMUM_PYTHON)));
      return undefined;
    }
    case "failed":
      output.error(outcome.detail);
      void offerHelp(
        choice.source === "setting"
          ? vscode.l10n.t("asyncPatterns.interpreter is set to {0}, which could not be run as Python. See the output for details, and correct or clear the setting.", shown)
          : vscode.l10n.t("Could not run {0}. See the output for details.", shown),
      );
      return undefined;
    case "too-old":
      void offerHelp(
        choice.source === "setting"
          ? vscode.l10n.t("asyncPatterns.interpreter is set to {0}, which is Python {1}; Async Patterns needs Python {2} or newer.", shown, formatVersion(outcome.probe.version), formatVersion(MINIMUM_PYTHON))
          : vscode.l10n.t("{0} is Python {1}; Async Patterns needs Python {2} or newer.", outcome.probe.executable, formatVersion(outcome.probe.version), formatVersion(MINIMUM_PYTHON)),
      );
      return undefined;
    case "ok":
      if (outcome.probe.hasServer) {
        return command;
      }
      output.info(`${outcome.probe.executable} has no async_patterns; using the extension's private environment.`);
      return installIntoPrivateEnvironment(outcome.probe);
  }
}

async function installIntoPrivateEnvironment(base: ProbeResult): Promise<string[] | undefined> {
  const request: PrivateEnvironmentRequest = {
    baseExecutable: base.executable,
    storageDirectory: extensionContext.globalStorageUri.fsPath,
    wheelsDirectory: path.join(extensionContext.extensionPath, "client", "out", "wheels"),
    extensionVersion: String(extensionContext.extension.packageJSON.version),
    platform: process.platform,
    source: packageIndexApproved ? "index" : "bundled",
    log: (message: string) => output.info(message),
  };
  const title =
    request.source === "index"
      ? vscode.l10n.t("Async Patterns: installing the language server from the package index…")
      : vscode.l10n.t("Async Patterns: installing the language server…");
  try {
    const python = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => ensurePrivateEnvironment(request));
    return [python];
  } catch (error) {
    output.error(String(error));
    const setupError = error instanceof EnvironmentSetupError ? error : undefined;
    const bundledPythons = pythonsWithWheels(await fs.readdir(request.wheelsDirectory).catch(() => [])).join(", ") || "-";
    if (setupError?.step === "create-venv") {
      void offerHelp(vscode.l10n.t("Could not create a virtual environment with {0}. On Debian or Ubuntu, install the python3-venv package.", base.executable));
    } else if (setupError && request.source === "index") {
      void offerHelp(
        vscode.l10n.t(
          "Installing the language server from the package index failed: {0} Check the network and pip's index settings, or set asyncPatterns.interpreter to a Python this extension has wheels for ({1}).",
          lastPipError(setupError.detail),
          bundledPythons,
        ),
      );
    } else if (setupError?.missingDistribution) {
      void offerPackageIndex(
        vscode.l10n.t(
          "This extension has no {0} wheel for Python {1} on {2} (it has wheels for Python {3}). Install the language server's dependencies from the package index (PyPI) instead?",
          setupError.missingDistribution,
          formatVersion(base.version),
          `${process.platform}-${process.arch}`,
          bundledPythons,
        ),
      );
    } else {
      const detail = setupError ? lastPipError(setupError.detail) : String(error);
      void offerHelp(vscode.l10n.t("Could not install the language server into a private environment: {0} See the output for the full log.", detail));
    }
    return undefined;
  }
}

/** Asks without holding up the lifecycle queue; a yes restarts the server with the index allowed. */
async function offerPackageIndex(message: string): Promise<void> {
  const install = vscode.l10n.t("Install from PyPI");
  const showOutput = vscode.l10n.t("Show Output");
  const picked = await vscode.window.showWarningMessage(message, install, showOutput);
  if (picked === install) {
    packageIndexApproved = true;
    void enqueue("installing from the package index");
  } else if (picked === showOutput) {
    output.show();
  }
}

async function offerHelp(message: string): Promise<void> {
  const openSettings = vscode.l10n.t("Open Settings");
  const showOutput = vscode.l10n.t("Show Output");
  const picked = await vscode.window.showErrorMessage(message, openSettings, showOutput);
  if (picked === openSettings) {
    // `@id:` shows the one setting, not every setting whose text mentions the words.
    await vscode.commands.executeCommand("workbench.action.openSettings", `@id:${SETTINGS_SECTION}.interpreter`);
  } else if (picked === showOutput) {
    output.show();
  }
}
