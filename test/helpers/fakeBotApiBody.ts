/**
 * Reads a Bot API request the way Telegram does: a JSON body, a multipart/form-data body (what
 * grammY sends when a parameter is an `InputFile`), an urlencoded body or query parameters.
 * Then decodes the parameters into plain values by the contract, so handlers and tests see
 * `duration: 12` and `reply_markup: {...}` whichever encoding the bot used.
 */
import type { IncomingMessage } from 'node:http';
import { loadContract } from './telegramContract.ts';

/** One uploaded file part. `part` is the form field it came in (grammY uses a random id). */
export interface UploadedFile {
  part: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** A request body as received: raw parameters, uploaded parts and how they were encoded. */
export interface ParsedRequest {
  raw: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  encoding: 'json' | 'form';
}

/** The body could not be read as any format Telegram accepts. */
export class UnreadableBodyError extends Error {
  override readonly name = 'UnreadableBodyError';
  readonly code = 'FAKE_UNREADABLE_BODY';
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the parameters of one API request (body and query string). */
export async function readApiRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const body = await readAll(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const query = Object.fromEntries(url.searchParams);
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
    if (!boundary) throw new UnreadableBodyError('multipart body without a boundary');
    const { fields, files } = parseMultipart(body, boundary[1] ?? boundary[2]!);
    return { raw: { ...query, ...fields }, files, encoding: 'form' };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    return { raw: { ...query, ...fields }, files: new Map(), encoding: 'form' };
  }
  if (body.length === 0) return { raw: query, files: new Map(), encoding: Object.keys(query).length ? 'form' : 'json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UnreadableBodyError("can't parse JSON object");
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UnreadableBodyError('the JSON body is not an object');
  }
  return { raw: { ...query, ...(parsed as Record<string, unknown>) }, files: new Map(), encoding: 'json' };
}

/** A `content-disposition` parameter, quoted or (as grammY writes `filename=`) bare. */
function dispositionParam(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!.trim();
}

/** Splits a multipart/form-data body into text fields and file parts. */
export function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: Map<string, UploadedFile> } {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new UnreadableBodyError('multipart body without its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), pos);
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw new UnreadableBodyError('truncated multipart body');
    const headers = new Map<string, string>();
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    const content = body.subarray(headerEnd + 4, next);
    const filename = dispositionParam(disposition, 'filename');
    if (name === undefined) throw new UnreadableBodyError('multipart part without a name');
    if (filename !== undefined) {
      const contentType = headers.get('content-type') ?? 'application/octet-stream';
      files.set(name, { part: name, filename, contentType, bytes: Buffer.from(content) });
    } else fields[name] = content.toString('utf8');
    pos = next + 2;
  }
  return { fields, files };
}

const scalar = new Set(['Integer', 'Float', 'Boolean', 'String', 'InputFile']);

/**
 * Turns raw parameters into plain values by the method's contract: form strings into numbers
 * and booleans, JSON-serialised objects into objects, and a file part sent directly under a
 * parameter's name into an `attach://` reference. Values that do not decode stay as they are,
 * so validation still reports them.
 */
export function decodeParams(method: string, req: ParsedRequest): Record<string, unknown> {
  const spec = loadContract().methods[method]?.params ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.raw)) {
    const types = spec[k]?.types ?? [];
    out[k] = typeof v === 'string' ? decodeString(v, types, req.encoding === 'form') : v;
  }
  for (const part of req.files.keys()) {
    if (spec[part]?.types.includes('InputFile') && out[part] === undefined) out[part] = `attach://${part}`;
  }
  return out;
}

function decodeString(v: string, types: readonly string[], form: boolean): unknown {
  if (form && types.includes('Integer') && /^-?\d+$/.test(v)) return Number(v);
  if (form && types.includes('Float') && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (form && types.includes('Boolean') && (v === 'true' || v === 'false')) return v === 'true';
  if (types.some((t) => !scalar.has(t)) && /^\s*[[{]/.test(v)) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}
