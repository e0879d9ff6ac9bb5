/**
 * The review console, served by the same process as the API: `/console/` is the page and
 * `/console/assets/*` its script, styles and icon, built from `web/` into `dist/web/`; `/`
 * redirects there. The console speaks only the public API, so it works the same embedded and
 * scaled out. Nothing is loaded from elsewhere, which the content security policy enforces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { AppError } from '../core/errors.js';
import type { Deps } from '../deps.js';
import type { ApiInstance } from './api-instance.js';

/** dist/src/api/ → dist/web/ (the web build's output). */
export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const AssetParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9._-]+$', maxLength: 100 }) });

export function registerConsoleRoutes(app: ApiInstance, _deps: Deps, consoleDir: string = CONSOLE_DIR): void {
  const readPage = () => {
    try {
      return fs.readFileSync(path.join(consoleDir, 'index.html'));
    } catch {
      return null;
    }
  };

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));
  app.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/'));

  app.get('/console/', { schema: { hide: true } }, async (_request, reply) => {
    const page = readPage();
    if (!page)
      throw new AppError(
        'service_unavailable',
        'The console is not built on this installation; run `npm run build` (it builds web/ into dist/web/).',
      );
    return reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type(CONTENT_TYPES['.html']).send(page);
  });

  app.get('/console/assets/:name', { schema: { hide: true, params: AssetParams } }, async (request, reply) => {
    const { name } = request.params;
    const type = CONTENT_TYPES[path.extname(name)];
    let body: Buffer;
    try {
      if (!type) throw new Error('unknown type');
      body = await fs.promises.readFile(path.join(consoleDir, 'assets', name));
    } catch {
      throw new AppError('not_found', `The console has no asset "${name}".`);
    }
    // Asset names do not change with their content, so the browser checks back on each load.
    return reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type(type).send(body);
  });
}
