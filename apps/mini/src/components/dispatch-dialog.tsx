import { Dialog, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import './dispatch-dialog.css';

export interface Candidate {
  key: string;
  name: string;
  roleName: string;
}

/**
 * Pick whom to hand an issue to (re-dispatch, reassign) from the candidates the server offers, with
 * a note. Confirm stays disabled until someone is chosen (and a note given, when one is required).
 */
export function DispatchDialog({
  visible,
  title,
  candidates,
  noteRequired,
  onConfirm,
  onCancel,
}: {
  visible: boolean;
  title: string;
  candidates: readonly Candidate[];
  noteRequired: boolean;
  onConfirm: (assignee: string, note: string) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const ready = chosen !== null && (!noteRequired || note.trim().length >= 2);
  return (
    <Dialog
      visible={visible}
      title={title}
      confirmText="确定"
      cancelText="取消"
      disableConfirmButton={!ready}
      onConfirm={() => {
        onConfirm(chosen!, note.trim());
        setChosen(null);
        setNote('');
      }}
      onCancel={onCancel}
      onClose={onCancel}
    >
      <View className="gz-pick">
        {candidates.map((c) => (
          <View
            key={c.key}
            className={`gz-pick__row ${chosen === c.key ? 'gz-pick__row--on' : ''}`}
            onClick={() => setChosen(c.key)}
          >
            <Text className="gz-pick__name">{c.name}</Text>
            <Text className="gz-pick__role">{c.roleName}</Text>
          </View>
        ))}
      </View>
      <TextArea
        value={note}
        onChange={setNote}
        placeholder={noteRequired ? '说明（必填）：为什么改由此人办理' : '说明（可选）：交代办理要求'}
        maxLength={500}
        rows={2}
      />
    </Dialog>
  );
}
