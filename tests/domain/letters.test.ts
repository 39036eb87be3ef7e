import {
  type LetterFacts,
  letterNumber,
  letterText,
  orgMembersOf,
  orgOfTask,
  overdueStep,
  TASK_STATUSES,
  validateCommunityConfig,
  warningLetterDue,
} from '../../packages/domain/src';
import { expectValid, loadXiaduoyuan, shippedConfig } from './fixtures';

describe('overdueStep: what the follow-up clock does when a task is overdue', () => {
  const expected = {
    open: 'accept',
    accepted: 'resolve',
    in_progress: 'resolve',
    done: null,
    returned: null,
    cancelled: null,
  } as const;
  const rows = TASK_STATUSES.flatMap((s) => [0, 1, 2, 5].map((stage) => [s, stage] as const));
  it.each(rows)('%s at stage %d', (status, stage) => {
    const kind = expected[status];
    const step = overdueStep(status, stage);
    if (!kind || stage > 1) expect(step).toBeNull();
    else expect(step).toEqual({ kind, step: stage === 0 ? 'reminder' : 'reminder_letter' });
  });
});

describe('warningLetterDue: every threshold-th reminder letter in the window', () => {
  it.each([
    [0, 3, false],
    [1, 3, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, false],
    [5, 3, false],
    [6, 3, true],
    [1, 1, true],
    [2, 1, true],
    [4, 2, true],
  ])('%d letters, threshold %d → %s', (letters, threshold, due) => {
    expect(warningLetterDue(letters, threshold)).toBe(due);
  });
});

describe('orgOfTask: the organisation answerable for a task', () => {
  const community = loadXiaduoyuan();
  it.each([
    ['a property specialist', 'zone-1', 'property_specialist', 'zhang-lifen', 'property'],
    ['the property manager', 'zone-1', 'property_manager', 'cao-zulu', 'property'],
    ['the zone-1 leader (owners committee)', 'zone-1', 'zone_leader', 'wu-wenjie', 'oc'],
    ['a line leader who sits in no zone', 'zone-2', 'line_leader', 'zhou-jianping', 'property'],
    ['a line assignee who is a grid member of a zone', 'zone-1', 'line_assignee', 'zhuang-yongliang', 'grid'],
    ['a line assignee who leads another zone', 'zone-1', 'line_assignee', 'ni-qiong', 'oc'],
  ] as const)('%s → %s', (_name, zone, role, person, org) => {
    expect(orgOfTask(community, zone, role, person)).toBe(org);
  });
});

describe('letters: number and text', () => {
  const facts: LetterFacts = {
    kind: 'reminder',
    communityName: '夏朵园居民区',
    org: 'property',
    year: 2026,
    seq: 7,
    date: '2026-10-09',
    reason: '以下任务超过办结时限仍未办结',
    issues: [
      { code: 'X-0001', summary: '12号楼电梯停运' },
      { code: 'X-0002', summary: '3单元门口垃圾堆放' },
    ],
  };

  it.each([
    ['reminder', '夏朵园居民区提示〔2026〕7号'],
    ['warning', '夏朵园居民区警示〔2026〕7号'],
  ] as const)('a %s is numbered %s', (kind, number) => {
    expect(letterNumber({ ...facts, kind })).toBe(number);
  });

  it('a reminder letter names the organisation, the reason, each issue and the date', () => {
    const lines = letterText(facts).split('\n');
    expect(lines[0]).toBe('提示函');
    expect(lines[1]).toBe('夏朵园居民区提示〔2026〕7号');
    expect(lines[3]).toBe('物业公司：');
    expect(lines[4]).toContain('以下任务超过办结时限仍未办结');
    expect(lines[5]).toBe('　　1. X-0001　12号楼电梯停运');
    expect(lines[6]).toBe('　　2. X-0002　3单元门口垃圾堆放');
    expect(lines[7]).toContain('提示函');
    expect(lines.at(-1)).toBe('2026年10月9日');
  });

  it('a warning letter asks for a written answer and goes on the credit file', () => {
    const text = letterText({ ...facts, kind: 'warning' });
    expect(text.startsWith('警示函\n')).toBe(true);
    expect(text).toContain('三个工作日内书面反馈');
    expect(text).toContain('诚信档案');
  });
});

describe('orgMembersOf: who speaks for an organisation', () => {
  const community = loadXiaduoyuan();
  it('the Party organisation: the leadership group leader', () => {
    expect(orgMembersOf(community, 'party')).toEqual(['wen-liang']);
  });
  it('the owners committee: the zone leaders', () => {
    expect(orgMembersOf(community, 'oc')).toEqual(
      [
        'wu-wenjie',
        'hu-shengjia',
        'ni-qiong',
        'zhou-jianguang',
        community.zones.get('zone-3')!.leader.person,
      ].sort(),
    );
  });
  it('the property company without a manager: every property member and the line leaders, sorted, once', () => {
    const members = orgMembersOf(community, 'property');
    expect(members).toContain('zhang-lifen');
    expect(members).toContain('cao-zulu');
    // The elevator, fire and pump lines are the property company's (周建平, 贺贤洋 — twice a leader, once here).
    expect(members).toContain('zhou-jianping');
    expect(members).toContain('he-xianyang');
    expect(members).toEqual([...new Set(members)].sort());
    expect(members).toHaveLength(7);
  });
  it('with a property manager configured, the manager too (once, though he also leads a line)', () => {
    const raw = shippedConfig();
    raw.propertyManager = 'zhou-jianping';
    const c = expectValid(validateCommunityConfig(raw));
    expect(orgMembersOf(c, 'property')).toContain('zhou-jianping');
    expect(orgMembersOf(c, 'property')).toHaveLength(7);
  });
  it('nobody else: a residents-committee member does not speak for the property company', () => {
    expect(orgMembersOf(community, 'property')).not.toContain('zhang-nen');
    expect(orgMembersOf(community, 'rc')).toContain('zhang-nen');
  });
});
