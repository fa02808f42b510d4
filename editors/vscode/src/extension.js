// @ts-check
// The extension: starts `protocol lsp` (the language server) over stdio for .trial
// files, and the live preview of the protocol document.  The language itself
// (diagnostics, hover, completion, …) is the server's; this file only finds the
// right `protocol` command and connects the editor to it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");
const locate = require("./locate");
const { Previews } = require("./preview");

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel} */
let output;
/** The extension's version: the `protocol` it runs must have the same major and minor. */
let version = "0.0.0";

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel("Trial protocols");
  version = context.extension.packageJSON.version;
  const previews = new Previews(output, resolveProtocol);
  context.subscriptions.push(
    output,
    previews,
    vscode.commands.registerCommand("protocol.preview", () => previews.open(false)),
    vscode.commands.registerCommand("protocol.previewInBrowser", () => previews.open(true)),
    vscode.commands.registerCommand("protocol.restartServer", () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("protocol.path")) restart(context);
    }),
  );
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
  client = undefined;
}

/**
 * The `protocol` command to run, checked; undefined after telling the writer why not.
 * @returns {Promise<string | undefined>}
 */
async function resolveProtocol() {
  const setting = vscode.workspace.getConfiguration("protocol").get("path", "");
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const where = {
    setting,
    folders,
    envPath: process.env.PATH ?? "",
    platform: process.platform,
    pathExt: process.env.PATHEXT,
    home: process.env.HOME ?? process.env.USERPROFILE,
  };
  const choice = await locate.chooseProtocol(where, version);
  if ("problem" in choice) {
    if (choice.answer !== undefined) output.appendLine(`protocol --version: ${choice.answer}`);
    await complain(choice.problem);
    return undefined;
  }
  const { found, answer } = choice;
  output.appendLine(`Using ${found.path} (${found.origin}): ${answer}`);
  return found.path;
}

/** @param {string} message */
async function complain(message) {
  output.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, "Open settings", "Show log");
  if (choice === "Open settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "protocol.path");
  } else if (choice === "Show log") {
    output.show();
  }
}

/** @param {vscode.ExtensionContext} context */
async function start(context) {
  const command = await resolveProtocol();
  if (!command) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  /** @type {import("vscode-languageclient/node").ServerOptions} */
  const server = { command, args: ["lsp"], transport: TransportKind.stdio, options: { cwd: folder } };
  /** @type {import("vscode-languageclient/node").LanguageClientOptions} */
  const options = {
    documentSelector: [
      { scheme: "file", language: "trial" },
      { scheme: "untitled", language: "trial" },
    ],
    outputChannel: output,
    // a library changed on disk (`use "lib/…"`) re-checks the specs that use it
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.trial") },
  };
  client = new LanguageClient("protocol", "Trial protocols", server, options);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    await complain(`The language server (${command} lsp) did not start: ${error instanceof Error ? error.message : error}`);
    return;
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

/** @param {vscode.ExtensionContext} context */
async function restart(context) {
  const running = client;
  client = undefined;
  if (running) await running.stop();
  await start(context);
}

module.exports = { activate, deactivate };
