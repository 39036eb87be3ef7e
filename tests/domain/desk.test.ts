import { menuHas, workMenu } from '../../packages/domain/src/capabilities/work-menu';
import { rolesOf } from '../../packages/domain/src/community/lookup';
import type { Actor } from '../../packages/domain/src/issues/access';
import {
  checkMerge,
  type DeskFacts,
  type DeskQueue,
  deskQueuesOf,
  deskScopeOf,
  type MergeSide,
} from '../../packages/domain/src/issues/desk';
import { dispatchCandidates, mediatorsOf } from '../../packages/domain/src/issues/mediation';
import type { IssueStatus } from '../../packages/domain/src/issues/schema';
import { taskRoleFor } from '../../packages/domain/src/tasks/lifecycle';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const NOW = new Date('2026-11-20T02:00:00Z');
const PAST = new Date('2026-11-19T02:00:00Z');
const FUTURE = new Date('2026-11-21T02:00:00Z');

describe('deskQueuesOf: which queues an issue stands in', () => {
  const f = (
    status: IssueStatus,
    activeTasks: number,
    returnedTasks: number,
    due: Date | null,
  ): DeskFacts => ({
    status,
    activeTasks,
    returnedTasks,
    resolveDueAt: due,
  });
  it.each<[string, DeskFacts, DeskQueue[]]>([
    ['returned, nobody holds it', f('dispatched', 0, 1, FUTURE), ['returned', 'unassigned']],
    ['returned by one, another still holds a task', f('dispatched', 1, 1, FUTURE), []],
    ['returned and past its deadline', f('dispatched', 0, 1, PAST), ['returned', 'unassigned', 'overdue']],
    ['dispatched and held', f('dispatched', 1, 0, FUTURE), []],
    ['submitted, never dispatched', f('submitted', 0, 0, FUTURE), ['unassigned']],
    ['reopened with nobody on it', f('reopened', 0, 0, FUTURE), ['unassigned']],
    ['in progress past its deadline', f('in_progress', 1, 0, PAST), ['overdue']],
    ['in progress, no deadline recorded', f('in_progress', 1, 0, null), []],
    ['resolved: waiting for verification', f('resolved', 0, 0, PAST), ['verify']],
    ['escalated to the joint meeting', f('escalated', 0, 1, PAST), []],
    ['closed', f('closed', 0, 1, PAST), []],
    ['merged', f('merged', 0, 0, PAST), []],
    ['parked, review date to come: not overdue', { ...f('parked', 0, 1, PAST), parkedUntil: FUTURE }, []],
    ['parked, review date come', { ...f('parked', 0, 1, PAST), parkedUntil: PAST }, ['park_review']],
    ['parked, review date now', { ...f('parked', 0, 0, PAST), parkedUntil: NOW }, ['park_review']],
  ])('%s', (_, facts, queues) => {
    expect(deskQueuesOf(facts, NOW)).toEqual(queues);
  });
});

describe('deskScopeOf and the work menu entry', () => {
  const community = loadXiaduoyuan();
  const actor = (person: string | null, admin = false): Actor => ({
    accountId: 'a',
    admin,
    roles: person ? rolesOf(community, person) : null,
  });
  it.each<[string, Actor, ReturnType<typeof deskScopeOf>]>([
    [
      'a zone leader: their zone',
      actor('wu-wenjie'),
      { all: false, person: 'wu-wenjie', zones: ['zone-1'], lines: [] },
    ],
    [
      'a line leader: their lines',
      actor('he-xianyang'),
      { all: false, person: 'he-xianyang', zones: [], lines: ['fire', 'pump'] },
    ],
    ['an administrator: everything', actor(null, true), { all: true }],
    ['a residents’ committee member: none', actor('zhang-nen'), null],
    ['a property specialist: none', actor('zhang-lifen'), null],
    ['the secretary: none', actor('tu-zhongmei'), null],
    ['a resident: none', actor(null), null],
  ])('%s', (_, a, scope) => {
    expect(deskScopeOf(a)).toEqual(scope);
    const menu = workMenu({ kind: a.admin ? 'admin' : 'staff', actor: a, community, accountReach: null });
    expect(menuHas(menu, 'dispatch_desk')).toBe(scope !== null);
  });
});

describe('checkMerge: the survivor of a merge', () => {
  const side = (id: string, over: Partial<MergeSide> = {}): MergeSide => ({
    id,
    code: id.toUpperCase(),
    communityId: 'c1',
    status: 'dispatched',
    mergedInto: null,
    ...over,
  });
  it.each<[string, MergeSide | null, string | null]>([
    ['an open issue of the same community', side('b'), null],
    ['a resolved one', side('b', { status: 'resolved' }), null],
    ['none (unknown or unreadable)', null, 'merge_target_not_found'],
    ['itself', side('a'), 'merge_into_itself'],
    ['another community', side('b', { communityId: 'c2' }), 'merge_other_community'],
    ['a closed issue', side('b', { status: 'closed' }), 'merge_target_final'],
    ['a merged issue', side('b', { status: 'merged' }), 'merge_target_final'],
    ['a rejected issue', side('b', { status: 'rejected' }), 'merge_target_final'],
    ['one already merged into the duplicate (a cycle)', side('b', { mergedInto: 'a' }), 'merge_cycle'],
  ])('%s', (_, into, code) => {
    const run = () => checkMerge(side('a'), into);
    if (code === null) expect(run).not.toThrow();
    else expect(domainErrorOf(run).code).toBe(code);
  });
  it('a cycle through a longer chain', () => {
    expect(domainErrorOf(() => checkMerge(side('a'), side('c'), [side('b', { mergedInto: 'a' })])).code).toBe(
      'merge_cycle',
    );
  });
});

describe('mediation: 居委会 members take disputes', () => {
  const community = loadXiaduoyuan();
  it.each<[string, { zone: string; category: string; line: string | null }, string[]]>([
    [
      'a 邻里纠纷 in zone 1: its rc members',
      { zone: 'zone-1', category: 'neighbour_dispute', line: null },
      ['zhang-nen', 'li-yongkang'],
    ],
    [
      'a 邻里纠纷 on the commercial street',
      { zone: 'commercial', category: 'neighbour_dispute', line: null },
      ['ding-shengmin'],
    ],
    ['sanitation: nobody', { zone: 'zone-1', category: 'sanitation', line: null }, []],
  ])('%s', (_, issue, people) => {
    expect(mediatorsOf(community, issue)).toEqual(people);
    for (const p of people) expect(taskRoleFor(community, issue, p)).toBe('rc_mediator');
    const candidates = dispatchCandidates(community, issue).map((c) => c.key);
    for (const p of people) expect(candidates).toContain(p);
    expect(candidates).toContain(community.zones.get(issue.zone)!.leader.person);
  });
  it('an rc member may not take a category that is not mediation', () => {
    const issue = { zone: 'zone-1', category: 'sanitation', line: null };
    expect(domainErrorOf(() => taskRoleFor(community, issue, 'zhang-nen')).code).toBe(
      'assignee_not_eligible',
    );
    expect(dispatchCandidates(community, issue).map((c) => c.key)).not.toContain('zhang-nen');
  });
  it('the mediation set is config: a category marked mediation in the config', () => {
    const c = loadXiaduoyuan();
    (c.categories.get('noise') as { mediation?: boolean }).mediation = true;
    expect(mediatorsOf(c, { zone: 'zone-1', category: 'noise' })).toEqual(['zhang-nen', 'li-yongkang']);
  });
});
