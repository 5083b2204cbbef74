import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandTable } from '../lib/command-table.mjs';
import { checkFiles, formatProblem } from '../lib/check.mjs';
import { findScripts } from '../lib/files.mjs';
import { createPowerShellParser } from '../lib/parser.mjs';
import { syntaxProblems } from '../lib/syntax.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const table = CommandTable.fromFile(join(fixtures, 'command-table.json'));
const check = async (file) => (await checkFiles(fixtures, [file], table)).map(formatProblem);

test('a script that uses names, aliases, prefixes, common parameters and splatting correctly has no problems', async () => {
  assert.deepEqual(await check('valid.ps1'), []);
});

test('a syntax error is reported with its file and line', async () => {
  // tree-sitter marks the block that never closes, from the line where it opens.
  assert.deepEqual(await check('syntax-error.ps1'), [
    "syntax-error.ps1:1:1: syntax error: cannot parse 'function Deploy-Everything {'",
  ]);
});

test('a token the parser had to invent is reported as missing', async () => {
  const parse = await createPowerShellParser();
  const tree = parse('foreach ($cluster in $clusters) { $cluster');
  try {
    assert.deepEqual(syntaxProblems(tree), [{ line: 1, column: 43, message: "syntax error: missing '}'" }]);
  } finally {
    tree.delete();
  }
});

test('the repository scan finds scripts but skips build output, packages and these fixtures', () => {
  const root = join(fixtures, '..', '..', '..', '..');
  const files = findScripts(root);
  assert.ok(files.includes('AzMLK8s.psd1'), files.join('\n'));
  assert.ok(files.every((f) => !/(^|\/)(out|node_modules|bin|obj)\//.test(f) && !f.startsWith('tools/script-check/test/fixtures/')), files.join('\n'));
});

test('an unknown parameter of a known cmdlet is reported at its line', async () => {
  assert.deepEqual(await check('unknown-parameter.ps1'), [
    "unknown-parameter.ps1:2:42: New-AzMLK8sExtension has no parameter '-ClusterKind'",
  ]);
});

test('a misspelled or missing cmdlet of this module is reported, with the nearest name when there is one', async () => {
  assert.deepEqual(await check('misspelled-cmdlet.ps1'), [
    "misspelled-cmdlet.ps1:1:1: unknown cmdlet 'Get-AzMLK8sContxt'; did you mean 'Get-AzMLK8sContext'?",
    "misspelled-cmdlet.ps1:2:1: unknown cmdlet 'New-AzMLK8Extension'; did you mean 'New-AzMLK8sExtension'?",
    "misspelled-cmdlet.ps1:3:1: unknown cmdlet 'Grant-AzMLWorkspaceRole'",
  ]);
});

test('-WhatIf binds only on cmdlets that support ShouldProcess', async () => {
  assert.deepEqual(await check('should-process.ps1'), [
    "should-process.ps1:1:20: Get-AzMLK8sContext has no parameter '-WhatIf'",
  ]);
});

test('a prefix that matches several parameters is ambiguous, as PowerShell would say', async () => {
  assert.deepEqual(await check('ambiguous-parameter.ps1'), [
    "ambiguous-parameter.ps1:1:22: '-Cluster' is ambiguous for New-AzMLK8sExtension: ClusterName, ClusterType",
    "ambiguous-parameter.ps1:1:38: '-R' is ambiguous for New-AzMLK8sExtension: ReleaseTrain, ResourceGroupName",
  ]);
});
