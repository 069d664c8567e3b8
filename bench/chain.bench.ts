// A→B→C of one-step plans on the local stack (the real ASL, handlers, DynamoDB Local and simulated
// agents): wall time from coordinate's answer until C's plan has completed. Issue 7's target: < 10 s.
// Run: node --import tsx bench/chain.bench.ts [runs]
import { arbiterClient, eventually, registerAgent } from '../local/arbiter-client.js';
import { startLocalStack } from '../local/stack.js';

const runs = Number(process.argv[2] ?? 5);
const stack = await startLocalStack({ port: 0, quiet: true });
try {
  const { api_key } = await registerAgent(arbiterClient(stack.url, stack.adminKey), 'cost-agent-1', 'bench');
  const agent = arbiterClient(stack.url, api_key);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const id = (name: string) => `${name}-${run}`;
    const one = (name: string, dependencies: string[]) => ({
      id: id(name),
      agent_id: 'cost-agent-1',
      agent_type: 'cost',
      type: 'cost',
      title: `chain ${name}`,
      action: 'resize_disk',
      risk_level: 'low',
      affected_resources: [`vol-${id(name)}`],
      dependencies: dependencies.map(id),
      priority: 1,
      confidence: 0.9,
    });
    const started = performance.now();
    await agent.call('POST', '/coordination/coordinate', {
      customer_id: 'bench',
      recommendations: [one('a', []), one('b', ['a']), one('c', ['b'])],
      auto_approve: true,
      execute_now: true,
    });
    await eventually(
      `${id('c')} to complete`,
      async () => {
        const { body } = await agent.call<{ status: string }>('GET', `/coordination/recommendations/${id('c')}`);
        if (!['approved', 'waiting_dependencies', 'executing', 'completed'].includes(body.status))
          throw new Error(`${id('c')} ended ${body.status}`);
        return body.status === 'completed' ? true : undefined;
      },
      300_000,
    );
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((x, y) => x - y);
  console.log(
    `| runs | median | best | worst |\n| --- | --- | --- | --- |\n| ${runs} | ${(sorted[Math.floor(runs / 2)] / 1000).toFixed(2)} s | ${(sorted[0] / 1000).toFixed(2)} s | ${(sorted.at(-1)! / 1000).toFixed(2)} s |`,
  );
} finally {
  await stack.stop();
}
