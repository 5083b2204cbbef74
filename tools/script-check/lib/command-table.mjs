// The module's commands as tools/AzMLK8s.CommandTable writes them from the built AzMLK8s.dll, and PowerShell's
// parameter-name resolution over them.
import { readFileSync } from 'node:fs';

// PowerShell 7.4's common parameters and their aliases; WhatIf/Confirm only exist when a cmdlet supports ShouldProcess.
const COMMON_PARAMETERS = [
  { name: 'Verbose', aliases: ['vb'] },
  { name: 'Debug', aliases: ['db'] },
  { name: 'ErrorAction', aliases: ['ea'] },
  { name: 'WarningAction', aliases: ['wa'] },
  { name: 'InformationAction', aliases: ['infa'] },
  { name: 'ProgressAction', aliases: ['proga'] },
  { name: 'ErrorVariable', aliases: ['ev'] },
  { name: 'WarningVariable', aliases: ['wv'] },
  { name: 'InformationVariable', aliases: ['iv'] },
  { name: 'OutVariable', aliases: ['ov'] },
  { name: 'OutBuffer', aliases: ['ob'] },
  { name: 'PipelineVariable', aliases: ['pv'] },
];
const SHOULD_PROCESS_PARAMETERS = [
  { name: 'WhatIf', aliases: ['wi'] },
  { name: 'Confirm', aliases: ['cf'] },
];

// Names shaped like this module's cmdlets are checked even when the table does not know them (a typo or a
// cmdlet that was renamed or never written).
const MODULE_NAME_PATTERNS = [/^[a-z]+-AzMLK8s[a-z0-9]*$/i, /^[a-z]+-AzML[a-z0-9]*Role$/i];

export class CommandTable {
  /** @param {{cmdlets: {name: string, supportsShouldProcess: boolean, parameters: {name: string, aliases: string[]}[]}[]}} document */
  constructor(document) {
    if (!Array.isArray(document?.cmdlets)) throw new Error('command table has no "cmdlets" array');
    this.moduleName = document.module ?? 'AzMLK8s';
    this.cmdlets = new Map(document.cmdlets.map((c) => [c.name.toLowerCase(), c]));
  }

  static fromFile(path) {
    return new CommandTable(JSON.parse(readFileSync(path, 'utf8')));
  }

  /** The cmdlet a command name refers to (case-insensitive, module-qualified names allowed), or undefined. */
  find(commandName) {
    return this.cmdlets.get(this.#unqualified(commandName).toLowerCase());
  }

  /** Whether a command name must be one of this module's cmdlets. */
  claims(commandName) {
    const name = this.#unqualified(commandName);
    return MODULE_NAME_PATTERNS.some((p) => p.test(name)) || this.nearest(name) !== undefined;
  }

  /** The table's cmdlet name within two edits of a name that is not in the table, if any. */
  nearest(commandName) {
    const name = this.#unqualified(commandName).toLowerCase();
    let best;
    for (const cmdlet of this.cmdlets.values()) {
      const distance = editDistance(name, cmdlet.name.toLowerCase());
      if (distance > 0 && distance <= 2 && (best === undefined || distance < best.distance)) best = { name: cmdlet.name, distance };
    }
    return best?.name;
  }

  /**
   * Resolves a parameter name as PowerShell binds it: an exact name or alias wins; otherwise the prefix must
   * match names or aliases of exactly one parameter.
   * @returns {{parameter: string} | {error: 'unknown' | 'ambiguous', candidates: string[]}}
   */
  resolveParameter(cmdlet, given) {
    const wanted = given.toLowerCase();
    const parameters = [
      ...cmdlet.parameters.map((p) => ({ name: p.name, aliases: p.aliases ?? [] })),
      ...COMMON_PARAMETERS,
      ...(cmdlet.supportsShouldProcess ? SHOULD_PROCESS_PARAMETERS : []),
    ];
    const names = (p) => [p.name, ...p.aliases].map((n) => n.toLowerCase());
    const exact = parameters.find((p) => names(p).includes(wanted));
    if (exact) return { parameter: exact.name };
    const byPrefix = parameters.filter((p) => names(p).some((n) => n.startsWith(wanted)));
    if (byPrefix.length === 1) return { parameter: byPrefix[0].name };
    return { error: byPrefix.length === 0 ? 'unknown' : 'ambiguous', candidates: byPrefix.map((p) => p.name) };
  }

  #unqualified(commandName) {
    const separator = commandName.indexOf('\\');
    return separator >= 0 && commandName.slice(0, separator).toLowerCase() === this.moduleName.toLowerCase()
      ? commandName.slice(separator + 1)
      : commandName;
  }
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
