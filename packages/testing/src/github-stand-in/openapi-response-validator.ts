import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>;
  components: Record<string, unknown>;
}
interface OpenApiResponse {
  content?: Record<string, { schema?: unknown }>;
}

/** The `$id` under which GitHub's components are registered, so `#/components/...` references resolve. */
const documentId = 'github';

function rebaseReferences(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebaseReferences);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${documentId}${value}`
        : rebaseReferences(value),
    ]),
  );
}

let shared: OpenApiResponseValidator | undefined;

/**
 * Validates responses against GitHub's published OpenAPI description (`@octokit/openapi`, api.github.com), so the
 * stand-in cannot drift from the real REST contract unnoticed.
 */
export class OpenApiResponseValidator {
  private readonly document: OpenApiDocument;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  private constructor(document: OpenApiDocument) {
    this.document = document;
    this.ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: documentId, components: document.components });
  }

  /** Loads the description once per process (13 MB of JSON). */
  static shared(): OpenApiResponseValidator {
    if (shared === undefined) {
      const require = createRequire(import.meta.url);
      const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
      shared = new OpenApiResponseValidator(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
    }
    return shared;
  }

  /** The documented example payload named `name` (deep copy). */
  example(name: string): Record<string, unknown> {
    const examples = this.document.components.examples as Record<string, { value: unknown }>;
    const example = examples[name];
    if (example === undefined) throw new Error(`GitHub's OpenAPI description has no example ${name}`);
    return structuredClone(example.value) as Record<string, unknown>;
  }

  /** Whether the description documents this operation at all. */
  documents(method: string, pathTemplate: string): boolean {
    return this.document.paths[pathTemplate]?.[method.toLowerCase()] !== undefined;
  }

  /**
   * Validates a JSON response body. Returns the violations (empty when valid). An undocumented operation or status is
   * itself a violation; a documented status without a JSON body schema has nothing to check.
   */
  validate(method: string, pathTemplate: string, status: number, body: unknown): string[] {
    const key = `${method.toLowerCase()} ${pathTemplate} ${status}`;
    if (!this.compiled.has(key)) {
      const operation = this.document.paths[pathTemplate]?.[method.toLowerCase()];
      if (operation === undefined) return [`${method} ${pathTemplate} is not a documented GitHub operation`];
      const response = operation.responses?.[String(status)];
      if (response === undefined) return [`${method} ${pathTemplate} does not document status ${status}`];
      const schema = response.content?.['application/json']?.schema;
      this.compiled.set(key, schema === undefined ? null : this.ajv.compile(rebaseReferences(schema) as object));
    }
    const validate = this.compiled.get(key);
    if (validate === null || validate === undefined) return [];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${key}: ${error.instancePath || '/'} ${error.message ?? 'invalid'}`);
  }
}
