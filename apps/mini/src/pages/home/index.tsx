import { type NoticeSummary, type OnDutyNowView, ORG_NAMES, type PublicCommunity } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Collapse } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { NoticeItem } from '../../components/notice-item';
import { Card, Page } from '../../components/page';
import { ErrorState, LoadingState } from '../../components/states';
import { PageToast, toast } from '../../components/toast';
import { DEFAULT_COMMUNITY, loadCommunity } from '../../services/community';
import { clock, dutyNow } from '../../services/duty';
import { publicNotices } from '../../services/notices';
import { qrCodeFromLink } from '../../services/qr-link';
import './index.css';
import { ElderSwitch } from '../../components/elder-switch';
import { NavCell } from '../../components/nav-cell';

/**
 * The residents' front door. It shows only what the API really has: the latest published notices
 * (公示中 while a notice period runs), the community's zones and who is responsible for each, and
 * who is on duty right now (only when someone is).
 */
export default function HomePage() {
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [duty, setDuty] = useState<OnDutyNowView | null>(null);
  const [notices, setNotices] = useState<NoticeSummary[] | null>(null);

  const load = () => {
    setError(null);
    loadCommunity(DEFAULT_COMMUNITY).then(setCommunity, (e: Error) => setError(e.message));
  };
  useLoad(load);
  // Who is on duty changes during the day: asked again each time the page shows. A failure only
  // hides the section; the rest of the page does not depend on it.
  useDidShow(() => {
    dutyNow(DEFAULT_COMMUNITY).then(setDuty, () => setDuty(null));
    // Notices too; a failure hides the section like the duty's.
    publicNotices(DEFAULT_COMMUNITY, { limit: 3 }).then(
      (p) => setNotices(p.items),
      () => setNotices(null),
    );
  });

  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      const code = qrCodeFromLink(r.result);
      if (!code) return toast('这不是小区张贴的二维码', 'warn');
      await Taro.navigateTo({ url: `/pages/complain/index?qr=${encodeURIComponent(code)}` });
    } catch {
      // The person closed the scanner.
    }
  };

  return (
    <Page heading={false}>
      <PageToast />
      <View className="gz-hero">
        <Text className="gz-hero__title">{community?.name ?? '共治'}</Text>
        <Text className="gz-hero__sub">社区分级共治 · 有事您说话，件件有回音</Text>
      </View>
      <ElderSwitch />
      <Card title="反映问题">
        <Text className="gz-home__text">
          楼道、电梯间和设施旁都贴有二维码。扫码即可反映问题，无需注册，系统会自动转给负责的区域或条线。
        </Text>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="gz-submit" block type="primary" onClick={scan}>
            扫码反映问题
          </Button>
        ) : (
          <Text className="gz-muted">请用手机相机或微信扫描楼内张贴的二维码。</Text>
        )}
        <Button
          className="gz-submit"
          block
          fill="outline"
          type="primary"
          onClick={() =>
            Taro.navigateTo({ url: `/pages/complain/index?community=${community?.key ?? DEFAULT_COMMUNITY}` })
          }
        >
          没有二维码？选择楼栋或区域反映
        </Button>
      </Card>
      {notices && notices.length > 0 && (
        <Card
          title="公告公示"
          extra={
            <Text
              className="gz-home__more"
              onClick={() => Taro.navigateTo({ url: '/notices/pages/list/index' })}
            >
              更多 ›
            </Text>
          }
        >
          {notices.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
        </Card>
      )}
      {duty && duty.onDuty.length > 0 && (
        <Card title="今日值班" extra={<Text className="gz-muted">有事可直接联系值班人员</Text>}>
          {duty.onDuty.map((p) => (
            <View key={`${p.name}-${p.org}-${p.start}`} className="gz-duty-now">
              <View className="gz-duty-now__main">
                <Text className="gz-duty-now__name">{p.name}</Text>
                <Text className="gz-tag">{p.orgName}</Text>
              </View>
              <Text className="gz-muted">
                {p.shiftName} {clock(p.start)}–{clock(p.end)}
              </Text>
              {p.contact && (
                <Text
                  className="gz-duty-now__phone"
                  onClick={() => Taro.makePhoneCall({ phoneNumber: p.contact! }).catch(() => undefined)}
                >
                  电话 {p.contact}
                </Text>
              )}
            </View>
          ))}
        </Card>
      )}
      <CellGroup>
        <Cell
          title="我的投诉"
          description="查看已反映问题的处理进度"
          clickable
          onClick={() => Taro.switchTab({ url: '/pages/mine/index' })}
        />
        <NavCell
          title="居民评议"
          description="每季度为各责任区域和物业公司打分，查看公布的评议结果"
          url={'/evaluation/pages/index/index'}
        />
        <NavCell
          title="用查询码查询"
          description="在其他设备上提交过？输入查询码和密钥"
          url={'/pages/track/index'}
        />
        <NavCell title="隐私保护指引" description="我们收集哪些信息、做什么用" url={'/pages/privacy/index'} />
      </CellGroup>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : !community ? (
        <LoadingState />
      ) : (
        <Card title="责任区域与负责人">
          <Collapse accordion>
            {community.zones.map((z) => (
              <Collapse.Item
                key={z.key}
                name={z.key}
                title={`${z.name}${z.buildings.length ? `（${z.buildings.join('、')} 号楼）` : ''}`}
              >
                <Text className="gz-home__leader">组长：{z.leader.name}</Text>
                {z.note && <Text className="gz-muted">{z.note}</Text>}
                <View className="gz-home__members">
                  {z.members.map((m) => (
                    <Text key={`${m.key}-${m.org}`} className="gz-tag gz-home__member">
                      {m.name} · {ORG_NAMES[m.org]}
                    </Text>
                  ))}
                </View>
              </Collapse.Item>
            ))}
          </Collapse>
        </Card>
      )}
    </Page>
  );
}
