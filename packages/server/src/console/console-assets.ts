import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file of the built console, read once at start (the whole app is a few hundred KiB). */
export interface ConsoleAsset {
  body: Buffer;
  /** The gzip form, for text files a browser accepts it for. */
  gzip: Buffer | undefined;
  contentType: string;
}

/** The built console: its page and its hashed assets by file name. */
export interface ConsoleAssets {
  index: ConsoleAsset | undefined;
  assets: ReadonlyMap<string, ConsoleAsset>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where the built console lives: beside the bundle in a built or packed server (its build copies
 * `packages/console/dist` to `dist/console`), else the console package's own `dist` in the
 * workspace (the server run from its sources). `undefined` when it was never built.
 */
export function defaultConsoleDir(): string | undefined {
  const candidates = ['./console/', '../../console/dist/', '../../../console/dist/'];
  for (const candidate of candidates) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/**
 * Reads the console once. Only the files listed here are ever served: a request names a key of
 * this map, never a path, so no `..` or encoded separator can reach another file.
 */
export function loadConsoleAssets(dir: string | undefined): ConsoleAssets {
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) return { index: undefined, assets: new Map() };
  const assets = new Map<string, ConsoleAsset>();
  const assetsDir = join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      const path = join(assetsDir, name);
      if (statSync(path).isFile()) assets.set(name, readAsset(path));
    }
  }
  return { index: readAsset(join(dir, 'index.html')), assets };
}

function readAsset(path: string): ConsoleAsset {
  const body = readFileSync(path);
  const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  const compressible = contentType.startsWith('text/') || contentType.startsWith('image/svg') || contentType === 'application/json';
  return { body, gzip: compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined, contentType };
}
