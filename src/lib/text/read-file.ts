import { readFileSync, statSync, type Stats } from 'node:fs';
import { IO_ERROR, PARSE_ERROR, type Diagnostic } from '../engine/diagnostic.ts';
import { firstInvalidUtf8, positionOfByte } from './utf8.ts';

/** A file's text, or the one diagnostic that says why it could not be read as text. */
export type ReadResult =
  | { text: string; bom: boolean; stat: Stats; diagnostic?: undefined; warning?: Diagnostic }
  | { text?: undefined; bom?: undefined; stat?: undefined; diagnostic: Diagnostic; warning?: undefined };

/** How {@link readTextFile} reads. */
export interface ReadTextOptions {
  /** A larger file is refused. */
  maxBytes: number;
  /** The file's {@link statTextFile}, when the caller took it already (to ask a cache first). */
  stat?: Stats;
  /**
   * A file that is not UTF-8 is read with U+FFFD in place of each bad byte, with a warning. A
   * caller that writes the file back, and must keep every other byte, refuses it instead: the
   * diagnostic is an error with this rule id, its message ending with `consequence`.
   */
  refuseNotUtf8?: { ruleId: string; consequence: string };
}

function problem(file: string, ruleId: string, message: string, hint: string): { diagnostic: Diagnostic } {
  return { diagnostic: { file, line: 1, column: 1, ruleId, severity: 'error', message, hint } };
}

const errnoHints: Record<string, string> = {
  ENOENT: 'The file vanished or is a broken symbolic link; restore it or remove it from the repository.',
  EACCES: 'Make the file readable (chmod a+r) or exclude it in the config.',
  EPERM: 'Make the file readable or exclude it in the config.',
  EISDIR: 'Rename the folder so the glob does not match it, or exclude it in the config.',
  ELOOP: 'The symbolic link points to itself; fix or remove it.',
};

function cannotRead(file: string, error: unknown): { diagnostic: Diagnostic } {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return problem(file, IO_ERROR, `Cannot read the file (${code})`, errnoHints[code] ?? 'Check that the file exists and is readable.');
}

/** A file's stat when it is a regular file within its size limit, or the diagnostic that says what it is instead. */
export type StatResult = { stat: Stats; diagnostic?: undefined } | { stat?: undefined; diagnostic: Diagnostic };

/** What a stat (or its error) says of a file that should be text of at most `maxBytes`. */
function judgeStat(file: string, maxBytes: number, info: Stats | undefined, error?: unknown): StatResult {
  if (!info) return cannotRead(file, error);
  if (info.isDirectory()) return problem(file, IO_ERROR, 'This is a folder, not a file', errnoHints.EISDIR as string);
  // A FIFO or a device would block the read, or never end.
  if (!info.isFile()) return problem(file, IO_ERROR, 'This is not a regular file', 'Exclude it in the config.');
  if (info.size > maxBytes) {
    return problem(
      file,
      IO_ERROR,
      `File is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit`,
      'Split it into smaller files, or exclude it in the config if it is not meant to be checked.',
    );
  }
  return { stat: info };
}

/**
 * Whether `absolute` is a regular file within `maxBytes`, as its stat; else the diagnostic at line
 * 1 that says what it is instead (missing, a folder, a FIFO, too large). Never throws.
 */
export function statTextFile(absolute: string, file: string, maxBytes: number): StatResult {
  let info: Stats;
  try {
    info = statSync(absolute);
  } catch (error) {
    return judgeStat(file, maxBytes, undefined, error);
  }
  return judgeStat(file, maxBytes, info);
}

/**
 * The one reader of rule files and runbooks, for lint, the site and fix: a file's UTF-8 text,
 * its byte order mark set apart. Never throws: a missing or unreadable path, a folder, a file
 * over `maxBytes` or a binary file each come back as a diagnostic at line 1. Synchronous: for
 * thousands of small files that is several times faster than fs/promises, and opens one file at a
 * time.
 */
export function readTextFile(absolute: string, file: string, options: ReadTextOptions): ReadResult {
  const checked = options.stat ? { stat: options.stat } : statTextFile(absolute, file, options.maxBytes);
  if (checked.diagnostic) return checked;
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    return cannotRead(file, error);
  }
  // A NUL byte never occurs in UTF-8 text; such a file is an image, an archive or similar.
  if (bytes.subarray(0, 8192).includes(0)) {
    return problem(file, PARSE_ERROR, 'This is a binary file, not text', 'Remove it, rename it, or exclude it in the config.');
  }
  const bad = firstInvalidUtf8(bytes);
  const refuse = options.refuseNotUtf8;
  if (bad >= 0 && refuse)
    return { diagnostic: { ...notUtf8(file, bytes, bad, refuse.consequence), severity: 'error', ruleId: refuse.ruleId } };
  const decoded = bytes.toString('utf8');
  const bom = decoded.startsWith('\uFEFF');
  const text = bom ? decoded.slice(1) : decoded;
  if (bad < 0) return { text, bom, stat: checked.stat };
  return { text, bom, stat: checked.stat, warning: notUtf8(file, bytes, bad, 'It is read with U+FFFD in place of each bad byte') };
}

/** The finding for a file that is not UTF-8, at its first bad byte. */
function notUtf8(file: string, bytes: Uint8Array, bad: number, consequence: string): Diagnostic {
  const at = positionOfByte(bytes, bad);
  return {
    file,
    ...at,
    ruleId: PARSE_ERROR,
    severity: 'warning',
    message: `The file is not valid UTF-8: byte 0x${(bytes[bad] as number).toString(16).padStart(2, '0').toUpperCase()} at offset ${bad}. ${consequence}`,
    hint: 'Convert the file to UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`), or replace the character here.',
  };
}

/** Says a byte count the way people read it: 5.0 MB, 1 MB, 312 KB. */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number.isInteger(bytes / 1048576) ? bytes / 1048576 : (bytes / 1048576).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
