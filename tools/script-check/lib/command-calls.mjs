// Finds every command call in a parsed script and checks the ones that belong to this module against the
// command table: the cmdlet must exist and every named parameter must bind.
import { walk } from './parser.mjs';

// PowerShell accepts en dash, em dash and horizontal bar as well as '-' in front of a parameter name.
const PARAMETER_DASH = /^[-\u2013\u2014\u2015]/;

/** @returns {{name: string, line: number, column: number, parameters: {name: string, line: number, column: number}[]}[]} */
export function commandCalls(tree) {
  const calls = [];
  for (const node of walk(tree.rootNode)) {
    if (node.type !== 'command') continue;
    const nameNode = commandNameNode(node);
    if (!nameNode) continue;
    calls.push({ name: nameNode.text, ...position(nameNode), parameters: namedParameters(node) });
  }
  return calls;
}

/** @returns {{line: number, column: number, message: string}[]} */
export function commandCallProblems(tree, table) {
  const problems = [];
  for (const call of commandCalls(tree)) {
    const cmdlet = table.find(call.name);
    if (!cmdlet) {
      if (table.claims(call.name)) {
        const suggestion = table.nearest(call.name);
        problems.push({ ...at(call), message: `unknown cmdlet '${call.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}` });
      }
      continue;
    }
    for (const parameter of call.parameters) {
      const resolved = table.resolveParameter(cmdlet, parameter.name);
      if (resolved.error === 'unknown') {
        problems.push({ ...at(parameter), message: `${cmdlet.name} has no parameter '-${parameter.name}'` });
      } else if (resolved.error === 'ambiguous') {
        problems.push({ ...at(parameter), message: `'-${parameter.name}' is ambiguous for ${cmdlet.name}: ${resolved.candidates.join(', ')}` });
      }
    }
  }
  return problems;
}

function commandNameNode(command) {
  for (const child of command.namedChildren) {
    if (child.type === 'command_name') return child;
    if (child.type === 'command_name_expr') return child.namedChildren.find((c) => c.type === 'command_name');
  }
  return undefined;
}

function namedParameters(command) {
  const elements = command.namedChildren.find((c) => c.type === 'command_elements');
  const parameters = [];
  for (const element of elements?.namedChildren ?? []) {
    if (element.type !== 'command_parameter') continue;
    const text = element.text.trim();
    if (text === '--' || text === '--%') break; // the rest are arguments, not parameter names
    const name = text.replace(PARAMETER_DASH, '').replace(/:$/, '');
    if (name) parameters.push({ name, ...position(element) });
  }
  return parameters;
}

function position(node) {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

function at({ line, column }) {
  return { line, column };
}
