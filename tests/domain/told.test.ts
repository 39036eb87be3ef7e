import { toldOfNewIssue } from '../../packages/domain/src';
import { loadXiaduoyuan } from './fixtures';

/**
 * Being told of a new issue (docs/domain.md §5): 夏朵园's zone 1 is led by 吴文杰 (wu-wenjie), its
 * property specialist is 张丽芬 (zhang-lifen); the elevator line is led by 周建平 (zhou-jianping).
 */
const community = loadXiaduoyuan();
const task = (assignee: string) => ({ assignee, role: 'property_specialist' as const });

describe('who is told of a new issue besides the task holders', () => {
  it.each([
    [
      'a zone issue: the zone leader',
      { line: null, tasks: [task('zhang-lifen')] },
      'yang-chenyi',
      ['wu-wenjie'],
    ],
    [
      'a line issue: the zone leader and the line leader',
      { line: 'elevator', tasks: [task('zhang-lifen')] },
      'yang-chenyi',
      ['wu-wenjie', 'zhou-jianping'],
    ],
    [
      'the line leader holds the task: only the zone leader',
      { line: 'elevator', tasks: [task('zhou-jianping')] },
      'resident',
      ['wu-wenjie'],
    ],
    [
      'the zone leader reported it himself: nobody',
      { line: null, tasks: [task('zhang-lifen')] },
      'wu-wenjie',
      [],
    ],
    [
      'the zone leader holds the task: nobody more',
      { line: null, tasks: [task('wu-wenjie')] },
      'resident',
      [],
    ],
    [
      'a referral to the joint meeting, no tasks: the zone leader',
      { line: null, tasks: [] },
      null,
      ['wu-wenjie'],
    ],
  ])('%s', (_label, route, reporter, told) => {
    expect(toldOfNewIssue(community, { zone: 'zone-1', reporter }, route).sort()).toEqual(told.sort());
  });

  it('an unknown zone or line tells nobody of it rather than failing', () => {
    expect(
      toldOfNewIssue(community, { zone: 'nowhere', reporter: null }, { line: 'lift', tasks: [] }),
    ).toEqual([]);
  });
});
