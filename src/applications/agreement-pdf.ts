import PDFDocument from 'pdfkit';
import type { Locale } from '../../workflows/localised';

// The agreement as a PDF, laid out from the same HTML the agreement's template renders, so the two
// never say different things. The template's HTML is plain: headings, paragraphs, list items and
// table rows; each becomes one block of the PDF. Noto Sans comes in the npm package
// @expo-google-fonts/noto-sans as full TrueType files (Latin, Cyrillic and Cyrillic Extended: ө, ү,
// ң), so the service and CI embed the same font without any fonts of the system.

export type Block =
  { kind: 'h1' | 'h2' | 'p' | 'li'; text: string } | { kind: 'row'; header: boolean; cells: string[] };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text of an HTML fragment: tags dropped, entities (named and numeric, as Handlebars escapes them) decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#')
        return String.fromCodePoint(
          name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
        );
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The blocks of the agreement's body, in order: what the PDF lays out. */
export function agreementBlocks(html: string): Block[] {
  const body = /<body>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const blocks: Block[] = [];
  for (const match of body.matchAll(/<(h1|h2|p|li|tr)>([\s\S]*?)<\/\1>/gi)) {
    const kind = match[1].toLowerCase() as 'h1' | 'h2' | 'p' | 'li' | 'tr';
    if (kind !== 'tr') {
      blocks.push({ kind, text: textOf(match[2]) });
      continue;
    }
    const cells = [...match[2].matchAll(/<(td|th)>([\s\S]*?)<\/\1>/gi)];
    blocks.push({
      kind: 'row',
      header: cells.some((c) => c[1].toLowerCase() === 'th'),
      cells: cells.map((c) => textOf(c[2])),
    });
  }
  return blocks;
}

export interface PdfFonts {
  regular: string;
  bold: string;
}

/** The font files, from the npm package that ships them. */
export function notoSans(): PdfFonts {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
  };
}

/** Lays out the agreement's HTML as an A4 PDF with the fonts embedded (subset to the letters used). */
export function agreementPdf(html: string, locale: Locale, fonts: PdfFonts = notoSans()): Promise<Buffer> {
  const blocks = agreementBlocks(html);
  const title = blocks.find((b) => b.kind === 'h1');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    lang: locale,
    info: { Title: title && 'text' in title ? title.text : 'Grant agreement' },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const block of blocks) write(doc, block);
  doc.end();
  return done;
}

function write(doc: PDFKit.PDFDocument, block: Block): void {
  switch (block.kind) {
    case 'h1':
      doc.font('bold').fontSize(16).text(block.text).moveDown(0.5);
      return;
    case 'h2':
      doc.moveDown(0.5).font('bold').fontSize(12).text(block.text).moveDown(0.25);
      return;
    case 'p':
      doc.font('regular').fontSize(10.5).text(block.text).moveDown(0.4);
      return;
    case 'li':
      doc.font('regular').fontSize(10.5).text(`•  ${block.text}`, { indent: 12 }).moveDown(0.2);
      return;
    case 'row':
      doc
        .font(block.header ? 'bold' : 'regular')
        .fontSize(10)
        .text(block.cells.join('   |   '))
        .moveDown(0.2);
  }
}
