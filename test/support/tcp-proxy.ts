import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Where the proxy forwards to: a TCP address or a unix socket path. */
export type ProxyTarget = { host: string; port: number } | { path: string };

/**
 * A loopback TCP proxy that can simulate an outage: `pause()` cuts every open connection (RST to the client)
 * and resets each new one until `resume()`. The listener stays bound, so the port never changes hands.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private paused = false;

  private constructor(
    private readonly server: Server,
    private readonly target: ProxyTarget,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: ProxyTarget): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Cuts every connection and refuses new ones (they are reset as soon as they are accepted). */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) reset(socket);
    this.sockets.clear();
  }

  resume(): void {
    this.paused = false;
  }

  async close(): Promise<void> {
    this.pause();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.paused) {
      reset(client);
      return;
    }
    const upstream = 'path' in this.target ? connect(this.target.path) : connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const teardown = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** RST for TCP sockets (the peer sees ECONNRESET at once); a plain destroy for unix sockets. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
