import { localDateTimeOf } from '@gongzhi/domain';
import { unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { csvFile, neutraliseFormula, type Table, xlsxFile } from '../../apps/api/src/lib/table-file';

/** The one table writer (apps/api/src/lib/table-file.ts) of the archive's CSV files and the KPI export. */

const opts = { timeZone: 'Asia/Shanghai' };

const table: Table = {
  sheet: '测试',
  header: ['文本', '时间', '数', '比例'],
  rows: [
    ['=HYPERLINK("http://x","点我")', new Date('2026-10-08T02:00:00Z'), 3, { ratio: 0.75, text: '75.0%' }],
    ['+1', new Date('2026-10-08T16:30:00Z'), -2, { ratio: null, text: '无数据' }],
    ['-1+2', null, 0, undefined],
    ['@SUM(A1)', undefined, 1.5, '普通文本'],
    ['\tcmd', new Date('2026-12-31T15:59:00Z'), 1, '甲,乙"丙"'],
    ['\rcmd', new Date('2026-12-31T16:00:00Z'), 1, 'a-b=c'],
  ],
};

const csvLines = (t: Table) => csvFile(t, opts).toString('utf8').split('\r\n');

describe('formula-leading text is neutralised (OWASP CSV injection)', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\t1', "'\t1"],
    ['\r1', "'\r1"],
    ['1-1', '1-1'],
    ['张三', '张三'],
    ['', ''],
  ])('%j → %j', (input, out) => {
    expect(neutraliseFormula(input)).toBe(out);
  });
});

describe('CSV', () => {
  test('BOM, CRLF, quoting; formulas inert; numbers as numbers; times local, never UTC with Z', () => {
    const bytes = csvFile(table, opts);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csvLines(table);
    expect(lines[0]).toBe('\uFEFF文本,时间,数,比例');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""点我"")",2026-10-08 10:00,3,75.0%`);
    // 16:30 UTC is half past midnight of the next day in Shanghai; a negative number stays a number.
    expect(lines[2]).toBe("'+1,2026-10-09 00:30,-2,无数据");
    expect(lines[3]).toBe("'-1+2,,0,");
    expect(lines[4]).toBe("'@SUM(A1),,1.5,普通文本");
    expect(lines[5]).toBe(`'\tcmd,2026-12-31 23:59,1,"甲,乙""丙"""`);
    expect(lines[6]).toBe(`"'\rcmd",2027-01-01 00:00,1,a-b=c`);
    expect(lines.at(-1)).toBe('');
    expect(bytes.toString('utf8')).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
  });

  test('the local time is the community’s, from the domain (calendar/zone.ts)', () => {
    expect(localDateTimeOf(new Date('2026-10-08T02:00:00Z'), 'Asia/Shanghai')).toBe('2026-10-08 10:00');
    expect(localDateTimeOf(new Date('2026-10-08T02:00:00Z'), 'UTC')).toBe('2026-10-08 02:00');
    expect(localDateTimeOf(new Date('2026-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-03-01 23:59');
  });
});

describe('XLSX, read back', () => {
  test('the same cells: text inert, times local, numbers and ratios numeric, no data as text; no formula in the sheet XML', async () => {
    const file = await xlsxFile([table, { sheet: '二', header: ['=bad'], rows: [['ok']] }], opts);
    const sheets = await readXlsxFile(file);
    expect(sheets.map((s) => s.sheet)).toEqual(['测试', '二']);
    const [header, ...rows] = sheets[0]!.data;
    expect(header).toEqual(['文本', '时间', '数', '比例']);
    expect(rows[0]).toEqual(['\'=HYPERLINK("http://x","点我")', '2026-10-08 10:00', 3, 0.75]);
    expect(rows[1]).toEqual(["'+1", '2026-10-09 00:30', -2, '无数据']);
    expect(rows[2]).toEqual(["'-1+2", null, 0, null]);
    expect(rows[3]![0]).toBe("'@SUM(A1)");
    expect(rows[5]![1]).toBe('2027-01-01 00:00');
    expect(sheets[1]!.data[0]).toEqual(["'=bad"]);
    const files = unzipSync(file);
    const sheetXml = Object.keys(files)
      .filter((p) => p.startsWith('xl/worksheets/'))
      .map((p) => Buffer.from(files[p]!).toString('utf8'))
      .join('');
    expect(sheetXml.length).toBeGreaterThan(0);
    expect(sheetXml).not.toMatch(/<f[ >]/);
  });
});
