/** Detects a file's real type from its first bytes; the name and the client's claim are never trusted. */
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import type { FileType } from '../core/document.js';

/** Enough for every signature below, including a PDF header preceded by junk (allowed up to 1 KB). */
export const SNIFF_BYTES = 1024;

export const SUPPORTED_TYPES_TEXT = 'PDF, JPEG, PNG, GIF, WebP, BMP and TIFF';

/** Known formats we do not read, named so the error message can say what the file is. */
const KNOWN_OTHER_SIGNATURES: Array<{ name: string; test: (bytes: Buffer) => boolean }> = [
  { name: 'an executable (ELF)', test: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) },
  { name: 'a Windows executable', test: (b) => startsWith(b, [0x4d, 0x5a]) },
  { name: 'a ZIP archive (e.g. DOCX, XLSX or ODT)', test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
  { name: 'a legacy Office document (DOC/XLS)', test: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0]) },
  { name: 'git-crypt ciphertext', test: (b) => b.subarray(0, 10).toString('latin1') === '\0GITCRYPT\0' },
  { name: 'a gzip archive', test: (b) => startsWith(b, [0x1f, 0x8b]) },
  { name: 'a HEIC/AVIF image', test: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
];

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((value, index) => bytes[index] === value);
}

function isBmp(bytes: Buffer): boolean {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return false;
  // "BM" alone is too weak (plain text can start with it); the DIB header size must be a known one.
  const dibHeaderSize = bytes.readUInt32LE(14);
  return [12, 40, 52, 56, 64, 108, 124].includes(dibHeaderSize);
}

/** The supported type these bytes start with, or null. */
export function detectFileType(bytes: Buffer): FileType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  const head6 = bytes.subarray(0, 6).toString('latin1');
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return 'gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (isBmp(bytes)) return 'bmp';
  // PDF readers accept a header anywhere in the first kilobyte; scanners and mailers sometimes prepend junk.
  if (bytes.subarray(0, SNIFF_BYTES).includes('%PDF-', 0, 'latin1')) return 'pdf';
  return null;
}

function describeUnsupported(bytes: Buffer, filePath: string): string {
  const known = KNOWN_OTHER_SIGNATURES.find((signature) => signature.test(bytes));
  const extension = path.extname(filePath).slice(1).toLowerCase();
  const claimed = ['pdf', 'jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff'].includes(extension)
    ? ` although it is named .${extension}`
    : '';
  const what = known ? `looks like ${known.name}` : 'is not a format docsort reads';
  return `The file ${what}${claimed}. Supported types: ${SUPPORTED_TYPES_TEXT}; send one of those (convert other formats to PDF first).`;
}

/** Reads only the first bytes of the file and names its type, or throws `empty_file` / `unsupported_file_type`. */
export async function sniffFile(filePath: string): Promise<FileType> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new AppError('not_found', `Cannot open the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Check the path.`);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new AppError('empty_file', 'The file is empty (0 bytes); send a file with content.');
    const buffer = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const type = detectFileType(bytes);
    if (!type) throw new AppError('unsupported_file_type', describeUnsupported(bytes, filePath));
    return type;
  } finally {
    await handle.close();
  }
}
