/**
 * How much a word weighs by how rare it is among `count` rows, `holding` of which hold it: BM25's
 * inverse document frequency. A word most rows hold weighs almost nothing, so a row with the one
 * rare word of a question outranks rows with its three common ones.
 */
export function rarity(holding: number, count: number): number {
  return Math.log(1 + (count - holding + 0.5) / (holding + 0.5));
}
