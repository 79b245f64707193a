// Falco's embedded webserver: the healthz endpoint Kubernetes probes, /versions (what falcoctl
// reads), and /metrics for Prometheus when metrics.enabled and
// webserver.prometheus_metrics_enabled are both on. HTTPS when ssl_enabled, from one PEM that
// holds the private key and the certificate (Falco hands the same file to both). Every answer
// is computed on the request; nothing runs between scrapes.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { ENGINE_VERSION } from '../../compiler/version.ts';
import type { MetricsSnapshot } from './metrics-snapshot.ts';
import { PROMETHEUS_CONTENT_TYPE, processFacts, renderPrometheus, type ProcessFacts } from './prometheus.ts';
import type { WebserverConfig } from './webserver-config.ts';

export interface Webserver {
  /** Where it listens (the port the system chose when listen_port is 0). */
  readonly address: string;
  readonly port: number;
  /** `http://host:port` or `https://host:port`, for logs and tests. */
  readonly url: string;
  close(): Promise<void>;
}

/** The server could not start (certificate, bind); the message says what to change. */
export class WebserverError extends Error {}

/** Falco's healthz body, byte for byte. */
export const HEALTHZ_BODY = '{"status": "ok"}';

/** /versions as Falco answers it (keys sorted, as nlohmann::json writes them). Falco's libs,
 * driver and plugin API versions have no falcoc counterpart and are left out. */
export function versionsJson(version: string): string {
  return JSON.stringify({
    engine_version: ENGINE_VERSION.split('.')[1] ?? ENGINE_VERSION,
    engine_version_semver: ENGINE_VERSION,
    falco_version: version,
  });
}

function readCertificate(path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new WebserverError(`webserver: cannot read webserver.ssl_certificate ${path}: ${(e as Error).message}`);
  }
  const text = pem.toString('latin1');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || !text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new WebserverError(`webserver: ${path} (webserver.ssl_certificate) must be one PEM file holding the private key and the certificate (cat key.pem cert.pem > ${path})`);
  }
  return pem;
}

function bindError(e: NodeJS.ErrnoException, where: string): WebserverError {
  const fix = 'set webserver.listen_port (or webserver.listen_address), or turn the webserver off with webserver.enabled=false';
  switch (e.code) {
    case 'EADDRINUSE':
      return new WebserverError(`webserver: cannot listen on ${where}: the address is already in use (another Falco or falcoc?); ${fix}`);
    case 'EACCES':
      return new WebserverError(`webserver: cannot listen on ${where}: permission denied (ports below 1024 need privileges); ${fix}`);
    case 'EADDRNOTAVAIL':
      return new WebserverError(`webserver: cannot listen on ${where}: no such address on this host; ${fix}`);
    default:
      return new WebserverError(`webserver: cannot listen on ${where}: ${e.message}; ${fix}`);
  }
}

const hostPort = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

export interface WebserverOptions {
  /** Process and host facts for /metrics (default: read at each scrape); tests pin them. */
  facts?: () => ProcessFacts;
}

export async function startWebserver(
  config: WebserverConfig,
  snapshot: () => MetricsSnapshot,
  log: (line: string) => void,
  options: WebserverOptions = {},
): Promise<Webserver> {
  if (config.prometheusMetricsEnabled && !config.metrics.enabled) {
    log('webserver: webserver.prometheus_metrics_enabled is on but metrics.enabled is off, so /metrics is not served (as in Falco)');
  }
  const facts = options.facts ?? processFacts;
  let versions: string | undefined; // on first request: the runtime may not be ready at start
  let scrapeFailed = false;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const known = path === config.healthzEndpoint || path === '/versions' || (config.serveMetrics && path === '/metrics');
    if (!known) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method Not Allowed\n');
    }
    let body: string;
    let type = 'application/json';
    if (path === config.healthzEndpoint) body = HEALTHZ_BODY;
    else if (path === '/versions') body = versions ??= versionsJson(snapshot().version);
    else {
      try {
        body = renderPrometheus(snapshot(), facts(), config.metrics);
        type = PROMETHEUS_CONTENT_TYPE;
      } catch (e) {
        // A scrape must not take the process down; say why once, answer 500 each time.
        if (!scrapeFailed) log(`webserver: /metrics failed: ${(e as Error).message}`);
        scrapeFailed = true;
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error\n');
      }
    }
    res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
  };

  let server: Server;
  if (config.sslCertificate !== undefined) {
    const pem = readCertificate(config.sslCertificate);
    try {
      server = createHttpsServer({ key: pem, cert: pem }, handle);
    } catch (e) {
      throw new WebserverError(`webserver: ${config.sslCertificate} (webserver.ssl_certificate): ${(e as Error).message}`);
    }
  } else {
    server = createHttpServer(handle);
  }

  const where = hostPort(config.listenAddress, config.listenPort);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(bindError(e, where));
    server.once('error', onError);
    server.listen(config.listenPort, config.listenAddress, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // Past start-up, connection-level errors are the client's business, never fatal.
  server.on('error', (e) => log(`webserver: ${e.message}`));

  const { port } = server.address() as AddressInfo;
  const scheme = config.sslCertificate !== undefined ? 'https' : 'http';
  const url = `${scheme}://${hostPort(config.listenAddress, port)}`;
  log(`Starting health webserver with threadiness ${config.threadiness || availableParallelism()}, listening on ${hostPort(config.listenAddress, port)}${scheme === 'https' ? ' (SSL)' : ''}`);
  return {
    address: config.listenAddress,
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
