import type { JournalEvent, ProjectMemoryStore, ProjectNote } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { ProjectMemory, repositoryKeyOf } from './project-memory.ts';
import { WorkingMemory } from './working-memory.ts';

/** A map-backed store: the SQLite and PostgreSQL ones are tested in packages/store. */
class MapProjectMemoryStore implements ProjectMemoryStore {
  readonly specificationVersion = 'v1' as const;
  readonly notes = new Map<string, ProjectNote>();
  async putNote(note: Omit<ProjectNote, 'updatedAt'>): Promise<void> {
    this.notes.set(`${note.repositoryKey}/${note.key}`, { ...note, updatedAt: '2026-11-24T00:00:00.000Z' });
  }
  async listNotes(repositoryKey: string): Promise<ProjectNote[]> {
    return [...this.notes.values()].filter((note) => note.repositoryKey === repositoryKey);
  }
  async deleteNote(repositoryKey: string, key: string): Promise<boolean> {
    return this.notes.delete(`${repositoryKey}/${key}`);
  }
  async close(): Promise<void> {}
}

describe('working and project memory', () => {
  it('rebuilds working memory from the journal messages, a repaired turn replacing the first reply', () => {
    const message = (seq: number, turn: number, summary: string): JournalEvent => ({
      runId: 'r1',
      seq,
      type: 'message',
      at: '2026-11-24T00:00:00.000Z',
      schemaVersion: 1,
      data: { role: 'builder', turn, message: { type: 'propose', summary } },
    });
    const memory = WorkingMemory.fromEvents([message(1, 1, 'plan'), message(2, 2, 'bad'), message(3, 2, 'fixed')]);
    expect(memory.turns().map((turn) => turn.text.split('\n')[0])).toEqual(['propose: plan', 'propose: fixed']);
    expect(memory.summarize(1, 'short')).toBe(true);
    expect(memory.summarize(9, 'none')).toBe(false);
    expect(memory.turns()[0]?.summary).toBe('short');
  });

  it('keeps notes per repository across runs; clones of one remote share them', async () => {
    const store = new MapProjectMemoryStore();
    const ssh = repositoryKeyOf({ remoteUrl: 'git@github.com:acme/app.git', path: '/a' });
    const https = repositoryKeyOf({ remoteUrl: 'https://github.com/acme/app', path: '/b' });
    expect(ssh).toBe(https);
    expect(repositoryKeyOf({ path: '/a' })).not.toBe(repositoryKeyOf({ path: '/b' }));
    await new ProjectMemory(store, ssh).remember('test-command', `  npm test ${'x'.repeat(3000)}`, 'r1');
    const notes = await new ProjectMemory(store, https).notes();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.text.startsWith('npm test')).toBe(true);
    expect(notes[0]?.text.length).toBe(2001);
    expect(await new ProjectMemory(store, https).forget('test-command')).toBe(true);
  });
});
