import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { API_SECURITY_HEADERS } from './http-middleware.js';
import { problemType } from './problem.js';
import { logFor } from './request-context.js';

const logger = new Logger('HttpParser');

/** Node's own status for its parser errors (what it would answer without a 'clientError' listener). */
function statusOf(code: string): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', 'The request headers are too large.'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'Content Too Large', 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'The request was not received in time.'];
    default:
      return [400, 'Bad Request', 'The request is not valid HTTP/1.1 (its request line or headers could not be parsed).'];
  }
}

/**
 * Answers requests that Node's HTTP parser refuses (a bare LF, an obs-fold or a NUL in a header, an oversized
 * header block, …) as problem+json with a request id, where Node would answer an empty 400. They never reach
 * Express, so this writes the response on the socket itself and closes the connection (the parser cannot
 * resume after an error). Nothing is written when the socket is gone or a response is already under way.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const [status, title, detail] = statusOf(error.code ?? '');
    logFor(requestId, () => logger.debug(`Refused a request Node could not parse (${error.code ?? error.message}): ${status}`));
    const body = JSON.stringify({ type: problemType('malformed-request'), title, status, detail, request_id: requestId });
    const headers = [
      `HTTP/1.1 ${status} ${title}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      ...Object.entries(API_SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
  });
}
