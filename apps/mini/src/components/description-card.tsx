import { URGENCIES, URGENCY_NAMES, type Urgency } from '@gongzhi/domain';
import { Radio, TextArea } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import { Card } from './page';

/** What the problem is and how urgent: the same card on the resident's form and the patrol report. */
export function DescriptionCard(props: {
  placeholder: string;
  description: string;
  onDescription: (v: string) => void;
  urgency: Urgency;
  onUrgency: (u: Urgency) => void;
}) {
  return (
    <Card title="问题描述">
      <TextArea
        className="gz-textarea"
        placeholder={props.placeholder}
        value={props.description}
        onChange={props.onDescription}
        maxLength={2000}
        showCount
        rows={4}
      />
      <Text className="gz-label">紧急程度</Text>
      <Radio.Group
        value={props.urgency}
        onChange={(v) => props.onUrgency(v as Urgency)}
        direction="horizontal"
      >
        {URGENCIES.map((u) => (
          <Radio key={u} value={u}>
            {URGENCY_NAMES[u]}
          </Radio>
        ))}
      </Radio.Group>
    </Card>
  );
}
