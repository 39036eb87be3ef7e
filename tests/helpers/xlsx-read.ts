import { strFromU8, unzipSync } from 'fflate';

/**
 * An independent XLSX reader for tests: unzips the workbook with fflate and reads the sheet XML
 * directly (shared strings, inline strings, numbers), so a writer's output is not judged by its
 * own reading library.
 */
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

const textOf = (xml: string) =>
  unescapeXml([...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(''));

const column = (ref: string) => {
  const letters = /^[A-Z]+/.exec(ref)![0];
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
};

export interface SheetData {
  name: string;
  rows: (string | number | null)[][];
}

export function readXlsx(file: Buffer): SheetData[] {
  const zip = unzipSync(new Uint8Array(file));
  const read = (p: string) => (zip[p] ? strFromU8(zip[p]!) : null);
  const shared = [...(read('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    textOf(m[1]!),
  );
  const workbook = read('xl/workbook.xml')!;
  const rels = read('xl/_rels/workbook.xml.rels')!;
  // Attributes in any order: read each element's attributes by name.
  const attr = (el: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(el)?.[1];
  const targets = new Map(
    [...rels.matchAll(/<Relationship\s[^>]*>/g)].map((m) => [attr(m[0], 'Id')!, attr(m[0], 'Target')!]),
  );
  return [...workbook.matchAll(/<sheet\s[^>]*>/g)].map(([el]) => {
    const m = [el, attr(el, 'name')!, attr(el, 'r:id')!] as const;
    const target = targets.get(m[2])!.replace(/^\/?(xl\/)?/, '');
    const xml = read(`xl/${target}`)!;
    const rows: (string | number | null)[][] = [];
    for (const row of xml.matchAll(/<row\s[^>]*?r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
      const cells: (string | number | null)[] = [];
      for (const c of row[2]!.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1]!;
        const body = c[2] ?? '';
        const ref = /r="([A-Z]+\d+)"/.exec(attrs)![1]!;
        const type = /t="([^"]+)"/.exec(attrs)?.[1];
        const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        let value: string | number | null = null;
        if (type === 's') value = shared[Number(v)]!;
        else if (type === 'inlineStr') value = textOf(body);
        else if (type === 'str') value = v !== undefined ? unescapeXml(v) : null;
        else if (v !== undefined) value = Number(v);
        const col = column(ref);
        while (cells.length < col) cells.push(null);
        cells[col] = value;
      }
      rows[Number(row[1]) - 1] = cells;
    }
    return { name: unescapeXml(m[1]), rows };
  });
}
