import { createHash } from 'node:crypto';
import { type AnswerSet, canonicalAnswers, type Questionnaire } from '@gongzhi/domain';

/**
 * A response's receipt: SHA-256 over its id and its answers in questionnaire order, 64 bits shown
 * as four groups. The resident keeps it; the audit list shows it beside the household and checks
 * that the stored answers still give it, so neither side can quietly change what was counted.
 */
export function receiptOf(responseId: string, q: Questionnaire, answers: AnswerSet): string {
  const hex = createHash('sha256')
    .update(`${responseId}|${canonicalAnswers(q, answers)}`)
    .digest('hex');
  return hex.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-');
}
