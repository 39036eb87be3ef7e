import { CellGroup } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import { NavCell } from '../../../components/nav-cell';
import { Card, Page } from '../../../components/page';

/**
 * The supervisory committee's desk (监督委员会, seed 004): what it reads, and where its comments go.
 * It reads; it does not act. Each comment is made on the record it is about (an issue's page, a
 * credit file) and stays there with who and when.
 */
export default function OversightPage() {
  return (
    <Page>
      <Card title="监督委员会">
        <Text className="gz-muted">
          监督委员会由业主大会选举产生，监督投诉处理、公共经费（维修资金）使用、提示函/警示函和物业服务诚信档案。
          可在问题详情页和诚信档案页发表监督意见，意见记录在案，不能修改或删除，相关各方均可看到。
        </Text>
      </Card>
      <CellGroup title="可查阅">
        <NavCell
          title="投诉处理"
          description="全部区域的问题、派单、处理记录与维修资金程序；在问题页发表监督意见"
          url="/inspector/pages/zone/index"
        />
        <NavCell
          title="提示函与警示函"
          description="各单位收到的函件与签收情况"
          url="/staff/pages/letters/index"
        />
        <NavCell
          title="诚信档案"
          description="物业公司等各单位的函件、失职、按时办结率、满意率与信用得分"
          url="/kpi/pages/credit/index?org=property"
        />
        <NavCell
          title="两巡两访"
          description="巡查、走访记录与每月统计"
          url="/oversight/pages/rounds/index"
        />
      </CellGroup>
    </Page>
  );
}
