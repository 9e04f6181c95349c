import { isUtf8 } from 'node:buffer';
import type { Position } from '../engine/diagnostic.ts';
import { LineIndex } from './positions.ts';

/** Length of the UTF-8 sequence that starts with `byte`, or 0 when it cannot start one. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1 when all of it is (the common case: one native check). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes[i] as number);
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return -1;
}

/** Line and column (UTF-16 units, as every other position) of a byte offset in UTF-8 that is valid up to there. */
export function positionOfByte(bytes: Uint8Array, offset: number): Position {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString('utf8');
  // A lone CR ends a line, as the readers count lines once they have made it an LF.
  return new LineIndex(before.replace(/\r(?!\n)/g, '\n')).at(before.length);
}
