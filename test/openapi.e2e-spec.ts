import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { startHarness, type Harness } from './support/harness';
import { AppConfig } from '../src/config/config';
import { PAGE_FORMS } from '../src/web/account.controller';
import { validateAs } from '../src/common/validation';
import { validatedClasses, type ValidatedClass } from '../src/common/validation-schema';
import type { ClassConstructor } from 'class-transformer';
import { DomainError, ErrorCode } from '../src/common/domain-error';
import type { EventContract } from '../src/workflow-http/workflow-resource';
import { APPLICATION_EVENTS } from '../src/applications/applications.events';
import { CALL_EVENTS } from '../src/calls/calls.events';
import { DISBURSEMENT_EVENTS } from '../src/disbursements/disbursements.events';
import { REPORT_EVENTS } from '../src/reports/reports.events';
import { REVIEW_EVENTS } from '../src/reviews/reviews.events';

// The published document is checked against class-validator's metadata, read here on its own:
// a field validated but not documented, documented but not validated, required in one and not the
// other, or with other allowed values, fails. So the documentation cannot drift from validation.

interface Schema {
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }>; $ref?: string }>;
  security?: Record<string, string[]>[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: string; scheme?: string; bearerFormat?: string; description?: string }>;
    responses: Record<string, { content: Record<string, { schema: Schema }> }>;
    parameters: Record<string, Parameter>;
  };
}

const CONTRACTS: EventContract[] = [APPLICATION_EVENTS, CALL_EVENTS, DISBURSEMENT_EVENTS, REPORT_EVENTS, REVIEW_EVENTS];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

type Metas = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>;

/** What validation says of one property, read from its metadata by this test alone. */
function expectedOf(metas: Metas) {
  const names = new Set(metas.map((m) => m.name));
  const isIn = metas.find((m) => m.name === 'isIn');
  const allowed = isIn ? (isIn.constraints[0] as unknown[]).filter((v) => v !== null) : undefined;
  const each = metas.some((m) => m.each) || names.has('isArray');
  const scalar = names.has('isInt')
    ? 'integer'
    : names.has('isNumber')
      ? 'number'
      : names.has('isBoolean')
        ? 'boolean'
        : names.has('isString') || names.has('matches') || names.has('isUuid') || names.has('isIso8601')
          ? 'string'
          : undefined;
  return {
    required: !metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
    nested: metas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    each,
    scalar,
    allowed,
    allowedEach: isIn?.each ?? false,
  };
}

