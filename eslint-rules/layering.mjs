// @ts-check
/**
 * The floors of src/ as a lint rule: an import may only go down the floors (or stay inside its own folder), and
 * no domain imports another domain (src/domains/shared is for all of them). docs/architecture.md explains why.
 */
import path from 'node:path';

/** Top to bottom. A folder may import folders on a lower floor (a larger index) and its own folder. */
export const FLOORS = [
  ['<root>'],
  ['api', 'demo'],
  ['domains', 'brain', 'monitoring', 'health', 'system'],
  ['openapi'],
  ['auth'],
  ['execution'],
  ['delegation'],
  ['agents'],
  ['llm'],
  ['tenancy'],
  ['tasks'],
  ['database', 'config', 'common'],
];

/** Folders on the same floor that may import each other, one way (importer → imported). */
const SIDEWAYS = new Set(['common → config', 'database → config', 'database → common']);

const floorOf = (folder) => FLOORS.findIndex((floor) => floor.includes(folder));

/** `src/<folder>/…` (and the domain for `src/domains/<domain>/…`), or null outside src. */
function locate(file, srcRoot) {
  const relative = path.relative(srcRoot, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const parts = relative.split(path.sep);
  if (parts.length === 1) return { folder: '<root>', domain: null };
  return { folder: parts[0], domain: parts[0] === 'domains' && parts.length > 2 ? parts[1] : null };
}

/** @type {import('eslint').Rule.RuleModule} */
const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go down the floors of src/; no domain imports another (docs/architecture.md).' },
    schema: [],
  },
  create(context) {
    const srcRoot = path.join(context.cwd, 'src');
    const importer = locate(context.filename, srcRoot);
    if (!importer) return {};
    const check = (node, specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = locate(path.resolve(path.dirname(context.filename), specifier), srcRoot);
      if (!target) return;
      if (target.folder === importer.folder) {
        if (importer.domain === 'shared' && target.domain && target.domain !== 'shared') {
          context.report({ node, message: `src/domains/shared may not import the ${target.domain} domain: it serves every domain.` });
        } else if (importer.domain && target.domain && importer.domain !== target.domain && target.domain !== 'shared') {
          context.report({
            node,
            message: `The ${importer.domain} domain may not import the ${target.domain} domain: share through src/domains/shared or reach it through the delegation registry.`,
          });
        }
        return;
      }
      const from = floorOf(importer.folder);
      const to = floorOf(target.folder);
      if (from === -1 || to === -1) {
        context.report({
          node,
          message: `src/${from === -1 ? importer.folder : target.folder} has no floor: add it to eslint-rules/layering.mjs and docs/architecture.md.`,
        });
        return;
      }
      if (to > from || SIDEWAYS.has(`${importer.folder} → ${target.folder}`)) return;
      context.report({
        node,
        message: `src/${importer.folder} (floor ${from}) may not import src/${target.folder} (floor ${to}): imports go down the floors (docs/architecture.md).`,
      });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { layering } };
