import { Dialog, TextArea } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import './dated-reason-dialog.css';

/** "2026-11-21": China's date `days` from now, whatever the device's zone. */
export function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Asks for a reason and a date (an extension's new deadline, a parking's review date): confirm stays
 * disabled until a reason is given; the date comes from the platform's date picker.
 */
export function DatedReasonDialog({
  visible,
  title,
  placeholder,
  dateLabel,
  initialDate,
  onConfirm,
  onCancel,
}: {
  visible: boolean;
  title: string;
  placeholder: string;
  dateLabel: string;
  initialDate: string;
  onConfirm: (reason: string, date: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(initialDate);
  return (
    <Dialog
      visible={visible}
      title={title}
      confirmText="确定"
      cancelText="取消"
      disableConfirmButton={reason.trim().length < 2}
      onConfirm={() => {
        onConfirm(reason.trim(), date);
        setReason('');
      }}
      onCancel={onCancel}
      onClose={onCancel}
    >
      <View className="gz-row gz-dated__date">
        <Text className="gz-muted">{dateLabel}</Text>
        <Picker
          mode="date"
          value={date}
          start={chinaDate(1)}
          onChange={(e) => setDate(String(e.detail.value))}
        >
          <View className="gz-dated__pick">{date}</View>
        </Picker>
      </View>
      <TextArea value={reason} onChange={setReason} placeholder={placeholder} maxLength={500} rows={3} />
    </Dialog>
  );
}
