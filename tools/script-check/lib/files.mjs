// The PowerShell files of a repository, without build output, packages or the checker's own bad fixtures.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SCRIPT_EXTENSIONS = ['.ps1', '.psm1', '.psd1'];
const EXCLUDED_DIRECTORIES = new Set(['out', 'node_modules', 'bin', 'obj', '.git', 'TestResults']);
// Fixtures that are broken on purpose, relative to the root with '/' separators.
const EXCLUDED_PATHS = ['tools/script-check/test/fixtures'];

/** @returns {string[]} paths relative to root, '/'-separated, sorted */
export function findScripts(root) {
  const found = [];
  const visit = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      const relativePath = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRECTORIES.has(entry.name) && !EXCLUDED_PATHS.includes(relativePath)) visit(path);
      } else if (SCRIPT_EXTENSIONS.some((e) => entry.name.toLowerCase().endsWith(e))) {
        found.push(relativePath);
      }
    }
  };
  visit(root);
  return found.sort();
}
