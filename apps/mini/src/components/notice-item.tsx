import type { NoticeSummary } from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatTime } from '../services/format';
import './notice-item.css';

/** One notice in a list: title, kind, date, and 公示中 while its notice period runs. */
export function NoticeItem({ notice, showStatus = false }: { notice: NoticeSummary; showStatus?: boolean }) {
  return (
    <View
      className="gz-notice-item"
      onClick={() => Taro.navigateTo({ url: `/notices/pages/detail/index?id=${notice.id}` })}
    >
      <Text className="gz-notice-item__title">{notice.title}</Text>
      <View className="gz-notice-item__meta">
        <Text className="gz-tag gz-tag--grey">{notice.kindName}</Text>
        {notice.inNoticePeriod && (
          <Text className="gz-notice-item__live">
            {notice.kind === 'announcement' ? '有效期内' : '公示中'}
          </Text>
        )}
        {showStatus && <Text className="gz-tag">{notice.statusName}</Text>}
        {notice.zoneName && <Text className="gz-muted">{notice.zoneName}</Text>}
        <Text className="gz-muted gz-notice-item__date">
          {formatTime(notice.publishedAt ?? notice.createdAt).split(' ')[0]}
        </Text>
      </View>
    </View>
  );
}
