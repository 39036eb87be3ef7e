import { DESCRIPTION_MAX, URGENCIES, URGENCY_NAMES, type Urgency } from '@gongzhi/domain';
import { Radio, TextArea } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import { FieldError } from './field-error';
import { Card } from './page';

/** What the problem is and how urgent: the same card on the resident's form and the patrol report. */
export function DescriptionCard(props: {
  placeholder: string;
  description: string;
  onDescription: (v: string) => void;
  urgency: Urgency;
  onUrgency: (u: Urgency) => void;
  /** The server's word on the text (e.g. WeChat's content check refused it), shown under it. */
  error?: string | undefined;
}) {
  return (
    <Card title="问题描述">
      <TextArea
        className="gz-textarea"
        placeholder={props.placeholder}
        value={props.description}
        onChange={props.onDescription}
        maxLength={DESCRIPTION_MAX}
        showCount
        rows={4}
      />
      {props.description.length >= DESCRIPTION_MAX && (
        <Text className="gz-limit-note">
          已达 {DESCRIPTION_MAX} 字上限，超出的部分没有保存，请检查结尾是否完整。
        </Text>
      )}
      {props.error && <FieldError message={props.error} />}
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
