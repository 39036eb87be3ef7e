import { z } from 'zod';

export const DURATION_UNITS = ['minutes', 'hours', 'working_days', 'working_hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const SUFFIX: Record<string, DurationUnit> = {
  m: 'minutes',
  h: 'hours',
  wd: 'working_days',
  wh: 'working_hours',
};
const SUFFIX_OF: Record<DurationUnit, string> = {
  minutes: 'm',
  hours: 'h',
  working_days: 'wd',
  working_hours: 'wh',
};
const UNIT_NAMES: Record<DurationUnit, string> = {
  minutes: '分钟',
  hours: '小时',
  working_days: '个工作日',
  working_hours: '个工作小时',
};

// Five digits at most: 99999 minutes is over two months, more than any SLA needs.
const DURATION_TEXT = /^([1-9]\d{0,4})(m|h|wd|wh)$/;
const durationHelp = (got: string) =>
  `时长 ${got} 无法识别：应写成正整数加单位，例如 15m（分钟）、4h（小时）、7wd（工作日）、2wh（工作小时）`;

const SlaDurationValue = z.strictObject({
  unit: z.enum(DURATION_UNITS),
  amount: z.number().int().positive(),
});

/**
 * An SLA duration. Written in YAML as "15m", "4h", "24h", "1wd", "7wd", "2wh" (wd: working days,
 * wh: working hours within `sla.workingHours`, see sla/deadlines.ts); parsed into { unit, amount }. The parsed form is accepted too, so a parsed
 * config validates again unchanged (tests and the admin screens re-validate edited configs).
 */
export const SlaDuration = z
  .union([z.string(), SlaDurationValue], {
    error: (issue) => durationHelp(JSON.stringify(issue.input) ?? String(issue.input)),
  })
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    const m = DURATION_TEXT.exec(value.trim());
    if (!m) {
      ctx.addIssue({ code: 'custom', message: durationHelp(`"${value}"`) });
      return z.NEVER;
    }
    return { unit: SUFFIX[m[2]!]!, amount: Number(m[1]) };
  });
export type SlaDuration = z.infer<typeof SlaDuration>;

/** The duration as written in config: "7wd". */
export const durationText = (d: SlaDuration) => `${d.amount}${SUFFIX_OF[d.unit]}`;

/** The duration for people: "15 分钟", "4 小时", "7 个工作日". */
export const formatDuration = (d: SlaDuration) => `${d.amount} ${UNIT_NAMES[d.unit]}`;
