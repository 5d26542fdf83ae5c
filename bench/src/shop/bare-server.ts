import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The framework's ceiling: a bare Fastify server answering each benchmarked
 * path with the very body shop-api gave for it, from memory. Run as a child
 * process: `node bare-server.js <port> <bodies.json>`.
 */
const [port, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile ?? '', 'utf8')) as Record<string, string>;
const app = Fastify({ logger: false });
app.get('/*', (request, reply) => {
  const body = bodies[request.url];
  if (body === undefined) return reply.code(404).send({ status: 404 });
  return reply.type('application/json; charset=utf-8').send(body);
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
