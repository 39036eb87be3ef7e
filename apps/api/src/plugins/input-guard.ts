import { textProblem } from '@gongzhi/domain';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The guard every request part passes before its schema: every string in it (values and object
 * keys, however deep) is checked against the one text rule of the domain (`textProblem`), so a
 * schema that leaves a string loose still never lets NUL, another control character, a lone
 * surrogate or an unbounded string through to the database. Refusals are ordinary validation
 * errors (400 `validation_failed` with the field path).
 *
 * Bodies carry what people type, so they may hold line breaks and tabs; paths, queries and headers
 * never. Only the headers a route declares are checked (the rest are Node's and the proxies').
 */
const RULES = {
  body: { multiline: true, max: 10_000 },
  params: { multiline: false, max: 200 },
  querystring: { multiline: false, max: 1_000 },
  headers: { multiline: false, max: 4_096 },
} as const;

type Part = keyof typeof RULES;
interface Problem {
  path: (string | number)[];
  message: string;
}

/** Walk a parsed JSON value (or a query/params/headers object) and report the first bad strings. */
export function findTextProblems(
  value: unknown,
  rule: { multiline: boolean; max: number },
  only?: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const visit = (v: unknown, path: (string | number)[], depth: number) => {
    if (problems.length >= 10) return;
    if (typeof v === 'string') {
      const message = textProblem(v, rule);
      if (message) problems.push({ path, message });
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, [...path, i], depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (depth === 0 && only && !only.has(key.toLowerCase())) continue;
        const keyProblem = textProblem(key, { multiline: false, max: 200 });
        if (keyProblem) problems.push({ path: [...path, key], message: `字段名${keyProblem}` });
        else visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(value, [], 0);
  return problems;
}

/** The header names a route's schema declares (lower case), to check only those. */
function declaredKeys(schema: unknown): ReadonlySet<string> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {};
  return new Set(Object.keys(shape).map((k) => k.toLowerCase()));
}

/** fastify-type-provider-zod's validator compiler, behind the guard. */
export const guardedValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  const part = route.httpPart as Part | undefined;
  const rule = part ? RULES[part] : RULES.body;
  const only = part === 'headers' ? declaredKeys(route.schema) : undefined;
  return (data: unknown) => {
    const problems = findTextProblems(data, rule, only);
    if (problems.length === 0) return validate(data);
    // The same shape as the schema's own errors (fastify-type-provider-zod's, marked by its public
    // symbol), so the one error handler reports both alike.
    return {
      error: problems.map((p) => ({
        [Symbol.for('ZodFastifySchemaValidationError')]: true,
        keyword: 'invalid_text',
        instancePath: `/${p.path.join('/')}`,
        schemaPath: `#/${p.path.join('/')}/invalid_text`,
        message: p.message,
        params: {},
      })),
    };
  };
};
