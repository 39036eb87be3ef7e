import { RatingInput, type RatingView } from '@gongzhi/domain';
import { Button, Rate, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Card } from './page';
import './rating-card.css';

const SCORE_WORDS = ['', '很不满意', '不满意', '一般', '满意', '很满意'];

/**
 * The reporter's rating of a resolved issue, or the 回访 (callback) of a closed one: 解决了吗 and
 * 满意吗 (1–5), a comment (required when not solved: on a resolved issue it reopens it; on a closed
 * one it is recorded and counts in the 解决率). Checked with the domain's schema before it is sent.
 */
export function RatingCard({
  closed,
  busy,
  note,
  onSubmit,
}: {
  /** Already closed (confirmed by an inspector or automatically): the callback, nothing reopens. */
  closed: boolean;
  /** A line under the title, e.g. where the after-photos are. */
  note?: string | undefined;
  busy: boolean;
  onSubmit: (input: RatingInput) => void;
}) {
  // Nothing is chosen for the resident: 已解决 or 没解决 is theirs to say.
  const [fixed, setFixed] = useState<boolean | null>(null);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    if (fixed === null) {
      setProblem('请先选择问题是否已解决');
      return;
    }
    if (!score) {
      setProblem('请点星评分（1–5 分）');
      return;
    }
    const parsed = RatingInput.safeParse({ score, fixed, ...(comment.trim() ? { comment } : {}) });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写内容');
      return;
    }
    setProblem(null);
    onSubmit(parsed.data);
  };
  return (
    <Card title={closed ? '回访：请告诉我们处理结果' : '问题已办结，请您确认并评价'}>
      {note && <Text className="gz-muted">{note}</Text>}
      <Text className="gz-label">问题解决了吗？</Text>
      <View className="gz-row gz-rating__fixed">
        <Button size="small" type={fixed === true ? 'primary' : 'default'} onClick={() => setFixed(true)}>
          已解决
        </Button>
        <Button size="small" type={fixed === false ? 'primary' : 'default'} onClick={() => setFixed(false)}>
          没解决
        </Button>
      </View>
      <Text className="gz-label">您对处理满意吗？</Text>
      <View className="gz-row gz-rating__stars">
        <Rate
          value={score}
          count={5}
          onChange={(v) => {
            setScore(v);
            setProblem(null);
          }}
        />
        <Text className="gz-rating__word">
          {score ? `${score} 分 · ${SCORE_WORDS[score]}` : '请点星评分'}
        </Text>
      </View>
      <TextArea
        className="gz-textarea"
        value={comment}
        onChange={setComment}
        placeholder={
          fixed === false
            ? closed
              ? '哪里还没解决？请说明现在的情况（必填）'
              : '哪里还没解决？请说明现在的情况，问题会重新派单处理（必填）'
            : '说说您的感受（选填）'
        }
        maxLength={500}
        showCount
        rows={3}
      />
      {problem && <Text className="gz-rating__problem">{problem}</Text>}
      <Button className="gz-submit" block type="primary" loading={busy} onClick={submit}>
        {closed ? '提交回访' : fixed === false ? '提交评价并要求重新处理' : '提交评价'}
      </Button>
      <Text className="gz-muted">
        {closed
          ? '每个问题只回访一次，您的回答会记入处理记录和考核。问题仍然存在的，可以重新投诉。'
          : '每个问题只能评价一次，评价会记入处理记录。'}
      </Text>
    </Card>
  );
}

/** A rating once given: the reporter's online, or a phone callback recorded by staff. */
export function RatingSummary({ rating, mine = true }: { rating: RatingView; mine?: boolean }) {
  const title = rating.channel === 'phone' ? '电话回访结果' : mine ? '您的评价' : '反映人的评价';
  return (
    <Card title={title}>
      <Text className="gz-rating__word">问题解决了吗：{rating.fixed ? '已解决' : '未解决'}</Text>
      <View className="gz-row gz-rating__stars">
        <Rate value={rating.score} count={5} readOnly />
        <Text className="gz-rating__word">
          {rating.score} 分 · {SCORE_WORDS[rating.score]}
        </Text>
      </View>
      {rating.comment && <Text className="gz-rating__comment">{rating.comment}</Text>}
    </Card>
  );
}
