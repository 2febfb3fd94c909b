import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { chooseInterpreter, effectiveInterpreterSetting, formatVersion, InterpreterChoice, InterpreterSetting, MINIMUM_PYTHON } from "./interpreter";
import { activePythonExtensionExecutable, onPythonExtensionInterpreterChange } from "./pythonExtension";
import { ensurePrivateEnvironment, EnvironmentSetupError, probeInterpreter } from "./pythonEnvironment";
import { classifyConfigurationChange, didChangeConfigurationSettings, initializationOptions, SETTINGS_SECTION } from "./settings";

const CLIENT_ID = "asyncPatterns";
const CLIENT_NAME = "Async Patterns";
const RESTART_DEBOUNCE_MS = 500;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let extensionContext: vscode.ExtensionContext;
// Starts and stops run one after another, so a burst of setting changes never races two servers.
let lifecycle: Promise<void> = Promise.resolve();
let pendingRestart: NodeJS.Timeout | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("asyncPatterns.restart", () => enqueue("restart command")),
    vscode.commands.registerCommand("asyncPatterns.showOutput", () => output.show()),
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
  const change = classifyConfigurationChange((key) => event.affectsConfiguration(key));
  if (change === "restart") {
    scheduleRestart("settings changed");
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
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: initializationOptions(userSetValue),
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
  return chooseInterpreter(setting, fromPythonExtension, { workspaceFolder: folder?.uri.fsPath });
}

/** The command (interpreter plus its arguments) that can run `-m async_patterns`, or undefined after telling the user why not. */
async function serverCommand(): Promise<string[] | undefined> {
  const choice = await chosenInterpreter();
  const shown = choice.command.join(" ");
  output.info(`Interpreter (${choice.source}): ${shown}`);
  const outcome = await probeInterpreter(choice.command);
  switch (outcome.kind) {
    case "not-found":
      void offerHelp(vscode.l10n.t("Python was not found ({0}). Install Python {1} or newer, or set asyncPatterns.interpreter.", shown, formatVersion(MINIMUM_PYTHON)));
      return undefined;
    case "failed":
      output.error(outcome.detail);
      void offerHelp(vscode.l10n.t("Could not run {0}. See the output for details.", shown));
      return undefined;
    case "too-old":
      void offerHelp(vscode.l10n.t("{0} is Python {1}; Async Patterns needs Python {2} or newer.", outcome.probe.executable, formatVersion(outcome.probe.version), formatVersion(MINIMUM_PYTHON)));
      return undefined;
    case "ok":
      if (outcome.probe.hasServer) {
        return choice.command;
      }
      output.info(`${outcome.probe.executable} has no async_patterns; using the extension's private environment.`);
      return installIntoPrivateEnvironment(outcome.probe.executable);
  }
}

async function installIntoPrivateEnvironment(baseExecutable: string): Promise<string[] | undefined> {
  const request = {
    baseExecutable,
    storageDirectory: extensionContext.globalStorageUri.fsPath,
    wheelsDirectory: path.join(extensionContext.extensionPath, "client", "out", "wheels"),
    extensionVersion: String(extensionContext.extension.packageJSON.version),
    log: (message: string) => output.info(message),
  };
  try {
    const python = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("Async Patterns: installing the language server…") },
      () => ensurePrivateEnvironment(request),
    );
    return [python];
  } catch (error) {
    output.error(String(error));
    const message =
      error instanceof EnvironmentSetupError && error.step === "create-venv"
        ? vscode.l10n.t("Could not create a virtual environment with {0}. On Debian or Ubuntu, install the python3-venv package.", baseExecutable)
        : vscode.l10n.t("Could not install the language server into a private environment. Install python-async-patterns into your interpreter, or see the output.");
    void offerHelp(message);
    return undefined;
  }
}

async function offerHelp(message: string): Promise<void> {
  const openSettings = vscode.l10n.t("Open Settings");
  const showOutput = vscode.l10n.t("Show Output");
  const picked = await vscode.window.showErrorMessage(message, openSettings, showOutput);
  if (picked === openSettings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", `${SETTINGS_SECTION}.interpreter`);
  } else if (picked === showOutput) {
    output.show();
  }
}
