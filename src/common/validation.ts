import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { isDefined, isObject, isString, maxLength, minLength } from 'class-validator';
import { ValidationFailedError, ValidationIssue } from './errors';

/** class-validator's error tree → flat issues with paths and its own sentences. */
export function issuesFrom(errors: ValidationError[], parent: (string | number)[] = []): ValidationIssue[] {
  return errors.flatMap((e) => {
    const path = [...parent, propertyPath(e.property)];
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({ path, code, message, value: e.value }));
    return [...own, ...issuesFrom(e.children ?? [], path)];
  });
}

function propertyPath(property: string): string | number {
  return /^\d+$/.test(property) ? Number(property) : property;
}

/**
 * One field of a DTO checked without class-validator: the DTO's decorators written as data
 * (`@IsOptional()`, `@IsDefined()`, `@IsString() @MinLength(min) @MaxLength(max)`, `@IsObject()`).
 */
export interface FieldRule {
  optional?: true;
  defined?: true;
  string?: { min?: number; max?: number };
  object?: true;
}

export type BodyRules = Readonly<Record<string, FieldRule>>;

/**
 * The issues class-validator reports for a body under these rules (with whitelist and
 * forbidNonWhitelisted), in its order and with its sentences: unknown fields first, then each
 * field's failed constraints in the order its decorators register (`@MaxLength` before
 * `@MinLength` before `@IsString` as they are written on one line).
 */
export function bodyRuleIssues(fields: Record<string, unknown>, rules: BodyRules): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(fields)) {
    if (!Object.hasOwn(rules, key)) issues.push({ path: [propertyPath(key)], code: 'whitelistValidation', message: `property ${key} should not exist`, value: fields[key] });
  }
  for (const [name, rule] of Object.entries(rules)) {
    const value = fields[name];
    if (rule.optional && (value === undefined || value === null)) continue;
    const fail = (code: string, message: string) => issues.push({ path: [name], code, message, value });
    if (rule.defined && !isDefined(value)) fail('isDefined', `${name} should not be null or undefined`);
    if (rule.string?.max !== undefined && !maxLength(value, rule.string.max)) fail('maxLength', `${name} must be shorter than or equal to ${rule.string.max} characters`);
    if (rule.string?.min !== undefined && !minLength(value, rule.string.min)) fail('minLength', `${name} must be longer than or equal to ${rule.string.min} characters`);
    if (rule.string && !isString(value)) fail('isString', `${name} must be a string`);
    if (rule.object && !isObject(value)) fail('isObject', `${name} must be an object`);
  }
  return issues;
}

const ruledBodies = new WeakMap<object, BodyRules>();

/**
 * A DTO on a hot path is checked by these rules instead of class-validator and class-transformer
 * (together ~10% of a publish's CPU in the ingest profile, mostly metadata lookups and copying the
 * payload). Its decorators stay, for the OpenAPI document; a spec holds the two to the same issues.
 */
export function CheckedByRules(rules: BodyRules): ClassDecorator {
  return (target) => {
    ruledBodies.set(target, rules);
  };
}

class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const rules = metadata.type === 'body' && metadata.metatype ? ruledBodies.get(metadata.metatype) : undefined;
    if (!rules) return super.transform(value, metadata);
    // As the class-validator path does: the prototype keys go, a primitive or binary body has no fields.
    this.closeArrayGaps(value);
    this.stripProtoKeys(value);
    const fields = typeof value === 'object' && value !== null && !this.isBinary(value) ? (value as Record<string, unknown>) : {};
    const issues = bodyRuleIssues(fields, rules);
    if (issues.length) throw new ValidationFailedError(issues);
    return fields;
  }
}

/** whitelist + forbidNonWhitelisted: unknown fields are refused, not silently dropped. */
export const validationPipeOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => new ValidationFailedError(issuesFrom(errors)),
};

export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe(validationPipeOptions);
}
