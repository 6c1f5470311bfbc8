import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_MAJOR, nodeVersionProblem } from './node-version';

describe('nodeVersionProblem', () => {
  it('refuses a Node older than 24 in one line that names both versions', () => {
    expect(nodeVersionProblem('v20.20.2')).toBe(
      'this service needs Node 24 or newer; this is Node 20.20.2 (see .nvmrc)',
    );
    expect(nodeVersionProblem('v23.11.0')).toMatch(/needs Node 24 or newer; this is Node 23\.11\.0/);
    expect(nodeVersionProblem('garbage')).toMatch(/needs Node 24 or newer/);
  });

  it('accepts Node 24 and newer', () => {
    expect(nodeVersionProblem('v24.0.0')).toBeNull();
    expect(nodeVersionProblem('v24.21.0')).toBeNull();
    expect(nodeVersionProblem('v25.1.0')).toBeNull();
    expect(nodeVersionProblem(process.version)).toBeNull();
  });

  it('asks for the same Node as .nvmrc and package.json', () => {
    const root = join(__dirname, '..', '..');
    expect(readFileSync(join(root, '.nvmrc'), 'utf8').trim()).toBe(String(NODE_MAJOR));
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines;
    expect(engines.node).toBe(`>=${NODE_MAJOR}`);
  });
});
