import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The client closed the connection before an answer was sent. */
  closedEarly: boolean;
  receivedAt: number;
}

/** Answers a request; returning without answering (e.g. `() => 'hang'`) leaves the request hanging. */
export type Responder = (request: RecordedRequest, response: ServerResponse) => unknown;

/** A real HTTP server on 127.0.0.1 that records requests and answers as each test scripts it. */
export class LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private responder: Responder = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

  respond(responder: Responder): this {
    this.responder = responder;
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          closedEarly: false,
          receivedAt: Date.now(),
        };
        this.requests.push(recorded);
        res.on('close', () => {
          if (!res.writableEnded) recorded.closedEarly = true;
        });
        this.responder(recorded, res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Polls `check` until it returns a truthy value or `ms` pass. */
export async function eventually<T>(check: () => Promise<T> | T, ms = 10_000, every = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: T = await check();
  while (!last) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, every));
    last = await check();
  }
  return last;
}
