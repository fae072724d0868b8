/**
 * Several `src/main.ts` processes on one database, as a scale-out deployment runs them: web
 * instances (behind a load balancer) and workers, each a real child process with its own
 * `HTTP_PORT`, `DATA_DIR` and `TMPDIR`, started together and waited for through `/readyz`.
 * The environment of each comes from the test (`envOf`); the fleet adds `BOT_ROLE` (left unset
 * for `all`, today's single-process default), `HTTP_PORT`, `DATA_DIR` and `TMPDIR`.
 *
 * @example
 * const fleet = await startFleet({ webs: 2, webRole: 'web', workers: 2 }, (m) => env, root);
 * await fleet.ready();
 * await fleet.kill(fleet.workers[0]!); // SIGKILL
 * const codes = await fleet.stop();   // SIGTERM to the rest
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './appHarness.ts';
import { spawnMain, type ChildMain } from './childMain.ts';

/** `BOT_ROLE`: `all` is the default single process; `web` and `worker` split it (issue 13). */
export type BotRole = 'all' | 'web' | 'worker';

/** Which processes to run. */
export interface FleetPlan {
  readonly webs: number;
  /** The webs' role: `all` (they download too) or `web` (they submit to the shared queue). */
  readonly webRole: 'all' | 'web';
  readonly workers: number;
}

/** One process of the fleet. */
export interface FleetMember {
  /** `web1`, `worker2`, … (in failure messages). */
  readonly name: string;
  readonly role: BotRole;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly pid: number;
  readonly main: ChildMain;
  /** False once it has exited (killed or stopped). */
  readonly alive: boolean;
}

export interface Fleet {
  readonly members: readonly FleetMember[];
  /** The members that take webhooks (role `all` or `web`). */
  readonly webs: readonly FleetMember[];
  readonly workers: readonly FleetMember[];
  /** Resolves when every member's `/readyz` answers 200; rejects naming who is not ready. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL, and wait until the process is gone. */
  kill(member: FleetMember): Promise<void>;
  /** SIGTERM to every member still alive; resolves with each one's exit code by name. */
  stop(): Promise<Record<string, number | null>>;
  /** The last log lines of each member, for a failure message. */
  describe(lines?: number): string;
}

/** Starts the plan's processes; `envOf` gives each one's environment (without the fleet's own variables). */
export async function startFleet(plan: FleetPlan, envOf: (role: BotRole) => Record<string, string>, root: string): Promise<Fleet> {
  const roles: BotRole[] = [...Array<BotRole>(plan.webs).fill(plan.webRole), ...Array<BotRole>(plan.workers).fill('worker')];
  const members: (FleetMember & { alive: boolean })[] = [];
  const count: Partial<Record<string, number>> = {};
  for (const role of roles) {
    const kind = role === 'worker' ? 'worker' : 'web';
    const name = `${kind}${(count[kind] = (count[kind] ?? 0) + 1)}`;
    const dir = join(root, name);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const port = await freePort();
    const env = {
      ...envOf(role),
      ...(role !== 'all' && { BOT_ROLE: role }),
      HTTP_PORT: String(port),
      DATA_DIR: join(dir, 'data'),
      // Download job directories (os.tmpdir()) stay inside the test's folder.
      TMPDIR: join(dir, 'tmp'),
    };
    const main = spawnMain(env, dir);
    // A test process that dies of an error must not leave bots answering webhooks behind it.
    process.once('exit', () => main.child.exitCode === null && main.child.signalCode === null && main.child.kill('SIGKILL'));
    const member = { name, role, port, base: `http://127.0.0.1:${port}`, pid: main.child.pid!, main, alive: true };
    void main.exited.then(() => (member.alive = false));
    members.push(member);
  }

  return {
    members,
    webs: members.filter((m) => m.role !== 'worker'),
    workers: members.filter((m) => m.role === 'worker'),
    async ready(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      const pending = new Set(members);
      while (pending.size > 0) {
        for (const m of [...pending]) {
          if (!m.alive) throw new Error(`${m.name} exited during start-up:\n${tail(m, 20)}`);
          const status = await fetch(`${m.base}/readyz`).then((r) => (void r.arrayBuffer(), r.status), () => 0);
          if (status === 200) pending.delete(m);
        }
        if (pending.size === 0) break;
        if (Date.now() > until) throw new Error(`not ready within ${timeoutMs} ms: ${[...pending].map((m) => m.name).join(', ')}\n${[...pending].map((m) => tail(m, 10)).join('\n')}`);
        // Another process's start-up has no event this process could await: look again shortly.
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill(member) {
      member.main.child.kill('SIGKILL');
      await member.main.exited;
    },
    async stop() {
      const codes: Record<string, number | null> = {};
      await Promise.all(
        members.map(async (m) => {
          if (m.alive) m.main.child.kill('SIGTERM');
          const exit = await m.main.exited;
          codes[m.name] = exit.code;
        }),
      );
      return codes;
    },
    describe: (lines = 15) => members.map((m) => tail(m, lines)).join('\n'),
  };
}

function tail(m: FleetMember, lines: number): string {
  const log = m.main.lines.slice(-lines).map((l) => `  ${m.name}: ${l.level ?? ''} ${l.msg ?? ''} ${l.err ? JSON.stringify(l.err).slice(0, 300) : ''}`);
  const other = m.main.other.join('').trim().slice(-1500);
  return [`${m.name} (${m.role}, pid ${m.pid}, ${m.alive ? 'alive' : 'exited'}):`, ...log, ...(other ? [`  ${m.name} stderr: ${other}`] : [])].join('\n');
}
