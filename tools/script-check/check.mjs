#!/usr/bin/env node
// Usage: node check.mjs --commands <command-table.json> [--root <repository root>] [files...]
// Parses every .ps1/.psm1/.psd1 under the root (or the files given) and checks this module's cmdlet calls.
// Exit code 0: no problems; 1: problems found (one line each, file:line:column: message); 2: bad usage.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { CommandTable } from './lib/command-table.mjs';
import { findScripts } from './lib/files.mjs';
import { checkFiles, formatProblem } from './lib/check.mjs';

let options;
try {
  options = parseArgs({
    options: { commands: { type: 'string' }, root: { type: 'string', default: '.' } },
    allowPositionals: true,
  });
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (!options.values.commands) {
  console.error('Usage: check.mjs --commands <command-table.json> [--root <dir>] [files...]');
  process.exit(2);
}

const root = resolve(options.values.root);
const table = CommandTable.fromFile(options.values.commands);
const files = options.positionals.length > 0 ? options.positionals : findScripts(root);
const problems = await checkFiles(root, files, table);
for (const problem of problems) console.error(formatProblem(problem));
console.log(`script-check: ${files.length} file(s), ${table.cmdlets.size} cmdlet(s) in the table, ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
