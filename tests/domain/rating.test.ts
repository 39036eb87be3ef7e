import {
  canRate,
  ISSUE_STATUSES,
  type IssueRelation,
  type IssueStatus,
  RatingInput,
  ratingAction,
} from '@gongzhi/domain';
import { domainErrorOf } from './fixtures';

describe('ratingAction: which step a rating causes, or why it is refused', () => {
  it.each<[IssueStatus, IssueRelation[], boolean, boolean, string]>([
    ['resolved', ['reporter'], false, true, 'verify'],
    ['resolved', ['reporter'], false, false, 'reject_fix'],
    ['closed', ['reporter'], false, true, 'record'],
    // The 回访 after closing: "not solved" is recorded (解决率), a closed issue is not reopened.
    ['closed', ['reporter'], false, false, 'record'],
    ['resolved', ['reporter', 'zone_inspector'], false, true, 'verify'],
  ])('%s, %j, rated=%s, fixed=%s → %s', (status, relations, rated, fixed, step) => {
    expect(ratingAction(status, relations, rated, fixed)).toBe(step);
  });

  it.each<[IssueStatus, IssueRelation[], boolean, boolean, string]>([
    ['resolved', ['zone_inspector'], false, true, 'not_reporter'],
    ['resolved', ['owner', 'admin'], false, true, 'not_reporter'],
    ['resolved', [], true, true, 'not_reporter'],
    ['resolved', ['reporter'], true, true, 'already_rated'],
    ['closed', ['reporter'], true, false, 'already_rated'],
    ['dispatched', ['reporter'], true, true, 'already_rated'],
    ['dispatched', ['reporter'], false, true, 'issue_not_resolved'],
    ['reopened', ['reporter'], false, false, 'issue_not_resolved'],
    ['rejected', ['reporter'], false, true, 'issue_not_resolved'],
    ['merged', ['reporter'], false, true, 'issue_not_resolved'],
  ])('%s, %j, rated=%s, fixed=%s is refused: %s', (status, relations, rated, fixed, code) => {
    expect(domainErrorOf(() => ratingAction(status, relations, rated, fixed)).code).toBe(code);
  });

  it.each(ISSUE_STATUSES.flatMap((s) => [true, false].map((rated) => [s, rated] as const)))(
    'canRate(%s, reporter, rated=%s) agrees with ratingAction accepting a "fixed" rating',
    (status, rated) => {
      let accepted = true;
      try {
        ratingAction(status, ['reporter'], rated, true);
      } catch {
        accepted = false;
      }
      expect(canRate(status, ['reporter'], rated)).toBe(accepted);
    },
  );
});

describe('RatingInput', () => {
  it.each<[unknown, string | null]>([
    [{ score: 1, fixed: true }, null],
    [{ score: 5, fixed: true, comment: '很好' }, null],
    [{ score: 2, fixed: false, comment: '还漏水' }, null],
    [{ score: 2, fixed: false }, 'comment'],
    [{ score: 2, fixed: false, comment: '  ' }, 'comment'],
    [{ score: 0, fixed: true }, 'score'],
    [{ score: 6, fixed: true }, 'score'],
    [{ score: 4.5, fixed: true }, 'score'],
    [{ fixed: true }, 'score'],
    [{ score: 3 }, 'fixed'],
    [{ score: 3, fixed: 'yes' }, 'fixed'],
    [{ score: 3, fixed: true, comment: 'x'.repeat(501) }, 'comment'],
    [{ score: 3, fixed: true, extra: 1 }, ''],
  ])('%j → %s', (input, path) => {
    const r = RatingInput.safeParse(input);
    expect(r.success).toBe(path === null);
    if (!r.success && path) expect(r.error.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
