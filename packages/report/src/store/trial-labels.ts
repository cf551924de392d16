/** Short human-readable names of trials, built from their config and grid values. */
import { formatLambda } from '../figures/lambda-scale.js';

/** `mlp 512-512-512` from a model config `{ kind, hidden }`; other shapes fall back to kind/name or '?'. */
export function modelLabel(model: unknown): string {
  if (typeof model !== 'object' || model === null) return '?';
  const record = model as Record<string, unknown>;
  const kind = [record.kind, record.name, record.type].find((v) => typeof v === 'string') as string | undefined;
  const hidden = Array.isArray(record.hidden) ? record.hidden.join('-') : undefined;
  return [kind ?? '?', hidden].filter(Boolean).join(' ');
}

const axisText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Grid values other than λ and seed, as `name=value` joined by ' · ' ('' when none). */
export function otherAxes(axes: Record<string, unknown>): string {
  return Object.entries(axes)
    .filter(([name]) => name !== 'weightDecay' && name !== 'seed')
    .map(([name, value]) => `${name}=${axisText(value)}`)
    .join(' · ');
}

/** Label of a trial: `λ=1e-3 · seed 0`, followed by its other grid values. */
export function trialLabel(weightDecay: number, seed: number, axes: Record<string, unknown>): string {
  const rest = otherAxes(axes);
  return `λ=${formatLambda(weightDecay)} · seed ${seed}${rest ? ` · ${rest}` : ''}`;
}

/** Group of a trial (what it shares with the trials on the same lines): its other grid values, else its model. */
export function trialGroup(model: string, dataset: string, axes: Record<string, unknown>): string {
  return otherAxes(axes) || `${model} · ${dataset}`;
}
