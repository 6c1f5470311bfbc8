import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  ARRAY_UNIQUE,
  getMetadataStorage,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_EMAIL,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_NOT_EMPTY,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  IS_URL,
  IS_UUID,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  ValidationTypes,
  type ValidationArguments,
} from 'class-validator';
import { NESTED_CLASS, PRESENCE, type Presence } from './dto';

// The API's documentation of request bodies and queries is read from the same decorators that
// validate them, so the two cannot say different things: a field's type, format, limits, enum and
// whether it is required come from class-validator's metadata; a description or an example given
// with @ApiProperty is kept beside them.

type Schema = Record<string, unknown>;
/** A class validation knows: a DTO, or a query's parameters. */
export type ValidatedClass = abstract new (...args: never[]) => object;
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** Where @nestjs/swagger keeps a property's @ApiProperty options (its API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** What a built-in validator says of the value it accepts, as JSON Schema keywords. */
const BUILT_IN: Record<string, (constraints: unknown[]) => Schema> = {
  [IS_STRING]: () => ({ type: 'string' }),
  [IS_INT]: () => ({ type: 'integer' }),
  [IS_NUMBER]: () => ({ type: 'number' }),
  [IS_BOOLEAN]: () => ({ type: 'boolean' }),
  [IS_OBJECT]: () => ({ type: 'object' }),
  [IS_UUID]: () => ({ type: 'string', format: 'uuid' }),
  [IS_EMAIL]: () => ({ type: 'string', format: 'email' }),
  [IS_ISO8601]: () => ({ type: 'string', 'x-rule': 'an ISO 8601 day (2027-06-30) or time with its offset' }),
  [IS_URL]: () => ({ type: 'string', format: 'uri' }),
  [IS_NOT_EMPTY]: () => ({ minLength: 1 }),
  [MAX_LENGTH]: ([max]) => ({ maxLength: max }),
  [MIN_LENGTH]: ([min]) => ({ minLength: min }),
  [MIN]: ([min]) => ({ minimum: min }),
  [MAX]: ([max]) => ({ maximum: max }),
  [MATCHES]: ([pattern]) => ({ type: 'string', pattern: pattern instanceof RegExp ? pattern.source : String(pattern) }),
  [IS_IN]: ([values]) => ({ enum: values }),
};

/** Validators of the array itself rather than of its items. */
const ARRAY_RULES: Record<string, (constraints: unknown[]) => Schema> = {
  [IS_ARRAY]: () => ({}),
  [ARRAY_MAX_SIZE]: ([max]) => ({ maxItems: max }),
  [ARRAY_MIN_SIZE]: ([min]) => ({ minItems: min }),
  [ARRAY_UNIQUE]: () => ({ uniqueItems: true }),
};

/** The JSON type of an enum's values, when they share one. */
function typeOfValues(values: unknown[]): string | undefined {
  const types = new Set(values.filter((v) => v !== null).map((v) => typeof v));
  return types.size === 1 ? [...types][0] : undefined;
}

/** Every class the service validates, with the validation metadata of each of its properties, inherited included. */
export function validatedClasses(): Map<ValidatedClass, Map<string, ValidationMetadata[]>> {
  const storage = getMetadataStorage();
  // class-validator keeps its targets in a private map; reading it is the only way to list them
  const targets = (storage as unknown as { validationMetadatas: Map<ValidatedClass | string, unknown> })
    .validationMetadatas;
  const classes = new Map<ValidatedClass, Map<string, ValidationMetadata[]>>();
  for (const target of targets.keys()) {
    if (typeof target !== 'function') continue;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of storage.getTargetValidationMetadatas(target, '', true, false)) {
      byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
    }
    classes.set(target, byProperty);
  }
  return classes;
}

/** Whether a property may be left out: it has a conditional validation (Optional, Nullable) or none at all. */
export function isRequired(metas: readonly ValidationMetadata[]): boolean {
  return !metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
}

/** The values IsIn allows, null left out; undefined when the property has no such rule. */
export function enumOf(metas: readonly ValidationMetadata[]): unknown[] | undefined {
  const rule = metas.find((m) => m.name === IS_IN);
  return rule ? (rule.constraints[0] as unknown[]).filter((v) => v !== null) : undefined;
}

