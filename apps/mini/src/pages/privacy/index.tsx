import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Card, Page } from '../../components/page';
import { AGREE_BUTTON_ID, answerPrivacy, privacyQuestionOpen } from '../../services/privacy';
import './index.css';

/** What the app collects, why, and whether it is needed: as WeChat's privacy guide asks. */
const COLLECTED: { what: string; why: string; needed: string }[] = [
  {
    what: '微信身份标识（openid）',
    why: '在微信中自动登录，使您反映的问题归入“我的投诉”，换手机也能查看；向您发送您同意接收的进度通知',
    needed: '不提供也可匿名反映问题，凭查询码和密钥查看进度',
  },
  {
    what: '照片（相册、相机）',
    why: '反映问题、巡查上报、办结时附上现场照片；照片在上传前去除位置等拍摄信息',
    needed: '可选',
  },
  {
    what: '剪贴板',
    why: '复制查询码和密钥、值班日历订阅地址',
    needed: '仅在您点“复制”时使用',
  },
  {
    what: '位置（仅工作人员巡查时）',
    why: '巡查上报时标注问题位置，便于处置人员找到',
    needed: '可选，不授权不影响上报',
  },
  {
    what: '手机号',
    why: '您主动填写，或点“用微信手机号”授权后，便于处理人员联系您；其他人只能看到 138****1234 的形式',
    needed: '可选，可随时在“我的”或“工作台”中删除',
  },
];

export default function PrivacyPage() {
  const { params } = useRouter();
  // Opened by WeChat's privacy question (weapp): the person answers here.
  const asking = params.ask === '1' && privacyQuestionOpen();
  const answer = (agree: boolean) => {
    answerPrivacy(agree);
    void Taro.navigateBack();
  };
  return (
    <Page className="gz-privacy">
      <Card title="我们收集哪些信息">
        {COLLECTED.map((c) => (
          <View key={c.what} className="gz-privacy__item">
            <Text className="gz-privacy__what">{c.what}</Text>
            <Text className="gz-privacy__why">用途：{c.why}</Text>
            <Text className="gz-muted">{c.needed}</Text>
          </View>
        ))}
      </Card>
      <Card title="我们怎样保管和使用">
        <Text className="gz-privacy__why">
          信息只用于社区问题的受理、处置、回访和考核，只有负责处理的工作人员能看到联系方式；投诉记录按季度归档保存。我们不会把您的信息提供给与处理您反映的问题无关的任何人。
        </Text>
        <Text className="gz-privacy__why">
          如需查询、更正或删除您的信息，或对隐私保护有疑问，请联系居委会（见首页“今日值班”）。
        </Text>
      </Card>
      {asking && (
        <View className="gz-privacy__answer">
          <Button
            block
            type="primary"
            id={AGREE_BUTTON_ID}
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={() => answer(true)}
          >
            同意并继续
          </Button>
          <Button block fill="outline" onClick={() => answer(false)}>
            不同意
          </Button>
        </View>
      )}
    </Page>
  );
}
