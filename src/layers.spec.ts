import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Figures {
  upward: { edge: string }[];
  unexplained: string[];
  stale: string[];
  cycles: string[][];
}

// The layers are listed in scripts/layers.js, bottom to top; README "How it works" describes them.
const figures = JSON.parse(
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'layers.js'), '--json'], { encoding: 'utf8' }),
) as Figures;

describe('layers', () => {
  it('has no import from a lower layer to a higher one beyond the allowed list', () => {
    expect(figures.unexplained).toEqual([]);
  });

  it('lists no allowed upward import that is gone', () => {
    expect(figures.stale).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(figures.cycles).toEqual([]);
  });
});
