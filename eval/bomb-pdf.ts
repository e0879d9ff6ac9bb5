/**
 * A decompression bomb as a PDF: one page whose FlateDecode content stream is small on disk and
 * inflates to `inflatedBytes` of drawing operators. Used by the page-budget tests, the bomb
 * benchmark (eval/bench-bombs.ts) and the fuzzer's inflated-stream mutants.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflate } from 'node:zlib';

/** A repeated line of real operators: a parser that takes the stream must interpret every one. */
const OPERATORS = '0 0 m 100 100 l S 1 0 0 1 0 0 cm\n';

/** Deflates `inflatedBytes` of operators in 4 MB slices, so building a 1 GiB bomb never holds 1 GiB. */
async function inflatingStream(inflatedBytes: number): Promise<Buffer> {
  const slice = Buffer.from(OPERATORS.repeat(Math.ceil((4 * 1024 * 1024) / OPERATORS.length)));
  async function* operators() {
    for (let left = inflatedBytes; left > 0; left -= slice.length) yield slice.subarray(0, Math.min(left, slice.length));
  }
  const compressed: Buffer[] = [];
  await pipeline(Readable.from(operators()), createDeflate({ level: 9 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) compressed.push(chunk);
  });
  return Buffer.concat(compressed);
}

export async function buildBombPdf(inflatedBytes: number): Promise<Buffer> {
  const content = await inflatingStream(inflatedBytes);
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0].length;
  for (const [index, body] of objects.entries()) {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(part);
    length += part.length;
  }
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}
