// The two stall commands: "Run Current File with Stall Detection" and "Clear Recorded Stalls".
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient } from "vscode-languageclient/node";
import { CLEAR_RECORDED_STALLS, clearedCount, isRunnableDocument, runWithStallDetection } from "./stalls";

export interface StallCommandContext {
  /** The command that runs the server's interpreter (it has async_patterns), once the server started. */
  serverCommand(): string[] | undefined;
  /** The user's interpreter, which runs their program. */
  userInterpreter(): Promise<string[]>;
  client(): LanguageClient | undefined;
}

export function registerStallCommands(context: StallCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("asyncPatterns.runWithStallDetection", () => runCurrentFile(context)),
    vscode.commands.registerCommand("asyncPatterns.clearRecordedStalls", () => clearRecordedStalls(context)),
  ];
}

async function runCurrentFile(context: StallCommandContext): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || !isRunnableDocument(document.languageId, document.uri.scheme)) {
    void vscode.window.showWarningMessage(vscode.l10n.t("Open a Python file saved on disk to run it with stall detection."));
    return;
  }
  const server = context.serverCommand();
  if (!server) {
    void vscode.window.showErrorMessage(vscode.l10n.t("The Async Patterns server is not running, so stall detection is not available."));
    return;
  }
  // The record identifies lines by their text on disk: run what the editor shows.
  if (document.isDirty && !(await document.save())) {
    return;
  }
  const plan = runWithStallDetection(
    server,
    await context.userInterpreter(),
    document.uri.fsPath,
    vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
  );
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t("Async Patterns: stall detection"), ...plan });
  terminal.show();
}

async function clearRecordedStalls(context: StallCommandContext): Promise<void> {
  const client = context.client();
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage(vscode.l10n.t("The Async Patterns server is not running, so stall detection is not available."));
    return;
  }
  const cleared = clearedCount(await client.sendRequest(ExecuteCommandRequest.type, { command: CLEAR_RECORDED_STALLS, arguments: [] }));
  void vscode.window.showInformationMessage(
    cleared ? vscode.l10n.t("Cleared the recorded loop stalls ({0} record files).", cleared) : vscode.l10n.t("There were no recorded loop stalls to clear."),
  );
}
