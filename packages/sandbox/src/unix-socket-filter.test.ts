import { describe, expect, it } from 'vitest';
import {
  type BpfInstruction,
  seccompArchitectures,
  seccompReturn,
  unixSocketFilter,
  unixSocketFilterProgram,
} from './unix-socket-filter.ts';

/** A classic-BPF interpreter for the few opcodes the filter uses, over a seccomp_data record. */
function evaluate(program: BpfInstruction[], data: { nr: number; arch: number; args: number[] }): number {
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    if (offset >= 16 && (offset - 16) % 8 === 0) return (data.args[(offset - 16) / 8] ?? 0) >>> 0;
    throw new Error(`unexpected load at ${offset}`);
  };
  let accumulator = 0;
  for (let pc = 0; pc < program.length; pc += 1) {
    const { code, jt, jf, k } = program[pc]!;
    if (code === 0x20) accumulator = word(k);
    else if (code === 0x15) pc += accumulator === k >>> 0 ? jt : jf;
    else if (code === 0x35) pc += accumulator >= k >>> 0 ? jt : jf;
    else if (code === 0x06) return k >>> 0;
    else throw new Error(`unexpected opcode ${code}`);
  }
  throw new Error('fell off the end of the program');
}

describe.each(Object.keys(seccompArchitectures))('the Unix socket filter on %s', (architecture) => {
  const arch = seccompArchitectures[architecture as keyof typeof seccompArchitectures];
  const program = unixSocketFilterProgram(architecture)!;

  it('refuses socket(AF_UNIX) with EPERM, whatever the socket type', () => {
    for (const type of [1, 2, 5, 0x80001]) {
      expect(evaluate(program, { nr: arch.socket, arch: arch.audit, args: [1, type, 0] })).toBe(seccompReturn.errno(1));
    }
  });

  it('allows other families, socketpair and every other call', () => {
    for (const family of [2, 10, 16, 17]) {
      expect(evaluate(program, { nr: arch.socket, arch: arch.audit, args: [family, 1, 0] })).toBe(seccompReturn.allow);
    }
    for (const nr of [0, 1, 53, 199, 56, 435]) {
      expect(evaluate(program, { nr, arch: arch.audit, args: [1, 1, 0] })).toBe(seccompReturn.allow);
    }
  });

  it('kills a process that calls through another ABI (i386 socketcall, 32-bit ARM)', () => {
    expect(evaluate(program, { nr: 102, arch: 0x4000_0003, args: [1, 0, 0] })).toBe(seccompReturn.killProcess);
    expect(evaluate(program, { nr: 281, arch: 0x4000_0028, args: [1, 1, 0] })).toBe(seccompReturn.killProcess);
  });

  it('serializes 8 bytes per instruction, little-endian', () => {
    const bytes = unixSocketFilter(architecture)!;
    expect(bytes.length).toBe(program.length * 8);
    expect(bytes.readUInt16LE(0)).toBe(program[0]!.code);
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(seccompReturn.killProcess);
  });
});

it('kills x32 system calls on x64', () => {
  const program = unixSocketFilterProgram('x64')!;
  expect(evaluate(program, { nr: 0x4000_0000 + 41, arch: 0xc000_003e, args: [1, 1, 0] })).toBe(
    seccompReturn.killProcess,
  );
});

it('has no program for an architecture it does not know', () => {
  expect(unixSocketFilter('riscv64')).toBeUndefined();
});
