/**
 * One API call through the fake, in Telegram's order: find the method (case-insensitively, as
 * Telegram does; unknown → 404), validate the parameters against the contract (violation →
 * 400 unless told otherwise), apply an injected failure, run the handler, check the fake's own
 * answer against the contract, and record the call.
 */
import { decodeParams, type ParsedRequest } from './fakeBotApiBody.ts';
import type { ApiCall, CallLog } from './fakeBotApiCalls.ts';
import { builtinHandlers, genericResult, type MethodHandler } from './fakeBotApiMethods.ts';
import type { UpdateQueue } from './fakeBotApiUpdates.ts';
import { FakeApiError, type FakeWorld } from './fakeBotApiWorld.ts';
import { formatViolations, isKnownMethod, loadContract, validateCall, validateResult } from './telegramContract.ts';

/** A failure to answer instead of the real result (see `FakeBotApi.failNext`). */
export type InjectedFailure =
  | { kind: 'rateLimit'; retryAfter: number }
  | { kind: 'serverError' }
  | { kind: 'hang' }
  | { kind: 'error'; status: number; description: string };

/** An HTTP answer: status and the JSON body Telegram would send. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Telegram's error body. */
export function errorAnswer(status: number, description: string, parameters?: object): Answer {
  return { status, body: { ok: false, error_code: status, description, ...(parameters && { parameters }) } };
}

/** How the dispatcher behaves; see `FakeBotApiOptions`. */
export interface DispatchOptions {
  rejectViolations?: boolean;
  unhandled?: 'ok' | 'reject';
}

/** Runs calls against the world; holds the test's custom handlers and injected failures. */
export class Dispatcher {
  readonly custom = new Map<string, MethodHandler>();
  readonly failures = new Map<string, InjectedFailure[]>();
  private readonly methodNames = new Map(Object.keys(loadContract().methods).map((m) => [m.toLowerCase(), m]));

  constructor(
    private readonly world: FakeWorld,
    private readonly queue: UpdateQueue,
    private readonly log: CallLog,
    private readonly options: DispatchOptions,
    /** Called after every successful `setWebhook`, so queued updates start flowing to it. */
    private readonly onWebhookSet: () => void,
  ) {}

  /** Validates, records and answers one call; `'hang'` means: never answer. */
  async dispatch(name: string, req: ParsedRequest, via: ApiCall['via'], signal: AbortSignal): Promise<Answer | 'hang'> {
    const method = this.custom.has(name) ? name : (this.methodNames.get(name.toLowerCase()) ?? name);
    const params = decodeParams(method, req);
    const known = isKnownMethod(method);
    const custom = this.custom.get(method);
    const violations = known
      ? validateCall(method, params, { encoding: req.encoding, files: new Set(req.files.keys()) })
      : custom ? [] : [{ path: method, problem: 'unknown method' }];
    const call: ApiCall = { seq: this.log.nextSeq(), method, params, encoding: req.encoding, via, files: req.files, violations, status: 0 };
    const finish = (answer: Answer): Answer => {
      call.status = answer.status;
      if (answer.body.ok) call.result = answer.body.result;
      else call.description = answer.body.description as string;
      this.log.add(call);
      return answer;
    };
    if (!known && !custom) return finish(errorAnswer(404, 'Not Found'));
    if (violations.length > 0 && this.options.rejectViolations !== false) {
      return finish(errorAnswer(400, `Bad Request: ${formatViolations(violations)}`));
    }
    const injected = this.failures.get(method)?.shift();
    switch (injected?.kind) {
      case 'hang':
        this.log.add(call);
        return 'hang';
      case 'rateLimit':
        return finish(errorAnswer(429, `Too Many Requests: retry after ${injected.retryAfter}`, { retry_after: injected.retryAfter }));
      case 'serverError':
        return finish(errorAnswer(500, 'Internal Server Error'));
      case 'error':
        return finish(errorAnswer(injected.status, injected.description));
    }
    const handler = custom ?? builtinHandlers[method];
    if (!handler && this.options.unhandled === 'reject') {
      return finish(errorAnswer(400, `Bad Request: the fake Bot API does not implement ${method}; register it with fake.handle()`));
    }
    try {
      const result = await (handler ?? genericResult)({ method, params, files: req.files, world: this.world, queue: this.queue, signal });
      // A generic answer is a placeholder, not a claim about the method's result type.
      if (handler && known) this.log.addFakeViolations(method, call.seq, validateResult(method, result));
      if (method === 'setWebhook') this.onWebhookSet();
      return finish({ status: 200, body: { ok: true, result } });
    } catch (err) {
      if (err instanceof FakeApiError) return finish(errorAnswer(err.status, err.description, err.parameters));
      const message = err instanceof Error ? err.message : String(err);
      this.log.addFakeViolations(method, call.seq, [{ path: '', problem: `the fake failed: ${message}` }]);
      return finish(errorAnswer(500, 'Internal Server Error'));
    }
  }
}