describe('the OpenAPI document', () => {
  let h: Harness;
  let doc: Document;
  const classes = validatedClasses();

  beforeAll(async () => {
    h = await startHarness();
    doc = (await h.http().get('/openapi.json').expect(200)).body as Document;
  });
  afterAll(async () => h.close());

  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
    return ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
  };

  /** The fields of an example its schema does not document, in nested objects and their arrays too. */
  const undocumented = (schema: Schema, value: unknown, path: string): string[] => {
    const resolved = resolve(schema);
    if (Array.isArray(value)) {
      const items = resolved.items;
      return items ? value.flatMap((item, i) => undocumented(items, item, `${path}.${i}`)) : [];
    }
    // a record (answers by question, counts by group) documents its values, not its keys
    if (typeof value !== 'object' || value === null || !resolved.properties) return [];
    const properties = resolved.properties;
    return Object.entries(value).flatMap(([key, child]) =>
      properties[key] ? undocumented(properties[key], child, `${path}.${key}`) : [`${path}.${key} is not documented`],
    );
  };

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ route: `${method.toUpperCase()} ${path}`, op: item[method] })),
    );

  it('documents every validated field with the type, enum and required flag validation gives it', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const [cls, properties] of classes) {
      const schema = doc.components.schemas[cls.name];
      if (!schema) continue;
      const documented = Object.keys(schema.properties ?? {}).sort();
      const validated = [...properties.keys()].sort();
      if (documented.join() !== validated.join()) {
        problems.push(`${cls.name}: documents [${documented.join(', ')}], validates [${validated.join(', ')}]`);
        continue;
      }
      const required = new Set(schema.required ?? []);
      for (const [name, metas] of properties) {
        compared++;
        const expected = expectedOf(metas);
        const property = schema.properties![name];
        const where = `${cls.name}.${name}`;
        if (required.has(name) !== expected.required)
          problems.push(
            `${where}: required is ${required.has(name)} in the document, ${expected.required} in validation`,
          );
        if (expected.each && !expected.nested && property.type !== 'array') problems.push(`${where}: not an array`);
        const target = expected.allowedEach ? property.items : property;
        if (expected.allowed && JSON.stringify(target?.enum) !== JSON.stringify(expected.allowed))
          problems.push(
            `${where}: enum ${JSON.stringify(target?.enum)}, validation allows ${JSON.stringify(expected.allowed)}`,
          );
        if (!expected.allowed && (property.enum || property.items?.enum))
          problems.push(`${where}: an enum validation lacks`);
        const scalarType = expected.each && !expected.nested ? property.items?.type : property.type;
        if (expected.scalar && scalarType !== expected.scalar)
          problems.push(`${where}: type ${scalarType}, validation wants ${expected.scalar}`);
        if (expected.nested && !resolve(expected.each ? (property.items ?? {}) : property).properties)
          problems.push(`${where}: nested object without its schema`);
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(150);
  });

  it('documents every validated class, as a schema, as query parameters, or through a documented subclass', () => {
    const schemaNames = new Set(Object.keys(doc.components.schemas));
    const queries = operations().map(({ op }) => (op.parameters ?? []).filter((p) => p.in === 'query'));
    const problems: string[] = [];
    for (const [cls, properties] of classes) {
      // the configuration and the web pages' forms are validated, but are not the API's
      if (cls === AppConfig || (PAGE_FORMS as unknown[]).includes(cls) || schemaNames.has(cls.name)) continue;
      const subclassed = [...classes.keys()].some(
        (other) => other.prototype instanceof cls && schemaNames.has(other.name),
      );
      if (subclassed) continue;
      const match = queries.find((params) =>
        [...properties.keys()].every((name) => params.some((p) => p.name === name)),
      );
      if (!match) {
        problems.push(`${cls.name} is validated but not documented`);
        continue;
      }
      for (const [name, metas] of properties) {
        const param = match.find((p) => p.name === name)!;
        const expected = expectedOf(metas);
        if ((param.required ?? false) !== expected.required) problems.push(`${cls.name}.${name}: required differs`);
        const values = expected.allowedEach ? param.schema?.items?.enum : param.schema?.enum;
        if (expected.allowed && JSON.stringify(values) !== JSON.stringify(expected.allowed))
          problems.push(
            `${cls.name}.${name}: enum ${JSON.stringify(values)}, validation allows ${JSON.stringify(expected.allowed)}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents each /events body as one schema per event type, told apart by type, with an example that validates', async () => {
    for (const contract of CONTRACTS) {
      const op = doc.paths[`/${contract.resource}/{id}/events`].post;
      const body = op.requestBody!.content['application/json'];
      const types = Object.keys(contract.dtos);
      expect(body.schema.oneOf).toHaveLength(types.length);
      expect(body.schema.discriminator?.propertyName).toBe('type');
      expect(Object.keys(body.schema.discriminator!.mapping).sort()).toEqual([...types].sort());
      for (const type of types) {
        const schema = resolve({ $ref: body.schema.discriminator!.mapping[type] });
        expect(schema.properties?.type.enum).toEqual([type]);
        expect(schema.required).toContain('type');
        const example = body.examples?.[type]?.value as Record<string, unknown>;
        expect(example.type).toBe(type);
        // the example passes the validation the route applies (validateAs throws otherwise)
        await expect(validateAs(contract.dtos[type], example)).resolves.toBeDefined();
        const documented = Object.keys(schema.properties ?? {});
        expect(Object.keys(example).filter((key) => !documented.includes(key))).toEqual([]);
      }
      // the If-Match header is listed once, optional
      const headers = (op.parameters ?? []).filter(
        (p) => p.$ref === '#/components/parameters/IfMatch' || p.name?.toLowerCase() === 'if-match',
      );
      expect(headers).toEqual([{ $ref: '#/components/parameters/IfMatch' }]);
    }
    expect(doc.components.parameters.IfMatch).toMatchObject({ in: 'header', required: false });
  });

  it('gives every JSON request body an example that passes its DTO’s validation and uses only documented fields', async () => {
    // a body's schema is named for the class the route validates it with; two classes of one name would be ambiguous
    const byName = new Map<string, ValidatedClass[]>();
    for (const cls of classes.keys()) byName.set(cls.name, [...(byName.get(cls.name) ?? []), cls]);
    const problems: string[] = [];
    let checked = 0;
    for (const { route, op } of operations()) {
      const body = op.requestBody?.content['application/json'];
      if (!body) continue;
      const examples = Object.entries(body.examples ?? {});
      if (examples.length === 0) problems.push(`${route} has no example`);
      for (const [name, { value }] of examples) {
        const where = `${route} (${name})`;
        // an /events body is one of its event schemas, the one its type names
        const type = (value as { type?: unknown }).type;
        const ref = body.schema.$ref ?? body.schema.discriminator?.mapping[String(type)];
        const named = byName.get(ref?.replace('#/components/schemas/', '') ?? '') ?? [];
        if (named.length !== 1) {
          problems.push(`${where}: ${named.length} validated classes are named by ${ref ?? 'its schema'}`);
          continue;
        }
        checked++;
        // validation alone: an example's ids are UUIDs of the right shape, not records that exist
        try {
          await validateAs(named[0] as ClassConstructor<object>, value);
        } catch (error) {
          problems.push(`${where} is refused: ${JSON.stringify(error instanceof DomainError ? error.details : error)}`);
        }
        problems.push(...undocumented({ $ref: ref }, value, where));
      }
    }
    expect(problems).toEqual([]);
    // the /events bodies' examples and the other bodies' together: the loop did not pass by checking nothing
    expect(checked).toBeGreaterThan(60);
  });

  it('gives every operation a success schema and the shared refusal, listing every error code', () => {
    const missing: string[] = [];
    for (const { route, op } of operations()) {
      const success = Object.entries(op.responses).filter(([status]) => /^[23]\d\d$/.test(status));
      const described = success.some(
        ([status, r]) =>
          status === '204' || /^3/.test(status) || Object.values(r.content ?? {}).some((c) => c.schema !== undefined),
      );
      if (!described) missing.push(route);
      expect(op.responses['4XX']).toEqual({ $ref: '#/components/responses/Refused' });
      expect(op.responses['5XX']).toEqual({ $ref: '#/components/responses/Failed' });
    }
    expect(missing).toEqual([]);
    const refused = JSON.stringify(doc.components.responses);
    for (const code of Object.values(ErrorCode)) expect(refused).toContain(code);
    const error = doc.components.schemas.ErrorView;
    expect(error.required).toEqual(expect.arrayContaining(['error', 'correlationId']));
    const detail = resolve(error.properties!.error);
    expect(resolve(detail.properties!.code).enum).toEqual(Object.values(ErrorCode));
  });

  it('describes the bearer token as opaque, and which routes need none', () => {
    const bearer = doc.components.securitySchemes.bearer;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' });
    expect(bearer.description).toMatch(/opaque/);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/applications'].get.security).toEqual([{ bearer: [] }, { session: [] }]);
  });
});
