import { type NotificationMessage, renderForFollower, renderNotification } from '../../packages/domain/src';

/**
 * Followers (这也是我的问题) are told of progress in their own words and asked nothing: the
 * confirmation and the rating are the reporter's (issue 17 item 9).
 */
const issue = { code: 'AB12CD34', where: '第一责任区域 12号楼 · 环境卫生' };
const MESSAGES: NotificationMessage[] = [
  { kind: 'issue_resolved', issue, by: '张丽芬', forReporter: true },
  { kind: 'fix_rejected', issue, reason: '仍有垃圾' },
  { kind: 'issue_closed', issue, auto: false },
  { kind: 'issue_closed', issue, auto: true },
  { kind: 'issue_rejected', issue, reason: '不属于社区事务' },
  { kind: 'issue_merged', issue, intoCode: 'ZZ99YY88' },
  { kind: 'joint_resolution', issue, text: '列入明年维修计划', closed: false },
  { kind: 'resolution_progress', issue, notice: '已招标' },
];

describe('renderForFollower', () => {
  it.each(MESSAGES.map((m) => [`${m.kind}${'auto' in m ? ` auto=${m.auto}` : ''}`, m] as const))(
    '%s: no confirmation asked, never "您反映的"',
    (_, m) => {
      const r = renderForFollower(m);
      expect(r.title + r.body).not.toMatch(/请确认|评分|您反映的/);
      expect(r.title).toContain(issue.code);
    },
  );

  it('the reporter is asked to confirm and rate; the follower hears the fix without being asked', () => {
    const m = MESSAGES[0]!;
    expect(renderNotification(m).body).toContain('请确认');
    expect(renderForFollower(m)).toEqual({
      title: '您关注的问题已办结 AB12CD34',
      body: '第一责任区域 12号楼 · 环境卫生已由张丽芬办结，待反映人确认。办理进度可在“共治”小程序中查看。',
    });
  });

  it('the reporter\'s "您反映的" becomes "您关注的"', () => {
    const m = MESSAGES[5]!;
    expect(renderNotification(m).body).toContain('您反映的问题');
    expect(renderForFollower(m).body).toContain('您关注的问题');
  });
});
