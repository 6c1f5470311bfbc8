import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', 'scripts', 'build.js');

/** Runs the build script in `root` and says what it printed. */
function build(root: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stderr;
}

describe('building dist/ once', () => {
  let root: string;
  const output = () => join(root, 'dist', 'src', 'a.js');
  const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'grants-build-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a: number = 1;\n');
    writeFileSync(
      join(root, 'tsconfig.build.json'),
      JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: '.', types: [] }, include: ['src'] }),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles only when a source is newer than the last build', () => {
    expect(build(root, '--if-stale')).toBe('building dist/ (no build yet)\n');
    expect(existsSync(output())).toBe(true);

    rmSync(output());
    expect(build(root, '--if-stale')).toBe('');
    expect(existsSync(output())).toBe(false);

    utimesSync(join(root, 'src', 'a.ts'), later(5), later(5));
    expect(build(root, '--if-stale')).toBe(`building dist/ (${join('src', 'a.ts')} changed)\n`);
    expect(existsSync(output())).toBe(true);
  });

  it('sees a file added with an old time, by the time of its folder', () => {
    build(root, '--if-stale');
    utimesSync(join(root, 'src', 'a.ts'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    utimesSync(join(root, 'src', 'b.ts'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    utimesSync(join(root, 'src'), later(5), later(5));
    expect(build(root, '--if-stale')).toBe('building dist/ (src changed)\n');
    expect(existsSync(join(root, 'dist', 'src', 'b.js'))).toBe(true);
  });

  it('always compiles when asked without --if-stale, and npm start, cli, test and bench build only when stale', () => {
    build(root);
    rmSync(output());
    expect(build(root)).toBe('building dist/ (asked to)\n');
    expect(existsSync(output())).toBe(true);

    const scripts = (
      JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const name of ['start', 'cli', 'pretest', 'bench'])
      expect(scripts[name]).toMatch(/^node scripts\/build\.js --if-stale( &&|$)/);
  });
});
