import { type CampaignResults, describeMean, SCORE_NAMES } from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { getResults, percent } from '../../services';
import '../../evaluation.css';

type QuestionResult = CampaignResults['targets'][number]['questions'][number];

/** Households per score, as five columns (1 to 5 stars) scaled to the largest. */
function Distribution({ q }: { q: QuestionResult }) {
  const top = Math.max(1, ...q.distribution);
  return (
    <>
      <View className="gz-eval__dist">
        {q.distribution.map((n, i) => (
          <View
            key={SCORE_NAMES[(i + 1) as 1 | 2 | 3 | 4 | 5]}
            className={`gz-eval__bar ${i >= 3 ? 'gz-eval__bar--fill' : ''}`}
            style={{ height: `${Math.round((n / top) * 100)}%` }}
          />
        ))}
      </View>
      <View className="gz-eval__axis">
        {q.distribution.map((n, i) => (
          <Text key={SCORE_NAMES[(i + 1) as 1 | 2 | 3 | 4 | 5]}>
            {i + 1}星 {n}
          </Text>
        ))}
      </View>
    </>
  );
}

/** The published results: per zone and for the property company, the mean, the share satisfied and each question's spread. */
export default function ResultsPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [data, setData] = useState<CampaignResults | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await getResults(id));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;

  return (
    <Page>
      <Card title={data.campaign.title}>
        <Text className="gz-eval__intro">
          {data.campaign.statusName} · 共 {data.responses} 户参加（认证住户 {data.byChannel.account}{' '}
          户，评议码 {data.byChannel.code} 户）。满意率＝评 4 星、5 星的户数 ÷ 打分户数；“不了解”不计入。
        </Text>
        {data.campaign.status !== 'published' && (
          <Text className="gz-eval__missing">结果尚未公布，仅领导小组可见。</Text>
        )}
      </Card>
      {data.responses === 0 ? (
        <Card>
          <Text className="gz-muted">本次评议没有收到答卷。</Text>
        </Card>
      ) : (
        data.targets.map((t) => (
          <Card
            key={t.key}
            title={t.name}
            extra={<Text className="gz-eval__mean">{t.mean === null ? '—' : t.mean.toFixed(2)}</Text>}
          >
            <Text className="gz-muted">
              {describeMean(t.mean)} · 满意率 {percent(t.satisfaction)} · {t.responses} 户打分
            </Text>
            {t.questions.map((q) => (
              <View key={q.key} className="gz-eval__question">
                <Text className="gz-eval__qtext">{q.text}</Text>
                <Text className="gz-muted">
                  平均 {q.mean === null ? '—' : q.mean.toFixed(2)} · 满意率 {percent(q.satisfaction)} ·{' '}
                  {q.responses} 户打分{q.skipped ? `，${q.skipped} 户不了解` : ''}
                </Text>
                <Distribution q={q} />
              </View>
            ))}
          </Card>
        ))
      )}
    </Page>
  );
}
