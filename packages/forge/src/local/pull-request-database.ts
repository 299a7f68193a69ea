import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type {
  CheckStatus,
  CheckStatusInput,
  PullRequest,
  PullRequestState,
  ReviewComment,
  ReviewCommentInput,
} from '@orchestrator/spec';
import { SystemError } from '@orchestrator/spec';

/** Schema changes of the local forge database, applied in order; never edit a published one, add one. */
const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE pull_requests (
        repository TEXT NOT NULL,
        number INTEGER NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        base TEXT NOT NULL,
        head TEXT NOT NULL,
        head_sha TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'merged', 'closed')),
        labels TEXT NOT NULL DEFAULT '[]',
        reviewers TEXT NOT NULL DEFAULT '[]',
        diff TEXT NOT NULL DEFAULT '',
        merge_commit_sha TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (repository, number)
      );
      CREATE UNIQUE INDEX one_open_pull_request_per_head ON pull_requests (repository, head) WHERE state = 'open';
      CREATE TABLE review_comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        repository TEXT NOT NULL,
        number INTEGER NOT NULL,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        verdict TEXT NOT NULL,
        path TEXT,
        line INTEGER,
        created_at TEXT NOT NULL
      );
      CREATE TABLE check_statuses (
        repository TEXT NOT NULL,
        number INTEGER NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        description TEXT,
        required INTEGER NOT NULL,
        sha TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (repository, number, name)
      );
    `,
  },
];

/** The latest schema version this code writes. */
export const forgeSchemaVersion = migrations.at(-1)?.version ?? 0;

type Row = Record<string, SQLInputValue>;

function toPullRequest(row: Row, url: (number: number) => string): PullRequest {
  const number = Number(row.number);
  return {
    number,
    url: url(number),
    title: String(row.title),
    body: String(row.body),
    base: String(row.base),
    head: String(row.head),
    ...(row.head_sha === null ? {} : { headSha: String(row.head_sha) }),
    state: String(row.state) as PullRequestState,
    labels: JSON.parse(String(row.labels)) as string[],
    reviewers: JSON.parse(String(row.reviewers)) as string[],
    ...(row.merge_commit_sha === null ? {} : { mergeCommitSha: String(row.merge_commit_sha) }),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

/** Pull request records of the local forge, in one SQLite file shared by every repository of the data directory. */
export class PullRequestDatabase {
  private readonly database: DatabaseSync;
  private readonly repository: string;
  private readonly url: (number: number) => string;
  private readonly now: () => string;

  constructor(options: { file: string; repository: string; url: (number: number) => string; now?: () => string }) {
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    // Pull requests hold titles, bodies and review comments: user-only (SQLite gives -wal/-shm the file's mode).
    const descriptor = openSync(options.file, 'a', 0o600);
    fchmodSync(descriptor, 0o600);
    closeSync(descriptor);
    this.database = new DatabaseSync(options.file, { timeout: 10_000 });
    this.database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
    this.repository = options.repository;
    this.url = options.url;
    this.now = options.now ?? (() => new Date().toISOString());
    this.migrate();
  }

  private migrate(): void {
    this.transaction(() => {
      const current = Number((this.database.prepare('PRAGMA user_version').get() as Row).user_version);
      if (current > forgeSchemaVersion) {
        throw new SystemError({
          code: 'forge-schema-too-new',
          message: `The local forge database has schema version ${current}; this orchestrator knows up to ${forgeSchemaVersion}.`,
          hint: 'Upgrade the orchestrator, or point it at another data directory.',
        });
      }
      for (const migration of migrations) {
        if (migration.version <= current) continue;
        this.database.exec(migration.sql);
        this.database.exec(`PRAGMA user_version = ${migration.version}`);
      }
    });
  }

  /** Runs `work` in an immediate (write-locking) transaction, so find-or-create is atomic across processes. */
  transaction<T>(work: () => T): T {
    this.database.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.database.exec('COMMIT');
      return result;
    } catch (error) {
      this.database.exec('ROLLBACK');
      throw error;
    }
  }

  findOpen(head: string): PullRequest | undefined {
    const row = this.database
      .prepare(`SELECT * FROM pull_requests WHERE repository = ? AND head = ? AND state = 'open'`)
      .get(this.repository, head) as Row | undefined;
    return row === undefined ? undefined : toPullRequest(row, this.url);
  }

  get(number: number): PullRequest | undefined {
    const row = this.database
      .prepare('SELECT * FROM pull_requests WHERE repository = ? AND number = ?')
      .get(this.repository, number) as Row | undefined;
    return row === undefined ? undefined : toPullRequest(row, this.url);
  }

  list(state: PullRequestState | 'all', head?: string): PullRequest[] {
    const rows = this.database
      .prepare(
        `SELECT * FROM pull_requests WHERE repository = ? AND (? = 'all' OR state = ?) AND (? IS NULL OR head = ?)
         ORDER BY number DESC`,
      )
      .all(this.repository, state, state, head ?? null, head ?? null) as Row[];
    return rows.map((row) => toPullRequest(row, this.url));
  }

  insert(input: { title: string; body: string; base: string; head: string; headSha?: string; diff: string }): number {
    const next = this.database
      .prepare('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM pull_requests WHERE repository = ?')
      .get(this.repository) as Row;
    const number = Number(next.next);
    const now = this.now();
    this.database
      .prepare(
        `INSERT INTO pull_requests (repository, number, title, body, base, head, head_sha, state, diff, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
      )
      .run(
        this.repository,
        number,
        input.title,
        input.body,
        input.base,
        input.head,
        input.headSha ?? null,
        input.diff,
        now,
        now,
      );
    return number;
  }

  update(
    number: number,
    changes: Partial<{
      title: string;
      body: string;
      headSha: string;
      state: PullRequestState;
      labels: string[];
      reviewers: string[];
      diff: string;
      mergeCommitSha: string;
    }>,
  ): void {
    const columns: Record<string, SQLInputValue> = {
      title: changes.title ?? null,
      body: changes.body ?? null,
      head_sha: changes.headSha ?? null,
      state: changes.state ?? null,
      labels: changes.labels === undefined ? null : JSON.stringify(changes.labels),
      reviewers: changes.reviewers === undefined ? null : JSON.stringify(changes.reviewers),
      diff: changes.diff ?? null,
      merge_commit_sha: changes.mergeCommitSha ?? null,
    };
    const assignments = Object.keys(columns).map((column) => `${column} = COALESCE(?, ${column})`);
    this.database
      .prepare(`UPDATE pull_requests SET ${assignments.join(', ')}, updated_at = ? WHERE repository = ? AND number = ?`)
      .run(...Object.values(columns), this.now(), this.repository, number);
  }

  storedDiff(number: number): string {
    const row = this.database
      .prepare('SELECT diff FROM pull_requests WHERE repository = ? AND number = ?')
      .get(this.repository, number) as Row | undefined;
    return row === undefined ? '' : String(row.diff);
  }

  addReviewComment(number: number, author: string, comment: ReviewCommentInput): ReviewComment {
    const createdAt = this.now();
    const verdict = comment.verdict ?? 'comment';
    const result = this.database
      .prepare(
        `INSERT INTO review_comments (repository, number, author, body, verdict, path, line, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.repository,
        number,
        author,
        comment.body,
        verdict,
        comment.path ?? null,
        comment.line ?? null,
        createdAt,
      );
    return {
      id: Number(result.lastInsertRowid),
      author,
      body: comment.body,
      verdict,
      ...(comment.path === undefined ? {} : { path: comment.path }),
      ...(comment.line === undefined ? {} : { line: comment.line }),
      createdAt,
    };
  }

  listReviewComments(number: number): ReviewComment[] {
    const rows = this.database
      .prepare('SELECT * FROM review_comments WHERE repository = ? AND number = ? ORDER BY id')
      .all(this.repository, number) as Row[];
    return rows.map((row) => ({
      id: Number(row.id),
      author: String(row.author),
      body: String(row.body),
      verdict: String(row.verdict) as ReviewComment['verdict'],
      ...(row.path === null ? {} : { path: String(row.path) }),
      ...(row.line === null ? {} : { line: Number(row.line) }),
      createdAt: String(row.created_at),
    }));
  }

  setCheckStatus(number: number, status: CheckStatusInput, sha: string | undefined): CheckStatus {
    const updatedAt = this.now();
    const required = status.required ?? true;
    this.database
      .prepare(
        `INSERT INTO check_statuses (repository, number, name, state, description, required, sha, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repository, number, name) DO UPDATE SET
           state = excluded.state, description = excluded.description, required = excluded.required,
           sha = excluded.sha, updated_at = excluded.updated_at`,
      )
      .run(
        this.repository,
        number,
        status.name,
        status.state,
        status.description ?? null,
        required ? 1 : 0,
        sha ?? null,
        updatedAt,
      );
    return {
      name: status.name,
      state: status.state,
      ...(status.description === undefined ? {} : { description: status.description }),
      required,
      ...(sha === undefined ? {} : { sha }),
      updatedAt,
    };
  }

  listCheckStatuses(number: number): CheckStatus[] {
    const rows = this.database
      .prepare('SELECT * FROM check_statuses WHERE repository = ? AND number = ? ORDER BY name')
      .all(this.repository, number) as Row[];
    return rows.map((row) => ({
      name: String(row.name),
      state: String(row.state) as CheckStatus['state'],
      ...(row.description === null ? {} : { description: String(row.description) }),
      required: Number(row.required) === 1,
      ...(row.sha === null ? {} : { sha: String(row.sha) }),
      updatedAt: String(row.updated_at),
    }));
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}
