// Checks PowerShell files: syntax first; command calls only in files that parse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPowerShellParser } from './parser.mjs';
import { syntaxProblems } from './syntax.mjs';
import { commandCallProblems } from './command-calls.mjs';

/**
 * @param {string} root
 * @param {string[]} files relative to root
 * @param {import('./command-table.mjs').CommandTable} table
 * @returns {Promise<{file: string, line: number, column: number, message: string}[]>}
 */
export async function checkFiles(root, files, table) {
  const parse = await createPowerShellParser();
  const problems = [];
  for (const file of files) {
    const tree = parse(readFileSync(join(root, file), 'utf8'));
    try {
      const syntax = syntaxProblems(tree);
      const found = syntax.length > 0 ? syntax : commandCallProblems(tree, table);
      problems.push(...found.map((p) => ({ file, ...p })));
    } finally {
      tree.delete();
    }
  }
  return problems;
}

export function formatProblem(p) {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}
