import { type DayKind, DutyConfig } from '../../packages/domain/src/duty/config';
import { rotaGaps, shiftLabel, weekdayName } from '../../packages/domain/src/duty/gaps';
import type { RotaShift } from '../../packages/domain/src/duty/generate-rota';
import { renderNotification } from '../../packages/domain/src/notifications/messages';

// 2026-10-09 is a Friday, 10 a make-up Saturday, 11 a Sunday (from a printed calendar).
const dayKind = (date: string): DayKind =>
  date === '2026-10-10' ? 'makeup_workday' : date === '2026-10-11' ? 'weekend' : 'workday';
const config = DutyConfig.parse({
  shifts: [
    { key: 'day', name: '白班', start: '08:30', end: '17:00' },
    { key: 'night', name: '夜班', start: '17:00', end: '08:30', weekday: { rc: 1 }, offDay: { rc: 1 } },
  ],
});
const at = (date: string, shift: string, org: RotaShift['org'], person: string): RotaShift => ({
  date,
  shift,
  org,
  person,
});

describe('rotaGaps: the places the rules ask for that the stored rota does not fill', () => {
  test('an empty range of days lists every place, by the kind of each day', () => {
    const gaps = rotaGaps({ from: '2026-10-09', to: '2026-10-11', config, dayKind, shifts: [] });
    expect(gaps.map((g) => `${g.date} ${g.shift} ${g.org}`)).toEqual([
      '2026-10-09 day rc',
      '2026-10-09 day grid',
      '2026-10-09 night rc',
      // A make-up Saturday is a weekday: no oc, no property.
      '2026-10-10 day rc',
      '2026-10-10 day grid',
      '2026-10-10 night rc',
      '2026-10-11 day rc',
      '2026-10-11 day oc',
      '2026-10-11 day grid',
      '2026-10-11 day property',
      '2026-10-11 night rc',
    ]);
    expect(gaps[0]).toEqual({
      date: '2026-10-09',
      shift: 'day',
      org: 'rc',
      needed: 1,
      assigned: 0,
      reason: '2026-10-09（工作日）白班需要居委会 1 人，已安排 0 人',
    });
  });

  test('filled places are not gaps; a place short of two shows how many it has', () => {
    const two = DutyConfig.parse({ ...config, weekday: { rc: 2, grid: 1 } });
    const gaps = rotaGaps({
      from: '2026-10-09',
      to: '2026-10-09',
      config: two,
      dayKind,
      shifts: [
        at('2026-10-09', 'day', 'rc', 'a'),
        at('2026-10-09', 'day', 'grid', 'b'),
        at('2026-10-09', 'night', 'rc', 'c'),
      ],
    });
    expect(gaps).toEqual([
      expect.objectContaining({ date: '2026-10-09', shift: 'day', org: 'rc', needed: 2, assigned: 1 }),
    ]);
  });

  test('a shift outside the range or of a shift no longer configured fills nothing', () => {
    const gaps = rotaGaps({
      from: '2026-10-09',
      to: '2026-10-09',
      config,
      dayKind,
      shifts: [at('2026-10-08', 'day', 'rc', 'a'), at('2026-10-09', 'evening', 'rc', 'a')],
    });
    expect(gaps.filter((g) => g.org === 'rc' && g.shift === 'day')).toHaveLength(1);
  });
});

describe('how the rota names days and places', () => {
  test('weekday names from a printed calendar', () => {
    expect(
      ['2026-10-01', '2026-10-03', '2026-10-04', '2026-10-05', '2027-01-01', '2024-02-29'].map(weekdayName),
    ).toEqual(['周四', '周六', '周日', '周一', '周五', '周四']);
  });
  test('a place: date, weekday, shift and organisation', () => {
    expect(shiftLabel('2026-10-03', { name: '白班' }, 'rc')).toBe('2026-10-03（周六）白班 · 居委会');
    expect(shiftLabel('2026-10-03', undefined, 'property')).toBe('2026-10-03（周六）值班 · 物业公司');
  });
  test('duty notifications say what changed and for whom', () => {
    const shift = '2026-10-03（周六）白班 · 居委会';
    expect(
      renderNotification({
        kind: 'duty_swap_requested',
        shift,
        by: '张嫩',
        inReturn: null,
        reason: '家中有事',
      }).body,
    ).toBe('张嫩请您接替 2026-10-03（周六）白班 · 居委会（原因：家中有事）。请同意或拒绝。');
    expect(
      renderNotification({
        kind: 'duty_swap_accepted',
        shift,
        requester: '张嫩',
        counterpart: '李永康',
        inReturn: null,
      }).title,
    ).toBe('换班已生效');
    const over = {
      kind: 'duty_shift_overridden',
      shift,
      from: '张嫩',
      to: '李永康',
      reason: '培训',
    } as const;
    expect(renderNotification({ ...over, forNewPerson: true }).body).toContain('改由您值班');
    expect(renderNotification({ ...over, forNewPerson: false }).body).toContain('改由李永康值班');
    expect(renderNotification({ kind: 'duty_swap_voided', shift, why: '值班表已重新生成' }).body).toContain(
      '值班表已重新生成',
    );
  });
});
