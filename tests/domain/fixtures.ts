import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Community,
  type CommunityConfig,
  type ConfigProblem,
  DomainError,
  parseCommunityConfigText,
  type ValidationResult,
} from '../../packages/domain/src';

export const SHIPPED_CONFIG_PATH = path.resolve(__dirname, '../../config/communities/xiaduoyuan.yaml');
export const SOURCE_FACTS_PATH = path.resolve(__dirname, '../../docs/sources/xiaduoyuan-facts.yaml');

export const shippedConfigText = () => readFileSync(SHIPPED_CONFIG_PATH, 'utf8');

/** Narrow a validation result, failing the test with the problems if it is not ok. */
export function expectValid(result: ValidationResult): Community {
  if (!result.ok) {
    throw new Error(
      `expected a valid config, got:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return result.community;
}

export function expectProblems(result: ValidationResult): ConfigProblem[] {
  if (result.ok) throw new Error('expected the config to be refused, but it validated');
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems;
}

/** The real community, freshly parsed (never shared between tests, so mutation cannot leak). */
export const loadXiaduoyuan = (): Community => expectValid(parseCommunityConfigText(shippedConfigText()));

/** A deep copy of the validated shipped config, to mutate into variants. */
export const shippedConfig = (): CommunityConfig => structuredClone(loadXiaduoyuan().config);

/** Run `fn`, require it to throw a DomainError, and return it. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}
