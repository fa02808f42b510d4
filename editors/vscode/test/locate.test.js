// @ts-check
// Which `protocol` the extension runs: the setting, the workspace's virtual
// environment, then PATH; and what it says when there is none or the wrong one.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const locate = require("../src/locate");

/** @param {Partial<import("../src/locate").Where>} where */
function posix(where) {
  return { setting: "", folders: ["/home/writer/trial"], envPath: "/usr/local/bin:/usr/bin", platform: /** @type {NodeJS.Platform} */ ("linux"), ...where };
}

test("the workspace's virtual environment comes before PATH", () => {
  const paths = locate.candidates(posix({})).map((c) => c.path);
  assert.deepEqual(paths, [
    "/home/writer/trial/.venv/bin/protocol",
    "/home/writer/trial/venv/bin/protocol",
    "/usr/local/bin/protocol",
    "/usr/bin/protocol",
  ]);
});

test("on Windows the virtual environment's Scripts folder and PATHEXT names are looked at", () => {
  const where = {
    setting: "",
    folders: ["C:\\trial"],
    envPath: "C:\\Python\\Scripts;;C:\\tools",
    platform: /** @type {NodeJS.Platform} */ ("win32"),
    pathExt: ".EXE;.CMD",
  };
  const paths = locate.candidates(where).map((c) => c.path);
  assert.deepEqual(paths, [
    "C:\\trial\\.venv\\Scripts\\protocol.exe",
    "C:\\trial\\venv\\Scripts\\protocol.exe",
    "C:\\Python\\Scripts\\protocol.exe",
    "C:\\Python\\Scripts\\protocol.cmd",
    "C:\\tools\\protocol.exe",
    "C:\\tools\\protocol.cmd",
  ]);
});

test("the setting is the only candidate, relative to the workspace folder", () => {
  assert.deepEqual(locate.candidates(posix({ setting: "tools/protocol" })), [
    { path: "/home/writer/trial/tools/protocol", origin: "the setting protocol.path" },
  ]);
  assert.equal(locate.candidates(posix({ setting: "${workspaceFolder}/env/bin/protocol" }))[0].path, "/home/writer/trial/env/bin/protocol");
  assert.equal(locate.candidates(posix({ setting: "~/bin/protocol", home: "/home/writer" }))[0].path, "/home/writer/bin/protocol");
});

test("the first candidate that exists is found; each folder of every workspace is tried", () => {
  const existing = new Set(["/second/venv/bin/protocol", "/usr/bin/protocol"]);
  const { found, looked } = locate.findProtocol(posix({ folders: ["/first", "/second"] }), (file) => existing.has(file));
  assert.deepEqual(found, { path: "/second/venv/bin/protocol", origin: "the workspace's virtual environment (venv)" });
  assert.equal(looked.length, 6);
});

