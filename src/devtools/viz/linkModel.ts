/**
 * What the visualizer shows, kept in memory: every user's current link state (folded from the
 * log with the machine's pure `evolve`), the count of users per state, and each user's path
 * of states. Fed with envelopes in global order; an envelope at or below the position already
 * applied is ignored, so a source may deliver overlapping batches (backlog + live).
 *
 * Holds no secret: only state names, event types, positions and times.
 *
 * @module
 */
import type { Envelope } from '../../../eventlog/index.ts';
import { leafStates } from '../../../machines/spotifyLink.diagram.ts';
import { initialLinkSnapshot, linkMachine, linkStateName, type LinkSnapshot } from '../../../machines/spotifyLink.machine.ts';
import { userIdOfStream } from '../../link/linkLog.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { stepLink } from '../replay/walkStream.ts';

/** One event on a user's path: where it moved the machine. */
export interface PathStep {
  position: number;
  globalPosition: number;
  time: string;
  type: string;
  from: string;
  to: string;
  /** Set when the machine refused the event (the state stayed). */
  problem?: string;
}

/** A user as the page lists them. */
export interface UserLine {
  userId: number;
  state: string;
  events: number;
  lastTime: string;
}

/** A chosen user: their line and the path of states (the last {@link MAX_PATH} events). */
export interface UserDetail extends UserLine {
  path: PathStep[];
  /** Events before the first one in `path` that are not listed. */
  omitted: number;
}

/** Users per state (every atomic state of the machine, 0 included) and the list of users. */
export interface Overview {
  head: number;
  counts: Record<string, number>;
  users: UserLine[];
}

/** Longest path kept per user; older steps are dropped (and counted in `omitted`). */
export const MAX_PATH = 200;

interface Entry {
  snapshot: LinkSnapshot;
  events: number;
  lastTime: string;
  path: PathStep[];
}

/** The live model behind the visualizer page. */
export class LinkModel {
  readonly #users = new Map<number, Entry>();
  readonly #states = leafStates(linkMachine);
  #head = -1;

  /** Global position of the last event applied (-1 before any). */
  get head(): number {
    return this.#head;
  }

  /** Applies events in global order; returns the ids of the users whose state or path changed. */
  apply(events: Iterable<Envelope<LinkEvent>>): number[] {
    const changed = new Set<number>();
    for (const event of events) {
      if (event.meta.globalPosition <= this.#head) continue;
      this.#head = event.meta.globalPosition;
      const userId = userIdOfStream(event.meta.stream);
      if (userId === undefined) continue;
      const entry = this.#users.get(userId) ?? { snapshot: initialLinkSnapshot(), events: 0, lastTime: '', path: [] };
      const { after, problem } = stepLink(entry.snapshot, event);
      entry.path.push({
        position: event.meta.streamPosition,
        globalPosition: event.meta.globalPosition,
        time: event.meta.time,
        type: event.type,
        from: linkStateName(entry.snapshot),
        to: linkStateName(after),
        ...(problem ? { problem } : {}),
      });
      if (entry.path.length > MAX_PATH) entry.path.shift();
      entry.snapshot = after;
      entry.events += 1;
      entry.lastTime = event.meta.time;
      this.#users.set(userId, entry);
      changed.add(userId);
    }
    return [...changed];
  }

  #line(userId: number, entry: Entry): UserLine {
    return { userId, state: linkStateName(entry.snapshot), events: entry.events, lastTime: entry.lastTime };
  }

  /** Counts per state and every user, by id. */
  overview(): Overview {
    const counts: Record<string, number> = Object.fromEntries(this.#states.map((s) => [s, 0]));
    const users: UserLine[] = [];
    for (const [userId, entry] of this.#users) {
      const line = this.#line(userId, entry);
      counts[line.state] = (counts[line.state] ?? 0) + 1;
      users.push(line);
    }
    return { head: this.#head, counts, users: users.sort((a, b) => a.userId - b.userId) };
  }

  /** One user with their path, or undefined for a user without events. */
  user(userId: number): UserDetail | undefined {
    const entry = this.#users.get(userId);
    if (!entry) return undefined;
    return { ...this.#line(userId, entry), path: [...entry.path], omitted: entry.events - entry.path.length };
  }
}
