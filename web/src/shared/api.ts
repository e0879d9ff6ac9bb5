/**
 * The console's only way to the server: the public HTTP API, with the API key kept in session
 * storage (gone when the browser tab closes). Every failure becomes an `ApiError` whose message a
 * person can act on, including a lost network or a restarting server.
 */
import type { ClassifyRun } from '../../../src/core/api-types.js';

const KEY_STORAGE = 'docsort.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function savedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function saveKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const OFFLINE_MESSAGE = 'Cannot reach the docsort server: it may be restarting or the network is down. Nothing saved is lost; try again.';

function authHeaders(key: string | null = savedKey()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function send(path: string, init: RequestInit, key?: string | null): Promise<Response> {
  try {
    return await fetch(path, { ...init, headers: { ...authHeaders(key), ...(init.headers as Record<string, string> | undefined) } });
  } catch {
    throw new ApiError(0, 'network', OFFLINE_MESSAGE);
  }
}

async function readError(response: Response): Promise<ApiError> {
  let code = 'http_error';
  let message = `The server answered ${response.status} ${response.statusText}.`;
  try {
    const body = (await response.json()) as { error?: string; message?: string };
    if (body.error) code = body.error;
    if (body.message) message = body.message;
  } catch {
    if (response.status >= 502) message = OFFLINE_MESSAGE;
  }
  return new ApiError(response.status, code, message);
}

export async function api<T>(method: string, path: string, body?: unknown, options: { key?: string | null } = {}): Promise<T> {
  const init: RequestInit = { method };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await send(path, init, options.key);
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401 && options.key === undefined) for (const listener of signedOutListeners) listener();
    throw error;
  }
  return (await response.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

const imageCache = new Map<string, Promise<string>>();

/** A page image as an object URL: `<img>` cannot send the API key, so the console fetches it. */
export function pageImage(fileId: string, page: number, maxSize: number): Promise<string> {
  const path = `/v1/files/${fileId}/pages/${page + 1}?format=png&max_size=${maxSize}`;
  let cached = imageCache.get(path);
  if (!cached) {
    cached = send(path, { method: 'GET' }).then(async (response) => {
      if (!response.ok) throw await readError(response);
      return URL.createObjectURL(await response.blob());
    });
    cached.catch(() => imageCache.delete(path));
    imageCache.set(path, cached);
  }
  return cached;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export type { ClassifyRun };
