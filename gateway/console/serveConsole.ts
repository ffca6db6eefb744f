import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Logger } from 'pino';
import { reference } from '../../canonical-schema/reference/reference';
import { ROLES } from '../../security/roles';
import type { SecurityConfig } from '../../security/SecurityConfig';
import type { ConsoleOptions } from './ConsoleOptions';
import { developmentToken } from './developmentToken';
import { consoleSecurityHeaders } from './securityHeaders';

/** Where the console lives on the gateway's origin. */
export const CONSOLE_PATH = '/console';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The largest body the development sign-in reads. */
const MAX_SIGN_IN_BYTES = 4096;

/**
 * The operations console on the gateway's origin (so no CORS, one URL): `GET /console/…` serves the built bundle
 * (hashed assets cached for good, every other path the app's index.html, which routes in the browser);
 * `GET /console/config.json` says how to sign in; `POST /console/dev-token` signs a development token (never in
 * production mode). Returns false for any other path (the GraphQL endpoint stays where it is).
 */
export function consoleHandler(options: ConsoleOptions, security: SecurityConfig, logger: Logger) {
  const headers = consoleSecurityHeaders(options.oidc ? new URL(options.oidc.issuer).origin : null);
  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) =>
    void res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': 'no-store', ...extra }).end(body);
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const developmentSignIn = !security.production && security.userTokens.kind === 'secret';

  async function serveFile(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const root = normalize(options.dir);
    const relative = decodeURIComponent(path.slice(CONSOLE_PATH.length)).replace(/^\/+/, '');
    const file = normalize(join(root, relative));
    // Nothing outside the bundle's folder, whatever the path says.
    const inside = file.startsWith(root + sep);
    const found = inside && relative !== '' ? await stat(file).catch(() => null) : null;
    const target = found?.isFile() ? file : join(root, 'index.html');
    const isIndex = target === join(root, 'index.html');
    if (isIndex && relative.startsWith('assets/')) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    const info = await stat(target).catch(() => null);
    if (!info) {
      return send(
        res,
        503,
        'text/plain; charset=utf-8',
        'The console is not built: run `npm run console:build` (npm start and npm test build it).',
      );
    }
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'content-length': String(info.size),
      // Vite names every asset by its content hash: a new build is a new URL. The page itself is never cached, so a
      // new build is picked up at the next load.
      'cache-control': isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(target).pipe(res);
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_SIGN_IN_BYTES) return json(res, 413, { error: 'The sign-in request is too large.' });
      chunks.push(chunk as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(res, 400, { error: 'The sign-in request is not JSON.' });
    }
    const out = await developmentToken(body, security, options.developmentTokenSeconds);
    if (!out.ok) return json(res, out.status, { error: out.message });
    logger.info({ subject: out.subject }, 'console: development token signed');
    json(res, 200, { token: out.token, expiresAt: out.expiresAt });
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (path === `${CONSOLE_PATH}/dev-token`) {
      if (req.method !== 'POST') send(res, 405, 'text/plain; charset=utf-8', 'POST only', { allow: 'POST' });
      else await signIn(req, res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'GET only', { allow: 'GET, HEAD' });
      return true;
    }
    if (path === `${CONSOLE_PATH}/config.json`) {
      json(res, 200, {
        signIn: developmentSignIn ? 'development' : options.oidc ? 'oidc' : 'none',
        production: security.production,
        oidc: options.oidc,
        roles: ROLES,
        legalEntities: reference.legalEntities.map((l) => ({ id: l.id, name: l.name, baseCurrency: l.baseCurrency })),
      });
      return true;
    }
    // /console itself: the app's base is /console/, so relative links resolve under it.
    if (path === CONSOLE_PATH) {
      const search = new URL(req.url ?? '/', 'http://gateway').search;
      send(res, 308, 'text/plain; charset=utf-8', '', { location: `${CONSOLE_PATH}/${search}` });
      return true;
    }
    await serveFile(req, res, path);
    return true;
  };
}
