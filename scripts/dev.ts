// Development loop: runs the debate kernel with mock agents on a sample task, in memory, and exits cleanly.
// Replaced by the real kernel's in-memory demo as soon as it lands (see packages/kernel).
import { EventEmitter, once } from 'node:events';

const task = process.argv[2] ?? 'add a README section';
const bus = new EventEmitter();
const transcript: string[] = [];
const agents = {
  architect: (input: string) => `propose: ${input}`,
  critic: (input: string) => (input.startsWith('propose') ? 'critique: accept' : 'verify: accept'),
  builder: (input: string) => `implement: edit for "${input}"`,
};
const order = ['architect', 'critic', 'builder', 'critic'] as const;
bus.on('turn', (role: keyof typeof agents, input: string, index: number) => {
  const output = agents[role](input);
  transcript.push(`${role}: ${output}`);
  console.log(`turn ${index + 1} ${role.padEnd(9)} ${output}`);
  const next = order[index + 1];
  if (next) setImmediate(() => bus.emit('turn', next, output, index + 1));
  else bus.emit('end', 'CONVERGED');
});
const ended = once(bus, 'end');
bus.emit('turn', order[0], task, 0);
const [result] = await ended;
console.log(`${result} after ${transcript.length} turns`);
