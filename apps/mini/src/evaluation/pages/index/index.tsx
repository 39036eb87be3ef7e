import type { CampaignView, Me } from '@gongzhi/domain';
import { Cell, CellGroup } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { useReload } from '../../../hooks/use-reload';
import { DEFAULT_COMMUNITY } from '../../../services/community';
import { isLoggedIn, loadMe } from '../../../services/session';
import { listCampaigns } from '../../services';
import '../../evaluation.css';
import { NavCell } from '../../../components/nav-cell';

/** Where a campaign leads: answer while open, results once there are any to see, else manage it. */
function openCampaign(c: CampaignView) {
  if (c.status === 'open')
    return Taro.navigateTo({ url: `/evaluation/pages/questionnaire/index?id=${c.id}` });
  if (c.allowedActions.includes('results')) {
    return Taro.navigateTo({ url: `/evaluation/pages/results/index?id=${c.id}` });
  }
  if (c.canManage) return Taro.navigateTo({ url: '/evaluation/pages/admin/index' });
  return Taro.showToast({ title: '评议已结束，结果公布后可查看', icon: 'none' });
}

/** The residents' entry: the quarter's evaluation to answer, published results, and the home binding. */
export default function EvaluationHome() {
  const [items, setItems] = useState<CampaignView[] | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const who = isLoggedIn() ? await loadMe().catch(() => null) : null;
      setMe(who);
      setItems((await listCampaigns(who?.person?.community ?? DEFAULT_COMMUNITY)).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  // The work desk's entries, as the server offers them.
  const leads = !!me?.menu.some((e) => e.key === 'evaluation_admin');
  const verifies = !!me?.menu.some((e) => e.key === 'verify_homes');

  return (
    <Page>
      <Card title="季度居民评议">
        <Text className="gz-eval__intro">
          每季度由小区领导小组组织居民，对各责任区域和物业公司的工作进行评议。每户一票，结果只公布汇总，不公开每户的评分。
        </Text>
      </Card>
      {error ? (
        <ErrorState message={error} onRetry={load} />
      ) : items === null ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="目前没有进行中或已公布的评议" />
      ) : (
        <CellGroup title="评议活动">
          {items.map((c) => (
            <Cell
              key={c.id}
              title={c.title}
              description={
                c.status === 'open'
                  ? '正在评议，点击参加'
                  : c.status === 'published'
                    ? '结果已公布，点击查看'
                    : c.statusName
              }
              extra={<Text className="gz-tag">{c.statusName}</Text>}
              clickable
              onClick={() => void openCampaign(c)}
            />
          ))}
        </CellGroup>
      )}
      <CellGroup>
        {(me?.bindsHome ?? true) && (
          <NavCell
            title="我的房屋认证"
            description="绑定并认证房屋后，可直接用本账号评议（也可使用发到户的评议码）"
            url={'/evaluation/pages/home/index'}
          />
        )}
        {leads && (
          <NavCell
            title="评议管理"
            description="创建、开始、结束、公布评议，打印评议码，核查记录"
            url={'/evaluation/pages/admin/index'}
          />
        )}
        {verifies && (
          <NavCell
            title="住户认证审核"
            description="核实本区域居民绑定的房屋"
            url={'/evaluation/pages/verify/index'}
          />
        )}
      </CellGroup>
    </Page>
  );
}
