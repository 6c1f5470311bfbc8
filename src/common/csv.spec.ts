import { toCsv } from './csv';

/** The text after the header row, with the record's final newline dropped. */
const bodyOf = (csv: string) => csv.slice(csv.indexOf('\n') + 1).replace(/\n$/, '');

describe('toCsv', () => {
  it('starts with a byte-order mark and a header row', () => {
    expect(toCsv(['title', 'amount'], [['Чистая вода', 12]])).toBe('\uFEFFtitle,amount\nЧистая вода,12\n');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd|/C calc!A0', `'+1+cmd|/C calc!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', `'＝1+1`],
    ['＋1', `'＋1`],
    ['－1', `'－1`],
  ])('neutralises a text cell a spreadsheet would run: %j', (text, written) => {
    expect(bodyOf(toCsv(['title'], [[text]]))).toBe(written);
  });

  it('leaves ordinary text, negative numbers and empty cells as they are', () => {
    expect(bodyOf(toCsv(['a', 'b', 'c', 'd', 'e'], [['Water, for "the" school', -5, '', null, 'a=b']]))).toBe(
      '"Water, for ""the"" school",-5,,,a=b',
    );
  });
});
