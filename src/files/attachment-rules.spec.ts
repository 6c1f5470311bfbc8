import { ALLOWED_TYPES, attachmentKind, MAX_FILE_NAME_LENGTH, sanitiseFileName, sha256Hex } from './attachment-rules';
import { translate } from '../i18n/translate';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF\0');
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ');
const ZIP = bytes('PK\x03\x04', [0x14, 0, 0x06, 0], '[Content_Types].xml');
const OLE = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], Array(8).fill(0));
const EXE = bytes('MZ\x90\0\x03\0\0\0');

const ACCEPTED = 'PDF, images (PNG, JPEG, WebP) or office documents (DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS)';

/** What a person reads of a refused file, in English; an accepted file as it is. */
function kindOf(name: string, head: Buffer) {
  const kind = attachmentKind(name, head);
  return 'problem' in kind ? { problem: translate('en', kind.problem.key, kind.problem.params) } : kind;
}

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('sanitiseFileName', () => {
  it('keeps ordinary names, Cyrillic and other scripts as they are', () => {
    expect(sanitiseFileName('Бюджет 2026.pdf')).toBe('Бюджет 2026.pdf');
    expect(sanitiseFileName('Смета_проекта (v2).xlsx')).toBe('Смета_проекта (v2).xlsx');
    expect(sanitiseFileName('Ташкент — отчёт.docx')).toBe('Ташкент — отчёт.docx');
    expect(sanitiseFileName('提案书.pdf')).toBe('提案书.pdf');
    expect(sanitiseFileName('Report.PDF')).toBe('Report.PDF');
  });

  it('normalises to NFC, so the same name typed on a Mac and on Windows is the same string', () => {
    const decomposed = 'Отчёт.pdf'.normalize('NFD');
    expect(decomposed).not.toBe('Отчёт.pdf');
    expect(sanitiseFileName(decomposed)).toBe('Отчёт.pdf');
    expect(sanitiseFileName('Cafe\u0301.png')).toBe('Café.png');
  });

  it('drops every folder, with either kind of slash', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\x\\plan.docx')).toBe('plan.docx');
    expect(sanitiseFileName('/var/www/../shell.php')).toBe('shell.php');
    expect(sanitiseFileName('a/b\\c/d.pdf')).toBe('d.pdf');
    expect(sanitiseFileName('folder/')).toBe('file');
  });

  it('removes control characters and bidi overrides, so a name cannot disguise its extension', () => {
    expect(sanitiseFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitiseFileName('a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069.pdf')).toBe('abcdefgh.pdf');
    expect(sanitiseFileName('re\u0000port\u0007.pdf')).toBe('report.pdf');
    expect(sanitiseFileName('tab\there\r\nnew.pdf')).toBe('tabherenew.pdf');
    expect(sanitiseFileName('del\u007f c1\u0085\u009f.pdf')).toBe('del c1.pdf');
    expect(sanitiseFileName('half\uD800 an emoji.pdf')).toBe('half an emoji.pdf');
  });

  it('removes the bidi marks too, which turn a name around as the overrides do', () => {
    expect(sanitiseFileName('\u200Fتقرير\u200E.pdf')).toBe('تقرير.pdf');
    expect(sanitiseFileName('scan\u061Cfdp.exe')).toBe('scanfdp.exe');
    expect(sanitiseFileName('report\u200F.pdf\u200E')).toBe('report.pdf');
    const marks = [
      '\u061C',
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ];
    expect(sanitiseFileName(`${marks.join('')}план${marks.join('')}.docx`)).toBe('план.docx');
  });

  it('replaces the characters Windows refuses in names', () => {
    expect(sanitiseFileName('a<b>c:d"e|f?g*h.pdf')).toBe('a_b_c_d_e_f_g_h.pdf');
    expect(sanitiseFileName('Q1: budget?.xlsx')).toBe('Q1_ budget_.xlsx');
  });

  it('collapses runs of whitespace and trims spaces and dots from both ends', () => {
    expect(sanitiseFileName('  my \u00a0  \u3000 plan  .pdf  ')).toBe('my plan.pdf');
    expect(sanitiseFileName('report.pdf. . ')).toBe('report.pdf');
    expect(sanitiseFileName('.. report ..pdf')).toBe('report.pdf');
  });

  it('never returns an empty or hidden name', () => {
    expect(sanitiseFileName('')).toBe('file');
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName('...')).toBe('file');
    expect(sanitiseFileName(' . ')).toBe('file');
    expect(sanitiseFileName('\u202E\u0000')).toBe('file');
    expect(sanitiseFileName('.pdf')).toBe('file.pdf');
    expect(sanitiseFileName('.htaccess')).toBe('file.htaccess');
    expect(sanitiseFileName('..\\.bashrc')).toBe('file.bashrc');
    expect(sanitiseFileName('.hidden report.pdf')).toBe('hidden report.pdf');
    for (const name of ['.', '..', '.x', '. .y', '\u202E.z', ' ..env']) {
      expect(sanitiseFileName(name).startsWith('.')).toBe(false);
    }
  });

  it('caps long names, keeping the extension', () => {
    const long = sanitiseFileName(`${'a'.repeat(300)}.pdf`);
    expect(long).toBe(`${'a'.repeat(MAX_FILE_NAME_LENGTH - 4)}.pdf`);
    expect(long).toHaveLength(120);

    const cyrillic = sanitiseFileName(`${'Ж'.repeat(200)}.docx`);
    expect(cyrillic).toBe(`${'Ж'.repeat(115)}.docx`);

    expect(sanitiseFileName('x'.repeat(500))).toBe('x'.repeat(120));
  });

  it('counts characters, not UTF-16 units, and never cuts an emoji in half', () => {
    const emoji = sanitiseFileName(`${'😀'.repeat(200)}.pdf`);
    expect([...emoji]).toHaveLength(120);
    expect(emoji.endsWith('.pdf')).toBe(true);
    expect(emoji).not.toMatch(/\p{Cs}/u);
  });

  it('does not leave a space or dot where the cut falls', () => {
    expect(sanitiseFileName(`${'a'.repeat(115)} bbbb.pdf`)).toBe(`${'a'.repeat(115)}.pdf`);
    expect(sanitiseFileName(`${'a'.repeat(115)}.bbbbbbbbbbbbbbbbbbbb.pdf`)).toBe(`${'a'.repeat(115)}.pdf`);
  });

  it('keeps every result within the rules, whatever comes in', () => {
    const nasty = [
      '../\u202E..\u0000<>:"|?*\\ \t.',
      '\u200F\u061C.\u200E',
      'a\u200F.pdf',
      `${'.'.repeat(200)}x`,
      `${'<'.repeat(300)}.pdf`,
      '\\\\server\\share\\..\\..',
    ];
    for (const name of nasty) {
      const safe = sanitiseFileName(name);
      expect(safe.length).toBeGreaterThan(0);
      expect([...safe].length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
      expect(safe).not.toMatch(/[<>:"/\\|?*]/);
      expect(safe).not.toMatch(INVISIBLE);
      expect(safe).not.toMatch(/^[ .]|[ .]$/);
      expect(sanitiseFileName(safe)).toBe(safe);
    }
  });
});

describe('attachmentKind', () => {
  const contentFor: Record<string, Buffer> = {
    pdf: PDF,
    png: PNG,
    jpg: JPEG,
    jpeg: JPEG,
    webp: WEBP,
    docx: ZIP,
    xlsx: ZIP,
    pptx: ZIP,
    odt: ZIP,
    ods: ZIP,
    doc: OLE,
    xls: OLE,
    ppt: OLE,
  };

  it('knows exactly the agreed types, each with its MIME type', () => {
    expect(Object.fromEntries(ALLOWED_TYPES.map((t) => [t.ext, t.mime]))).toEqual({
      pdf: 'application/pdf',
      png: 'image/png',
      jpg: 'image/jpeg',
      jpeg: 'image/jpeg',
      webp: 'image/webp',
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      odt: 'application/vnd.oasis.opendocument.text',
      ods: 'application/vnd.oasis.opendocument.spreadsheet',
      doc: 'application/msword',
      xls: 'application/vnd.ms-excel',
      ppt: 'application/vnd.ms-powerpoint',
    });
  });

  it.each(ALLOWED_TYPES.map((t) => [t.ext, t.mime]))(
    'accepts a .%s file with the right magic bytes as %s',
    (ext, mime) => {
      expect(kindOf(`Заявка 2026.${ext}`, contentFor[ext])).toEqual({ ext, mime });
      expect(kindOf(`SCAN.${ext.toUpperCase()}`, contentFor[ext])).toEqual({ ext, mime });
    },
  );

  it('needs only the head of the file', () => {
    expect(kindOf('a.webp', WEBP.subarray(0, 12))).toEqual({ ext: 'webp', mime: 'image/webp' });
    expect(kindOf('a.webp', WEBP.subarray(0, 11))).toEqual({
      problem: '"a.webp" does not look like a WebP image.',
    });
    expect(kindOf('a.pdf', Buffer.from('%PDF-'))).toEqual({ ext: 'pdf', mime: 'application/pdf' });
  });

  it('refuses content that does not match its extension', () => {
    expect(kindOf('scan.pdf', PNG)).toEqual({ problem: '"scan.pdf" does not look like a PDF file.' });
    expect(kindOf('photo.png', JPEG)).toEqual({ problem: '"photo.png" does not look like a PNG image.' });
    expect(kindOf('plan.docx', OLE)).toEqual({ problem: '"plan.docx" does not look like a Word document.' });
    expect(kindOf('budget.xls', ZIP)).toEqual({
      problem: '"budget.xls" does not look like an Excel spreadsheet.',
    });
    expect(kindOf('invoice.pdf', EXE)).toEqual({ problem: '"invoice.pdf" does not look like a PDF file.' });
    expect(kindOf('fake.webp', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toEqual({
      problem: '"fake.webp" does not look like a WebP image.',
    });
    expect(kindOf('page.pdf', bytes(' %PDF-1.4'))).toEqual({
      problem: '"page.pdf" does not look like a PDF file.',
    });
  });

  it('refuses extensions that are not on the list, whatever the content', () => {
    expect(kindOf('report.exe', EXE)).toEqual({ problem: `"report.exe" is not an accepted type: ${ACCEPTED}.` });
    expect(kindOf('report.exe', PDF)).toEqual({ problem: `"report.exe" is not an accepted type: ${ACCEPTED}.` });
    for (const name of [
      'page.html',
      'archive.zip',
      'image.svg',
      'image.gif',
      'macro.docm',
      'README',
      'pdf',
      'x.constructor',
      'x.__proto__',
    ]) {
      expect(kindOf(name, PDF)).toEqual({
        problem: `"${sanitiseFileName(name)}" is not an accepted type: ${ACCEPTED}.`,
      });
    }
  });

  it('judges the sanitised name, and quotes it rather than what was sent', () => {
    expect(kindOf('invoice\u202Efdp.exe', EXE)).toEqual({
      problem: `"invoicefdp.exe" is not an accepted type: ${ACCEPTED}.`,
    });
    expect(kindOf('../../tmp/a.pdf', PDF)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
    expect(kindOf('report.pdf. ', PDF)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
    expect(kindOf('.pdf', PDF)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
  });

  it('mentions every accepted type in its refusal', () => {
    const refusal = kindOf('x.exe', EXE);
    expect(refusal).toHaveProperty('problem');
    const text = (refusal as { problem: string }).problem.toUpperCase();
    for (const { ext } of ALLOWED_TYPES) expect(text).toContain(ext === 'jpg' ? 'JPEG' : ext.toUpperCase());
  });

  it('refuses an empty file', () => {
    expect(kindOf('empty.pdf', Buffer.alloc(0))).toEqual({ problem: '"empty.pdf" is empty.' });
    expect(kindOf('empty.docx', Buffer.alloc(0))).toEqual({ problem: '"empty.docx" is empty.' });
  });
});

describe('sha256Hex', () => {
  it('gives the hex SHA-256 of the content', () => {
    expect(sha256Hex(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
