// @ts-check
// The live preview of the protocol document: `protocol preview SPEC` runs for each
// previewed spec, its page is shown beside the spec (a webview framing it) or in the
// browser, and the cursor's line is sent to it so that it shows that declaration.
"use strict";

const vscode = require("vscode");
const http = require("node:http");
const path = require("node:path");
const { spawn } = require("node:child_process");

/** The first line `protocol preview` prints: "Previewing SPEC at URL". */
const ANNOUNCED = /^Previewing .* at (http:\/\/127\.0\.0\.1:\d+\/)\s*$/m;

class Previews {
  /**
   * @param {vscode.OutputChannel} output
   * @param {() => Promise<string | undefined>} resolveProtocol
   */
  constructor(output, resolveProtocol) {
    this.output = output;
    this.resolveProtocol = resolveProtocol;
    /** @type {Map<string, Running>} */
    this.running = new Map();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.pending = undefined;
    this.listener = vscode.window.onDidChangeTextEditorSelection((event) => this.follow(event));
  }

  /** @param {boolean} inBrowser */
  async open(inBrowser) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== "trial" || editor.document.uri.scheme !== "file") {
      await vscode.window.showInformationMessage("Open a saved .trial spec to preview its protocol document.");
      return;
    }
    const file = editor.document.uri.fsPath;
    let running = this.running.get(file);
    if (!running) {
      const command = await this.resolveProtocol();
      if (!command) return;
      try {
        running = await Running.start(command, file, this.output, () => this.running.delete(file));
      } catch (error) {
        await vscode.window.showErrorMessage(`The protocol preview did not start: ${error instanceof Error ? error.message : error}`);
        return;
      }
      this.running.set(file, running);
    }
    const line = editor.selection.active.line + 1;
    const page = vscode.Uri.parse(`${running.url}?line=${line}`);
    if (inBrowser) {
      await vscode.env.openExternal(page);
    } else {
      await running.show(page);
    }
  }

  /** @param {vscode.TextEditorSelectionChangeEvent} event */
  follow(event) {
    const running = this.running.get(event.textEditor.document.uri.fsPath);
    if (!running || !vscode.workspace.getConfiguration("protocol").get("preview.followCursor", true)) return;
    const line = event.selections[0].active.line + 1;
    // one request once the cursor rests, not one per key press
    clearTimeout(this.pending);
    this.pending = setTimeout(() => running.goTo(line), 150);
  }

  dispose() {
    this.listener.dispose();
    clearTimeout(this.pending);
    for (const running of this.running.values()) running.dispose();
    this.running.clear();
  }
}

class Running {
  /**
   * @param {import("node:child_process").ChildProcess} process
   * @param {string} url
   * @param {string} file
   * @param {() => void} ended
   */
  constructor(process, url, file, ended) {
    this.process = process;
    this.url = url;
    this.file = file;
    this.ended = ended;
    /** @type {vscode.WebviewPanel | undefined} */
    this.panel = undefined;
  }

  /**
   * Start `protocol preview FILE` and wait for the URL it announces.
   * @param {string} command
   * @param {string} file
   * @param {vscode.OutputChannel} output
   * @param {() => void} ended
   * @returns {Promise<Running>}
   */
  static start(command, file, output, ended) {
    const child = spawn(command, ["preview", file, "--port", "0"], {
      cwd: path.dirname(file),
      windowsHide: true,
    });
    return new Promise((resolve, reject) => {
      let seen = "";
      let settled = false;
      child.stdout.setEncoding("utf8");
      child.stderr.setEncoding("utf8");
      child.stdout.on("data", (/** @type {string} */ chunk) => {
        output.append(chunk);
        seen += chunk;
        const announced = ANNOUNCED.exec(seen);
        if (announced && !settled) {
          settled = true;
          resolve(new Running(child, announced[1], file, ended));
        }
      });
      child.stderr.on("data", (/** @type {string} */ chunk) => {
        output.append(chunk);
        seen += chunk;
      });
      child.on("error", (error) => {
        if (!settled) reject(error);
        settled = true;
      });
      child.on("exit", (code) => {
        ended();
        if (!settled) reject(new Error(`protocol preview stopped (exit ${code}): ${seen.trim().slice(-500)}`));
        settled = true;
      });
    });
  }

  /** @param {vscode.Uri} page */
  async show(page) {
    const framed = await vscode.env.asExternalUri(page);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        "protocolPreview",
        `Preview ${path.basename(this.file)}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: true },
      );
      this.panel.onDidDispose(() => this.dispose());
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    const origin = `${framed.scheme}://${framed.authority}`;
    this.panel.webview.html = framePage(framed.toString(true), origin);
  }

  /** @param {number} line */
  goTo(line) {
    const request = http.request(`${this.url}goto?line=${line}`, { method: "POST" });
    request.on("error", () => undefined); // the preview is gone: nothing to move
    request.end();
  }

  dispose() {
    this.panel = undefined;
    this.process.kill();
    this.ended();
  }
}

/**
 * The webview's own page: the preview server's page, framed.  The webview runs no
 * script of its own; the framed page is the server's, under the server's policy.
 * @param {string} src
 * @param {string} origin
 */
function framePage(src, origin) {
  const attribute = (/** @type {string} */ text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-src ${attribute(origin)}; style-src 'unsafe-inline';">
<style>html, body, iframe { margin: 0; padding: 0; border: 0; width: 100%; height: 100vh; background: white; }</style>
</head>
<body><iframe src="${attribute(src)}" title="Protocol preview"></iframe></body>
</html>`;
}

module.exports = { Previews, ANNOUNCED };
