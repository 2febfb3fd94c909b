// What the stall commands do, decided without vscode so that it can be tested.
import * as path from "node:path";

/** The server's command that deletes the stall records it reads and clears their diagnostics. */
export const CLEAR_RECORDED_STALLS = "async-patterns.clearRecordedStalls";

/** A terminal that runs one program directly, without a shell: nothing in a path is interpreted. */
export interface TerminalPlan {
  shellPath: string;
  shellArgs: string[];
  cwd: string;
}

/**
 * `async-patterns run -- <interpreter> <file>`, started with the interpreter that has the server
 * (`server`), running the file with the user's interpreter (`interpreter`), in the workspace folder
 * that holds the file (else the file's folder): the record is written there, where the server looks.
 */
export function runWithStallDetection(
  server: readonly string[],
  interpreter: readonly string[],
  file: string,
  workspaceFolder: string | undefined,
): TerminalPlan {
  if (server.length === 0 || interpreter.length === 0) {
    throw new Error("an interpreter command is empty");
  }
  return {
    shellPath: server[0],
    shellArgs: [...server.slice(1), "-m", "async_patterns", "run", "--", ...interpreter, file],
    cwd: workspaceFolder ?? path.dirname(file),
  };
}

/** Only a Python file saved on disk can be run: the record names files by their paths. */
export function isRunnableDocument(languageId: string, scheme: string): boolean {
  return languageId === "python" && scheme === "file";
}

/** The server answers the clear command with how many records it deleted. */
export function clearedCount(answer: unknown): number {
  return typeof answer === "number" && Number.isInteger(answer) && answer > 0 ? answer : 0;
}
