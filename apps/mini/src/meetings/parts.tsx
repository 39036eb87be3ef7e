import { Cell } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './meetings.css';

/** A list of people or items to tick; a tick shows as a chip, the whole row is the target. */
export function CheckList({
  options,
  value,
  onChange,
  disabled,
}: {
  options: { key: string; label: string; description?: string }[];
  value: string[];
  onChange: (next: string[]) => void;
  disabled?: boolean;
}) {
  return (
    <View className="gz-checklist">
      {options.map((o) => {
        const on = value.includes(o.key);
        return (
          <Cell
            key={o.key}
            className={`gz-check ${on ? 'gz-check--on' : ''}`}
            title={o.label}
            description={o.description}
            clickable={!disabled}
            extra={
              <Text className={on ? 'gz-check__mark gz-check__mark--on' : 'gz-check__mark'}>
                {on ? '✓' : ''}
              </Text>
            }
            onClick={() => {
              if (disabled) return;
              onChange(on ? value.filter((k) => k !== o.key) : [...value, o.key]);
            }}
          />
        );
      })}
    </View>
  );
}

/** A date or time picker that looks like the other fields (Taro's picker: native on weapp). */
export function PickField({
  mode,
  value,
  onChange,
}: {
  mode: 'date' | 'time';
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Picker mode={mode} value={value} onChange={(e) => onChange(String(e.detail.value))}>
      <View className="gz-pick">{value}</View>
    </Picker>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View className="gz-section">
      <Text className="gz-section__title">{title}</Text>
      {children}
    </View>
  );
}

/** A 0–100 bar. */
export function ProgressBar({ value }: { value: number }) {
  return (
    <View className="gz-bar">
      <View className="gz-bar__fill" style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    </View>
  );
}

/** Two to four choices in a row (an outcome kind, a disposition). */
export function Segmented<K extends string>({
  options,
  value,
  onChange,
}: {
  options: { key: K; label: string }[];
  value: K;
  onChange: (k: K) => void;
}) {
  return (
    <View className="gz-seg">
      {options.map((o) => (
        <Text
          key={o.key}
          className={`gz-seg__opt ${o.key === value ? 'gz-seg__opt--on' : ''}`}
          onClick={() => onChange(o.key)}
        >
          {o.label}
        </Text>
      ))}
    </View>
  );
}
