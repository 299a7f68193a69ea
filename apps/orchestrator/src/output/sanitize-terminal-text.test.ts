import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { sanitizeTerminalText } from './sanitize-terminal-text.ts';

const esc = '\u001B';
const bel = '\u0007';

describe('model text reaches the terminal without control sequences', () => {
  it.each([
    ['an OSC 52 clipboard write (BEL)', `before${esc}]52;c;ZWNobyBwd25lZA==${bel}after`, 'beforeafter'],
    ['an OSC 52 clipboard write (ST)', `before${esc}]52;c;ZWNobyBwd25lZA==${esc}\\after`, 'beforeafter'],
    ['a window title', `${esc}]0;owned${bel}text`, 'text'],
    ['an OSC 8 hyperlink', `${esc}]8;;https://evil.example${esc}\\click${esc}]8;;${esc}\\`, 'click'],
    [
      'cursor up, erase line and a carriage return forging a status line',
      `ok${esc}[1A${esc}[2K\rCONVERGED`,
      'okCONVERGED',
    ],
    ['screen clear and cursor home', `${esc}[2J${esc}[Hhello`, 'hello'],
    ['C1 CSI (0x9b) cursor movement', 'a\u009B2Ab', 'ab'],
    ['backspaces overwriting text', 'rm -rf /\b\b\b\b\b\b\b\bls', 'rm -rf /ls'],
    ['a device status query', `x${esc}[6ny`, 'xy'],
    ['save and restore cursor', `${esc}7a${esc}8b`, 'ab'],
    ['an unterminated OSC keeps no escape byte', `${esc}]52;c;AAAA`, ']52;c;AAAA'],
    ['concealed text', `${esc}[8mhidden${esc}[0m`, `hidden${esc}[0m`],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeTerminalText(input)).toBe(expected);
  });

  it('keeps tabs, newlines, unicode and the CLI colours', () => {
    const text = `${pc.red('error')}\tline one\nline two — ✓ ünïcode`;
    const colours = `${esc}[31merror${esc}[39m\tline one\nline two — ✓ ünïcode`;
    expect(sanitizeTerminalText(colours)).toBe(colours);
    expect(sanitizeTerminalText(text)).toBe(text);
  });
});
