import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processTable } from './processes';
import { startServer } from './queue-services';
import { waitFor } from './wait';

const NGINX = '/usr/sbin/nginx';

/**
 * How nginx spreads requests over the webhook processors: in turn (its default), or every
 * request for one path to the same processor (`hash $request_uri consistent`), so one trigger's
 * deliveries meet in one process.
 */
export type Routing = 'round-robin' | 'by-path';

export interface Routed {
  readonly path: string;
  /** Index of the processor that answered. */
  readonly processor: number;
}

/** The upstream block as docs/operations.md gives it, plus what a harness needs: one worker, files in `prefix`. */
interface BalancerState {
  readonly routing: Routing;
  /** Processors taken out of the rotation, as an operator does before restarting one. */
  readonly drained: ReadonlySet<number>;
  /** Counts configurations, so the harness can tell when nginx serves the newest. */
  readonly generation: number;
}

function config(prefix: string, port: number, processors: readonly string[], state: BalancerState): string {
  // max_fails=0: nginx would otherwise count one failed attempt as the processor being down for
  // 10 s, and after a restart that failed both it refuses everything while one already answers.
  const servers = processors.map((url, index) => `    server ${new URL(url).host} max_fails=0${state.drained.has(index) ? ' down' : ''};`).join('\n');
  return `# Written by the ConvHooks harness for one test run.
worker_processes 1;
pid ${prefix}/nginx.pid;
events { worker_connections 1024; }
http {
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  log_format routed '$request_uri $upstream_addr';
  upstream n8n_webhooks {
${state.routing === 'by-path' ? '    hash $request_uri consistent;\n' : ''}${servers}
  }
  server {
    listen 127.0.0.1:${port};
    access_log ${prefix}/routed.log routed;
    # n8n's own limit for webhook bodies.
    client_max_body_size 16m;
    # Tells the harness which configuration answered, so it knows when a reload is done.
    add_header X-Balancer-Generation ${state.generation} always;
    location / {
      proxy_pass http://n8n_webhooks;
      # A processor that exits holding a delivery never answered it; nginx resends a POST only with non_idempotent.
      proxy_next_upstream error timeout non_idempotent;
    }
  }
}
`;
}

/** How many processes `parent` has: nginx's master and its workers. */
function childrenOf(parent: number): number {
  return [...processTable().values()].filter((of) => of === parent).length;
}

/** Debian's nginx in front of n8n's webhook processors, on loopback. */
export async function startBalancer(processors: readonly string[], port: number, logFolder: string) {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed (${NGINX} is missing): run "npm run queue:install".`);
  // Outside the checkout: nginx's workers run as an unprivileged user that must reach these files.
  const prefix = join(tmpdir(), `convhooks-nginx-${port}`);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  mkdirSync(logFolder, { recursive: true });
  const configFile = join(prefix, 'nginx.conf');
  const url = `http://127.0.0.1:${port}`;
  let state: BalancerState = { routing: 'round-robin', drained: new Set(), generation: 0 };
  writeFileSync(configFile, config(prefix, port, processors, state));
  const args = ['-p', prefix, '-c', configFile, '-e', join(logFolder, 'nginx-error.log'), '-g', 'daemon off;'];
  const server = await startServer('nginx', [NGINX, args], port, join(logFolder, 'nginx.log'));
  const hosts = processors.map((processor) => new URL(processor).host);
  const reload = async (next: Omit<BalancerState, 'generation'>) => {
    state = { ...next, generation: state.generation + 1 };
    writeFileSync(configFile, config(prefix, port, processors, state));
    server.signal('SIGHUP');
    // A fresh connection each time: a kept-alive one may still be served by the old worker.
    const answered = async () => (await fetch(`${url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2000) })).headers.get('x-balancer-generation');
    await waitFor(`nginx to load configuration ${state.generation}`, () => answered().catch((error: Error) => error.message), (header) => header === String(state.generation));
    await waitFor('the old nginx worker to exit', async () => childrenOf(server.pid), (workers) => workers === 1);
  };
  return {
    url,
    /** Every request answered so far, in order, from nginx's access log. */
    routed(): Routed[] {
      const log = existsSync(join(prefix, 'routed.log')) ? readFileSync(join(prefix, 'routed.log'), 'utf8') : '';
      return log.split('\n').filter(Boolean).map((line) => {
        // A resent request lists every processor tried ("a:1, b:2"); the last one answered.
        const [path = '', ...tried] = line.split(' ');
        const answered = tried.at(-1) ?? '';
        return { path, processor: hosts.indexOf(answered) };
      });
    },
    /**
     * Rewrites the configuration and reloads nginx; resolves once the new one answers and the old
     * worker is gone. Each worker keeps its own round-robin turn, and an old one still serves the
     * connections kept alive from before: two workers at once would split the requests between two
     * turns, and in-turn routing would no longer alternate.
     */
    async route(routing: Routing): Promise<void> {
      if (routing !== state.routing) await reload({ ...state, routing });
    },
    /**
     * Takes a processor, or every one in a single reload, out of the rotation (nginx sends it
     * nothing; with none left, it answers 502) or, with `false`, puts it back.
     */
    async drain(processor: number | 'every', drained = true): Promise<void> {
      const chosen = processor === 'every' ? processors.map((_, index) => index) : [processor];
      const next = new Set(state.drained);
      for (const index of chosen) {
        if (drained) next.add(index);
        else next.delete(index);
      }
      await reload({ ...state, drained: next });
    },
    async close(): Promise<void> {
      await server.stop();
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export type Balancer = Awaited<ReturnType<typeof startBalancer>>;
