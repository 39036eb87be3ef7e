import { type EvaluationReportView, formatRatio, quarterPeriodOf, stepPeriod } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { chinaDate } from '../../../services/duty';
import { addAnnualReport, openPrintableReport, readEvaluationReport } from '../../../services/kpi';
import { loadMe } from '../../../services/session';
import '../../kpi.css';

type Ratio = EvaluationReportView['parties'][number]['onTime'];
const withCounts = (r: Ratio) => `${formatRatio(r)}（${r.numerator}/${r.denominator}）`;

/**
 * The quarterly and annual evaluation report (seed 001 §七.4) of the four parties, with how the
 * joint-meeting rule was kept; printable (to PDF) from the browser. The secretary lists the property
 * company's annual 述职 from here when the report's actions offer it.
 */
export default function EvaluationReport() {
  const today = chinaDate();
  const [quarter, setQuarter] = useState(() => stepPeriod(quarterPeriodOf(today), -1));
  const [annual, setAnnual] = useState(false);
  const [report, setReport] = useState<EvaluationReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const periodKey = annual ? quarter.key.slice(0, 4) : quarter.key;

  const fetchReport = useCallback(async (key: string) => {
    setError(null);
    setReport(null);
    try {
      const community = (await loadMe()).person?.community;
      if (!community) throw new Error('当前账号不属于任何小区');
      setReport(await readEvaluationReport(community, key));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const load = useCallback(() => fetchReport(periodKey), [fetchReport, periodKey]);
  useReload(load);
  const choose = (q: typeof quarter, a: boolean) => {
    setQuarter(q);
    setAnnual(a);
    // useReload loads again: `load` changes with the period.
  };
  const listing = useAction(async (year: number) => addAnnualReport(report!.community.key, year), {
    done: '已列入联席会议议程',
  });
  const print = async () => {
    try {
      await openPrintableReport(report!.community.key, report!.period.key);
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  return (
    <Page>
      <PageToast />
      <View className="gz-kpi__period">
        <Button
          size="small"
          fill="outline"
          onClick={() => choose(stepPeriod(quarter, annual ? -4 : -1), annual)}
        >
          {annual ? '上一年' : '上一季度'}
        </Button>
        <Text className="gz-kpi__period-label">{annual ? `${periodKey}年度` : quarter.label}</Text>
        <Button
          size="small"
          fill="outline"
          disabled={stepPeriod(quarter, annual ? 4 : 1).from > today}
          onClick={() => choose(stepPeriod(quarter, annual ? 4 : 1), annual)}
        >
          {annual ? '下一年' : '下一季度'}
        </Button>
      </View>
      <View className="gz-row" style={{ gap: '8px', margin: '0 12px' }}>
        <Button size="large" type={annual ? 'default' : 'primary'} onClick={() => choose(quarter, false)}>
          季度报告
        </Button>
        <Button size="large" type={annual ? 'primary' : 'default'} onClick={() => choose(quarter, true)}>
          年度报告
        </Button>
      </View>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !report ? (
        <LoadingState />
      ) : (
        <>
          <Card title={report.title}>
            <Text className="gz-muted">
              {report.period.from} 至 {report.period.to}
            </Text>
          </Card>
          <Card title="联席会议制度执行情况">
            <Text>
              制度要求：{report.meetings.cadenceName}。{report.meetings.summary}。
            </Text>
            {report.meetings.windows.map((w) => (
              <View key={w.key} className="gz-credit__line">
                <Text>{w.label}</Text>
                <Text className={w.missed ? 'gz-status gz-status--reopened' : 'gz-muted'}>
                  {w.missed ? '未召开' : w.open ? `进行中 · ${w.held} 次` : `召开 ${w.held} 次`}
                </Text>
              </View>
            ))}
          </Card>
          {report.parties.map((p) => (
            <Card key={p.org} title={`${p.orgName} · 诚信得分 ${p.score.toFixed(2)}`}>
              <View className="gz-credit__line">
                <Text>按时办结率</Text>
                <Text>{withCounts(p.onTime)}</Text>
              </View>
              <View className="gz-credit__line">
                <Text>满意率</Text>
                <Text>{withCounts(p.satisfaction)}</Text>
              </View>
              <View className="gz-credit__line">
                <Text>提示函 / 警示函 / 失职</Text>
                <Text>
                  {p.reminderLetters} / {p.warningLetters} / {p.lapses}
                </Text>
              </View>
              <Text className="gz-muted">{p.evaluationNote}</Text>
            </Card>
          ))}
          <Button className="gz-submit" block type="primary" onClick={print}>
            打印 / 导出 PDF
          </Button>
          {report.allowedActions.includes('annual_report') && (
            <Button
              className="gz-submit"
              block
              loading={listing.busy}
              onClick={() => listing.run(Number(report.period.key.slice(0, 4)))}
            >
              安排物业{report.period.key.slice(0, 4)}年度述职（列入联席会议）
            </Button>
          )}
        </>
      )}
    </Page>
  );
}
