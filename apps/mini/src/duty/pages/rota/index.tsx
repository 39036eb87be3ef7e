import { DAY_KIND_NAMES, type DutyGap, ORG_NAMES, type RotaView, type ShiftView } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { chinaDate, clock, dayLabel, monthRange, rota } from '../../../services/duty';
import { loadMe } from '../../../services/session';
import '../../components/duty.css';

interface Day {
  date: string;
  shifts: ShiftView[];
  gaps: DutyGap[];
}

/** Every day of the month, its shifts in order, and the places nobody holds (缺岗). */
function byDay(r: RotaView): Day[] {
  const days = new Map<string, Day>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) {
      d = { date, shifts: [], gaps: [] };
      days.set(date, d);
    }
    return d;
  };
  for (const s of r.shifts) day(s.date).shifts.push(s);
  for (const g of r.gaps) day(g.date).gaps.push(g);
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The monthly rota for staff, a month at a time. */
export default function RotaPage() {
  const today = chinaDate();
  const [ym, setYm] = useState(() => ({ y: Number(today.slice(0, 4)), m: Number(today.slice(5, 7)) }));
  const [data, setData] = useState<RotaView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (y: number, m: number) => {
    setError(null);
    setData(null);
    try {
      const community = (await loadMe()).person?.community;
      if (!community) throw new Error('您的账号未关联小区，无法查看值班表');
      const { from, to } = monthRange(y, m);
      const r = await rota(community, from, to);
      setData(r);
      // Open on today when it is in this month.
      if (today >= from && today <= to) {
        setTimeout(() => {
          Taro.pageScrollTo({ selector: '.gz-day--today', duration: 0, offsetTop: -60 }).catch(
            () => undefined,
          );
        }, 100);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useDidShow(() => void load(ym.y, ym.m));

  const go = (delta: number) => {
    const idx = ym.y * 12 + (ym.m - 1) + delta;
    const next = { y: Math.floor(idx / 12), m: (idx % 12) + 1 };
    setYm(next);
    void load(next.y, next.m);
  };

  const days = data ? byDay(data) : [];
  const shiftNames = new Map(data?.shifts.map((s) => [s.shift, s.shiftName]) ?? []);
  const unstaffed = days.filter((d) => d.gaps.length > 0).length;
  return (
    <Page>
      <View className="gz-month">
        <Button size="small" fill="outline" onClick={() => go(-1)}>
          上个月
        </Button>
        <Text className="gz-month__title">
          {ym.y}年{ym.m}月
        </Text>
        <Button size="small" fill="outline" onClick={() => go(1)}>
          下个月
        </Button>
      </View>
      {data && unstaffed > 0 && (
        <Text className="gz-day__gap">
          本月有 {unstaffed} 天缺岗（共 {data.gaps.length} 个岗位），已在当天标出
        </Text>
      )}
      {error ? (
        <ErrorState message={error} onRetry={() => load(ym.y, ym.m)} />
      ) : !data ? (
        <LoadingState />
      ) : days.length === 0 ? (
        <EmptyState title="本月尚未排班" />
      ) : (
        days.map((d) => {
          const kind = d.shifts[0]?.dayKind;
          const off = kind === 'weekend' || kind === 'holiday';
          return (
            <View
              key={d.date}
              className={`gz-day ${off ? 'gz-day--off' : ''} ${d.date === today ? 'gz-day--today' : ''}`}
            >
              <View className="gz-day__head">
                <Text className="gz-day__date">{dayLabel(d.date)}</Text>
                {d.date === today && <Text className="gz-tag gz-tag--strong">今天</Text>}
                {kind && kind !== 'workday' && <Text className="gz-tag">{DAY_KIND_NAMES[kind]}</Text>}
              </View>
              {groupShifts(d.shifts).map((g) => (
                <Text key={g.key} className="gz-day__line">
                  {g.name} {g.time}：{g.people.join('、')}
                </Text>
              ))}
              {d.shifts.length === 0 ? (
                <Text className="gz-day__gap">未排班（缺岗 {d.gaps.length} 个）</Text>
              ) : (
                d.gaps.map((g) => (
                  <Text key={`${g.shift}-${g.org}`} className="gz-day__gap">
                    缺岗：{shiftNames.get(g.shift) ?? g.shift} {ORG_NAMES[g.org]} 需 {g.needed} 人，已排{' '}
                    {g.assigned} 人
                  </Text>
                ))
              )}
            </View>
          );
        })
      )}
    </Page>
  );
}

/** One line per shift of the day: "值班 08:30–17:00：张三（居委会）、李四（网格）". */
function groupShifts(shifts: ShiftView[]) {
  const out = new Map<string, { key: string; name: string; time: string; people: string[] }>();
  for (const s of [...shifts].sort((a, b) => a.start.localeCompare(b.start))) {
    let g = out.get(s.shift);
    if (!g) {
      g = { key: s.shift, name: s.shiftName, time: `${clock(s.start)}–${clock(s.end)}`, people: [] };
      out.set(s.shift, g);
    }
    g.people.push(`${s.person.name}（${s.orgName}）`);
  }
  return [...out.values()];
}
