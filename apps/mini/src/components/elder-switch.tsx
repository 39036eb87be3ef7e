import { Text, View } from '@tarojs/components';
import { useElderMode } from '../hooks/use-elder-mode';
import { setElderMode } from '../services/elder';

/** The 长辈版 switch on the home page: the whole row is the target; the pill shows the state. */
export function ElderSwitch() {
  const { on } = useElderMode();
  return (
    <View
      className={`gz-elder-switch ${on ? 'gz-elder-switch--on' : ''}`}
      role="switch"
      aria-checked={on}
      onClick={() => setElderMode(!on)}
    >
      <View className="gz-elder-switch__text">
        <Text className="gz-elder-switch__title">长辈版</Text>
        <Text className="gz-elder-switch__note">
          {on ? '已开启：大字体、大按钮' : '字更大、按钮更大、看得更清楚'}
        </Text>
      </View>
      <View className="gz-elder-switch__pill">
        <Text className="gz-elder-switch__state">{on ? '开' : '关'}</Text>
      </View>
    </View>
  );
}
