import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ConfigProblem } from './community/types';

/**
 * The YAML and schema halves every config file shares (communities, holiday calendars): parse
 * strictly (a key written twice is an error, not a silent overwrite), and turn zod's issues into
 * problems with dotted paths and Chinese messages.
 */
export function parseStrictYaml(
  text: string,
): { ok: true; value: unknown } | { ok: false; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter, prettyErrors: false });
  if (doc.errors.length === 0) return { ok: true, value: doc.toJS() };
  return {
    ok: false,
    problems: doc.errors.map((e) => {
      // With prettyErrors off the library leaves linePos unset; the line counter knows the line.
      const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
      const duplicate = e.code === 'DUPLICATE_KEY';
      return {
        path: duplicate ? pathAtOffset(doc.contents, e.pos[0]) : '',
        line,
        message: duplicate
          ? `键重复：同一层级中同一个键写了两次（第 ${line} 行）`
          : `YAML 语法错误：${e.message}`,
      };
    }),
  };
}

/** Best-effort dotted path of the node at a character offset, for duplicate-key messages. */
function pathAtOffset(node: unknown, offset: number, prefix = ''): string {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as { range?: [number, number, number]; value?: unknown } | null;
      const value = pair.value as { range?: [number, number, number] } | null;
      const k = String(key?.value ?? '');
      const here = prefix ? `${prefix}.${k}` : k;
      if (key?.range && offset >= key.range[0] && offset <= key.range[1]) return here;
      if (value?.range && offset >= value.range[0] && offset <= value.range[2]) {
        return pathAtOffset(value, offset, here);
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const r = (item as { range?: [number, number, number] }).range;
      if (r && offset >= r[0] && offset <= r[2]) prefix = pathAtOffset(item, offset, `${prefix}[${i}]`);
    });
  }
  return prefix;
}

export const zodPath = (path: PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );

/** Schema problems, one per unknown field (a typo, or a field in the wrong place) or failed rule. */
export const schemaProblems = (error: z.ZodError): ConfigProblem[] =>
  error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({
          path: zodPath([...i.path, k]),
          message: `不认识的字段 "${k}"（拼写错误，或不属于此处？）`,
        }))
      : [{ path: zodPath(i.path), message: i.message }],
  );
