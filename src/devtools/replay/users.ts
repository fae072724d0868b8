/**
 * `replay users`: every user with their current link state, event count and last event,
 * read from the `link_state` table (what the bot itself loads) and the log.
 *
 * @module
 */
import { linkStream } from '../../link/linkLog.ts';
import type { LinkStateRow } from '../../link/linkTables.ts';
import { linkStateProjection } from '../../link/projections.ts';
import { withReader, type Command } from './command.ts';
import type { LogReader } from './dataDir.ts';
import { EXIT } from './errors.ts';
import { columns } from './format.ts';
import { looksSecret, REDACTED } from './redact.ts';

/** One line of `replay users --json`. */
export interface UserLine {
  userId: number;
  state: string;
  events: number;
  lastEvent: { type: string; time: string; position: number } | null;
  /** The linked (or waiting) Spotify account id, if any. */
  spotifyUserId: string | null;
}

/** Warns when `link_state` is not at the log head (it would be caught up at the bot's next start). */
export async function tableLag(reader: LogReader, projection: { name: string; version: number }): Promise<string[]> {
  const head = await reader.store.headPosition();
  const cp = await reader.checkpoint(projection.name);
  if (cp && cp.version === projection.version && cp.position === head) return [];
  const where = cp ? `checkpoint version ${cp.version} at position ${cp.position}` : 'no checkpoint';
  return [
    `${projection.name} is not at the log head ${head} (${where}; this code has version ${projection.version}): ` +
      'the bot brings it up to date at its next start; `history` folds the log itself',
  ];
}

function shownUserId(id: string | null): string | null {
  return id !== null && looksSecret(id) ? REDACTED : id;
}

async function listUsers(reader: LogReader): Promise<UserLine[]> {
  const users: UserLine[] = [];
  for await (const [key, row] of reader.table<LinkStateRow>(linkStateProjection.name).entries()) {
    const userId = Number(key);
    const [last] = await reader.store.readStream(linkStream(userId), { from: row.version, to: row.version });
    const { summary } = row;
    users.push({
      userId,
      state: summary.state,
      events: row.version + 1,
      lastEvent: last ? { type: last.type, time: last.meta.time, position: last.meta.streamPosition } : null,
      // Sealed since GrantReceived@2 (the tool holds no data key): shown as ‹redacted›.
      spotifyUserId: shownUserId(summary.link?.spotifyUserId ?? summary.attempt?.spotifyUserId ?? null),
    });
  }
  return users.sort((a, b) => a.userId - b.userId);
}

function byState(users: readonly UserLine[]): string {
  const counts = new Map<string, number>();
  for (const u of users) counts.set(u.state, (counts.get(u.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state} ${n}`).join(', ');
}

/** `replay users`. */
export const usersCommand: Command = {
  name: 'users',
  args: [],
  summary: 'every user with their link state and last event',
  description:
    'Lists every Telegram user that has a link stream: the machine state the bot sees (from the\n' +
    'link_state table), the number of events, the last event and the Spotify account.',
  acceptsCopy: true,
  acceptsDatabase: true,
  run: (ctx) =>
    withReader(ctx, async (reader) => {
      const users = await listUsers(reader);
      const warnings = await tableLag(reader, linkStateProjection);
      const head = await reader.store.headPosition();
      const rows = users.map((u) => [
        String(u.userId),
        u.state,
        String(u.events),
        u.lastEvent ? `${u.lastEvent.time}  ${u.lastEvent.type}` : '—',
        u.spotifyUserId ?? '—',
      ]);
      const text =
        (users.length ? columns(['user', 'state', 'events', 'last event', 'spotify user'], rows) : 'no users yet\n') +
        `${users.length} user(s), ${head + 1} event(s) in the log${users.length ? `; by state: ${byState(users)}` : ''}\n` +
        warnings.map((w) => `warning: ${w}\n`).join('');
      return { exitCode: EXIT.ok, json: { dataDir: reader.dataDir, head, users, warnings }, text };
    }),
};
