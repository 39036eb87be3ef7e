import {
  type CreditFileView,
  formatRatio,
  type KpiPeriod,
  ORG_NAMES,
  ORGS,
  type Org,
  quarterPeriodOf,
  type Ratio,
  stepPeriod,
} from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { chinaDate } from '../../../services/duty';
import { formatTime } from '../../../services/format';
import { readCreditFile } from '../../../services/kpi';
import { loadMe } from '../../../services/session';
import '../../kpi.css';
import { OversightComments } from '../../../oversight/comments';

const withCounts = (r: Ratio) => `${formatRatio(r)}（${r.numerator}/${r.denominator}）`;

/**
 * The credit file (诚信档案) of an organisation, a quarter at a time: the score with its formula and
 * arithmetic, letters received, lapses, on-time rate, satisfaction and the residents' evaluation.
 */
export default function CreditFile() {
  const { params } = useRouter();
  const today = chinaDate();
  const [org, setOrg] = useState<Org>(
    (ORGS as readonly string[]).includes(params.org ?? '') ? (params.org as Org) : 'property',
  );
  const [period, setPeriod] = useState<KpiPeriod>(() => quarterPeriodOf(today));
  const [file, setFile] = useState<CreditFileView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchFile = useCallback(async (o: Org, p: KpiPeriod) => {
    setError(null);
    setFile(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setFile(await readCreditFile(key, o, p));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const load = useCallback(() => fetchFile(org, period), [fetchFile, org, period]);
  useReload(load);
  const choose = (o: Org, p: KpiPeriod) => {
    setOrg(o);
    setPeriod(p);
    // useReload loads again: `load` changes with org and period.
  };

  return (
    <Page>
      <View className="gz-credit__orgs">
        {ORGS.map((o) => (
          <Text
            key={o}
            className={`gz-tag gz-credit__org ${o === org ? 'gz-credit__org--on' : ''}`}
            onClick={() => choose(o, period)}
          >
            {ORG_NAMES[o]}
          </Text>
        ))}
      </View>
      <View className="gz-kpi__period">
        <Button size="small" fill="outline" onClick={() => choose(org, stepPeriod(period, -1))}>
          上一季度
        </Button>
        <Text className="gz-kpi__period-label">{period.label}</Text>
        <Button
          size="small"
          fill="outline"
          disabled={stepPeriod(period, 1).from > today}
          onClick={() => choose(org, stepPeriod(period, 1))}
        >
          下一季度
        </Button>
      </View>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !file ? (
        <LoadingState />
      ) : (
        <>
          <Card title={`${file.orgName} · 信用得分`}>
            <Text className="gz-credit__score">{file.score.score}</Text>
            {file.score.lines.map((l) => (
              <View key={l.label} className="gz-credit__line">
                <Text>{l.label}</Text>
                <Text className="gz-muted">{l.arithmetic}</Text>
              </View>
            ))}
            <Text className="gz-muted gz-credit__formula">计分办法：{file.score.formula}</Text>
          </Card>
          <Card title="办理情况">
            <View className="gz-credit__line">
              <Text>按时办结率</Text>
              <Text>{withCounts(file.onTime)}</Text>
            </View>
            <View className="gz-credit__line">
              <Text>满意率</Text>
              <Text>{withCounts(file.satisfaction)}</Text>
            </View>
            <View className="gz-credit__line">
              <Text>失职记录</Text>
              <Text>{file.lapses} 次</Text>
            </View>
            <Text className="gz-muted">{file.evaluationNote}</Text>
          </Card>
          <Card title={`函件（提示函 ${file.reminderLetters} 份，警示函 ${file.warningLetters} 份）`}>
            {file.letters.length === 0 ? (
              <Text className="gz-muted">本季度未收到提示函或警示函</Text>
            ) : (
              file.letters.map((l) => (
                <View key={l.id} className="gz-credit__line">
                  <Text>
                    {l.kindName} {l.number}
                  </Text>
                  <Text className="gz-muted">
                    {formatTime(l.createdAt)} · {l.acknowledgedAt ? '已签收' : '未签收'}
                  </Text>
                </View>
              ))
            )}
          </Card>
          <OversightComments community={file.community.key} subject="credit" subjectRef={file.org} />
        </>
      )}
    </Page>
  );
}
