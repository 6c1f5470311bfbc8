#!/usr/bin/env node
// Reads the import graph of src/ and workflows/ and reports every import that runs from a lower layer
// to a higher one, and every cycle between files. `node scripts/layers.js` prints them and exits 1 when
// an upward import is not in ALLOWED; `--json` prints the figures for src/layers.spec.ts.
'use strict';
const { readdirSync, readFileSync, existsSync, statSync } = require('node:fs');
const { join, dirname, resolve } = require('node:path');
const ts = require('typescript');

const root = resolve(__dirname, '..');

// Bottom to top. A file may import from its own layer and the ones below it, never from above.
const LAYERS = [
  ['workflows', ['workflows/']],
  ['common', ['src/common/', 'src/i18n/']],
  ['database', ['src/config/', 'src/migrations/']],
  ['engine', ['src/engine/']],
  // Who a person is and where they belong (programmes, groups, the committee): what access decides by.
  ['access and identity', ['src/access/', 'src/identity/', 'src/organisations/']],
  // The routes every workflow-backed resource shares; the features' controllers extend them.
  ['workflow-http', ['src/workflow-http/']],
  [
    'features',
    [
      'src/calls/',
      'src/applications/',
      'src/reviews/',
      'src/disbursements/',
      'src/ledger/',
      'src/reports/',
      'src/files/',
      'src/health/',
    ],
  ],
  // Email reads the records of every feature to address and fill a message; no feature sends mail itself.
  ['notifications', ['src/notifications/']],
  // The pages people use in a browser call the features' services and the same access policy.
  ['web', ['src/web/']],
  ['app', ['src/']],
];

// Upward imports that stay, "from -> to": why. Each should go through one function or interface named for it.
// None today: sign-in emails go through AccountMailer, an interface identity owns and notifications provides.
const ALLOWED = {};

function layerOf(file) {
  const index = LAYERS.findIndex(([, prefixes]) => prefixes.some((prefix) => file.startsWith(prefix)));
  if (index < 0) throw new Error(`${file} is in no layer: add its folder to LAYERS in scripts/layers.js`);
  return index;
}

function sources(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !/\.spec(-helper)?\.ts$/.test(name)) out.push(path);
  }
  return out;
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(join(root, candidate))) return candidate;
  }
  return undefined;
}

function graph() {
  const edges = new Map();
  for (const file of [...sources('workflows'), ...sources('src')]) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = importedFiles.map((imported) => resolveImport(file, imported.fileName)).filter(Boolean);
    edges.set(file, [...new Set(targets)]);
  }
  return edges;
}

/** Strongly connected components of more than one file (Tarjan), each one a cycle. */
function cycles(edges) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file), index.get(target)));
    }
    if (low.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return found;
}

function measure() {
  const edges = graph();
  const upward = [];
  for (const [file, targets] of edges) {
    for (const target of targets) {
      if (layerOf(target) > layerOf(file)) {
        upward.push({ edge: `${file} -> ${target}`, from: LAYERS[layerOf(file)][0], to: LAYERS[layerOf(target)][0] });
      }
    }
  }
  upward.sort((a, b) => a.edge.localeCompare(b.edge));
  return {
    files: edges.size,
    imports: [...edges.values()].reduce((sum, targets) => sum + targets.length, 0),
    upward,
    unexplained: upward.filter(({ edge }) => !(edge in ALLOWED)).map(({ edge }) => edge),
    stale: Object.keys(ALLOWED).filter((edge) => !upward.some((found) => found.edge === edge)),
    cycles: cycles(edges),
  };
}

if (require.main === module) {
  const figures = measure();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    process.exitCode = figures.unexplained.length > 0 || figures.cycles.length > 0 || figures.stale.length > 0 ? 1 : 0;
    process.stdout.write(`${figures.files} files, ${figures.imports} imports between them\n`);
    process.stdout.write(`${figures.upward.length} upward imports (${figures.unexplained.length} not allowed):\n`);
    for (const { edge, from, to } of figures.upward) {
      process.stdout.write(`  ${edge}  (${from} -> ${to})${edge in ALLOWED ? `  allowed: ${ALLOWED[edge]}` : ''}\n`);
    }
    process.stdout.write(`${figures.cycles.length} cycles\n`);
    for (const cycle of figures.cycles) process.stdout.write(`  ${cycle.join(', ')}\n`);
    for (const edge of figures.stale) process.stdout.write(`allowed but gone (remove from ALLOWED): ${edge}\n`);
  }
}

module.exports = { LAYERS, ALLOWED, measure };
