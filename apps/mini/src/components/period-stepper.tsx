import { type KpiPeriod, monthOf, quarterPeriodOf, stepPeriod } from '@gongzhi/domain';
import { Button, Tabs } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import './period-stepper.css';

/**
 * A quarter or a month, chosen by 按季度 / 按月 and stepped with 上一期 / 下一期 (never past the one
 * `today` falls in): the KPI dashboard's and the district roll-up's period.
 */
export function PeriodStepper({
  period,
  today,
  onChange,
}: {
  period: KpiPeriod;
  /** "YYYY-MM-DD" in China. */
  today: string;
  onChange: (p: KpiPeriod) => void;
}) {
  const next = stepPeriod(period, 1);
  const chooseKind = (kind: string) =>
    onChange(kind === 'quarter' ? quarterPeriodOf(period.from) : monthOf([period.to, today].sort()[0]!));
  return (
    <>
      <Tabs value={period.kind === 'month' ? 'month' : 'quarter'} onChange={(v) => chooseKind(String(v))}>
        <Tabs.TabPane title="按季度" value="quarter" />
        <Tabs.TabPane title="按月" value="month" />
      </Tabs>
      <View className="gz-period">
        <Button size="small" fill="outline" onClick={() => onChange(stepPeriod(period, -1))}>
          上一期
        </Button>
        <Text className="gz-period__label">{period.label}</Text>
        <Button size="small" fill="outline" disabled={next.from > today} onClick={() => onChange(next)}>
          下一期
        </Button>
      </View>
    </>
  );
}
