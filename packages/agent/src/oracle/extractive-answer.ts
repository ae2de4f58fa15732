import { entryRef } from "@cairn/core/operations/citation-ref";
import { type OracleSource, oracleTuning } from "@cairn/core/operations/oracle-sources";
import { asksQuestion } from "@cairn/core/search/asks-question";
import type { QueryAnalysis } from "@cairn/core/search/query-analysis";
import { rarity } from "@cairn/core/search/rarity";
import { asksSentence, isInterjection, sentencesOf } from "@cairn/core/search/sentences";
import { contentStemsOf } from "@cairn/core/search/text-stems";
import { whenSaid } from "./relative-dates";

/** A row the answer cites: a source, or an entry next to one in its thread. */
export interface CitedRow {
  ref: string;
  snippet: string;
  score: number;
  author: string | null;
  createdAt: string;
}

/** A sentence the answer may be, with the row it comes from. */
interface Piece {
  sentence: string;
  row: CitedRow;
  /** Its source's rank (0 is the best), and whether it is that source's own text or a neighbour's. */
  rank: number;
  own: boolean;
  stems: Set<string>;
}

/**
 * The built-in model's answer: no generation. The sentence of the sources (or of the entries next
 * to them: a reply to a question) that holds most of the question's content words, stemmed and
 * weighted by rarity among them, followed by the number of the row it comes from; up to two more,
 * each from another row, when they are close enough (oracleTuning: a question that takes several
 * turns to answer gets them, each cited). A reply's first sentence also holds the words of the
 * question it answers; a question naming a person is answered from that person's rows. A question asking when is answered with the
 * date the sentence means ("yesterday", written on 8 May 2023: 7 May 2023). A sentence that asks
 * something is no answer. Whether to answer at all was decided by retrieval (chooseSources).
 */
export function extractiveAnswer(sources: OracleSource[], query: QueryAnalysis): { answer: string; cited: CitedRow[] } {
  const wanted = [...new Set(query.contentStems)];
  let pieces: Piece[] = [];
  sources.forEach((source, rank) => {
    const own: CitedRow = {
      ref: source.ref,
      snippet: source.snippet,
      score: source.score,
      author: source.author,
      createdAt: source.createdAt,
    };
    // A reply carries the topic of the question just before it ("How long have you painted?" "Seven years.").
    const asked = source.context.filter((near) => near.createdAt < source.createdAt).at(-1);
    const inherited = asked && asksQuestion(asked.content) ? contentStemsOf(asked.content) : [];
    // Its first sentence that says something: "Thanks, Mel! Seven years now." answers with the second.
    const sentences = sentencesOf(source.text);
    const answering = Math.max(
      0,
      sentences.findIndex((sentence) => !isInterjection(sentence)),
    );
    sentences.forEach((sentence, index) => {
      const stems = new Set(contentStemsOf(sentence));
      if (index === answering) for (const stem of inherited) stems.add(stem);
      pieces.push({ sentence, row: own, rank, own: true, stems });
    });
    const thread = source.thread;
    for (const near of thread === null ? [] : source.context) {
      const row: CitedRow = {
        ref: entryRef(thread as string, near.id),
        snippet: near.content.slice(0, 500),
        score: source.score,
        author: near.author || null,
        createdAt: near.createdAt,
      };
      for (const sentence of sentencesOf(near.content)) {
        pieces.push({ sentence, row, rank, own: false, stems: new Set(contentStemsOf(sentence)) });
      }
    }
  });
  // A question about a person is answered in that person's words when they wrote any of these rows
  // (chooseSources kept their rows; their neighbours may be someone else's).
  const named = new Set(query.names.map((name) => name.toLowerCase()));
  const byNamed = (piece: Piece) => piece.row.author !== null && named.has(piece.row.author.toLowerCase());
  if (pieces.some(byNamed)) {
    pieces = pieces.filter((piece) => byNamed(piece) || piece.row.ref.startsWith("memory:"));
  }
  // Rarer words weigh more: a sentence with the one rare word beats one with three common ones.
  const weight = new Map(
    wanted.map((stem) => {
      const holding = pieces.filter((piece) => piece.stems.has(stem)).length;
      return [stem, rarity(holding, pieces.length)];
    }),
  );
  const total = wanted.reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0) || 1;
  const scored = pieces
    .filter((piece) => !asksSentence(piece.sentence))
    .map((piece) => {
      const held = wanted
        .filter((stem) => piece.stems.has(stem))
        .reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0);
      const source = sources[piece.rank] as OracleSource;
      // The source's own sentences carry what made it a source (its author, its other sentences); a
      // neighbour's, only its own words. Among equals, the better-ranked source.
      const score = held / total + (piece.own ? 0.5 * source.coverage : 0.25 * source.coverage) - piece.rank * 0.04;
      return { piece, score };
    })
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return { answer: "", cited: [] };
  const chosen = [best.piece];
  for (const each of scored) {
    if (query.asksWhen || chosen.length >= oracleTuning.answerSentences) break;
    if (each.score < best.score * oracleTuning.alsoShare) break;
    if (chosen.some((piece) => piece.row.ref === each.piece.row.ref)) continue;
    chosen.push(each.piece);
  }
  const cited = [...new Set(chosen.map((piece) => piece.row))];
  const marker = (piece: Piece) => `[${cited.indexOf(piece.row) + 1}]`;
  // "When …?" is answered by the date the sentence means; the citation shows the sentence.
  const answer = query.asksWhen
    ? `${whenSaid(best.piece.sentence, new Date(best.piece.row.createdAt))} ${marker(best.piece)}`
    : chosen.map((piece) => `${piece.sentence} ${marker(piece)}`).join(" ");
  return { answer, cited };
}
