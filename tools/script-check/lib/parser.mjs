// Parses PowerShell with the tree-sitter grammar's .wasm build: no PowerShell and no native addon needed.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Parser, Language } from 'web-tree-sitter';

// The grammar is a 1 MB wasm module: V8's optimising tier spends over a minute of CPU recompiling it (and
// holds the process open until done) for scripts that parse in milliseconds. The baseline compiler is enough.
setFlagsFromString('--liftoff-only');

const require = createRequire(import.meta.url);
const GRAMMAR_WASM = 'tree-sitter-powershell/tree-sitter-powershell.wasm';

let languagePromise;

function loadLanguage() {
  languagePromise ??= Parser.init().then(() => Language.load(require.resolve(GRAMMAR_WASM)));
  return languagePromise;
}

/** Returns a function that parses PowerShell source text into a tree-sitter tree. */
export async function createPowerShellParser() {
  const language = await loadLanguage(); // also initialises the runtime, which must precede new Parser()
  const parser = new Parser();
  parser.setLanguage(language);
  return (text) => parser.parse(text);
}

/** Depth-first walk over every node of a tree (named and anonymous). */
export function* walk(node) {
  const cursor = node.walk();
  let descending = true;
  while (true) {
    if (descending) {
      yield cursor.currentNode;
      if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descending = true;
      continue;
    }
    if (!cursor.gotoParent()) return;
    descending = false;
  }
}
