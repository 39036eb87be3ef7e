import {
  CHANNEL_NAMES,
  eventName,
  FINAL_STATUSES,
  type IssueStatus,
  maskPhone,
  STATUS_NAMES,
  TASK_STATUS_NAMES,
  TIER_NAMES,
  URGENCY_NAMES,
  zoneNameOf,
} from '@gongzhi/domain';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import {
  issueEventsTable,
  issueRatingsTable,
  issuesTable,
  photosTable,
  tasksTable,
} from '../../../db/schema';
import { ACTOR_NAMES } from '../../issues/to-view';
import { photoKey } from '../../photos/photo-files';
import {
  type ArchiveSection,
  csv,
  iso,
  json,
  type PackageFile,
  type SectionContext,
  tally,
} from '../section';

const inQuarter = (sx: SectionContext) =>
  and(
    eq(issuesTable.communityId, sx.communityId),
    gte(issuesTable.createdAt, sx.start),
    lt(issuesTable.createdAt, sx.end),
  );

/**
 * Every issue submitted in the quarter, with its full timeline, tasks, rating and photos (the
 * stored originals). The reporter's phone is masked: the package leaves the system and is kept for
 * years, and docs/domain.md §12 shows the full number only to the people handling an issue.
 */
export const issuesSection: ArchiveSection = {
  key: 'issues',
  async export(sx) {
    const { tx, community } = sx;
    const name = (key: string | null) => (key ? (community.people.get(key)?.name ?? key) : null);
    const actorName = (key: string) => ACTOR_NAMES[key] ?? name(key)!;
    const issues = await tx
      .select()
      .from(issuesTable)
      .where(inQuarter(sx))
      .orderBy(asc(issuesTable.createdAt), asc(issuesTable.id));
    const events = await tx
      .select({ e: issueEventsTable })
      .from(issueEventsTable)
      .innerJoin(issuesTable, eq(issuesTable.id, issueEventsTable.issueId))
      .where(inQuarter(sx))
      .orderBy(asc(issueEventsTable.id));
    const tasks = await tx
      .select({ t: tasksTable })
      .from(tasksTable)
      .innerJoin(issuesTable, eq(issuesTable.id, tasksTable.issueId))
      .where(inQuarter(sx))
      .orderBy(asc(tasksTable.seq));
    const photos = await tx
      .select({ p: photosTable })
      .from(photosTable)
      .innerJoin(issuesTable, eq(issuesTable.id, photosTable.issueId))
      .where(inQuarter(sx))
      .orderBy(asc(photosTable.createdAt), asc(photosTable.id));
    const ratings = await tx
      .select({ r: issueRatingsTable })
      .from(issueRatingsTable)
      .innerJoin(issuesTable, eq(issuesTable.id, issueRatingsTable.issueId))
      .where(inQuarter(sx));

    const codeOf = new Map(issues.map((i) => [i.id, i.code]));
    const files: PackageFile[] = [];
    const photoEntries = new Map<string, Record<string, unknown>[]>();
    let missingPhotos = 0;
    for (const { p } of photos) {
      const original = await sx.storage.get(photoKey(p.sha256, 'original'));
      const file = original ? `photos/${codeOf.get(p.issueId!)}/${p.id}.jpg` : null;
      if (original && file) files.push({ path: file, data: original, stored: true });
      else missingPhotos++;
      const list = photoEntries.get(p.issueId!) ?? [];
      list.push({
        id: p.id,
        file,
        ...(original ? {} : { missing: '存储中找不到原件' }),
        sha256: p.sha256,
        mime: p.mime,
        width: p.width,
        height: p.height,
        bytes: p.bytes,
        eventId: p.eventId,
        createdAt: iso(p.createdAt),
      });
      photoEntries.set(p.issueId!, list);
    }
    const group = <T>(rows: T[], id: (r: T) => string) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(id(r), [...(m.get(id(r)) ?? []), r]);
      return m;
    };
    const eventsOf = group(
      events.map((r) => r.e),
      (e) => e.issueId,
    );
    const tasksOf = group(
      tasks.map((r) => r.t),
      (t) => t.issueId,
    );
    const ratingOf = new Map(ratings.map(({ r }) => [r.issueId, r]));

    const records = issues.map((i) => {
      const rating = ratingOf.get(i.id);
      return {
        id: i.id,
        code: i.code,
        createdAt: iso(i.createdAt),
        zone: { key: i.zone, name: zoneNameOf(community, i.zone) },
        building: i.building,
        spot: i.spot,
        category: { key: i.category, name: community.categories.get(i.category)?.name ?? i.category },
        description: i.description,
        urgency: i.urgency,
        scope: i.scope,
        usesMaintenanceFund: i.usesMaintenanceFund,
        touchesSharedParts: i.touchesSharedParts,
        multiOrg: i.multiOrg,
        channel: i.channel,
        status: i.status,
        statusName: STATUS_NAMES[i.status],
        tier: i.tier,
        line: i.line,
        owner: i.owner ? { key: i.owner, name: name(i.owner) } : null,
        route: i.route,
        reporter: {
          name: i.reporterName,
          phone: i.reporterPhone ? maskPhone(i.reporterPhone) : null,
          signedIn: i.reporterAccountId !== null,
        },
        hidden: i.hidden,
        resolvedAt: iso(i.resolvedAt),
        updatedAt: iso(i.updatedAt),
        timeline: (eventsOf.get(i.id) ?? []).map((e) => ({
          id: e.id,
          at: iso(e.createdAt),
          action: e.action,
          actionName: eventName(e.action),
          from: e.fromStatus,
          to: e.toStatus,
          actor: e.actor,
          actorName: actorName(e.actor),
          note: e.note,
          data: e.data,
        })),
        tasks: (tasksOf.get(i.id) ?? []).map((t) => ({
          id: t.id,
          assignee: { key: t.assignee, name: name(t.assignee) },
          role: t.role,
          org: t.org,
          status: t.status,
          statusName: TASK_STATUS_NAMES[t.status],
          note: t.note,
          acceptDueAt: iso(t.acceptDueAt),
          resolveDueAt: iso(t.resolveDueAt),
          createdAt: iso(t.createdAt),
          acceptedAt: iso(t.acceptedAt),
          startedAt: iso(t.startedAt),
          resolvedAt: iso(t.resolvedAt),
          endedAt: iso(t.endedAt),
        })),
        photos: photoEntries.get(i.id) ?? [],
        rating: rating
          ? {
              score: rating.score,
              fixed: rating.fixed,
              comment: rating.comment,
              createdAt: iso(rating.createdAt),
            }
          : null,
      };
    });

    files.push({ path: 'issues/issues.json', data: json(records) });
    files.push({
      path: 'issues/issues.csv',
      data: csv(
        sx,
        [
          '编号',
          '提交时间',
          '区域',
          '楼号',
          '地点',
          '类别',
          '紧急程度',
          '层级',
          '状态',
          '负责人',
          '渠道',
          '描述',
          '办结时间',
          '照片数',
          '评分',
        ],
        records.map((r, n) => {
          const i = issues[n]!;
          return [
            r.code,
            i.createdAt,
            r.zone.name,
            r.building,
            r.spot,
            r.category.name,
            URGENCY_NAMES[i.urgency],
            TIER_NAMES[i.tier],
            r.statusName,
            r.owner?.name,
            CHANNEL_NAMES[i.channel],
            r.description,
            i.resolvedAt,
            r.photos.length,
            r.rating?.score,
          ];
        }),
      ),
    });
    files.push({
      path: 'issues/events.csv',
      data: csv(
        sx,
        ['问题编号', '时间', '操作', '原状态', '新状态', '操作人', '说明'],
        issues.flatMap((i) =>
          (eventsOf.get(i.id) ?? []).map((e) => [
            i.code,
            e.createdAt,
            eventName(e.action),
            e.fromStatus ? STATUS_NAMES[e.fromStatus as IssueStatus] : '',
            STATUS_NAMES[e.toStatus as IssueStatus] ?? e.toStatus,
            actorName(e.actor),
            e.note,
          ]),
        ),
      ),
    });

    const open = issues.filter((i) => !(FINAL_STATUSES as readonly string[]).includes(i.status));
    const lines = [
      `本季度提交问题 ${issues.length} 件，照片 ${photos.length} 张，处理记录 ${events.length} 条。`,
      `归档时尚未办结（关闭、驳回或合并之外）的问题 ${open.length} 件。`,
    ];
    if (missingPhotos)
      lines.push(`注意：${missingPhotos} 张照片的原件在存储中缺失，已在 issues.json 中注明。`);
    return {
      files,
      counts: { issues: issues.length, openIssues: open.length, photos: photos.length - missingPhotos },
      summary: {
        heading: '问题',
        lines,
        tables: [
          { title: '按区域', rows: tally(records, (r) => r.zone.name) },
          { title: '按状态', rows: tally(records, (r) => r.statusName) },
          { title: '按类别', rows: tally(records, (r) => r.category.name) },
          { title: '按层级', rows: tally(issues, (i) => TIER_NAMES[i.tier]) },
        ],
      },
    };
  },
};
