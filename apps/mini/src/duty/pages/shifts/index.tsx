import { DAY_KIND_NAMES, SHIFT_SOURCE_NAMES, type ShiftView } from '@gongzhi/domain';
import { Button, CellGroup } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast } from '../../../components/toast';
import { clock, dayLabel, myShifts } from '../../../services/duty';
import '../../components/duty.css';
import { NavCell } from '../../../components/nav-cell';
import { useReload } from '../../../hooks/use-reload';

/** My shifts from today for 60 days, the one running now marked; each may be offered for a swap. */
export default function MyShiftsPage() {
  const [shifts, setShifts] = useState<ShiftView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setShifts((await myShifts()).shifts);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const now = Date.now();
  return (
    <Page>
      <PageToast />
      <CellGroup>
        <NavCell
          title="月度值班表"
          description="全体值班安排，按日查看，缺岗标出"
          url={'/duty/pages/rota/index'}
        />
        <NavCell
          title="日历订阅与联系电话"
          description="订阅我的班次、打印值班表、今日值班是否显示我的电话"
          url={'/duty/pages/settings/index'}
        />
        <NavCell title="换班申请" description="我发起的和请我代班的" url={'/duty/pages/swaps/index'} />
        <NavCell
          title="接待记录"
          description="值班时登记来访咨询，可一键转为问题"
          url={'/duty/pages/log/index'}
        />
      </CellGroup>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : shifts === null ? (
        <LoadingState />
      ) : shifts.length === 0 ? (
        <EmptyState title="近 60 天没有您的班次" />
      ) : (
        shifts.map((s) => {
          const running = Date.parse(s.start) <= now && now < Date.parse(s.end);
          return (
            <View key={s.id} className={`gz-shift ${running ? 'gz-shift--now' : ''}`}>
              <View className="gz-row">
                <Text className="gz-shift__day">{dayLabel(s.date)}</Text>
                {s.dayKind !== 'workday' && <Text className="gz-tag">{DAY_KIND_NAMES[s.dayKind]}</Text>}
                {running && <Text className="gz-tag gz-tag--strong">值班中</Text>}
              </View>
              <Text>
                {s.shiftName} {clock(s.start)}–{clock(s.end)} · {s.orgName}
              </Text>
              {s.source !== 'generated' && <Text className="gz-muted">{SHIFT_SOURCE_NAMES[s.source]}</Text>}
              {s.allowedActions.includes('request_swap') && (
                <View className="gz-shift__actions">
                  <Button
                    size="small"
                    fill="outline"
                    onClick={() => Taro.navigateTo({ url: `/duty/pages/swaps/index?shift=${s.id}` })}
                  >
                    申请换班
                  </Button>
                </View>
              )}
            </View>
          );
        })
      )}
    </Page>
  );
}