test("a real executable file is found; a folder or a file that cannot run is not", { skip: process.platform === "win32" }, () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "protocol-locate-"));
  try {
    const bin = path.join(folder, ".venv", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(path.join(folder, "venv", "bin", "protocol"), { recursive: true });
    const where = { setting: "", folders: [folder], envPath: "", platform: process.platform };
    assert.equal(locate.findProtocol(where).found, null);
    fs.writeFileSync(path.join(bin, "protocol"), "#!/bin/sh\necho 'protocol, version 0.1.0'\n", { mode: 0o644 });
    assert.equal(locate.findProtocol(where).found, null);
    fs.chmodSync(path.join(bin, "protocol"), 0o755);
    assert.equal(locate.findProtocol(where).found?.path, path.join(bin, "protocol"));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("the version is read from what protocol --version prints", () => {
  assert.equal(locate.parseVersion("protocol, version 0.1.0\n"), "0.1.0");
  assert.equal(locate.parseVersion("protocol, version 1.12.3rc1\n"), "1.12.3rc1");
  assert.equal(locate.parseVersion("Protocol Buffers 3.21\n"), null);
  assert.equal(locate.parseVersion(""), null);
});

test("only the same major and minor version works with the extension", () => {
  assert.equal(locate.compatible("0.1.4", "0.1.0"), true);
  assert.equal(locate.compatible("0.2.0", "0.1.0"), false);
  assert.equal(locate.compatible("1.1.0", "0.1.0"), false);
});

test("the messages say where was looked and what to do", () => {
  const { looked } = locate.findProtocol(posix({}), () => false);
  const missing = locate.missingMessage(looked, false);
  assert.match(missing, /\/home\/writer\/trial\/\.venv\/bin\/protocol, \/home\/writer\/trial\/venv\/bin\/protocol or on PATH/);
  assert.match(missing, /pip install protocol-dsl/);
  assert.match(missing, /protocol\.path/);
  const fromSetting = locate.missingMessage([{ path: "/opt/protocol", origin: "the setting protocol.path" }], true);
  assert.match(fromSetting, /protocol\.path was not found: \/opt\/protocol/);
  assert.match(locate.missingMessage([], false), /no workspace folder is open/);
  assert.equal(locate.versionProblem("/x/protocol", "0.1.2", "0.1.0"), null);
  assert.match(locate.versionProblem("/x/protocol", "0.2.0", "0.1.0") ?? "", /is protocol-dsl 0\.2\.0; this extension works with protocol-dsl 0\.1\.x/);
  assert.match(locate.versionProblem("/x/protocol", null, "0.1.0") ?? "", /did not answer "protocol --version"/);
});

test("the version is asked of the command itself", { skip: process.platform === "win32" }, async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "protocol-version-"));
  try {
    const file = path.join(folder, "protocol");
    fs.writeFileSync(file, "#!/bin/sh\necho 'protocol, version 0.1.0'\n", { mode: 0o755 });
    assert.equal(locate.parseVersion(await locate.askVersion(file, folder)), "0.1.0");
    assert.equal(locate.parseVersion(await locate.askVersion(path.join(folder, "absent"), folder)), null);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("a workspace's protocol of the right version is chosen; another version or none is explained", { skip: process.platform === "win32" }, async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "protocol-choose-"));
  try {
    const where = { setting: "", folders: [folder], envPath: "", platform: process.platform };
    const none = await locate.chooseProtocol(where, "0.1.0");
    assert.ok("problem" in none);
    assert.match(none.problem, /The protocol command was not found: looked in .*\.venv\/bin\/protocol/);

    const bin = path.join(folder, ".venv", "bin");
    fs.mkdirSync(bin, { recursive: true });
    const file = path.join(bin, "protocol");
    fs.writeFileSync(file, "#!/bin/sh\necho 'protocol, version 0.2.3'\n", { mode: 0o755 });
    const other = await locate.chooseProtocol(where, "0.1.0");
    assert.ok("problem" in other);
    assert.equal(other.answer, "protocol, version 0.2.3");
    assert.match(other.problem, /is protocol-dsl 0\.2\.3; this extension works with protocol-dsl 0\.1\.x/);

    fs.writeFileSync(file, "#!/bin/sh\necho 'protocol, version 0.1.7'\n", { mode: 0o755 });
    const right = await locate.chooseProtocol(where, "0.1.0");
    assert.ok("found" in right);
    assert.equal(right.found.path, file);
    assert.equal(right.found.origin, "the workspace's virtual environment (.venv)");
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("the project's own protocol command answers as the extension expects", { skip: !process.env.PROTOCOL_COMMAND }, async () => {
  // set by the Python test that runs these tests: the `protocol` of the checkout
  const command = /** @type {string} */ (process.env.PROTOCOL_COMMAND);
  const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version;
  const choice = await locate.chooseProtocol(
    { setting: command, folders: [], envPath: "", platform: process.platform },
    version,
  );
  assert.ok("found" in choice, JSON.stringify(choice));
  assert.equal(choice.answer, `protocol, version ${version}`);
});
