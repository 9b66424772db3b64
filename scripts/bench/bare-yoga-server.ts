// Child process for the benchmarks: the baseline, a bare graphql-yoga hello world on node:http.
// Prints {"url": …} as one JSON line on stdout once listening; stops on SIGTERM.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
});
const server = createServer(yoga);
const host = process.env.HOST ?? '127.0.0.1';
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT ?? 0), host, () => resolve());
});
const { port } = server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ url: `http://${host}:${port}` })}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
