import { ErpUnavailableError } from '../connector/ErpUnavailableError';
import { trytonReviver } from './trytonJson';

/** How to reach one Tryton database over JSON-RPC. */
export interface TrytonClientOptions {
  /** `http://host:port/<database>/` (the trailing slash matters to Tryton's router). */
  readonly url: string;
  readonly login: string;
  readonly password: string;
  /** Per request; a request past it is abandoned and reported as a timeout that may have committed. */
  readonly timeoutMs: number;
}

/** Tryton's answer to a call: a result, or a fault it raised on purpose (its `TrytonException`s). */
export type TrytonReply =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      /** `UserError`, `UserWarning`, `ConcurrencyException`, … */
      readonly type: string;
      readonly message: string;
      readonly description: string;
      /** A UserWarning's name (to confirm it), else null. */
      readonly warningName: string | null;
    };

interface Session {
  readonly authorization: string;
  /** The user's preferences: company, language…; sent as the context of every model call. */
  readonly context: Readonly<Record<string, unknown>>;
}

/**
 * A small Tryton 6.0 JSON-RPC client (`POST /<db>/` with `{id, method, params}`) on Node's fetch.
 * Logs in with `common.db.login` (params `[login, {password}, language]` → `[user id, session key]`) and sends
 * `Authorization: Session base64(login:userId:key)`. Model calls take their arguments, then the context as the
 * last parameter (without the company in it, `account.move.create` fails). A 401 (Tryton drops sessions idle for
 * more than `[session] timeout`, 5 minutes, before a `fresh_session` method such as `post`, and rejects the call
 * before running it) logs in again and repeats the call once. Everything that is not an answer from Tryton
 * throws `ErpUnavailableError`.
 */
export class TrytonClient {
  private session: Promise<Session> | null = null;
  private nextId = 1;

  constructor(private readonly options: TrytonClientOptions) {}

  /** Calls a model method: `call('model.account.move.create', [[values]])`; the context is appended. */
  async call(method: string, args: readonly unknown[], context: Record<string, unknown> = {}): Promise<TrytonReply> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.currentSession();
      const response = await this.post(method, [...args, { ...session.context, ...context }], session.authorization);
      if (response.status === 401 && attempt === 0) {
        this.session = null;
        continue;
      }
      return this.reply(method, response);
    }
  }

  /** Like `call`, but a Tryton fault is an invariant broken (reads that cannot be refused): it throws. */
  async read<T = unknown>(method: string, args: readonly unknown[], context?: Record<string, unknown>): Promise<T> {
    const reply = await this.call(method, args, context);
    if (!reply.ok) throw new Error(`tryton: ${method} failed: ${reply.type}: ${reply.message}`);
    return reply.result as T;
  }

  /** The user's context (company, …), logging in if needed. */
  async context(): Promise<Readonly<Record<string, unknown>>> {
    return (await this.currentSession()).context;
  }

  private currentSession(): Promise<Session> {
    if (!this.session) {
      this.session = this.login();
      // A failed login is not cached: the next call tries again.
      this.session.catch(() => (this.session = null));
    }
    return this.session;
  }

  private async login(): Promise<Session> {
    const { login, password } = this.options;
    const response = await this.post('common.db.login', [login, { password }, 'en'], null);
    if (response.status === 401 || response.status === 403 || response.status === 429) {
      throw new ErpUnavailableError(
        `tryton: login as ${login} refused (HTTP ${response.status})`,
        response.status === 429 ? 'RATE_LIMITED' : 'LOGIN',
        false,
      );
    }
    const reply = await this.reply('common.db.login', response);
    if (!reply.ok) throw new ErpUnavailableError(`tryton: login failed: ${reply.message}`, 'LOGIN', false);
    const [userId, key] = reply.result as [number, string];
    const authorization = `Session ${Buffer.from(`${login}:${userId}:${key}`).toString('base64')}`;
    const prefs = await this.post('model.res.user.get_preferences', [true, {}], authorization);
    const prefsReply = await this.reply('model.res.user.get_preferences', prefs);
    if (!prefsReply.ok) throw new ErpUnavailableError(`tryton: preferences: ${prefsReply.message}`, 'LOGIN', false);
    const p = prefsReply.result as Record<string, unknown>;
    return { authorization, context: { company: p.company, language: p.language ?? 'en' } };
  }

  private async post(method: string, params: unknown[], authorization: string | null): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (authorization) headers.Authorization = authorization;
    try {
      return await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw networkFault(method, err, this.options);
    }
  }

  private async reply(method: string, response: Response): Promise<TrytonReply> {
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw networkFault(method, err, this.options);
    }
    if (response.status === 429) {
      throw new ErpUnavailableError(`tryton: ${method}: rate limited (HTTP 429)`, 'RATE_LIMITED', false);
    }
    if (response.status >= 500) {
      // A 5xx from trytond's WSGI layer comes after the transaction rolled back; a proxy's 502/504 may not have.
      throw new ErpUnavailableError(`tryton: ${method}: HTTP ${response.status}`, 'HTTP_ERROR', response.status >= 502);
    }
    if (response.status !== 200) {
      throw new Error(`tryton: ${method}: HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    const body = JSON.parse(text, trytonReviver) as { result?: unknown; error?: unknown };
    if (body.error === undefined) return { ok: true, result: body.result ?? null };
    return fault(method, body.error);
  }
}

/** Tryton's `error`: `[type, args]` for its own exceptions, `[str(exception), traceback]` for anything else. */
function fault(method: string, error: unknown): TrytonReply {
  const [type, args] = Array.isArray(error) ? error : [String(error), null];
  if (type === 'UserError' && Array.isArray(args)) {
    return { ok: false, type, message: String(args[0]), description: String(args[1] ?? ''), warningName: null };
  }
  if (type === 'UserWarning' && Array.isArray(args)) {
    return {
      ok: false,
      type,
      warningName: String(args[0]),
      message: String(args[1]),
      description: String(args[2] ?? ''),
    };
  }
  if (type === 'ConcurrencyException' || type === 'RateLimitException') {
    throw new ErpUnavailableError(`tryton: ${method}: ${type}`, 'RATE_LIMITED', false);
  }
  // Any other exception is a server error: the transaction rolled back. Database trouble is transient; the
  // rest is reported with Tryton's first line (an invariant broken in the ERP, not a refusal of the document).
  const text = String(type);
  if (/OperationalError|could not connect|connection|timeout|deadlock/i.test(text)) {
    throw new ErpUnavailableError(`tryton: ${method}: ${text.split('\n')[0]}`, 'SERVER_ERROR', false);
  }
  return { ok: false, type: 'ServerError', message: text.split('\n')[0] ?? text, description: '', warningName: null };
}

function networkFault(method: string, err: unknown, options: TrytonClientOptions): ErpUnavailableError {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new ErpUnavailableError(
      `tryton: ${method}: no answer from ${options.url} within ${options.timeoutMs} ms`,
      'TIMEOUT',
      true,
      { cause: err },
    );
  }
  const code = e.cause?.code ?? '';
  // A refused or unresolvable connection never carried the request; a reset or a closed socket may have.
  const sent = !['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code);
  return new ErpUnavailableError(
    `tryton: ${method}: ${options.url} unreachable (${code || String(err)})`,
    'UNREACHABLE',
    sent,
    {
      cause: err,
    },
  );
}
