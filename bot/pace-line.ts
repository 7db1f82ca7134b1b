import type { Pace } from '../core/credits/engine';

/**
 * The locale key of the pace line under /credits and on the cabinet's first screen: being behind is worded
 * by how far (`Pace.lag`), so «slightly behind» is never said to someone with nothing of 107 expected.
 */
export function paceSentenceKey(pace: Pick<Pace, 'status' | 'lag'>): string {
  return pace.status === 'behind' ? `credits.pace.behind-${pace.lag ?? 'slightly'}` : `credits.pace.${pace.status}`;
}
