import { Text, View } from '@tarojs/components';

export default function Home() {
  return (
    <View className="gz-page">
      <Text>共治</Text>
    </View>
  );
}
