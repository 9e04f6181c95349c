import { github } from './github.ts';
import { json } from './json.ts';
import { junit } from './junit.ts';
import { sarif } from './sarif.ts';
import { stylish } from './stylish.ts';
import type { Reporter } from './types.ts';

/** Output formats by the name `--format` takes; no prototype, so `--format constructor` is just unknown. */
export const reporters: Record<string, Reporter | undefined> = Object.assign(Object.create(null) as Record<string, Reporter>, {
  stylish,
  json,
  sarif,
  github,
  junit,
});
