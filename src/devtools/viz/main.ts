/**
 * `npm run dev:viz -- [--data-dir <dir>] [--port <n>] [--poll-ms <n>] [--host <host> --i-know]`:
 * the live state-machine visualizer on a data directory. It reads consistent copies of the
 * directory (never the directory itself), so it runs next to the bot and never keeps the bot
 * from starting. For the bot's own store, in-process, the app calls `startVisualizer({ store })`.
 *
 * Like `main.ts`, this entry point is where the environment is read (`DATA_DIR` only).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../replay/dataDir.ts';
import { dataDirSource } from './dataDirSource.ts';
import { VizHostRefusedError } from './hostGuard.ts';
import { startVisualizer } from './startVisualizer.ts';

const HELP = `dev:viz – the live state-machine visualizer (development only)

usage: npm run dev:viz -- [options]

  --data-dir <dir>  the bot's DATA_DIR (default: $DATA_DIR, DATA_DIR in ./.env, else ./data)
  --port <n>        port on 127.0.0.1 (default 8090; 0 picks a free one)
  --poll-ms <n>     how often to look for appended events (default 1000)
  --host <host>     another listen address: refused unless --i-know is given too
  --i-know          yes, show every user's link state on that address
  -h, --help        this help

The page draws the link machine from its definition, counts users per state and shows a
chosen user's path of states, live. It reads copies of the data dir, never the dir itself.
`;

function fail(message: string, code: number): never {
  process.stderr.write(`dev:viz: ${message}\n`);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'poll-ms': { type: 'string' },
        host: { type: 'string' },
        'i-know': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return fail(`${(err as Error).message.split('\n')[0]}\n${HELP}`, 2);
  }
}

const values = parse();
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const int = (text: string | undefined, fallback: number, name: string): number => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number`, 2);
  return Number(text);
};
const dataDir = values['data-dir'] ?? defaultDataDir(process.env);
const pollMs = Math.max(100, int(values['poll-ms'], 1000, 'poll-ms'));

try {
  const viz = await startVisualizer({
    source: dataDirSource(dataDir, { pollMs, onError: (err) => process.stderr.write(`dev:viz: poll failed: ${(err as Error).message}\n`) }),
    host: values.host ?? '127.0.0.1',
    port: int(values.port, 8090, 'port'),
    allowNonLoopback: values['i-know'] === true,
  });
  process.stdout.write(`visualizer on ${viz.url} – showing ${dataDir} (Ctrl+C to stop)\n`);
  const stop = () => void viz.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof VizHostRefusedError) fail(err.message, 2);
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port already in use; pass --port <n> (or 0 for any free port)`, 1);
  throw err;
}
