import { Dialog, TextArea } from '@nutui/nutui-react-taro';
import { useState } from 'react';

/** Asks for a reason (returning a task, "not fixed"): confirm stays disabled until one is given. */
export function ReasonDialog({
  visible,
  title,
  placeholder,
  onConfirm,
  onCancel,
}: {
  visible: boolean;
  title: string;
  placeholder: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Dialog
      visible={visible}
      title={title}
      confirmText="确定"
      cancelText="取消"
      disableConfirmButton={reason.trim().length < 2}
      onConfirm={() => {
        onConfirm(reason.trim());
        setReason('');
      }}
      onCancel={onCancel}
      onClose={onCancel}
    >
      <TextArea value={reason} onChange={setReason} placeholder={placeholder} maxLength={500} rows={3} />
    </Dialog>
  );
}
