/**
 * A stand-in upstream CRM on this machine, for the README's sync example without an outside service:
 * `node dist/src/demo/demo-upstream.cli.js` serves GET /contacts.json on http://127.0.0.1:8010 (UPSTREAM_PORT
 * moves it) until Ctrl-C. The service refuses loopback upstreams unless started with OUTBOUND_ALLOW_PRIVATE=true.
 */
import { createServer } from 'node:http';

/** Two contacts of an upstream CRM export, as sync_crm_contacts reads them (id → external_id). */
const DEMO_CONTACTS = [
  {
    id: 'hs-1001',
    name: 'Dana Whitfield',
    email: 'dana.whitfield@northwind.example',
    company: 'Northwind Traders',
    ltv: 12400,
    engagement_score: 81,
  },
  {
    id: 'hs-1002',
    name: 'Luis Ortega',
    email: 'luis.ortega@bluepeak.example',
    company: 'Blue Peak Outfitters',
    ltv: 3150,
    engagement_score: 46,
  },
];

const port = Number(process.env.UPSTREAM_PORT ?? 8010);
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://upstream').pathname;
  if (request.method === 'GET' && path === '/contacts.json') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(DEMO_CONTACTS));
  } else {
    response.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'not found: GET /contacts.json' }));
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `Demo upstream CRM on http://127.0.0.1:${port}/contacts.json (${DEMO_CONTACTS.length} contacts); Ctrl-C stops it.\n`,
  );
});