/** The sentence a custom rule answers with, for the documentation: "needs text in at least one of ky, ru, en". */
function ruleSentence(meta: ValidationMetadata): string | undefined {
  const constraint = meta.constraintCls as unknown as
    (new () => { defaultMessage?: (args: ValidationArguments) => string }) | undefined;
  if (typeof constraint !== 'function') return undefined;
  const args: ValidationArguments = {
    property: meta.propertyName,
    constraints: meta.constraints ?? [],
    value: undefined,
    targetName: '',
    object: {},
  };
  const sentence = new constraint().defaultMessage?.(args);
  return sentence?.replace(/\$property/g, meta.propertyName);
}

/** The documentation of one validated property, from its validation alone. */
export function propertySchema(target: ValidatedClass, property: string, metas: readonly ValidationMetadata[]): Schema {
  const own: Schema = {};
  const items: Schema = {};
  const array: Schema = {};
  const rules: string[] = [];
  let isArray = false;
  for (const meta of metas) {
    if (meta.type !== ValidationTypes.CUSTOM_VALIDATION || !meta.name) continue;
    const arrayRule = ARRAY_RULES[meta.name];
    if (arrayRule) {
      isArray = true;
      Object.assign(array, arrayRule(meta.constraints ?? []));
      continue;
    }
    const builtIn = BUILT_IN[meta.name];
    if (builtIn) {
      const { 'x-rule': rule, ...keywords } = builtIn(meta.constraints ?? []);
      Object.assign(meta.each ? items : own, keywords);
      if (typeof rule === 'string') rules.push(rule);
    } else {
      const sentence = ruleSentence(meta);
      if (sentence) rules.push(sentence);
    }
    if (meta.each) isArray = true;
  }
  const nested = Reflect.getMetadata(NESTED_CLASS, target.prototype, property) as
    { cls: () => ValidatedClass; each: boolean } | undefined;
  const presence = Reflect.getMetadata(PRESENCE, target.prototype, property) as Presence | undefined;
  const rule = metas.find((m) => m.name === IS_IN);
  const nullable =
    presence === 'nullable' || (rule !== undefined && (rule.constraints[0] as unknown[]).includes(null)) || undefined;

  const schema: Schema = { required: isRequired(metas) };
  if (nullable) schema.nullable = true;
  if (rules.length) schema['x-rules'] = rules;
  if (nested) {
    // a nested class is described by its own schema
    return { ...schema, type: nested.cls(), isArray: nested.each, ...(nested.each ? array : {}) };
  }
  for (const part of [own, items]) {
    if (!part.enum) continue;
    part.enum = (part.enum as unknown[]).filter((v) => v !== null);
    part.type ??= typeOfValues(part.enum as unknown[]);
  }
  if (isArray) {
    const itemType = items.type ?? (Object.keys(items).length ? 'string' : undefined);
    return { ...schema, ...array, type: 'array', items: { ...(itemType ? { type: itemType } : {}), ...items } };
  }
  if (!own.type) {
    // a custom rule alone (counts by group, answers by question): the declared TypeScript type says what it holds
    const declared = Reflect.getMetadata('design:type', target.prototype, property) as unknown;
    own.type =
      declared === Number ? 'number' : declared === Boolean ? 'boolean' : declared === String ? 'string' : 'object';
  }
  return { ...schema, ...own };
}

/** The keys validation decides; a hand-written @ApiProperty may add a description or an example, never these. */
const DERIVED_KEYS = [
  'type',
  'format',
  'required',
  'nullable',
  'enum',
  'isArray',
  'items',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

/**
 * Writes each validated property's documentation into the metadata @nestjs/swagger reads, before the
 * document is built. Idempotent: derived keys are replaced, hand-written descriptions and examples kept.
 */
export function documentValidatedClasses(): void {
  for (const [target, properties] of validatedClasses()) {
    for (const [property, metas] of properties) {
      const derived = propertySchema(target, property, metas);
      const written = (Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype, property) ?? {}) as Schema;
      const kept = Object.fromEntries(
        Object.entries(written).filter(([key]) => !(DERIVED_KEYS as readonly string[]).includes(key)),
      );
      const rules = derived['x-rules'] as string[] | undefined;
      delete derived['x-rules'];
      const said = typeof kept.description === 'string' ? kept.description : '';
      const description = [said, ...(rules ?? []).filter((rule) => !said.includes(rule))].filter(Boolean).join('; ');
      const options = { ...kept, ...derived, ...(description ? { description } : {}) } as ApiPropertyOptions;
      // the previous derivation's keys go too, so a second app in one process documents the same
      Reflect.deleteMetadata(API_MODEL_PROPERTIES, target.prototype, property);
      ApiProperty(options)(target.prototype, property);
    }
  }
}
