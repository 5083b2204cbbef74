// Syntax errors as tree-sitter reports them: ERROR nodes (text it could not parse) and MISSING nodes (tokens it
// had to invent, such as a closing brace).
import { walk } from './parser.mjs';

/** @returns {{line: number, column: number, message: string}[]} one-based positions */
export function syntaxProblems(tree) {
  if (!tree.rootNode.hasError) return [];
  const problems = [];
  for (const node of walk(tree.rootNode)) {
    if (node.isMissing) {
      problems.push(at(node, `syntax error: missing '${node.type}'`));
    } else if (node.isError) {
      const text = excerpt(node.text);
      problems.push(at(node, text ? `syntax error: cannot parse '${text}'` : 'syntax error: unexpected token'));
    }
  }
  return problems;
}

function at(node, message) {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, message };
}

function excerpt(text) {
  const firstLine = text.trim().split(/\r?\n/)[0];
  return firstLine.length > 40 ? `${firstLine.slice(0, 40)}...` : firstLine;
}
