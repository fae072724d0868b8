/**
 * The record of every call the bot made to the fake, contract violations included, and the
 * way tests wait for the bot's reaction: `nextCall` hands out each call once, oldest first, so
 * a reply that came before the test started waiting is not missed.
 */
import type { UploadedFile } from './fakeBotApiBody.ts';
import { formatViolations, type Violation } from './telegramContract.ts';

/** One call the bot made, as the fake received and answered it. */
export interface ApiCall {
  /** Order of arrival, from 1. */
  seq: number;
  method: string;
  /** Decoded parameters: numbers, booleans and objects whichever encoding was used. */
  // Loose on purpose: tests assert on fields; the contract check already covered their shape.
  params: Record<string, any>;
  encoding: 'json' | 'form';
  /** `webhookReply` when the bot made the call in its answer to a webhook POST. */
  via: 'http' | 'webhookReply';
  /** Uploaded file parts by part name. */
  files: Map<string, UploadedFile>;
  violations: Violation[];
  /** HTTP status answered; 0 while the request is held by an injected hang. */
  status: number;
  /** The `result` of a successful answer (a Message for sendMessage...). */
  result?: any;
  /** The `description` of an error answer. */
  description?: string;
}

/** A contract violation, by the bot (its call) or by the fake itself (its answer or update). */
export interface CallViolation extends Violation {
  method: string;
  seq: number;
  source: 'bot' | 'fake';
}

/** Thrown when the awaited call does not come in time, or the fake closes first. */
export class CallNotMadeError extends Error {
  override readonly name = 'CallNotMadeError';
  readonly code = 'FAKE_CALL_NOT_MADE';
}

interface Waiter {
  method: string;
  predicate: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Calls in arrival order, violations, and the waiters of `nextCall`. */
export class CallLog {
  readonly calls: ApiCall[] = [];
  readonly violations: CallViolation[] = [];
  private readonly taken = new WeakSet<ApiCall>();
  private waiters: Waiter[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  /** Adds an answered (or hanging) call and hands it to the first waiter that wants it. */
  add(call: ApiCall): void {
    this.calls.push(call);
    for (const v of call.violations) this.violations.push({ ...v, method: call.method, seq: call.seq, source: 'bot' });
    const waiter = this.waiters.find((w) => w.method === call.method && w.predicate(call));
    if (!waiter) return;
    this.taken.add(call);
    this.waiters = this.waiters.filter((w) => w !== waiter);
    clearTimeout(waiter.timer);
    waiter.resolve(call);
  }

  /** Records a flaw in the fake's own output, so `assertNoViolations` reports it too. */
  addFakeViolations(method: string, seq: number, found: readonly Violation[]): void {
    for (const v of found) this.violations.push({ ...v, method, seq, source: 'fake' });
  }

  /** The oldest call of `method` not yet handed out that satisfies `predicate`. */
  nextCall(method: string, predicate: (call: ApiCall) => boolean = () => true, timeoutMs = 10_000): Promise<ApiCall> {
    const ready = this.calls.find((c) => c.method === method && !this.taken.has(c) && predicate(c));
    if (ready) {
      this.taken.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const seen = this.calls.map((c) => `${c.method}${c.status === 200 ? '' : `(${c.status})`}`).join(', ') || 'none';
          reject(new CallNotMadeError(`no matching ${method} call within ${timeoutMs} ms; calls so far: ${seen}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Every call of `method` so far. */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Throws one error listing every violation so far; a test calls it before it ends. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `  #${v.seq} ${v.method} (${v.source}): ${formatViolations([v])}`);
    throw new Error(`Bot API contract violations:\n${lines.join('\n')}`);
  }

  /** Returns the violations so far and forgets them. */
  takeViolations(): CallViolation[] {
    return this.violations.splice(0);
  }

  /** Fails every pending `nextCall`. */
  close(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new CallNotMadeError(`the fake Bot API closed while waiting for ${w.method}`));
    }
    this.waiters = [];
  }
}
