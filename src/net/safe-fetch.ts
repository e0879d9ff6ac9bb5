/**
 * Fetching a URL a client gave us without letting it reach inside our network (SSRF): only
 * http(s); every address the host name resolves to must be public unless private addresses are
 * allowed; the connection goes to the address that was checked (no second DNS answer can swap
 * it); each redirect is checked again; size and time are bounded.
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';

export interface SafeFetchOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface SafeFetchResponse {
  body: Readable;
  /** The URL after redirects. */
  url: string;
  contentType: string | null;
  /** From Content-Disposition or the last path segment. */
  fileName: string | null;
  /** Stops the download and frees the connection. */
  abort(): void;
}

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
  // Teredo delivers to an IPv4 host the address only hints at, so it is never judged as public.
  // (IPv4-translated ::ffff:0:0/96 is checked in isTranslatedIpv4: BlockList reads it as IPv4-mapped.)
  ['2001::', 32],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (the caller checked it is one). */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === null ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => parseInt(group, 16));
}

function ipv4From(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * The IPv4 address an IPv6 address carries and is delivered to: mapped (::ffff:a.b.c.d),
 * compatible (::a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16). A NAT64 or
 * 6to4 gateway would forward to that IPv4 address, so it is judged like the IPv4 address itself.
 */
function embeddedIpv4(address: string): string | null {
  const g = expandIpv6(address);
  if (g.length !== 8 || g.some((group) => Number.isNaN(group))) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && (g[5] === 0xffff || (g[5] === 0 && (g[6] !== 0 || g[7] > 1)))) return ipv4From(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && (zeros(2, 6) || g[2] === 1)) return ipv4From(g[6], g[7]);
  if (g[0] === 0x2002) return ipv4From(g[1], g[2]);
  return null;
}

/** IPv4-translated (SIIT, ::ffff:0:a.b.c.d): a translator delivers it to an IPv4 host, so it is refused outright. */
function isTranslatedIpv4(address: string): boolean {
  const g = expandIpv6(address);
  return g.length === 8 && g.slice(0, 4).every((group) => group === 0) && g[4] === 0xffff && g[5] === 0;
}

/** True for loopback, private, link-local, multicast and other non-public addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    if (isTranslatedIpv4(address)) return true;
    const carried = embeddedIpv4(address);
    if (carried) return blocked.check(carried, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

function refuse(host: string, address: string): AppError {
  return new AppError(
    'url_not_allowed',
    `The URL's host ${host} resolves to ${address}, a private, loopback or link-local address; use a public URL or upload the file.`,
  );
}

/** Resolves a host and checks every address; answers the address to connect to. */
export async function resolvePublicAddress(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) {
    if (!allowPrivate && isPrivateAddress(bare)) throw refuse(host, bare);
    return { address: bare, family: net.isIP(bare) };
  }
  let answers: Array<{ address: string; family: number }>;
  try {
    answers = await dns.lookup(bare, { all: true, verbatim: true });
  } catch {
    throw new AppError('download_failed', `The host ${host} could not be resolved; check the URL.`);
  }
  if (answers.length === 0) throw new AppError('download_failed', `The host ${host} has no addresses.`);
  if (!allowPrivate) {
    for (const answer of answers) if (isPrivateAddress(answer.address)) throw refuse(host, answer.address);
  }
  return answers[0];
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_request', `"${raw}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('url_not_allowed', `Only http and https URLs can be fetched, not ${url.protocol}`);
  if (url.username || url.password)
    throw new AppError('url_not_allowed', 'URLs with user names or passwords are not fetched; remove the credentials.');
  return url;
}

function fileNameFrom(url: URL, disposition: string | undefined): string | null {
  const match = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (match) return decodeURIComponent(match[1]).slice(0, 255);
  const last = url.pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last).slice(0, 255) : null;
}

function requestOnce(url: URL, address: { address: string; family: number }, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'GET',
      signal,
      headers: { 'user-agent': 'docsort/1 (+file fetch)', accept: '*/*' },
      // Connect to the address that was checked; TLS still verifies the certificate for the host name.
      lookup: (_hostname, options, callback) => {
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [address]);
        else callback(null, address.address, address.family);
      },
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
}

/** Opens a download of `raw`; the caller consumes `body` (and must respect `maxBytes` while reading). */
export async function safeFetch(raw: string, options: SafeFetchOptions): Promise<SafeFetchResponse> {
  let url = parseUrl(raw);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new AppError('timeout', `Downloading the URL took longer than ${Math.round(options.timeoutMs / 1000)} s.`)),
    options.timeoutMs,
  );
  const fail = (error: unknown): never => {
    clearTimeout(timer);
    controller.abort();
    if (error instanceof AppError) throw error;
    if (controller.signal.reason instanceof AppError) throw controller.signal.reason;
    throw new AppError('download_failed', `The URL could not be downloaded: ${(error as Error).message}`);
  };
  try {
    for (let redirects = 0; ; redirects++) {
      const address = await resolvePublicAddress(url.hostname, options.allowPrivate);
      const response = await requestOnce(url, address, controller.signal);
      const status = response.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
        response.resume();
        if (redirects >= options.maxRedirects)
          throw new AppError('download_failed', `The URL redirected more than ${options.maxRedirects} times.`);
        url = parseUrl(new URL(response.headers.location, url).toString());
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new AppError('download_failed', `The URL answered HTTP ${status}; check that it points to a file.`);
      }
      const length = Number(response.headers['content-length']);
      if (Number.isFinite(length) && length > options.maxBytes) {
        response.resume();
        throw new AppError('file_too_large', `The file at the URL is ${length} bytes; the limit is ${options.maxBytes}.`);
      }
      response.on('close', () => clearTimeout(timer));
      response.on('end', () => clearTimeout(timer));
      return {
        body: response,
        url: url.toString(),
        contentType: response.headers['content-type'] ?? null,
        fileName: fileNameFrom(url, response.headers['content-disposition']),
        abort: () => {
          clearTimeout(timer);
          controller.abort();
        },
      };
    }
  } catch (error) {
    return fail(error);
  }
}
