import Taro from '@tarojs/taro';

/** A complaint this device submitted: its tracking code and the secret that opens it. */
export interface KeptComplaint {
  code: string;
  secret: string;
  label: string;
  createdAt: string;
}

const KEY = 'gz.complaints';

export function listKeptComplaints(): KeptComplaint[] {
  const v = Taro.getStorageSync(KEY) as KeptComplaint[] | '';
  return Array.isArray(v) ? v : [];
}

export function keepComplaint(c: KeptComplaint) {
  const rest = listKeptComplaints().filter((k) => k.code !== c.code);
  Taro.setStorageSync(KEY, [c, ...rest]);
}

export const findKeptComplaint = (code: string) => listKeptComplaints().find((k) => k.code === code);
