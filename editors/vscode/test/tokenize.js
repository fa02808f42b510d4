// @ts-check
// Tokenize .trial files with the extension's TextMate grammar, as VS Code does
// (vscode-textmate over the Oniguruma regular expressions of vscode-oniguruma).
//
//   node test/tokenize.js FILE…   prints, as JSON, each file's lines as tokens:
//   [{"file": …, "lines": [[{"text": …, "start": …, "scopes": […]}, …], …]}, …]
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const GRAMMAR = path.join(__dirname, "..", "syntaxes", "trial.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.trial"
        ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR)
        : null,
  });
  const grammar = await registry.loadGrammar("source.trial");
  if (!grammar) throw new Error("the grammar source.trial did not load");
  return grammar;
}

/**
 * @param {import("vscode-textmate").IGrammar} grammar
 * @param {string} text
 */
function tokenize(grammar, text) {
  let state = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      text: line.slice(token.startIndex, token.endIndex),
      start: token.startIndex,
      scopes: token.scopes,
    }));
  });
}

async function main() {
  const grammar = await loadGrammar();
  const files = process.argv.slice(2);
  const out = files.map((file) => ({ file, lines: tokenize(grammar, fs.readFileSync(file, "utf8")) }));
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
