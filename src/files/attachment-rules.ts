// Pure rules for attachments: what a file may be called, and which files are accepted.

import { createHash } from 'node:crypto';
import type { ExplanationParams } from '../../workflows/kit';

/** Bytes the content must have at `at`. */
export interface Signature {
  readonly at: number;
  readonly bytes: readonly number[];
}

export interface AllowedType {
  /** Lower case, without the dot. */
  readonly ext: string;
  readonly mime: string;
  /** How a refusal names it (`attachment.looksUnlike`'s kind): `"scan.pdf" does not look like a PDF file`. */
  readonly label: string;
  /** All of these must match. */
  readonly magic: readonly Signature[];
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const PDF: Signature[] = [{ at: 0, bytes: ascii('%PDF-') }];
const PNG: Signature[] = [{ at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }];
const JPEG: Signature[] = [{ at: 0, bytes: [0xff, 0xd8, 0xff] }];
const WEBP: Signature[] = [
  { at: 0, bytes: ascii('RIFF') },
  { at: 8, bytes: ascii('WEBP') },
];
const ZIP: Signature[] = [{ at: 0, bytes: ascii('PK\x03\x04') }];
const OLE: Signature[] = [{ at: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] }];

/**
 * Every kind of file an application may carry. The magic bytes only name the container: Office Open
 * XML and OpenDocument files are zip archives and legacy Office files are OLE compound files, and
 * nothing here opens them, so a zip renamed to .docx passes. What the check stops is the executable,
 * script or HTML page dressed up with a harmless extension.
 */
export const ALLOWED_TYPES: readonly AllowedType[] = [
  { ext: 'pdf', mime: 'application/pdf', label: 'pdf', magic: PDF },
  { ext: 'png', mime: 'image/png', label: 'png', magic: PNG },
  { ext: 'jpg', mime: 'image/jpeg', label: 'jpeg', magic: JPEG },
  { ext: 'jpeg', mime: 'image/jpeg', label: 'jpeg', magic: JPEG },
  { ext: 'webp', mime: 'image/webp', label: 'webp', magic: WEBP },
  {
    ext: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'word',
    magic: ZIP,
  },
  {
    ext: 'xlsx',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'excel',
    magic: ZIP,
  },
  {
    ext: 'pptx',
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    label: 'powerpoint',
    magic: ZIP,
  },
  { ext: 'odt', mime: 'application/vnd.oasis.opendocument.text', label: 'odt', magic: ZIP },
  {
    ext: 'ods',
    mime: 'application/vnd.oasis.opendocument.spreadsheet',
    label: 'ods',
    magic: ZIP,
  },
  { ext: 'doc', mime: 'application/msword', label: 'word', magic: OLE },
  { ext: 'xls', mime: 'application/vnd.ms-excel', label: 'excel', magic: OLE },
  { ext: 'ppt', mime: 'application/vnd.ms-powerpoint', label: 'powerpoint', magic: OLE },
];

/** Why a file is refused: a catalogue key (`attachment.*`) and its parameters, worded for the reader. */
export interface AttachmentProblem {
  key: string;
  params: ExplanationParams;
}

export const MAX_FILE_NAME_LENGTH = 120;

// C0, DEL and C1 controls; every bidi control and mark that can make "fdp.exe" read as "exe.pdf" (the
// Arabic letter mark, the left-to-right and right-to-left marks, the embeddings, overrides and isolates);
// lone surrogate halves, which cannot be written as UTF-8.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;
const RESERVED = /[<>:"/\\|?*]/g;
const EXTENSION = /\.([\p{L}\p{N}]{1,16})$/u;

/**
 * The name a person gave a file, made safe to show, to store and to offer back in a download: no folders,
 * nothing invisible or reversing, none of the characters Windows refuses in a name, no leading dot that
 * would hide it, and short enough for the database column. Letters of every script stay as they are,
 * and the extension survives shortening, since it is what tells the reader what the file is.
 */
export function sanitiseFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const clean = base
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/[ .]+$/, '');
  const ext = EXTENSION.exec(clean)?.[0] ?? '';
  const stem = trimSpacesAndDots(clean.slice(0, clean.length - ext.length));
  // Counted in code points, as PostgreSQL counts characters, so that an emoji is never cut in half.
  const room = MAX_FILE_NAME_LENGTH - ext.length;
  const capped = trimSpacesAndDots([...stem].slice(0, room).join(''));
  return (capped || 'file') + ext;
}

function trimSpacesAndDots(text: string): string {
  return text.replace(/^[ .]+|[ .]+$/g, '');
}

/**
 * Whether a file is accepted, and as what. The extension and the first bytes must agree: the extension
 * alone is whatever the uploader typed, and the bytes alone would let a PDF be served as a .exe download.
 * `head` is the start of the content (the first 16 bytes are enough) or all of it.
 */
export function attachmentKind(
  name: string,
  head: Buffer,
): { ext: string; mime: string } | { problem: AttachmentProblem } {
  const safe = sanitiseFileName(name);
  const ext = EXTENSION.exec(safe)?.[1].toLowerCase();
  const type = ALLOWED_TYPES.find((t) => t.ext === ext);
  if (!type) return { problem: { key: 'attachment.notAccepted', params: { name: safe } } };
  if (head.length === 0) return { problem: { key: 'attachment.empty', params: { name: safe } } };
  const matches = type.magic.every(({ at, bytes }) => bytes.every((byte, i) => head[at + i] === byte));
  if (!matches) return { problem: { key: 'attachment.looksUnlike', params: { name: safe, kind: type.label } } };
  return { ext: type.ext, mime: type.mime };
}

/** Hex SHA-256 of the content: stored with the file, so a download can be checked and duplicates found. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
