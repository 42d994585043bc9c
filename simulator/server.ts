import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { controlRoutes } from './control-api';
import { BadRequest, error, matchRoute, readBody, send, type Reply } from './http-kit';
import { Simulator, type SimulatorOptions } from './simulator';
import { vendorApiRoutes } from './vendor-apis';

/**
 * The port `npm start` and `convhooks simulate` listen on, so a credential's Base URL stays put
 * between runs. startSimulator() itself defaults to a free port: tests start many at once.
 */
export const DEFAULT_SIMULATOR_PORT = 4780;

export interface StartOptions extends SimulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface RunningSimulator {
  readonly simulator: Simulator;
  readonly server: Server;
  /** `http://127.0.0.1:<port>`; a vendor's API base is `<url>/<vendor>`. */
  readonly url: string;
  baseUrl(vendor: string): string;
  close(): Promise<void>;
}

/** Starts the five-vendor simulator on loopback. */
export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const simulator = new Simulator(options);
  const routes = [...controlRoutes(simulator), ...vendorApiRoutes(simulator)];
  const server = createServer((request, response) => {
    const handle = async (): Promise<Reply> => {
      const url = new URL(request.url ?? '/', 'http://simulator');
      const match = matchRoute(routes, request.method ?? 'GET', url.pathname);
      if (match === undefined) return error(404, `No route for ${url.pathname}.`);
      if (match === 'method_not_allowed') return error(405, `${request.method} is not allowed on ${url.pathname}.`);
      const body = await readBody(request);
      return match.route.handler({ params: match.params, query: url.searchParams, headers: request.headers, body });
    };
    handle()
      .catch((failure: unknown) => (failure instanceof BadRequest ? error(400, failure.message) : error(500, String(failure))))
      .then((reply) => send(response, reply), () => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    simulator,
    server,
    url,
    baseUrl: (vendor) => `${url}/${vendor}`,
    close: async () => {
      await simulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
