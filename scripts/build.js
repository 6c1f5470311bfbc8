#!/usr/bin/env node
// Compiles the project into dist/ with tsc, and the web pages' styles and scripts into dist/assets.
// With --if-stale, only when something they read changed since the last build: `npm start`,
// `npm run cli`, `npm test` and `npm run bench` go through here, so a restart costs a start, not a
// compile. Run in the project's root (npm does).
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} = require('node:fs');
const { join, relative } = require('node:path');

// The same refusal as the service's own (src/config/node-version.ts), before a 10-second compile.
const wanted = Number(readFileSync(join(__dirname, '..', '.nvmrc'), 'utf8').trim());
const major = Number(/^v(\d+)\./.exec(process.version)[1]);
if (major < wanted) {
  process.stderr.write(
    `this service needs Node ${wanted} or newer; this is Node ${process.version.slice(1)} (see .nvmrc)\n`,
  );
  process.exit(1);
}

const root = process.cwd();
// What the output depends on: the sources tsc compiles, its settings, and the installed packages
// (npm rewrites node_modules/.package-lock.json on every install). Templates are read at run time.
const INPUTS = [
  'src',
  'workflows',
  'bench',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'node_modules/.package-lock.json',
];
const STAMP = join(root, 'dist', '.build-stamp');

/** The newest change under `path`: files and folders both, so an added, removed or renamed file counts. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { at: 0, path };
  }
  let best = { at: stat.mtimeMs, path };
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) {
      const inner = newest(join(path, entry));
      if (inner.at > best.at) best = inner;
    }
  }
  return best;
}

/** Why dist/ must be built again, or null when it is up to date. */
function staleReason() {
  if (!existsSync(STAMP)) return 'no build yet';
  const built = statSync(STAMP).mtimeMs;
  for (const input of INPUTS) {
    const changed = newest(join(root, input));
    if (changed.at > built) return `${relative(root, changed.path)} changed`;
  }
  return null;
}

/** The first 12 hex digits of a file's SHA-256, as the pages name assets (src/web/pages.ts). */
function digest(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}

/**
 * The web pages' assets in dist/assets: the styles compiled from src/web/styles with GOV.UK
 * Frontend's Sass, the Noto Sans faces they name, GOV.UK Frontend's script and ours.
 */
function buildAssets() {
  const stylesheet = join(root, 'src', 'web', 'styles', 'app.scss');
  if (!existsSync(stylesheet)) return; // a tree without the pages (the build's own tests) has no assets
  const sass = require('sass');
  const out = join(root, 'dist', 'assets');
  mkdirSync(join(out, 'fonts'), { recursive: true });
  const css = sass.compile(stylesheet, {
    style: 'compressed',
    importers: [new sass.NodePackageImporter(root)],
    quietDeps: true,
  });
  const fonts = join(root, 'node_modules', '@fontsource', 'noto-sans', 'files');
  const fontNames = [];
  for (const subset of ['cyrillic', 'cyrillic-ext', 'latin']) {
    for (const weight of [400, 700]) {
      const name = `noto-sans-${subset}-${weight}-normal.woff2`;
      copyFileSync(join(fonts, name), join(out, 'fonts', name));
      fontNames.push(name);
    }
  }
  copyFileSync(
    join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.js'),
    join(out, 'govuk-frontend.min.js'),
  );
  // Every asset is served to be kept for good, so each address names its file's digest: the fonts
  // the styles name, and GOV.UK Frontend's script that ours imports (the pages name the rest).
  let styles = css.css;
  for (const name of fontNames) {
    styles = styles.split(`/assets/fonts/${name}`).join(`/assets/fonts/${name}?v=${digest(join(out, 'fonts', name))}`);
  }
  writeFileSync(join(out, 'app.css'), styles);
  const script = readFileSync(join(root, 'src', 'web', 'scripts', 'app.js'), 'utf8').replace(
    './govuk-frontend.min.js',
    `./govuk-frontend.min.js?v=${digest(join(out, 'govuk-frontend.min.js'))}`,
  );
  writeFileSync(join(out, 'app.js'), script);
}

// --assets: only the pages' assets, for a developer changing styles.
if (process.argv.includes('--assets')) {
  buildAssets();
  process.exit(0);
}

const force = !process.argv.includes('--if-stale');
const reason = force ? 'asked to' : staleReason();
if (reason === null) process.exit(0);

// Stamped with the time the compile started, so a file saved while tsc runs is seen next time.
const startedAt = new Date();
process.stderr.write(`building dist/ (${reason})\n`);
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
buildAssets();
writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
utimesSync(STAMP, startedAt, startedAt);
