/**
 * A seccomp-bpf program (classic BPF, as `bwrap --seccomp <fd>` loads it) that makes `socket(AF_UNIX, …)` fail with
 * EPERM, so a sandboxed command cannot reach a host service through a Unix socket it can see (PostgreSQL in /run, a
 * Docker, ssh-agent or gpg-agent socket, one planted in the worktree). Anonymous pairs (`socketpair`, used by Node.js
 * and others to talk to their own children) stay allowed: they connect to nothing outside. Any other ABI than the
 * native one (i386 `socketcall` on x86_64, x32, 32-bit ARM), which could create a socket the filter does not see, is
 * killed. The program is small and fixed, so it is generated here rather than compiled by libseccomp.
 */

/** seccomp_data offsets: `int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];` (little-endian). */
const offsetNr = 0;
const offsetArch = 4;
const offsetFirstArgumentLow = 16;

const loadWord = 0x20; // BPF_LD | BPF_W | BPF_ABS
const jumpEqual = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const jumpGreaterOrEqual = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const returnConstant = 0x06; // BPF_RET | BPF_K

export const seccompReturn = {
  allow: 0x7fff_0000,
  killProcess: 0x8000_0000,
  errno: (errno: number) => 0x0005_0000 | (errno & 0xffff),
} as const;

const addressFamilyUnix = 1;
const operationNotPermitted = 1;
const x32SyscallBit = 0x4000_0000;

/** The architectures the filter knows: their audit arch id and `socket` syscall number. */
export const seccompArchitectures = {
  x64: { audit: 0xc000_003e, socket: 41, x32: true },
  arm64: { audit: 0xc000_00b7, socket: 198, x32: false },
} as const;

export type SeccompArchitecture = keyof typeof seccompArchitectures;

/** One instruction of classic BPF: `{ u16 code; u8 jt; u8 jf; u32 k; }`. */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** The filter as instructions (see the module comment); undefined on an architecture it does not know. */
export function unixSocketFilterProgram(architecture: string = process.arch): BpfInstruction[] | undefined {
  if (!(architecture in seccompArchitectures)) return undefined;
  const arch = seccompArchitectures[architecture as SeccompArchitecture];
  // Labels are the last three instructions: [..., deny, allow, kill]; jump offsets count from the next instruction.
  const body: Array<(index: number, labels: { deny: number; allow: number; kill: number }) => BpfInstruction> = [
    () => ({ code: loadWord, jt: 0, jf: 0, k: offsetArch }),
    (index, labels) => ({ code: jumpEqual, jt: 0, jf: labels.kill - index - 1, k: arch.audit }),
    () => ({ code: loadWord, jt: 0, jf: 0, k: offsetNr }),
    ...(arch.x32
      ? [
          (index: number, labels: { kill: number }) => ({
            code: jumpGreaterOrEqual,
            jt: labels.kill - index - 1,
            jf: 0,
            k: x32SyscallBit,
          }),
        ]
      : []),
    (index, labels) => ({ code: jumpEqual, jt: 0, jf: labels.allow - index - 1, k: arch.socket }),
    () => ({ code: loadWord, jt: 0, jf: 0, k: offsetFirstArgumentLow }),
    (index, labels) => ({ code: jumpEqual, jt: 0, jf: labels.allow - index - 1, k: addressFamilyUnix }),
  ];
  const labels = { deny: body.length, allow: body.length + 1, kill: body.length + 2 };
  return [
    ...body.map((make, index) => make(index, labels)),
    { code: returnConstant, jt: 0, jf: 0, k: seccompReturn.errno(operationNotPermitted) },
    { code: returnConstant, jt: 0, jf: 0, k: seccompReturn.allow },
    { code: returnConstant, jt: 0, jf: 0, k: seccompReturn.killProcess },
  ];
}

/** The program as the bytes `bwrap --seccomp` reads (`struct sock_filter[]`, little-endian as on x64 and arm64). */
export function unixSocketFilter(architecture: string = process.arch): Buffer | undefined {
  const program = unixSocketFilterProgram(architecture);
  if (program === undefined) return undefined;
  const bytes = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    bytes.writeUInt16LE(instruction.code, index * 8);
    bytes.writeUInt8(instruction.jt, index * 8 + 2);
    bytes.writeUInt8(instruction.jf, index * 8 + 3);
    bytes.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return bytes;
}
