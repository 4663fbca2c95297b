/** Small loopback-network helpers the tests share. */
import http from 'node:http';
import net from 'node:net';

/** A loopback port that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * A loopback HTTP server that reads each request's whole body (decoded as `encoding`) and then
 * hands it to `onRequest`; resolves once it listens, with its base URL.
 */
export async function bodyServer(
  encoding: BufferEncoding,
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding(encoding);
    req.on('data', (c: string) => (body += c));
    req.on('end', () => onRequest(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}
