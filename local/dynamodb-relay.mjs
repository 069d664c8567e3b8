// Runs inside a private network and PID namespace (see local/dynamodb.ts): starts DynamoDB Local,
// which listens on every interface of a namespace whose only interface is its own loopback, and
// relays to it the connections made to the stack's endpoint, a socket listening on the loopback
// outside, handed over as fd 3. Plain JavaScript: it starts before anything else with `node` alone.
// Usage: node dynamodb-relay.mjs <java working dir> <port> <java args...>   (endpoint on fd 3)
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

const ENDPOINT_FD = 3;
const [cwd, port, ...javaArgs] = process.argv.slice(2);
const java = spawn('java', javaArgs, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

// No Nagle: a response written in two pieces would otherwise wait for the first one's ACK.
const relay = createServer({ noDelay: true }, (client) => {
  const upstream = createConnection({ port: Number(port), host: '127.0.0.1', noDelay: true });
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
relay.listen({ fd: ENDPOINT_FD });

// As PID 1 of its namespace this process ignores signals it does not handle, and when it exits the
// kernel kills everything left in the namespace: java never outlives it.
const stop = () => {
  java.kill('SIGTERM');
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent (the local stack) holds our stdin: when it dies, even by SIGKILL, stdin ends.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
java.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
