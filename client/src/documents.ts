import * as vscode from "vscode";

/** The command the server's hover links call to open a document bundled with the server. */
export const OPEN_DOCUMENT_COMMAND = "asyncPatterns.openDocument";

interface DocumentTarget {
  path: string;
  line: number;
}

/**
 * Opens a bundled Markdown document in the preview, scrolled to the heading's line: the source is
 * shown at that line first, and the preview opened from it starts where its editor was.
 */
export async function openBundledDocument(target: DocumentTarget): Promise<void> {
  if (typeof target?.path !== "string" || !target.path.endsWith(".md")) {
    return;
  }
  const uri = vscode.Uri.file(target.path);
  const line = Number.isInteger(target.line) && target.line > 0 ? target.line : 0;
  const heading = new vscode.Range(line, 0, line, 0);
  const editor = await vscode.window.showTextDocument(uri, { selection: heading, preview: true });
  editor.revealRange(heading, vscode.TextEditorRevealType.AtTop);
  await vscode.commands.executeCommand("markdown.showPreview", uri);
}
