// Node flags every Hangar server process runs with: package.json's start and hangar scripts,
// server/main.ts's #! line, docker/Dockerfile's CMD and the fan-out benchmark's API process pass them
// (test/unit/node-flags.test.ts keeps them in step).
//
// --max-semi-space-size=8 (MB; V8's default is 16 on 64-bit): a server holding thousands of
// long-lived sockets keeps little in the young generation, and a smaller one makes the fan-out
// benchmark's resident memory per subscriber fall from about 21 to about 15 KB at the same latency.
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
