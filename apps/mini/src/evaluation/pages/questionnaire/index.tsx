import {
  type AnswerSet,
  type CampaignView,
  DomainError,
  questionsFor,
  type RespondentView,
  type ResponseReceipt,
  SCORE_NAMES,
  SKIP_NAME,
  validateAnswers,
} from '@gongzhi/domain';
import { Button, Input, Rate } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { isLoggedIn, loadMe } from '../../../services/session';
import { checkCode, getCampaign, respond, respondentView } from '../../services';
import '../../evaluation.css';

type Credential = { kind: 'code'; code: string; household: string } | { kind: 'account'; household: string };
type Draft = Record<string, Record<string, number | null | undefined>>;

/**
 * The questionnaire: who answers (a code from the household's slip, or the signed-in resident's
 * verified home), then one screen with every zone and the property company, 1–5 stars or 不了解
 * for each question. The domain's validateAnswers checks it before it is sent, as the API will.
 */
export default function QuestionnairePage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const [resident, setResident] = useState<RespondentView | null>(null);
  // Signed out: binding is offered (signing in as a resident comes first); signed in: `Me.bindsHome`.
  const [binds, setBinds] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [credential, setCredential] = useState<Credential | null>(null);
  const [codeText, setCodeText] = useState('');
  const [draft, setDraft] = useState<Draft>({});
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<ResponseReceipt | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setCampaign(await getCampaign(id));
      const me = isLoggedIn() ? await loadMe().catch(() => null) : null;
      setBinds(me ? me.bindsHome : true);
      if (me) {
        // Whether this account may answer is the server's (`reason` says why not).
        const view = await respondentView(id);
        setResident(view);
        if (view.household && !view.reason) {
          setCredential((c) => c ?? { kind: 'account', household: view.household! });
        }
      }
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'mount');

  const confirmCode = async () => {
    if (!codeText.trim()) return toast('请输入评议码', 'warn');
    setBusy(true);
    try {
      const checked = await checkCode(codeText);
      if (checked.campaign.id !== id) return toast(`此评议码属于“${checked.campaign.title}”`, 'warn');
      setCredential({ kind: 'code', code: codeText.trim(), household: checked.household });
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const set = (target: string, question: string, score: number | null) => {
    setDraft((d) => ({ ...d, [target]: { ...d[target], [question]: score } }));
    setMissing((m) => {
      const next = new Set(m);
      next.delete(`${target}.${question}`);
      return next;
    });
  };

  const submit = async () => {
    if (!campaign || !credential) return;
    let answers: AnswerSet;
    try {
      answers = validateAnswers(campaign.questionnaire, draft as AnswerSet);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      setMissing(new Set((e.details ?? []).map((d) => (d.path ?? '').replace(/^body\.answers\./, ''))));
      return toast(e.message, 'warn');
    }
    setBusy(true);
    try {
      setReceipt(
        await respond(id, credential.kind === 'code' ? { code: credential.code, answers } : { answers }),
      );
      Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!campaign) return <LoadingState />;

  const head = (
    <Card title={campaign.title}>
      <Text className="gz-eval__intro">
        请为各责任区域和物业公司本季度的工作打分：1 星很不满意，5 星很满意；不了解的选“{SKIP_NAME}
        ”。每户只能评议一次，评分匿名统计。
      </Text>
    </Card>
  );

  if (receipt) {
    return (
      <Page>
        {head}
        <Card title="评议已提交，谢谢您">
          <Text className="gz-muted">
            {receipt.household} · {receipt.channelName}
          </Text>
          <Text className="gz-label">回执码（可凭此向领导小组核对您的评议已被计入）</Text>
          <Text className="gz-eval__receipt">{receipt.receipt}</Text>
        </Card>
      </Page>
    );
  }

  if (campaign.status !== 'open') {
    return (
      <Page>
        {head}
        <Card>
          <Text>本次评议{campaign.statusName}，现在不能提交。</Text>
          {campaign.status === 'published' && (
            <Button
              className="gz-submit"
              block
              onClick={() => Taro.redirectTo({ url: `/evaluation/pages/results/index?id=${id}` })}
            >
              查看评议结果
            </Button>
          )}
        </Card>
      </Page>
    );
  }

  if (!credential) {
    return (
      <Page>
        <PageToast />
        {head}
        <Card title="使用评议码">
          <Text className="gz-eval__intro">评议码印在社区发到各户的评议卡上，每户一个，只能使用一次。</Text>
          <Input
            className="gz-input gz-eval__code"
            name="code"
            placeholder="例如 ABCD-EFGH-JKMN"
            value={codeText}
            onChange={setCodeText}
            maxLength={20}
          />
          <Button className="gz-submit" block type="primary" loading={busy} onClick={confirmCode}>
            确认评议码
          </Button>
        </Card>
        <Card title="使用认证房屋的账号">
          {resident ? (
            <Text className="gz-eval__intro">{resident.reason}</Text>
          ) : (
            <Text className="gz-eval__intro">绑定房屋并经区域工作人员认证后，可直接用本账号评议。</Text>
          )}
          {binds && !resident?.answered && (
            <Button
              className="gz-submit"
              block
              onClick={() => Taro.navigateTo({ url: '/evaluation/pages/home/index' })}
            >
              {resident?.home ? '查看房屋认证' : '绑定房屋'}
            </Button>
          )}
        </Card>
      </Page>
    );
  }

  const q = campaign.questionnaire;
  return (
    <Page>
      <PageToast />
      {head}
      <Card
        title={`评议户：${credential.household}`}
        extra={
          credential.kind === 'code' ? (
            <Text className="gz-muted" onClick={() => setCredential(null)}>
              更换评议码
            </Text>
          ) : (
            <Text className="gz-muted">认证账号</Text>
          )
        }
      >
        <Text className="gz-eval__intro">共 {q.targets.length} 个评议对象，请逐项打分。</Text>
      </Card>
      {q.targets.map((target) => (
        <Card key={target.key} title={target.name}>
          {questionsFor(q, target).map((question) => {
            const score = draft[target.key]?.[question.key];
            const isMissing = missing.has(`${target.key}.${question.key}`);
            return (
              <View key={question.key} className="gz-eval__question">
                <Text className={`gz-eval__qtext ${isMissing ? 'gz-eval__missing' : ''}`}>
                  {question.text}
                  {isMissing ? '（未作答）' : ''}
                </Text>
                <View className="gz-eval__rate">
                  <Rate
                    value={typeof score === 'number' ? score : 0}
                    onChange={(v) => set(target.key, question.key, v >= 1 ? v : null)}
                  />
                  <Text className="gz-eval__score">
                    {typeof score === 'number' ? SCORE_NAMES[score as 1 | 2 | 3 | 4 | 5] : ''}
                  </Text>
                  <Text
                    className={`gz-eval__skip ${score === null ? 'gz-eval__skip--on' : ''}`}
                    onClick={() => set(target.key, question.key, null)}
                  >
                    {SKIP_NAME}
                  </Text>
                </View>
              </View>
            );
          })}
        </Card>
      ))}
      <Button className="gz-submit" block type="primary" loading={busy} onClick={submit}>
        提交评议
      </Button>
    </Page>
  );
}
