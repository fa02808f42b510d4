// @ts-check
// Which `protocol` command the extension runs, and whether it is one it can work with.
//
// Kept free of the `vscode` module so that it is tested on its own (test/locate.test.js):
// the setting, then the workspace's virtual environment, then PATH.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");

/**
 * @typedef {{ path: string, origin: string }} Candidate
 * @typedef {{
 *   setting: string,
 *   folders: string[],
 *   envPath: string,
 *   platform: NodeJS.Platform,
 *   pathExt?: string,
 *   home?: string,
 * }} Where
 */

/** The virtual-environment folders looked for in a workspace folder, in order. */
const VENVS = [".venv", "venv"];

/**
 * Every place `protocol` may be, in the order they are tried.  A path in the setting
 * is the only candidate: what the writer chose is never silently replaced.
 * @param {Where} where
 * @returns {Candidate[]}
 */
function candidates(where) {
  const p = where.platform === "win32" ? path.win32 : path.posix;
  const setting = where.setting.trim();
  if (setting) {
    let chosen = setting.replace(/\$\{workspaceFolder\}/g, where.folders[0] ?? "");
    if (where.home && (chosen === "~" || chosen.startsWith("~/"))) {
      chosen = where.home + chosen.slice(1);
    }
    if (!p.isAbsolute(chosen) && where.folders.length > 0) {
      chosen = p.resolve(where.folders[0], chosen);
    }
    return [{ path: chosen, origin: "the setting protocol.path" }];
  }
  /** @type {Candidate[]} */
  const found = [];
  for (const folder of where.folders) {
    for (const venv of VENVS) {
      const bin = where.platform === "win32" ? p.join(folder, venv, "Scripts", "protocol.exe") : p.join(folder, venv, "bin", "protocol");
      found.push({ path: bin, origin: `the workspace's virtual environment (${venv})` });
    }
  }
  const separator = where.platform === "win32" ? ";" : ":";
  const names = where.platform === "win32" ? windowsNames(where.pathExt) : ["protocol"];
  for (const folder of where.envPath.split(separator)) {
    if (!folder) continue;
    for (const name of names) {
      found.push({ path: p.join(folder, name), origin: "PATH" });
    }
  }
  return found;
}

/** @param {string | undefined} pathExt */
function windowsNames(pathExt) {
  const extensions = (pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean);
  return extensions.map((extension) => `protocol${extension.toLowerCase()}`);
}

/** @param {string} file */
function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first candidate that exists, and every place looked at (for the message
 * when there is none).
 * @param {Where} where
 * @param {(file: string) => boolean} [exists]
 * @returns {{ found: Candidate | null, looked: Candidate[] }}
 */
function findProtocol(where, exists = isExecutableFile) {
  const looked = candidates(where);
  const found = looked.find((candidate) => exists(candidate.path)) ?? null;
  return { found, looked };
}

/**
 * The version `protocol --version` printed ("protocol, version 0.1.0"), or null.
 * @param {string} output
 * @returns {string | null}
 */
function parseVersion(output) {
  const match = /^protocol, version (\d+\.\d+\.\d+\S*)\s*$/m.exec(output);
  return match ? match[1] : null;
}

/**
 * Whether a `protocol` of version `found` works with this extension (`expected`, the
 * extension's own version, which follows protocol-dsl's): the same major and minor
 * version, since a minor release may change what the language server offers.
 * @param {string} found
 * @param {string} expected
 */
function compatible(found, expected) {
  const [a, b] = [found, expected].map((v) => v.split(".").slice(0, 2).join("."));
  return a === b;
}

/**
 * What to tell the writer when no `protocol` was found.
 * @param {Candidate[]} looked
 * @param {boolean} fromSetting
 */
function missingMessage(looked, fromSetting) {
  if (fromSetting) {
    return (
      `The protocol command set in protocol.path was not found: ${looked[0].path}. ` +
      "Correct the setting, or clear it to use the workspace's virtual environment."
    );
  }
  const venvs = [...new Set(looked.filter((c) => c.origin !== "PATH").map((c) => c.path))];
  const where = venvs.length ? `${venvs.join(", ")} or on PATH` : "on PATH (no workspace folder is open)";
  return (
    `The protocol command was not found: looked in ${where}. ` +
    "Install protocol-dsl in the workspace's virtual environment (pip install protocol-dsl), " +
    "or set protocol.path to the command."
  );
}

/**
 * The mismatch message, or null when the versions work together.
 * @param {string} file
 * @param {string | null} found
 * @param {string} expected
 */
function versionProblem(file, found, expected) {
  if (found === null) {
    return `${file} did not answer "protocol --version" as protocol-dsl does: is it protocol-dsl's command? Set protocol.path to the right one.`;
  }
  if (!compatible(found, expected)) {
    const wanted = expected.split(".").slice(0, 2).join(".");
    return (
      `${file} is protocol-dsl ${found}; this extension works with protocol-dsl ${wanted}.x. ` +
      `Install it (pip install "protocol-dsl==${wanted}.*") or install the extension that matches ${found}.`
    );
  }
  return null;
}

/**
 * Run `file --version`; its output (stdout and stderr), or the error's message.
 * @param {string} file
 * @param {string | undefined} cwd
 * @returns {Promise<string>}
 */
function askVersion(file, cwd) {
  return new Promise((resolve) => {
    execFile(file, ["--version"], { cwd, timeout: 30000, windowsHide: true }, (error, stdout, stderr) => {
      resolve(error && !stdout ? String(error.message) : `${stdout}${stderr}`);
    });
  });
}

/**
 * The `protocol` to run for `where`, checked against the extension's version
 * `expected`; or the problem to tell the writer (none found, or a mismatch).
 * @param {Where} where
 * @param {string} expected
 * @param {{ exists?: (file: string) => boolean, ask?: (file: string, cwd: string | undefined) => Promise<string> }} [how]
 * @returns {Promise<{ found: Candidate, answer: string } | { problem: string, answer?: string }>}
 */
async function chooseProtocol(where, expected, how = {}) {
  const { found, looked } = findProtocol(where, how.exists ?? isExecutableFile);
  if (!found) return { problem: missingMessage(looked, Boolean(where.setting.trim())) };
  const answer = (await (how.ask ?? askVersion)(found.path, where.folders[0])).trim();
  const problem = versionProblem(found.path, parseVersion(answer), expected);
  return problem ? { problem, answer } : { found, answer };
}

module.exports = {
  askVersion,
  chooseProtocol,
  candidates,
  compatible,
  findProtocol,
  isExecutableFile,
  missingMessage,
  parseVersion,
  versionProblem,
};
