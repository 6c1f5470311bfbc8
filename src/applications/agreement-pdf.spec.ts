import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { agreementBlocks, textOf } from './agreement-pdf';
import { compileAgreement } from './agreement.service';

describe('textOf', () => {
  it('drops tags and decodes what Handlebars escaped, so the PDF shows the group’s text as written', () => {
    expect(textOf('<strong>&lt;b&gt; Zhazy &amp; &quot;Sports&quot; &#x27;&#x3D;&#x60;</strong>')).toBe(
      '<b> Zhazy & "Sports" \'=`',
    );
    expect(textOf('  two\n   lines  ')).toBe('two lines');
  });
});

describe('agreementBlocks', () => {
  it('reads headings, paragraphs, list items and table rows of the body, in order', () => {
    const html =
      '<html><head><title>T</title></head><body><h1>Agreement</h1><p>One &amp; two</p>' +
      '<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><ol><li>Report</li></ol></body></html>';
    expect(agreementBlocks(html)).toEqual([
      { kind: 'h1', text: 'Agreement' },
      { kind: 'p', text: 'One & two' },
      { kind: 'row', header: true, cells: ['A', 'B'] },
      { kind: 'row', header: false, cells: ['1', '2'] },
      { kind: 'li', text: 'Report' },
    ]);
  });
});

describe('the agreement templates', () => {
  const dir = join(__dirname, '..', '..', 'templates', 'agreement');

  it('are one per language, each compiling in strict mode with escaped output only', () => {
    expect(readdirSync(dir).sort()).toEqual(['en.html.hbs', 'ky.html.hbs', 'ru.html.hbs']);
    for (const file of readdirSync(dir)) expect(() => compileAgreement(join(dir, file))).not.toThrow();
  });
});
