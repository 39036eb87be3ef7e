import { LAPSE_NAMES, LETTER_KIND_NAMES, ORG_NAMES } from '@gongzhi/domain';
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { issuesTable, lapsesTable, lettersTable } from '../../../db/schema';
import { type ArchiveSection, csv, iso, json, tally } from '../section';

/** 提示函 / 警示函 issued in the quarter with their acknowledgements, and the lapses recorded. */
export const lettersSection: ArchiveSection = {
  key: 'letters',
  async export(sx) {
    const { tx, community, communityId, start, end } = sx;
    const letters = await tx
      .select()
      .from(lettersTable)
      .where(
        and(
          eq(lettersTable.communityId, communityId),
          gte(lettersTable.createdAt, start),
          lt(lettersTable.createdAt, end),
        ),
      )
      .orderBy(asc(lettersTable.createdAt), asc(lettersTable.id));
    const lapses = await tx
      .select({ l: lapsesTable, code: issuesTable.code })
      .from(lapsesTable)
      .innerJoin(issuesTable, eq(issuesTable.id, lapsesTable.issueId))
      .where(
        and(
          eq(lapsesTable.communityId, communityId),
          gte(lapsesTable.createdAt, start),
          lt(lapsesTable.createdAt, end),
        ),
      )
      .orderBy(asc(lapsesTable.createdAt), asc(lapsesTable.id));
    const ids = [...new Set(letters.flatMap((l) => l.issueIds))];
    const codes = new Map(
      ids.length
        ? (
            await tx
              .select({ id: issuesTable.id, code: issuesTable.code })
              .from(issuesTable)
              .where(inArray(issuesTable.id, ids))
          ).map((r) => [r.id, r.code])
        : [],
    );
    const records = letters.map((l) => ({
      number: l.number,
      kind: LETTER_KIND_NAMES[l.kind],
      org: ORG_NAMES[l.org],
      text: l.text,
      issues: l.issueIds.map((id) => codes.get(id) ?? id),
      createdAt: iso(l.createdAt),
      acknowledgedAt: iso(l.acknowledgedAt),
      acknowledgedBy: l.acknowledgedBy,
      acknowledgeNote: l.acknowledgeNote,
    }));
    const lapseRecords = lapses.map(({ l, code }) => ({
      at: iso(l.createdAt),
      org: ORG_NAMES[l.org],
      kind: LAPSE_NAMES[l.kind],
      issue: code,
      person: l.person ? (community.people.get(l.person)?.name ?? l.person) : null,
    }));
    const count = (kind: string) => records.filter((r) => r.kind === kind).length;
    return {
      files: [
        { path: 'letters/letters.json', data: json(records) },
        {
          path: 'letters/letters.csv',
          data: csv(
            sx,
            ['文号', '种类', '单位', '发出时间', '涉及问题', '签收时间', '签收人', '回复'],
            records.map((r, n) => [
              r.number,
              r.kind,
              r.org,
              letters[n]!.createdAt,
              r.issues.join(' '),
              letters[n]!.acknowledgedAt,
              r.acknowledgedBy,
              r.acknowledgeNote,
            ]),
          ),
        },
        {
          path: 'letters/lapses.csv',
          data: csv(
            sx,
            ['时间', '单位', '种类', '问题编号', '人员'],
            lapseRecords.map((r, n) => [lapses[n]!.l.createdAt, r.org, r.kind, r.issue, r.person]),
          ),
        },
      ],
      counts: { letters: letters.length },
      summary: {
        heading: '函件与失职记录',
        lines: [
          `发出提示函 ${count('提示函')} 份、警示函 ${count('警示函')} 份，已签收 ${records.filter((r) => r.acknowledgedAt).length} 份；记录失职 ${lapses.length} 次。`,
        ],
        tables: [{ title: '失职（按单位）', rows: tally(lapseRecords, (r) => r.org) }],
      },
    };
  },
};
